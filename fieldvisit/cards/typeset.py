"""The house style every printed FieldVisit document shares, and the one way to write it.

Cards, visit records and village reports look like one family of county forms: the
bundled CJK TrueType font (embedded as a subset, so rare name characters print on any
printer), a centred title, ruled tables with shaded labels, numbered section headings.

``write_document`` builds a PDF from *parts* (one per household, visit or report) that
are turned into flowables only when reportlab reaches them, so memory stays flat however
many cards a village prints, and progress and cancel follow the real drawing work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from fieldvisit import files, paths

FONT = "DroidSansFallback"
LATIN = "FieldVisitVera"  # reportlab's bundled Bitstream Vera: digits, Latin, punctuation
INK = colors.black
RULE = colors.Color(0.25, 0.25, 0.25)
SHADE = colors.Color(0.9, 0.9, 0.9)
NUMERALS = "一二三四五六七八九十"
PADDING = 4  # points between a ruled cell's sides and its text

_CJK_CHARS: frozenset[int] = frozenset()

# Page streams Flate-compressed only, not also ASCII85-armoured (reportlab's default,
# for 7-bit channels no PDF goes through now): files a sixth smaller, and the armouring,
# pure Python without rl_accel, cost 2 ms a page.
rl_config.useA85 = 0


def register_font() -> str:
    """Register the bundled CJK font (and Vera for the digits and Latin letters the CJK
    font lacks); both are embedded as subsets."""
    global _CJK_CHARS
    if FONT not in pdfmetrics.getRegisteredFontNames():
        font = TTFont(FONT, str(paths.resource("fonts", "DroidSansFallbackFull.ttf")))
        pdfmetrics.registerFont(font)
        pdfmetrics.registerFont(TTFont(LATIN, "Vera.ttf"))
        _CJK_CHARS = frozenset(font.face.charToGlyph)
    return FONT


def font_runs(text: str) -> list[tuple[str, str]]:
    """``text`` as (font, run) pairs: the CJK font where it has the glyph, Vera else."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = FONT if ord(ch) in _CJK_CHARS or ch in " \n" else LATIN
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` on one line, each run in the font that draws it."""
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in font_runs(text))


def markup(text: str) -> str:
    """Escaped paragraph markup, with runs the CJK font cannot draw set in Vera."""
    return "".join(escape(run) if font == FONT else f'<font name="{LATIN}">{escape(run)}</font>'
                   for font, run in font_runs(text))


class Styles:
    """Paragraph styles at one scale (A5 prints at 0.8 of A4)."""

    def __init__(self, scale: float) -> None:
        def style(name: str, size: float, **extra) -> ParagraphStyle:
            extra.setdefault("textColor", INK)
            return ParagraphStyle(name, fontName=FONT, fontSize=size * scale,
                                  leading=size * scale * 1.3, **extra)
        self.scale = scale
        self.title = style("title", 20, alignment=TA_CENTER, spaceAfter=2)
        self.subtitle = style("subtitle", 9.5, alignment=TA_CENTER, textColor=RULE)
        self.section = style("section", 12, spaceBefore=5 * scale, spaceAfter=2 * scale)
        self.cell = style("cell", 10)
        self.label = style("label", 10, alignment=TA_CENTER)
        self.head = style("head", 10, alignment=TA_CENTER)
        self.small = style("small", 9)


class Line(Flowable):
    """Text that fits on one line, drawn as one text object; wider text wraps as a
    Paragraph. Most cells of a printed form are a name, a date or a number: parsing
    markup and breaking lines for each of them was most of a card's print time."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text, self.style = text, style
        self._runs = font_runs(text)
        self._text_width = text_width(text, style.fontSize)
        self._wrapped: Paragraph | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._text_width > avail_width - self.style.leftIndent - self.style.rightIndent:
            self._wrapped = self._wrapped or Paragraph(markup(self.text), self.style)
            return self._wrapped.wrap(avail_width, avail_height)
        self.width, self.height = avail_width, self.style.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return self._wrapped.split(avail_width, avail_height) if self._wrapped else []

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        """Drawn at its place without the coordinate translation every flowable's drawOn
        makes: one text origin is all a line needs, and the translations were a tenth
        of a card's drawing."""
        # types-reportlab leaves out drawOn's _sW and _hAlignAdjust on purpose (not every
        # flowable takes them); Flowable and Paragraph, the two used here, do.
        if self._wrapped is not None:
            self._wrapped.drawOn(canvas, x, y, _sW)  # type: ignore[call-arg]
        elif self._runs:
            canvas.saveState()
            self._draw_text(canvas, self._hAlignAdjust(x, _sW), y)  # type: ignore[attr-defined]
            canvas.restoreState()

    def draw(self) -> None:
        self._draw_text(self.canv, 0, 0)

    def _draw_text(self, canvas: Canvas, x: float, y: float) -> None:
        style = self.style
        free = self.width - style.leftIndent - style.rightIndent - self._text_width
        shifts: dict[int | str, float] = {TA_CENTER: free / 2, TA_RIGHT: free}
        shift = shifts.get(style.alignment, 0)
        # The baseline where a one-line Paragraph puts it (rl_config
        # paraFontSizeHeightOffset): one font size below the top.
        text = canvas.beginText(x + style.leftIndent + shift, y + self.height - style.fontSize)
        text.setFillColor(style.textColor)
        for font, run in self._runs:
            text.setFont(font, style.fontSize, style.leading)
            text.textOut(run)
        canvas.drawText(text)


def para(text: object, style: ParagraphStyle) -> Flowable:
    """A cell or line of text that wraps when it must; empty text keeps its line height.
    Text a Paragraph would reflow (line breaks, runs of spaces) goes to one directly."""
    text = str(text or "")
    if text != " ".join(text.split()):
        return Paragraph(markup(text) or "&nbsp;", style)
    return Line(text, style)


def heading(text: str, st: Styles) -> Paragraph:
    return Paragraph(markup(text), st.section)


# A table cell: a flowable, or "" where a span covers it.
Cell: TypeAlias = Flowable | str
# A TableStyle command: its name, first and last cell, then the command's own values.
TableCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[Any, ...]]


def ruled(data: Sequence[list[Cell]], widths: list[float], *, header: bool = False,
          label_cols: Iterable[int] = (), repeat: int = 0) -> Table:
    """A ruled table: thin grid, heavy frame, shaded header row and label columns."""
    table = Table(data, colWidths=widths, repeatRows=repeat)
    commands: list[TableCommand] = [
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("BOX", (0, 0), (-1, -1), 1.2, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    commands += [("BACKGROUND", (col, 0), (col, -1), SHADE) for col in label_cols]
    table.setStyle(TableStyle(commands))
    return table


@dataclass(frozen=True)
class Page:
    """Paper size and the type scale and margins that go with it."""

    size: tuple[float, float]
    scale: float
    margin: float

    @classmethod
    def of(cls, paper: str) -> Page:
        return cls(A5, 0.8, 12 * mm) if paper == "A5" else cls(A4, 1.0, 18 * mm)

    @property
    def width(self) -> float:
        """The text width between the margins."""
        return self.size[0] - 2 * self.margin


# One part of a document: given the text width and styles, its flowables.
Part = Callable[[float, Styles], list[Flowable]]


class Cancelled(Exception):
    """The batch was cancelled; nothing was written."""


class _Deferred(Flowable):
    """Stands in the story for a part until reportlab reaches it."""

    def __init__(self, index: int, part: Part) -> None:
        super().__init__()
        self.index, self.part = index, part

    def wrap(self, *_args) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:  # replaced before it is ever drawn
        pass


class RunningHead(Flowable):
    """Put at the start of a part: every further page the part runs onto is headed with
    ``text`` (which household, which record), so a page that comes loose from a stack of
    printed cards still says whose it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, *_args) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:  # takes no room; _LazyDoc reads it once drawn
        pass


class _LazyDoc(SimpleDocTemplate):
    def __init__(self, *args, styles: Styles, total: int,
                 progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None, **kw) -> None:
        super().__init__(*args, **kw)
        self._styles, self._total = styles, total
        self._progress, self._cancelled = progress, cancelled
        self.pages = 0
        self._running_head: str | None = None

    def filterFlowables(self, flowables: list[Flowable]) -> None:
        while flowables and isinstance(flowables[0], _Deferred):
            deferred = flowables[0]
            if self._cancelled is not None and self._cancelled():
                raise Cancelled()
            if self._progress is not None and deferred.index:
                self._progress(deferred.index, self._total)
            self._running_head = None  # the previous part is done: no head on a new one
            body = deferred.part(self.width, self._styles)
            flowables[0:1] = ([PageBreak()] if deferred.index else []) + body

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, RunningHead):
            self._running_head = flowable.text

    def on_page(self, canvas: Canvas, _doc: SimpleDocTemplate) -> None:
        """Count the page; head it when it continues a part."""
        self.pages += 1
        if self._running_head:
            head = Line(self._running_head, self._styles.subtitle)
            _width, height = head.wrapOn(canvas, self.width, self.topMargin)
            head.drawOn(canvas, self.leftMargin, self.pagesize[1] - self.topMargin / 2 - height)


def write_document(path: Path, parts: Sequence[Part], *, paper: str = "A4", title: str = "",
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> int:
    """Write ``parts`` into ONE PDF at ``path`` (crash-safe), each part from a new page;
    return the page count.

    ``progress(done, total)`` follows the parts drawn; ``cancelled()`` True stops the
    work and raises ``Cancelled`` before anything replaces ``path`` (the old file stays).
    """
    register_font()
    page = Page.of(paper)

    def nothing(width: float, st: Styles) -> list[Flowable]:
        return [Paragraph("（无）", st.cell)]

    with files.replacing(Path(path)) as partial:
        doc = _LazyDoc(str(partial), pagesize=page.size, leftMargin=page.margin,
                       rightMargin=page.margin, topMargin=page.margin,
                       bottomMargin=page.margin, title=title, author="FieldVisit 驻村走访",
                       creator="FieldVisit", styles=Styles(page.scale), total=len(parts),
                       progress=progress, cancelled=cancelled)
        story: list[Flowable] = [_Deferred(i, part) for i, part in enumerate(parts or [nothing])]
        doc.build(story, onFirstPage=doc.on_page, onLaterPages=doc.on_page)
        if progress is not None:
            progress(len(parts), len(parts))
    return doc.pages
