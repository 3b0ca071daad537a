"""The PDF file written page by page, and text set straight into a page's content.

reportlab keeps every finished page's content stream in memory until ``save`` and then
builds the whole file in memory: printing a village's 明白卡 grew by about 38 KB a card
(docs/performance.md, Cards). ``StreamingCanvas`` writes each page, and its compressed
content stream, to the file as soon as the page is finished and keeps only its object
number and offset; what only the end can know (the font subsets, the page tree, the
catalogue, the cross-reference table) follows at ``save``. The file is a PDF like any
other: objects in a different order, the same objects.

``text_ops`` is a line of text as PDF operators for a page's content, each run in the
font subset that holds its glyphs: what reportlab's text objects produce, without their
per-call state, float formatting and font bookkeeping (most of a card's drawing time),
and kept per document for texts that recur on every card (labels, headings).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any
from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

# A line of text as (font, text) runs, as ``typeset.measured`` splits it.
Runs = tuple[tuple[str, str], ...]

# Encoded texts kept per document; cleared when it holds this many (names and IDs recur
# on no other card, so the labels that do are found again at once).
_KEEP_TEXTS = 20_000
_ENCODED: WeakKeyDictionary[Any, dict[tuple, str]] = WeakKeyDictionary()


def text_ops(canvas: Canvas, runs: Runs, size: float) -> str:
    """``runs`` shown one after the other at the current text position, as ``Tf``/``Tj``
    operators (to go between ``BT`` and ``ET``). Kept per line, so a label or heading is
    one look-up however many runs it has, and per run, for the runs a new line shares
    with others (a problem's 元 and 人, a date's digits)."""
    doc = vars(canvas)["_doc"]  # reportlab's PDFDocument behind the canvas
    kept = _ENCODED.get(doc)
    if kept is None:
        kept = _ENCODED[doc] = {}
    line = kept.get((runs, size))
    if line is None:
        line = " ".join(_run_ops(kept, doc, font, size, text) for font, text in runs)
        kept[runs, size] = line
    return line


def _run_ops(kept: dict[tuple, str], doc: Any, font_name: str, size: float, text: str) -> str:
    key = (font_name, size, text)
    ops = kept.get(key)
    if ops is None:
        font: Any = pdfmetrics.getFont(font_name)  # a TTFont: split into subsets
        ops = " ".join(f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf "
                       f"({escapePDF(chunk)}) Tj" for subset, chunk in font.splitString(text, doc))
        if len(kept) >= _KEEP_TEXTS:
            kept.clear()
        kept[key] = ops
    return ops


class StreamingCanvas(Canvas):
    """A canvas that writes each finished page to its file at once (see the module)."""

    def __init__(self, filename: str | IO[bytes], /, **kwargs: Any) -> None:
        if not isinstance(filename, str):
            raise TypeError("a StreamingCanvas writes to a file named by its path")
        super().__init__(filename, **kwargs)
        self._path = Path(filename)
        self._streamed: set[str] = set()  # names of the objects already in the file
        self._offset = 0
        self._write(pdfdoc.PDFFile(self._document._pdfVersion).format(self._document))

    @property
    def _document(self) -> Any:
        """reportlab's PDFDocument being written (the canvas's private ``_doc``)."""
        return vars(self)["_doc"]

    def _write(self, data: bytes) -> int:
        """Append ``data`` to the file; its offset."""
        with self._path.open("ab" if self._offset else "wb") as file:
            file.write(data)
        offset, self._offset = self._offset, self._offset + len(data)
        return offset

    def _write_object(self, name: str, obj: Any) -> None:
        doc = self._document
        doc.idToOffset[name] = self._write(pdfdoc.PDFIndirectObject(name, obj).format(doc))
        doc.idToObject[name] = None  # the object itself is no longer needed
        self._streamed.add(name)

    def showPage(self) -> None:
        """End the page as reportlab does, then write the page and its content stream
        (compressed as it is formatted) and let both go."""
        super().showPage()
        doc = self._document
        pages = doc.Pages.pages
        page = pages[-1]
        name = page.__InternalName__
        self._write_object(name, page)  # formatting it makes its content stream
        self._write_object(page.Contents.__InternalName__, page.Contents)
        pages[-1] = pdfdoc.PDFObjectReference(name)

    def save(self) -> None:
        """The rest of the file: fonts, page tree, catalogue, info, cross-references."""
        if vars(self)["_code"]:  # drawn on since the last page ended
            self.showPage()
        doc = self._document
        for font in doc.delayedFonts:
            font.addObjects(doc)
        doc.info.invariant = doc.invariant
        doc.info.digest(doc.signature)
        doc.Reference(doc.Catalog)
        doc.Reference(doc.info)
        doc.Outlines.prepare(doc, self)
        if doc.Outlines.ready < 0:
            doc.Catalog.Outlines = None
        self._write(self._tail())

    def _tail(self) -> bytes:
        """``PDFDocument.format`` for the objects not yet written, at their offsets in
        the file, and the cross-reference table and trailer for all of them."""
        doc = self._document
        doc.encrypt.prepare(doc)
        tail = pdfdoc.PDFFile(doc._pdfVersion)
        tail.strings.clear()  # the header is in the file already
        tail.offset = self._offset
        doc.__accum__ = tail
        ids = []
        number = 1
        while number in doc.numberToId:  # formatting may register further objects
            name = doc.numberToId[number]
            if name not in self._streamed:
                formatted = pdfdoc.PDFIndirectObject(name, doc.idToObject[name]).format(doc)
                doc.idToOffset[name] = tail.add(formatted)
            ids.append(name)
            number += 1
        del doc.__accum__
        xref = pdfdoc.PDFCrossReferenceTable()
        xref.addsection(0, ids)
        start = tail.add(xref.format(doc))
        tail.add(pdfdoc.PDFTrailer(startxref=start, Size=len(ids) + 1,
                                   Root=doc.Reference(doc.Catalog),
                                   Info=doc.Reference(doc.info), Encrypt=None,
                                   ID=doc.ID()).format(doc))
        return tail.format(doc)
