"""The one write path: edits become rows and journal entries in the same transaction.

Importers, the household panel and (later) sync all write through ``write``, so every
change is stamped with a hybrid-logical-clock revision and its author and lands in the
journal field by field. ``replay`` rebuilds rows from the journal alone; the tests use it
to prove the journal is complete.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any, TypeVarTuple

import orjson
from sqlalchemy import (
    ARRAY,
    JSON,
    Boolean,
    ColumnDefault,
    ColumnElement,
    Connection,
    Date,
    Dialect,
    Result,
    Select,
    String,
    Table,
    UpdateBase,
    any_,
    bindparam,
    literal,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import QueryableAttribute

from fieldvisit.names import pinyin_keys
from fieldvisit.store import fields as rules
from fieldvisit.store.clock import HybridClock
from fieldvisit.store.ids import new_id
from fieldvisit.store.journal import JOURNAL, entry
from fieldvisit.store.models import DERIVED_FIELDS, SYNCED_TABLES, SYSTEM_FIELDS, Base, table_of

# Insert parents before children whatever order the edits came in (foreign keys).
PARENTS_FIRST = [str(t.name) for t in Base.metadata.sorted_tables if t.name in SYNCED_TABLES]
_CHUNK = 500
Columns = TypeVarTuple("Columns")
_ARRAY_CHUNK = 10_000


@dataclass(slots=True)
class Insert:
    entity: str
    fields: dict[str, Any]
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class Update:
    entity: str
    id: str
    fields: dict[str, Any]


Edit = Insert | Update


@dataclass
class Changes:
    """What a write changed, so open screens refresh exactly that (like Anki's OpChanges)."""

    inserted: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    updated: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    fields_changed: int = 0

    def __bool__(self) -> bool:
        return bool(self.inserted or self.updated)

    def touches(self, entity: str) -> bool:
        return entity in self.inserted or entity in self.updated

    def extend(self, other: Changes) -> None:
        """Add what a later write of the same operation changed (one operation may write
        in batches, to keep its memory flat)."""
        for entity, ids in other.inserted.items():
            self.inserted[entity].extend(ids)
        for entity, ids in other.updated.items():
            self.updated[entity].extend(ids)
        self.fields_changed += other.fields_changed


class UnknownFieldError(KeyError):
    pass


def table_for(entity: str) -> Table:
    try:
        return table_of(SYNCED_TABLES[entity])
    except KeyError:
        raise UnknownFieldError(f"unknown entity {entity!r}") from None


@cache
def _columns(table: Table) -> tuple[frozenset[str], dict[str, Callable[[Any], Any]]]:
    """The fields an edit may set, and converters for the columns JSON cannot carry as is."""
    derived = DERIVED_FIELDS.get(table.name, ())
    writable = frozenset(c.name for c in table.columns if c.name not in (*SYSTEM_FIELDS, *derived))
    converters: dict[str, Callable[[Any], Any]] = {}
    for column in table.columns:
        if column.name in writable and isinstance(column.type, Date):
            converters[column.name] = _date
        elif column.name in writable and isinstance(column.type, Boolean):
            converters[column.name] = _boolean
    return writable, converters


@cache
def defaults(table: Table) -> dict[str, Any]:
    """The model's scalar defaults: the write path bypasses SQLAlchemy's own default
    handling, and the journal must record the values a row really got."""
    return {
        c.name: c.default.arg if c.default.is_scalar else None
        for c in table.columns
        if c.name in _columns(table)[0] and not c.nullable
        and isinstance(c.default, ColumnDefault)
    }


def _date(value: Any) -> date:
    """ISO text (``fields`` refuses anything else that is not a date)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _boolean(value: Any) -> bool:
    """Only real yes/no values: the text "否" must never become True."""
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    raise ValueError(f"not a yes/no value: {value!r}")


def coerce(table: Table, fields: dict[str, Any]) -> dict[str, Any]:
    """Check field names against the table and convert JSON values to column types.

    Empty text becomes NULL, so a blank cell and a cleared field compare equal.
    """
    writable, converters = _columns(table)
    unknown = fields.keys() - writable
    if unknown:
        raise UnknownFieldError(f"{table.name} has no field {sorted(unknown)[0]!r}")
    out = dict(fields)
    if "" in out.values():
        out = {name: None if value == "" else value for name, value in out.items()}
    for name in converters.keys() & out.keys():
        if out[name] is not None:
            out[name] = converters[name](out[name])
    rules.check_values(table, out)
    return out


def coerce_column(table: Table, name: str, values: list[Any]) -> list[Any] | None:
    """``coerce`` of one text field over many values (JSON as parsed), or None when the
    quick rules cannot vouch for every one of them: another column type, a value a rule
    refuses. The caller then coerces those one by one, for ``coerce``'s own answer."""
    writable, converters = _columns(table)
    if name not in writable or name in converters:
        return None
    values = [None if value == "" else value for value in values]
    return values if rules.text_column_holds(table, name, values) else None


def new_row(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """An inserted row's fields: ``values`` (coerced) over the table's defaults, every
    required field present."""
    row = {**defaults(table), **coerce(table, values)}
    rules.check_required(table, row)
    return row


def new_rows(table: Table, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``new_row`` of each of ``batch``, checked a column at a time: an import inserts
    100,000 persons, and checking each row's dict field by field was a fifth of it.
    Rows are grouped by their fields (an import's rows share a few shapes); a group the
    quick rules cannot vouch for goes through ``new_row`` row by row, so the rows and
    the first error are exactly ``new_row``'s."""
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, values in enumerate(batch):
        groups[tuple(values)].append(index)
    rows: list[dict[str, Any]] = [{}] * len(batch)
    doubtful: list[int] = []
    for names, indexes in groups.items():
        made = _new_rows_alike(table, names, [batch[i] for i in indexes])
        if made is None:
            doubtful += indexes
            continue
        for i, row in zip(indexes, made, strict=True):
            rows[i] = row
    for i in sorted(doubtful):  # in the batch's order, so the first error is new_row's
        rows[i] = new_row(table, batch[i])
    return rows


def _new_rows_alike(table: Table, names: tuple[str, ...],
                    group: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """``new_row`` of rows that all set ``names`` in that order, or None when a value
    may be refused (the caller then asks ``new_row`` for its answer)."""
    writable, converters = _columns(table)
    if not writable.issuperset(names):
        return None
    base, required = defaults(table), rules.required(table)
    if any(name not in names and name not in base for name in required):
        return None
    if not names:
        return [dict(base) for _ in group]
    columns: list[Sequence[Any]] = list(zip(*(values.values() for values in group),
                                            strict=True))
    for position, name in enumerate(names):
        column: list[Any] = [None if value == "" else value for value in columns[position]]
        if name in required and None in column:
            return None
        convert = converters.get(name)
        if convert is not None:
            try:
                column = [None if value is None else convert(value) for value in column]
            except (TypeError, ValueError):
                return None
        if not rules.column_holds(table, name, column):
            return None
        columns[position] = column
    return [{**base, **dict(zip(names, values, strict=True))}
            for values in zip(*columns, strict=True)]


def derived(entity: str, fields: dict[str, Any]) -> dict[str, Any]:
    if entity == "member" and "name" in fields:
        full, initials = pinyin_keys(fields["name"] or "")
        return {"name_pinyin": full, "name_initials": initials}
    return {}


def to_json(value: Any) -> str:
    return orjson.dumps(value).decode()


def write(
    conn: Connection, clock: HybridClock, actor: str, edits: Iterable[Edit]
) -> Changes:
    """Apply edits inside the caller's transaction; unchanged fields are not written.

    The edits of one write are one atomic change and share one clock stamp; the
    journal's sequence numbers keep their order.
    """
    changes = Changes()
    inserts: dict[str, list[Insert]] = defaultdict(list)
    updates: dict[str, list[Update]] = defaultdict(list)
    for edit in edits:
        table_for(edit.entity)  # an unknown entity fails before anything is written
        if isinstance(edit, Insert):
            inserts[edit.entity].append(edit)
        else:
            updates[edit.entity].append(edit)
    journal: list[dict[str, Any]] = []
    stamp = str(clock.tick())
    for entity in PARENTS_FIRST:
        if entity in inserts:
            _write_inserts(conn, stamp, actor, entity, inserts[entity], journal, changes)
    for entity in PARENTS_FIRST:
        if entity in updates:
            _write_updates(conn, stamp, actor, entity, updates[entity], journal, changes)
    insert_rows(conn, JOURNAL, journal)
    return changes


def _write_inserts(
    conn: Connection, stamp: str, actor: str, entity: str, batch: list[Insert],
    journal: list[dict[str, Any]], changes: Changes,
) -> None:
    table = table_for(entity)
    rows = []
    for edit, values in zip(batch, new_rows(table, [edit.fields for edit in batch]),
                            strict=True):
        rows.append({**values, **derived(entity, values), "id": edit.id, "rev": stamp,
                     "changed_by": actor})
        journal.append(entry(stamp, actor, entity, edit.id, None, None, to_json(values)))
        changes.inserted[entity].append(edit.id)
    insert_rows(conn, table, rows)


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    rows = _json_as_text(table, rows)
    if conn.dialect.name == "postgresql":
        _copy_insert(conn, table, rows)
    else:
        _execute_many(conn, table, "insert", rows)


def update_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows with the id as ``_id``, then the changed fields."""
    rows = _json_as_text(table, rows)
    if conn.dialect.name == "postgresql":
        _copy_update(conn, table, rows)
    else:
        _execute_many(conn, table, "update", rows)


@cache
def _json_columns(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns if isinstance(c.type, JSON))


def _json_as_text(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON columns (a visit's snapshot) as JSON text: rows reach the driver past
    SQLAlchemy's own serialisation, and neither SQLite nor COPY takes a dict. Everywhere
    else the value is the parsed JSON, so diffs, the journal and sync see one value."""
    names = _json_columns(table)
    if not names:
        return rows
    return [{**row, **{n: to_json(row[n]) for n in names if row.get(n) is not None}}
            for row in rows]


def by_ids(conn: Connection, query: Select[*Columns],
           column: ColumnElement[Any] | QueryableAttribute[Any],
           ids: Sequence[str]) -> Iterator[Result[*Columns]]:
    """``query``'s rows whose ``column`` is one of ``ids``, a result per chunk: one array
    parameter per 10,000 ids on PostgreSQL (a long IN list costs more to bind than to
    run), IN lists of 500 elsewhere."""
    if conn.dialect.name == "postgresql":
        for start in range(0, len(ids), _ARRAY_CHUNK):
            chunk = literal(list(ids[start:start + _ARRAY_CHUNK]), ARRAY(String))
            yield conn.execute(query.where(column == any_(chunk)))
        return
    for start in range(0, len(ids), _CHUNK):
        yield conn.execute(query.where(column.in_(ids[start:start + _CHUNK])))


def _execute_many(conn: Connection, table: Table, kind: str, rows: list[dict[str, Any]]) -> None:
    """executemany straight on the driver's cursor, inside the caller's transaction.

    SQLAlchemy's per-row parameter processing costs about as much as SQLite's own
    insert work; imports of 100,000 persons cannot afford it twice.
    """
    with _driver_cursor(conn) as cursor:
        for keys, group in _by_keys(rows).items():
            sql, parameters = _statement(table, kind, keys, conn.dialect)
            with _reraised(conn, sql):
                cursor.executemany(sql, group if parameters is None else map(parameters, group))


# On PostgreSQL rows go in by COPY, and row updates by COPY into a temporary table and one
# UPDATE … FROM: the county ingests tens of thousands of changes per bundle, and
# row-by-row statements (even pipelined) cost several times the database's own work.
# SQLite's executemany is already close to its floor.

def _copy_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    quote = conn.dialect.identifier_preparer.quote
    name = conn.dialect.identifier_preparer.format_table(table)
    with _driver_cursor(conn) as cursor:
        for keys, group in _by_keys(rows).items():
            sql = f"COPY {name} ({', '.join(quote(k) for k in keys)}) FROM STDIN"
            with _reraised(conn, sql), cursor.copy(sql) as copy:
                for row in group:
                    copy.write_row([row[k] for k in keys])


def _copy_update(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    quote = conn.dialect.identifier_preparer.quote
    name = conn.dialect.identifier_preparer.format_table(table)
    with _driver_cursor(conn) as cursor:
        for keys, group in _by_keys(rows).items():
            fields = [k for k in keys if k != "_id"]
            columns = ", ".join(quote(k) for k in fields)
            statements = (
                f"CREATE TEMP TABLE fv_changed ON COMMIT DROP AS SELECT id, {columns} "
                f"FROM {name} WITH NO DATA",
                f"COPY fv_changed (id, {columns}) FROM STDIN",
                f"UPDATE {name} AS t SET "
                + ", ".join(f"{quote(k)} = c.{quote(k)}" for k in fields)
                + " FROM fv_changed AS c WHERE t.id = c.id",
                "DROP TABLE fv_changed")
            with _reraised(conn, statements[0]):
                cursor.execute(statements[0])
            with _reraised(conn, statements[1]), cursor.copy(statements[1]) as copy:
                for row in group:
                    copy.write_row([row["_id"], *(row[k] for k in fields)])
            for sql in statements[2:]:
                with _reraised(conn, sql):
                    cursor.execute(sql)


def _by_keys(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """One statement takes one set of columns."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(row)].append(row)
    return groups


@contextmanager
def _driver_cursor(conn: Connection) -> Iterator[Any]:
    cursor = conn.connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


@contextmanager
def _reraised(conn: Connection, sql: str) -> Iterator[None]:
    """Driver errors as SQLAlchemy's, so callers see one kind of error on any database."""
    error_class = conn.dialect.loaded_dbapi.Error
    try:
        yield
    except error_class as error:
        raise DBAPIError.instance(sql, None, error, error_class,
                                  dialect=conn.dialect) from error


@lru_cache(maxsize=512)
def _statement(
    table: Table, kind: str, keys: tuple[str, ...], dialect: Dialect
) -> tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]] | None]:
    """SQL for an insert or an update by id with these keys, compiled once, and how to
    turn a row into the driver's positional parameters (None: it takes the dict)."""
    if kind == "insert":
        statement: UpdateBase = table.insert()
    else:
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({k: bindparam(k) for k in keys if k != "_id"})
        )
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    order = compiled.positiontup
    if order is None:
        return str(compiled), None
    pick = itemgetter(*order)
    return str(compiled), pick if len(order) > 1 else lambda row: (pick(row),)


def _current_rows(conn: Connection, table: Table, ids: Sequence[str]
                  ) -> dict[str, dict[str, Any]]:
    return {row["id"]: dict(row) for result in by_ids(conn, select(table), table.c.id, ids)
            for row in result.mappings()}


def _write_updates(
    conn: Connection, stamp: str, actor: str, entity: str, batch: list[Update],
    journal: list[dict[str, Any]], changes: Changes,
) -> None:
    table = table_for(entity)
    current = _current_rows(conn, table, [e.id for e in batch])
    rows: dict[str, dict[str, Any]] = {}  # one row per id: several edits of it merge in order
    for edit in batch:
        if edit.id not in current:
            raise LookupError(f"{entity} {edit.id} does not exist")
        old = current[edit.id]
        diff = {k: v for k, v in coerce(table, edit.fields).items() if old[k] != v}
        if not diff:
            continue
        for name, value in diff.items():
            journal.append(entry(stamp, actor, entity, edit.id, name, to_json(old[name]),
                                 to_json(value)))
        old.update(diff)  # a later edit of the same row in this batch diffs against this one
        if edit.id not in rows:
            rows[edit.id] = {"_id": edit.id, "rev": stamp, "changed_by": actor}
            changes.updated[entity].append(edit.id)
        rows[edit.id].update({**diff, **derived(entity, diff)})
        changes.fields_changed += len(diff)
    update_rows(conn, table, list(rows.values()))


def replay(conn: Connection, entries: Iterable[Any]) -> None:
    """Rebuild rows from journal entries (seq order) into an empty store."""
    for item in entries:
        table = table_for(item.entity)
        stamp = {"rev": item.clock, "changed_by": item.actor}
        if item.field is None:
            values = coerce(table, json.loads(item.new))
            row = {**values, **derived(item.entity, values), "id": item.entity_id, **stamp}
            insert_rows(conn, table, [row])
        else:
            values = coerce(table, {item.field: json.loads(item.new)})
            row = {**values, **derived(item.entity, values), "_id": item.entity_id, **stamp}
            update_rows(conn, table, [row])
