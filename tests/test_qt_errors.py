"""What escapes a screen reaches the cadre as a message box (fieldvisit.qt.app).

A FieldVisitError is shown as its Chinese and English, with no traceback kept; anything
else is logged with its traceback (without ID numbers, phones or the Chinese of its
message: fieldvisit.crashlog) to the folder's rotating log, and the box says what to do
and where the log is. The box opens on the UI thread even when a worker thread raised;
a plain thread's exception reaches it through threading.excepthook.
"""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from fieldvisit import crashlog
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
    reporter = ErrorReporter(tmp_path)
    reporter.hook(*raised(FieldVisitError("没有这个村", "no such village")))
    assert shown == [(QMessageBox.Icon.Warning, "没有这个村", "no such village", "")]
    assert not crashlog.error_log(tmp_path).exists()


def test_a_bug_is_logged_and_the_box_says_where(qapp, shown, tmp_path, capsys):
    log = crashlog.error_log(tmp_path)
    reporter = ErrorReporter(tmp_path)
    reporter.hook(*raised(KeyError("household")))
    [(icon, text, english, details)] = shown
    assert icon == QMessageBox.Icon.Critical
    assert "意外的错误" in text and "已经保存的内容都还在" in text and "导出诊断信息" in text
    assert str(log) in english
    assert "Traceback" in details and "KeyError: 'household'" in details
    assert "KeyError: 'household'" in log.read_text(encoding="utf-8")
    assert "KeyError: 'household'" in capsys.readouterr().err


def test_a_worker_threads_failure_is_shown_on_the_ui_thread(qapp, qtbot, shown, tmp_path):
    reporter = ErrorReporter(tmp_path)
    worker = threading.Thread(
        target=lambda: reporter.hook(*raised(FieldVisitError("同步失败", "sync failed"))))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [(QMessageBox.Icon.Warning, "同步失败", "sync failed", "")]


ID_NUMBER, PHONE, NAME = "11010519491231002X", "13912345678", "张三丰"


def test_a_slots_exception_is_logged_without_personal_data(qapp, qtbot, shown, tmp_path):
    """Raised in a real slot (a button's click): the box, and a log line with the
    household code but not the ID number, the phone or the name the message quoted."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    reporter = ErrorReporter(tmp_path)
    restore = reporter.install()
    button = QPushButton("go")
    qtbot.addWidget(button)

    def slot() -> None:
        raise ValueError(f"户 110105001001001 {NAME} {ID_NUMBER} {PHONE}")

    button.clicked.connect(slot)
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(shown))
    finally:
        restore()
        crashlog.close(tmp_path)
    raw = crashlog.error_log(tmp_path).read_bytes()
    assert b"ValueError" in raw and b"110105001001001" in raw and b"in slot" in raw
    for secret in (ID_NUMBER, PHONE, NAME):
        assert secret.encode() not in raw
        assert secret not in shown[0][3]


def test_a_plain_threads_exception_reaches_the_box(qapp, qtbot, shown, tmp_path):
    reporter = ErrorReporter(tmp_path)
    restore = reporter.install()
    try:
        worker = threading.Thread(target=lambda: 1 / 0)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(shown))
    finally:
        restore()
        crashlog.close(tmp_path)
    assert shown[0][0] == QMessageBox.Icon.Critical
    assert "ZeroDivisionError" in crashlog.error_log(tmp_path).read_text(encoding="utf-8")


def test_the_log_rotates(tmp_path, monkeypatch):
    monkeypatch.setattr(crashlog, "MAX_BYTES", 2_000)
    try:
        for _ in range(60):
            crashlog.record(tmp_path, raised(RuntimeError("x" * 200))[1])
    finally:
        crashlog.close(tmp_path)
    files = crashlog.log_files(tmp_path)
    assert len(files) == crashlog.BACKUPS + 1
    assert all(f.stat().st_size <= 2_000 + 1_000 for f in files)


def test_screenshot_of_the_crash_box(qapp, monkeypatch, tmp_path, screenshots):
    from fieldvisit.qt import fonts

    fonts.apply_application_font(qapp)
    saved: list[str] = []

    def grab(box: QMessageBox) -> int:
        box.show()
        box.grab().save(str(screenshots / "crash_dialog.png"))
        saved.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", grab)
    try:
        ErrorReporter(tmp_path).hook(*raised(RuntimeError("boom")))
    finally:
        crashlog.close(tmp_path)
    assert saved and (screenshots / "crash_dialog.png").stat().st_size > 0


def test_a_workers_bug_re_raised_by_its_screen_is_logged_with_the_workers_frames(
        qapp, qtbot, shown, tmp_path):
    import shiboken6
    from PySide6.QtCore import QObject

    from fieldvisit.qt.workers import Worker

    def job(_progress, _cancelled):
        raise RuntimeError(f"worker failed for {ID_NUMBER}")

    def failed(error: BaseException) -> None:
        raise error  # what a screen does with a failure it does not expect

    reporter = ErrorReporter(tmp_path)
    restore = reporter.install()
    owner = QObject()
    try:
        worker = Worker(job, owner)
        worker.failed.connect(failed)
        worker.start()
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
        worker.wait()
    finally:
        shiboken6.delete(owner)  # while the worker's wrapper is alive (test_qt_workers)
        restore()
        crashlog.close(tmp_path)
    text = crashlog.error_log(tmp_path).read_text(encoding="utf-8")
    assert "in job" in text and "RuntimeError: worker failed for <id-number>" in text
    assert ID_NUMBER not in text
