"""The store's small facts (``meta`` table), read and written by name with their types.

Everything a store remembers about itself — device id, clock, sync progress, the county
server's address, staff tokens on the county — lives here, so it travels with the
database and changes in the same transaction as the data it describes. Callers use the
typed attributes (``store.meta.county_code``, ``tx.meta.sync_acked = 12``) and never the
table, so one key has one spelling and one type everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Generic, TypeVar, overload

from sqlalchemy import Connection, delete, select

from fieldvisit.store.models import Meta, table_of

T = TypeVar("T")
Opener = Callable[[], AbstractContextManager[Connection]]


class _Field(Generic[T]):
    """One named fact: stored as text, handed out as ``T`` (its default when unset)."""

    def __init__(self, key: str, default: T, parse: Callable[[str], T],
                 show: Callable[[T], str] = str) -> None:
        self.key, self.default, self.parse, self.show = key, default, parse, show

    @overload
    def __get__(self, meta: None, owner: type) -> _Field[T]: ...
    @overload
    def __get__(self, meta: MetaValues, owner: type) -> T: ...
    def __get__(self, meta: MetaValues | None, owner: type) -> T | _Field[T]:
        if meta is None:
            return self
        text = meta.get(self.key)
        return self.default if text is None else self.parse(text)

    def __set__(self, meta: MetaValues, value: T) -> None:
        meta.set(self.key, self.show(value))


def _text(key: str) -> _Field[str]:
    return _Field(key, "", str)


def _number(key: str) -> _Field[int]:
    return _Field(key, 0, int)


def _flag(key: str) -> _Field[bool]:
    return _Field(key, False, lambda text: text == "1", lambda value: "1" if value else "0")


class MetaValues:
    """The meta facts through one connection source: a transaction's connection
    (``tx.meta``), or the store itself (``store.meta``: each read on its own connection,
    each write in its own transaction)."""

    device_id = _text("device_id")
    clock = _text("clock")
    device_public_key = _text("device_public_key")
    county_code = _text("county.code")  # the county server's own code
    server_url = _text("sync.server_url")  # the last county server synced with over HTTP
    # A laptop's enrollment and sync progress (fieldvisit.sync.laptop says what each means).
    sync_device = _text("sync.device")
    sync_county = _text("sync.county")
    sync_county_key = _text("sync.county_key")
    sync_county_name = _text("sync.county_name")
    sync_village = _text("sync.village")
    sync_acked = _number("sync.acked")
    sync_return_seq = _number("sync.return_seq")
    sync_prev_hash = _text("sync.prev_hash")
    sync_activation = _text("sync.activation")
    sync_activated = _flag("sync.activated")

    def __init__(self, read: Opener, write: Opener | None = None) -> None:
        self._read = read
        self._write = write or read

    def get(self, key: str) -> str | None:
        with self._read() as conn:
            return conn.execute(select(Meta.value).where(Meta.key == key)).scalar_one_or_none()

    def set(self, key: str, value: str) -> None:
        table = table_of(Meta)
        with self._write() as conn:
            if conn.execute(select(Meta.key).where(Meta.key == key)).first() is None:
                conn.execute(table.insert().values(key=key, value=value))
            else:
                conn.execute(table.update().where(table.c.key == key).values(value=value))

    def with_prefix(self, prefix: str) -> dict[str, str]:
        """Every fact whose key starts with ``prefix`` (a family such as staff tokens)."""
        with self._read() as conn:
            rows = conn.execute(select(Meta.key, Meta.value).where(Meta.key.startswith(prefix)))
            return {key: value for key, value in rows}

    def delete(self, keys: list[str]) -> None:
        if keys:
            with self._write() as conn:
                conn.execute(delete(Meta).where(Meta.key.in_(keys)))


def bound(conn: Connection) -> MetaValues:
    """The meta facts inside the transaction ``conn`` holds."""
    return MetaValues(lambda: nullcontext(conn))
