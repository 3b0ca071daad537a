"""What escapes a screen reaches the cadre as a message box (fieldvisit.qt.app).

A FieldVisitError is shown as its Chinese and English, with no traceback kept; anything
else is logged with its traceback and the box says where the log is. The box opens on
the UI thread even when a worker thread raised.
"""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from fieldvisit.errors import FieldVisitError
from fieldvisit.qt.app import ErrorReporter


@pytest.fixture
def shown(monkeypatch) -> list[tuple[QMessageBox.Icon, str, str, str] | None]:
    """Each box instead of opening it: icon, text, informative and detailed text. A box
    opened off the UI thread is recorded as None."""
    boxes: list[tuple[QMessageBox.Icon, str, str, str] | None] = []

    def record(box: QMessageBox) -> int:
        on_ui_thread = threading.current_thread() is threading.main_thread()
        boxes.append((box.icon(), box.text(), box.informativeText(), box.detailedText())
                     if on_ui_thread else None)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    return boxes


def raised(error: BaseException) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise error
    except BaseException:
        return sys.exc_info()  # type: ignore[return-value]


def test_an_expected_failure_shows_its_two_messages_and_logs_nothing(qapp, shown, tmp_path):
    reporter = ErrorReporter(tmp_path / "errors.log")
    reporter.hook(*raised(FieldVisitError("没有这个村", "no such village")))
    assert shown == [(QMessageBox.Icon.Warning, "没有这个村", "no such village", "")]
    assert not (tmp_path / "errors.log").exists()


def test_a_bug_is_logged_and_the_box_says_where(qapp, shown, tmp_path, capsys):
    log = tmp_path / "errors.log"
    reporter = ErrorReporter(log)
    reporter.hook(*raised(KeyError("household")))
    [(icon, text, english, details)] = shown
    assert icon == QMessageBox.Icon.Critical
    assert "意外的错误" in text and str(log) in text and str(log) in english
    assert "Traceback" in details and "KeyError: 'household'" in details
    assert "KeyError: 'household'" in log.read_text(encoding="utf-8")
    assert "KeyError: 'household'" in capsys.readouterr().err


def test_a_worker_threads_failure_is_shown_on_the_ui_thread(qapp, qtbot, shown, tmp_path):
    reporter = ErrorReporter(tmp_path / "errors.log")
    worker = threading.Thread(
        target=lambda: reporter.hook(*raised(FieldVisitError("同步失败", "sync failed"))))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [(QMessageBox.Icon.Warning, "同步失败", "sync failed", "")]
