"""The local store: one SQLite file (or, on the county server, PostgreSQL).

``Store`` is the single entry object, like Anki's ``Collection``: it opens the database,
runs Alembic migrations, owns the device id and the hybrid logical clock, and is the only
way the app, the CLI and importers write (through ``Store.write``).
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, select, update
from sqlalchemy.orm import Session

from fieldvisit.store import changes as _changes
from fieldvisit.store.changes import Changes, Edit, Insert, Update
from fieldvisit.store.clock import HybridClock, Timestamp
from fieldvisit.store.migrate import upgrade
from fieldvisit.store.models import Meta

__all__ = ["Changes", "Edit", "Insert", "Store", "Update"]


# The write path hands dates straight to the driver (see changes._execute_many); say
# explicitly how sqlite3 stores them, the same ISO text SQLAlchemy writes and reads back.
sqlite3.register_adapter(date, date.isoformat)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_engine(url: str) -> Engine:
    # A write waits up to 30 s for another process's transaction (a large import) to end.
    connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
    engine = create_engine(url, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Store:
    def __init__(self, engine: Engine, actor: str | None = None) -> None:
        self.engine = engine
        upgrade(engine)
        self.actor = actor or os.environ.get("FIELDVISIT_ACTOR") or _login_name()
        with engine.begin() as conn:
            self.device_id = _meta(conn, "device_id") or _set_meta(
                conn, "device_id", uuid.uuid4().hex[:16]
            )
            last = _meta(conn, "clock") or _set_meta(
                conn, "clock", str(Timestamp(0, 0, self.device_id)))
        self.clock = HybridClock(self.device_id, Timestamp.parse(last))

    @classmethod
    def open(cls, path: str | os.PathLike[str], actor: str | None = None) -> Store:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return cls(make_engine(f"sqlite:///{Path(path)}"), actor)

    def close(self) -> None:
        self.engine.dispose()

    def write(self, edits: Iterable[Edit], actor: str | None = None) -> Changes:
        """Apply edits in one transaction; all of them land, or none."""
        with self.engine.begin() as conn:
            return self.write_in(conn, edits, actor)

    def write_in(
        self, conn: Connection, edits: Iterable[Edit], actor: str | None = None
    ) -> Changes:
        """Like ``write`` inside a transaction the caller holds (imports, replay).

        The app and a CLI import may write to one store at once: the first statement
        takes the database's write lock (an update of the stored clock), so the rows this
        write diffs against cannot change under it, and the clock catches up with
        whatever another process stamped meanwhile, so stamps never run backwards.
        """
        with self.clock_held(conn):
            return _changes.write(conn, self.clock, actor or self.actor, edits)

    @contextmanager
    def clock_held(self, conn: Connection) -> Iterator[HybridClock]:
        """Take the database's write lock and the stored clock for one transaction, and
        store the clock back after the block (writes here, applied bundles in sync)."""
        conn.execute(update(Meta).where(Meta.key == "clock").values(value=Meta.value))
        self.clock.catch_up(Timestamp.parse(_meta(conn, "clock") or "0-0-"))
        yield self.clock
        _set_meta(conn, "clock", str(self.clock.last))

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def session(self) -> Session:
        return Session(self.engine)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(Meta.value).where(Meta.key == key)).scalar_one_or_none()


def _set_meta(conn: Connection, key: str, value: str) -> str:
    table = Meta.__table__
    if _meta(conn, key) is None:
        conn.execute(table.insert().values(key=key, value=value))
    else:
        conn.execute(table.update().where(table.c.key == key).values(value=value))
    return value
