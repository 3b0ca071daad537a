"""The county's way back into a laptop whose cadre forgot the password (or left).

Three steps, two small files on a USB stick and one code by phone, the same shape as
enrollment: the laptop writes a request holding its recovery slot (the data key sealed
to the county's public key); the county opens it with its private key and answers with
the data key wrapped by a fresh one-time code, signed; the cadre brings the answer back,
types the code read out by phone, and sets a new password. Nothing stored on the laptop
opens it without the county's private key, and the answer alone, without the code, opens
nothing either.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from nacl.encoding import Base64Encoder
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import SealedBox
from nacl.pwhash import argon2id
from nacl.secret import SecretBox
from nacl.signing import SigningKey, VerifyKey

from fieldvisit.codes import code_key, new_code
from fieldvisit.vault.slots import KeySlots, VaultError, b64decode, b64encode

REQUEST = "fieldvisit-recovery-request"
ANSWER = "fieldvisit-recovery-answer"


def request(slots: KeySlots) -> bytes:
    """The request file's content (nothing in it opens the laptop without the county)."""
    recovery = slots.data.get("recovery")
    if not recovery:
        raise VaultError("本机还没有县里的恢复密钥（注册到县里后才有），无法由县里找回密码",
                         "this laptop holds no county recovery key yet (it comes with "
                         "enrollment), so the county cannot restore it")
    return json.dumps({"kind": REQUEST, "device": recovery["device"],
                       "county_key": recovery["county_key"],
                       "sealed": recovery["sealed"]}, ensure_ascii=False).encode()


def answer(content: bytes, county: SigningKey) -> tuple[bytes, str]:
    """The county's answer to a request, and the code to read out to the cadre."""
    asked = _parse(content, REQUEST)
    if asked["county_key"] != b64encode(bytes(county.verify_key)):
        raise VaultError("这份找回申请不是给本县的（恢复密钥不符）",
                         "this recovery request is not for this county (another key)")
    try:
        data_key = SealedBox(county.to_curve25519_private_key()).decrypt(
            asked["sealed"].encode(), encoder=Base64Encoder)
    except CryptoError:
        raise VaultError("找回申请已损坏，无法打开", "the recovery request is damaged") from None
    code = new_code()
    salt = secrets.token_bytes(argon2id.SALTBYTES)
    body = {"kind": ANSWER, "device": asked["device"],
            "salt": b64encode(salt),
            "wrapped": SecretBox(code_key(code, salt)).encrypt(
                data_key, encoder=Base64Encoder).decode()}
    signature = county.sign(_canonical(body)).signature
    return json.dumps({**body, "signature": b64encode(signature)}).encode(), code


def accept(slots: KeySlots, content: bytes, code: str) -> bytes:
    """The data key from the county's answer and the code given by phone."""
    given = _parse(content, ANSWER)
    recovery = slots.data.get("recovery") or {}
    body = {k: v for k, v in given.items() if k != "signature"}
    try:
        VerifyKey(b64decode(recovery.get("county_key", ""))).verify(
            _canonical(body), b64decode(str(given.get("signature", ""))))
    except (BadSignatureError, ValueError, TypeError):
        raise VaultError("这份答复不是本县签发的，或被改动过",
                         "this answer was not signed by this laptop's county, or was "
                         "altered") from None
    if given["device"] != recovery.get("device"):
        raise VaultError("这份答复是给另一台电脑的", "this answer is for another laptop")
    try:
        return SecretBox(code_key(code, b64decode(given["salt"]))).decrypt(
            given["wrapped"].encode(), encoder=Base64Encoder)
    except CryptoError:
        raise VaultError("找回码不对：请核对县里电话告知的找回码",
                         "wrong recovery code: check the code the county read out") from None


def _parse(content: bytes, kind: str) -> dict[str, Any]:
    try:
        data = json.loads(content)
        if not isinstance(data, dict) or data.get("kind") != kind:
            raise ValueError(kind)
        return data
    except (ValueError, UnicodeDecodeError):
        what = "找回申请" if kind == REQUEST else "县里的答复"
        raise VaultError(f"这不是{what}文件", f"this is not a {kind} file") from None


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def read_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise VaultError(f"无法读取 {path}：{error.strerror}",
                         f"cannot read {path}: {error.strerror}") from error
