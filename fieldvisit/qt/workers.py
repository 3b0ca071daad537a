"""Long work off the UI thread: a job function runs in a QThread and reports back by signal.

Loading 100,000 persons, importing a county roster, printing cards and exporting take
seconds; the window must keep painting and the user must be able to cancel. A job is a
plain function ``fn(progress, cancelled) -> result`` so the core stays Qt-free:
``progress(done, total)`` and ``cancelled() -> bool`` are ordinary callables it may call
or ignore.

Every worker has an owner (its QObject parent: the screen or dialog it works for), so a
closing window finds every running job under it (``stop_all``), asks it to cancel and
waits for its thread, and an owner deleted anyway joins its workers first: no thread
outlives the widgets it reports to.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from fieldvisit import collector

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
JobFunction = Callable[[Progress, Cancelled], Any]

_MIN_INTERVAL = 0.04  # seconds between progress signals: a 100,000-row loop must not flood


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

    def __init__(self, job: JobFunction, owner: QObject) -> None:
        super().__init__(owner)
        self._job = job
        self._cancel = threading.Event()
        self._last_report = 0.0
        self.finished.connect(self.done)
        # No automatic garbage collection while a job runs, wherever the job is started
        # from (a dialog with no main window too): one in its thread could destroy a Qt
        # object off the UI thread. Released on ``done``, in the UI thread.
        self.done.connect(collector.release)
        # An owner emits destroyed before it deletes its children: a screen deleted with a
        # job still running joins it first, rather than Qt aborting on a running thread.
        owner.destroyed.connect(self.stop)

    def start(self, priority: QThread.Priority = QThread.Priority.InheritPriority) -> None:
        collector.hold()
        super().start(priority)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelling(self) -> bool:
        return self._cancel.is_set()

    def stop(self) -> None:
        """Ask the job to cancel (it may finish first) and wait for the thread to end."""
        self._cancel.set()
        self.wait()

    def run(self) -> None:  # in the worker thread
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


# A screen's reads ------------------------------------------------------------------------------

class Loader(QObject):
    """A screen's reads in a worker: one at a time, the latest request winning.

    The roster, the ledger and the dashboard read the store whenever what they show may
    be stale (opened, a filter changed, a write was broadcast), and requests come faster
    than reads end. The loader runs one, keeps only the newest request meanwhile and
    starts it when the running one ends: the screen never shows data older than its last
    request, and never has two threads reading for it.

    ``loaded(result)`` or ``failed(error)`` per read; ``idle()`` once no read runs or
    waits. ``stop()`` (a closing screen) waits for the running read and refuses more.
    """

    loaded = Signal(object)
    failed = Signal(object)
    idle = Signal()

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._worker: Worker | None = None
        self._next: JobFunction | None = None
        self._stopped = False

    def load(self, job: JobFunction) -> None:
        if self._stopped:
            return
        if self._worker is not None:
            self._next = job
            return
        self._worker = Worker(job, self)
        self._worker.succeeded.connect(self.loaded)
        self._worker.failed.connect(self.failed)
        self._worker.done.connect(self._done)
        self._worker.start()

    def is_busy(self) -> bool:
        return self._worker is not None

    def stop(self) -> None:
        self._stopped = True
        self._next = None
        if self._worker is not None:
            self._worker.stop()

    def _done(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        job, self._next = self._next, None
        if job is not None:
            self.load(job)
        else:
            self.idle.emit()


def stop_all(owner: QObject) -> None:
    """Stop every loader and worker ``owner`` holds (its screens' and dialogs' too):
    running jobs are asked to cancel and waited for, and no loader starts another. What
    a closing window or dialog does before its widgets go."""
    for loader in owner.findChildren(Loader):
        loader.stop()
    for worker in owner.findChildren(Worker):
        worker.stop()
