"""The local store: one SQLite file (or, on the county server, PostgreSQL).

``Store`` is the single entry object, like Anki's ``Collection``: it opens the database,
runs Alembic migrations, and owns the data folder, the typed ``meta`` facts, the device
identity and key, the hybrid logical clock and the one transaction with its write lock.
Every writer — the app, the CLI, importers, the sync engine, the county server — goes
through ``Store.write`` or ``Store.transaction()``: its own edits with ``tx.write``,
another party's changes with ``tx.apply``.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey
from sqlalchemy import Connection, Engine, create_engine, event, update
from sqlalchemy.orm import Session
from sqlcipher3 import dbapi2 as sqlcipher

from fieldvisit.sealing import Files, StoreKey
from fieldvisit.store import changes as _changes
from fieldvisit.store import device, foreign, journal
from fieldvisit.store.changes import Changes, Edit, Insert, Update
from fieldvisit.store.clock import HybridClock, Timestamp
from fieldvisit.store.foreign import Applied, Policy
from fieldvisit.store.journal import JOURNAL, Change, ChangeRejected
from fieldvisit.store.meta import MetaValues, bound
from fieldvisit.store.migrate import upgrade
from fieldvisit.store.models import Meta

EXPORT_ENTITY = "export"  # the journal's name for a file taken out of the store
LOCAL_ORIGIN = "local"  # journal origin of a change that never leaves this laptop

__all__ = ["EXPORT_ENTITY", "LOCAL_ORIGIN", "Applied", "Change", "ChangeRejected", "Changes",
           "Edit", "Insert", "MetaValues",
           "Policy", "Store", "StoreKey", "Transaction", "Update", "make_engine"]


# The write path hands values straight to the driver (see changes._execute_many).
# Dates: say explicitly how they are stored, the same ISO text SQLAlchemy writes and
# reads back. None binds as NULL and a bool as its integer either way, but a driver with
# no adapter for them first looks for one (attribute lookups that fail) at each it
# binds: a member row has four yes/no fields, a journal row four blanks, and at 100,000
# persons that was half of SQLCipher's insert time (docs/performance.md). Both adapters
# answer in C (``{}.get(None)`` is None), and neither is a base type, which would slow
# every bind.
for _driver in (sqlite3, sqlcipher):
    _driver.register_adapter(date, date.isoformat)
    _driver.register_adapter(type(None), {}.get)
    _driver.register_adapter(bool, int)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_engine(url: str, key: StoreKey | None = None) -> Engine:
    """An engine on ``url``; with ``key``, a SQLCipher one (a laptop's store at rest).

    The key pragma must be the first statement on every new connection, before the
    other pragmas touch the file, so both go in one connect hook.
    """
    # A write waits up to 30 s for another process's transaction (a large import) to end.
    connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
    # hide_parameters: an error's text (shown, or kept in the error log) never carries a
    # row's values, so no name or ID number reaches a plain file through a traceback.
    if key is None:
        engine = create_engine(url, connect_args=connect_args, hide_parameters=True)
    else:
        engine = create_engine(url, connect_args=connect_args, module=sqlcipher,
                               hide_parameters=True)
        event.listen(engine, "connect", lambda connection, _record: connection.execute(
            key.pragma()))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Store:
    """The front door: a database, the data folder beside it, and who is writing.

    ``folder`` holds everything of this store that is not in the database: the SQLite
    file itself (on a laptop), photos, the device key, the county's forms. Nothing else
    derives it; ``open`` takes it from the database file, ``connect`` is told. ``files``
    reads and writes them, sealed with the store's key when it has one.
    """

    def __init__(self, engine: Engine, folder: Path, actor: str | None = None,
                 key: StoreKey | None = None) -> None:
        self.engine = engine
        self.folder = Path(folder).resolve()
        self.files = Files(self.folder, key.files if key else None)
        upgrade(engine)
        self.actor = actor or os.environ.get("FIELDVISIT_ACTOR") or _login_name()
        self.meta = MetaValues(self.reading, engine.begin)
        with engine.begin() as conn:
            stored = bound(conn)
            if not stored.device_id:
                stored.device_id = uuid.uuid4().hex[:16]
            self.device_id = stored.device_id
            if not stored.clock:
                stored.clock = str(Timestamp(0, 0, self.device_id))
            last = stored.clock
        self.clock = HybridClock(self.device_id, Timestamp.parse(last))
        self._device_key: SigningKey | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str], actor: str | None = None,
             key: StoreKey | None = None) -> Store:
        """The SQLite store in file ``path``; its folder is the data folder. A laptop's
        is opened with its ``key`` (``fieldvisit.vault`` unlocks it); a wrong key fails
        here, on the first read, not later."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return cls(make_engine(f"sqlite:///{Path(path)}", key), Path(path).parent, actor, key)

    @classmethod
    def connect(cls, url: str, folder: str | os.PathLike[str],
                actor: str | None = None) -> Store:
        """A store on any database URL (the county's PostgreSQL), with its data folder."""
        Path(folder).mkdir(parents=True, exist_ok=True)
        return cls(make_engine(url), Path(folder), actor)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One transaction holding the database's write lock and the clock: everything
        inside lands together, or nothing does.

        The app and a CLI import may write to one store at once: the first statement
        takes the write lock (an update of the stored clock), so the rows a write diffs
        against cannot change under it, and the clock catches up with whatever another
        process stamped meanwhile, so stamps never run backwards.
        """
        with self.engine.begin() as conn:
            conn.execute(update(Meta).where(Meta.key == "clock").values(value=Meta.value))
            held = bound(conn)
            self.clock.catch_up(Timestamp.parse(held.clock or "0-0-"))
            yield Transaction(conn, self.clock, held, self.actor)
            held.clock = str(self.clock.last)

    def write(self, edits: Iterable[Edit], actor: str | None = None) -> Changes:
        """Apply edits in one transaction; all of them land, or none."""
        with self.transaction() as tx:
            return tx.write(edits, actor)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def journal_end(self) -> int:
        """The journal's newest seq now: whatever is written after it is what an
        operation changed (``changes_after``)."""
        with self.reading() as conn:
            return journal.last_seq(conn)

    def changes_after(self, seq: int, limit: int) -> Changes | None:
        """What the journal says changed after ``seq``, by table, whoever wrote it (own
        edits, an import, a return bundle, another process); None past ``limit`` entries."""
        with self.reading() as conn:
            touched = journal.touched_after(conn, seq, limit)
        if touched is None:
            return None
        changes = Changes()
        for entity, entity_id, field in touched:
            listed = changes.inserted if field is None else changes.updated
            if entity_id not in listed[entity]:
                listed[entity].append(entity_id)
        return changes

    def record_export(self, what: str, path: Path, count: int, *, whole_ids: bool) -> None:
        """Journal an export (who, when, which file, how many, whole ID numbers or not):
        the file leaves the store's encryption, so the laptop keeps an answer to "who
        took the roster out, and when". Origin ``local``: it never travels in a bundle."""
        with self.transaction() as tx:
            tx.journal([journal.entry(
                str(tx.clock.tick()), self.actor, EXPORT_ENTITY, uuid.uuid4().hex, what, None,
                json.dumps({"file": Path(path).name, "count": count, "whole_ids": whole_ids},
                           ensure_ascii=False), origin=LOCAL_ORIGIN)])

    def session(self) -> Session:
        return Session(self.engine)

    def device_key(self) -> SigningKey:
        """This party's signing key: read from the data folder, or created on first use;
        checked once per open store, so printing a thousand cards reads the file once."""
        if self._device_key is None:
            with self.transaction() as tx:
                self._device_key = device.device_key(self.files, tx.meta)
        return self._device_key

    def public_key(self) -> bytes:
        """This party's public key (32 bytes), also when the key file is lost."""
        recorded = self.meta.device_public_key
        return device.unb64url(recorded) if recorded else bytes(self.device_key().verify_key)


@dataclass
class Transaction:
    """What a writer holds inside ``Store.transaction()``."""

    conn: Connection
    clock: HybridClock
    meta: MetaValues
    actor: str

    def write(self, edits: Iterable[Edit], actor: str | None = None) -> Changes:
        """Edits made here: stamped with one clock tick and journaled field by field."""
        return _changes.write(self.conn, self.clock, actor or self.actor, edits)

    def apply(self, changes: Iterable[Change], policy: Policy, *, origin: str,
              scope: Callable[[Change], str | None] = lambda change: None,
              values: Sequence[dict[str, Any]] | None = None) -> Applied:
        """Another party's changes, kept with their own stamps and journaled with their
        origin (see ``store.foreign``); the clock then follows the newest of them.
        ``values``: theirs from ``foreign.check_all``, when the caller checked first."""
        return foreign.apply_changes(self.conn, changes, policy, origin=origin,
                                     clock=self.clock, scope=scope, values=values)

    def journal(self, entries: list[dict[str, Any]]) -> None:
        """Journal rows made with ``journal.entry`` for values already in place (the
        county's carried-back winners)."""
        _changes.insert_rows(self.conn, JOURNAL, entries)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
