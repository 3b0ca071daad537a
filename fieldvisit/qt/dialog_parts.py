"""The parts every editing dialog ends with: the inline refusal and 确定/取消.

A dialog whose save the core refuses stays open and says why under its form, in the
same place and colour in every dialog, so a cadre learns one way to read it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

ERROR_COLOUR = "#c0392b"


def error_label() -> QLabel:
    """Hidden until a save is refused; wraps whole messages."""
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setProperty("severity", "error")
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.hide()
    return label


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    """确定/取消 wired to the dialog's accept and reject."""
    ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
    buttons = QDialogButtonBox(ok | cancel)
    buttons.button(ok).setText(QCoreApplication.translate("DialogParts", "确定"))
    buttons.button(cancel).setText(QCoreApplication.translate("DialogParts", "取消"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
