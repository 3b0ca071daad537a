"""The roster model at county scale: 30,000 households (about 100,000 persons)."""

from __future__ import annotations

import random
import time

from PySide6.QtCore import Qt

from fieldvisit.qt.roster_model import RosterModel
from fieldvisit.roster.queries import HouseholdRow

HOUSEHOLDS = 30_000


# (户类型, monitored, 监测对象类别) as the demo and county rosters mix them
STATUSES = (("脱贫户", False, None), ("脱贫户", True, "脱贫不稳定户"),
            ("一般农户", True, "边缘易致贫户"), ("脱贫户", True, "突发严重困难户"),
            ("一般农户", False, None))


def county_rows(count: int = HOUSEHOLDS) -> list[HouseholdRow]:
    rng = random.Random(3)
    villages = [f"v{n}" for n in range(50)]
    rows = []
    for n in range(count):
        village = villages[n % len(villages)]
        rows.append(HouseholdRow(
            f"h{n:05d}", f"522727100{200 + n % 50:03d}{n:06d}", village,
            f"{village}g{n % 7}", f"户主{n}", rng.randint(1, 6),
            *rng.choices(STATUSES, (30, 4, 3, 3, 60))[0], "", f"责任人{n // 8}",
            f"139{n:08d}"))
    return rows


def timed(label: str, action) -> float:
    start = time.perf_counter()
    action()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed * 1000:.1f} ms")
    return elapsed


def test_thirty_thousand_households_load_filter_and_sort_quickly(qtmodeltester):
    rows = county_rows()
    model = RosterModel()
    assert timed("set_rows 30,000", lambda: model.set_rows(rows)) < 1.0
    assert model.rowCount() == HOUSEHOLDS and model.columnCount() == 7
    assert sum(r.size for r in rows) > 90_000
    assert model.data(model.index(0, 0)) == rows[0].code
    assert model.data(model.index(HOUSEHOLDS - 1, 6)) == rows[-1].phone

    assert timed("type filter", lambda: model.set_types(["脱贫户"])) < 1.0
    assert model.rowCount() == sum(r.hh_type == "脱贫户" for r in rows)
    assert timed("scope filter", lambda: model.set_scope(("village", "v7"))) < 1.0
    assert {model.data(model.index(r, 0))[9:12] for r in range(model.rowCount())} == {"207"}
    wanted = {r.id for r in rows[::97]}
    assert timed("search filter", lambda: model.set_matches(wanted)) < 1.0
    expected = [r for r in rows[::97] if r.village_id == "v7" and r.hh_type == "脱贫户"]
    assert model.rowCount() == len(expected)

    model.set_types(None)
    model.set_scope(None)
    model.set_matches(None)
    assert timed("sort by size", lambda: model.sort(2, Qt.SortOrder.DescendingOrder)) < 1.0
    sizes = [int(model.data(model.index(r, 2))) for r in range(0, HOUSEHOLDS, 1000)]
    assert sizes == sorted(sizes, reverse=True)
    assert model.visible_persons() == sum(r.size for r in rows)

    model.set_matches(set(list(wanted)[:40]))  # keep the model tester's walk short
    qtmodeltester.check(model)


def test_replacing_a_row_repaints_only_that_row(qtbot):
    rows = county_rows(100)
    model = RosterModel()
    model.set_rows(rows)
    changed = HouseholdRow(**{**{f: getattr(rows[5], f) for f in HouseholdRow.__slots__},
                              "phone": "13900000000"})
    with qtbot.waitSignal(model.dataChanged) as signal:
        model.replace_rows([changed])
    top, bottom = signal.args[:2]
    assert top.row() == bottom.row() == model.row_of(rows[5].id)
    assert model.data(model.index(top.row(), 6)) == "13900000000"
