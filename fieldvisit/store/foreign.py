"""Applying another party's changes to a store: the one engine the laptop and the county
server share; they differ only in their *policy* for a field someone changed.

A change is one journal entry as it travels (``Change``): an inserted row, or one field
with the value it had before (its base) and after. Applying keeps the change's own clock
and author, journals it with its origin (and, on the server, its village), and is
idempotent: a row that exists is not inserted again, a field that already holds the
value is not written. Rows are fetched and written in batches (executemany), because a
county ingests tens of thousands of changes per bundle.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from fieldvisit.errors import FieldVisitError
from fieldvisit.store import changes as store_changes
from fieldvisit.store.changes import UnknownFieldError, coerce, table_for, to_json
from fieldvisit.store.clock import HybridClock, Timestamp
from fieldvisit.store.journal import JOURNAL, Change, ChangeRejected

# What a policy answers for one field change: the JSON text to write, or None to keep
# the current value. ``current`` is the field's value here, as JSON text.
Policy = Callable[[Change, str], str | None]


@dataclass
class Applied:
    inserted: int = 0
    updated: int = 0
    skipped: int = 0
    max_clock: str = ""
    by_entity: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def apply_changes(conn: Connection, changes: Iterable[Change], policy: Policy, *,
                  origin: str, clock: HybridClock | None = None,
                  scope: Callable[[Change], str | None] = lambda c: None,
                  values: Sequence[dict[str, Any]] | None = None) -> Applied:
    """Apply ``changes`` in order inside the caller's transaction; ``clock`` (the
    receiver's, held for the transaction) then observes the newest stamp applied, so
    what the receiver does next is ordered after everything it has seen. ``values``:
    each change's values from ``check_all``, when the caller has checked them all first
    (else each is checked as it comes)."""
    batch = _Batch(conn)
    changes = list(changes)
    batch.prefetch(changes)
    result = Applied()
    checked = iter(values) if values is not None else None
    for change in changes:
        result.max_clock = max(result.max_clock, change.clock)
        held = next(checked) if checked is not None else check(change)
        written = (batch.insert(change, held) if change.field is None
                   else batch.update(change, policy, held))
        if written is None:
            result.skipped += 1
            continue
        if change.field is None:
            result.inserted += 1
        else:
            result.updated += 1
        result.by_entity[change.entity] += 1
        batch.journal.append(change.journaled(*written, origin=origin, scope=scope(change)))
    batch.flush()
    if clock is not None and result.max_clock:
        clock.observe(Timestamp.parse(result.max_clock))
    return result


class _Batch:
    """Rows touched by one apply: fetched once, changed in memory, written once."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.new_rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.dirty: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.journal: list[dict[str, Any]] = []

    def prefetch(self, changes: list[Change]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for change in changes:
            wanted[change.entity].add(change.entity_id)
        for entity, ids in wanted.items():
            table = table_for(entity)
            rows = self.rows[entity]
            for result in store_changes.by_ids(self.conn, select(table), table.c.id,
                                               sorted(ids)):
                keys = list(result.keys())
                for values in result:
                    row = dict(zip(keys, values, strict=True))
                    rows[row["id"]] = row

    def insert(self, change: Change, values: dict[str, Any]) -> tuple[None, str] | None:
        if change.entity_id in self.rows[change.entity]:
            return None  # already here: applying twice is a no-op
        row = {**values, **store_changes.derived(change.entity, values),
               "id": change.entity_id, "rev": change.clock, "changed_by": change.actor}
        self.rows[change.entity][change.entity_id] = row
        self.new_rows[change.entity][change.entity_id] = row
        return None, change.new or ""

    def update(self, change: Change, policy: Policy, checked: dict[str, Any]
               ) -> tuple[str, str] | None:
        """``checked``: the change's own value, checked whatever the policy makes of it."""
        entity, entity_id, name = change.entity, change.entity_id, change.field or ""
        row = self.rows[entity].get(entity_id)
        if row is None:
            raise ChangeRejected(
                "missing-row", "同步包修改了一条本库没有的记录（缺少更早的同步包？）",
                f"the bundle changes a {entity} this database does not have ({entity_id}); "
                "is an earlier bundle missing?")
        # A row inserted earlier in this batch holds only the fields its insert gave (a
        # visit started, then completed, between two syncs): the others are still NULL.
        current = to_json(row.get(name))
        wanted = policy(change, current)
        if wanted is None or wanted == current:
            return None
        if wanted == change.new:
            values = dict(checked)
        else:
            try:
                values = coerce(table_for(entity), {name: orjson.loads(wanted)})
            except (UnknownFieldError, ValueError, TypeError) as error:
                raise _bad(change, error) from error
        values.update(store_changes.derived(entity, values))
        row.update(values)
        rev = row["rev"] = max(row["rev"], change.clock)
        row["changed_by"] = change.actor
        if entity_id not in self.new_rows[entity]:
            dirty = self.dirty[entity].get(entity_id)
            if dirty is None:
                dirty = self.dirty[entity][entity_id] = {"_id": entity_id}
            dirty.update(values)
            dirty["rev"] = rev
            dirty["changed_by"] = change.actor
        return current, wanted

    def flush(self) -> None:
        """Write everything; a row the database itself refuses (a parent that does not
        exist) refuses the whole apply, with the database's reason."""
        try:
            self._write()
        except IntegrityError as error:
            raise ChangeRejected(
                "bad-change", f"同步包中的修改与本库数据不一致，整包拒收：{error.orig}",
                f"the bundle's changes do not fit this database; refused whole: "
                f"{error.orig}") from error

    def _write(self) -> None:
        for entity in store_changes.PARENTS_FIRST:
            if self.new_rows.get(entity):
                store_changes.insert_rows(self.conn, table_for(entity),
                                          list(self.new_rows[entity].values()))
        for entity in store_changes.PARENTS_FIRST:
            if self.dirty.get(entity):
                store_changes.update_rows(self.conn, table_for(entity),
                                          list(self.dirty[entity].values()))
        store_changes.insert_rows(self.conn, JOURNAL, self.journal)


def check(change: Change) -> dict[str, Any]:
    """The change's values as its row's columns hold them, or ``ChangeRejected`` naming
    the change and its field: the rules every write obeys (``store.fields``), applied to
    what another party sent, so one invalid row refuses a bundle whole."""
    Change.from_wire(change.wire())  # a stored change is held to the wire's rules too
    return _values(change)


def check_all(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """``check`` of every change read by ``Change.all_from_wire``, in order: its values,
    or the refusal of the first change ``check`` refuses. Field changes are checked a
    column (entity, field) at a time; inserted rows, and the changes of a column whose
    values the quick column rules cannot all vouch for, go one by one through
    ``check``'s own rules, in order, so the first refused is the one ``check`` would
    refuse first."""
    columns: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, change in enumerate(changes):
        if change.field is not None:
            columns[(change.entity, change.field)].append(n)
    vouched: dict[int, Any] = {}
    for (entity, name), positions in columns.items():
        try:
            parsed = [orjson.loads(changes[n].new) for n in positions]  # type: ignore[arg-type]
        except (ValueError, TypeError):
            continue
        held = store_changes.coerce_column(table_for(entity), name, parsed)
        if held is not None:
            vouched.update(zip(positions, held, strict=True))
    return [{change.field: vouched[n]} if n in vouched else _values(change)  # type: ignore[dict-item]
            for n, change in enumerate(changes)]


def _values(change: Change) -> dict[str, Any]:
    table = table_for(change.entity)
    try:
        if change.field is None:
            new = json.loads(change.new or "null")
            if not isinstance(new, dict):
                raise ValueError("an inserted row must be a JSON object")
            return store_changes.new_row(table, new)
        return coerce(table, {change.field: orjson.loads(change.new or "")})
    except (UnknownFieldError, ValueError, TypeError) as error:
        raise _bad(change, error) from error


def _bad(change: Change, error: Exception) -> ChangeRejected:
    """Names the change (its seq, row and field) and what is wrong with it."""
    zh, en = (error.zh, error.en) if isinstance(error, FieldVisitError) else (error, error)
    where = f"第 {change.seq} 条（{change.entity} {change.entity_id}" + (
        f" 的 {change.field}）" if change.field else "）")
    there = f"change {change.seq} ({change.entity} {change.entity_id}" + (
        f", field {change.field})" if change.field else ")")
    return ChangeRejected("bad-change", f"同步包中的修改{where}无法应用，整包拒收：{zh}",
                          f"{there} in the bundle cannot be applied; refused whole: {en}")
