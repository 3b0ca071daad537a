"""Devices: enrolling a laptop for a village and a cadre, listing and revoking them.

Enrollment writes a file (``.fve``, the bundle container) holding the county's public key,
the device's identity, the village's roster and history. Its body is encrypted with a
key derived from a one-time activation code that the county reads to the cadre by phone;
the county keeps only the derived key, to check the proof in the device's first bundle,
which also registers the public key the laptop made for itself. A stolen file alone
neither opens nor lets anyone act as the device.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select, update

from fieldvisit.checklist import installed
from fieldvisit.codes import new_code
from fieldvisit.county import quarantine
from fieldvisit.county.models import Device, ReceivedBundle
from fieldvisit.county.office import County
from fieldvisit.county.villages import village_rows
from fieldvisit.store import Change
from fieldvisit.store.changes import to_json
from fieldvisit.store.ids import new_id
from fieldvisit.store.models import DERIVED_FIELDS, SYSTEM_FIELDS, JournalEntry, Village, table_of
from fieldvisit.sync import bundle
from fieldvisit.sync.errors import SyncError
from fieldvisit.sync.keys import activation_key, b64
from fieldvisit.visits import photos


@dataclass(frozen=True)
class Enrolled:
    device: str
    code: str  # the activation code, to be read to the cadre by phone; never stored
    path: Path
    households: int


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def enroll(county: County, village_code: str, cadre: str, folder: Path) -> Enrolled:
    """Create a pending device and write its enrollment file into ``folder``."""
    device = "d" + secrets.token_hex(7)
    code = new_code()
    salt = secrets.token_bytes(16)
    key = activation_key(code, salt)
    county_code = county.code or village_code[:6]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{village_code}_{device}.fve"
    # One transaction until the file is written: a failed write leaves no orphan device.
    with county.store.transaction() as tx:
        conn = tx.conn
        village_id = conn.execute(select(Village.id).where(Village.code == village_code)
                                  ).scalar_one_or_none()
        if village_id is None:
            raise SyncError("unknown-village", f"县里的花名册中没有村代码 {village_code}",
                            f"the county roster has no village with code {village_code}")
        tx.meta.county_code = county_code
        rows = village_rows(conn, village_id)
        upto = conn.execute(select(func.coalesce(func.max(JournalEntry.seq), 0))).scalar_one()
        conn.execute(table_of(Device).insert().values(
            id=device, village=village_code, cadre=cadre, status="pending",
            activation_key=b64(key), public_key=None, acked=0, return_seq=upto,
            last_created="", last_hash="", enrolled_at=now()))
        # Rows failing the field rules stay out (return bundles list them in quarantine).
        snapshot, _held = quarantine.screen([_as_insert(entity, row) for entity, row in rows])
        attachments = {**photos.bundle_files(county.folder, conn, snapshot),
                       **installed.files_for_bundle(county.folder)}
        header = bundle.Header(
            kind="enrollment", bundle_id=new_id(), sender=f"county:{county_code}",
            recipient=device, county=county_code, village=village_code, since=0, upto=upto,
            changes=len(snapshot), attachments=len(attachments), prev_hash="",
            created=str(county.store.clock.last), sender_key=b64(county.public_key),
            body_size=0, salt=b64(salt), extra={"cadre": cadre})
        # The county key again inside the part only the activation code opens: the laptop
        # checks it against the (merely signed) header, so a file re-signed by someone else
        # cannot make a laptop trust another key.
        info = {"device": device, "village": village_code, "cadre": cadre,
                "county": county_code, "county_key": b64(county.public_key),
                "county_name": next((row["name"] for entity, row in rows
                                     if entity == "county"), "")}
        bundle.write(path, header, {
            "changes.json": json.dumps([c.wire() for c in snapshot]).encode(),
            "enrollment.json": json.dumps(info).encode(), **attachments},
            county.key, files=county.store.files, secret=key)
    households = sum(1 for entity, _ in rows if entity == "household")
    return Enrolled(device, code, path, households)


def _as_insert(entity: str, row: dict) -> Change:
    skip = {*SYSTEM_FIELDS, *DERIVED_FIELDS.get(entity, ())}
    values = {name: value for name, value in row.items() if name not in skip}
    return Change(0, row["rev"], row["changed_by"], entity, row["id"], None, None,
                  to_json(values))


def received(conn: Connection, last: int) -> list[Any]:
    """The ``last`` bundles received, newest first, with their verdicts."""
    table = table_of(ReceivedBundle)
    return list(conn.execute(select(table).order_by(table.c.id.desc()).limit(last)))


def find_device(conn: Connection, device_id: str) -> Device | None:
    """A device as it stands now (a detached row, so it outlives ``conn``)."""
    row = conn.execute(select(table_of(Device)).where(Device.id == device_id)).mappings().first()
    return Device(**row) if row else None


def devices(conn: Connection) -> list[Device]:
    from sqlalchemy.orm import Session

    with Session(bind=conn) as session:
        return list(session.scalars(select(Device).order_by(Device.village, Device.id)))


def revoke(county: County, device: str) -> bool:
    with county.store.transaction() as tx:
        done = tx.conn.execute(update(Device).where(Device.id == device)
                            .values(status="revoked")).rowcount
    return bool(done)
