"""The worker that runs long jobs off the UI thread."""

from __future__ import annotations

import gc

from fieldvisit.qt.workers import Worker


def test_no_garbage_collection_runs_in_a_worker_and_it_resumes_after(qtbot):
    """A collection in a worker thread can destroy Qt objects off the UI thread (a
    segfault seen while the roster loaded); the collector waits while jobs run."""
    seen: list[bool] = []
    worker = Worker(lambda progress, cancelled: seen.append(gc.isenabled()))
    with qtbot.waitSignal(worker.done, timeout=5_000):
        worker.start()
    worker.wait()
    assert seen == [False]
    assert gc.isenabled()


def test_progress_and_result_reach_the_ui_thread(qtbot):
    def job(progress, cancelled):
        for done in range(1, 4):
            progress(done, 3)
        return "完成"

    worker = Worker(job)
    reports: list[tuple[int, int]] = []
    results: list[object] = []
    worker.progress.connect(lambda done, total: reports.append((done, total)))
    worker.succeeded.connect(results.append)
    with qtbot.waitSignal(worker.done, timeout=5_000):
        worker.start()
    worker.wait()
    assert reports[-1] == (3, 3) and results == ["完成"]
