"""The journal: one entry per inserted row or changed field, in one order (``seq``).

Every writer — the store's own edits, applied bundles, the county's merge — journals
through ``entry`` and reads back through ``Change``, so an entry has one shape wherever
it is made, and sync can export "everything after seq N" and merge field by field.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, func, select

from fieldvisit.errors import FieldVisitError
from fieldvisit.store.fields import CLOCK, CONTROL, ID, MAX_ACTOR
from fieldvisit.store.models import SYNCED_TABLES, JournalEntry, table_of

JOURNAL = table_of(JournalEntry)
_FIELD = re.compile(r"[a-z_]{1,64}")


class ChangeRejected(FieldVisitError):
    """A change from another party that cannot be read or applied; ``reason`` is a short
    code the county keeps with the bundle it came in."""

    def __init__(self, reason: str, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.reason = reason


def entry(clock: str, actor: str, entity: str, entity_id: str, field: str | None,
          old: str | None, new: str | None, *, origin: str | None = None,
          scope: str | None = None) -> dict[str, Any]:
    """A journal row: ``field`` None means the row was inserted with all of ``new``;
    ``origin`` names the party a change came from (None: made here), ``scope`` the
    village it belongs to (the county labels its journal so return bundles can pick)."""
    return {"clock": clock, "actor": actor, "entity": entity, "entity_id": entity_id,
            "field": field, "old": old, "new": new, "origin": origin, "scope": scope}


class Change(NamedTuple):
    """One journal entry as it travels between parties (values as JSON text). A named
    tuple, not a dataclass: a county makes tens of thousands a bundle, and a frozen
    dataclass costs several times as much to make."""

    seq: int
    clock: str
    actor: str
    entity: str
    entity_id: str
    field: str | None  # None: the row was inserted and ``new`` holds all its fields
    old: str | None
    new: str | None

    def wire(self) -> list[Any]:
        return [self.seq, self.clock, self.actor, self.entity, self.entity_id, self.field,
                self.old, self.new]

    @classmethod
    def from_wire(cls, item: Any) -> Change:
        """Strictly typed: a bundle comes from outside."""
        # Spelled out rather than all(...) over slices: a county reads tens of thousands.
        if isinstance(item, list) and len(item) == 8:
            seq, clock, actor, entity, entity_id, field_, old, new = item
            if (isinstance(seq, int) and isinstance(clock, str) and isinstance(actor, str)
                    and isinstance(entity, str) and isinstance(entity_id, str)
                    and (field_ is None or isinstance(field_, str))
                    and (old is None or isinstance(old, str))
                    and (new is None or isinstance(new, str))
                    and entity in SYNCED_TABLES and (field_ is not None or new is not None)
                    and ID.fullmatch(entity_id) and CLOCK.fullmatch(clock)
                    and len(actor) <= MAX_ACTOR and not CONTROL.search(actor)
                    and (field_ is None or _FIELD.fullmatch(field_))):
                return cls(seq, clock, actor, entity, entity_id, field_, old, new)
        raise ChangeRejected("bad-change", "同步包中有一条无法识别的修改记录",
                             f"the bundle holds a change this program cannot read: "
                             f"{item!r:.120}")

    @classmethod
    def all_from_wire(cls, items: list[Any]) -> list[Change]:
        """``from_wire`` of every item, checked a column at a time (C loops: a county
        reads tens of thousands a bundle). Anything the columns cannot vouch for goes
        item by item through ``from_wire``, so the answer and any refusal are its own."""
        if items and all(type(item) is list and len(item) == 8 for item in items):
            seqs, clocks, actors, entities, ids, fields, olds, news = zip(*items, strict=True)
            named = [f for f in fields if f is not None]
            if (_types(seqs) == {int} and _types(clocks) == _types(actors) == {str}
                    and _types(ids) == _types(entities) == {str}
                    and set(entities) <= SYNCED_TABLES.keys()
                    and _types(named) <= {str} and _types(olds) <= {str, type(None)}
                    and _types(news) <= {str, type(None)}
                    and all(n is not None for f, n in zip(fields, news, strict=True)
                            if f is None)
                    and all(map(ID.fullmatch, ids)) and all(map(CLOCK.fullmatch, clocks))
                    and max(map(len, actors)) <= MAX_ACTOR
                    and not CONTROL.search("".join(actors))
                    and all(map(_FIELD.fullmatch, named))):
                return list(map(cls, seqs, clocks, actors, entities, ids, fields, olds, news))
        return [cls.from_wire(item) for item in items]

    @property
    def key(self) -> tuple[str, str, str | None]:
        return self.entity, self.entity_id, self.field

    def journaled(self, old: str | None, new: str | None, *, origin: str,
                  scope: str | None) -> dict[str, Any]:
        """This change's journal row where it was applied, with the values written."""
        return entry(self.clock, self.actor, self.entity, self.entity_id, self.field, old,
                     new, origin=origin, scope=scope)


def _changes() -> Select[int, str, str, str, str, str | None, str | None, str | None]:
    j = JournalEntry
    return select(j.seq, j.clock, j.actor, j.entity, j.entity_id, j.field, j.old,
                  j.new).order_by(j.seq)


def own_changes(conn: Connection, after_seq: int) -> list[Change]:
    """This store's own changes (origin NULL) after ``after_seq``, in order."""
    query = _changes().where(JournalEntry.seq > after_seq, JournalEntry.origin.is_(None))
    return [Change(*row) for row in conn.execute(query)]


def last_seq(conn: Connection) -> int:
    """The newest entry's seq (0 for an empty journal)."""
    return int(conn.execute(select(func.coalesce(func.max(JournalEntry.seq), 0))).scalar_one())


def touched_after(conn: Connection, after_seq: int, limit: int
                  ) -> list[tuple[str, str, str | None]] | None:
    """(entity, id, field) of each entry after ``after_seq``, in order; None when there
    are more than ``limit`` (an import, a sync: too many to say row by row)."""
    j = JournalEntry
    rows = conn.execute(select(j.entity, j.entity_id, j.field).where(j.seq > after_seq)
                        .order_by(j.seq).limit(limit + 1)).all()
    return None if len(rows) > limit else [(entity, id_, field) for entity, id_, field in rows]


def scope_changes(conn: Connection, scope: str, after_seq: int) -> list[Change]:
    """Every entry labelled with village ``scope`` after ``after_seq``, in order."""
    query = _changes().where(JournalEntry.scope == scope, JournalEntry.seq > after_seq)
    return [Change(*row) for row in conn.execute(query)]


def _types(values: Any) -> set[type]:
    return set(map(type, values))
