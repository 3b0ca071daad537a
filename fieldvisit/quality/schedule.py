"""When each household is next due for a visit, and the 本月待访 list.

A 监测对象 not yet 风险消除 is due ``visit_days_monitored`` days (default 30) after its
last completed visit, every other household ``visit_days_other`` days (default 90) after.
A household never visited is due at once: its due date is its entry into monitoring
(纳入监测时间) when known, else today, and it sorts before every visited household, since
nobody has seen it yet. Lists are sorted by how overdue: the earliest due date first, then
by 户编号.

Last visits come in as a mapping household id -> date of the last completed visit (the
visits module knows them); this module reads only the household table, in one select.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, select

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.store.models import Household


@dataclass(frozen=True, slots=True)
class DueVisit:
    household_id: str
    household_code: str
    village_id: str
    monitored: bool  # 监测对象 not yet 风险消除: the monthly interval applies
    last_visit: date | None
    due_on: date
    overdue_days: int  # days past due on the day asked (0 or negative: not yet overdue)

    @property
    def never_visited(self) -> bool:
        return self.last_visit is None


def due_visits(conn: Connection, last_visits: Mapping[str, date], today: date,
               settings: Mapping[str, float] = DEFAULT_SETTINGS,
               village_id: str | None = None) -> list[DueVisit]:
    """Every live household (of one village, if given) with its next due date, most
    overdue first."""
    monitored_days = int(settings.get("visit_days_monitored",
                                      DEFAULT_SETTINGS["visit_days_monitored"]))
    other_days = int(settings.get("visit_days_other", DEFAULT_SETTINGS["visit_days_other"]))
    query = select(Household.id, Household.code, Household.village_id, Household.monitored,
                   Household.risk_eliminated, Household.identified_on
                   ).where(Household.deleted.is_(False))
    if village_id is not None:
        query = query.where(Household.village_id == village_id)
    due = []
    for hid, code, village, watched, eliminated, entered in conn.execute(query):
        monitored = watched and not eliminated
        last = last_visits.get(hid)
        if last is None:
            due_on = min(entered, today) if monitored and entered else today
        else:
            due_on = last + timedelta(days=monitored_days if monitored else other_days)
        due.append(DueVisit(hid, code, village, monitored, last, due_on,
                            (today - due_on).days))
    due.sort(key=lambda d: (d.last_visit is not None, d.due_on, d.household_code))
    return due


def this_month(conn: Connection, last_visits: Mapping[str, date], today: date,
               settings: Mapping[str, float] = DEFAULT_SETTINGS,
               village_id: str | None = None) -> list[DueVisit]:
    """本月待访: households due on or before the last day of today's month, most overdue
    first."""
    end = _month_end(today)
    return [d for d in due_visits(conn, last_visits, today, settings, village_id)
            if d.due_on <= end]


def _month_end(day: date) -> date:
    first_next = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return first_next - timedelta(days=1)
