"""Render a PDF page to an image the way the app's preview does (QtPdf), so tests can
scan a printed QR code without poppler installed on the machine."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtPdf import QPdfDocument


def render_page(pdf: Path, page: int = 0, dpi: int = 150) -> Image.Image:
    """Page ``page`` (0-based) of ``pdf`` at ``dpi``; needs a QApplication (``qapp``)."""
    document = QPdfDocument()
    assert document.load(str(pdf)) == QPdfDocument.Error.None_, f"QtPdf cannot read {pdf}"
    points = document.pagePointSize(page)
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    image = document.render(page, size)
    document.close()
    path = pdf.with_suffix(f".page{page}.png")
    assert image.save(str(path)), "could not save the rendered page"
    # QtPdf paints on a transparent page: lay it on white paper, as a printer would.
    page_image = Image.open(path).convert("RGBA")
    paper = Image.new("RGBA", page_image.size, "white")
    return Image.alpha_composite(paper, page_image).convert("RGB")
