"""The import report shows every problem whole: rows as tall as their wrapped message at
any width of the dialog, and for a report too long to measure row by row, the chosen
problem whole under the table and in its tooltip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from rosterfiles import write_defects_xlsx

from fieldvisit import idcard
from fieldvisit.qt.import_dialog import _WRAPPED_ROWS, ImportDialog
from fieldvisit.qt.ops import Ops

CELL_PADDING = 12  # QTableView::item { padding: 0 6px } in resources/styles/fieldvisit.qss


def checked(qtbot, store, path: Path, size: tuple[int, int]) -> ImportDialog:
    dialog = ImportDialog(Ops(store), [])
    qtbot.addWidget(dialog)
    dialog.resize(*size)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_path(path)
    with qtbot.waitSignal(dialog.finished_step, timeout=60_000) as step:
        dialog.check_button.click()
    assert step.args == ["planned"]
    return dialog


def clipped_cells(dialog: ImportDialog) -> list[tuple[int, int, str]]:
    """(row, column, text) of every cell whose text does not fit its cell whole."""
    view = dialog.problems_view
    metrics = QFontMetrics(view.font())
    model = dialog.problems
    clipped = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            text = model.data(model.index(row, column)) or ""
            width = view.columnWidth(column) - CELL_PADDING
            needed = metrics.boundingRect(QRect(0, 0, width, 10_000),
                                          int(Qt.TextFlag.TextWordWrap), text)
            if needed.width() > width or needed.height() > view.rowHeight(row):
                clipped.append((row, column, text))
    return clipped


@pytest.fixture
def apply_style(qapp):
    from fieldvisit.qt import app, fonts

    fonts.apply_application_font(qapp)
    app.apply_style(qapp)


@pytest.mark.parametrize("size", [(980, 620), (760, 560)])
def test_every_warning_shows_whole_at_the_dialogs_width(qtbot, store, tmp_path, apply_style,
                                                       size, screenshots):
    dialog = checked(qtbot, store, write_defects_xlsx(tmp_path / "缺陷.xlsx"), (980, 620))
    dialog.resize(*size)  # made narrower after the check: the rows grow again
    qtbot.wait(50)
    assert dialog.problems.rowCount() >= 5
    assert any(p.severity == "warning" for p in dialog.plan.problems)
    assert clipped_cells(dialog) == []
    assert not dialog.problem_detail.isVisibleTo(dialog)  # nothing needs it
    assert dialog.grab().save(str(screenshots / f"import_report_{size[0]}.png"))


def write_headless(path: Path, households: int) -> Path:
    """Households with a spouse and no 户主: one warning each."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["户编号", "姓名", "与户主关系", "证件号码", "性别", "户类型", "行政村"])
    for n in range(households):
        number = idcard.make("522727", date(1970, 1, 1 + n % 28), n % 1000)
        sheet.append([f"522727100299{n + 1:06d}", f"张{n}", "配偶", number, "女", "一般户",
                      "测试村"])
    book.save(path)
    return path


def test_a_long_report_shows_the_chosen_warning_whole_below_the_table(
        qtbot, store, tmp_path, apply_style, screenshots):
    dialog = checked(qtbot, store, write_headless(tmp_path / "无户主.xlsx", _WRAPPED_ROWS + 20),
                     (980, 620))
    model = dialog.problems
    assert model.rowCount() > _WRAPPED_ROWS
    detail = dialog.problem_detail
    assert detail.isVisibleTo(dialog)
    last = model.rowCount() - 1
    dialog.problems_view.selectRow(last)
    problem = model.item(last)
    shown = detail.text()
    assert problem.message in shown and problem.message_en in shown
    assert problem.household_code in shown and f"第 {problem.row} 行" in shown
    tooltip = model.data(model.index(last, 3), Qt.ItemDataRole.ToolTipRole)
    assert problem.message in tooltip and problem.household_code in tooltip
    assert "…" not in shown
    qtbot.wait(50)  # the label grows to the text
    assert detail.height() >= detail.heightForWidth(detail.width())
    assert dialog.grab().save(str(screenshots / "import_report_long.png"))
