"""Sync on the village laptop: enrollment, exporting bundles, importing return bundles.

What the laptop remembers about sync lives in the store's ``meta`` table (keys ``sync.*``)
so it travels with the database and is written in the same transaction as the data:

- ``acked``: the highest journal seq of this laptop's own changes the county has applied
  (from its last receipt). An export carries *every* own change after it, so a lost or
  stale USB stick loses nothing: the next bundle makes up for it.
- ``return_seq``: the county journal seq this laptop has applied up to.
- ``prev_hash``: the SHA-256 of the last bundle written, chaining bundles.

Own changes the county has not acknowledged stay as they are and win locally: a return
bundle's change to such a field is skipped, and the county's decision arrives later.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from nacl.signing import VerifyKey
from sqlalchemy import Connection, func, select

from fieldvisit.cards import signing
from fieldvisit.checklist import installed
from fieldvisit.store import Store, _meta, _set_meta
from fieldvisit.store.changes import by_ids
from fieldvisit.store.ids import new_id
from fieldvisit.store.models import Household, JournalEntry, Photo
from fieldvisit.sync import bundle
from fieldvisit.sync.apply import Applied, Change, apply_changes, local_changes
from fieldvisit.sync.errors import SyncError
from fieldvisit.sync.keys import (
    activation_key,
    activation_proof,
    b64,
    box_private,
    box_public,
    unb64,
)
from fieldvisit.visits import photos

Progress = Callable[[int, int], None]
_PHOTO_WRITERS = 4


@dataclass(frozen=True)
class Enrollment:
    device: str
    county: str
    county_key: str
    village: str
    activated: bool


@dataclass(frozen=True)
class Exported:
    path: Path
    changes: int
    attachments: int
    sha256: str


@dataclass(frozen=True)
class Imported:
    applied: Applied
    acked: int
    kept_local: int  # county changes skipped because this laptop's own edit is pending


def enrollment(conn: Connection) -> Enrollment | None:
    device = _meta(conn, "sync.device")
    if device is None:
        return None
    return Enrollment(device, _meta(conn, "sync.county") or "",
                      _meta(conn, "sync.county_key") or "", _meta(conn, "sync.village") or "",
                      _meta(conn, "sync.activated") == "1")


def _number(conn: Connection, key: str) -> int:
    return int(_meta(conn, key) or 0)


def unacknowledged(conn: Connection) -> int:
    """How many of this laptop's own changes the county has not acknowledged yet."""
    j = JournalEntry
    return conn.execute(select(func.count()).select_from(j).where(
        j.seq > _number(conn, "sync.acked"), j.origin.is_(None))).scalar_one()


def _required(conn: Connection) -> Enrollment:
    state = enrollment(conn)
    if state is None:
        raise SyncError("not-enrolled", "本机还没有注册到县里：请先导入县里发的注册文件（.fve）",
                        "this laptop is not enrolled with a county yet: import the county's "
                        "enrollment file (.fve) first")
    return state


# ---- enrollment ------------------------------------------------------------------------

def enroll(store: Store, path: Path, code: str) -> Enrollment:
    """Set this laptop up from the county's enrollment file and its activation code."""
    opened = bundle.read_header(path)
    header = opened.header
    if header.kind != "enrollment":
        raise SyncError("wrong-kind", "这不是注册文件", "this is not an enrollment file")
    bundle.verify_file(path, VerifyKey(unb64(header.sender_key)))
    key = activation_key(code, unb64(header.salt))
    try:
        body = bundle.open_body(opened, key)
    except SyncError as error:
        if error.reason != "undecryptable":
            raise
        raise SyncError("bad-code", "激活码不对：请核对县里电话告知的激活码",
                        "wrong activation code: check the code the county gave by phone"
                        ) from None
    info = body.documents.get("enrollment.json") or {}
    said = [info.get(k) for k in ("county_key", "device", "village", "county")] \
        if isinstance(info, dict) else None
    if said != [header.sender_key, header.recipient, header.village, header.county]:
        raise SyncError("tampered", "注册文件的标头与其加密内容不符：文件被改动过",
                        "the enrollment file's header does not match its encrypted "
                        "content: it was altered")
    checklists = _received_checklists(body.files)
    save_photos(photos.data_folder(store), body.files)
    with store.engine.begin() as conn, store.clock_held(conn) as clock:
        if enrollment(conn) is not None:
            raise SyncError("already-enrolled", "本机已经注册过", "this laptop is already enrolled")
        if conn.execute(select(func.count()).select_from(Household)).scalar():
            raise SyncError("not-empty", "本机已有花名册数据：请用一个新的数据目录注册",
                            "this data folder already holds a roster: enroll into a new one")
        changes = [Change.from_wire(item) for item in body.changes]
        apply_changes(conn, changes, lambda change, current: change.new, origin="county",
                      clock=clock)
        for name, value in (("sync.device", header.recipient), ("sync.county", header.county),
                            ("sync.county_key", header.sender_key),
                            ("sync.village", header.village), ("sync.acked", "0"),
                            ("sync.return_seq", str(header.upto)), ("sync.prev_hash", ""),
                            ("sync.activation", b64(key)), ("sync.activated", "0"),
                            ("sync.county_name", str(info.get("county_name", "")))):
            _set_meta(conn, name, value)
    checklists.install(photos.data_folder(store))
    signing.device_key(store)  # the laptop's own key pair, registered by its first bundle
    return Enrollment(header.recipient, header.county, header.sender_key, header.village,
                      False)


# ---- export ----------------------------------------------------------------------------

def export_bundle(store: Store, folder: Path, progress: Progress | None = None) -> Exported:
    """Write every own change the county has not acknowledged into a bundle in ``folder``."""
    key = signing.device_key(store)
    with store.reading() as conn:
        state = _required(conn)
        acked = _number(conn, "sync.acked")
        changes = local_changes(conn, acked)
        attachments = photo_files(photos.data_folder(store), conn, changes)
        prev_hash = _meta(conn, "sync.prev_hash") or ""
        return_seq = _number(conn, "sync.return_seq")
        activation = _meta(conn, "sync.activation")
    public = bytes(key.verify_key)
    upto = changes[-1].seq if changes else acked
    header = bundle.Header(
        kind="device", bundle_id=new_id(), sender=state.device,
        recipient=f"county:{state.county}", county=state.county, village=state.village,
        since=acked, upto=upto, changes=len(changes), attachments=len(attachments),
        prev_hash=prev_hash, created=str(store.clock.last), sender_key=b64(public),
        body_size=0,
        activation=(b64(activation_proof(unb64(activation), state.device, public))
                    if activation and not state.activated else ""),
        extra={"return_seq": return_seq})
    members: dict[str, bytes | Path] = {
        "changes.json": json.dumps([c.wire() for c in changes], ensure_ascii=False).encode()}
    members.update(attachments)
    Path(folder).mkdir(parents=True, exist_ok=True)
    for stale in Path(folder).glob(".*.fvb.*.part"):  # an export killed half-way
        stale.unlink(missing_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = Path(folder) / f"{state.village}_{state.device}_{stamp}.fvb"
    sha = bundle.write(path, header, members, key,
                       recipient=box_public(unb64(state.county_key)), progress=progress)
    with store.engine.begin() as conn:
        _set_meta(conn, "sync.prev_hash", sha)
    return Exported(path, len(changes), len(attachments), sha)


def photo_files(folder: Path, conn: Connection, changes: list[Change]) -> dict[str, Path]:
    """Photo files for the photo rows inserted in ``changes``, as bundle members (the
    laptop's exports and the county's return bundles both carry them)."""
    ids = [c.entity_id for c in changes if c.entity == "photo" and c.field is None]
    if not ids:
        return {}
    found: dict[str, Path] = {}
    for rows in by_ids(conn, select(Photo.sha256, Photo.media_type), Photo.id, ids):
        for sha, media_type in rows:
            path = photos.photo_path(folder, sha, media_type)
            if path.exists():
                found[f"photos/{sha}"] = path
    return found


# ---- import ----------------------------------------------------------------------------

def import_return(store: Store, path: Path) -> Imported:
    """Apply the county's return bundle: its receipt, others' changes and decisions."""
    key = signing.device_key(store)
    opened = bundle.read_header(path)
    header = opened.header
    with store.reading() as conn:
        state = _required(conn)
        return_seq = _number(conn, "sync.return_seq")
    if header.kind != "return":
        raise SyncError("wrong-kind", "这不是县里的回执包", "this is not a return bundle")
    if header.recipient != state.device:
        raise SyncError("not-for-us", "这个回执包是发给另一台电脑的",
                        "this return bundle is addressed to another laptop")
    bundle.verify_file(path, VerifyKey(unb64(state.county_key)))
    if header.since > return_seq:
        raise SyncError("out-of-order", "缺少更早的回执包：请先导入之前的回执包，或在县里重新生成",
                        "an earlier return bundle is missing: import it first, or ask the "
                        "county for a new one")
    if header.upto <= return_seq and header.since < return_seq:
        raise SyncError("replayed", "这个回执包已经导入过（或比已导入的更旧），无须再导入",
                        "this return bundle was already imported (or is older than one "
                        "that was)")
    body = bundle.open_body(opened, bundle.body_key(opened, box_private(key)))
    receipt = body.documents.get("receipt.json") or {}
    ours = receipt.get("device") == state.device
    acked_now = int(receipt.get("acked", 0)) if ours else 0
    # Entries up to return_seq were applied from an earlier return bundle.
    changes = [c for c in map(Change.from_wire, body.changes) if c.seq > return_seq]
    checklists = _received_checklists(body.files)
    save_photos(photos.data_folder(store), body.files)
    with store.engine.begin() as conn, store.clock_held(conn) as clock:
        acked = max(_number(conn, "sync.acked"), acked_now)
        pending = {c.key for c in local_changes(conn, acked)}
        kept = sum(1 for c in changes if c.key in pending)
        applied = apply_changes(
            conn, changes, lambda change, current: None if change.key in pending else change.new,
            origin="county", clock=clock)
        _set_meta(conn, "sync.acked", str(acked))
        _set_meta(conn, "sync.return_seq", str(max(header.upto, return_seq)))
        if ours:  # the county has this laptop's key: the activation key is done with
            _set_meta(conn, "sync.activated", "1")
            _set_meta(conn, "sync.activation", "")
    checklists.install(photos.data_folder(store))
    return Imported(applied, acked, kept)


def _received_checklists(files: dict[str, bytes]) -> installed.Received:
    """The county's forms and settings, checked before anything is applied."""
    try:
        return installed.receive(files)
    except installed.FormsRejected as error:
        raise SyncError("bad-forms", error.zh, error.en) from error


def save_photos(folder: Path, files: dict[str, bytes]) -> None:
    """Keep a bundle's photos by content hash, each checked against its name, before the
    rows that refer to them are applied (a stray file is harmless; a missing one is not).

    A few at once: each photo waits for its own flush to disk, and hashing and writing
    release the interpreter lock, so a bundle of 1,000 photos is kept in far less time."""
    items = [(name.removeprefix("photos/"), data) for name, data in files.items()
             if name.startswith("photos/")]
    if not items:
        return
    pool = ThreadPoolExecutor(max_workers=min(_PHOTO_WRITERS, len(items)))
    try:
        for _stored in pool.map(lambda item: photos.store_bytes(folder, *item), items):
            pass
    except photos.PhotoError as error:
        raise SyncError("bad-attachment", error.zh, error.en) from error
    finally:
        pool.shutdown(cancel_futures=True)
