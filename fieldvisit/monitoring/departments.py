"""部门预警: compare a department's list with the roster, then propose cases.

A department (民政, 残联, 医保, 教育, 应急) sends the people it knows to be at risk. Each
row is matched to the roster by ID number among current members (``membership.CURRENT``),
and the comparison yields three lists, computed first and written only when asked, as a
roster import is planned and then applied:

- proposals: households on the list that are not monitored and have no 纳入 case open
  (a proposal counts), each a 待确认 case from 部门预警 with the department, the risk type
  the list implies and a clue naming the file and its rows; the cadre accepts or
  declines it (``cases.decide_proposal``). A list never opens a case by itself.
- contradictions: a fact of the list the roster says otherwise (残疾 but 健康, 辍学 but
  in school, another name for the ID). They are reported, not recorded: the quality
  rules are computed from the roster itself and the problem ledger is for 整改, which
  would colour the household red over a department's word; the cadre checks the
  person and corrects the roster, which the quality list then reflects.
- unmatched: a row whose ID is empty, invalid or not on the roster (or a former
  member's) is listed with its row, never dropped.

Applying writes every proposal in one transaction: all of them or none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, select

from fieldvisit import idcard
from fieldvisit.monitoring import cases
from fieldvisit.monitoring.department_reader import DepartmentListError, ListRow, read_list
from fieldvisit.monitoring.department_sources import (
    SOURCES,
    Finding,
    Source,
    findings,
    is_quiet,
    source_of,
)
from fieldvisit.roster import vocab
from fieldvisit.roster.membership import CURRENT
from fieldvisit.store import Insert, Store
from fieldvisit.store.models import Household, Member

SOURCE = "部门预警"
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Proposal:
    """A case to propose for one household, from every row of it on the list."""

    household_id: str
    household_code: str
    head: str
    rows: tuple[ListRow, ...]
    risk_types: tuple[str, ...]
    clue: str
    edit: Insert

    @property
    def case_id(self) -> str:
        return self.edit.id


@dataclass(frozen=True, slots=True)
class Contradiction:
    row: ListRow
    household_code: str
    member_name: str
    finding: Finding


@dataclass(frozen=True, slots=True)
class Unmatched:
    row: ListRow
    reason: str  # empty-id, invalid-id, not-in-roster, former-member
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A household on the list that needs no proposal, and why."""

    household_code: str
    head: str
    rows: tuple[ListRow, ...]
    zh: str
    en: str


@dataclass(slots=True)
class ComparePlan:
    path: Path
    source: Source
    rows_read: int
    headers: dict[str, str]
    proposals: list[Proposal] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    quiet: list[ListRow] = field(default_factory=list)  # rows warning of nothing (在校)

    @property
    def missing_facts(self) -> list[str]:
        """The key fact columns the list lacks (the comparison says less without them)."""
        return [f.label for f in self.source.facts if f.key not in self.headers]


def source_for(text: str) -> Source:
    try:
        return source_of(text)
    except KeyError:
        raise DepartmentListError(
            f"部门应为{'、'.join(SOURCES)}之一，不是“{text}”",
            f"the department must be one of {', '.join(SOURCES)}, not '{text}'",
            reason="unknown-source") from None


def plan_compare(store: Store, path: Path, source: Source | str, *,
                 today: date | None = None) -> ComparePlan:
    """Read the list and compare it with the roster; writes nothing."""
    source = source_for(source) if isinstance(source, str) else source
    today = today or date.today()
    listed = read_list(Path(path), source)
    plan = ComparePlan(listed.path, source, len(listed.rows), listed.headers)
    with store.reading() as conn:
        _compare(conn, plan, listed.rows, today)
    return plan


def apply_compare(store: Store, plan: ComparePlan) -> list[str]:
    """Write the plan's proposals in one transaction; the ids of the cases written.

    Each household is checked again under the write lock, because the plan may have
    waited (the app shows it first): one monitored or given an entry case since then is
    left out rather than proposed twice, and is missing from the ids returned."""
    if not plan.proposals:
        return []
    with store.transaction() as tx:
        still = [p for p in plan.proposals if _proposable(tx.conn, p.household_id)]
        if still:
            tx.write([p.edit for p in still])
    return [p.case_id for p in still]


def _proposable(conn: Connection, household_id: str) -> bool:
    row = conn.execute(select(Household.monitored, Household.risk_eliminated).where(
        Household.id == household_id, Household.deleted.is_(False))).first()
    if row is None or (row.monitored and not row.risk_eliminated):
        return False
    return not cases.open_of(conn, household_id, cases.ENTRY)


# ---- matching -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Person:
    fields: dict[str, object]

    @property
    def household_id(self) -> str:
        return str(self.fields["household_id"])

    @property
    def current(self) -> bool:
        return self.fields["left_on"] is None


def _compare(conn: Connection, plan: ComparePlan, rows: Sequence[ListRow], today: date) -> None:
    numbers = {id(row): _id_numbers(row, today) for row in rows}
    people = _people(conn, {n for found, _ in numbers.values() for n in found})
    by_household: dict[str, list[tuple[ListRow, _Person]]] = {}
    for row in rows:
        found, problem = numbers[id(row)]
        person = _match(people, found)
        if person is None:
            plan.unmatched.append(_unmatched(row, problem))
            continue
        if not person.current:
            plan.unmatched.append(Unmatched(
                row, "former-member",
                f"此人已不是农户成员（{person.fields['left_reason'] or '减员'}，"
                f"{person.fields['left_on']}）",
                f"no longer a household member ({person.fields['left_on']})"))
            continue
        plan.contradictions.extend(_contradictions(plan.source, row, person))
        if is_quiet(plan.source, row.facts):
            plan.quiet.append(row)
            continue
        by_household.setdefault(person.household_id, []).append((row, person))
    households = _households(conn, list(by_household))
    for household_id, matched in by_household.items():
        _propose(conn, plan, households[household_id], [r for r, _ in matched], today)


def _id_numbers(row: ListRow, today: date) -> tuple[list[str], tuple[str, str, str] | None]:
    """The numbers a roster may hold the row's ID as, and why the ID is not valid."""
    if row.id_cell is None:
        return [], ("empty-id", "身份证号为空", "the ID number is empty")
    try:
        text = idcard.normalise(row.id_cell)
    except idcard.IdNumberError as error:  # Excel turned it into a number
        return [], ("invalid-id", error.zh, error.en)
    try:
        number = idcard.parse(text, today=today).number
    except idcard.IdNumberError as error:
        return [text], ("invalid-id", f"身份证号无效：{error.zh}", f"invalid ID: {error.en}")
    return list(dict.fromkeys((number, text))), None


def _match(people: dict[str, list[_Person]], numbers: Iterable[str]) -> _Person | None:
    """The current member with the number, else a former one."""
    found = [p for n in numbers for p in people.get(n, ())]
    return next((p for p in found if p.current), found[0] if found else None)


def _unmatched(row: ListRow, problem: tuple[str, str, str] | None) -> Unmatched:
    if problem is not None:
        reason, zh, en = problem
        if reason == "invalid-id":
            return Unmatched(row, reason, f"{zh}；花名册中也没有这个号码",
                             f"{en}; the roster has no such number either")
        return Unmatched(row, reason, zh, en)
    return Unmatched(row, "not-in-roster",
                     "花名册中没有这个身份证号（不是本地农户，或花名册未录入）",
                     "no one on the roster has this ID (not a local household, or not on the "
                     "roster yet)")


def _people(conn: Connection, numbers: set[str]) -> dict[str, list[_Person]]:
    """Members of live households holding the numbers (former members too)."""
    wanted = sorted(numbers)
    found: dict[str, list[_Person]] = {}
    for at in range(0, len(wanted), _CHUNK):
        query = (select(Member.id, Member.household_id, Member.name, Member.id_number,
                        Member.health, Member.schooling, Member.disability_cert,
                        Member.left_on, Member.left_reason,
                        Household.code.label("household_code"))
                 .join(Household, Household.id == Member.household_id)
                 .where(Member.id_number.in_(wanted[at:at + _CHUNK]),
                        Member.deleted.is_(False), Household.deleted.is_(False)))
        for row in conn.execute(query).mappings():
            found.setdefault(str(row["id_number"]).upper(), []).append(_Person(dict(row)))
    return found


def _households(conn: Connection, ids: list[str]) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for at in range(0, len(ids), _CHUNK):
        chunk = ids[at:at + _CHUNK]
        for row in conn.execute(select(Household.id, Household.code, Household.monitored,
                                       Household.risk_eliminated)
                                .where(Household.id.in_(chunk))).mappings():
            found[row["id"]] = {**row, "head": ""}
        for household_id, name in conn.execute(select(Member.household_id, Member.name).where(
                Member.household_id.in_(chunk), CURRENT, Member.relation == vocab.HEAD)):
            if not found[household_id]["head"]:
                found[household_id]["head"] = name
    return found


# ---- findings and proposals ---------------------------------------------------------

def _contradictions(source: Source, row: ListRow, person: _Person) -> list[Contradiction]:
    code = str(person.fields["household_code"])
    name = str(person.fields["name"])
    found = findings(source, row.facts, person.fields)
    if row.name and row.name != name:
        found.insert(0, Finding("name", "姓名", name,
                                f"名单上的姓名为“{row.name}”，花名册中此身份证号是“{name}”",
                                f"the list names '{row.name}'; the roster has '{name}' for "
                                "this ID"))
    return [Contradiction(row, code, name, f) for f in found]


def _propose(conn: Connection, plan: ComparePlan, household: dict[str, object],
             rows: list[ListRow], today: date) -> None:
    code, head = str(household["code"]), str(household["head"])
    if household["monitored"] and not household["risk_eliminated"]:
        plan.skipped.append(Skipped(code, head, tuple(rows), "已是监测对象，不需要建议",
                                    "monitored already: no proposal"))
        return
    if cases.open_of(conn, str(household["id"]), cases.ENTRY):
        plan.skipped.append(Skipped(code, head, tuple(rows),
                                    "已有正在办理的纳入程序或待确认的建议",
                                    "an entry case or proposal is open already"))
        return
    risks = (plan.source.risk,) if plan.source.risk else ()
    clue = _clue(plan, rows)
    try:
        edit = cases.open_edit(conn, str(household["id"]), source=SOURCE,
                               department=plan.source.department, risks=risks, today=today,
                               clue=clue, proposed=True)
    except cases.CaseError as error:  # the case module's own rules, should they say no
        plan.skipped.append(Skipped(code, head, tuple(rows), error.zh, error.en))
        return
    plan.proposals.append(Proposal(str(household["id"]), code, head, tuple(rows), risks,
                                   clue, edit))


def _clue(plan: ComparePlan, rows: list[ListRow]) -> str:
    """Which list and rows: never the ID number (the clue is shown wherever the case is)."""
    labels = {f.key: f.label for f in plan.source.facts if f.in_clue}
    parts = []
    for row in rows:
        said = "，".join(f"{labels[k]}：{v}" for k, v in row.facts.items() if k in labels)
        parts.append(f"{row.where} {row.name or ''}".rstrip() + (f"（{said}）" if said else ""))
    return (f"{plan.source.department}{plan.source.list_name}“{plan.path.name}”："
            + "；".join(parts))
