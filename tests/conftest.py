"""Shared fixtures: real SQLite stores in temporary folders, Qt offscreen."""

from __future__ import annotations

import os
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Every laptop command logs in (fieldvisit.vault): the tests' cadre and password, with a
# cheap Argon2id so that a hundred CLI runs do not each spend half a second on the KDF.
os.environ.setdefault("FIELDVISIT_CADRE", "测试员")
os.environ.setdefault("FIELDVISIT_PASSWORD", "test-password-1")
os.environ.setdefault("FIELDVISIT_KDF", "1,8")

from fieldvisit import demo

DEMO_DAY = date(2026, 11, 1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots", metavar="DIR", type=Path, default=None,
        help="save the screenshot tests' images into DIR and run only the tests that take "
             "screenshots; write it --screenshots=DIR, as build/dev.py screenshots does "
             "(a separate DIR is read as a test path before this option exists)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --screenshots, keep only the tests that ask for the ``screenshots`` folder:
    regenerating the docs' images should not wait for the whole suite."""
    if config.getoption("screenshots") is None:
        return
    keep = [item for item in items if "screenshots" in getattr(item, "fixturenames", ())]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


@pytest.fixture
def screenshots(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Where a screenshot test saves its images: a temporary folder, so that running the
    suite never rewrites the tracked docs/screenshots; that folder only with
    --screenshots (``python3 build/dev.py screenshots``)."""
    chosen: Path | None = request.config.getoption("screenshots")
    folder = chosen.resolve() if chosen is not None else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


POSTGRES_URL = os.environ.get("FIELDVISIT_TEST_DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL.startswith("postgresql"),
    reason="FIELDVISIT_TEST_DATABASE_URL does not name a PostgreSQL database",
)


@pytest.fixture
def pg_url():
    """A fresh schema on the test database; the URL makes it the search path."""
    schema = f"fv_{uuid.uuid4().hex[:12]}"
    url = POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def formset():
    """The bundled checklists, loaded and validated once for the whole session."""
    from fieldvisit.checklist.forms import bundled_forms_dir, load_forms

    return load_forms(bundled_forms_dir())


@pytest.fixture
def store(tmp_path):
    """A laptop's store as the app opens it: encrypted, the tests' cadre logged in (the
    CLI run on the same folder logs in with the same password)."""
    from tests.vaults import unlocked

    opened = unlocked(tmp_path, create=True).store
    yield opened
    opened.close()


@pytest.fixture
def demo_store(store):
    """A store holding a 60-household demo village, generated for a fixed day."""
    demo.populate(store, households=60, seed=11, today=DEMO_DAY)
    return store


@pytest.fixture
def county(tmp_path):
    """A county server holding a 12-household demo village (tests/sync_parties.py)."""
    from sync_parties import make_county

    opened = make_county(tmp_path / "county")
    yield opened
    opened.close()


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


@pytest.fixture(autouse=True)
def no_dangling_qthreads(monkeypatch):
    """Fail a test that leaves a QThread running (as napari's fixture does): every job a
    screen or dialog starts must be stopped and joined by the time pytest-qt has closed
    the test's widgets, which it does before fixtures are torn down."""
    if "PySide6.QtCore" not in sys.modules:
        yield
        return
    import shiboken6
    from PySide6.QtCore import QThread

    started: list[QThread] = []
    start = QThread.start

    def recorded_start(thread: QThread, *args: object) -> None:
        started.append(thread)
        start(thread, *args)

    monkeypatch.setattr(QThread, "start", recorded_start)
    yield
    running = [repr(thread) for thread in started
               if shiboken6.isValid(thread) and thread.isRunning()]
    for thread in started:
        if shiboken6.isValid(thread):
            thread.wait()  # the next test must not inherit it
    if running:
        pytest.fail(f"the test left QThreads running: {', '.join(running)}")
