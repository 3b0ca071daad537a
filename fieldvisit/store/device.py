"""A party's Ed25519 key: one key file in the data folder, its public half in ``meta``.

The laptop's key signs its 明白卡 QR codes and its sync bundles and (as X25519) opens the
county's return bundles; the county server's key does the same on its side. The seed
never goes into the database or the journal: it is a file of 64 hex digits, written
crash-safe with mode 0600, and on a laptop sealed with the store's key (``Files``) so a
copied data folder cannot sign as this laptop. The laptop records its public key in ``meta``
(``device_public_key``) so that cards it printed stay verifiable if the file is lost, and
so that a data folder holding another laptop's key is noticed instead of quietly signing.
"""

from __future__ import annotations

import base64
from pathlib import Path

from nacl.signing import SigningKey

from fieldvisit.errors import FieldVisitError
from fieldvisit.sealing import Files, SealedFileError
from fieldvisit.store.meta import MetaValues

KEY_FILE = "device_key"


class DeviceKeyError(FieldVisitError):
    """The key file and the public key recorded in the store do not belong together."""


def b64url(data: bytes) -> str:
    """base64url without padding: how public keys and card signatures are written."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_file(path: Path) -> SigningKey:
    """The plain key kept in ``path`` (the county's), created there on first use."""
    files = Files(path.parent, None)
    return read_key(files, path) if path.exists() else _create(files, path)


def read_key(files: Files, path: Path) -> SigningKey:
    try:
        return SigningKey(bytes.fromhex(files.read(path).decode("ascii").strip()))
    except (ValueError, TypeError, UnicodeDecodeError, SealedFileError) as error:
        raise DeviceKeyError(f"{path} 不是本数据目录的密钥文件",
                             f"{path} is not this data folder's key file") from error


def device_key(files: Files, meta: MetaValues) -> SigningKey:
    """This laptop's key, checked against (or first recorded as) its public key.

    Called inside a transaction holding the store's write lock, so two processes
    starting at once cannot each create a key: the second finds the first one's record.
    """
    path = files.folder / KEY_FILE
    recorded = meta.device_public_key
    if path.exists():
        key = read_key(files, path)
        public = b64url(bytes(key.verify_key))
        if not recorded:
            meta.device_public_key = public
        elif recorded != public:
            raise DeviceKeyError(
                f"{path} 与本数据库记录的设备公钥不符：这不是本机的密钥文件",
                f"{path} does not match this store's recorded device public key")
        return key
    if recorded:
        raise DeviceKeyError(
            f"设备密钥 {path} 丢失：本机打印过的明白卡仍可核验，但找回密钥文件前不能签发新卡",
            f"the device key {path} is missing; cards this laptop printed can still be "
            "verified, but it cannot sign new ones until the key file is restored")
    key = _create(files, path)
    meta.device_public_key = b64url(bytes(key.verify_key))
    return key


def _create(files: Files, path: Path) -> SigningKey:
    key = SigningKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write(path, (bytes(key).hex() + "\n").encode("ascii"))  # mode 0600 (mkstemp)
    return key
