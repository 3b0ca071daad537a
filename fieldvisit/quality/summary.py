"""A village's (or the whole roster's) figures: the dashboard shows them, the printed
village report (cards/village_report.py) prints them.

Both count from the same ``VillageFacts``, read in one go, so the screen and the paper
never disagree about coverage, types, colours or open problems. No Qt here: the
dashboard calls these inside a ``workers.Worker`` job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, select

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.quality import dismissals, rules, schedule
from fieldvisit.quality.colours import COLOURS
from fieldvisit.quality.status import (
    colours_of,
    last_completed_visits,
    last_face_to_face,
    surveyed_since,
)
from fieldvisit.roster import queries
from fieldvisit.roster.vocab import HOUSEHOLD_TYPES, MONITOR_CATEGORIES
from fieldvisit.store import Store
from fieldvisit.store.models import Household
from fieldvisit.visits import ledger


@dataclass(frozen=True)
class VillageFacts:
    """The live households of one village (or all) with what is counted about them."""

    households: dict[str, queries.HouseholdRow]
    last_visits: dict[str, date]  # household id -> last contact: a visit of any kind
    colours: dict[str, str]  # household id -> 红 | 黄 | 绿
    problems: list[ledger.ProblemRow]  # every status, 已销号 included
    face_to_face: dict[str, date] = field(default_factory=dict)  # last signed visit
    surveyed: set[str] = field(default_factory=set)  # this year's 遍访 by a secretary

    def covered_since(self, day: date) -> int:
        """Households whose last completed visit is on or after ``day``."""
        return sum(1 for last in self.last_visits.values() if last >= day)

    def by_status(self, *, persons: bool = False) -> dict[str, int]:
        """Status (a monitored household's category, else its 户类型) -> households (or
        their members): every household counted once, the national words first."""
        counts = Counter[str]()
        for row in self.households.values():
            counts[row.status] += row.size if persons else 1
        ordered = {kind: counts.get(kind, 0) for kind in (*HOUSEHOLD_TYPES, *MONITOR_CATEGORIES)}
        ordered.update({kind: n for kind, n in counts.items() if kind not in ordered})
        return ordered

    def by_colour(self, *, persons: bool = False) -> dict[str, int]:
        """红/黄/绿 -> households (or their members), every colour present."""
        counts = dict.fromkeys(COLOURS, 0)
        for hid, row in self.households.items():
            counts[self.colours[hid]] += row.size if persons else 1
        return counts

    def open_problems(self) -> list[ledger.ProblemRow]:
        return [p for p in self.problems if p.status != ledger.CLOSED]

    def open_by_category(self) -> dict[str, int]:
        """Category -> problems not yet 已销号, the largest first."""
        return dict(Counter(p.category for p in self.open_problems()).most_common())


def read_facts(conn: Connection, village_id: str | None,
               settings: Mapping[str, float] = DEFAULT_SETTINGS,
               today: date | None = None) -> VillageFacts:
    """The facts counted on ``today`` (default: the real today): 遍访 since 1 January."""
    households = {row.id: row for row in queries.household_rows(conn)
                  if village_id is None or row.village_id == village_id}
    last = last_completed_visits(conn)
    met = last_face_to_face(conn)
    colours = colours_of(conn, settings)
    year_start = (today or date.today()).replace(month=1, day=1)
    return VillageFacts(
        households,
        {hid: day for hid, day in last.items() if hid in households},
        {hid: colours[hid] for hid in households},
        [p for p in ledger.problems(conn, village_id=village_id) if p.household_id in households],
        {hid: day for hid, day in met.items() if hid in households},
        surveyed_since(conn, year_start) & households.keys())


@dataclass(slots=True)
class DashboardData:
    households: int
    covered: int  # visited as their status requires (quality.schedule), on the day asked
    by_status: dict[str, int]
    by_colour: dict[str, int]
    open_by_category: dict[str, int]
    due: list[schedule.DueVisit]
    heads: dict[str, str] = field(default_factory=dict)
    villages: list[tuple[str, str]] = field(default_factory=list)
    surveyed: int = 0  # 遍访 by the secretary or 第一书记 this year (遍访率)
    # schedule status (监测对象, 脱贫户, 一般农户) -> (visited as required, households)
    by_norm: dict[str, tuple[int, int]] = field(default_factory=dict)


def dashboard_data(store: Store, village_id: str | None, today: date,
                   settings: Mapping[str, float] = DEFAULT_SETTINGS) -> DashboardData:
    """Every figure and list of the dashboard, for one village or all."""
    with store.reading() as conn:
        facts = read_facts(conn, village_id, settings, today)
        every = schedule.due_visits(conn, facts.last_visits, today, settings, village_id,
                                    facts.face_to_face)
        villages = [(v.id, v.name) for v in queries.village_tree(conn)]
    due = schedule.due_this_month(every, today)
    return DashboardData(
        households=len(facts.households), covered=sum(d.covered for d in every),
        by_status=facts.by_status(), by_colour=facts.by_colour(),
        open_by_category=facts.open_by_category(), due=due,
        heads={d.household_id: facts.households[d.household_id].head for d in due},
        villages=villages, surveyed=len(facts.surveyed), by_norm=coverage_by_norm(every))


def coverage_by_norm(every: list[schedule.DueVisit]) -> dict[str, tuple[int, int]]:
    """Schedule status -> (households visited as it requires, households), every
    status listed."""
    return {status: (sum(d.covered for d in every if d.status == status),
                     sum(1 for d in every if d.status == status))
            for status in schedule.STATUSES}


def quality_problems(store: Store, village_id: str | None, today: date,
                     settings: Mapping[str, float] = DEFAULT_SETTINGS
                     ) -> tuple[list[rules.QualityProblem], dict[str, str]]:
    """The data-quality problems still to fix of one village or all (those checked and
    found right are not counted: ``quality_review`` has them), and household id -> head."""
    reviewed, heads = quality_review(store, village_id, today, settings)
    return reviewed.counted, heads


def quality_review(store: Store, village_id: str | None, today: date,
                   settings: Mapping[str, float] = DEFAULT_SETTINGS
                   ) -> tuple[dismissals.Reviewed, dict[str, str]]:
    """Every data-quality problem of one village or all, split into those to fix and
    those found right (核实无误), and household id -> head."""
    with store.reading() as conn:
        wanted = None
        if village_id is not None:
            wanted = [hid for (hid,) in conn.execute(select(Household.id).where(
                Household.deleted.is_(False), Household.village_id == village_id))]
        found = rules.check_roster(conn, today, settings, wanted)
        reviewed = dismissals.review(conn, found)
        heads = {row.id: row.head for row in queries.household_rows(
            conn, {p.household_id for p in found})} if found else {}
    return reviewed, heads
