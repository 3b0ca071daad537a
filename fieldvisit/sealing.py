"""The data folder's files at rest: sealed with the store's key, or plain on the county.

A laptop's database is encrypted by SQLCipher; everything else of it in the data folder
(photos, the device's signing key, backups) goes through ``Files``, which seals it with
XChaCha20-Poly1305 secretstream under a key derived from the store key. Each file is
bound to its name inside the data folder (the associated data of every chunk), so a photo
file swapped for another one, or copied under another digest, fails to open instead of
showing the wrong picture. The county server keeps its files plain (``Files(None)``):
it runs in a machine room, on PostgreSQL, behind its own disk encryption.

The key itself is never stored: ``StoreKey`` is made from the data key that a cadre's
password (or the county's recovery key) unwraps (``fieldvisit.vault``), and splits it into
independent subkeys with BLAKE2b, one per use.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from nacl import bindings as sodium
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b

from fieldvisit.errors import FieldVisitError
from fieldvisit.files import replacing

MAGIC = b"FVSEAL1\n"
CHUNK = 64 * 1024
_HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_SEALED_CHUNK = CHUNK + sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE


class SealedFileError(FieldVisitError):
    """A sealed file that does not open: altered, truncated, swapped or another key's."""


@dataclass(frozen=True)
class StoreKey:
    """The subkeys of one data key: SQLCipher's raw key and the files' key."""

    database: bytes
    files: bytes

    @classmethod
    def derive(cls, data_key: bytes) -> StoreKey:
        return cls(_subkey(data_key, b"fv-sqlcipher"), _subkey(data_key, b"fv-files"))

    def pragma(self) -> str:
        """SQLCipher's ``PRAGMA key`` for a raw 256-bit key: no PBKDF2 on every open,
        because the password was stretched once already (Argon2id, in the key slot)."""
        return f"PRAGMA key = \"x'{self.database.hex()}'\""


def _subkey(data_key: bytes, purpose: bytes) -> bytes:
    return blake2b(b"", key=data_key, person=purpose.ljust(16, b"\0"), digest_size=32,
                   encoder=RawEncoder)


class Files:
    """Reads and writes the data folder's files, sealed when the store has a key.

    ``name`` (the path inside the data folder, with ``/``) is what a sealed file is bound
    to; plain files ignore it. Writes are crash-safe (``files.replacing``).
    """

    def __init__(self, folder: Path, key: bytes | None) -> None:
        self.folder = folder
        self.key = key

    @property
    def sealed(self) -> bool:
        return self.key is not None

    def name_of(self, path: Path) -> str:
        return Path(path).resolve().relative_to(self.folder.resolve()).as_posix()

    def write(self, path: Path, data: bytes) -> None:
        with replacing(path) as partial, open(partial, "wb") as out:
            self._write_into(out, path, iter([data]))

    def sealer(self, data: bytes) -> Callable[[Path], None]:
        """Writes ``data`` to the path it is given (for a caller that picks the moment)."""
        return lambda path: self.write(path, data)

    def copy_in(self, path: Path, source: Path) -> None:
        """``source`` (a file outside the data folder) kept at ``path``, block by block."""
        with open(source, "rb") as handle, replacing(path) as partial, \
                open(partial, "wb") as out:
            self._write_into(out, path, iter(lambda: handle.read(CHUNK), b""))

    def read(self, path: Path) -> bytes:
        return b"".join(self.blocks(path))

    def blocks(self, path: Path) -> Iterator[bytes]:
        """The file's content in blocks, each checked before it is given out."""
        with open(path, "rb") as handle:
            if self.key is None:
                yield from iter(lambda: handle.read(CHUNK), b"")
                return
            yield from _open_sealed(handle, self.key, self.name_of(path).encode(), path)

    def _write_into(self, out: BinaryIO, path: Path, blocks: Iterator[bytes]) -> None:
        if self.key is None:
            for block in blocks:
                out.write(block)
            return
        state = sodium.crypto_secretstream_xchacha20poly1305_state()
        out.write(MAGIC)
        out.write(sodium.crypto_secretstream_xchacha20poly1305_init_push(state, self.key))
        name = self.name_of(path).encode()
        # Every chunk but the last is exactly CHUNK long and the last carries the final
        # tag, so a reader can cut the stream where the writer did.
        previous = b""
        for chunk in rechunk(blocks):
            if previous:
                out.write(sodium.crypto_secretstream_xchacha20poly1305_push(
                    state, previous, name, _MESSAGE))
            previous = chunk
        out.write(sodium.crypto_secretstream_xchacha20poly1305_push(
            state, previous, name, _FINAL))


def rechunk(blocks: Iterator[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """Blocks of exactly ``size`` bytes (the last one shorter), whatever the source gives."""
    pending = bytearray()
    for block in blocks:
        pending += block
        while len(pending) >= size:
            yield bytes(pending[:size])
            del pending[:size]
    if pending:
        yield bytes(pending)


def _open_sealed(handle: BinaryIO, key: bytes, name: bytes, path: Path, *,
                 magic: bool = True) -> Iterator[bytes]:
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    if magic and handle.read(len(MAGIC)) != MAGIC:
        raise _broken(path)
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, handle.read(_HEADER), key)
        while chunk := handle.read(_SEALED_CHUNK):
            block, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, chunk, name)
            yield block
            if tag == _FINAL:
                if handle.read(1):
                    raise _broken(path)
                return
    except (CryptoError, ValueError) as error:
        raise _broken(path) from error
    raise _broken(path)  # cut short: the final chunk never came


def _broken(path: Path) -> SealedFileError:
    return SealedFileError(
        f"文件“{path.name}”无法解密：它被改动、截断、调换过，或不属于本数据目录",
        f"the file '{path.name}' does not decrypt: it was altered, truncated or swapped, "
        "or it belongs to another data folder")


class Spool:
    """A temporary file for plain bytes on their way elsewhere (a bundle's zip before it
    is encrypted for the county), sealed with a key that lives only in this process: a
    crash or a pulled plug leaves nothing readable in the temp folder.

    Written once, front to back (``zipfile`` writes data descriptors to a stream that
    cannot seek), then read back once with ``blocks``.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close/__exit__)
        self._key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        self._file.write(sodium.crypto_secretstream_xchacha20poly1305_init_push(
            self._state, self._key))
        self._pending = bytearray()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._pending += data
        self.size += len(data)
        while len(self._pending) >= CHUNK:
            self._push(bytes(self._pending[:CHUNK]), _MESSAGE)
            del self._pending[:CHUNK]
        return len(data)

    def flush(self) -> None:
        """Nothing to do: bytes reach the file a whole chunk at a time."""

    def blocks(self) -> Iterator[bytes]:
        """Everything written, in blocks of at most CHUNK bytes."""
        self._push(bytes(self._pending), _FINAL)
        self._pending.clear()
        self._file.seek(0)
        yield from _open_sealed(self._file, self._key, b"", Path("spool"), magic=False)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _push(self, chunk: bytes, tag: int) -> None:
        self._file.write(sodium.crypto_secretstream_xchacha20poly1305_push(
            self._state, chunk, None, tag))


def is_plain_sqlite(path: Path) -> bool:
    """A SQLite file anyone can read (an unencrypted store) rather than a SQLCipher one."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except FileNotFoundError:
        return False


def private_temp_dir() -> str | None:
    """Where a plain file that must exist a moment (a print preview's PDF) is best put:
    the user's runtime folder where the system has one (XDG_RUNTIME_DIR: in memory, 0700,
    emptied at logout on the Linux laptops), else the system's temp folder (None)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return runtime if runtime and os.path.isdir(runtime) else None


def overwrite_and_remove(path: Path) -> None:
    """Write zeros over a plain file's bytes before unlinking it, so the old roster does
    not linger in its freed blocks (best effort: SSDs and copy-on-write disks may keep
    old blocks; the encrypted store is what protects the data from here on)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with open(path, "r+b") as handle:
        remaining = size
        zeros = bytes(CHUNK)
        while remaining > 0:
            handle.write(zeros[:min(CHUNK, remaining)])
            remaining -= CHUNK
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
