"""A dialog's long step on screen: what is happening, a progress bar, 取消, and the outcome.

Printing, the sync dialogs and the roster import each run their work in a
``workers.Worker``; this widget runs it and shows it, so they show it the same way. The
dialog says what its job is and how it ends well; the widget says what happens while it
runs, and how it fails or is cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from fieldvisit.qt.workers import JobFunction, Worker

# What the bar shows between jobs: nothing; the last success, full; or always, full after
# a success and empty otherwise.
IdleBar = Literal["hidden", "after_success", "shown"]


def failure_text(error: BaseException) -> str:
    """出错了：…, for an error the dialog has no better words for."""
    return QCoreApplication.translate("JobProgress", "出错了：%1").replace("%1", str(error))


class JobProgress(QWidget):
    """Runs one job at a time in a Worker: a message, the bar (busy until the job reports
    a total, then done / total) and, when ``cancellable``, its own 取消 button.

    A failure is shown as ``explain(error)`` (``failure_text`` unless the dialog knows
    better), in the error colour when ``mark_errors``; a cancel as ``cancelled_text``.

    ``progressed`` relays the job's reports. ``done`` fires after the worker's thread has
    ended, with "failed", "cancelled" or, for a success, what ``run``'s ``on_success``
    returned ("printed", "imported" …).
    """

    progressed = Signal(int, int)
    done = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, cancelled_text: str,
                 explain: Callable[[Exception], str] = failure_text,
                 cancellable: bool = True, idle_bar: IdleBar = "hidden",
                 mark_errors: bool = False) -> None:
        super().__init__(parent)
        self._cancelled_text = cancelled_text
        self._explain = explain
        self._cancellable = cancellable
        self._idle_bar = idle_bar
        self._mark_errors = mark_errors
        self._worker: Worker | None = None
        self._on_success: Callable[[Any], str] | None = None
        self._then: Callable[[], None] | None = None
        self._outcome = ""
        self._full = False  # the last job succeeded: its bar is full
        self.message = QLabel()
        self.message.setObjectName("stage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self._empty_bar()
        self._set_running(False)

    def run(self, job: JobFunction, text: str, on_success: Callable[[Any], str],
            bar_format: str = "%p%", then: Callable[[], None] | None = None) -> None:
        """Start ``job`` in a worker; ``on_success(result)`` shows its result and returns
        the word ``done`` says. The bar reads ``bar_format`` (%v done, %m total, %p%).
        ``then()`` runs once the thread has ended, however the job ended, before ``done``
        (the op runner broadcasts what a write changed there)."""
        assert self._worker is None, "one job at a time"
        self._outcome = ""
        self._full = False
        self._on_success = on_success
        self._then = then
        self.show_message(text)
        self.bar.setFormat(bar_format)
        self.bar.setRange(0, 0)  # busy until the job reports a total
        self._worker = Worker(job, self)
        self._worker.progress.connect(self._progressed)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        self._worker.cancelled.connect(self._cancelled)
        self._worker.done.connect(self._worker_done)
        self._set_running(True)
        self._worker.start()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self._mark(None)

    def is_busy(self) -> bool:
        return self._worker is not None

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self.message.setText(self.tr("正在取消…"))
            self.cancel_button.setEnabled(False)

    def stop(self) -> None:
        """Cancel a running job (if it can stop) and wait for its thread: a closing dialog
        must not leave one behind, nor cut a transaction short."""
        if self._worker is not None:
            self._worker.stop()

    # The worker's reports ---------------------------------------------------------------------

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.progressed.emit(done, total)

    def _succeeded(self, result: Any) -> None:
        self._full = True
        if self._idle_bar != "hidden":  # it stays on screen: full
            if self.bar.maximum() == 0:
                self.bar.setRange(0, 1)
            self.bar.setValue(self.bar.maximum())
        assert self._on_success is not None
        self._outcome = self._on_success(result)

    def _failed(self, error: Exception) -> None:
        self._outcome = "failed"
        self._empty_bar()
        self.message.setText(self._explain(error))
        if self._mark_errors:
            self._mark("error")

    def _cancelled(self) -> None:
        self._outcome = "cancelled"
        self._empty_bar()
        self.message.setText(self._cancelled_text)

    def _worker_done(self) -> None:
        if self._worker is not None:
            self._worker.wait()
            self._worker.deleteLater()
        self._worker = None
        self._on_success = None
        then, self._then = self._then, None
        self._set_running(False)
        if then is not None:
            then()
        self.done.emit(self._outcome)

    # Looks ------------------------------------------------------------------------------------

    def _empty_bar(self) -> None:
        self.bar.setRange(0, 100)
        self.bar.setValue(0)

    def _set_running(self, running: bool) -> None:
        shown = {"hidden": False, "after_success": self._full, "shown": True}[self._idle_bar]
        self.bar.setVisible(running or shown)
        self.cancel_button.setVisible(running and self._cancellable)
        self.cancel_button.setEnabled(running)

    def _mark(self, severity: str | None) -> None:
        if self.message.property("severity") != severity:
            self.message.setProperty("severity", severity)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)
