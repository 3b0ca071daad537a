"""Signed QR codes on 明白卡: the laptop's Ed25519 key, the payload and its verification.

A printed card carries a QR code a phone (or, later, the county) can check:

    FV1.<household id>.<revision>.<device id>.<signature>

- ``FV1``: format and version; a later format gets a new prefix.
- household id: the row's UUIDv7 (32 hex digits).
- revision: what the card certifies (``card_revision``), a hybrid-logical-clock stamp
  ``<13-digit millis>-<5-digit counter>-<node>``.
- device id: the store's ``device_id``, naming the key that signed.
- signature: Ed25519 over the UTF-8 text before the last ``.`` (prefix, ids and
  revision together), base64url without padding (86 characters).

With today's ids the whole text is 177 characters: a version 8-10 QR code at medium error
correction, comfortably scanned from an A4 card.

The key is the store's device key (``Store.device_key``, fieldvisit.store.device): if the
key file and the recorded public key disagree it refuses to sign rather than quietly
minting a new key that would make every card already printed look forged; verification of
this laptop's cards uses the recorded public key (``Store.public_key``) and keeps working.
"""

from __future__ import annotations

import argparse
import binascii
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey
from sqlalchemy import BindParameter, Connection, Select, bindparam, func, select

from fieldvisit.store import Store
from fieldvisit.store.device import b64url, unb64url
from fieldvisit.store.models import Household, Measure, Member

PREFIX = "FV1"
MAX_TEXT = 256  # a good payload is ~177 characters; anything longer is not ours

_ID = r"[0-9A-Za-z_-]{1,32}"
_PAYLOAD = re.compile(
    rf"FV1\.(?P<household>{_ID})\.(?P<revision>[0-9]{{13}}-[0-9]{{5}}-{_ID})"
    rf"\.(?P<device>{_ID})\.(?P<signature>[A-Za-z0-9_-]{{86}})")

Status = Literal["valid", "outdated", "forged", "unreadable"]


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    message_zh: str
    message_en: str
    household_id: str | None = None
    revision: str | None = None
    device_id: str | None = None

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def card_revision(conn: Connection, household_id: str) -> str:
    """The revision a card certifies: the newest rev over the household, its members and
    its measures (帮扶措施, printed on the card).

    Any change to the household row, to any of its members or measures (including
    removing one, which is a soft delete and so also stamps a new rev) moves this forward,
    and the card printed before it becomes outdated. Revs are clock stamps whose text
    sorts in clock order, so the newest is the string maximum. Visits and problems are
    not included: a new visit does not make the household's card wrong. Empty when the
    household is unknown.
    """
    row = conn.execute(_revision_query(), {"household_id": household_id}).one_or_none()
    if row is None:
        return ""
    return max(rev or "" for rev in row)  # one query: a card signs each as it prints


@functools.cache
def _revision_query() -> Select:
    """``card_revision``'s query, built once with the household as a parameter: building
    it and its cache key again for every card cost half of a card's signing."""
    household_id: BindParameter[str] = bindparam("household_id")
    newest = [select(func.max(model.rev)).where(model.household_id == household_id)
              .scalar_subquery() for model in (Member, Measure)]
    return select(Household.rev, *newest).where(Household.id == household_id)


def qr_payload(store: Store, household_id: str) -> str:
    """The signed text for a household's card QR code."""
    with store.reading() as conn:
        revision = card_revision(conn, household_id)
    if not revision:
        raise KeyError(household_id)
    body = f"{PREFIX}.{household_id}.{revision}.{store.device_id}"
    signature = store.device_key().sign(body.encode("ascii")).signature
    text = f"{body}.{b64url(signature)}"
    if not _PAYLOAD.fullmatch(text):
        raise ValueError(f"household id or device id not fit for a card: {text!r}")
    return text


def verify(store: Store, text: str, known_keys: Mapping[str, bytes] | None = None) -> Verdict:
    """Check a scanned card text against this store: valid, outdated, forged or unreadable.

    ``known_keys`` maps other devices' ids to their public keys (the county, after sync).
    """
    text = text.strip() if isinstance(text, str) else ""
    match = _PAYLOAD.fullmatch(text) if len(text) <= MAX_TEXT else None
    if match is None:
        return Verdict("unreadable", "无法识别：这不是本系统明白卡上的二维码内容。",
                       "Unreadable: this is not a FieldVisit card code.")
    household_id, revision, device_id = match["household"], match["revision"], match["device"]
    found = dict(household_id=household_id, revision=revision, device_id=device_id)
    if device_id == store.device_id:
        key_bytes: bytes | None = store.public_key()
    else:
        key_bytes = (known_keys or {}).get(device_id)
    if key_bytes is None:
        return Verdict("forged", "无法确认真伪：签名设备不明，请当作伪造处理。",
                       "Forged: signed by an unknown device.", **found)
    body = text[: text.rindex(".")]
    try:
        signature = unb64url(match["signature"])
        if b64url(signature) != match["signature"]:  # only the one canonical spelling
            raise BadSignatureError("non-canonical base64")
        VerifyKey(bytes(key_bytes)).verify(body.encode("ascii"), signature)
    except (BadSignatureError, ValueError, TypeError, binascii.Error):
        return Verdict("forged", "伪造：签名不符，此卡不是本系统打印的，或内容被改动过。",
                       "Forged: the signature does not match.", **found)
    with store.reading() as conn:
        deleted = conn.execute(select(Household.deleted).where(
            Household.id == household_id)).scalar_one_or_none()
        current = card_revision(conn, household_id)
    if deleted is None:
        return Verdict("outdated", "签名真实，但本机没有这一户的记录，无法确认是否最新。",
                       "Outdated: genuine, but this household is not in this store.", **found)
    if deleted:
        return Verdict("outdated", "已过期：这一户已被删除。",
                       "Outdated: the household has been deleted.", **found)
    if current != revision:
        return Verdict("outdated", "已过期：打印后户或家庭成员信息有变动，请重新打印明白卡。",
                       "Outdated: the household changed since this card was printed.",
                       **found)
    return Verdict("valid", "有效：明白卡真实，且为最新。",
                   "Valid: genuine and current.", **found)


# ``fieldvisit card verify TEXT``: exit 0 valid, 1 outdated, 2 forged or unreadable.
EXIT_CODES: dict[str, int] = {"valid": 0, "outdated": 1, "forged": 2, "unreadable": 2}


def add_parser(commands: argparse._SubParsersAction) -> None:
    card = commands.add_parser("card", help="明白卡二维码 / card QR codes")
    card_commands = card.add_subparsers(dest="card_command", required=True)
    check = card_commands.add_parser(
        "verify", help="核验明白卡二维码内容 / verify the text of a card's QR code")
    check.add_argument("text", help="扫码得到的文字 / the scanned text")


def run(args: argparse.Namespace, store: Store) -> int:
    verdict = verify(store, args.text)
    print(f"{verdict.status}: {verdict.message}")
    if verdict.household_id:
        print(f"户 / household {verdict.household_id}  版本 / revision {verdict.revision}  "
              f"设备 / device {verdict.device_id}")
    return EXIT_CODES[verdict.status]
