"""Next due visit per household and the 本月待访 list."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.quality.schedule import due_visits, this_month
from fieldvisit.store import Insert
from fieldvisit.store.models import Household

TODAY = date(2026, 11, 10)


def households(store, **kinds: dict) -> dict[str, str]:
    village = Insert("village", {"name": "新寨村"})
    rows = {name: Insert("household", {"village_id": village.id, "code": f"hh-{name}",
                                       **fields})
            for name, fields in kinds.items()}
    store.write([village, *rows.values()])
    return {name: row.id for name, row in rows.items()}


def test_due_dates_follow_the_intervals_and_sort_by_overdue(store):
    ids = households(
        store,
        monitored={"hh_type": "一般农户",
                   "monitored": True, "monitor_category": "边缘易致贫户", "risk_eliminated": False},
        eliminated={"hh_type": "一般农户",
                    "monitored": True, "monitor_category": "边缘易致贫户", "risk_eliminated": True},
        plain={"hh_type": "一般农户"},
        never={"hh_type": "脱贫户"},
        new_monitored={"hh_type": "一般农户", "monitored": True,
                       "monitor_category": "突发严重困难户", "identified_on": date(2026, 10, 1)},
    )
    last = {ids["monitored"]: date(2026, 10, 1), ids["eliminated"]: date(2026, 10, 1),
            ids["plain"]: date(2026, 6, 1)}
    with store.reading() as conn:
        due = {d.household_id: d for d in due_visits(conn, last, TODAY, DEFAULT_SETTINGS)}
        order = [d.household_id for d in due_visits(conn, last, TODAY)]
    assert due[ids["monitored"]].due_on == date(2026, 10, 31)  # 30 days
    assert due[ids["monitored"]].overdue_days == 10 and due[ids["monitored"]].monitored
    assert due[ids["eliminated"]].due_on == date(2026, 12, 30)  # 90 days: risk eliminated
    assert due[ids["plain"]].due_on == date(2026, 8, 30)
    assert due[ids["plain"]].overdue_days == (TODAY - date(2026, 8, 30)).days
    assert due[ids["never"]].due_on == TODAY and due[ids["never"]].never_visited
    assert due[ids["new_monitored"]].due_on == date(2026, 10, 1)
    # never visited first (earliest due first among them), then the most overdue
    assert order == [ids["new_monitored"], ids["never"], ids["plain"], ids["monitored"],
                     ids["eliminated"]]


def test_intervals_are_settings(store):
    ids = households(store, monitored={"hh_type": "脱贫户", "monitored": True,
                                       "monitor_category": "脱贫不稳定户"},
                     plain={"hh_type": "一般农户"})
    last = dict.fromkeys(ids.values(), TODAY - timedelta(days=20))
    weekly = Settings({**DEFAULT_SETTINGS, "visit_days_monitored": 14, "visit_days_other": 60})
    with store.reading() as conn:
        due = {d.household_id: d.due_on for d in due_visits(conn, last, TODAY, weekly)}
    assert due == {ids["monitored"]: TODAY - timedelta(days=6),
                   ids["plain"]: TODAY + timedelta(days=40)}


def test_this_month_lists_what_falls_due_by_month_end(store):
    ids = households(store, overdue={"hh_type": "一般农户"}, later={"hh_type": "一般农户"},
                     month_end={"hh_type": "一般农户"}, next_month={"hh_type": "一般农户"})
    last = {ids["overdue"]: TODAY - timedelta(days=100),
            ids["month_end"]: date(2026, 11, 30) - timedelta(days=90),
            ids["next_month"]: date(2026, 12, 1) - timedelta(days=90),
            ids["later"]: TODAY - timedelta(days=85)}
    with store.reading() as conn:
        listed = [d.household_id for d in this_month(conn, last, TODAY)]
    assert listed == [ids["overdue"], ids["later"], ids["month_end"]]


def test_this_month_in_december_and_by_village(store):
    ids = households(store, a={"hh_type": "一般农户"})
    with store.reading() as conn:
        village = conn.exec_driver_sql("select village_id from household").scalar()
        assert [d.household_id for d in this_month(
            conn, {ids["a"]: date(2026, 10, 2)}, date(2026, 12, 5), village_id=village)] \
            == [ids["a"]]
        assert this_month(conn, {}, date(2026, 12, 5), village_id="elsewhere") == []


def test_demo_village_never_visited_is_all_due(demo_store):
    """Never visited: due today, or a 监测对象 since the day it was identified."""
    day = date(2026, 11, 1)
    with demo_store.reading() as conn:
        due = this_month(conn, {}, day)
        homes = conn.execute(select(Household.id, Household.monitored,
                                    Household.identified_on))
        expected = {hid: (day - entered).days if monitored else 0
                    for hid, monitored, entered in homes}
    assert {d.household_id: d.overdue_days for d in due} == expected
    assert max(expected.values()) > 0  # the demo's 监测对象 have waited since identification
    assert all(d.never_visited for d in due)
    assert [d.due_on for d in due] == sorted(d.due_on for d in due)  # longest waiting first
