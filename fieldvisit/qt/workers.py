"""Long work off the UI thread: a job function runs in a QThread and reports back by signal.

Loading 100,000 persons, importing a county roster, and later printing cards and
exporting take seconds; the window must keep painting and the user must be able to
cancel. A job is a plain function ``fn(progress, cancelled) -> result`` so the core
stays Qt-free: ``progress(done, total)`` and ``cancelled() -> bool`` are ordinary
callables it may call or ignore.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
JobFunction = Callable[[Progress, Cancelled], Any]

_MIN_INTERVAL = 0.04  # seconds between progress signals: a 100,000-row loop must not flood

_gc_lock = threading.Lock()
_gc_pauses = 0


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No automatic garbage collection while any worker runs.

    The collector runs in whichever thread happens to allocate. Run in a worker, it can
    free a Qt object left in a reference cycle by the UI (a closed dialog's wrapper) and
    destroy it off the UI thread, which crashes Qt (seen as a segfault while the roster
    loaded). Paused for the length of a job, cycles wait for the UI thread instead.
    """
    global _gc_pauses
    with _gc_lock:
        if _gc_pauses == 0:
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                gc.enable()


class Worker(QThread):
    """Runs one job. Exactly one of succeeded / failed / cancelled fires, then ``done``
    (after the thread has ended, so a ``done`` handler may delete the worker).

    A job that raises after ``cancel()`` was asked counts as cancelled (the importer
    raises ImportCancelled; other jobs may raise their own), so callers need not know
    each job's exception type.
    """

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    done = Signal()

    def __init__(self, job: JobFunction, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self._cancel = threading.Event()
        self._last_report = 0.0
        self.finished.connect(self.done)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelling(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:  # in the worker thread
        with _collector_paused():
            self._run_job()

    def _run_job(self) -> None:
        try:
            result = self._job(self._report, self._cancel.is_set)
        except Exception as error:  # handed to the UI thread, which shows it
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.failed.emit(error)
        else:
            self.succeeded.emit(result)

    def _report(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_report >= _MIN_INTERVAL:
            self._last_report = now
            self.progress.emit(done, total)
