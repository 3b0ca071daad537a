"""Household risk colours from open problems and monitoring status."""

from __future__ import annotations

import pytest

from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.quality.colours import (
    GREEN,
    LABELS,
    RED,
    YELLOW,
    colour_of,
    count_colours,
    household_colours,
)
from fieldvisit.store import Insert, Update


def households(store, **kinds: dict) -> dict[str, str]:
    """Write one household per keyword (its fields); name -> id."""
    village = Insert("village", {"name": "六硐村"})
    rows = {name: Insert("household", {"village_id": village.id, "code": f"hh-{name}",
                                       **fields})
            for name, fields in kinds.items()}
    store.write([village, *rows.values()])
    return {name: row.id for name, row in rows.items()}


@pytest.mark.parametrize(("severities", "monitored", "expected"), [
    ((), False, GREEN),
    ((), True, YELLOW),
    (("low",), False, YELLOW),
    (("medium", "low"), False, YELLOW),
    (("high",), False, RED),
    (("low", "high"), True, RED),
    (("low", "low", "medium"), False, RED),  # red_open_problems: 3
])
def test_colour_rule(severities, monitored, expected):
    assert colour_of(severities, monitored) == expected


def test_open_problem_count_for_red_is_a_setting():
    many = ("low",) * 5
    assert colour_of(many, False, Settings({**DEFAULT_SETTINGS, "red_open_problems": 6})) \
        == YELLOW
    assert colour_of(many, False, Settings({**DEFAULT_SETTINGS, "red_open_problems": 0})) \
        == YELLOW  # 0 turns the count rule off
    assert colour_of(many, False, Settings({**DEFAULT_SETTINGS, "red_open_problems": 5})) == RED


def test_household_colours_from_store(store):
    ids = households(
        store,
        plain={"hh_type": "一般农户"},
        lifted={"hh_type": "脱贫户"},
        monitored={"hh_type": "一般农户", "monitored": True, "monitor_category": "边缘易致贫户",
                   "risk_eliminated": False},
        eliminated={"hh_type": "脱贫户", "monitored": True, "monitor_category": "脱贫不稳定户",
                    "risk_eliminated": True},
        # risk_eliminated not recorded: still at risk
        unknown={"hh_type": "脱贫户", "monitored": True, "monitor_category": "突发严重困难户"},
        worrying={"hh_type": "一般农户"},
        gone={"hh_type": "一般农户"},
    )
    store.write([Update("household", ids["gone"], {"deleted": True})])
    open_problems = {ids["worrying"]: ["medium", "high"], ids["lifted"]: ["low"],
                     "no-such-household": ["high"]}
    with store.reading() as conn:
        colours = household_colours(conn, open_problems, DEFAULT_SETTINGS)
    assert colours == {
        ids["plain"]: GREEN, ids["lifted"]: YELLOW, ids["monitored"]: YELLOW,
        ids["eliminated"]: GREEN, ids["unknown"]: YELLOW, ids["worrying"]: RED,
    }
    assert count_colours(colours) == {RED: 1, YELLOW: 3, GREEN: 2}
    assert LABELS == {RED: "不放心", YELLOW: "基本放心", GREEN: "放心"}


def test_demo_village_without_problems_is_green_or_yellow_by_monitoring(demo_store):
    with demo_store.reading() as conn:
        colours = household_colours(conn, {})
        monitored = conn.exec_driver_sql(
            "select count(*) from household where monitored").scalar()
    counts = count_colours(colours)
    assert counts[RED] == 0
    assert counts[YELLOW] == monitored > 0
    assert counts[GREEN] == len(colours) - monitored
