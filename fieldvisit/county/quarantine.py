"""Holding back stored rows that fail the field rules, so one bad row never stops a village.

Every bundle is checked whole on arrival (``store.foreign.check``), so new bad rows never
get in; but rows stored by an older version, or before a rule existed, are still in the
county's journal. Sent on, a laptop would refuse the return bundle that carries one, and
so would every laptop of the village, bundle after bundle. Instead a return bundle (and
an enrollment file) leaves such an entry out, with every later entry that depends on it
(a change of the held row, a row hanging off it), and the county records it once, with
the device it came from, for ``server bundles`` to list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from fieldvisit.county.models import Quarantined
from fieldvisit.county.villages import PARENTS
from fieldvisit.store import Change, ChangeRejected
from fieldvisit.store.foreign import check
from fieldvisit.store.models import JournalEntry, table_of


@dataclass(frozen=True)
class Held:
    change: Change
    reason: str


def screen(changes: list[Change]) -> tuple[list[Change], list[Held]]:
    """``changes`` split into those fit to send and those held back, in order."""
    held_rows: set[tuple[str, str]] = set()
    sendable: list[Change] = []
    held: list[Held] = []
    for change in changes:
        reason = _held_because(change, held_rows)
        if reason is None:
            sendable.append(change)
        else:
            held_rows.add((change.entity, change.entity_id))
            held.append(Held(change, reason))
    return sendable, held


def _held_because(change: Change, held_rows: set[tuple[str, str]]) -> str | None:
    if (change.entity, change.entity_id) in held_rows:
        return "所属记录已隔离 / its row is held back"
    try:
        values = check(change)
    except ChangeRejected as error:
        return error.message
    for parent, link in PARENTS.get(change.entity, ()):
        if (parent, values.get(link)) in held_rows:
            return f"上级记录已隔离 / its {parent} is held back"
    return None


def record(conn: Connection, village: str, held: list[Held], at: datetime) -> None:
    """Note newly held entries (each once), with the party they came from."""
    if not held:
        return
    seqs = [h.change.seq for h in held]
    known = set(conn.execute(select(Quarantined.seq).where(Quarantined.seq.in_(seqs))
                             ).scalars())
    origins = dict(conn.execute(select(JournalEntry.seq, JournalEntry.origin)
                                .where(JournalEntry.seq.in_(seqs))).all())
    rows = [{"seq": h.change.seq, "village": village, "entity": h.change.entity,
             "entity_id": h.change.entity_id[:32], "field": (h.change.field or "")[:64] or None,
             "origin": origins.get(h.change.seq) or "county", "reason": h.reason,
             "found_at": at} for h in held if h.change.seq not in known]
    if rows:
        conn.execute(table_of(Quarantined).insert(), rows)


def listed(conn: Connection) -> list[Quarantined]:
    """Every held entry, oldest first."""
    return list(conn.execute(select(table_of(Quarantined)).order_by(Quarantined.seq)
                             ).mappings())  # type: ignore[arg-type]
