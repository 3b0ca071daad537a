"""The house style every printed FieldVisit document shares, and the one way to write it.

Cards, visit records and village reports look like one family of county forms: the
bundled CJK TrueType font (embedded as a subset, so rare name characters print on any
printer), a centred title, ruled tables with shaded labels, numbered section headings.

``write_document`` builds a PDF from *parts* (one per household, visit or report) that
are turned into flowables only when reportlab reaches them, so memory stays flat however
many cards a village prints, and progress and cancel follow the real drawing work.
"""

from __future__ import annotations

import functools
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
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from fieldvisit import files, paths
from fieldvisit.cards.pages import StreamingCanvas, text_ops

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
    return measured(text, size)[1]


@functools.lru_cache(maxsize=8192)
def measured(text: str, size: float) -> tuple[tuple[tuple[str, str], ...], float]:
    """``text``'s font runs and width at ``size``, kept for the texts every card and
    record repeats (labels, headings, statuses): measuring them again was a tenth of a
    card's time."""
    register_font()  # the runs depend on the CJK font's glyphs
    runs = tuple(font_runs(text))
    return runs, sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs)


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
        self._runs, self._text_width = measured(text, style.fontSize)
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
        elif self._runs:  # q/Q: the text's colour stays inside
            canvas.addLiteral(f"q {self.ops(self._hAlignAdjust(x, _sW), y, canvas)} Q")  # type: ignore[attr-defined]

    def draw(self) -> None:
        if self._runs:
            self.canv.addLiteral(self.ops(0, 0, self.canv))

    def ops(self, x: float, y: float, canvas: Canvas) -> str:
        """The line as one text object for a content stream, its box's lower left
        corner at (x, y): where and how a one-line Paragraph would set it."""
        style = self.style
        shift = 0.0  # left aligned; centred or right aligned share out the free room
        if style.alignment in (TA_CENTER, TA_RIGHT):
            free = self.width - style.leftIndent - style.rightIndent - self._text_width
            shift = free / 2 if style.alignment == TA_CENTER else free
        # The baseline where a one-line Paragraph puts it (rl_config
        # paraFontSizeHeightOffset): one font size below the top.
        return (f"BT {_colour(style.textColor)} rg 1 0 0 1 "
                f"{x + style.leftIndent + shift:.3f} "
                f"{y + self.height - style.fontSize:.3f} Tm "
                f"{text_ops(canvas, self._runs, style.fontSize)} ET")


@functools.cache
def _colour(colour: colors.Color) -> str:
    """A colour's three components for ``rg``/``RG`` (a style's, kept: it is asked for
    every cell)."""
    return f"{colour.red:g} {colour.green:g} {colour.blue:g}"


def para(text: object, style: ParagraphStyle) -> Flowable:
    """A cell or line of text that wraps when it must; empty text keeps its line height.
    Text a Paragraph would reflow (line breaks, runs of spaces) goes to one directly."""
    text = str(text or "")
    if text != " ".join(text.split()):
        return Paragraph(markup(text) or "&nbsp;", style)
    return Line(text, style)


def heading(text: str, st: Styles) -> Flowable:
    """A numbered section's heading (a Line: most fit on one)."""
    return para(text, st.section)


# A table cell: a flowable, or "" where a span covers it.
Cell: TypeAlias = Flowable | str
# A TableStyle command: its name, first and last cell, then the command's own values.
TableCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[Any, ...]]
# The house style of every ruled table, as reportlab Table commands.
RULED: list[TableCommand] = [
    ("GRID", (0, 0), (-1, -1), 0.6, RULE),
    ("BOX", (0, 0), (-1, -1), 1.2, INK),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
]
TOP_PADDING, BOTTOM_PADDING = 2, 3
_STRING_LEADING = 12  # a plain-text cell's line (reportlab's cell style: 10 pt, 1.2)


def ruled(data: Sequence[list[Cell]], widths: list[float], *, header: bool = False,
          label_cols: Iterable[int] = (), repeat: int = 0) -> Grid:
    """A ruled table: thin grid, heavy frame, shaded header row and label columns."""
    commands: list[TableCommand] = []
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    commands += [("BACKGROUND", (col, 0), (col, -1), SHADE) for col in label_cols]
    return Grid(data, widths, repeat=repeat, commands=commands)


class Grid(Flowable):
    """A ruled table (``RULED``) drawn straight onto the page: backgrounds, then every
    cell, then the rules as one path. reportlab's Table draws the same with an object,
    a style lookup, a state save and a float format per cell and line; the card's eight
    tables of about 90 cells spent most of a card's time there.

    Sizes and places are Table's own (row heights, middle alignment, paddings, spans),
    so a page looks as a Table would draw it; a Grid that must break across pages is
    split by that Table (``table()``), the header rows repeated. ``setStyle`` takes
    Table's SPAN (within one row) and BACKGROUND commands."""

    def __init__(self, data: Sequence[list[Cell]], widths: list[float], *, repeat: int = 0,
                 commands: Iterable[TableCommand] = ()) -> None:
        super().__init__()
        self.data = [list(row) for row in data]
        self.widths = widths
        self.repeat = repeat
        self.hAlign = "CENTER"  # as a Table
        self._commands: list[TableCommand] = []
        self._spans: dict[tuple[int, int], int] = {}  # (row, first col) -> last col
        self._covered: set[tuple[int, int]] = set()  # (row, col) under a span, not its first
        self._heights: list[float] = []  # per row, and per cell its content's, from wrap
        self._cell_heights: dict[tuple[int, int], float] = {}
        self.setStyle(commands)

    def setStyle(self, commands: Iterable[TableCommand] | TableStyle) -> None:
        given: Iterable[Any] = (commands.getCommands() if isinstance(commands, TableStyle)
                                else commands)
        for command in given:
            name, (c0, r0), (c1, r1) = command[0], *self._cells(command[1], command[2])
            if name == "SPAN":
                if r0 != r1:
                    raise ValueError("a Grid spans columns within one row only")
                self._spans[r0, c0] = c1
                self._covered.update((r0, c) for c in range(c0 + 1, c1 + 1))
            elif name != "BACKGROUND":
                raise ValueError(f"a Grid takes SPAN and BACKGROUND only, not {name}")
            self._commands.append(command)

    def _cells(self, first: tuple[int, int],
               last: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
        """A command's cells, negative indices counted from the end as Table does."""
        cols, rows = len(self.widths), len(self.data)
        (c0, r0), (c1, r1) = first, last
        return (c0 % cols, r0 % rows), (c1 % cols, r1 % rows)

    def table(self) -> Table:
        """The same table as a reportlab Table."""
        table = Table(self.data, colWidths=self.widths, repeatRows=self.repeat)
        table.setStyle(TableStyle(RULED + self._commands))
        return table

    def _cell_width(self, row: int, col: int) -> float:
        return sum(self.widths[col:self._spans.get((row, col), col) + 1])

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Each row as high as its highest cell, wrapped to its column (or span). The
        cells' widths are the columns', whatever the room: a Grid in a KeepTogether is
        asked twice and measured once."""
        if self._heights:
            return self.width, self.height
        self._heights = heights = []
        self._cell_heights = cell_heights = {}
        for r, row in enumerate(self.data):
            height = 0.0
            for c, cell in enumerate(row):
                if (r, c) in self._covered:
                    continue
                if isinstance(cell, Flowable):
                    inner = self._cell_width(r, c) - 2 * PADDING
                    room = 72000 - TOP_PADDING - BOTTOM_PADDING  # as a Table asks
                    cell_height = cell_heights[r, c] = (
                        cell.wrap(inner, room)[1] if isinstance(cell, Line)  # no canvas needed
                        else cell.wrapOn(self.canv, inner, room)[1])
                else:
                    cell_height = _STRING_LEADING * len(cell.split("\n"))
                height = max(height, cell_height + TOP_PADDING + BOTTOM_PADDING)
            heights.append(height)
        self.width, self.height = sum(self.widths), sum(heights)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return self.table().splitOn(self.canv, avail_width, avail_height)

    def draw(self) -> None:
        canvas, widths, heights = self.canv, self.widths, self._heights
        xs = [0.0]
        for width in widths:
            xs.append(xs[-1] + width)
        ys = [self.height]  # each row's top; the last is the table's bottom
        for height in heights:
            ys.append(ys[-1] - height)
        ops: list[str] = []
        for name, *cells in self._commands:
            if name == "BACKGROUND":
                (c0, r0), (c1, r1) = self._cells(cells[0], cells[1])
                ops.append(f"{_colour(colors.toColor(cells[2]))} rg {xs[c0]:.3f} "
                           f"{ys[r1 + 1]:.3f} {xs[c1 + 1] - xs[c0]:.3f} "
                           f"{ys[r0] - ys[r1 + 1]:.3f} re f")
        for r, row in enumerate(self.data):
            bottom, height = ys[r + 1], heights[r]
            for c, cell in enumerate(row):
                if (r, c) in self._covered or not isinstance(cell, Flowable):
                    continue  # a plain-text cell holds nothing but "" under a span
                cell_height = self._cell_heights[r, c]
                x = xs[c] + PADDING
                y = bottom + (height + BOTTOM_PADDING - TOP_PADDING - cell_height) / 2
                if isinstance(cell, Line) and cell._wrapped is None:
                    if cell._runs:
                        ops.append(cell.ops(x, y, canvas))
                    continue
                if ops:  # what is drawn so far goes first, in the order a Table draws
                    canvas.addLiteral("\n".join(ops))
                    ops = []
                cell.drawOn(canvas, x, y)
        ops.append(self._rules(xs, ys))
        canvas.addLiteral("\n".join(ops))

    def _rules(self, xs: list[float], ys: list[float]) -> str:
        """GRID then BOX: the inner rules (a vertical one broken where a span covers
        it) and the frame thin, then the frame heavy, each width one stroked path."""
        left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
        frame = (f"{left:.3f} {top:.3f} m {right:.3f} {top:.3f} l "
                 f"{left:.3f} {bottom:.3f} m {right:.3f} {bottom:.3f} l "
                 f"{left:.3f} {top:.3f} m {left:.3f} {bottom:.3f} l "
                 f"{right:.3f} {top:.3f} m {right:.3f} {bottom:.3f} l")
        inner = [f"{left:.3f} {y:.3f} m {right:.3f} {y:.3f} l" for y in ys[1:-1]]
        for c in range(1, len(xs) - 1):
            start = None  # the top of the current unbroken run of this rule
            for r in range(len(self.data) + 1):
                broken = r < len(self.data) and (r, c) in self._covered
                if r < len(self.data) and not broken:
                    start = ys[r] if start is None else start
                elif start is not None:
                    inner.append(f"{xs[c]:.3f} {start:.3f} m {xs[c]:.3f} {ys[r]:.3f} l")
                    start = None
        return (f"{_colour(RULE)} RG 0.6 w {frame} {' '.join(inner)} S "
                f"{_colour(INK)} RG 1.2 w {frame} S")


class Together(KeepTogether):
    """reportlab's KeepTogether, measured without its copy of the frame: KeepTogether
    deep-copies the frame for each measuring, to collect content its flowables might
    generate (footnotes, index entries), which the flowables of a printed form never do;
    the copies were a tenth of a card's layout."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        doc: Any = getattr(self.canv, "_doctemplate", None)
        frame = getattr(doc, "frame", None)
        if frame is None:
            return super().wrap(aW, aH)
        doc.frame = None  # _listWrapOn copies the frame only when the document has one
        try:
            return super().wrap(aW, aH)
        finally:
            doc.frame = frame


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
        doc.build(story, onFirstPage=doc.on_page, onLaterPages=doc.on_page,
                  canvasmaker=StreamingCanvas)
        if progress is not None:
            progress(len(parts), len(parts))
    return doc.pages
