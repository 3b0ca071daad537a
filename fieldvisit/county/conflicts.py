"""Conflicts for county staff to review: every candidate value is kept; a decision writes
the chosen value as a county change, which return bundles carry to the village."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from fieldvisit.county.devices import now
from fieldvisit.county.models import Conflict
from fieldvisit.county.office import County
from fieldvisit.roster.vocab import HEAD
from fieldvisit.store import Change
from fieldvisit.store.changes import table_for, to_json
from fieldvisit.store.models import Household, Member, table_of
from fieldvisit.sync.errors import SyncError


@dataclass(frozen=True)
class ConflictView:
    id: int
    village: str
    entity: str
    entity_id: str
    field: str
    base: Any
    candidates: list[dict[str, Any]]  # value (decoded), clock, device
    winner: Any
    status: str
    label: str = ""  # what a clerk recognises: 户编号 and 户主, or a member's name


def conflicts(conn: Connection, status: str | None = "open") -> list[ConflictView]:
    query = select(table_of(Conflict)).order_by(Conflict.id)
    if status:
        query = query.where(Conflict.status == status)
    return [_view(conn, row) for row in conn.execute(query).mappings()]


def _view(conn: Connection, row: Any) -> ConflictView:
    candidates = [{**c, "value": json.loads(c["value"])} for c in json.loads(row["candidates"])]
    return ConflictView(row["id"], row["village"], row["entity"], row["entity_id"],
                        row["field"], json.loads(row["base"]) if row["base"] else None,
                        candidates, json.loads(row["winner"]) if row["winner"] else None,
                        row["status"], describe(conn, row["entity"], row["entity_id"]))


def describe(conn: Connection, entity: str, entity_id: str) -> str:
    """``户 522727100200000001 王大山`` for a household, ``李四（户 …）`` for a member."""
    household_id = entity_id
    person = ""
    if entity == "member":
        found = conn.execute(select(Member.name, Member.household_id)
                             .where(Member.id == entity_id)).first()
        if found is None:
            return f"{entity} {entity_id}"
        person, household_id = found
    elif entity != "household":
        return f"{entity} {entity_id}"
    code = conn.execute(select(Household.code).where(Household.id == household_id)
                        ).scalar_one_or_none()
    head = conn.execute(select(Member.name).where(
        Member.household_id == household_id, Member.relation == HEAD,
        Member.deleted.is_(False))).scalar()
    where = f"户 {code} {head or ''}".strip()
    return f"{person}（{where}）" if person else where


def resolve(county: County, conflict_id: int, value: Any, by: str) -> None:
    """Decide a conflict: ``value`` (usually one of the candidates) becomes the field's."""
    store = county.store
    table = table_of(Conflict)
    with store.transaction() as tx:
        conn = tx.conn
        row = conn.execute(select(table).where(table.c.id == conflict_id)).mappings().first()
        if row is None:
            raise SyncError("unknown-conflict", f"没有编号为 {conflict_id} 的冲突",
                            f"no conflict number {conflict_id}")
        entity_table = table_for(row["entity"])
        current = conn.execute(select(entity_table.c[row["field"]]).where(
            entity_table.c.id == row["entity_id"])).scalar_one()
        decision = Change(0, str(tx.clock.tick()), by, row["entity"], row["entity_id"],
                          row["field"], to_json(current), to_json(value))
        tx.apply([decision], lambda change, _current: change.new, origin="county",
                 scope=lambda _c: row["village"])
        conn.execute(table.update().where(table.c.id == conflict_id).values(
            status="decided", winner=to_json(value), decided_by=by, decided_at=now()))


def candidate(view: ConflictView, pick: object) -> Any:
    """The value of candidate ``pick``, counted from 1 as ``server conflicts`` lists them.

    The CLI and the HTTP API both decide through this, so staff never meet two numberings;
    anything else (0, one past the last, not a whole number) is refused with ``bad-pick``.
    """
    count = len(view.candidates)
    if not isinstance(pick, int) or isinstance(pick, bool) or not 1 <= pick <= count:
        raise SyncError("bad-pick", f"候选值编号应在 1 到 {count} 之间（按列出的顺序）",
                        f"pick a candidate from 1 to {count} (as listed)")
    return view.candidates[pick - 1]["value"]
