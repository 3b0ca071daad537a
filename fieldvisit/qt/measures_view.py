"""A household's 帮扶措施 / 享受政策 in the household panel, with small dialogs to add,
change and end one.

The list shows what the household's 明白卡 prints (the measures current today); ended
ones appear on request, greyed, as the history a 扶贫手册 keeps. Every save goes through
``roster.measures`` (which checks the measure and writes it through the journaled store)
run by the op runner, whose broadcast refreshes the list; a refused save shows its
reason in the dialog, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QDate, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.qt import i18n
from fieldvisit.qt.ops import Changed, Ops
from fieldvisit.qt.table_model import Index, ListTableModel, row_table
from fieldvisit.roster import measures
from fieldvisit.roster.measures import Measure, MeasureError
from fieldvisit.roster.vocab import MEASURE_KINDS

ENDED_COLOUR = QColor("#7b8794")
_Dialog = TypeVar("_Dialog", bound=QDialog)
_END_COLUMN = 4


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _date_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setProperty("severity", "error")
    label.hide()
    return label


def _ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    translate = QCoreApplication.translate
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate("MeasuresView", "保存"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
        translate("MeasuresView", "取消"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class MeasuresModel(ListTableModel[Measure]):
    """Measures in card order; those not current on ``today`` are greyed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = date.today()

    def headers(self) -> list[str]:
        return [self.tr("类别"), self.tr("具体内容"), self.tr("金额（元/年）"),
                self.tr("开始日期"), self.tr("结束日期")]

    def set_measures(self, rows: list[Measure], today: date) -> None:
        self._today = today
        self.set_items(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        measure = self.item(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return (measure.kind, measure.detail or "", measures.yuan(measure.amount_yuan),
                    measure.started_on.isoformat(),
                    measure.ended_on.isoformat() if measure.ended_on else "")[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return measure.detail
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and not measure.is_current(self._today):
            return ENDED_COLOUR
        return None


class MeasureDialog(QDialog):
    """Kind, description, yearly amount and start date of one measure.

    ``apply(fields)`` saves; when it raises MeasureError the reasons show here and the
    dialog stays open.
    """

    def __init__(self, title: str, measure: Measure | None, today: date,
                 apply: Callable[[dict[str, Any]], None], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._apply = apply
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in MEASURE_KINDS:
            self.kind.addItem(kind, kind)
        self.detail = QLineEdit((measure.detail or "") if measure else "")
        self.detail.setObjectName("detail")
        self.detail.setMaxLength(measures.MAX_DETAIL)
        self.detail.setPlaceholderText(self.tr("如：护林员 每月500元"))
        self.amount = QLineEdit(str(measure.amount_yuan or "") if measure else "")
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText(self.tr("不涉及资金可不填"))
        self.started = _date_edit(measure.started_on if measure else today, "started_on")
        self.started.setMaximumDate(_qdate(today))
        if measure is not None:
            if self.kind.findData(measure.kind) < 0:  # shown as stored; saving asks for a kind
                self.kind.addItem(measure.kind, measure.kind)
            self.kind.setCurrentIndex(self.kind.findData(measure.kind))
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount, 1)
        amount_row.addWidget(QLabel(self.tr("元/年")))
        form = QFormLayout()
        form.addRow(self.tr("措施类别："), self.kind)
        form.addRow(self.tr("具体内容："), self.detail)
        form.addRow(self.tr("金额："), amount_row)
        form.addRow(self.tr("开始日期："), self.started)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(_ok_cancel(self))

    def accept(self) -> None:
        try:
            self._apply({"kind": self.kind.currentData(), "detail": self.detail.text(),
                         "amount_yuan": measures.parse_amount(self.amount.text()),
                         "started_on": _pydate(self.started.date())})
        except MeasureError as error:
            self.error.setText(error.en if i18n.english() else error.zh)
            self.error.show()
            return
        super().accept()


class EndDialog(QDialog):
    """The day a measure ended; ``apply(day)`` saves it, as MeasureDialog does."""

    def __init__(self, measure: Measure, today: date, apply: Callable[[date], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._apply = apply
        self.setWindowTitle(self.tr("结束措施：%1").replace("%1", measure.kind))
        self.setMinimumWidth(420)
        summary = QLabel(f"<b>{measure.kind}</b>　{measure.detail or ''}")
        summary.setWordWrap(True)
        note = QLabel(self.tr("结束后不再打印在明白卡上，仍保留在帮扶记录中。"))
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.ended = _date_edit(today, "ended_on")
        form = QFormLayout()
        form.addRow(self.tr("结束日期："), self.ended)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(_ok_cancel(self))

    def accept(self) -> None:
        try:
            self._apply(_pydate(self.ended.date()))
        except MeasureError as error:
            self.error.setText(error.en if i18n.english() else error.zh)
            self.error.show()
            return
        super().accept()


class MeasuresView(QGroupBox):
    """One household's measures, and the buttons that add, change and end them; the
    list follows the op runner's broadcast of any change to the household shown."""

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        ops.changed.connect(self._changed)
        self._today = today
        self._household_id: str | None = None
        self.dialog: QDialog | None = None
        self.model = MeasuresModel(self)
        self.table = row_table(self.model, "measures")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.open_edit())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.show_ended = QCheckBox(self.tr("显示已结束的措施"))
        self.show_ended.setObjectName("show_ended")
        self.show_ended.toggled.connect(lambda _on: self.reload())
        self.add_button = self._button(self.tr("添加措施…"), self.open_add)
        self.edit_button = self._button(self.tr("修改…"), self.open_edit)
        self.end_button = self._button(self.tr("结束…"), self.open_end)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_ended)
        buttons.addStretch()
        for button in (self.add_button, self.edit_button, self.end_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.show_household(None)

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def today(self) -> date:
        return self._today or date.today()

    def show_household(self, household_id: str | None) -> None:
        """Show one household's measures, or none."""
        self._household_id = household_id
        self.reload()

    def _changed(self, changed: Changed) -> None:
        if changed.touches("measure") and changed.touches_household(self._household_id):
            self.reload()

    def reload(self) -> None:
        shown: list[Measure] = []
        if self._household_id is not None:
            with self.ops.store.reading() as conn:
                shown = measures.for_household(conn, self._household_id)
        today = self.today()
        current = [m for m in shown if m.is_current(today)]
        self.model.set_measures(shown if self.show_ended.isChecked() else current, today)
        self.table.setColumnHidden(_END_COLUMN, not self.show_ended.isChecked())
        self.setTitle(self.tr("帮扶措施（享受政策 %n 项）", "", len(current))
                      if self._household_id else self.tr("帮扶措施（享受政策）"))
        self.add_button.setEnabled(self._household_id is not None)
        self._selection_changed()

    def current_measure(self) -> Measure | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _selection_changed(self) -> None:
        chosen = self.current_measure()
        self.edit_button.setEnabled(chosen is not None)
        self.end_button.setEnabled(chosen is not None and chosen.is_current(self.today()))

    # Dialogs (opened, not exec'd, so tests can fill them in) -------------------------------

    def open_add(self) -> MeasureDialog | None:
        household_id = self._household_id
        if household_id is None:
            return None
        store = self.ops.store

        def apply(fields: dict[str, Any]) -> None:
            self.ops.write(lambda: measures.add(store, household_id, self.today(), **fields))

        return self._open(MeasureDialog(self.tr("添加帮扶措施"), None, self.today(), apply,
                                        self))

    def open_edit(self) -> MeasureDialog | None:
        measure = self.current_measure()
        if measure is None:
            return None
        store = self.ops.store

        def apply(fields: dict[str, Any]) -> None:
            self.ops.write(lambda: measures.update(store, measure.id, self.today(), fields))

        return self._open(MeasureDialog(self.tr("修改帮扶措施"), measure, self.today(), apply,
                                        self))

    def open_end(self) -> EndDialog | None:
        measure = self.current_measure()
        if measure is None:
            return None
        store = self.ops.store

        def apply(day: date) -> None:
            self.ops.write(lambda: measures.end(store, measure.id, day, self.today()))

        return self._open(EndDialog(measure, self.today(), apply, self))

    def _open(self, dialog: _Dialog) -> _Dialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog
