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
from datetime import date, timedelta

from sqlalchemy import Connection, select

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.quality import rules, schedule
from fieldvisit.quality.colours import COLOURS
from fieldvisit.quality.status import colours_of, last_completed_visits
from fieldvisit.roster import queries
from fieldvisit.roster.vocab import HOUSEHOLD_TYPES, MONITOR_CATEGORIES
from fieldvisit.store import Store
from fieldvisit.store.models import Household
from fieldvisit.visits import ledger


@dataclass(frozen=True)
class VillageFacts:
    """The live households of one village (or all) with what is counted about them."""

    households: dict[str, queries.HouseholdRow]
    last_visits: dict[str, date]  # household id -> last completed visit (visited only)
    colours: dict[str, str]  # household id -> 红 | 黄 | 绿
    problems: list[ledger.ProblemRow]  # every status, 已销号 included

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
               settings: Mapping[str, float] = DEFAULT_SETTINGS) -> VillageFacts:
    households = {row.id: row for row in queries.household_rows(conn)
                  if village_id is None or row.village_id == village_id}
    last = last_completed_visits(conn)
    colours = colours_of(conn, settings)
    return VillageFacts(
        households,
        {hid: day for hid, day in last.items() if hid in households},
        {hid: colours[hid] for hid in households},
        [p for p in ledger.problems(conn, village_id=village_id) if p.household_id in households])


@dataclass(slots=True)
class DashboardData:
    households: int
    covered: int  # with a completed visit in the last visit_days_other days
    by_status: dict[str, int]
    by_colour: dict[str, int]
    open_by_category: dict[str, int]
    due: list[schedule.DueVisit]
    heads: dict[str, str] = field(default_factory=dict)
    villages: list[tuple[str, str]] = field(default_factory=list)


def dashboard_data(store: Store, village_id: str | None, today: date,
                   settings: Mapping[str, float] = DEFAULT_SETTINGS) -> DashboardData:
    """Every figure and list of the dashboard, for one village or all."""
    with store.reading() as conn:
        facts = read_facts(conn, village_id, settings)
        due = schedule.this_month(conn, facts.last_visits, today, settings, village_id)
        villages = [(v.id, v.name) for v in queries.village_tree(conn)]
    return DashboardData(
        households=len(facts.households),
        covered=facts.covered_since(today - timedelta(days=other_days(settings))),
        by_status=facts.by_status(), by_colour=facts.by_colour(),
        open_by_category=facts.open_by_category(), due=due,
        heads={d.household_id: facts.households[d.household_id].head for d in due},
        villages=villages)


def other_days(settings: Mapping[str, float]) -> int:
    """Days between visits to a household that is not monitored (coverage window)."""
    return int(settings.get("visit_days_other", DEFAULT_SETTINGS["visit_days_other"]))


def quality_problems(store: Store, village_id: str | None, today: date,
                     settings: Mapping[str, float] = DEFAULT_SETTINGS
                     ) -> tuple[list[rules.QualityProblem], dict[str, str]]:
    """The data-quality problems of one village or all, and household id -> head."""
    with store.reading() as conn:
        wanted = None
        if village_id is not None:
            wanted = [hid for (hid,) in conn.execute(select(Household.id).where(
                Household.deleted.is_(False), Household.village_id == village_id))]
        found = rules.check_roster(conn, today, settings, wanted)
        heads = {row.id: row.head for row in queries.household_rows(
            conn, {p.household_id for p in found})} if found else {}
    return found, heads
