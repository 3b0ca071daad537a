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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from nacl.signing import VerifyKey
from sqlalchemy import func, select

from fieldvisit.store import Applied, Change, MetaValues, Store
from fieldvisit.store.ids import new_id
from fieldvisit.store.journal import own_changes
from fieldvisit.store.models import Household, JournalEntry
from fieldvisit.sync import bundle
from fieldvisit.sync.errors import SyncError
from fieldvisit.sync.keys import (
    activation_key,
    activation_proof,
    b64,
    box_private,
    box_public,
    unb64,
)

if TYPE_CHECKING:
    from fieldvisit.checklist import installed

Progress = Callable[[int, int], None]


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


def enrollment(meta: MetaValues) -> Enrollment | None:
    """What the county's enrollment file set up here (None: not enrolled)."""
    device = meta.sync_device
    if not device:
        return None
    return Enrollment(device, meta.sync_county, meta.sync_county_key, meta.sync_village,
                      meta.sync_activated)


def unacknowledged(store: Store) -> int:
    """How many of this laptop's own changes the county has not acknowledged yet."""
    j = JournalEntry
    with store.reading() as conn:
        return conn.execute(select(func.count()).select_from(j).where(
            j.seq > store.meta.sync_acked, j.origin.is_(None))).scalar_one()


def required(meta: MetaValues) -> Enrollment:
    """The enrollment, or the plain refusal every sync step gives before it."""
    state = enrollment(meta)
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
    _keep_photos(store, body.files)
    with store.transaction() as tx:
        if enrollment(tx.meta) is not None:
            raise SyncError("already-enrolled", "本机已经注册过", "this laptop is already enrolled")
        if tx.conn.execute(select(func.count()).select_from(Household)).scalar():
            raise SyncError("not-empty", "本机已有花名册数据：请用一个新的数据目录注册",
                            "this data folder already holds a roster: enroll into a new one")
        changes = [Change.from_wire(item) for item in body.changes]
        tx.apply(changes, lambda change, current: change.new, origin="county")
        meta = tx.meta
        meta.sync_device, meta.sync_county = header.recipient, header.county
        meta.sync_county_key, meta.sync_village = header.sender_key, header.village
        meta.sync_acked, meta.sync_return_seq, meta.sync_prev_hash = 0, header.upto, ""
        meta.sync_activation, meta.sync_activated = b64(key), False
        meta.sync_county_name = str(info.get("county_name", ""))
    checklists.install(store.folder)
    store.device_key()  # the laptop's own key pair, registered by its first bundle
    return Enrollment(header.recipient, header.county, header.sender_key, header.village,
                      False)


# ---- export ----------------------------------------------------------------------------

def export_bundle(store: Store, folder: Path, progress: Progress | None = None) -> Exported:
    """Write every own change the county has not acknowledged into a bundle in ``folder``."""
    key = store.device_key()
    meta = store.meta
    state = required(meta)
    acked, activation = meta.sync_acked, meta.sync_activation
    with store.reading() as conn:
        changes = own_changes(conn, acked)
        from fieldvisit.visits import photos

        attachments = photos.bundle_files(store.folder, conn, changes)
    public = bytes(key.verify_key)
    upto = changes[-1].seq if changes else acked
    header = bundle.Header(
        kind="device", bundle_id=new_id(), sender=state.device,
        recipient=f"county:{state.county}", county=state.county, village=state.village,
        since=acked, upto=upto, changes=len(changes), attachments=len(attachments),
        prev_hash=meta.sync_prev_hash, created=str(store.clock.last), sender_key=b64(public),
        body_size=0,
        activation=(b64(activation_proof(unb64(activation), state.device, public))
                    if activation and not state.activated else ""),
        extra={"return_seq": meta.sync_return_seq})
    members: dict[str, bytes | Path] = {
        "changes.json": json.dumps([c.wire() for c in changes], ensure_ascii=False).encode()}
    members.update(attachments)
    Path(folder).mkdir(parents=True, exist_ok=True)
    # This laptop's export killed half-way; another laptop may be writing to the stick now.
    for stale in Path(folder).glob(f".{state.village}_{state.device}_*.fvb.*.part"):
        stale.unlink(missing_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = Path(folder) / f"{state.village}_{state.device}_{stamp}.fvb"
    sha = bundle.write(path, header, members, key, files=store.files,
                       recipient=box_public(unb64(state.county_key)), progress=progress)
    store.meta.sync_prev_hash = sha
    return Exported(path, len(changes), len(attachments), sha)


# ---- import ----------------------------------------------------------------------------

def import_return(store: Store, path: Path) -> Imported:
    """Apply the county's return bundle: its receipt, others' changes and decisions."""
    key = store.device_key()
    opened = bundle.read_header(path)
    header = opened.header
    state = required(store.meta)
    return_seq = store.meta.sync_return_seq
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
    acked_now = receipt.get("acked", 0) if ours else 0
    if type(acked_now) is not int or acked_now < 0:
        raise SyncError("tampered", "回执包中的回执格式不对", "the return bundle's receipt is "
                        "malformed")
    # Entries up to return_seq were applied from an earlier return bundle.
    changes = [c for c in map(Change.from_wire, body.changes) if c.seq > return_seq]
    checklists = _received_checklists(body.files)
    _keep_photos(store, body.files)
    with store.transaction() as tx:
        acked = max(tx.meta.sync_acked, acked_now)
        pending = {c.key for c in own_changes(tx.conn, acked)}
        kept = sum(1 for c in changes if c.key in pending)
        applied = tx.apply(
            changes, lambda change, current: None if change.key in pending else change.new,
            origin="county")
        tx.meta.sync_acked = acked
        tx.meta.sync_return_seq = max(header.upto, return_seq)
        if ours:  # the county has this laptop's key: the activation key is done with
            tx.meta.sync_activated, tx.meta.sync_activation = True, ""
        # Before the commit: killed after it, a re-import is refused as replayed, and the
        # forms would never arrive; installed twice, they are the same files.
        checklists.install(store.folder)
    return Imported(applied, acked, kept)


# The checklists and the photos are imported when a bundle brings them, not for
# `sync status` (they pull in the forms' YAML and expression language, and the visits).

def _keep_photos(store: Store, files: dict[str, bytes]) -> None:
    from fieldvisit.visits import photos

    photos.keep_bundle_files(store.files, files)


def _received_checklists(files: dict[str, bytes]) -> installed.Received:
    """The county's forms and settings, checked before anything is applied."""
    from fieldvisit.checklist import installed

    try:
        return installed.receive(files)
    except installed.FormsRejected as error:
        raise SyncError("bad-forms", error.zh, error.en) from error
