"""Does every text on a screen fit? What the screenshot tests check besides saving the image.

A label, a button or a column title that is cut ("…" or simply clipped) is text a cadre
cannot read; only free text in a table cell may be elided, and then its tooltip holds
the whole of it. Checked on the widgets as laid out, so a test fails where the eye would
stumble in the screenshot:

- a QLabel that does not wrap is at least as wide as its text needs; one that wraps is
  tall enough for its lines at its width (a label marked ``elides`` is left alone);
- a button (push, check, radio, tool) is as wide as its text and indicator need;
- a header section of a table is as wide as its title, and the columns fit the table
  (none scrolls off sideways, unless the table is marked ``scrolls``);
- a table cell on screen fits its text, or is free text (FREE_TEXT) with a tooltip;
- the window itself is no larger than the screen size the test asks for.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QTableView,
    QTabWidget,
    QWidget,
)

# What a cell's text loses to the style: QTableView::item padding 0 6px (resources/styles)
# on both sides, the item view's text margin (focus frame margin + 1) on both, a grid line.
CELL_PADDING = 12 + 2 * 3 + 1
# Columns of free text (a problem's wording, a note, a step's explanation): the only ones
# that may elide, and then with the whole text in the tooltip. Dates, numbers, codes,
# names and statuses show whole.
FREE_TEXT = frozenset({"问题", "说明", "内容", "备注", "风险类型", "整改措施", "措施", "发现问题",
                       "住址", "地址", "原因", "情况", "核实情况", "下一步", "Problem", "Note"})
SLACK = 1  # rounding between a size hint and the laid-out width


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or '-'})"


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0


def clipped_texts(root: QWidget, size: tuple[int, int] | None = None) -> list[str]:
    """Every text under ``root`` that does not fit, as 'widget: text (needs, has)'."""
    problems: list[str] = []
    if size is not None and (root.width() > size[0] or root.height() > size[1]):
        problems.append(f"{_name(root)} is {root.width()}×{root.height()}, "
                        f"larger than {size[0]}×{size[1]}")
    for label in root.findChildren(QLabel):
        if not _shown(label, root) or not label.text() or label.property("elides"):
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + SLACK:
                problems.append(f"{_name(label)} {label.text()[:60]!r}: needs height "
                                f"{needed}, has {label.height()}")
        elif label.sizeHint().width() > label.width() + SLACK:
            problems.append(f"{_name(label)} {label.text()[:60]!r}: needs width "
                            f"{label.sizeHint().width()}, has {label.width()}")
    for button in root.findChildren(QAbstractButton):
        if not _shown(button, root) or not button.text():
            continue
        if button.sizeHint().width() > button.width() + SLACK:
            problems.append(f"{_name(button)} {button.text()!r}: needs width "
                            f"{button.sizeHint().width()}, has {button.width()}")
    for table in root.findChildren(QTableView):
        if _shown(table, root):
            problems += _table_problems(table)
    for tabs in root.findChildren(QTabWidget):
        if not _shown(tabs, root):
            continue
        bar = tabs.tabBar()
        for i in range(bar.count()):
            text_width = bar.fontMetrics().horizontalAdvance(bar.tabText(i))
            if bar.isTabVisible(i) and bar.tabRect(i).width() < text_width:
                problems.append(f"tab {bar.tabText(i)!r} of {_name(tabs)} is cut")
    return problems


def _table_problems(table: QTableView) -> list[str]:
    problems: list[str] = []
    model = table.model()
    if model is None:
        return problems
    header = table.horizontalHeader()
    columns = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    if header.isVisible():
        for column in columns:
            title = model.headerData(column, Qt.Orientation.Horizontal)
            if title and header.sectionSizeHint(column) > header.sectionSize(column) + SLACK:
                problems.append(f"{_name(table)} column {title!r}: needs "
                                f"{header.sectionSizeHint(column)}, has "
                                f"{header.sectionSize(column)}")
    total = sum(table.columnWidth(column) for column in columns)
    if total > table.viewport().width() + SLACK and not table.property("scrolls"):
        problems.append(f"{_name(table)}: its columns need {total}, the table shows "
                        f"{table.viewport().width()} (some scroll off)")
    metrics = table.fontMetrics()
    first = max(table.rowAt(0), 0)
    last = table.rowAt(table.viewport().height() - 1)
    last = model.rowCount() - 1 if last < 0 else last
    for row in range(first, min(last, first + 40) + 1):
        for column in columns:
            index = model.index(row, column, QModelIndex())
            text = model.data(index, Qt.ItemDataRole.DisplayRole)
            if text in (None, ""):
                continue
            text = str(text)
            needed = metrics.horizontalAdvance(text) + CELL_PADDING
            if needed <= table.columnWidth(column) + SLACK:
                continue
            title = model.headerData(column, Qt.Orientation.Horizontal)
            free = title in FREE_TEXT and model.data(index, Qt.ItemDataRole.ToolTipRole)
            if not free:
                problems.append(f"{_name(table)} row {row} column {title!r}: "
                                f"{text[:40]!r} needs {needed}, has "
                                f"{table.columnWidth(column)}")
    return problems


def assert_fits(root: QWidget, size: tuple[int, int] | None = None) -> None:
    """Fail with every text under ``root`` that is cut."""
    problems = clipped_texts(root, size)
    assert not problems, "texts that do not fit:\n" + "\n".join(problems)

