"""One answer control per question type, large enough for a finger and usable by keyboard.

Each control shows an answer and reports a change with ``changed(value, typed)``: ``typed``
is true for keystrokes (the wizard saves them after a short pause) and false for a click
(saved at once). Values are those the expression language expects: bool for yes/no, text
for a single choice, a list for a multiple choice, int for an integer, int or float for
money, ``datetime.date`` for a date, text for text and for a photo (the photo's id).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.checklist.forms import Question
from fieldvisit.errors import FieldVisitError

BIG = 44  # px: the height of a control a finger can hit
TOGGLE_STYLE = (
    f"QPushButton {{ min-height: {BIG}px; min-width: 120px; font-size: 13pt; }}"
    "QPushButton:checked { background: #1d4f91; border-color: #1d4f91; color: #ffffff; }"
    "QPushButton:checked:disabled { background: #9fb4cf; color: #f4f6f9; }"
)
CHOICE_STYLE = (
    "QRadioButton, QCheckBox { min-height: 36px; font-size: 12pt; padding: 2px 4px; }"
    "QRadioButton::indicator, QCheckBox::indicator { width: 22px; height: 22px; }"
)
EDIT_STYLE = f"QLineEdit, QDateEdit {{ min-height: {BIG - 12}px; font-size: 13pt; }}"
UNANSWERED_DATE = QDate(1900, 1, 1)
_INTEGER = QRegularExpression(r"-?\d{0,12}")
_MONEY = QRegularExpression(r"-?\d{0,12}(\.\d{0,2})?")


class AnswerWidget(QWidget):
    """Base: ``value()``/``set_value()`` and the ``changed(value, typed)`` signal."""

    changed = Signal(object, bool)

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self._loading = False

    def value(self) -> object:
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        """Show a stored answer without reporting it as a change."""
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False

    def _show(self, value: object) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def _emit(self, typed: bool) -> None:
        if not self._loading:
            self.changed.emit(self.value(), typed)


class YesNoWidget(AnswerWidget):
    """Two big toggle buttons, 是 and 否; clicking the chosen one again clears it."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.setStyleSheet(TOGGLE_STYLE)
        self.yes = QPushButton(self.tr("是"))
        self.no = QPushButton(self.tr("否"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.yes, self.no):
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.clicked.connect(self._clicked)
            layout.addWidget(button)
        layout.addStretch()

    def _clicked(self) -> None:
        sender = self.sender()
        other = self.no if sender is self.yes else self.yes
        if isinstance(sender, QPushButton) and sender.isChecked():
            other.setChecked(False)
        self._emit(False)

    def value(self) -> object:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None

    def _show(self, value: object) -> None:
        self.yes.setChecked(value is True)
        self.no.setChecked(value is False)


class ChoiceWidget(AnswerWidget):
    """Radio buttons (single choice) or check boxes (multiple choice), one per line."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.setStyleSheet(CHOICE_STYLE)
        self.multiple = question.type == "multiple_choice"
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # exclusivity by hand: a radio answer can be cleared
        self.buttons: dict[str, QAbstractButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for choice in question.choices:
            button: QAbstractButton = (QCheckBox(choice.label) if self.multiple
                                       else QRadioButton(choice.label))
            button.setProperty("choice", choice.value)
            self.group.addButton(button)
            self.buttons[choice.value] = button
            layout.addWidget(button)
        self.group.buttonClicked.connect(self._clicked)

    def _clicked(self, button: QAbstractButton) -> None:
        if not self.multiple and button.isChecked():
            for other in self.buttons.values():
                if other is not button:
                    other.setChecked(False)
        self._emit(False)

    def value(self) -> object:
        picked = [value for value, button in self.buttons.items() if button.isChecked()]
        if self.multiple:
            return picked
        return picked[0] if picked else None

    def _show(self, value: object) -> None:
        chosen = set(value) if isinstance(value, list) else {value}
        for choice, button in self.buttons.items():
            button.setChecked(choice in chosen)


class NumberWidget(AnswerWidget):
    """A line edit taking digits (integer) or digits with two decimals (money)."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.setStyleSheet(EDIT_STYLE)
        self.money = question.type == "money"
        self.edit = QLineEdit()
        self.edit.setValidator(QRegularExpressionValidator(
            _MONEY if self.money else _INTEGER, self.edit))
        self.edit.setMaximumWidth(240)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setPlaceholderText(self.tr("金额") if self.money else self.tr("数字"))
        self.edit.textEdited.connect(lambda _text: self._emit(True))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        if question.unit:
            unit = QLabel(question.unit)
            unit.setObjectName("unit")
            layout.addWidget(unit)
        layout.addStretch()

    def value(self) -> object:
        text = self.edit.text().strip()
        if text in ("", "-", ".", "-."):
            return None
        if not self.money:
            return int(text)
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number

    def _show(self, value: object) -> None:
        if value is None or isinstance(value, bool):
            self.edit.setText("")
        elif isinstance(value, float) and value.is_integer():
            self.edit.setText(str(int(value)))
        else:
            self.edit.setText(str(value))


class DateWidget(AnswerWidget):
    """A date edit with a calendar; its lowest date stands for 未填."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.setStyleSheet(EDIT_STYLE)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setMinimumDate(UNANSWERED_DATE)
        self.edit.setSpecialValueText(self.tr("（未填）"))
        self.edit.setDate(UNANSWERED_DATE)
        self.edit.setMinimumWidth(200)
        self.edit.dateChanged.connect(lambda _d: self._emit(True))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addStretch()

    def value(self) -> object:
        chosen = self.edit.date()
        if chosen == UNANSWERED_DATE:
            return None
        return date(chosen.year(), chosen.month(), chosen.day())

    def _show(self, value: object) -> None:
        if isinstance(value, date):
            self.edit.setDate(QDate(value.year, value.month, value.day))
        else:
            self.edit.setDate(UNANSWERED_DATE)


class TextWidget(AnswerWidget):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.setStyleSheet(EDIT_STYLE)
        self.edit = QLineEdit()
        self.edit.setMaxLength(500)
        self.edit.textEdited.connect(lambda _text: self._emit(True))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        if question.unit:
            layout.addWidget(QLabel(question.unit))

    def value(self) -> object:
        text = self.edit.text().strip()
        return text or None

    def _show(self, value: object) -> None:
        self.edit.setText("" if value is None else str(value))


class PhotoWidget(AnswerWidget):
    """“添加照片…” picks a JPEG or PNG; ``attach(path)`` stores it and returns its id."""

    def __init__(self, question: Question, attach: Callable[[Path], tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.setStyleSheet(TOGGLE_STYLE)
        self._attach = attach
        self._photo_id: str | None = None
        self.button = QPushButton(self.tr("添加照片…"))
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self._choose)
        self.shown = QLabel()
        self.shown.setObjectName("photo_name")
        self.error = QLabel()
        self.error.setProperty("severity", "error")
        self.error.setStyleSheet("color: #b42318;")
        self.error.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.shown, 1)
        layout.addWidget(self.error, 1)

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择照片"), "", self.tr("照片 (*.jpg *.jpeg *.png)"))
        if path:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> bool:
        """Store the file with the visit (photos.attach); False with a message if refused."""
        try:
            photo_id, name = self._attach(path)
        except FieldVisitError as error:  # PhotoError, VisitError: the zh part is the message
            self.error.setText(error.zh)
            self.error.show()
            return False
        self.error.hide()
        self._photo_id = photo_id
        self.shown.setText(self.tr("已添加：%1").replace("%1", name))
        self._emit(False)
        return True

    def value(self) -> object:
        return self._photo_id

    def _show(self, value: object) -> None:
        self._photo_id = str(value) if value else None
        self.shown.setText(self.tr("已添加照片") if value else self.tr("（未添加）"))

    def set_read_only(self, read_only: bool) -> None:
        self.button.setVisible(not read_only)


def answer_widget(question: Question, attach: Callable[[Path], tuple[str, str]],
                  parent: QWidget | None = None) -> AnswerWidget:
    """The control for a question's type."""
    kind = question.type
    if kind == "yes_no":
        return YesNoWidget(question, parent)
    if kind in ("single_choice", "multiple_choice"):
        return ChoiceWidget(question, parent)
    if kind in ("integer", "money"):
        return NumberWidget(question, parent)
    if kind == "date":
        return DateWidget(question, parent)
    if kind == "photo":
        return PhotoWidget(question, attach, parent)
    return TextWidget(question, parent)
