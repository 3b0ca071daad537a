"""Shared fixtures: real SQLite stores in temporary folders, Qt offscreen."""

from __future__ import annotations

import os
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fieldvisit import demo
from fieldvisit.store import Store

SAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "samples")
DEMO_DAY = date(2026, 11, 1)


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "fieldvisit.sqlite", actor="测试员")
    yield opened
    opened.close()


@pytest.fixture
def demo_store(store):
    """A store holding a 60-household demo village, generated for a fixed day."""
    demo.populate(store, households=60, seed=11, today=DEMO_DAY)
    return store


@pytest.fixture
def window(qtbot, demo_store):
    """The main window on the demo village, once its roster is on screen."""
    from fieldvisit.qt.main_window import MainWindow

    shown = MainWindow(demo_store)
    qtbot.addWidget(shown)
    with qtbot.waitSignal(shown.roster_loaded, timeout=10_000):
        shown.show()
    qtbot.waitUntil(lambda: not shown.is_loading(), timeout=10_000)  # its thread has ended
    return shown
