"""Next due visit per household by its status (issue 12 part 2: 监测对象 and 脱贫户 contacted
monthly and met at least quarterly, 一般农户 in the yearly 集中排查) and 本月待访."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings, load_settings
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


MONITORED = {"hh_type": "一般农户", "monitored": True, "monitor_category": "边缘易致贫户",
             "risk_eliminated": False}


def test_due_dates_follow_each_status_and_sort_by_overdue(store):
    ids = households(
        store,
        monitored=MONITORED,
        phoned=MONITORED,  # contacted last week by phone, last met in June
        eliminated={**MONITORED, "risk_eliminated": True},  # a 一般农户 again
        exited={"hh_type": "脱贫户"},
        plain={"hh_type": "一般农户"},
        screened={"hh_type": "一般农户"},
        never={"hh_type": "脱贫户"},
        never_plain={"hh_type": "一般农户"},
        new_monitored={"hh_type": "一般农户", "monitored": True,
                       "monitor_category": "突发严重困难户", "identified_on": date(2026, 10, 1)},
    )
    last = {ids["monitored"]: date(2026, 10, 1), ids["phoned"]: date(2026, 11, 3),
            ids["eliminated"]: date(2026, 10, 1), ids["exited"]: date(2026, 10, 20),
            ids["plain"]: date(2025, 6, 1), ids["screened"]: date(2026, 3, 1)}
    met = {**last, ids["phoned"]: date(2026, 6, 1)}
    with store.reading() as conn:
        listed = due_visits(conn, last, TODAY, DEFAULT_SETTINGS, face_to_face=met)
    due = {d.household_id: d for d in listed}
    assert due[ids["monitored"]].due_on == date(2026, 10, 31)  # contacted monthly
    assert due[ids["monitored"]].overdue_days == 10 and due[ids["monitored"]].monitored
    assert due[ids["monitored"]].status == "监测对象" and not due[ids["monitored"]].covered
    # met face to face at least quarterly: June + 90 days comes before the next contact
    assert (due[ids["phoned"]].due_on, due[ids["phoned"]].reason) == (date(2026, 8, 30), "入户")
    assert (due[ids["exited"]].status, due[ids["exited"]].due_on) == ("脱贫户", date(2026, 11, 19))
    assert due[ids["exited"]].covered
    # 一般农户: the yearly 集中排查, by the end of December, not every 90 days
    assert (due[ids["eliminated"]].status, due[ids["eliminated"]].due_on) == (
        "一般农户", date(2027, 12, 31))
    assert (due[ids["plain"]].due_on, due[ids["plain"]].covered) == (date(2026, 12, 31), False)
    assert (due[ids["screened"]].due_on, due[ids["screened"]].covered) == (
        date(2027, 12, 31), True)
    assert due[ids["never"]].due_on == TODAY and due[ids["never"]].never_visited
    assert due[ids["never_plain"]].due_on == date(2026, 12, 31)
    assert due[ids["new_monitored"]].due_on == date(2026, 10, 1)
    # never visited first (earliest due first among them), then the most overdue
    assert [d.household_id for d in listed] == [
        ids["new_monitored"], ids["never"], ids["never_plain"], ids["phoned"],
        ids["monitored"], ids["exited"], ids["plain"], ids["eliminated"], ids["screened"]]


def test_intervals_are_settings(store):
    ids = households(store, monitored={"hh_type": "脱贫户", "monitored": True,
                                       "monitor_category": "脱贫不稳定户"},
                     exited={"hh_type": "脱贫户"}, plain={"hh_type": "一般农户"})
    last = dict.fromkeys(ids.values(), TODAY - timedelta(days=20))
    met = dict.fromkeys(ids.values(), TODAY - timedelta(days=40))
    local = Settings({**DEFAULT_SETTINGS, "visit_days_monitored": 14,
                      "in_person_days_monitored": 60, "visit_days_exited": 60,
                      "in_person_days_exited": 45, "screening_month": 6})
    with store.reading() as conn:
        due = {d.household_id: d for d in due_visits(conn, last, TODAY, local,
                                                     face_to_face=met)}
    assert due[ids["monitored"]].due_on == TODAY - timedelta(days=6)  # contact, 14 days
    assert (due[ids["exited"]].due_on, due[ids["exited"]].reason) == (
        TODAY + timedelta(days=5), "入户")  # met 40 days ago, 45 at most
    assert due[ids["plain"]].due_on == date(2027, 6, 30)  # visited this year


def test_a_household_never_met_face_to_face_is_due_in_person_now(store):
    ids = households(store, exited={"hh_type": "脱贫户"})
    with store.reading() as conn:
        due, = due_visits(conn, {ids["exited"]: TODAY - timedelta(days=3)}, TODAY,
                          face_to_face={})
    assert (due.due_on, due.reason, due.covered) == (TODAY, "入户", False)


def test_an_older_settings_file_keeps_its_interval_for_the_exited(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("visit_days_other: 60\n", encoding="utf-8")
    assert load_settings(path)["visit_days_exited"] == 60


def test_this_month_lists_what_falls_due_by_month_end(store):
    kind = {"hh_type": "脱贫户"}
    ids = households(store, overdue=kind, later=kind, month_end=kind, next_month=kind)
    last = {ids["overdue"]: TODAY - timedelta(days=40),
            ids["month_end"]: date(2026, 11, 30) - timedelta(days=30),
            ids["next_month"]: date(2026, 12, 1) - timedelta(days=30),
            ids["later"]: TODAY - timedelta(days=25)}
    with store.reading() as conn:
        listed = [d.household_id for d in this_month(conn, last, TODAY)]
    assert listed == [ids["overdue"], ids["later"], ids["month_end"]]


def test_general_households_are_due_in_the_screening_month(store):
    ids = households(store, a={"hh_type": "一般农户"}, b={"hh_type": "一般农户"})
    last = {ids["b"]: date(2026, 4, 2)}
    with store.reading() as conn:
        assert this_month(conn, last, TODAY) == []  # November: the 集中排查 is in December
        december = [d.household_id for d in this_month(conn, last, date(2026, 12, 5))]
        october = Settings({**DEFAULT_SETTINGS, "screening_month": 10})
        late = this_month(conn, last, TODAY, october)
    assert december == [ids["a"]]  # b was screened in April
    assert [(d.household_id, d.overdue_days) for d in late] == [(ids["a"], 10)]


def test_this_month_in_december_and_by_village(store):
    ids = households(store, a={"hh_type": "脱贫户"})
    with store.reading() as conn:
        village = conn.exec_driver_sql("select village_id from household").scalar()
        assert [d.household_id for d in this_month(
            conn, {ids["a"]: date(2026, 11, 2)}, date(2026, 12, 5), village_id=village)] \
            == [ids["a"]]
        assert this_month(conn, {}, date(2026, 12, 5), village_id="elsewhere") == []


def test_demo_village_never_visited_is_due_by_status(demo_store):
    """Never visited: a 监测对象 since the day it was identified, a 脱贫户 today; a
    一般农户 only in the screening month."""
    day = date(2026, 11, 1)
    with demo_store.reading() as conn:
        due = this_month(conn, {}, day)
        homes = conn.execute(select(Household.id, Household.hh_type, Household.monitored,
                                    Household.risk_eliminated, Household.identified_on))
        expected = {hid: (day - entered).days if watched and not eliminated and entered else 0
                    for hid, hh_type, watched, eliminated, entered in homes
                    if (watched and not eliminated) or hh_type == "脱贫户"}
    assert {d.household_id: d.overdue_days for d in due} == expected
    assert max(expected.values()) > 0  # the demo's 监测对象 have waited since identification
    assert all(d.never_visited for d in due)
    assert [d.due_on for d in due] == sorted(d.due_on for d in due)  # longest waiting first
