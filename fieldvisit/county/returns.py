"""Return bundles: what a device gets back from the county.

Every county journal entry for the device's village after the last one the device has
applied (as its latest bundle said) — others' changes, the device's own (so it ends with
the county's merged values, whatever order things arrived in), provisional winners and
decisions — plus a signed receipt of what the county applied from the device. Signed by
the county, encrypted to the device's own key.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, select, update

from fieldvisit.checklist import installed
from fieldvisit.county import quarantine
from fieldvisit.county.devices import find_device, now
from fieldvisit.county.office import County
from fieldvisit.county.villages import Villages
from fieldvisit.store.ids import new_id
from fieldvisit.store.journal import scope_changes
from fieldvisit.store.models import JournalEntry
from fieldvisit.sync import bundle
from fieldvisit.sync.errors import SyncError
from fieldvisit.sync.keys import b64, box_public, unb64
from fieldvisit.visits import photos

NO_VILLAGE = "-"  # county-wide rows (township, county): never sent in a return bundle


def return_bundle(county: County, device_id: str, folder: Path) -> Path:
    with county.store.reading() as conn:
        unlabelled = conn.execute(select(JournalEntry.seq).where(JournalEntry.scope.is_(None))
                                  .limit(1)).first()
    if unlabelled:
        # Under the write lock: two return bundles made at once (the web server) would
        # otherwise label the same rows twice, and on PostgreSQL could deadlock.
        with county.store.transaction() as tx:
            assign_scopes(tx.conn)
    with county.store.reading() as conn:
        device = find_device(conn, device_id)
        if device is None:
            raise SyncError("unknown-device", f"未登记的设备 {device_id}",
                            f"unknown device {device_id}")
        if device.status != "active" or not device.public_key:
            raise SyncError("not-active",
                            f"设备 {device_id} 尚未激活（还没有收到它的第一个同步包）",
                            f"device {device_id} is not active yet (no bundle received)")
        stored = scope_changes(conn, device.village, device.return_seq)
        changes, held = quarantine.screen(stored)
        attachments = {**photos.bundle_files(county.folder, conn, changes),
                       **installed.files_for_bundle(county.folder)}
    if held:
        with county.store.transaction() as tx:
            quarantine.record(tx.conn, device.village, held, now())
    # The held entries' seqs count as sent: the laptop must not wait for them.
    upto = stored[-1].seq if stored else device.return_seq
    header = bundle.Header(
        kind="return", bundle_id=new_id(), sender=f"county:{county.code}",
        recipient=device.id, county=county.code, village=device.village,
        since=device.return_seq, upto=upto, changes=len(changes), attachments=len(attachments),
        prev_hash="", created=str(county.store.clock.last),
        sender_key=b64(county.public_key), body_size=0)
    receipt = {"device": device.id, "acked": device.acked, "last_hash": device.last_hash}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = folder / f"{device.village}_{device.id}_return_{stamp}.fvb"
    bundle.write(path, header, {
        "changes.json": json.dumps([c.wire() for c in changes], ensure_ascii=False).encode(),
        "receipt.json": json.dumps(receipt).encode(), **attachments},
        county.key, files=county.store.files, recipient=box_public(unb64(device.public_key)))
    return path


def assign_scopes(conn: Connection) -> int:
    """Label the county's own journal entries (roster imports, edits) with their village."""
    j = JournalEntry
    rows = conn.execute(select(j.seq, j.entity, j.entity_id).where(j.scope.is_(None))
                        .order_by(j.seq)).all()
    if not rows:
        return 0
    found = Villages(conn).resolve((entity, entity_id) for _, entity, entity_id in rows)
    by_scope: dict[str, list[int]] = {}
    for seq, entity, entity_id in rows:
        by_scope.setdefault(found.get((entity, entity_id)) or NO_VILLAGE, []).append(seq)
    for scope, seqs in by_scope.items():
        for first, last in _runs(seqs):  # a roster import is one long run of seqs
            conn.execute(update(j).where(j.seq.between(first, last)).values(scope=scope))
    return len(rows)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Ascending ``numbers`` as runs of consecutive values, (first, last) each."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
