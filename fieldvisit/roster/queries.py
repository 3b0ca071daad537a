"""Read-side views of the roster for the main window, the CLI and exports.

Plain Core selects returning small dataclasses: the roster table must list 30,000
households (100,000 persons) quickly, so nothing here goes through ORM objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, func, select

from fieldvisit.idcard import age_on
from fieldvisit.roster.membership import CURRENT
from fieldvisit.roster.vocab import HEAD, MONITORED, status_label
from fieldvisit.store.changes import by_ids
from fieldvisit.store.models import (
    CaseStep,
    County,
    HelperAssignment,
    Household,
    Measure,
    Member,
    MonitorCase,
    Problem,
    ProblemStep,
    QualityDismissal,
    Township,
    Village,
    VillageGroup,
    Visit,
    VisitAnswer,
    table_of,
)


@dataclass(slots=True)
class GroupNode:
    id: str
    name: str
    households: int


@dataclass(slots=True)
class VillageNode:
    id: str
    name: str
    code: str | None
    households: int
    groups: list[GroupNode] = field(default_factory=list)


@dataclass(slots=True)
class HouseholdRow:
    """One line of the roster table."""

    id: str
    code: str
    village_id: str
    group_id: str | None
    head: str
    size: int
    hh_type: str
    monitored: bool
    monitor_category: str | None
    risk_types: str
    helper: str
    phone: str

    @property
    def status(self) -> str:
        """What the roster table shows: the category of a monitored household, else its
        户类型 (``vocab.status_label``)."""
        return status_label(self.hh_type, self.monitored, self.monitor_category, short=True)

    @property
    def status_full(self) -> str:
        return status_label(self.hh_type, self.monitored, self.monitor_category)

    @property
    def status_words(self) -> frozenset[str]:
        """The words a filter matches: the 户类型, and when monitored 监测对象 and the
        category (a 脱贫户 that is a 突发严重困难户 is found under both)."""
        if not self.monitored:
            return frozenset({self.hh_type})
        return frozenset({self.hh_type, MONITORED, self.monitor_category or MONITORED})


def village_tree(conn: Connection) -> list[VillageNode]:
    counts = dict(
        conn.execute(
            select(Household.group_id, func.count())
            .where(Household.deleted.is_(False))
            .group_by(Household.group_id)
        ).all()
    )
    per_village = dict(
        conn.execute(
            select(Household.village_id, func.count())
            .where(Household.deleted.is_(False))
            .group_by(Household.village_id)
        ).all()
    )
    villages = {
        v.id: VillageNode(v.id, v.name, v.code, per_village.get(v.id, 0))
        for v in conn.execute(
            select(Village.id, Village.name, Village.code)
            .where(Village.deleted.is_(False))
            .order_by(Village.code, Village.name)
        )
    }
    for g in conn.execute(
        select(VillageGroup.id, VillageGroup.village_id, VillageGroup.name)
        .where(VillageGroup.deleted.is_(False))
        .order_by(VillageGroup.name)
    ):
        if g.village_id in villages:
            villages[g.village_id].groups.append(GroupNode(g.id, g.name, counts.get(g.id, 0)))
    for node in villages.values():
        node.groups.sort(key=lambda grp: _natural_key(grp.name))
    return list(villages.values())


def _natural_key(text: str) -> tuple[int, str]:
    digits = "".join(ch for ch in text if ch.isdigit())
    return (int(digits) if digits else 1 << 30, text)


def household_rows(
    conn: Connection, household_ids: Iterable[str] | None = None
) -> list[HouseholdRow]:
    """Live households (all, or these) with head, size and the head's phone, in one
    aggregate query: the roster of a township (100,000 persons) must load in well under
    a second, and one edited household's line comes from the same rule."""
    live = (Member.household_id == Household.id) & CURRENT
    is_head = Member.relation == HEAD
    query = (
        select(
            Household.id, Household.code, Household.village_id, Household.group_id,
            func.coalesce(func.max(case((is_head, Member.name))), func.min(Member.name)),
            func.count(Member.id), Household.hh_type, Household.monitored,
            Household.monitor_category, Household.risk_types,
            Household.helper_name, func.max(case((is_head, Member.phone))),
        )
        .outerjoin(Member, live)
        .where(Household.deleted.is_(False))
        .group_by(Household.id)
        .order_by(Household.code)
    )
    if household_ids is not None:
        query = query.where(Household.id.in_(list(household_ids)))
    return [
        HouseholdRow(hid, code, village, group, head or "", size, hh_type, bool(monitored),
                     category, risks or "", helper or "", phone or "")
        for hid, code, village, group, head, size, hh_type, monitored, category, risks,
        helper, phone in conn.execute(query)
    ]


@dataclass(slots=True)
class MemberView:
    id: str
    name: str
    id_number: str | None
    relation: str | None
    sex: str | None
    birth_date: date | None
    age: int | None
    health: str | None
    schooling: str | None
    labour_skill: str | None
    phone: str | None
    values: dict[str, Any]  # the member row, every column


def household(conn: Connection, household_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(Household).where(Household.id == household_id)).mappings().first()
    return dict(row) if row else None


def members(conn: Connection, household_id: str, today: date | None = None, *,
            include_former: bool = False) -> list[MemberView]:
    """Current members of a household, head first; age counted from the birth date in
    the ID. ``include_former`` adds those who left (死亡, 婚出, 分户 …) after them, for
    the panel, which shows them greyed."""
    today = today or date.today()
    rows = conn.execute(
        select(Member).where(Member.household_id == household_id,
                             Member.deleted.is_(False) if include_former else CURRENT)
    ).mappings()
    views = [
        MemberView(
            r["id"], r["name"], r["id_number"], r["relation"], r["sex"], r["birth_date"],
            age_on(r["birth_date"], today) if r["birth_date"] else None,
            r["health"], r["schooling"], r["labour_skill"], r["phone"], dict(r),
        )
        for r in rows
    ]
    views.sort(key=lambda v: (v.values.get("left_on") is not None, v.relation != HEAD,
                              v.birth_date or date.max))
    return views


def household_as_judged(conn: Connection, household_id: str
                        ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The household's row and its live members' rows, every column: what the
    checklists' rules read about a family (``checklist.findings.household_context``)."""
    household = conn.execute(select(table_of(Household)).where(
        Household.id == household_id)).mappings().one()
    people = conn.execute(select(table_of(Member)).where(
        Member.household_id == household_id, CURRENT)
        .order_by(Member.id)).mappings()
    return dict(household), [dict(person) for person in people]


def village_name(conn: Connection, code: str) -> str:
    """The name of the village with this 12-digit code ("" when this store lacks it)."""
    return conn.execute(select(Village.name).where(Village.code == code)
                        ).scalar_one_or_none() or ""


def household_count(conn: Connection) -> int:
    return conn.execute(
        select(func.count()).select_from(Household).where(Household.deleted.is_(False))
    ).scalar_one()


def full_address(conn: Connection, household_id: str) -> str:
    """县 + 乡镇 + 村 + the household's address (or its 村民小组 when it has none), as
    printed on cards and shown in the household panel."""
    row = conn.execute(
        select(County.name, Township.name, Village.name, VillageGroup.name, Household.address)
        .select_from(Household)
        .join(Village, Village.id == Household.village_id)
        .outerjoin(Township, Township.id == Village.township_id)
        .outerjoin(County, County.id == Township.county_id)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(Household.id == household_id)
    ).first()
    if row is None:
        return ""
    county, township, village, group, address = row
    return "".join(part or "" for part in (county, township, village, address or group))


def id_number_holder(conn: Connection, number: str, except_member: str) -> tuple[str, str] | None:
    """(name, 户编号) of another live member already holding this ID number, if any."""
    row = conn.execute(
        select(Member.name, Household.code)
        .join(Household, Household.id == Member.household_id)
        .where(Member.id_number == number, Member.id != except_member,
               Member.deleted.is_(False))
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


# How a row of each entity finds its household: (household id column, the row's id
# column[, the join between them]).
_HOUSEHOLD_OF: dict[str, tuple[Any, ...]] = {
    "member": (Member.household_id, Member.id),
    "visit": (Visit.household_id, Visit.id),
    "problem": (Problem.household_id, Problem.id),
    "measure": (Measure.household_id, Measure.id),
    "visit_answer": (Visit.household_id, VisitAnswer.id, Visit.id == VisitAnswer.visit_id),
    "problem_step": (Problem.household_id, ProblemStep.id,
                     Problem.id == ProblemStep.problem_id),
    "monitor_case": (MonitorCase.household_id, MonitorCase.id),
    "case_step": (MonitorCase.household_id, CaseStep.id, MonitorCase.id == CaseStep.case_id),
    "helper_assignment": (HelperAssignment.household_id, HelperAssignment.id),
    "quality_dismissal": (QualityDismissal.household_id, QualityDismissal.id),
}


def households_of(conn: Connection, rows: dict[str, set[str]]) -> set[str]:
    """The households that rows (ids by entity) belong to: what a screen showing
    households must redraw after they changed. Rows above households count for none."""
    found: set[str] = set()
    for entity, ids in rows.items():
        if entity == "household":
            found |= ids
        elif entity in _HOUSEHOLD_OF:
            household, key, *join = _HOUSEHOLD_OF[entity]
            query = select(household)
            if join:
                query = query.select_from(key.class_).join(household.class_, join[0])
            for result in by_ids(conn, query, key, sorted(ids)):
                found.update(result.scalars())
    return found
