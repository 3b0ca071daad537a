"""Drawing 明白卡 with reportlab platypus: one PDF, one card (or more pages) per household.

The bundled CJK TrueType font is registered once and embedded as a subset, so rare name
characters (㛃, 䶮) print on any printer. Every table cell is a Paragraph, so long names
and addresses wrap inside their column; the members table repeats its header when a large
household continues on a second page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from fieldvisit import files, paths
from fieldvisit.cards.data import CardData, card_data
from fieldvisit.cards.layout import SECTIONS, CardLayout
from fieldvisit.store import Store

FONT = "DroidSansFallback"
LATIN = "FieldVisitVera"  # reportlab's bundled Bitstream Vera: digits, Latin, punctuation
INK = colors.black
RULE = colors.Color(0.25, 0.25, 0.25)
SHADE = colors.Color(0.9, 0.9, 0.9)

# Hook for the QR code: fieldvisit/cards/signing.py (Ed25519) supplies the text to encode.
QrPayload = Callable[[CardData], str]


_CJK_CHARS: frozenset[int] = frozenset()


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


def markup(text: str) -> str:
    """Escaped paragraph markup, with runs the CJK font cannot draw set in Vera."""
    out: list[str] = []
    run: list[str] = []
    for ch in text:
        if ord(ch) in _CJK_CHARS or ch in " \n":
            if run:
                out.append(f'<font name="{LATIN}">{escape("".join(run))}</font>')
                run = []
            out.append(escape(ch))
        else:
            run.append(ch)
    if run:
        out.append(f'<font name="{LATIN}">{escape("".join(run))}</font>')
    return "".join(out)


class _Styles:
    def __init__(self, scale: float) -> None:
        def style(name: str, size: float, **extra) -> ParagraphStyle:
            extra.setdefault("textColor", INK)
            return ParagraphStyle(name, fontName=FONT, fontSize=size * scale,
                                  leading=size * scale * 1.3, **extra)
        self.title = style("title", 20, alignment=TA_CENTER, spaceAfter=2)
        self.subtitle = style("subtitle", 9.5, alignment=TA_CENTER, textColor=RULE)
        self.section = style("section", 12, spaceBefore=7 * scale, spaceAfter=3 * scale)
        self.cell = style("cell", 10)
        self.label = style("label", 10, alignment=TA_CENTER)
        self.head = style("head", 10, alignment=TA_CENTER)
        self.small = style("small", 9)


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(str(text or "")) or "&nbsp;", style)


def _ruled(data: list[list], widths: list[float], *, header: bool = False,
           label_cols: Iterable[int] = (), repeat: int = 0) -> Table:
    table = Table(data, colWidths=widths, repeatRows=repeat)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("BOX", (0, 0), (-1, -1), 1.2, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    commands += [("BACKGROUND", (col, 0), (col, -1), SHADE) for col in label_cols]
    table.setStyle(TableStyle(commands))
    return table


def card_flowables(card: CardData, width: float, scale: float,
                   qr_payload: QrPayload | None = None) -> list:
    st = _Styles(scale)
    layout = card.layout
    title = [_p(layout.title, st.title),
             _p(f"户编号：{card.code} · 制卡日期：{card.today:%Y年%m月%d日}", st.subtitle)]
    story: list = []
    if qr_payload is not None:  # top-right QR (signed text from signing.py)
        side = 26 * mm * scale
        story.append(Table([[title, QrMark(qr_payload(card), side)]],
                           colWidths=[width - side - 4, side + 4],
                           style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    else:
        story += title
    story.append(Spacer(1, 3 * mm * scale))
    for number, section in enumerate(layout.sections):
        story += _SECTION_DRAWERS[section](card, width, st,
                                           f"{NUMERALS[number]}、{SECTIONS[section]}")
    story += _footer(card, width, st)
    return story


NUMERALS = "一二三四五六七八九十"


def _heading(text: str, st: _Styles) -> Paragraph:
    return Paragraph(markup(text), st.section)


def _household(card: CardData, width: float, st: _Styles, name: str) -> list:
    lw, vw = width * 0.14, width * 0.36
    rows = [
        [_p("户主姓名", st.label), _p(card.head, st.cell),
         _p("身份证号", st.label), _p(card.head_id, st.cell)],
        [_p("户类型", st.label), _p(card.hh_type, st.cell),
         _p("风险类型", st.label), _p(card.risk_types or "无", st.cell)],
        [_p("家庭住址", st.label), _p(card.address, st.cell), "", ""],
        [_p("家庭人口", st.label), _p(f"{len(card.members)} 人", st.cell),
         _p("户编号", st.label), _p(card.code, st.cell)],
    ]
    table = _ruled(rows, [lw, vw, lw, vw], label_cols=(0, 2))
    table.setStyle(TableStyle([("SPAN", (1, 2), (3, 2)),
                               ("BACKGROUND", (1, 2), (3, 2), colors.white)]))
    return [_heading(name, st), table]


def _members(card: CardData, width: float, st: _Styles, name: str) -> list:
    health = card.layout.print_health
    heads = ["序号", "姓名", "与户主关系", "性别", "年龄", "身份证号"]
    fractions = [0.06, 0.15, 0.12, 0.06, 0.06, 0.23]
    if health:
        heads.append("健康状况")
        fractions.append(0.1)
    heads += ["在校生状况", "劳动技能"]
    rest = (1 - sum(fractions)) / 2
    fractions += [rest, rest]
    rows = [[_p(h, st.head) for h in heads]]
    for number, m in enumerate(card.members, 1):
        cells = [str(number), m.name, m.relation, m.sex, m.age, m.id_number]
        if health:
            cells.append(m.health)
        cells += [m.schooling, m.labour]
        rows.append([_p(c, st.label if i in (0, 3, 4) else st.cell)
                     for i, c in enumerate(cells)])
    return [_heading(name, st),
            _ruled(rows, [width * f for f in fractions], header=True, repeat=1)]


def _helper(card: CardData, width: float, st: _Styles, name: str) -> list:
    lw = width * 0.14
    rows = [[_p("姓名", st.label), _p(card.helper_name, st.cell),
             _p("联系电话", st.label), _p(card.helper_phone, st.cell)],
            [_p("工作单位", st.label), _p(card.helper_unit, st.cell), "", ""]]
    table = _ruled(rows, [lw, width * 0.36, lw, width * 0.36], label_cols=(0, 2))
    table.setStyle(TableStyle([("SPAN", (1, 1), (3, 1)),
                               ("BACKGROUND", (1, 1), (3, 1), colors.white)]))
    return [KeepTogether([_heading(name, st), table])]


def _income(card: CardData, width: float, st: _Styles, name: str) -> list:
    when = f"（{card.income_visit_on:%Y年%m月%d日}走访核算，单位：元）" \
        if card.income_visit_on and card.income else "（单位：元）"
    if not card.income:
        body = _ruled([[_p("尚无已完成的收入核查走访记录", st.cell)]], [width])
        return [KeepTogether([_heading(name + when, st), body])]
    labels = [label for label, _ in card.income] + ["人均纯收入"]
    amounts = [amount for _, amount in card.income] + [card.per_capita_net]
    col = width / len(labels)
    table = _ruled([[_p(x, st.head) for x in labels], [_p(x, st.label) for x in amounts]],
                   [col] * len(labels), header=True)
    return [KeepTogether([_heading(name + when, st), table])]


def _guarantees(card: CardData, width: float, st: _Styles, name: str) -> list:
    col = width / len(card.guarantees)
    table = _ruled([[_p(area, st.head) for area, _ in card.guarantees],
                    [_p(status, st.label) for _, status in card.guarantees]],
                   [col] * len(card.guarantees), header=True)
    return [KeepTogether([_heading(name, st), table])]


def _problems(card: CardData, width: float, st: _Styles, name: str) -> list:
    rows = [[_p(str(i), st.label), _p(text, st.cell)]
            for i, text in enumerate(card.problems, 1)] or [[_p("—", st.label), _p("无", st.cell)]]
    return [_heading(name, st), _ruled(rows, [width * 0.06, width * 0.94])]


def _footer(card: CardData, width: float, st: _Styles) -> list:
    signs = list(card.layout.signatures)
    per_row = 3 if len(signs) > 2 else len(signs)
    rows = []
    for start in range(0, len(signs), per_row):
        chunk = signs[start:start + per_row]
        chunk += [""] * (per_row - len(chunk))
        rows.append([_p(f"{s}（签字）：" if s else "", st.cell) for s in chunk])
    signatures = Table(rows, colWidths=[width / per_row] * per_row,
                       rowHeights=[11 * mm * (st.cell.fontSize / 10)] * len(rows),
                       style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    hotline = _p(f"监督举报电话：{card.layout.hotline} · "
                 f"日期：{card.today:%Y年%m月%d日}", st.cell)
    return [KeepTogether([Spacer(1, 4 * mm), signatures, Spacer(1, 3 * mm), hotline])]


_SECTION_DRAWERS = {"household": _household, "members": _members, "helper": _helper,
                    "income": _income, "guarantees": _guarantees, "problems": _problems}


class QrMark(Flowable):
    """A QR code drawn straight onto the canvas: encoded once, each run of dark modules
    in a row one filled rectangle. reportlab's QrCodeWidget encodes twice and draws
    every module as a shape, which made the QR code most of a card's print time."""

    QUIET_ZONE = 4  # modules of white around the code, as scanners expect
    MASK = 2  # columns pattern: no large blocks on our base64url payloads

    def __init__(self, text: str, side: float) -> None:
        super().__init__()
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
        code.addData(text)
        # One fixed mask instead of scoring all eight: every mask is a valid code, and
        # the scoring was half of a card's print time (the scan test reads it back).
        code.version = code.calculate_version()
        code.makeImpl(False, self.MASK)
        self.modules = code.modules
        self.width = self.height = side

    def draw(self) -> None:
        count = len(self.modules)
        box = self.width / (count + 2 * self.QUIET_ZONE)
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(self.modules):
            y = self.height - (r + 1 + self.QUIET_ZONE) * box
            c = 0
            for dark, run in groupby(bool(m) for m in row):
                length = len(list(run))
                if dark:
                    canvas.rect((c + self.QUIET_ZONE) * box, y, length * box, box,
                                stroke=0, fill=1)
                c += length


def write_cards(store: Store, household_ids: Iterable[str], path: Path, layout: CardLayout,
                today: date, whole_ids: bool = False,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None,
                qr_payload: QrPayload | None = None) -> int:
    """Write the households' cards into ONE PDF at ``path`` (crash-safe); the page count.

    ``qr_payload`` is the hook for signed QR codes (fieldvisit.cards.signing): when given,
    its text for each card is drawn as a QR code in the card's top-right corner.
    ``progress(done, total)`` is called per card; ``cancelled()`` True stops before the
    file replaces ``path`` (raises ``Cancelled``; the old file stays).
    """
    register_font()
    ids = list(household_ids)
    size = A5 if layout.paper == "A5" else A4
    scale = 0.8 if layout.paper == "A5" else 1.0
    margin = (12 if layout.paper == "A5" else 18) * mm
    pages = [0]

    def count(_canvas, _doc) -> None:
        pages[0] += 1

    with files.replacing(Path(path)) as partial:
        doc = SimpleDocTemplate(str(partial), pagesize=size, leftMargin=margin,
                                rightMargin=margin, topMargin=margin, bottomMargin=margin,
                                title=layout.title, author="FieldVisit 驻村走访",
                                creator="FieldVisit")
        story: list = []
        for done, household_id in enumerate(ids, 1):
            if cancelled is not None and cancelled():
                raise Cancelled()
            card = card_data(store, household_id, today, layout, whole_ids=whole_ids)
            if story:
                story.append(PageBreak())
            story += card_flowables(card, doc.width, scale, qr_payload)
            if progress is not None:
                progress(done, len(ids))
        if not story:
            story.append(Paragraph("（无户）", _Styles(scale).cell))
        doc.build(story, onFirstPage=count, onLaterPages=count)
    return pages[0]


class Cancelled(Exception):
    """The batch was cancelled; nothing was written."""
