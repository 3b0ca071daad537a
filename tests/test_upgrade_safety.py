"""A failed schema upgrade leaves the old data usable (issue 16 §3): a kill -9 at any
statement of an upgrade, a disk that fills during it or before it, on a laptop's encrypted
SQLite store and on the county's PostgreSQL."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from conftest import needs_postgres
from sqlalchemy import event, select, text

from fieldvisit import demo
from fieldvisit.county import office
from fieldvisit.county.models import Device
from fieldvisit.county.office import County
from fieldvisit.store import Store, make_engine, migrate
from fieldvisit.store.migrate import BEFORE_UPGRADE, UPGRADING, UpgradeFailed, with_suffix
from tests.sync_parties import make_county, make_laptop
from tests.vaults import unlocked

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ("county", "township", "village", "village_group", "household", "member", "journal")
OLD = "0008"  # the revision before the newest: upgrading from it runs real DDL


def rows(store: Store) -> dict[str, list[tuple]]:
    """The roster tables and the journal, as an older schema has them too."""
    with store.reading() as conn:
        return {table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
                for table in ROSTER}


def old_laptop(folder: Path) -> dict[str, list[tuple]]:
    """An encrypted laptop folder at revision ``OLD`` holding a demo village; its rows."""
    store = unlocked(folder, create=True).store
    demo.populate(store, 3, seed=5)
    kept = rows(store)
    command.downgrade(migrate.alembic_config(store.engine), OLD)
    store.close()
    return kept


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from sqlalchemy import Engine, event
    from tests.vaults import unlocked

    folder, left = Path(sys.argv[1]), [int(sys.argv[2])]
    copy = folder / "fieldvisit.sqlite.upgrading"

    @event.listens_for(Engine, "before_cursor_execute")
    def counted(*_args):
        if copy.exists():  # only the statements of the upgrade itself
            left[0] -= 1
            if left[0] < 0:
                os.kill(os.getpid(), signal.SIGKILL)

    unlocked(folder).store.close()
    print("finished")
""")


def test_an_upgrade_killed_at_any_statement_opens_whole_on_the_next_start(tmp_path):
    original = tmp_path / "original"
    before = old_laptop(original)
    step, interrupted = 0, 0
    while True:
        folder = tmp_path / f"run{step}"
        shutil.copytree(original, folder)
        run = subprocess.run([sys.executable, "-c", KILLER, str(folder), str(step)], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        if "finished" not in run.stdout:
            assert run.returncode == -9, run.stderr
            assert (folder / "fieldvisit.sqlite.upgrading").exists()
            interrupted += 1
        store = unlocked(folder).store  # puts the copy back, then upgrades again
        try:
            assert migrate.current(store.engine) == migrate.HEAD, f"step {step}"
            assert rows(store) == before, f"step {step}"
        finally:
            store.close()
        assert not (folder / "fieldvisit.sqlite.upgrading").exists()
        shutil.rmtree(folder)
        if "finished" in run.stdout:
            break
        step += 1
    assert interrupted >= 5  # the DDL of the upgrade, statement by statement


def test_a_disk_that_fills_during_the_upgrade_leaves_the_old_store_and_says_so(tmp_path):
    """SQLite's own "database or disk is full", made real with max_page_count."""
    store = Store.open(tmp_path / "fieldvisit.sqlite")
    demo.populate(store, 3, seed=5)
    before = rows(store)
    command.downgrade(migrate.alembic_config(store.engine), OLD)
    store.close()
    database = tmp_path / "fieldvisit.sqlite"
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM")  # no free pages left by the downgrade to fill first
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    event.listen(engine, "connect", lambda connection, _record: connection.execute(
        f"PRAGMA max_page_count = {pages + 1}"))
    with pytest.raises(UpgradeFailed) as refused:
        migrate.upgrade(engine)
    engine.dispose()
    assert "磁盘已满" in refused.value.zh and "nothing is lost" in refused.value.en
    assert "已恢复成升级前的数据" in refused.value.zh
    assert not with_suffix(database, UPGRADING).exists()
    plain = make_engine(f"sqlite:///{database}")
    assert migrate.current(plain) == OLD
    plain.dispose()
    reopened = Store.open(database)  # with space again, the next start upgrades
    try:
        assert migrate.current(reopened.engine) == migrate.HEAD
        assert rows(reopened) == before
    finally:
        reopened.close()
    assert with_suffix(database, BEFORE_UPGRADE).exists()  # the latest copy stays


def test_no_room_for_the_copy_refuses_the_upgrade_and_changes_nothing(tmp_path, monkeypatch):
    before = old_laptop(tmp_path)
    database = tmp_path / "fieldvisit.sqlite"
    untouched = database.read_bytes()

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(migrate.shutil, "copyfile", full)
    with pytest.raises(UpgradeFailed, match="数据没有改动"):
        unlocked(tmp_path)
    assert database.read_bytes() == untouched
    assert not list(tmp_path.glob("*.upgrading*")) and not list(tmp_path.glob(".*.part"))
    monkeypatch.undo()
    store = unlocked(tmp_path).store
    try:
        assert rows(store) == before
    finally:
        store.close()


COUNTY_KILLER = textwrap.dedent("""
    import os, signal, sys
    from sqlalchemy import Engine, event
    from fieldvisit.county.office import County

    folder, url, left = sys.argv[1], sys.argv[2], [int(sys.argv[3])]

    @event.listens_for(Engine, "before_cursor_execute")
    def counted(_conn, _cursor, statement, *_args):
        if any(word in statement for word in ("CREATE", "ALTER", "DROP")):
            left[0] -= 1
            if left[0] < 0:
                os.kill(os.getpid(), signal.SIGKILL)

    County.open(folder, database_url=url).close()
    print("finished")
""")


@needs_postgres
def test_a_county_upgrade_killed_midway_on_postgresql_rolls_back_whole(tmp_path, pg_url):
    """PostgreSQL runs the upgrade's DDL in its one transaction: killed at any DDL
    statement, the county is still at its old revision with every device, and the next
    start upgrades it."""
    county = make_county(tmp_path / "county", households=3, database_url=pg_url)
    device = make_laptop(county, tmp_path / "a").device
    engine = county.store.engine
    command.downgrade(migrate.alembic_config(engine, office.MIGRATIONS), "c001")
    county.close()
    step = 0
    while True:
        run = subprocess.run([sys.executable, "-c", COUNTY_KILLER, str(tmp_path / "county"),
                              pg_url, str(step)], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)
        if "finished" in run.stdout:
            break
        assert run.returncode == -9, run.stderr
        check = make_engine(pg_url)
        assert migrate.current(check, office.HISTORY.version_table) == "c001", f"step {step}"
        check.dispose()
        step += 1
    assert step >= 2
    reopened = County.open(tmp_path / "county", database_url=pg_url)
    try:
        assert migrate.current(reopened.store.engine, "county_alembic_version") == office.HEAD
        with reopened.store.reading() as conn:
            assert conn.execute(select(Device.id)).scalars().all() == [device]
    finally:
        reopened.close()


def test_the_county_head_is_its_newest_migration(tmp_path):
    county = County.open(tmp_path / "county")
    try:
        engine = county.store.engine
        assert migrate.script_head(engine, office.MIGRATIONS) == office.HEAD
        assert migrate.current(engine, "county_alembic_version") == office.HEAD
    finally:
        county.close()


def test_the_login_screen_tells_the_cadre_when_the_upgrade_cannot_run(qtbot, qapp, tmp_path,
                                                                       monkeypatch, screenshots):
    from fieldvisit.qt import fonts
    from fieldvisit.qt.login_dialog import LoginDialog
    from tests.vaults import CADRE, PASSWORD

    old_laptop(tmp_path)

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(migrate.shutil, "copyfile", full)
    dialog = LoginDialog(tmp_path)
    fonts.apply_application_font(qapp)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.cadre.currentText() == CADRE
    dialog.password.setText(PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=20_000)
    assert "数据没有改动" in dialog.error.text() and "腾出磁盘空间" in dialog.error.text()
    assert dialog.unlocked is None and dialog.isVisible()
    dialog.grab().save(str(screenshots / "login_upgrade_refused.png"))
