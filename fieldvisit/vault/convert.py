"""Encrypting an existing plain data folder in place, so that a kill at any point leaves
either the old plain store or the new encrypted one, never neither.

Every file goes the same way: its sealed copy is written and verified beside it, a second
name (a hard link, or a rename where the disk has none) keeps the plain one reachable,
the sealed copy is renamed over it in one step, and only then is the plain one written
over with zeros and removed. A start after a crash finishes the job: a leftover whose
file is missing is put back (that file was not converted yet), one whose file is there
is wiped. ``keyslots.json`` says ``converting`` until the last file is done, so the app
never opens a half-converted folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from fieldvisit import paths
from fieldvisit.sealing import (
    MAGIC,
    Files,
    StoreKey,
    is_plain_sqlite,
    overwrite_and_remove,
)
from fieldvisit.store import migrate
from fieldvisit.store.device import KEY_FILE
from fieldvisit.vault.slots import KeySlots, VaultError

LEFTOVER = ".plain-old"
ENCRYPTING = ".encrypting"


def encrypt_in_place(folder: Path, key: StoreKey, slots: KeySlots) -> None:
    """Convert whatever in ``folder`` is still plain; safe to call again after a crash."""
    slots.set_converting(True)
    put_back_or_wipe(folder)
    database = folder / paths.DB_FILENAME
    kept = migrate.with_suffix(database, migrate.BEFORE_UPGRADE)  # a plain store's upgrade
    if is_plain_sqlite(kept):
        overwrite_and_remove(kept)
    if is_plain_sqlite(database):
        _encrypt_database(database, key)
    files = Files(folder, key.files)
    for path in plain_files(folder):
        _replace(path, files.sealer(path.read_bytes()))
    slots.set_converting(False)


def plain_files(folder: Path) -> Iterator[Path]:
    """The data folder's files that should be sealed and are not (yet)."""
    candidates = [folder / KEY_FILE, *sorted((folder / "photos").glob("*/*"))]
    for path in candidates:
        if path.is_file() and not path.name.endswith((".part", LEFTOVER)):
            with open(path, "rb") as handle:
                if handle.read(len(MAGIC)) != MAGIC:
                    yield path


def put_back_or_wipe(folder: Path) -> None:
    """Finish what a crash interrupted (see the module's docstring)."""
    for leftover in [*folder.glob(f"*{LEFTOVER}"), *folder.glob(f"photos/*/*{LEFTOVER}")]:
        original = leftover.with_name(leftover.name.removesuffix(LEFTOVER))
        if not original.exists():
            os.replace(leftover, original)
        elif os.path.samefile(original, leftover):
            leftover.unlink()  # linked, not yet replaced: the original is that very file
        else:
            overwrite_and_remove(leftover)
    for partial in folder.glob(f"*{ENCRYPTING}*"):
        partial.unlink()


def _encrypt_database(database: Path, key: StoreKey) -> None:
    sealed = database.with_name(database.name + ENCRYPTING)
    plain = sqlcipher.connect(str(database))
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = _counts(plain)
        quoted = str(sealed).replace("'", "''")
        plain.execute(f"ATTACH DATABASE '{quoted}' AS sealed KEY \"x'{key.database.hex()}'\"")
        plain.execute("SELECT sqlcipher_export('sealed')")
        plain.execute("DETACH DATABASE sealed")
    finally:
        plain.close()
    with open(sealed, "rb+") as written:
        os.fsync(written.fileno())
    check = sqlcipher.connect(str(sealed))
    try:
        check.execute(key.pragma())
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok" or _counts(check) != counts:
            raise VaultError("加密后的数据库与原数据库不一致，已保留原数据库，未作改动",
                             "the encrypted copy differs from the store; the plain store is "
                             "kept unchanged")
    finally:
        check.close()
    _replace(database, lambda target: os.replace(sealed, target))
    for side in ("-wal", "-shm"):
        overwrite_and_remove(database.with_name(database.name + side))


def _counts(connection: sqlcipher.Connection) -> dict[str, int]:
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in tables}


def _replace(path: Path, put_sealed: Callable[[Path], object]) -> None:
    """Put the sealed version at ``path`` (``put_sealed(path)`` replaces it in one step)
    and wipe the plain one, which stays reachable as the leftover until then."""
    leftover = path.with_name(path.name + LEFTOVER)
    try:
        os.link(path, leftover)
    except OSError:  # FAT on a USB stick has no hard links: the file is missing a moment
        os.replace(path, leftover)
    put_sealed(path)
    overwrite_and_remove(leftover)
