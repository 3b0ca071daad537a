"""Signed card QR codes: the device key, the payload, verification, the CLI, a QR round trip."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from fieldvisit.cards import signing
from fieldvisit.store import Insert, Store, Update
from fieldvisit.store.device import DeviceKeyError, unb64url
from tests.pages import render_page
from tests.vaults import laptop, laptop_store

ROOT = Path(__file__).resolve().parents[1]


def household(store: Store, members: int = 2) -> tuple[str, list[str]]:
    village = Insert("village", {"name": "六硐村"})
    home = Insert("household", {"village_id": village.id, "code": "450000000001",
                                "address": "一组 12 号"})
    people = [Insert("member", {"household_id": home.id, "name": f"韦{n}"})
              for n in range(members)]
    store.write([village, home, *people])
    return home.id, [p.id for p in people]


def flip(text: str, index: int) -> str:
    """Change the character at ``index`` to another of the same kind (digit or base64)."""
    old = text[index]
    new = ("1" if old != "1" else "2") if old.isdigit() else ("A" if old != "A" else "B")
    return text[:index] + new + text[index + 1:]


def test_key_created_once_and_reused(tmp_path):
    path = tmp_path / "fieldvisit.sqlite"
    store = Store.open(path)
    first = store.device_key()
    assert bytes(store.device_key()) == bytes(first)
    store.close()
    reopened = Store.open(path)
    assert bytes(reopened.device_key()) == bytes(first)
    assert reopened.public_key() == bytes(first.verify_key)
    reopened.close()


def test_private_key_file_is_private_and_not_in_the_database(store, tmp_path):
    key = store.device_key()
    key_file = tmp_path / "device_key"
    assert key_file.is_file()
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".device_key.*"))  # no leftover partial file
    store.close()
    seed_hex = bytes(key).hex()
    database = b"".join(p.read_bytes() for p in tmp_path.glob("fieldvisit.sqlite*"))
    assert seed_hex.encode() not in database and bytes(key) not in database
    assert seed_hex.encode() not in key_file.read_bytes()  # sealed with the store's key
    reopened = laptop_store(tmp_path)
    with reopened.reading() as conn:
        meta = dict(conn.execute(text("SELECT key, value FROM meta")).all())
        journal = " ".join(str(row) for row in conn.execute(text("SELECT * FROM journal")))
    reopened.close()
    assert unb64url(meta["device_public_key"]) == bytes(key.verify_key)
    assert seed_hex not in journal and seed_hex not in " ".join(meta.values())


def test_missing_key_file_refuses_to_sign_but_still_verifies(tmp_path):
    store = Store.open(tmp_path / "fieldvisit.sqlite")
    home, _ = household(store)
    text = signing.qr_payload(store, home)
    store.close()
    (tmp_path / "device_key").unlink()
    reopened = Store.open(tmp_path / "fieldvisit.sqlite")
    with pytest.raises(DeviceKeyError):
        reopened.device_key()
    assert signing.verify(reopened, text).status == "valid"
    assert not (tmp_path / "device_key").exists()  # no new key minted behind our back
    reopened.close()


def test_payload_round_trips_to_valid(store):
    home, _ = household(store)
    text = signing.qr_payload(store, home)
    assert text.startswith("FV1.") and len(text) <= 200
    verdict = signing.verify(store, text)
    assert verdict.status == "valid", verdict
    assert verdict.household_id == home and verdict.device_id == store.device_id
    with store.reading() as conn:
        assert verdict.revision == signing.card_revision(conn, home)
    assert "有效" in verdict.message and "Valid" in verdict.message


def test_changed_household_is_outdated(store):
    home, _ = household(store)
    text = signing.qr_payload(store, home)
    store.write([Update("household", home, {"address": "二组 3 号"})])
    verdict = signing.verify(store, text)
    assert verdict.status == "outdated" and "过期" in verdict.message_zh
    assert signing.verify(store, signing.qr_payload(store, home)).status == "valid"


def test_changed_or_removed_member_is_outdated(store):
    home, people = household(store)
    text = signing.qr_payload(store, home)
    store.write([Update("member", people[1], {"phone": "13900000000"})])
    assert signing.verify(store, text).status == "outdated"
    text = signing.qr_payload(store, home)
    store.write([Update("member", people[0], {"deleted": True})])
    assert signing.verify(store, text).status == "outdated"


def test_a_new_or_ended_measure_makes_the_card_outdated(store):
    from datetime import date

    from fieldvisit.roster import measures

    home, _ = household(store)
    text = signing.qr_payload(store, home)
    measure = measures.add(store, home, date(2026, 11, 1), kind="公益岗位",
                           started_on=date(2026, 1, 1), detail="护林员")
    assert signing.verify(store, text).status == "outdated"  # the card lacks the measure
    text = signing.qr_payload(store, home)
    measures.end(store, measure, date(2026, 11, 2), date(2026, 11, 2))
    assert signing.verify(store, text).status == "outdated"


def test_deleted_household_is_outdated(store):
    home, _ = household(store)
    text = signing.qr_payload(store, home)
    store.write([Update("household", home, {"deleted": True})])
    verdict = signing.verify(store, text)
    assert verdict.status == "outdated" and "删除" in verdict.message_zh


def test_tampering_is_forged(store):
    home, _ = household(store)
    text = signing.qr_payload(store, home)
    signature_at = text.rindex(".") + 1
    for index in (signature_at, signature_at + 40, len(text) - 1):
        assert signing.verify(store, flip(text, index)).status == "forged", index
    revision_at = text.index(".", 4) + 1
    for index in (revision_at + 12, revision_at + 17):  # last millis digit, counter digit
        assert signing.verify(store, flip(text, index)).status == "forged", index


def test_garbage_and_overlong_text_is_unreadable(store):
    home, _ = household(store)
    text = signing.qr_payload(store, home)
    for garbage in ("", "hello", "FV1", "FV1....", "FV2" + text[3:], text + ".x",
                    text.replace(".", ",", 1), "FV1." + "a" * 5000,
                    text[:-1] + "=", text + "A" * 300, "__import__('os')"):
        assert signing.verify(store, garbage).status == "unreadable", garbage


def test_other_stores_key_is_forged_unless_known(tmp_path):
    ours = Store.open(tmp_path / "ours" / "fieldvisit.sqlite")
    theirs = Store.open(tmp_path / "theirs" / "fieldvisit.sqlite")
    home, _ = household(theirs)
    text = signing.qr_payload(theirs, home)
    assert signing.verify(ours, text).status == "forged"
    # A card that claims to be ours but carries their signature is forged too.
    claimed = text.replace(theirs.device_id, ours.device_id)
    assert signing.verify(ours, claimed).status == "forged"
    known = {theirs.device_id: theirs.public_key()}
    # Their household is not in our store: genuine, but we cannot call it current.
    assert signing.verify(ours, text, known).status == "outdated"
    assert signing.verify(theirs, text).status == "valid"
    wrong = {theirs.device_id: ours.public_key()}
    assert signing.verify(ours, text, wrong).status == "forged"
    ours.close()
    theirs.close()


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("FIELDVISIT_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(data_dir), "card", "verify",
         *args], cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8",
        timeout=120, check=False)


def test_cli_exit_codes(tmp_path):
    store = laptop(tmp_path)
    home, _ = household(store)
    text = signing.qr_payload(store, home)
    forged = flip(text, len(text) - 2)
    valid = run_cli(tmp_path, text)
    assert valid.returncode == 0, valid.stderr
    assert "valid" in valid.stdout and "有效" in valid.stdout
    assert run_cli(tmp_path, forged).returncode == 2
    assert run_cli(tmp_path, "not a card").returncode == 2
    store.write([Update("household", home, {"address": "三组"})])
    outdated = run_cli(tmp_path, text)
    assert outdated.returncode == 1 and "过期" in outdated.stdout
    store.close()


def render_qr_png(text: str, folder: Path) -> Path:
    """Draw the payload as a QR code with reportlab and rasterise it to PNG."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(text)
    x0, y0, x1, y1 = widget.getBounds()
    size = 72 * 1.2  # 3 cm across, as printed on a card
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    pdf = folder / "qr.pdf"
    renderPDF.drawToFile(drawing, str(pdf))
    png = folder / "qr.png"
    render_page(pdf).save(png)
    return png


def test_qr_round_trip_verifies(store, tmp_path, qapp):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    home, _ = household(store)
    text = signing.qr_payload(store, home)
    png = render_qr_png(text, tmp_path)
    with Image.open(png) as image:
        results = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in results] == [text]
    assert signing.verify(store, results[0].text).status == "valid"
