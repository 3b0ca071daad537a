"""导入花名册: check a county roster file, show every problem, then import the valid households.

Both steps run in a worker with a progress bar and a Cancel button: reading and checking
100,000 rows takes seconds, and a cadre who picked the wrong file must be able to stop.
Nothing is written until the user has seen the report and chosen 导入有效户.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.qt import i18n
from fieldvisit.qt.job_progress import JobProgress, failure_text
from fieldvisit.qt.ops import Ops
from fieldvisit.qt.table_model import Index, ListTableModel
from fieldvisit.qt.workers import Cancelled, Progress
from fieldvisit.roster import importer
from fieldvisit.roster.importer import ImportPlan, ImportResult, Problem, RosterFileError
from fieldvisit.roster.queries import VillageNode

_ERROR_TINT = QColor("#fdecea")
_WARNING_TINT = QColor("#fff6e0")
# Up to this many problems, rows grow to show whole messages (and follow the column's
# width); beyond it, measuring every row would stall the dialog, so a row is one line and
# the problem chosen is shown whole under the table (and in the row's tooltip).
_WRAPPED_ROWS = 300
_CELL_PADDING = 16  # QTableView::item padding (resources/styles) and the grid line, with room
_VALUE_WIDTH = 240  # the 值 column at most (an 18-digit ID fits)
_LISTED_MOVES = 20  # moves listed under the summary (the CLI's --dry-run lists them all)


class ProblemsModel(ListTableModel[Problem]):
    """The plan's problems, one line each: row, column, problem, value (and 户编号)."""

    def headers(self) -> list[str]:
        return [self.tr("行"), self.tr("列"), self.tr("户编号"), self.tr("问题"), self.tr("值")]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem = self.item(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "✖ " if problem.severity == "error" else "⚠ "
            values = (problem.row, problem.column, problem.household_code,
                      mark + (problem.message_en if i18n.english() else problem.message),
                      problem.value)
            value = values[index.column()]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_ERROR_TINT if problem.severity == "error" else _WARNING_TINT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.whole(problem)  # what a one-line row may clip
        return None

    def whole(self, problem: Problem) -> str:
        """The problem in full: where, the message in both languages, the value."""
        first, second = ((problem.message_en, problem.message) if i18n.english()
                         else (problem.message, problem.message_en))
        where = self.tr("第 %1 行").replace("%1", str(problem.row)) if problem.row else ""
        where = " · ".join(part for part in (where, problem.column or "",
                                              problem.household_code or "") if part)
        lines = [where, first, second]
        if problem.value not in (None, ""):
            lines.append(self.tr("值：%1").replace("%1", str(problem.value)))
        return "\n".join(line for line in lines if line)



class _WrappingDelegate(QStyledItemDelegate):
    """Row heights measured a little narrower than the cell: the style sheet's cell
    padding is left out of Qt's measure but not of its painting, which would elide the
    last line of a wrapped message."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        narrower = QStyleOptionViewItem(option)
        narrower.rect = QRect(option.rect)
        narrower.rect.setWidth(max(1, option.rect.width() - _CELL_PADDING))
        return super().sizeHint(narrower, index)


class ImportDialog(QDialog):
    """Choose → check (worker) → report → import valid households (a worker of the op
    runner, whose broadcast reloads the roster) → done.
    """

    # After each step, once the dialog is ready for the next: "planned", "applied",
    # "cancelled" or "failed" (tests and scripted use wait on it).
    finished_step = Signal(str)

    def __init__(self, ops: Ops, villages: list[VillageNode], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入花名册"))
        self.resize(980, 620)
        self._ops = ops
        self.plan: ImportPlan | None = None
        self.applied: ImportResult | None = None

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("选择县里导出的花名册（.xlsx、.xls 或 .csv）"))
        self.path_edit.textChanged.connect(self._discard_plan)
        browse = QPushButton(self.tr("选择文件…"))
        browse.clicked.connect(self._browse)
        self.village_combo = QComboBox()
        self.village_combo.addItem(self.tr("按文件中的行政村"), None)
        for village in villages:
            label = f"{village.name}（{village.code}）" if village.code else village.name
            self.village_combo.addItem(label, village.code or village.name)
        self.village_combo.currentIndexChanged.connect(self._discard_plan)
        self.check_button = QPushButton(self.tr("检查文件"))
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.start_plan)

        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("文件：")))
        chooser.addWidget(self.path_edit, 1)
        chooser.addWidget(browse)
        target = QHBoxLayout()
        target.addWidget(QLabel(self.tr("导入到：")))
        target.addWidget(self.village_combo, 1)
        target.addWidget(self.check_button)

        self.job = JobProgress(self, cancelled_text=self.tr("已取消，没有写入任何数据。"),
                               explain=self._explain, cancellable=False, idle_bar="shown")
        self.job.done.connect(self._job_done)
        self.job.show_message(self.tr("请选择文件，然后点“检查文件”。检查不会改动任何数据。"))
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        # A re-import that puts matched households in another village lists them in the
        # summary; they move only when this is ticked.
        self.confirm_moves = QCheckBox()
        self.confirm_moves.setObjectName("confirm_moves")
        self.confirm_moves.hide()
        self.problems = ProblemsModel(self)
        self.problems_view = QTableView()
        self.problems_view.setModel(self.problems)
        self.problems_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_view.verticalHeader().hide()
        self.problems_view.setWordWrap(True)
        self.problems_view.setItemDelegate(_WrappingDelegate(self.problems_view))
        header = self.problems_view.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (0, 1, 2):  # row, column, 户编号: as wide as their contents
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.problems_view.selectionModel().currentRowChanged.connect(self._show_problem)
        # Shown when rows are one line each (more than _WRAPPED_ROWS problems): the
        # problem chosen in the table, whole.
        self.problem_detail = QLabel()
        self.problem_detail.setObjectName("problem_detail")
        self.problem_detail.setWordWrap(True)
        self.problem_detail.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_detail.setStyleSheet("background: #ffffff; border: 1px solid #d5dce5; "
                                          "padding: 6px;")
        self.problem_detail.hide()

        self.import_button = QPushButton(self.tr("导入有效户"))
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.start_apply)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addLayout(target)
        layout.addWidget(self.job)
        layout.addWidget(self.summary)
        layout.addWidget(self.confirm_moves)
        layout.addWidget(self.problems_view, 1)
        layout.addWidget(self.problem_detail)
        layout.addLayout(buttons)
        self._update_buttons()

    # Steps --------------------------------------------------------------------------------

    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))

    def start_plan(self) -> None:
        path = Path(self.path_edit.text().strip())
        store, village = self._ops.store, self.village_combo.currentData()
        self.plan = self.applied = None
        self._show_problems([])
        self.summary.clear()

        def plan(progress: Progress, cancelled: Cancelled) -> ImportPlan:
            return importer.plan_import(path, store, village=village,
                                        progress=progress, cancelled=cancelled)

        self.job.run(plan, self.tr("正在读取并检查“%1”…").replace("%1", path.name), self._planned)
        self._update_buttons()

    def start_apply(self) -> None:
        store, chosen, moves = self._ops.store, self.plan, self.confirm_moves.isChecked()
        assert chosen is not None

        def apply(progress: Progress, cancelled: Cancelled) -> ImportResult:
            return importer.apply_import(store, chosen, confirm_moves=moves,
                                         progress=progress, cancelled=cancelled)

        self._ops.run(self.job, apply, self.tr("正在导入有效户…"), self._applied)
        self._update_buttons()

    def cancel(self) -> None:
        """Stop the running step; with nothing running, close the dialog."""
        if self.job.is_busy():
            self.job.cancel()
            self.cancel_button.setEnabled(False)
        else:
            self.reject()

    def is_busy(self) -> bool:
        return self.job.is_busy()

    def _planned(self, plan: ImportPlan) -> str:
        self.plan = plan
        self._show_problems(plan.problems)
        self.summary.setText(self._summary_text(plan))
        self.confirm_moves.setChecked(False)
        self.confirm_moves.setVisible(bool(plan.moves))
        self.confirm_moves.setText(self.tr("同时执行以上 %1 户换村（不勾选则这些户留在原村）")
                                   .replace("%1", str(len(plan.moves))))
        self.job.show_message(self.tr("检查完成。下表列出每个问题（行号为 Excel 中的行号）；"
                                      "有错误的户不会导入。"))
        return "planned"

    def _show_problems(self, problems: list[Problem]) -> None:
        """Rows as tall as their wrapped text, refitted whenever a column's width changes;
        for a long report, one line a row and the chosen problem whole below."""
        wrapped = len(problems) <= _WRAPPED_ROWS
        rows = self.problems_view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents if wrapped
                                  else QHeaderView.ResizeMode.Fixed)
        self.problems.set_items(problems)
        # 值 as wide as its values (an ID whole), up to a limit; the tooltip has any longer
        self.problems_view.resizeColumnToContents(4)
        self.problems_view.setColumnWidth(4, max(80, min(self.problems_view.columnWidth(4),
                                                         _VALUE_WIDTH)))
        self.problem_detail.setVisible(bool(problems) and not wrapped)
        self.problem_detail.setText(self.tr("点表中的一行，可在这里看到该问题的全文。"))
        if problems and not wrapped:
            self.problems_view.selectRow(0)

    def _show_problem(self, current: Any) -> None:
        if current.isValid() and self.problem_detail.isVisible():
            self.problem_detail.setText(self.problems.whole(self.problems.item(current.row())))

    def _applied(self, result: ImportResult) -> str:
        self.applied = result
        self.job.show_message(self.tr("导入完成：%1").replace("%1", self._result_text(result)))
        return "applied"

    def _explain(self, error: Exception) -> str:
        if isinstance(error, RosterFileError):
            return error.en if i18n.english() else error.zh
        return failure_text(error)

    def _job_done(self, outcome: str) -> None:
        self.cancel_button.setEnabled(True)
        self._update_buttons()
        self.finished_step.emit(outcome)

    def _update_buttons(self) -> None:
        busy = self.job.is_busy()
        has_file = bool(self.path_edit.text().strip())
        self.check_button.setEnabled(not busy and has_file)
        self.path_edit.setEnabled(not busy)
        self.village_combo.setEnabled(not busy)
        self.import_button.setEnabled(not busy and self.applied is None
                                      and self._importable(self.plan))
        self.cancel_button.setText(self.tr("取消") if busy or self.applied is None
                                   else self.tr("关闭"))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择花名册文件"), self.path_edit.text(),
            self.tr("花名册 (*.xlsx *.xls *.csv);;所有文件 (*)"))
        if path:
            self.set_path(path)

    def _discard_plan(self) -> None:
        """A report belongs to one file and one target village: change either and it
        must be checked again before anything can be imported."""
        if self.plan is not None and not self.job.is_busy():
            self.plan = None
            self._show_problems([])
            self.summary.clear()
            self.confirm_moves.hide()
            self.job.show_message(self.tr("文件或目标村已更改，请重新检查。"))
        self._update_buttons()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.job.stop()
        super().closeEvent(event)

    def reject(self) -> None:
        self.job.stop()
        super().reject()

    # Wording ------------------------------------------------------------------------------

    @staticmethod
    def _importable(plan: ImportPlan | None) -> bool:
        return plan is not None and plan.has_changes and bool(plan.to_create or plan.to_update)

    def _summary_text(self, plan: ImportPlan) -> str:
        """The importer's own summary and its moves, in the UI language (it gives
        Chinese, then English)."""
        lines = plan.summary().split("\n")
        moves = [move.line().split("  |  ")[-1 if i18n.english() else 0]
                 for move in plan.moves[:_LISTED_MOVES]]
        more = ([self.tr("……还有 %1 户换村未列出（命令行 roster import --dry-run 可列出全部）")
                 .replace("%1", str(len(plan.moves) - _LISTED_MOVES))]
                if len(plan.moves) > _LISTED_MOVES else [])
        return "\n".join([lines[-1] if i18n.english() else lines[0], *moves, *more])

    def _result_text(self, result: ImportResult) -> str:
        return (self.tr("新建 %1 户（%2 人），更新 %3 户；未导入 %4 户、%5 人。")
                .replace("%1", str(result.households_created))
                .replace("%2", str(result.persons_created))
                .replace("%3", str(result.households_updated))
                .replace("%4", str(result.households_rejected))
                .replace("%5", str(result.persons_refused)))
