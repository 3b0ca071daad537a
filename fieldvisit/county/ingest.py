"""Receiving a device's bundle: verify everything first, then merge in one transaction.

Refused, with a reason and nothing applied: foreign-format, truncated or tampered files;
unknown or revoked devices; a first bundle without a valid activation proof; changes
outside the device's village; bundles already received (replayed) or older than one
already applied, or with an earlier bundle missing (out-of-order). Every bundle is kept
(``bundles/<sha256>.fvb``) with its verdict.

Merging is field by field, three-way, on each change's base value: where the county still
holds the base, the change fast-forwards. Where another device changed the field since,
both values are kept in a conflict record and the later hybrid-logical-clock stamp wins
provisionally (deterministic whatever order bundles arrive in). A losing change leaves a
county entry carrying the winner, so the device that sent it gets the winner back.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.signing import VerifyKey
from sqlalchemy import Connection, or_, select, update

from fieldvisit.county.devices import find_device, now
from fieldvisit.county.models import Conflict, Device, ReceivedBundle
from fieldvisit.county.office import County
from fieldvisit.county.villages import Villages
from fieldvisit.errors import FieldVisitError
from fieldvisit.files import replacing
from fieldvisit.monitoring.cases import COUNTY_STEPS
from fieldvisit.store import Change, Transaction
from fieldvisit.store.foreign import check, check_all
from fieldvisit.store.journal import ChangeRejected, entry
from fieldvisit.store.models import JournalEntry, table_of
from fieldvisit.sync import bundle
from fieldvisit.sync.errors import SyncError
from fieldvisit.sync.keys import box_private, proof_matches, unb64
from fieldvisit.visits import photos


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str
    zh: str
    en: str
    device: str | None = None
    changes: int = 0
    conflicts: int = 0

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"


def ingest(county: County, path: Path) -> Verdict:
    """Verify and apply one bundle file; the verdict is also recorded."""
    path = Path(path)
    sha = ""
    header = None
    try:
        opened = bundle.read_header(path)
        sha, header = opened.sha256, opened.header  # one pass over the file fewer
        device = _check(county, opened)
        body = bundle.open_body(opened, bundle.body_key(opened, box_private(county.key)))
        _keep(county, path, sha)
        changes, values = _changes(body, header, device)
        photos.keep_bundle_files(county.store.files, body.files)
        verdict = _apply(county, device, header, changes, values, sha)
    except FieldVisitError as error:  # every refusal has a reason, kept with the bundle
        if path.is_file():
            sha = sha or bundle.file_hash(path)
            _keep(county, path, sha)
        verdict = Verdict(False, error.reason, error.zh, error.en,
                          header.sender if header else None)
        with county.store.transaction() as tx:
            _record(tx.conn, verdict, header, sha)
    return verdict


def _check(county: County, opened: bundle.Opened) -> Device:
    """Everything that can be checked before decrypting; the device row."""
    header = opened.header
    if header.kind != "device" or header.recipient != f"county:{county.code}":
        raise SyncError("wrong-recipient", "这个同步包不是发给本县的",
                        "this bundle is not addressed to this county")
    with county.store.reading() as conn:
        device = find_device(conn, header.sender)
        seen = conn.execute(select(ReceivedBundle.id).where(
            ReceivedBundle.bundle_id == header.bundle_id,
            ReceivedBundle.verdict == "accepted")).first()
    if device is None:
        raise SyncError("unknown-device", f"未登记的设备 {header.sender}：请先在县里注册这台电脑",
                        f"unknown device {header.sender}: enroll this laptop first")
    if device.status == "revoked":
        raise SyncError("revoked", f"设备 {device.id} 已被停用，其同步包不再接收",
                        f"device {device.id} has been revoked; its bundles are refused")
    sender_key = unb64(header.sender_key)
    if device.status == "pending":
        if not header.activation or not proof_matches(
                unb64(device.activation_key), device.id, sender_key, unb64(header.activation)):
            raise SyncError("bad-activation",
                            "首次同步缺少有效的激活证明：请用县里告知的激活码注册",
                            "the first bundle lacks a valid activation proof: enroll with "
                            "the activation code the county gave")
    elif device.public_key != header.sender_key:
        raise SyncError("tampered", "同步包不是由该设备的密钥签名的",
                        "the bundle is not signed by this device's key")
    bundle.verify_file(opened.path, VerifyKey(sender_key))
    if header.village != device.village:
        raise SyncError("outside-village", f"设备 {device.id} 只负责村 {device.village}",
                        f"device {device.id} may only send changes for village "
                        f"{device.village}")
    if seen is not None:
        raise SyncError("replayed", "这个同步包已经接收过", "this bundle was already received")
    if header.since > device.acked:
        raise SyncError("out-of-order", "缺少这台电脑更早的同步包：请让村里重新导出一个",
                        "an earlier bundle from this laptop is missing: export a new one")
    if header.created < device.last_created:
        raise SyncError("out-of-order", "这个同步包比已接收的更旧，其内容已包含在后者中",
                        "this bundle is older than one already applied, which holds all "
                        "of it")
    return device


def _changes(body: bundle.Body, header: bundle.Header, device: Device
             ) -> tuple[list[Change], list[dict[str, Any]]]:
    """The changes not applied before, and their checked values."""
    changes = Change.all_from_wire(body.changes)
    if len(changes) != header.changes or any(
            not header.since < c.seq <= header.upto for c in changes):
        raise SyncError("tampered", "同步包内容与其标头不符", "the bundle's body does not match "
                        "its header")
    try:  # every field valid before its scope is even looked at
        values = check_all(changes)
    except ChangeRejected:
        values = []
    if len(values) != len(changes):  # the first refusal, as change by change finds it
        for change in changes:
            check(change)
            _refuse_county_step(change)
    for change in changes:
        _refuse_county_step(change)
    acked = device.acked  # a plain int: an ORM attribute costs per read
    new = [n for n, c in enumerate(changes) if c.seq > acked]  # before: a no-op
    return [changes[n] for n in new], [values[n] for n in new]


def _refuse_county_step(change: Change) -> None:
    """乡镇审核 and 县级审批 are the township's and the county's: a laptop that sends one
    (a tampered store, an insider) has its bundle refused whole."""
    if change.entity != "case_step":
        return
    if change.field is None:
        step = json.loads(change.new or "{}").get("step")
    elif change.field == "step":
        step = json.loads(change.new or "null")
    else:
        return
    if step in COUNTY_STEPS:
        raise SyncError("not-allowed",
                        f"同步包里有“{step}”：乡镇审核、县级审批只能在县服务器上办理，整包拒收",
                        f"the bundle holds a {step} step, which only the county server "
                        "records; refused whole")


def _apply(county: County, device: Device, header: bundle.Header, changes: list[Change],
           values: list[dict[str, Any]], sha: str) -> Verdict:
    """Merge, and record the bundle as accepted, in one transaction: killed at any point,
    the county holds either all of it or none, and a re-import does what the first would."""
    with county.store.transaction() as tx:
        _refuse_outside_village(tx.conn, changes, device)
        village = device.village  # every change's, now: its journal entries' scope
        merge = _Merge(tx, device)
        applied = tx.apply(changes, merge.policy, origin=device.id,
                           scope=lambda _change: village, values=values)
        tx.journal(list(merge.winners.values()))
        tx.conn.execute(update(Device).where(Device.id == device.id).values(
            status="active", public_key=header.sender_key, acked=max(header.upto, device.acked),
            return_seq=int(header.extra.get("return_seq", device.return_seq)),
            last_created=header.created, last_hash=sha))
        count = applied.inserted + applied.updated
        verdict = Verdict(True, "accepted",
                          f"已接收：{count} 条修改，{merge.conflicts} 处冲突待审核",
                          f"accepted: {count} changes, {merge.conflicts} conflicts to review",
                          header.sender, count, merge.conflicts)
        _record(tx.conn, verdict, header, sha)
    return verdict


def _refuse_outside_village(conn: Connection, changes: list[Change], device: Device) -> None:
    """Every change's row must be in the device's village: asked of the whole bundle at
    once, and only when that is not sure, row by row, to name the first that is not."""
    villages = Villages(conn)
    for change in changes:
        villages.learn(change)
    keys = [(c.entity, c.entity_id) for c in changes]
    if villages.all_in(keys, device.village):
        return
    for (entity, entity_id), code in villages.resolve(keys).items():
        if code != device.village:
            raise SyncError("outside-village",
                            f"同步包修改了本村以外的数据（{entity} {entity_id}），整包拒收",
                            f"the bundle changes data outside village {device.village} "
                            f"({entity} {entity_id}); refused whole")


CARRIER = "county"  # the actor of an entry carrying a kept value back to its loser


class _Merge:
    """The county's policy for one field change, and the conflicts it finds."""

    def __init__(self, tx: Transaction, device: Device) -> None:
        self.conn, self.clock = tx.conn, tx.clock
        self.device_id, self.village = device.id, device.village  # plain str: read per change
        self.clocks: dict[tuple[str, str, str | None], tuple[str, str]] = {}
        # key -> the county entry carrying a kept value back to its losing sender; a
        # later change of the same field in this bundle that is written supersedes it
        self.winners: dict[tuple[str, str, str | None], dict] = {}
        self.conflicts = 0

    def policy(self, change: Change, current: str) -> str | None:
        key = change.key
        if change.new == current:
            self.clocks[key] = (change.clock, self.device_id)
            return None
        if change.old == current:  # fast-forward from the county's value
            self._written(key, change)
            return change.new
        held_clock, held_by = self._held(change)
        incoming_wins = (change.clock, self.device_id) > (held_clock, held_by)
        winner = change.new if incoming_wins else current
        self._conflict(change, current, held_clock, held_by, winner)
        if incoming_wins:
            self._written(key, change)
            return change.new
        self.winners[key] = entry(  # the sender must get the county's value back
            str(self.clock.tick()), CARRIER, change.entity, change.entity_id, change.field,
            change.new, current, origin="county", scope=self.village)
        return None

    def _written(self, key: tuple[str, str, str | None], change: Change) -> None:
        self.clocks[key] = (change.clock, self.device_id)
        if self.winners:  # journaled after this change, it would undo it
            self.winners.pop(key, None)

    def _held(self, change: Change) -> tuple[str, str]:
        """Stamp and device of the edit whose value the county holds for this field. An
        entry carrying that value back to a losing sender is stamped later, but it is no
        edit: compared with it, a later edit from a third device would lose."""
        if change.key in self.clocks:
            return self.clocks[change.key]
        j = JournalEntry
        row = self.conn.execute(
            select(j.clock, j.origin).where(
                j.entity_id == change.entity_id,
                or_(j.field == change.field, j.field.is_(None)),
                or_(j.actor != CARRIER, j.origin.is_(None), j.origin != "county"))
            .order_by(j.seq.desc()).limit(1)).first()
        return (row[0], row[1] or "county") if row else ("", "")

    def _conflict(self, change: Change, current: str, held_clock: str, held_by: str,
                  winner: str | None) -> None:
        self.conflicts += 1
        table = table_of(Conflict)
        existing = self.conn.execute(select(table.c.id, table.c.candidates).where(
            table.c.entity_id == change.entity_id, table.c.field == change.field,
            table.c.status == "open")).first()
        incoming = {"value": change.new, "clock": change.clock, "device": self.device_id,
                    "actor": change.actor}
        if existing is None:
            held = {"value": current, "clock": held_clock, "device": held_by}
            self.conn.execute(table.insert().values(
                village=self.village, entity=change.entity, entity_id=change.entity_id,
                field=change.field, base=change.old, candidates=json.dumps(
                    [held, incoming], ensure_ascii=False),
                winner=winner, status="open", opened_at=now()))
        else:  # the value held may have come since (a fast-forward on a candidate)
            candidates = json.loads(existing.candidates)
            if current not in {candidate["value"] for candidate in candidates}:
                candidates.append({"value": current, "clock": held_clock, "device": held_by})
            candidates.append(incoming)
            self.conn.execute(table.update().where(table.c.id == existing.id).values(
                candidates=json.dumps(candidates, ensure_ascii=False), winner=winner))


def _keep(county: County, path: Path, sha: str) -> None:
    """A copy under its hash, crash-safe: a half copy must never pass for the bundle."""
    target = county.bundles_folder / f"{sha}.fvb"
    if sha and not target.exists():
        with replacing(target) as partial:
            shutil.copyfile(path, partial)


def _record(conn: Connection, verdict: Verdict, header: bundle.Header | None,
            sha: str) -> None:
    conn.execute(table_of(ReceivedBundle).insert().values(
            bundle_id=header.bundle_id if header else None, device=verdict.device,
            sha256=sha, received_at=now(), verdict="accepted" if verdict.accepted
            else "rejected", reason=verdict.reason, message=verdict.message,
            header=header.to_json().decode() if header else "", changes=verdict.changes,
            conflicts=verdict.conflicts))
