"""问题整改台账: every finding followed from 查摆 to 销号.

A problem moves 待整改 → 整改中 → 待验收 → 已销号. Acceptance can fail (待验收 → 整改中)
and a closed problem can come back (已销号 → 整改中) when it recurs; nothing else is
allowed, so the ledger a county reviews always tells a plausible story. Each move is an
append-only ``problem_step`` row with its note, actor, date and optional evidence photo,
written in the same transaction as the problem's new status: reopening keeps the history.

验收/销号 is a second person's check: closing a problem (待验收 → 已销号) by whoever
recorded the fix (the last move to 待验收) is refused. A village with one cadre sets
``same_person_acceptance: 1``; the closing step then says so in its note, so the journal
and the county see that nobody else checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from fieldvisit.checklist import installed
from fieldvisit.checklist.settings import load_settings
from fieldvisit.errors import FieldVisitError
from fieldvisit.store import Insert, Store, Update
from fieldvisit.store.models import Household, Problem, ProblemStep
from fieldvisit.visits import photos

STATUSES = ("待整改", "整改中", "待验收", "已销号")
CLOSED = "已销号"
AWAITING = "待验收"
SAME_PERSON_NOTE = "由整改登记人本人验收（本村按设置允许同一人验收销号）"
TRANSITIONS = frozenset({
    ("待整改", "整改中"),
    ("整改中", "待验收"),
    ("待验收", "已销号"),
    ("待验收", "整改中"),  # 验收未通过
    ("已销号", "整改中"),  # reopened
})


class LedgerError(FieldVisitError):
    """A ledger change that is not allowed, and why, in ``zh`` and ``en``."""


@dataclass(frozen=True)
class ProblemRow:
    id: str
    household_id: str
    household_code: str
    village_id: str
    visit_id: str | None
    form_id: str
    rule_id: str
    member_id: str | None
    category: str
    severity: str
    text: str
    status: str
    deadline: date | None
    responsible: str | None
    opened_on: date


@dataclass(frozen=True)
class StepRow:
    id: str
    from_status: str | None
    to_status: str
    note: str | None
    actor: str
    on: date


def advance(store: Store, problem_id: str, to_status: str, note: str, actor: str,
            today: date, photo: Path | None = None, *,
            settings: Mapping[str, float] | None = None) -> str:
    """Move a problem to ``to_status`` with a note (and evidence photo); returns the step id.

    Closing is refused to whoever recorded the fix unless ``settings`` (default: the
    ones installed beside the store) allow the same person."""
    if to_status not in STATUSES:
        raise LedgerError(f"没有“{to_status}”这一整改状态", f"unknown status {to_status!r}")
    if not (actor or "").strip():
        raise LedgerError("请填写经办人", "the person making the change is required")
    with store.reading() as conn:
        current = conn.execute(select(Problem.status).where(
            Problem.id == problem_id, Problem.deleted.is_(False))).scalar()
    if current is None:
        raise LedgerError(f"没有编号为 {problem_id} 的问题", f"no problem {problem_id}")
    if (current, to_status) not in TRANSITIONS:
        raise LedgerError(f"问题不能从“{current}”改为“{to_status}”",
                          f"a problem cannot go from {current} to {to_status}")
    note = (note or "").strip()
    if to_status == CLOSED:
        with store.reading() as conn:
            fixer = fixed_by(conn, problem_id)
        if fixer is not None and fixer == actor.strip():
            if settings is None:
                settings = load_settings(installed.settings_path(store.folder))
            if not settings.get("same_person_acceptance", 0):
                raise LedgerError(
                    f"整改由{fixer}登记，验收销号须由其他人进行；只有一名干部的村可在设置中"
                    "允许同一人验收（same_person_acceptance: 1）",
                    f"{fixer} recorded the fix, so someone else must accept and close it; a "
                    "village with one cadre may allow it (setting same_person_acceptance: 1)")
            note = f"{note}（{SAME_PERSON_NOTE}）" if note else SAME_PERSON_NOTE
    step = Insert("problem_step", {
        "problem_id": problem_id, "from_status": current, "to_status": to_status,
        "note": note or None, "actor": actor.strip(), "on": today})
    edits: list[Insert | Update] = [Update("problem", problem_id, {"status": to_status}), step]
    if photo is not None:  # copied first: a crash leaves a spare file, never a dangling row
        stored = photos.store_file(store.files, photo)
        edits.append(photos.photo_insert(stored, problem_step_id=step.id))
    store.write(edits)
    return step.id


def fixed_by(conn: Connection, problem_id: str) -> str | None:
    """Who recorded the problem's fix: the actor of its last move to 待验收."""
    return conn.execute(select(ProblemStep.actor).where(
        ProblemStep.problem_id == problem_id, ProblemStep.deleted.is_(False),
        ProblemStep.to_status == AWAITING).order_by(ProblemStep.id.desc()).limit(1)).scalar()


def assign(store: Store, problem_id: str, *, responsible: str | None = None,
           deadline: date | None = None) -> None:
    """Set who is responsible and by when (only the fields given)."""
    fields: dict[str, object] = {}
    if responsible is not None:
        fields["responsible"] = responsible.strip()
    if deadline is not None:
        fields["deadline"] = deadline
    if fields:
        store.write([Update("problem", problem_id, fields)])


def problems(conn: Connection, village_id: str | None = None, status: str | None = None,
             category: str | None = None, overdue_on: date | None = None) -> list[ProblemRow]:
    """The ledger, filtered; ``overdue_on`` keeps unclosed problems past their deadline
    on that day. Sorted by deadline (none last), then by when they were opened."""
    query = (select(Problem.id, Problem.household_id, Household.code, Household.village_id,
                    Problem.visit_id, Problem.form_id, Problem.rule_id, Problem.member_id,
                    Problem.category, Problem.severity, Problem.text, Problem.status,
                    Problem.deadline, Problem.responsible, Problem.opened_on)
             .join(Household, Household.id == Problem.household_id)
             .where(Problem.deleted.is_(False)))
    if village_id is not None:
        query = query.where(Household.village_id == village_id)
    if status is not None:
        query = query.where(Problem.status == status)
    if category is not None:
        query = query.where(Problem.category == category)
    if overdue_on is not None:
        query = query.where(Problem.status != CLOSED, Problem.deadline < overdue_on)
    query = query.order_by(Problem.deadline.is_(None), Problem.deadline, Problem.opened_on,
                           Problem.id)
    # SQLAlchemy types the first ten columns of a select and leaves the rest open, which
    # mypy cannot spread over ProblemRow's fields: the rows are read as plain tuples.
    rows: Iterable[tuple[Any, ...]] = conn.execute(query)
    return [ProblemRow(*row) for row in rows]


def categories(conn: Connection) -> list[str]:
    """The categories problems have been opened under, sorted (the ledger's filter)."""
    return sorted(conn.execute(select(Problem.category).where(Problem.deleted.is_(False))
                               .distinct()).scalars())


def problems_per_visit(conn: Connection, household_id: str) -> dict[str, int]:
    """Visit id -> how many problems it opened, for one household's visit history."""
    rows = conn.execute(select(Problem.visit_id, func.count()).where(
        Problem.household_id == household_id, Problem.deleted.is_(False))
        .group_by(Problem.visit_id)).all()
    return {visit_id: count for visit_id, count in rows if visit_id is not None}


def steps(conn: Connection, problem_id: str) -> list[StepRow]:
    """A problem's history, oldest first."""
    return [StepRow(*row) for row in conn.execute(
        select(ProblemStep.id, ProblemStep.from_status, ProblemStep.to_status,
               ProblemStep.note, ProblemStep.actor, ProblemStep.on)
        .where(ProblemStep.problem_id == problem_id, ProblemStep.deleted.is_(False))
        .order_by(ProblemStep.id))]


def open_problems_by_household(conn: Connection) -> dict[str, list[str]]:
    """Household id -> the severities of its problems not yet 已销号 (for the colours)."""
    found: dict[str, list[str]] = {}
    for household_id, severity in conn.execute(
            select(Problem.household_id, Problem.severity).where(
                Problem.deleted.is_(False), Problem.status != CLOSED)
            .order_by(Problem.household_id, Problem.id)):
        found.setdefault(household_id, []).append(severity)
    return found
