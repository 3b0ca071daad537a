"""Run Alembic migrations at start, from the package (also when frozen), so that a failed
upgrade never costs a cadre their data.

Alembic itself takes a noticeable share of start-up to import, so an up-to-date database
is recognised with one query against its version table and Alembic loads only when there
is something to upgrade.

An upgrade of a SQLite file (every laptop; the county's embedded default) first copies
the database beside itself (``<file>.upgrading``) and only then migrates. Python's
sqlite3 driver runs DDL outside a transaction, so a migration killed midway (power cut,
kill -9) or stopped by a full disk can leave a half-changed schema that no later start
could upgrade; the copy is what makes every failure recoverable. A failed upgrade puts
the copy back at once and tells the cadre; one killed midway leaves the copy, and the
next start puts it back before trying again. After a success the copy is kept as
``<file>.before-upgrade`` (one, the latest), in case a migration turns out wrong later.
On a laptop the copy is the encrypted file itself, so nothing is exposed. PostgreSQL
runs DDL inside the one transaction of an upgrade, so there the database itself rolls
back and no copy is made.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, MetaData, inspect, text

from fieldvisit.errors import FieldVisitError
from fieldvisit.files import replacing

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0009"  # the newest revision in migrations/versions; a test keeps this true
UPGRADING = ".upgrading"  # the copy taken before an upgrade, while it runs
BEFORE_UPGRADE = ".before-upgrade"  # the same copy, kept after the upgrade succeeded


@dataclass(frozen=True)
class History:
    """One line of migrations: the store's, or the county's own tables beside them."""

    folder: Path
    head: str
    version_table: str = "alembic_version"


STORE = History(MIGRATIONS, HEAD)


class UpgradeFailed(FieldVisitError):
    reason = "upgrade-failed"


def alembic_config(engine: Engine, migrations: Path = MIGRATIONS) -> Config:
    """Alembic's configuration for a folder of migrations, run on ``engine`` (the county
    server keeps its own tables' migrations beside the store's)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["engine"] = engine
    return config


def run_environment(metadata: MetaData, version_table: str = "alembic_version") -> None:
    """What an ``env.py`` does: migrate on the engine ``alembic_config`` handed over (never
    a URL from a file), altering tables in batch mode on SQLite; every revision of one
    upgrade in one transaction."""
    from alembic import context

    engine = context.config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          version_table=version_table,
                          render_as_batch=engine.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()


def upgrade(engine: Engine, revision: str = "head", history: History = STORE) -> None:
    """Bring the database to ``revision``; on a SQLite file, recoverably (module doc)."""
    database = sqlite_file(engine)
    if database is not None:
        put_back_interrupted(engine, database)
    if revision == "head" and current(engine, history.version_table) == history.head:
        return
    if database is None:
        _alembic_upgrade(engine, revision, history)
        return
    started_from = current(engine, history.version_table)
    copy = _copy_before(engine, database)
    try:
        _alembic_upgrade(engine, revision, history)
    except Exception as failed:
        engine.dispose()
        _put_back(copy, database)
        raise UpgradeFailed(
            f"数据库升级到新版本时失败（{_cause(failed)}），已恢复成升级前的数据，什么也没有丢。"
            "请检查磁盘空间后重新打开；仍不行请用旧版本程序，并把诊断信息交给县里。",
            f"Upgrading the database to the new version failed ({failed}); the data was put "
            "back as it was before the upgrade, nothing is lost. Check the free disk space "
            "and open again; if it fails again, use the previous version and send the "
            "diagnostics to the county.") from failed
    engine.dispose()
    if started_from is None:  # a new database: there was nothing to keep
        copy.unlink()
    else:
        os.replace(copy, with_suffix(database, BEFORE_UPGRADE))


def current(engine: Engine, version_table: str = "alembic_version") -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table(version_table):
            return None
        return conn.execute(text(f"SELECT version_num FROM {version_table}")).scalar()


def script_head(engine: Engine, migrations: Path = MIGRATIONS) -> str | None:
    """The head revision according to the migration scripts themselves."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine, migrations)).get_current_head()


def sqlite_file(engine: Engine) -> Path | None:
    """The database file behind ``engine``; None for a server database or memory."""
    name = engine.url.database
    if engine.dialect.name != "sqlite" or not name or name == ":memory:":
        return None
    return Path(name)


def with_suffix(database: Path, suffix: str) -> Path:
    return database.with_name(database.name + suffix)


def put_back_interrupted(engine: Engine, database: Path) -> None:
    """An upgrade that was killed midway left its copy: the database as it was before."""
    copy = with_suffix(database, UPGRADING)
    if copy.exists():
        engine.dispose()
        _put_back(copy, database)


def _alembic_upgrade(engine: Engine, revision: str, history: History) -> None:
    from alembic import command

    command.upgrade(alembic_config(engine, history.folder), revision)


def _copy_before(engine: Engine, database: Path) -> Path:
    """The whole database in one file beside it, durable before the first DDL runs."""
    if database.exists():
        with engine.connect() as conn:  # everything from the WAL into the main file
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    copy = with_suffix(database, UPGRADING)
    try:
        with replacing(copy) as partial:
            if database.exists():
                shutil.copyfile(database, partial)
    except OSError as failed:
        raise UpgradeFailed(
            f"磁盘空间不足或无法写入（{failed.strerror}），升级前无法备份数据库 {database.name}；"
            "数据没有改动。请腾出磁盘空间（至少是数据库大小的两倍）后重新打开。",
            f"Could not back up the database {database.name} before upgrading "
            f"({failed.strerror}: is the disk full?); nothing was changed. Free some disk "
            "space (at least twice the database's size) and open again.") from failed
    return copy


def _put_back(copy: Path, database: Path) -> None:
    """The database as the copy holds it, in one rename (no space needed on a full disk).
    The half-upgraded database's WAL goes first: SQLite would replay it onto the copy."""
    for leftover in (with_suffix(database, "-wal"), with_suffix(database, "-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(copy, database)


def _cause(failed: Exception) -> str:
    text_of = str(getattr(failed, "orig", None) or failed)
    return "磁盘已满" if "full" in text_of.lower() else text_of.splitlines()[0][:120]
