"""问题整改台账: every problem found on visits, filtered, and followed step by step.

The list loads in a worker (a county ledger joined to household heads); the detail pane
shows the chosen problem's steps and one button per move ``ledger.TRANSITIONS`` allows
from its status. A move asks for a note, who made it and an optional evidence photo
(``ledger.advance`` copies the photo beside the database). The move goes through the op
runner; the list, like every screen showing the household, reloads from its broadcast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.qt import i18n
from fieldvisit.qt.dialog_parts import error_label, ok_cancel
from fieldvisit.qt.ops import Changed, Ops
from fieldvisit.qt.table_model import HeaderedTableModel, Index, row_table
from fieldvisit.qt.workers import Cancelled, Loader, Progress, stop_all
from fieldvisit.roster import queries
from fieldvisit.visits import ledger, photos
from fieldvisit.visits.ledger import LedgerError, ProblemRow, StepRow
from fieldvisit.visits.photos import PhotoError

OPEN = "未销号"  # status filter: every status but 已销号
SEVERITY_COLOURS = {"high": QColor("#f4b6b0"), "medium": QColor("#f8e08e"),
                    "low": QColor("#dde6f0")}
OVERDUE_COLOUR = QColor("#c0392b")


@dataclass(slots=True)
class _Loaded:
    rows: list[tuple[ProblemRow, str]]  # the problem and its household head's name
    categories: list[str]
    villages: list[tuple[str, str]]


class LedgerModel(HeaderedTableModel):
    """The ledger rows: 户编号, 户主, 类别, 严重程度, 问题, 状态, 整改期限, 责任人."""

    def __init__(self, today: date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self._rows: list[tuple[ProblemRow, str]] = []

    def headers(self) -> list[str]:
        return [self.tr("户编号"), self.tr("户主"), self.tr("类别"), self.tr("严重程度"),
                self.tr("问题"), self.tr("状态"), self.tr("整改期限"), self.tr("责任人")]

    def severity_text(self, severity: str) -> str:
        return {"high": self.tr("高"), "medium": self.tr("中"),
                "low": self.tr("低")}.get(severity, severity)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def set_rows(self, rows: list[tuple[ProblemRow, str]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def problem(self, row: int) -> ProblemRow:
        return self._rows[row][0]

    def row_of(self, problem_id: str) -> int | None:
        return next((n for n, (p, _h) in enumerate(self._rows) if p.id == problem_id), None)

    def overdue(self, problem: ProblemRow) -> bool:
        return (problem.status != ledger.CLOSED and problem.deadline is not None
                and problem.deadline < self.today)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem, head = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (problem.household_code, head, problem.category,
                    self.severity_text(problem.severity), problem.text,
                    problem.status,
                    problem.deadline.isoformat() if problem.deadline else "",
                    problem.responsible or "")[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return problem.text
        if role == Qt.ItemDataRole.ToolTipRole and column == 6 and self.overdue(problem):
            assert problem.deadline is not None
            return self.tr("已逾期 %n 天", "", (self.today - problem.deadline).days)
        if role == Qt.ItemDataRole.BackgroundRole and column == 3:
            return SEVERITY_COLOURS.get(problem.severity)
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and self.overdue(problem):
            return OVERDUE_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (3, 5, 6):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.UserRole:
            return problem.id
        return None


class AdvanceDialog(QDialog):
    """The note, who made the move and an optional evidence photo for one ledger move.

    ``apply(note, actor, photo)`` does the write; when it raises LedgerError or PhotoError
    the message shows in the dialog and the dialog stays open.
    """

    def __init__(self, problem: ProblemRow, to_status: str, actor: str,
                 apply: Callable[[str, str, Path | None], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._apply = apply
        self.setWindowTitle(self.tr("整改进度：%1 → %2").replace("%1", problem.status)
                            .replace("%2", to_status))
        self.setMinimumWidth(480)
        summary = QLabel(f"<b>{problem.household_code}</b>　{problem.text}")
        summary.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("做了什么、结果如何（如：新水管已接通，已试水）"))
        self.note.setFixedHeight(90)
        self.actor = QLineEdit(actor)
        self.actor.setObjectName("actor")
        self.photo = QLineEdit()
        self.photo.setObjectName("photo")
        self.photo.setReadOnly(True)
        self.photo.setPlaceholderText(self.tr("可选：整改前后的照片"))
        choose = QPushButton(self.tr("选择照片…"))
        choose.clicked.connect(self._choose_photo)
        clear = QPushButton(self.tr("清除"))
        clear.clicked.connect(self.photo.clear)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo, 1)
        photo_row.addWidget(choose)
        photo_row.addWidget(clear)
        form = QFormLayout()
        form.addRow(self.tr("新状态："), QLabel(f"<b>{to_status}</b>"))
        form.addRow(self.tr("情况说明："), self.note)
        form.addRow(self.tr("经办人："), self.actor)
        form.addRow(self.tr("佐证照片："), photo_row)
        self.error = error_label()
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def set_photo(self, path: str | Path | None) -> None:
        self.photo.setText(str(path) if path else "")

    def _choose_photo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择佐证照片"), "", self.tr("图片 (*.jpg *.jpeg *.png)"))
        if path:
            self.set_photo(path)

    def accept(self) -> None:
        photo = Path(self.photo.text()) if self.photo.text() else None
        try:
            self._apply(self.note.toPlainText(), self.actor.text(), photo)
        except (LedgerError, PhotoError) as error:
            self.error.setText(error.en if i18n.english() else error.zh)
            self.error.show()
            return
        super().accept()


class LedgerView(QWidget):
    """The 问题整改台账 of all villages or one.

    ``household_chosen(household_id)`` fires on a double-click; ``loaded(n)`` each time
    a (re)load is on screen with n problems listed.
    """

    household_chosen = Signal(str)
    loaded = Signal(int)

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.store = ops.store
        self.today = today or date.today()
        self._loader = Loader(self)
        self._loader.loaded.connect(self._loaded)
        self._loader.failed.connect(self._load_failed)
        ops.changed.connect(self._changed)
        self._select_after_load: str | None = None
        self._filling = False
        self.dialog: AdvanceDialog | None = None
        self.advance_buttons: dict[str, QPushButton] = {}

        self.model = LedgerModel(self.today, self)
        self.village_filter = self._combo("ledger_village", [(self.tr("全部村"), None)])
        self.status_filter = self._combo("ledger_status", [
            (self.tr("全部状态"), None), (self.tr("未销号"), OPEN),
            *[(status, status) for status in ledger.STATUSES]])
        self.category_filter = self._combo("ledger_category", [(self.tr("全部类别"), None)])
        self.overdue_only = QCheckBox(self.tr("只看逾期"))
        self.overdue_only.setObjectName("ledger_overdue")
        self.overdue_only.toggled.connect(lambda _on: self.reload())
        self.count_label = QLabel()
        self.table = self._build_table()
        self.detail_title = QLabel()
        self.detail_title.setObjectName("ledger_detail_title")
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextFormat(Qt.TextFormat.RichText)
        self.steps_table = self._build_steps_table()
        self.buttons_row = QHBoxLayout()
        self._build_layout()
        self._show_problem(None)
        self.reload()

    # Building -----------------------------------------------------------------------------

    def _combo(self, name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for text, data in items:
            combo.addItem(text, data)
        combo.setMinimumWidth(120)
        combo.currentIndexChanged.connect(self._filter_changed)
        return combo

    def _build_table(self) -> QTableView:
        table = row_table(self.model, "ledger")
        header = table.horizontalHeader()
        for column, width in enumerate((210, 72, 84, 80, 300, 72, 116, 80)):
            # no narrower than its title, in either language
            table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
        header.setStretchLastSection(False)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_problem(
                self.model.problem(current.row()) if current.isValid() else None))
        table.doubleClicked.connect(
            lambda index: self.household_chosen.emit(
                self.model.problem(index.row()).household_id))
        return table

    def _build_steps_table(self) -> QTableWidget:
        steps = QTableWidget(0, 5)
        steps.setObjectName("ledger_steps")
        steps.setHorizontalHeaderLabels([self.tr("日期"), self.tr("状态变化"), self.tr("经办人"),
                                         self.tr("说明"), self.tr("照片")])
        steps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        steps.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        steps.verticalHeader().hide()
        steps.setWordWrap(False)
        for column, width in enumerate((116, 150, 80, 300, 56)):
            steps.setColumnWidth(column, max(width, steps.horizontalHeader().sectionSizeHint(
                column)))
        steps.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        return steps

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        for label, widget in ((self.tr("村："), self.village_filter),
                              (self.tr("状态："), self.status_filter),
                              (self.tr("类别："), self.category_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addWidget(self.overdue_only)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.steps_table, 1)
        self.buttons_row.addStretch(1)
        detail_layout.addLayout(self.buttons_row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

    # Loading ------------------------------------------------------------------------------

    def set_village(self, village_id: str | None) -> None:
        """Show one village's ledger (None: all); usable before the first load ends."""
        index = self.village_filter.findData(village_id)
        if index < 0:
            self.village_filter.addItem(village_id or "", village_id)
            index = self.village_filter.count() - 1
        self.village_filter.setCurrentIndex(index)

    def is_loading(self) -> bool:
        return self._loader.is_busy()

    def _changed(self, changed: Changed) -> None:
        """Problems, their steps or the households' facts (heads' names) changed."""
        if changed.touches("problem", "problem_step", "household", "member", "village"):
            self.reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        stop_all(self)
        super().closeEvent(event)

    def _filter_changed(self, _index: int) -> None:
        if not self._filling:
            self.reload()

    def reload(self, select_problem: str | None = None) -> None:
        """Read the ledger again with the current filters, in a worker."""
        current = self.current_problem()
        self._select_after_load = select_problem or (current.id if current else None)
        village = self.village_filter.currentData()
        status = self.status_filter.currentData()
        category = self.category_filter.currentData()
        overdue = self.today if self.overdue_only.isChecked() else None
        store = self.store

        def load(_progress: Progress, _cancelled: Cancelled) -> _Loaded:
            with store.reading() as conn:
                rows = ledger.problems(conn, village, None if status == OPEN else status,
                                       category, overdue)
                if status == OPEN:
                    rows = [r for r in rows if r.status != ledger.CLOSED]
                heads = {h.id: h.head for h in queries.household_rows(
                    conn, {r.household_id for r in rows})} if rows else {}
                categories = ledger.categories(conn)
                villages = [(v.id, v.name) for v in queries.village_tree(conn)]
            return _Loaded([(r, heads.get(r.household_id, "")) for r in rows], categories,
                           villages)

        self._loader.load(load)

    def _loaded(self, loaded: _Loaded) -> None:
        self._fill_choices(loaded)
        self.model.set_rows(loaded.rows)
        self.count_label.setText(self.tr("共 %n 个问题", "", len(loaded.rows)))
        row = self.model.row_of(self._select_after_load) if self._select_after_load else None
        if row is not None:
            self.table.selectRow(row)
            self._show_problem(self.model.problem(row))
        else:
            self._show_problem(None)
        self.loaded.emit(len(loaded.rows))

    def _load_failed(self, error: Exception) -> None:
        self.count_label.setText(self.tr("读取台账失败：%1").replace("%1", str(error)))

    def _fill_choices(self, loaded: _Loaded) -> None:
        """Add villages and categories that appeared since the last load (keeps choices)."""
        self._filling = True
        try:
            known_villages = {self.village_filter.itemData(i)
                              for i in range(self.village_filter.count())}
            for village_id, name in loaded.villages:
                if village_id not in known_villages:
                    self.village_filter.addItem(name, village_id)
            known = {self.category_filter.itemData(i)
                     for i in range(self.category_filter.count())}
            for category in loaded.categories:
                if category not in known:
                    self.category_filter.addItem(category, category)
        finally:
            self._filling = False

    # The chosen problem -------------------------------------------------------------------

    def current_problem(self) -> ProblemRow | None:
        index = self.table.currentIndex() if hasattr(self, "table") else QModelIndex()
        return self.model.problem(index.row()) if index.isValid() else None

    def select_problem(self, problem_id: str) -> bool:
        row = self.model.row_of(problem_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self._show_problem(self.model.problem(row))
        return True

    def next_statuses(self, status: str) -> list[str]:
        """The statuses ``ledger.TRANSITIONS`` allows from ``status``, in ledger order."""
        return [to for to in ledger.STATUSES if (status, to) in ledger.TRANSITIONS]

    def action_text(self, from_status: str, to_status: str) -> str:
        texts = {
            ("待整改", "整改中"): self.tr("开始整改"),
            ("整改中", "待验收"): self.tr("整改完成，申请验收"),
            ("待验收", "已销号"): self.tr("验收通过，销号"),
            ("待验收", "整改中"): self.tr("验收未通过，继续整改"),
            ("已销号", "整改中"): self.tr("问题复发，重新整改"),
        }
        return texts.get((from_status, to_status), f"→ {to_status}")

    def _show_problem(self, problem: ProblemRow | None) -> None:
        for button in self.advance_buttons.values():
            self.buttons_row.removeWidget(button)
            button.deleteLater()
        self.advance_buttons = {}
        self.steps_table.setRowCount(0)
        if problem is None:
            self.detail_title.setText(self.tr("选择一个问题，查看整改记录并登记进度。"))
            return
        deadline = problem.deadline.isoformat() if problem.deadline else self.tr("未定")
        self.detail_title.setText(
            f"<b>{problem.household_code}</b>　{problem.category}　"
            f"<b>{problem.status}</b><br>{problem.text}<br>"
            + self.tr("整改期限：%1　责任人：%2").replace("%1", deadline)
            .replace("%2", problem.responsible or self.tr("未定")))
        with self.store.reading() as conn:
            steps = ledger.steps(conn, problem.id)
            photo_counts = [len(photos.photos_of(conn, problem_step_id=s.id)) for s in steps]
        self._fill_steps(steps, photo_counts)
        for to_status in self.next_statuses(problem.status):
            button = QPushButton(self.action_text(problem.status, to_status))
            button.setObjectName(f"advance_{to_status}")
            button.clicked.connect(lambda _c=False, to=to_status: self.open_advance(to))
            self.buttons_row.addWidget(button)
            self.advance_buttons[to_status] = button

    def _fill_steps(self, steps: list[StepRow], photo_counts: list[int]) -> None:
        self.steps_table.setRowCount(len(steps))
        for row, (step, count) in enumerate(zip(steps, photo_counts, strict=True)):
            change = (f"{step.from_status} → {step.to_status}" if step.from_status
                      else step.to_status)
            for column, text in enumerate((step.on.isoformat(), change, step.actor,
                                           step.note or "", str(count) if count else "")):
                item = QTableWidgetItem(text)
                if column == 3 and text:
                    item.setToolTip(text)
                self.steps_table.setItem(row, column, item)

    def open_advance(self, to_status: str) -> AdvanceDialog | None:
        """Open (not exec) the dialog for moving the chosen problem to ``to_status``."""
        problem = self.current_problem()
        if problem is None:
            return None
        problem_id, store = problem.id, self.store

        def apply(note: str, actor: str, photo: Path | None) -> None:
            self.ops.write(lambda: ledger.advance(store, problem_id, to_status, note, actor,
                                                  self.today, photo=photo))

        dialog = AdvanceDialog(problem, to_status, self.store.actor, apply, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()
        return dialog
