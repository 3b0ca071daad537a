"""The village dashboard on the demo village: coverage, colour counts, 本月待访 order,
the data-quality tab filled by its worker; screenshot looked at."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.qt.bar_chart import BarChart
from fieldvisit.qt.dashboard import Dashboard
from fieldvisit.qt.ops import Ops
from fieldvisit.roster import queries
from fieldvisit.visits import visit

TODAY = date(2026, 11, 1)
WATER = {"area_type": "rich", "supply_type": "piped", "litres_household": 20,
         "water_quality": "ok", "tap_in_yard": True, "outage_days": 5}



def visited(store, formset, today=TODAY) -> str:
    with store.reading() as conn:
        household_id = queries.household_rows(conn)[0].id
    visit_id = visit.start(store, household_id, formset, "李四", today)
    for question, value in WATER.items():
        visit.save_answer(store, visit_id, "water", "", question, value)
    visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, "李四", "户主签字", "户主", today)
    return household_id


def shown_dashboard(qtbot, store, today=TODAY) -> Dashboard:
    board = Dashboard(Ops(store), today=today)
    qtbot.addWidget(board)
    board.resize(1200, 760)
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.show()
    qtbot.waitUntil(lambda: not board.is_loading(), timeout=10_000)
    return board


def test_figures_after_one_completed_visit(qtbot, demo_store, formset):
    before = shown_dashboard(qtbot, demo_store)
    assert (before.data.covered, before.data.households) == (0, 60)
    due_before = len(before.data.due)
    household_id = visited(demo_store, formset)
    board = shown_dashboard(qtbot, demo_store)
    data = board.data
    assert (data.covered, data.households) == (1, 60)
    assert "1 / 60" in board.coverage_label.text()
    assert sum(data.by_colour.values()) == 60
    assert data.by_colour["红"] >= 1  # the household with too little water
    assert sum(data.by_status.values()) == 60
    assert data.open_by_category == {"饮水安全": 1}
    assert board.category_chart.items() == [("饮水安全", 1)]
    assert [v for _label, v in board.colour_chart.items()] == [
        data.by_colour[c] for c in ("红", "黄", "绿")]
    # 本月待访: the visited household is no longer due this month; the rest, most overdue first
    assert household_id not in {d.household_id for d in data.due}
    assert len(data.due) == due_before - 1
    keys = [(d.last_visit is not None, d.due_on, d.household_code) for d in data.due]
    assert keys == sorted(keys)
    assert board.due_model.rowCount() == len(data.due)
    assert board.due_model.household_id(0) == data.due[0].household_id
    with qtbot.waitSignal(board.household_chosen) as chosen:
        board.due_table.doubleClicked.emit(board.due_model.index(0, 0))
    assert chosen.args == [data.due[0].household_id]


def test_the_quality_tab_fills_from_its_worker(qtbot, demo_store):
    board = shown_dashboard(qtbot, demo_store)
    assert board.quality_model.rowCount() == 0  # not run until the tab is shown
    with qtbot.waitSignal(board.quality_loaded, timeout=20_000) as loaded:
        board.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not board.is_loading(), timeout=10_000)
    assert board.quality_model.rowCount() == loaded.args[0] > 0
    first = board.quality_model.household_id(0)
    with qtbot.waitSignal(board.household_chosen) as chosen:
        board.quality_table.doubleClicked.emit(board.quality_model.index(0, 4))
    assert chosen.args == [first]
    assert board.quality_model.data(board.quality_model.index(0, 4))  # the message


def test_bar_chart_sizes_itself_for_its_items(qtbot):
    chart = BarChart("标题")
    qtbot.addWidget(chart)
    small = chart.sizeHint().height()
    chart.set_items([("甲", 3, None), ("乙", 0, "#ff0000"), ("丙", 1.5, None)])
    assert chart.sizeHint().height() > small
    assert chart.items() == [("甲", 3), ("乙", 0), ("丙", 1.5)]
    chart.resize(300, chart.sizeHint().height())
    assert not chart.grab().isNull()


def test_screenshot_of_the_dashboard(qtbot, demo_store, formset, screenshots):
    from fieldvisit.qt.app import apply_style
    from fieldvisit.qt.fonts import apply_application_font

    app = QApplication.instance()
    apply_application_font(app)
    apply_style(app)
    visited(demo_store, formset)
    board = shown_dashboard(qtbot, demo_store, today=date(2026, 11, 20))
    qtbot.wait(50)
    assert board.grab().save(str(screenshots / "dashboard.png"))
