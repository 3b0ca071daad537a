"""The worker that runs long jobs off the UI thread, and the loader screens read with."""

from __future__ import annotations

import gc
import threading

import shiboken6
from PySide6.QtCore import QObject

from fieldvisit.qt import collector
from fieldvisit.qt.collector import UiThreadCollector
from fieldvisit.qt.workers import Loader, Worker, stop_all


def test_progress_and_result_reach_the_ui_thread(qtbot):
    def job(progress, cancelled):
        for done in range(1, 4):
            progress(done, 3)
        return "完成"

    owner = QObject()
    worker = Worker(job, owner)
    reports: list[tuple[int, int]] = []
    results: list[object] = []
    worker.progress.connect(lambda done, total: reports.append((done, total)))
    worker.succeeded.connect(results.append)
    with qtbot.waitSignal(worker.done, timeout=5_000):
        worker.start()
    worker.wait()
    assert reports[-1] == (3, 3) and results == ["完成"]


def test_garbage_is_collected_on_the_ui_thread_only_while_a_window_is_open(qtbot):
    """A collection in a worker thread could destroy Qt objects off the UI thread: while
    a collector is owned (by the main window), automatic collection is off and a
    UI-thread timer collects instead; once it has gone, automatic collection is back."""
    collected_in: list[str] = []

    def watch(phase: str, _info: dict) -> None:
        if phase == "start":
            collected_in.append(threading.current_thread().name)

    owner = QObject()
    UiThreadCollector(owner)
    assert not gc.isenabled()
    gc.callbacks.append(watch)
    try:
        for _ in range(3 * gc.get_threshold()[0]):
            cycle: list = []
            cycle.append(cycle)
        qtbot.waitUntil(lambda: bool(collected_in), timeout=3 * collector.INTERVAL_MS)
    finally:
        gc.callbacks.remove(watch)
    assert set(collected_in) == {threading.main_thread().name}
    shiboken6.delete(owner)
    assert gc.isenabled()


def test_no_garbage_is_collected_in_a_job_s_thread_even_with_no_window(qtbot):
    """A dialog may run a job with no main window open (the import dialog's tests do):
    a collection in the job's thread could destroy a Qt object off the UI thread, as it
    did once an import's pause ended there. Automatic collection waits for the job and
    comes back in the UI thread."""
    collected_in: list[str] = []

    def watch(phase: str, _info: dict) -> None:
        if phase == "start":
            collected_in.append(threading.current_thread().name)

    def job(_progress, _cancelled):
        for _ in range(3 * gc.get_threshold()[0]):
            cycle: list = []
            cycle.append(cycle)
        return threading.current_thread().name

    before = gc.isenabled()
    owner = QObject()
    worker = Worker(job, owner)
    ran_in: list[str] = []
    worker.succeeded.connect(ran_in.append)
    gc.callbacks.append(watch)
    try:
        with qtbot.waitSignal(worker.done, timeout=5_000):
            worker.start()
    finally:
        gc.callbacks.remove(watch)
    assert ran_in and ran_in[0] not in collected_in
    assert gc.isenabled() == before


def test_the_loader_runs_the_newest_request_after_the_running_one(qtbot):
    release = threading.Event()
    owner = QObject()
    loader = Loader(owner)
    results: list[str] = []
    loader.loaded.connect(results.append)

    def read(name: str):
        def job(_progress, _cancelled):
            release.wait(5)
            return name
        return job

    loader.load(read("first"))
    loader.load(read("second"))
    loader.load(read("third"))  # replaces "second": only the newest waits
    with qtbot.waitSignal(loader.idle, timeout=5_000):
        release.set()
    assert results == ["first", "third"] and not loader.is_busy()


def test_stopping_cancels_waits_and_refuses_more(qtbot):
    started = threading.Event()
    owner = QObject()
    loader = Loader(owner)

    def job(_progress, cancelled):
        started.set()
        while not cancelled():
            started.wait(0.01)
        raise RuntimeError("cancelled")

    loader.load(job)
    assert started.wait(5)
    stop_all(owner)
    assert all(not w.isRunning() for w in owner.findChildren(Worker))
    qtbot.waitUntil(lambda: not loader.is_busy(), timeout=5_000)
    loader.load(job)
    assert not loader.is_busy()  # a stopped loader starts nothing
