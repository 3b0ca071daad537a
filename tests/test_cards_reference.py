"""The fast card drawing prints exactly what reportlab's own objects print.

For speed (docs/performance.md, Cards) ruled tables are ``typeset.Grid``s drawn straight
onto the page, one-line cells ``typeset.Line``s set as raw text, and pages are written to
the file as they end (``pages.StreamingCanvas``). Here the same cards are also printed
the slow way, every Grid as the reportlab Table it stands for, every Line through
reportlab's text object (as it was drawn before), on reportlab's plain Canvas, and the
two PDFs must read the same, page by page, as pypdf extracts their text (positions
decide where its line breaks go), with the same page count and size. The QR code's
modules are compared with reportlab's own encoder's.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.pdfgen.canvas import Canvas
from test_cards import _large_household

from fieldvisit.cards import signing, typeset
from fieldvisit.cards.layout import load_layout
from fieldvisit.cards.pdf import QrMark, write_cards
from fieldvisit.cards.typeset import Grid, Line
from fieldvisit.cards.village_report import write_village_report
from fieldvisit.roster import queries
from fieldvisit.store import Store

DAY = date(2026, 11, 1)


@pytest.fixture
def reference(monkeypatch):
    """Within the ``with``, documents are drawn by reportlab's Table, text objects and
    Canvas, as before the fast path."""

    def line_ops(self, x, y, canvas):
        style = self.style
        free = self.width - style.leftIndent - style.rightIndent - self._text_width
        shift = {TA_CENTER: free / 2, TA_RIGHT: free}.get(style.alignment, 0)
        text = canvas.beginText(x + style.leftIndent + shift, y + self.height - style.fontSize)
        text.setFillColor(style.textColor)
        for font, run in self._runs:
            text.setFont(font, style.fontSize, style.leading)
            text.textOut(run)
        return text.getCode()

    def grid_wrap(self, avail_width, avail_height):
        self._reference = self.table()
        return self._reference.wrapOn(self.canv, avail_width, avail_height)

    def grid_draw_on(self, canvas, x, y, _sW=0):
        self._reference.drawOn(canvas, x, y, _sW)

    @contextmanager
    def switched():
        with monkeypatch.context() as patch:
            patch.setattr(Line, "ops", line_ops)
            patch.setattr(Grid, "wrap", grid_wrap)
            patch.setattr(Grid, "drawOn", grid_draw_on)
            patch.setattr(typeset, "StreamingCanvas", Canvas)
            yield

    return switched


def pages(path) -> list[tuple[list[str], tuple[float, float]]]:
    """Each page's lines of text and its size. A line's leading and trailing spaces are
    left out: pypdf adds one or not from the text object drawn before it, and a Table
    sets its default cell font (Helvetica) in an empty text object before its cells."""
    return [([line.strip() for line in page.extract_text().splitlines()],
             (float(page.mediabox.width), float(page.mediabox.height)))
            for page in PdfReader(path).pages]


def test_cards_read_the_same_as_reportlab_draws_them(demo_store, store_with_visits, tmp_path,
                                                     reference):
    large_store = Store.open(tmp_path / "large" / "fieldvisit.sqlite", actor="测试员")
    large, _numbers = _large_household(large_store)  # wrapped cells, a second page
    layout = load_layout()
    try:
        for paper in ("A4", "A5"):
            for store, ids in ((demo_store, store_with_visits), (large_store, [large])):
                fast, slow = tmp_path / "fast.pdf", tmp_path / "slow.pdf"

                def write(path, store=store, ids=ids, paper=paper):
                    return write_cards(store, ids, path, layout.with_paper(paper), DAY,
                                       qr_payload=lambda card, store=store:
                                       signing.qr_payload(store, card.household_id))

                count = write(fast)
                with reference():
                    assert write(slow) == count
                assert count > len(ids) or store is demo_store
                assert pages(fast) == pages(slow)
    finally:
        large_store.close()


def test_a_village_report_reads_the_same(demo_store, store_with_visits, tmp_path, reference):
    with demo_store.reading() as conn:
        code = queries.village_tree(conn)[0].code
    fast, slow = tmp_path / "fast.pdf", tmp_path / "slow.pdf"
    count = write_village_report(demo_store, code, fast, DAY)
    with reference():
        assert write_village_report(demo_store, code, slow, DAY) == count
    assert pages(fast) == pages(slow)


@pytest.fixture
def store_with_visits(demo_store, formset):
    """Twelve households of the demo village with a completed visit; their ids."""
    from fieldvisit.checklist.settings import DEFAULT_SETTINGS
    from fieldvisit.visits import visit

    with demo_store.reading() as conn:
        lines = queries.household_rows(conn)[:12]
    for number, line in enumerate(lines):
        visit_id = visit.start(demo_store, line.id, formset, "李干部", DAY)
        for question, value in {"area_type": "rich", "supply_type": "piped",
                                "litres_household": 20 + 10 * number, "water_quality": "ok",
                                "tap_in_yard": number % 2 == 0,
                                "outage_days": number}.items():
            visit.save_answer(demo_store, visit_id, "water", "", question, value)
        visit.complete(demo_store, visit_id, formset, DEFAULT_SETTINGS, "李干部", "户主签字",
                       line.head, DAY)
    return [line.id for line in lines]


@pytest.mark.parametrize("length", [1, 17, 53, 106, 180, 271, 400])
def test_qr_modules_match_reportlab(length):
    """The card's QR code (own codewords, modules placed from a table) is reportlab's."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    text = "".join(alphabet[(7 * i + length) % len(alphabet)] for i in range(length))
    reference = qrencoder.QRCode(None, QrMark.LEVEL)
    reference.addData(qrencoder.QR8bitByte(text))  # byte mode, as the card encodes
    reference.version = reference.calculate_version()
    reference.makeImpl(False, QrMark.MASK)
    assert QrMark(text, 100).modules == reference.modules
