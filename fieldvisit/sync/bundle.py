"""The ``.fvb`` container: a readable header, an encrypted body, one signature.

    FIELDVISIT-BUNDLE 1\\n
    {header as one line of JSON}\\n
    body: libsodium secretstream (XChaCha20-Poly1305) of a zip, in 1 MiB chunks
    signature: 64 bytes, Ed25519 by the sender over "FVB1-SIG" + SHA-256(all before it)

The header says who sent it to whom, for which village, which range of changes, the
previous bundle's hash and the creation clock; ``bundle inspect`` reads it, and checks
the signature, without any key to decrypt. The body key is sealed to the recipient's
X25519 key (or, for enrollment files, derived from the activation code). The body's
zip holds ``changes.json`` and attachments; it is opened with limits on names, sizes
and compression ratio, because a bundle comes from a device that may be stolen.
docs/bundle-format.md is the specification.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

import nacl.bindings as sodium
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from fieldvisit.files import replacing
from fieldvisit.sealing import Files, Spool, rechunk
from fieldvisit.sync.errors import SyncError
from fieldvisit.sync.keys import b64, unb64

MAGIC = b"FIELDVISIT-BUNDLE 1\n"
FORMAT = 1
KINDS = ("device", "return", "enrollment")
SIGNATURE_BYTES = 64
CHUNK = 1 << 20
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_STREAM_HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
MAX_HEADER = 64 * 1024

# What a body may hold, and how much: a stolen device must not be able to fill the
# county's disk or memory, nor write outside the attachment folder.
# Each kind holds only its own members (docs/bundle-format.md): forms travel from the
# county to the villages, never back.
_PHOTOS = r"photos/[0-9a-f]{64}"
_FORMS = r"settings\.yaml|vocabulary\.yaml|forms/[A-Za-z0-9_\-]{1,64}\.yaml"
MEMBERS = {
    "device": re.compile(rf"changes\.json|{_PHOTOS}"),
    "return": re.compile(rf"changes\.json|receipt\.json|{_FORMS}|{_PHOTOS}"),
    "enrollment": re.compile(rf"changes\.json|enrollment\.json|{_FORMS}|{_PHOTOS}"),
}
DOCUMENTS = ("changes.json", "receipt.json", "enrollment.json")
MAX_CHANGES = 2_000_000  # a county's enrollment of a large village is ~100,000
MAX_MEMBER = 64 * 1024 * 1024  # one file after decompression (photos are ≤ 20 MB)
MAX_TOTAL = 4 * 1024 * 1024 * 1024
MAX_RATIO = 100  # a real changes.json compresses ~10x; bombs compress ~1000x
MAX_MEMBERS = 200_000


@dataclass(frozen=True)
class Header:
    """The clear part of a bundle; every field is in docs/bundle-format.md."""

    kind: str
    bundle_id: str
    sender: str
    recipient: str
    county: str
    village: str
    since: int
    upto: int
    changes: int
    attachments: int
    prev_hash: str
    created: str
    sender_key: str
    body_size: int
    sealed_key: str = ""
    salt: str = ""
    activation: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {"format": FORMAT, **{k: v for k, v in self.__dict__.items()}}
        return json.dumps(data, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Header:
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.pop("format", None) != FORMAT:
                raise ValueError("format")
            header = cls(**data)
        except (ValueError, TypeError) as error:
            raise _foreign() from error
        if header.kind not in KINDS or not _well_typed(header):
            raise _foreign()
        return header


_INTS = ("since", "upto", "changes", "attachments", "body_size")


def _well_typed(header: Header) -> bool:
    """Every field of the type the readers compare and decode it as, and the sender key
    32 bytes of base64: a malformed header is refused here, never crashes a reader."""
    for name, value in header.__dict__.items():
        if name in _INTS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return False
            if name == "changes" and value > MAX_CHANGES:
                return False
        elif name == "extra":
            seq = value.get("return_seq", 0) if isinstance(value, dict) else None
            if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
                return False
        elif not isinstance(value, str):
            return False
    try:
        return len(unb64(header.sender_key)) == 32 and all(
            len(unb64(text)) == size for text, size in ((header.salt, 16),
                                                        (header.activation, 32)) if text)
    except ValueError:
        return False


@dataclass
class Body:
    """An opened body: the changes, and attachments as name → bytes."""

    changes: list[list[Any]]
    files: dict[str, bytes]
    documents: dict[str, Any]  # receipt.json, enrollment.json


def _foreign() -> SyncError:
    return SyncError("foreign-format", "这不是 FieldVisit 同步包，或格式版本不受支持",
                     "not a FieldVisit bundle, or a format version this program does not read")


def _truncated() -> SyncError:
    return SyncError("truncated", "同步包不完整（文件被截断），请重新导出",
                     "the bundle is incomplete (truncated); export it again")


def _tampered() -> SyncError:
    return SyncError("tampered", "同步包签名不符：文件被改动过或不是该设备所签",
                     "the bundle's signature does not match: it was altered or not signed "
                     "by this device")


# ---- writing ---------------------------------------------------------------------------

def write(path: Path, header: Header, members: Mapping[str, bytes | Path],
          key: SigningKey, *, files: Files | None = None, recipient: PublicKey | None = None,
          secret: bytes | None = None,
          progress: Callable[[int, int], None] | None = None) -> str:
    """Write a bundle crash-safe at ``path``, read it back and check it; its SHA-256.

    The body key is sealed to ``recipient``, or is ``secret`` itself (enrollment). A
    member given as a path is a file of the store's data folder, read through ``files``
    (a laptop's photos are sealed at rest; a bundle of bytes only needs none). The plain
    zip waits in a sealed ``Spool``.
    """
    with Spool() as plain:
        _zip_members(plain, members, files)
        plain_size = plain.size
        body_key = secret or sodium.crypto_secretstream_xchacha20poly1305_keygen()
        sealed = b64(SealedBox(recipient).encrypt(body_key)) if recipient else ""
        body_size = _STREAM_HEADER + plain_size + _ABYTES * max(1, -(-plain_size // CHUNK))
        header = Header(**{**header.__dict__, "sealed_key": sealed, "body_size": body_size})
        with replacing(Path(path)) as partial:
            with open(partial, "wb") as out:
                digest = _Digesting(out)
                digest.write(MAGIC + header.to_json() + b"\n")
                _encrypt(rechunk(plain.blocks(), CHUNK), plain_size, body_key, digest, progress)
                out.write(key.sign(b"FVB1-SIG" + digest.sha.digest()).signature)
            # read back (once) and checked before it replaces anything
            expected = verify_file(partial, key.verify_key).sha256
    if file_hash(Path(path)) != expected:
        raise SyncError("write-failed", "写入的同步包读回时不一致，请换一个 U 盘重试",
                        "the bundle read back differs from what was written; try another "
                        "USB stick")
    return expected


def _zip_members(out: Spool, members: Mapping[str, bytes | Path], files: Files | None
                 ) -> None:
    with zipfile.ZipFile(cast(IO[bytes], out), "w") as archive:
        for name, content in members.items():
            compress = zipfile.ZIP_STORED if name.startswith("photos/") else zipfile.ZIP_DEFLATED
            if isinstance(content, Path):
                if files is None:
                    raise TypeError("a file member needs the data folder's files")
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = compress
                with archive.open(info, "w") as member:
                    for block in files.blocks(content):
                        member.write(block)
            else:
                archive.writestr(name, content, compress_type=compress)


def _encrypt(blocks: Iterator[bytes], size: int, key: bytes, out: _Digesting,
             progress: Callable[[int, int], None] | None) -> None:
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    out.write(sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key))
    done = 0
    while True:
        chunk = next(blocks, b"")
        done += len(chunk)
        final = done >= size
        out.write(sodium.crypto_secretstream_xchacha20poly1305_push(
            state, chunk, tag=_TAG_FINAL if final else _TAG_MESSAGE))
        if progress is not None:
            progress(done, size)
        if final:
            return


class _Digesting:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.out.write(data)


def file_hash(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            sha.update(block)
    return sha.hexdigest()


# ---- reading ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Opened:
    """A bundle whose header parsed and whose layout is whole; not yet verified."""

    path: Path
    header: Header
    body_offset: int
    sha256: str


def read_header(path: Path) -> Opened:
    """Parse the clear header; refuse foreign and truncated files."""
    path = Path(path)
    header, offset = _parse_header(path)
    return Opened(path, header, offset, file_hash(path))


def _parse_header(path: Path) -> tuple[Header, int]:
    """The header and where the body starts, the file's layout checked; nothing hashed."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            if handle.read(len(MAGIC)) != MAGIC:
                raise _foreign()
            line = handle.readline(MAX_HEADER + 1)
    except OSError as error:
        raise SyncError("unreadable", f"无法读取“{path.name}”：{error.strerror}",
                        f"cannot read '{path.name}': {error.strerror}") from error
    if not line.endswith(b"\n"):
        raise _truncated() if len(line) <= MAX_HEADER else _foreign()
    header = Header.from_json(line[:-1])
    offset = len(MAGIC) + len(line)
    if size < offset + header.body_size + SIGNATURE_BYTES:
        raise _truncated()
    if size > offset + header.body_size + SIGNATURE_BYTES:
        raise _tampered()
    return header, offset


def verify_file(path: Path, key: VerifyKey) -> Opened:
    """Check the whole file's signature against the sender's key.

    One pass over the file gives both the signed digest and the file's own SHA-256
    (a photo bundle is hundreds of MB)."""
    path = Path(path)
    header, offset = _parse_header(path)
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        remaining = offset + header.body_size
        while remaining:
            block = handle.read(min(CHUNK, remaining))
            if not block:
                raise _truncated()  # shrank since its layout was checked
            sha.update(block)
            remaining -= len(block)
        signature = handle.read(SIGNATURE_BYTES)
        whole = sha.copy()
        whole.update(signature)
        whole.update(handle.read())
    try:
        key.verify(b"FVB1-SIG" + sha.digest(), signature)
    except BadSignatureError:
        raise _tampered() from None
    return Opened(path, header, offset, whole.hexdigest())


def body_key(opened: Opened, private: PrivateKey) -> bytes:
    try:
        return SealedBox(private).decrypt(unb64(opened.header.sealed_key))
    except (CryptoError, ValueError):
        raise SyncError("not-for-us", "此同步包不是发给本机（或本县）的，无法解密",
                        "this bundle was not encrypted for this device (or county)") from None


def open_body(opened: Opened, key: bytes) -> Body:
    """Decrypt and unzip a verified bundle's body, within the limits above."""
    plain = io.BytesIO()  # in memory: a plain copy in the temp folder would outlive a crash
    _decrypt(opened, key, plain)
    plain.seek(0)
    return _unzip(plain, MEMBERS[opened.header.kind])


def _decrypt(opened: Opened, key: bytes, out: IO[bytes]) -> None:
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    with open(opened.path, "rb") as handle:
        handle.seek(opened.body_offset)
        remaining = opened.header.body_size - _STREAM_HEADER
        try:
            sodium.crypto_secretstream_xchacha20poly1305_init_pull(
                state, handle.read(_STREAM_HEADER), key)
            tag = None
            while remaining > 0 and tag != _TAG_FINAL:
                chunk = handle.read(min(CHUNK + _ABYTES, remaining))
                remaining -= len(chunk)
                message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, chunk)
                out.write(message)
        except (CryptoError, ValueError):
            raise SyncError("undecryptable", "同步包内容无法解密（密钥不对或内容损坏）",
                            "the bundle's body cannot be decrypted (wrong key or damaged)"
                            ) from None
    if tag != _TAG_FINAL or remaining:
        raise _truncated()


def _unzip(plain: IO[bytes], names: re.Pattern[str]) -> Body:
    try:
        archive = zipfile.ZipFile(plain)
        infos = archive.infolist()
    except zipfile.BadZipFile as error:
        raise _bad_attachment("内容不是有效的压缩包", "the body is not a valid zip") from error
    if len(infos) > MAX_MEMBERS:
        raise _bad_attachment("附件数量过多", "too many attachments")
    total = 0
    files: dict[str, bytes] = {}
    for info in infos:
        if not names.fullmatch(info.filename) or info.filename in files:
            raise _bad_attachment(f"不允许的附件名“{info.filename[:80]}”",
                                  f"attachment name not allowed: {info.filename[:80]!r}")
        data = _read_member(archive, info)
        total += len(data)
        if total > MAX_TOTAL:
            raise _bad_attachment("附件总量超过上限", "attachments exceed the total size limit")
        files[info.filename] = data
    documents: dict[str, Any] = {name: _json(files.pop(name), name) for name in DOCUMENTS
                                 if name in files}
    changes = documents.pop("changes.json", [])
    if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
        raise _bad_attachment("changes.json 格式不对", "changes.json is malformed")
    if not all(isinstance(document, dict) for document in documents.values()):
        raise _bad_attachment("回执或注册信息格式不对", "receipt.json or enrollment.json is "
                              "malformed")
    return Body(changes, files, documents)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read one member, never more than the limits allow whatever its header claims."""
    if info.file_size > MAX_MEMBER:
        raise _bad_attachment(f"附件“{info.filename}”过大", f"'{info.filename}' is too large")
    limit = min(MAX_MEMBER, max(info.compress_size, 1024) * MAX_RATIO)
    out = bytearray()
    try:
        with archive.open(info) as member:
            for block in iter(lambda: member.read(CHUNK), b""):
                out += block
                if len(out) > limit:
                    raise _bad_attachment(
                        f"附件“{info.filename}”解压后过大（疑似压缩炸弹）",
                        f"'{info.filename}' expands too far (a zip bomb?)")
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _bad_attachment(f"附件“{info.filename}”损坏",
                              f"'{info.filename}' is damaged") from error
    return bytes(out)


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except ValueError as error:
        raise _bad_attachment(f"{name} 不是有效的 JSON", f"{name} is not valid JSON") from error


def _bad_attachment(zh: str, en: str) -> SyncError:
    return SyncError("bad-attachment", f"同步包内容被拒绝：{zh}", f"bundle content refused: {en}")

