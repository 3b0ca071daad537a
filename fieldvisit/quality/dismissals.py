"""Data-quality problems checked and found right (核实无误): kept, shown, not counted.

A rule flags what is usually a typo, and sometimes is the truth: a 112-year-old
grandmother, a phone two households share. A cadre who has checked says so with a note
(required: the county reads why), which adds a ``quality_dismissal`` row (journaled and
synced like any edit). The problem stays in every list, marked with the note, so nobody
checks it again, and it leaves the counts: dashboards and the village report count only
the problems still to fix.

A problem is known by household, rule, member (None: the household) and field; a
dismissal matches the problems of its household, rule and member (its field too when
it names one). Nothing is deleted: a dismissal entered by mistake is soft-deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from fieldvisit import idcard
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.errors import FieldVisitError
from fieldvisit.quality import rules
from fieldvisit.quality.rules import QualityProblem
from fieldvisit.store import Insert, Store
from fieldvisit.store.changes import by_ids
from fieldvisit.store.models import Household, Member, QualityDismissal

MAX_NOTE = 500


class DismissalError(FieldVisitError):
    reason = "quality-dismissal"


@dataclass(frozen=True, slots=True)
class Dismissal:
    id: str
    household_id: str
    rule: str
    member_id: str | None
    field: str | None
    note: str
    on: date
    actor: str

    def covers(self, problem: QualityProblem) -> bool:
        return (problem.household_id, problem.rule, problem.member_id) == (
            self.household_id, self.rule, self.member_id) and self.field in (None,
                                                                              problem.field)


@dataclass(frozen=True, slots=True)
class Reviewed:
    """Every problem in ``check_roster``'s order, each with its dismissal (found right:
    shown, marked, not counted) or None (still to fix)."""

    listed: list[tuple[QualityProblem, Dismissal | None]]

    @property
    def counted(self) -> list[QualityProblem]:
        return [problem for problem, dismissal in self.listed if dismissal is None]

    @property
    def dismissed(self) -> list[tuple[QualityProblem, Dismissal]]:
        return [(problem, dismissal) for problem, dismissal in self.listed
                if dismissal is not None]

    def all(self) -> list[tuple[QualityProblem, Dismissal | None]]:
        return list(self.listed)


def dismiss(store: Store, household_id: str, rule: str, note: str, today: date, *,
            member: str | None = None, actor: str | None = None,
            settings: Mapping[str, float] = DEFAULT_SETTINGS) -> list[str]:
    """Mark the household's problems of ``rule`` (of one member, given by row id or ID
    number) as 核实无误 with ``note``; returns the new dismissals' ids. Refused when the
    rule does not flag the household now, when it flags several members and none is
    named, without a note, or when it is dismissed already."""
    note = (note or "").strip()
    if rule not in rules.RULES:
        raise DismissalError(f"没有名为“{rule}”的数据质量规则", f"no data-quality rule {rule!r}")
    if not note:
        raise DismissalError("请写明核实情况（核实无误须有说明）",
                             "a note saying what was checked is required")
    if len(note) > MAX_NOTE:
        raise DismissalError(f"说明不能超过 {MAX_NOTE} 字", f"the note is longer than {MAX_NOTE}")
    with store.reading() as conn:
        member_id = _member(conn, household_id, member) if member else None
        found = [p for p in rules.check_roster(conn, today, settings, [household_id])
                 if p.rule == rule and (member is None or p.member_id == member_id)]
        held = for_households(conn, [household_id])
    title = rules.RULES[rule].title
    if not found:
        raise DismissalError(f"该户目前没有“{title}”问题，无须核实",
                             f"the rule {rule} does not flag this household now")
    members = {p.member_id for p in found}
    if member is None and len(members) > 1:
        raise DismissalError(f"“{title}”涉及本户 {len(members)} 名成员，请用 --member 指明是哪一位",
                             f"the rule {rule} flags {len(members)} members; name one "
                             "(--member)")
    fresh = [p for p in found if not any(d.covers(p) for d in held)]
    if not fresh:
        raise DismissalError(f"“{title}”已核实无误，无须再次核实",
                             f"the problem {rule} was dismissed already")
    who = (actor or store.actor).strip()
    edits = [Insert("quality_dismissal", {
        "household_id": household_id, "rule": rule, "member_id": p.member_id,
        "field": p.field, "note": note, "on": today, "actor": who})
        for p in {(p.member_id, p.field): p for p in fresh}.values()]
    store.write(edits)
    return [edit.id for edit in edits]


def for_households(conn: Connection, household_ids: Sequence[str] | None = None
                   ) -> list[Dismissal]:
    """The live dismissals (of these households), oldest first."""
    query = select(QualityDismissal.id, QualityDismissal.household_id, QualityDismissal.rule,
                   QualityDismissal.member_id, QualityDismissal.field, QualityDismissal.note,
                   QualityDismissal.on, QualityDismissal.actor).where(
        QualityDismissal.deleted.is_(False)).order_by(QualityDismissal.id)
    if household_ids is None:
        return [Dismissal(*row) for row in conn.execute(query)]
    return sorted((Dismissal(*row) for rows in by_ids(
        conn, query, QualityDismissal.household_id, list(household_ids)) for row in rows),
        key=lambda d: d.id)


def review(conn: Connection, found: Iterable[QualityProblem]) -> Reviewed:
    """Split ``check_roster``'s problems into those to fix and those found right."""
    problems = list(found)
    by_household: dict[str, list[Dismissal]] = {}
    for dismissal in for_households(conn, list({p.household_id for p in problems})):
        by_household.setdefault(dismissal.household_id, []).append(dismissal)
    return Reviewed([(problem, next((d for d in by_household.get(problem.household_id, ())
                                     if d.covers(problem)), None)) for problem in problems])


def _member(conn: Connection, household_id: str, text: str) -> str:
    """A member of the household by row id or ID number."""
    wanted = text.strip()
    try:
        number = idcard.normalise(wanted)
    except FieldVisitError:
        number = ""
    row = conn.execute(select(Member.id).where(
        Member.household_id == household_id, Member.deleted.is_(False),
        (Member.id == wanted) | (Member.id_number == (number or wanted)))).first()
    if row is None:
        code = conn.execute(select(Household.code).where(Household.id == household_id)
                            ).scalar() or household_id
        raise DismissalError(f"户 {code} 没有编号或身份证号为“{wanted}”的成员",
                             f"household {code} has no member {wanted!r}")
    return str(row.id)
