"""核实无误…: the note and who checked, for one data-quality problem found right.

``apply(note, actor)`` does the write (``quality.dismissals.dismiss`` through the op
runner); when it refuses (no note, dismissed already …) the reason shows here and the
dialog stays open, as the ledger's move dialog does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.errors import FieldVisitError
from fieldvisit.qt import i18n
from fieldvisit.qt.dialog_parts import error_label, ok_cancel


class DismissDialog(QDialog):
    def __init__(self, summary: str, actor: str, apply: Callable[[str, str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._apply = apply
        self.setWindowTitle(self.tr("核实无误"))
        self.setMinimumWidth(480)
        shown = QLabel(summary)
        shown.setWordWrap(True)
        hint = QLabel(self.tr("核实后确认登记无误的，写明核实情况；此问题仍会列出（灰色），"
                              "但不再计入数据质量问题。"))
        hint.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("如：已查看户口本，出生日期属实"))
        self.note.setFixedHeight(90)
        self.actor = QLineEdit(actor)
        self.actor.setObjectName("actor")
        form = QFormLayout()
        form.addRow(self.tr("核实情况："), self.note)
        form.addRow(self.tr("核实人："), self.actor)
        self.error = error_label()
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(shown)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self._apply(self.note.toPlainText(), self.actor.text())
        except FieldVisitError as error:
            self.error.setText(error.en if i18n.english() else error.zh)
            self.error.show()
            return
        super().accept()
