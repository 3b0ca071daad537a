"""The 问题整改台账 view on the demo village: a real visit's findings listed, filtered,
and followed to 已销号 through the buttons and the dialog; screenshot looked at."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.qt.ledger_view import LedgerView
from fieldvisit.qt.main_window import DASHBOARD_TAB, LEDGER_TAB
from fieldvisit.qt.ops import Ops
from fieldvisit.qt.roster_model import COLOUR_COLUMN, RosterModel
from fieldvisit.quality.status import load_colours
from fieldvisit.roster import queries
from fieldvisit.visits import ledger, visit

TODAY = date(2026, 11, 1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
WATER = {"area_type": "rich", "supply_type": "piped", "litres_household": 20,
         "water_quality": "ok", "tap_in_yard": True, "outage_days": 5}



def visit_with_water_problem(store, formset, today=TODAY) -> tuple[str, list[str]]:
    """Complete a visit on the first demo household with too little water: one problem."""
    with store.reading() as conn:
        household_id = queries.household_rows(conn)[0].id
    visit_id = visit.start(store, household_id, formset, "李四", today)
    for question, value in WATER.items():
        visit.save_answer(store, visit_id, "water", "", question, value)
    opened = visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, "李四", "户主签字",
                            "户主", today)
    return household_id, opened


def shown_view(qtbot, store, **kwargs) -> LedgerView:
    view = LedgerView(Ops(store), today=kwargs.pop("today", TODAY), **kwargs)
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=10_000)
    return view


def reloaded(qtbot, view, action) -> None:
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        action()
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=10_000)


def test_a_visit_finding_is_listed_filtered_and_followed_to_closed(qtbot, demo_store,
                                                                   formset, tmp_path):
    household_id, opened = visit_with_water_problem(demo_store, formset)
    assert len(opened) == 1
    problem_id = opened[0]
    view = shown_view(qtbot, demo_store)
    assert view.model.rowCount() == 1
    row = view.model.problem(0)
    assert (row.id, row.category, row.status) == (problem_id, "饮水安全", "待整改")
    assert view.model.data(view.model.index(0, 3)) == "高"
    assert view.model.data(view.model.index(0, 3), Qt.ItemDataRole.BackgroundRole) is not None

    # Filters: category, status, overdue
    reloaded(qtbot, view, lambda: view.category_filter.setCurrentIndex(
        view.category_filter.findData("饮水安全")))
    assert view.model.rowCount() == 1
    reloaded(qtbot, view, lambda: view.status_filter.setCurrentIndex(
        view.status_filter.findData("已销号")))
    assert view.model.rowCount() == 0
    reloaded(qtbot, view, lambda: view.status_filter.setCurrentIndex(
        view.status_filter.findData("待整改")))
    assert view.model.rowCount() == 1
    reloaded(qtbot, view, lambda: view.overdue_only.setChecked(True))
    assert view.model.rowCount() == 0  # deadline is 30 days after the visit
    reloaded(qtbot, view, lambda: view.overdue_only.setChecked(False))
    reloaded(qtbot, view, lambda: view.status_filter.setCurrentIndex(0))  # 全部状态

    # Double-click names the household
    with qtbot.waitSignal(view.household_chosen) as chosen:
        view.table.doubleClicked.emit(view.model.index(0, 0))
    assert chosen.args == [household_id]

    # 待整改 → 整改中 → 待验收 → 已销号 through the buttons and the dialog
    view.select_problem(problem_id)
    photo = tmp_path / "after.png"
    photo.write_bytes(PNG)
    notes = {"整改中": "已联系水务站", "待验收": "新水管已接通", "已销号": "验收合格"}
    offered = {"整改中": ["整改中"], "待验收": ["待验收"], "已销号": ["整改中", "已销号"]}
    for to_status, note in notes.items():
        # only the moves ledger.TRANSITIONS allows are offered (待验收 may fail: 整改中)
        assert list(view.advance_buttons) == offered[to_status]
        qtbot.mouseClick(view.advance_buttons[to_status], Qt.MouseButton.LeftButton)
        dialog = view.dialog
        assert dialog is not None and dialog.isVisible()
        dialog.note.setPlainText(note)
        if to_status == "待验收":
            dialog.set_photo(photo)
        if to_status == "已销号":
            dialog.actor.setText("王五")  # 验收 by someone other than who recorded the fix
        reloaded(qtbot, view, dialog.accept)
        assert view.current_problem().status == to_status
    with demo_store.reading() as conn:
        steps = ledger.steps(conn, problem_id)
    assert [(s.from_status, s.to_status, s.note) for s in steps] == [
        (None, "待整改", "走访查摆发现"), ("待整改", "整改中", "已联系水务站"),
        ("整改中", "待验收", "新水管已接通"), ("待验收", "已销号", "验收合格")]
    assert view.steps_table.rowCount() == 4
    assert view.steps_table.item(2, 4).text() == "1"  # the evidence photo
    # from 已销号 only reopening is offered
    assert list(view.advance_buttons) == ["整改中"]


def test_the_dialog_keeps_a_refused_move_open_with_the_reason(qtbot, demo_store, formset):
    _household, (problem_id,) = visit_with_water_problem(demo_store, formset)
    view = shown_view(qtbot, demo_store)
    view.select_problem(problem_id)
    dialog = view.open_advance("整改中")
    dialog.actor.setText("  ")  # nobody named: ledger.advance refuses
    dialog.accept()
    assert dialog.isVisible() and "经办人" in dialog.error.text()
    with demo_store.reading() as conn:
        assert len(ledger.steps(conn, problem_id)) == 1


def test_roster_colour_column_and_filter(qtbot, demo_store, formset):
    household_id, _opened = visit_with_water_problem(demo_store, formset)
    colours = load_colours(demo_store)
    assert colours[household_id] == "红"  # a high-severity open problem
    with demo_store.reading() as conn:
        rows = queries.household_rows(conn)
    model = RosterModel()
    model.set_rows(rows)
    assert model.columnCount() == 7  # no colours yet: the column is not shown
    model.set_colours(colours)
    assert model.columnCount() == 8 and COLOUR_COLUMN == 7
    assert model.headerData(7, Qt.Orientation.Horizontal) == "风险颜色"
    row = model.row_of(household_id)
    assert model.data(model.index(row, 7)) == "红"
    assert model.data(model.index(row, 7), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(row, 0)) == rows[0].code  # earlier columns unchanged
    for colour in ("红", "黄", "绿"):
        model.set_colour_filter(colour)
        assert model.rowCount() == sum(c == colour for c in colours.values())
    model.set_colour_filter(None)
    assert model.rowCount() == len(rows)
    model.sort(7, Qt.SortOrder.AscendingOrder)
    shown = [model.data(model.index(r, 7)) for r in range(model.rowCount())]
    assert shown[0] == "红" and shown == sorted(shown, key="红黄绿".index)


def test_screenshot_of_the_ledger(qtbot, demo_store, formset, screenshots):
    from fieldvisit.qt.app import apply_style
    from fieldvisit.qt.fonts import apply_application_font

    app = QApplication.instance()
    apply_application_font(app)
    apply_style(app)
    _household, (problem_id,) = visit_with_water_problem(demo_store, formset)
    ledger.advance(demo_store, problem_id, "整改中", "已联系水务站，约定下周接管", "李四", TODAY)
    view = shown_view(qtbot, demo_store, today=date(2026, 12, 15))  # now overdue
    view.select_problem(problem_id)
    qtbot.wait(50)
    assert view.grab().save(str(screenshots / "ledger.png"))


def test_closing_a_problem_in_the_ledger_recolours_the_roster_by_the_broadcast(
        qtbot, window, demo_store, formset):
    """One write through the op runner in one screen (the ledger tab) refreshes another
    (the roster's colour, the dashboard's figures), with no call between them."""
    household_id, (problem_id,) = window.ops.write(
        lambda: visit_with_water_problem(demo_store, formset))
    assert window.roster.colour_of(household_id) == "红"  # the visit's broadcast
    window.tabs.setCurrentIndex(DASHBOARD_TAB)
    board = window.dashboard
    qtbot.waitUntil(lambda: board.data is not None and not board.is_loading(), timeout=10_000)
    assert board.data.by_colour["红"] >= 1
    reds = board.data.by_colour["红"]
    window.tabs.setCurrentIndex(LEDGER_TAB)
    view = window.ledger_view
    qtbot.waitUntil(lambda: view.model.row_of(problem_id) is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=10_000)
    view.select_problem(problem_id)
    for to_status in ("整改中", "待验收", "已销号"):
        dialog = view.open_advance(to_status)
        dialog.note.setPlainText("已整改")
        if to_status == "已销号":
            dialog.actor.setText("王五")
        reloaded(qtbot, view, dialog.accept)
    assert view.current_problem().status == "已销号"
    expected = load_colours(demo_store)[household_id]
    assert expected != "红" and window.roster.colour_of(household_id) == expected
    qtbot.waitUntil(lambda: not board.is_loading(), timeout=10_000)
    assert board.data.by_colour["红"] == reds - 1
