"""The printed card's QR code, end to end: `fieldvisit cards` prints it, a scan of the
page decodes it, and `verify` says the card is current — until the household changes."""

from __future__ import annotations

import subprocess
import sys

import zxingcpp

from fieldvisit.cards import signing
from fieldvisit.roster import queries
from fieldvisit.store import Update
from tests.pages import render_page


def test_a_printed_card_scans_as_valid_then_outdated(demo_store, tmp_path, qapp):
    with demo_store.reading() as conn:
        line = queries.household_rows(conn)[0]
    data_dir = demo_store.folder
    pdf = tmp_path / "card.pdf"
    printed = subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(data_dir), "cards",
         "--household", line.code, "-o", str(pdf)], capture_output=True, text=True,
        timeout=120)
    assert printed.returncode == 0, printed.stderr
    [code] = zxingcpp.read_barcodes(render_page(pdf), formats=zxingcpp.BarcodeFormat.QRCode)
    assert code.text.startswith("FV1.") and line.id in code.text
    assert signing.verify(demo_store, code.text).status == "valid"
    demo_store.write([Update("household", line.id, {"address": "3组88号（已搬迁）"})])
    assert signing.verify(demo_store, code.text).status == "outdated"
