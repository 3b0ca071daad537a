"""The household panel's 历史记录 tab: an edit made in the member dialog is on it at once,
newest first, with who made it."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from test_qt_member_edit import GOOD_PHONE, first_head

from fieldvisit.qt.member_dialog import MemberDialog


def test_a_member_edit_shows_at_once_in_the_history_tab(qtbot, window):
    head = first_head(window)
    history = window.panel.history
    window.panel.details.setCurrentWidget(history)
    before = history.model.rowCount()
    assert before > 0  # the demo household's own creation, at least

    def fill_in_and_save() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MemberDialog)
        dialog.inputs["phone"].setText(GOOD_PHONE)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(0, fill_in_and_save)
    window.edit_member(head)

    assert history.model.rowCount() == before + 1
    newest = history.line(0)
    assert f"成员 {head.name} 的 联系电话：{head.phone or '空'} → {GOOD_PHONE}" in newest
    assert "测试员" in newest and "本机" in newest


def test_no_household_shows_no_history(qtbot, window):
    window.panel.show_household(None, [], "")
    assert window.panel.history.model.rowCount() == 0
