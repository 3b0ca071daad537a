"""Key slots: one random data key, wrapped once per cadre and once for the county.

Like LUKS: the store is encrypted with a random 256-bit data key that never changes and
is never written down in the clear. ``keyslots.json`` beside the database keeps it
wrapped (XSalsa20-Poly1305 secretbox) by each cadre's password, stretched with Argon2id,
so a 工作队 of three shares one laptop with three passwords; and sealed (X25519 sealed
box) to the county's public key from enrollment, so the county — and only the county,
with its private key — can restore a laptop whose cadre forgot the password or left.

The file holds nothing about a household. Cadres' names are plain (the login screen lists
them); their phones are sealed with the data key. Wrong passwords are counted in the file
so that, after five, each further try waits longer (a thief copying the folder still
faces Argon2id on every guess).
"""

from __future__ import annotations

import json
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.encoding import Base64Encoder
from nacl.exceptions import CryptoError
from nacl.public import SealedBox
from nacl.pwhash import argon2id
from nacl.secret import SecretBox
from nacl.signing import VerifyKey

from fieldvisit.errors import FieldVisitError
from fieldvisit.files import replacing

SLOTS_FILE = "keyslots.json"
FORMAT = 1
KDF_ENV = "FIELDVISIT_KDF"  # "OPS,MEBIBYTES": Argon2id cost for new slots (tests, old laptops)
# Measured on the 2-core machine (docs/performance.md): about 0.4 s per unlock when quiet.
DEFAULT_OPS = 2
DEFAULT_MEMORY_MIB = 256
FREE_TRIES = 5
MAX_WAIT_S = 300


class VaultError(FieldVisitError):
    """A data folder that cannot be unlocked as asked."""


class WrongPassword(VaultError):
    def __init__(self, wait_s: int) -> None:
        later = f"；请等 {wait_s} 秒后再试" if wait_s else ""
        super().__init__(f"密码不对{later}", "wrong password"
                         + (f"; wait {wait_s} s before the next try" if wait_s else ""))
        self.wait_s = wait_s


class TooSoon(VaultError):
    def __init__(self, wait_s: int) -> None:
        super().__init__(f"密码错误次数太多：请等 {wait_s} 秒后再试",
                         f"too many wrong passwords: wait {wait_s} s before trying again")
        self.wait_s = wait_s


@dataclass(frozen=True)
class Cadre:
    id: str
    name: str


@dataclass(frozen=True)
class Kdf:
    ops: int
    memory: int  # bytes

    @classmethod
    def configured(cls) -> Kdf:
        """The cost for new slots: FIELDVISIT_KDF, else the measured default."""
        said = os.environ.get(KDF_ENV, "")
        try:
            ops, mib = (int(part) for part in said.split(","))
        except ValueError:
            ops, mib = DEFAULT_OPS, DEFAULT_MEMORY_MIB
        return cls(max(ops, argon2id.OPSLIMIT_MIN), max(mib << 20, argon2id.MEMLIMIT_MIN))

    def key(self, password: str, salt: bytes) -> bytes:
        return argon2id.kdf(SecretBox.KEY_SIZE, password.encode("utf-8"), salt,
                            opslimit=self.ops, memlimit=self.memory)


class KeySlots:
    """The slots file of one data folder, read whole and written whole, crash-safe.
    Without a ``path`` (the slots inside a backup) nothing is ever written."""

    def __init__(self, path: Path | None, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    # ---- reading -----------------------------------------------------------------------

    @classmethod
    def load(cls, folder: Path) -> KeySlots | None:
        path = Path(folder) / SLOTS_FILE
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or not isinstance(data.get("cadres"), list):
                raise ValueError("format")
        except (ValueError, UnicodeDecodeError, AttributeError) as error:
            raise VaultError(f"密钥槽文件 {path} 已损坏或版本不受支持，无法解锁",
                             f"the key slot file {path} is damaged or of an unknown "
                             "version; it cannot be unlocked") from error
        return cls(path, data)

    @classmethod
    def required(cls, folder: Path) -> KeySlots:
        """The slots of an encrypted folder, or the refusal a plain or empty one gets."""
        slots = cls.load(folder)
        if slots is None:
            raise VaultError(f"{folder} 不是加密的数据目录", f"{folder} is not an encrypted "
                             "data folder")
        return slots

    @classmethod
    def new(cls, folder: Path) -> KeySlots:
        return cls(Path(folder) / SLOTS_FILE, {"format": FORMAT, "cadres": [],
                                                "recovery": None, "failures": [0, 0.0]})

    def cadres(self) -> list[Cadre]:
        return [Cadre(slot["id"], slot["name"]) for slot in self.data["cadres"]]

    def cadre(self, name_or_id: str | None) -> dict[str, Any]:
        slots = self.data["cadres"]
        if name_or_id is None and len(slots) == 1:
            return dict(slots[0])
        for slot in slots:
            if name_or_id in (slot["id"], slot["name"]):
                return dict(slot)
        names = "、".join(slot["name"] for slot in slots)
        if name_or_id is None:
            raise VaultError(f"本机有几位干部（{names}）：请说明是谁登录（--cadre）",
                             f"several cadres use this laptop ({names}): say who logs in "
                             "(--cadre)")
        raise VaultError(f"本机没有干部“{name_or_id}”（有：{names}）",
                         f"no cadre '{name_or_id}' on this laptop (there are: {names})")

    def phone(self, data_key: bytes, cadre: str) -> str:
        sealed = self.cadre(cadre).get("phone") or ""
        return SecretBox(data_key).decrypt(sealed.encode(), encoder=Base64Encoder).decode() \
            if sealed else ""

    @property
    def converting(self) -> bool:
        """A plain store is being encrypted (set before, cleared after, every step)."""
        return bool(self.data.get("converting"))

    @property
    def recovery_key(self) -> str | None:
        """The county's public key (Ed25519, base64, as enrollment gives it) the data key
        is sealed to."""
        recovery = self.data.get("recovery")
        return recovery["county_key"] if recovery else None

    # ---- unlocking ---------------------------------------------------------------------

    def unlock(self, cadre: str | None, password: str, *,
               now: float | None = None) -> tuple[Cadre, bytes]:
        """The cadre and the data key their password unwraps; wrong tries are counted."""
        slot = self.cadre(cadre)
        now = time.time() if now is None else now
        failures, last = self.data.get("failures") or [0, 0.0]
        wait = _wait_s(failures)
        if wait and now < last + wait:
            raise TooSoon(int(last + wait - now) + 1)
        kdf = Kdf(slot["ops"], slot["memory"])
        try:
            data_key = SecretBox(kdf.key(password, b64decode(slot["salt"]))).decrypt(
                slot["wrapped"].encode(), encoder=Base64Encoder)
        except CryptoError:
            self.data["failures"] = [failures + 1, now]
            self.save()
            raise WrongPassword(_wait_s(failures + 1)) from None
        if failures:
            self.data["failures"] = [0, 0.0]
            self.save()
        return Cadre(slot["id"], slot["name"]), data_key

    # ---- changing (each needs the data key, i.e. someone logged in) ----------------------

    def put_cadre(self, data_key: bytes, name: str, phone: str, password: str,
                  *, cadre_id: str | None = None) -> Cadre:
        """Add a cadre, or give an existing one (by id) a new password."""
        name = name.strip()
        if not name:
            raise VaultError("请填写干部姓名", "enter the cadre's name")
        kdf = Kdf.configured()
        salt = secrets.token_bytes(argon2id.SALTBYTES)
        slot: dict[str, Any] = {"id": cadre_id or uuid.uuid4().hex[:12], "name": name,
                "phone": SecretBox(data_key).encrypt(phone.encode(),
                                                     encoder=Base64Encoder).decode(),
                "ops": kdf.ops, "memory": kdf.memory,
                "salt": b64encode(salt),
                "wrapped": SecretBox(kdf.key(password, salt)).encrypt(
                    data_key, encoder=Base64Encoder).decode()}
        others = [s for s in self.data["cadres"] if s["id"] != slot["id"]]
        if any(s["name"] == name for s in others):
            raise VaultError(f"本机已有干部“{name}”", f"this laptop already has a cadre '{name}'")
        self.data["cadres"] = [*others, slot]
        return Cadre(slot["id"], name)

    def change_password(self, data_key: bytes, cadre: str, password: str) -> Cadre:
        slot = self.cadre(cadre)
        return self.put_cadre(data_key, slot["name"], self.phone(data_key, slot["id"]),
                              password, cadre_id=slot["id"])

    def remove_cadre(self, cadre: str) -> None:
        slot = self.cadre(cadre)
        if len(self.data["cadres"]) == 1:
            raise VaultError("不能删除最后一位干部", "the last cadre cannot be removed")
        self.data["cadres"] = [s for s in self.data["cadres"] if s["id"] != slot["id"]]

    def seal_for_county(self, data_key: bytes, county_key: str, device: str) -> None:
        """The recovery slot: the data key sealed to the county's public key."""
        public = VerifyKey(b64decode(county_key)).to_curve25519_public_key()
        self.data["recovery"] = {"county_key": county_key, "device": device,
                                 "sealed": b64encode(SealedBox(public).encrypt(data_key))}

    def set_converting(self, converting: bool) -> None:
        self.data["converting"] = converting
        self.save()

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(self.path) as partial:
            partial.write_text(json.dumps(self.data, ensure_ascii=False, indent=1),
                               encoding="utf-8")


def _wait_s(failures: int) -> int:
    """No wait for the first five wrong tries, then 2, 4, 8 … seconds, at most 5 minutes."""
    return 0 if failures < FREE_TRIES else min(MAX_WAIT_S, 2 ** (failures - FREE_TRIES + 1))


def b64decode(text: str) -> bytes:
    return Base64Encoder.decode(text.encode("ascii"))


def b64encode(data: bytes) -> str:
    return Base64Encoder.encode(data).decode("ascii")
