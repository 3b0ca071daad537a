"""One-file backups of a laptop: the store, its photos and keys, readable only with a
cadre's password (or, through the slots it carries, the county's recovery).

A backup holds the data folder's files as they lie at rest — a SQLCipher snapshot of the
database (``VACUUM INTO``, consistent while the app keeps writing), the sealed photos and
device key — behind a header with the key slots, and ends with a BLAKE2b MAC keyed from
the data key over every byte before it. Nothing in it is plain, so it may go on any USB
stick; a truncated or altered file is refused before anything is written. Restoring goes
into an empty folder only, through a staging folder renamed into place at the end, so a
kill midway leaves the target as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from nacl.hashlib import blake2b as Blake2b

from fieldvisit import paths
from fieldvisit.files import replacing
from fieldvisit.sealing import CHUNK, StoreKey
from fieldvisit.store.device import KEY_FILE
from fieldvisit.vault import folder as vault_folder
from fieldvisit.vault.folder import Login, Unlocked
from fieldvisit.vault.slots import SLOTS_FILE, KeySlots, VaultError

MAGIC = b"FIELDVISIT-BACKUP 1\n"
SUFFIX = ".fvbak"
LOCAL_FOLDER = "backups"
KEEP_LOCAL = 5
_SNAPSHOT = ".backup-snapshot-"  # a SQLCipher copy, encrypted like the store
_MAC_BYTES = 32
HELP = "加密备份：创建、恢复 / encrypted backups: create, restore"


def create(unlocked: Unlocked, out_dir: Path, *, keep: int | None = None) -> Path:
    """Write a verified backup into ``out_dir``; with ``keep``, only the newest ``keep``
    backups of this laptop stay there (the local ones)."""
    store = unlocked.store
    folder = store.folder
    out_dir.mkdir(parents=True, exist_ok=True)
    snapshot = folder / f"{_SNAPSHOT}{uuid.uuid4().hex[:8]}"  # two backups may run at once
    with store.engine.connect() as conn:
        conn.exec_driver_sql("VACUUM INTO ?", (str(snapshot),))
    try:
        members = [(paths.DB_FILENAME, snapshot)]
        members += [(path.relative_to(folder).as_posix(), path) for path in _kept_files(folder)]
        header = {"format": 1, "device": store.device_id,
                  "created": datetime.now().isoformat(timespec="seconds"),
                  "slots": {k: v for k, v in unlocked.slots.data.items() if k != "failures"},
                  "members": [[name, path.stat().st_size] for name, path in members]}
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = out_dir / f"FieldVisit-{store.device_id}-{stamp}{SUFFIX}"
        mac_key = _mac_key(unlocked.data_key)
        with replacing(target) as partial:
            with open(partial, "wb") as out:
                mac = Blake2b(key=mac_key, digest_size=_MAC_BYTES)
                _write(out, mac, MAGIC + json.dumps(header, ensure_ascii=False).encode() + b"\n")
                for _name, path in members:
                    for block in _blocks(path):
                        _write(out, mac, block)
                out.write(mac.digest())
            _verify(partial, mac_key)
    finally:
        snapshot.unlink(missing_ok=True)
    if keep is not None:
        mine = sorted(out_dir.glob(f"FieldVisit-{store.device_id}-*{SUFFIX}"))
        for old in mine[:-keep]:
            old.unlink()
    return target


def restore(source: Path, target: Path, login: Login) -> Unlocked:
    """Restore ``source`` into the empty folder ``target``; the restored store, unlocked."""
    header, body_at = _header(source)
    _require_empty(target, header)
    slots = KeySlots(None, dict(header["slots"], failures=[0, 0.0]))
    _cadre, data_key = slots.unlock(login.cadre, login.password)
    _verify(source, _mac_key(data_key))
    staging = target.with_name(f".{target.name}.restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with open(source, "rb") as handle:
        handle.seek(body_at)
        for name, size in header["members"]:
            path = (staging / name).resolve()
            if not path.is_relative_to(staging.resolve()):
                raise _damaged(source)
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as out:
                for block in _exactly(handle, size, source):
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
    KeySlots(staging / SLOTS_FILE, slots.data).save()
    if target.exists():
        target.rmdir()  # empty (checked above)
    os.replace(staging, target)
    return vault_folder.unlock(target, login)


def _blocks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        yield from iter(lambda: handle.read(CHUNK), b"")


def _kept_files(folder: Path) -> Iterator[Path]:
    key = folder / KEY_FILE
    if key.is_file():
        yield key
    yield from (p for p in sorted((folder / "photos").glob("*/*"))
                if p.is_file() and not p.name.endswith(".part"))


def _require_empty(target: Path, header: dict[str, Any]) -> None:
    if not target.exists() or not any(target.iterdir()):
        return
    slots = KeySlots.load(target) if (target / SLOTS_FILE).exists() else None
    recovery = (slots.data.get("recovery") or {}) if slots else {}
    if recovery.get("device") and recovery["device"] != header["device"]:
        raise VaultError(f"{target} 里是另一台电脑（另一个村）的数据，不能用这份备份覆盖",
                         f"{target} holds another laptop's (another village's) data; this "
                         "backup cannot be restored over it")
    raise VaultError(f"{target} 不是空目录：备份只能恢复到空的数据目录，现有数据未作改动",
                     f"{target} is not empty: a backup restores only into an empty data "
                     "folder; nothing there was changed")


def _header(source: Path) -> tuple[dict[str, Any], int]:
    try:
        with open(source, "rb") as handle:
            if handle.read(len(MAGIC)) != MAGIC:
                raise VaultError(f"{source.name} 不是 FieldVisit 备份文件",
                                 f"{source.name} is not a FieldVisit backup")
            header = json.loads(handle.readline(1 << 20))
            return header, handle.tell()
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise _damaged(source) from error


def _verify(path: Path, mac_key: bytes) -> None:
    """The MAC over everything before it: a truncated or altered backup goes no further."""
    size = path.stat().st_size
    if size < len(MAGIC) + _MAC_BYTES:
        raise _damaged(path)
    mac = Blake2b(key=mac_key, digest_size=_MAC_BYTES)
    with open(path, "rb") as handle:
        for block in _exactly(handle, size - _MAC_BYTES, path):
            mac.update(block)
        if handle.read() != mac.digest():
            raise _damaged(path)


def _exactly(handle: BinaryIO, size: int, source: Path) -> Iterator[bytes]:
    while size > 0:
        block = handle.read(min(CHUNK, size))
        if not block:
            raise _damaged(source)
        size -= len(block)
        yield block


def _write(out: BinaryIO, mac: Blake2b, data: bytes) -> None:
    mac.update(data)
    out.write(data)


def _mac_key(data_key: bytes) -> bytes:
    return blake2b(StoreKey.derive(data_key).files, key=data_key, person=b"fv-backup".ljust(
        16, b"\0"), digest_size=32, encoder=RawEncoder)


def _damaged(path: Path) -> VaultError:
    return VaultError(f"备份文件 {path.name} 不完整或被改动过（或密码不属于它），未恢复任何内容",
                      f"the backup {path.name} is incomplete or altered (or the password is "
                      "not its own); nothing was restored")


# ---- backup create | restore ------------------------------------------------------------

def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("backup", help=HELP)
    actions = parser.add_subparsers(dest="backup_command", required=True)
    made = actions.add_parser("create", help="写一份加密备份 / write an encrypted backup")
    made.add_argument("-o", "--output", type=Path, required=True, help="目标文件夹（如U盘） / "
                      "folder to write into (e.g. the USB stick)")
    back = actions.add_parser("restore", help="恢复到空的数据目录 / restore into an empty data "
                              "folder")
    back.add_argument("file", type=Path)


def run(args: argparse.Namespace) -> int:
    from fieldvisit.vault import commands as vault_commands

    if args.backup_command == "create":
        unlocked = vault_commands.open_laptop(args, args.data_dir, create=False)
        try:
            path = create(unlocked, args.output)
        finally:
            unlocked.store.close()
        print(f"备份已写出并核对 / backup written and verified: {path}")
        return 0
    target = paths.data_dir(args.data_dir)
    restored = restore(args.file, target, vault_commands.login(args, target))
    restored.store.close()
    print(f"已恢复到 / restored into: {target}")
    return 0
