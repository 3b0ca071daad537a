"""本月待访 on the dashboard (issues 12 and 17): each household labelled with its real
status and norm (a 脱贫户 is no 「其他（每季度）」), 应访 whole (it showed 「2026-」), the
coverage line by status with 遍访率, the norms as the settings have them."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QFontMetrics

from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.qt.dashboard import CELL_PADDING, Dashboard
from fieldvisit.qt.ops import Ops
from fieldvisit.store import Insert

TODAY = date(2026, 12, 3)


def roster(store) -> None:
    place = Insert("village", {"name": "平里河村"})
    kinds = [{"hh_type": "脱贫户"}, {"hh_type": "一般农户"},
             {"hh_type": "一般农户", "monitored": True, "monitor_category": "边缘易致贫户",
              "identified_on": date(2026, 11, 20)}]
    store.write([place, *(Insert("household", {"village_id": place.id,
                                               "code": f"52272710020001000{n}", **kind})
                          for n, kind in enumerate(kinds))])


def shown(qtbot, store, settings=DEFAULT_SETTINGS) -> Dashboard:
    from fieldvisit.qt import app, fonts

    qapp = app.QApplication.instance()
    fonts.apply_application_font(qapp)
    app.apply_style(qapp)
    board = Dashboard(Ops(store), today=TODAY, settings=settings)
    qtbot.addWidget(board)
    board.resize(1200, 760)
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.show()
    qtbot.waitUntil(lambda: not board.is_loading(), timeout=10_000)
    return board


def cells(board: Dashboard) -> list[tuple[str, ...]]:
    model = board.due_model
    return [tuple(model.data(model.index(r, c)) for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def test_due_rows_show_status_and_norm_and_whole_dates(qtbot, store):
    roster(store)
    board = shown(qtbot, store)
    rows = {row[0][-1]: row for row in cells(board)}
    assert rows["0"][2] == "脱贫户（每月）"
    assert rows["1"][2] == "一般农户（每年排查）"  # December: the 集中排查 is due
    assert rows["2"][2] == "监测对象（每月）" and rows["2"][4] == "2026-11-20"
    metrics = QFontMetrics(board.due_table.font())
    for row in cells(board):
        for column, text in enumerate(row):
            assert metrics.horizontalAdvance(text) + CELL_PADDING <= \
                board.due_table.columnWidth(column), text
    assert "监测对象：每月联系、每季度入户" in board.due_norms.text()
    assert "一般农户：每年集中排查（12月底前）" in board.due_norms.text()
    assert "遍访率" in board.coverage_label.text()
    assert "0 / 3 户" in board.coverage_label.text()


def test_the_norms_follow_the_settings(qtbot, store):
    roster(store)
    local = Settings({**DEFAULT_SETTINGS, "visit_days_exited": 14, "screening_month": 10})
    board = shown(qtbot, store, local)
    assert "脱贫户：每 14 天联系、每季度入户" in board.due_norms.text()
    rows = {row[0][-1]: row for row in cells(board)}
    assert rows["0"][2] == "脱贫户（每 14 天）"
    assert rows["1"][4] == "2026-10-31"
