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

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from fieldvisit.cards.data import CardData, card_data
from fieldvisit.cards.layout import SECTIONS, CardLayout
from fieldvisit.cards.typeset import (
    NUMERALS,
    Styles,
    heading,
    para,
    ruled,
    write_document,
)
from fieldvisit.store import Store

# Hook for the QR code: fieldvisit/cards/signing.py (Ed25519) supplies the text to encode.
QrPayload = Callable[[CardData], str]


def card_flowables(card: CardData, width: float, st: Styles,
                   qr_payload: QrPayload | None = None) -> list:
    scale = st.scale
    layout = card.layout
    title = [para(layout.title, st.title),
             para(f"户编号：{card.code} · 制卡日期：{card.today:%Y年%m月%d日}", st.subtitle)]
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


def _household(card: CardData, width: float, st: Styles, name: str) -> list:
    lw, vw = width * 0.14, width * 0.36
    rows = [
        [para("户主姓名", st.label), para(card.head, st.cell),
         para("身份证号", st.label), para(card.head_id, st.cell)],
        [para("户类型", st.label), para(card.hh_type, st.cell),
         para("风险类型", st.label), para(card.risk_types or "无", st.cell)],
        [para("家庭住址", st.label), para(card.address, st.cell), "", ""],
        [para("家庭人口", st.label), para(f"{len(card.members)} 人", st.cell),
         para("户编号", st.label), para(card.code, st.cell)],
    ]
    table = ruled(rows, [lw, vw, lw, vw], label_cols=(0, 2))
    table.setStyle(TableStyle([("SPAN", (1, 2), (3, 2)),
                               ("BACKGROUND", (1, 2), (3, 2), colors.white)]))
    return [heading(name, st), table]


def _members(card: CardData, width: float, st: Styles, name: str) -> list:
    health = card.layout.print_health
    heads = ["序号", "姓名", "与户主关系", "性别", "年龄", "身份证号"]
    fractions = [0.06, 0.15, 0.12, 0.06, 0.06, 0.23]
    if health:
        heads.append("健康状况")
        fractions.append(0.1)
    heads += ["在校生状况", "劳动技能"]
    rest = (1 - sum(fractions)) / 2
    fractions += [rest, rest]
    rows = [[para(h, st.head) for h in heads]]
    for number, m in enumerate(card.members, 1):
        cells = [str(number), m.name, m.relation, m.sex, m.age, m.id_number]
        if health:
            cells.append(m.health)
        cells += [m.schooling, m.labour]
        rows.append([para(c, st.label if i in (0, 3, 4) else st.cell)
                     for i, c in enumerate(cells)])
    return [heading(name, st),
            ruled(rows, [width * f for f in fractions], header=True, repeat=1)]


def _helper(card: CardData, width: float, st: Styles, name: str) -> list:
    lw = width * 0.14
    rows = [[para("姓名", st.label), para(card.helper_name, st.cell),
             para("联系电话", st.label), para(card.helper_phone, st.cell)],
            [para("工作单位", st.label), para(card.helper_unit, st.cell), "", ""]]
    table = ruled(rows, [lw, width * 0.36, lw, width * 0.36], label_cols=(0, 2))
    table.setStyle(TableStyle([("SPAN", (1, 1), (3, 1)),
                               ("BACKGROUND", (1, 1), (3, 1), colors.white)]))
    return [KeepTogether([heading(name, st), table])]


def _income(card: CardData, width: float, st: Styles, name: str) -> list:
    when = f"（{card.income_visit_on:%Y年%m月%d日}走访核算，单位：元）" \
        if card.income_visit_on and card.income else "（单位：元）"
    if not card.income:
        body = ruled([[para("尚无已完成的收入核查走访记录", st.cell)]], [width])
        return [KeepTogether([heading(name + when, st), body])]
    labels = [label for label, _ in card.income] + ["人均纯收入"]
    amounts = [amount for _, amount in card.income] + [card.per_capita_net]
    col = width / len(labels)
    table = ruled([[para(x, st.head) for x in labels], [para(x, st.label) for x in amounts]],
                   [col] * len(labels), header=True)
    return [KeepTogether([heading(name + when, st), table])]


def _guarantees(card: CardData, width: float, st: Styles, name: str) -> list:
    col = width / len(card.guarantees)
    table = ruled([[para(area, st.head) for area, _ in card.guarantees],
                    [para(status, st.label) for _, status in card.guarantees]],
                   [col] * len(card.guarantees), header=True)
    return [KeepTogether([heading(name, st), table])]


def _problems(card: CardData, width: float, st: Styles, name: str) -> list:
    rows = [[para(str(i), st.label), para(text, st.cell)]
            for i, text in enumerate(card.problems, 1)]
    rows = rows or [[para("—", st.label), para("无", st.cell)]]
    return [heading(name, st), ruled(rows, [width * 0.06, width * 0.94])]


def _footer(card: CardData, width: float, st: Styles) -> list:
    signs = list(card.layout.signatures)
    per_row = 3 if len(signs) > 2 else len(signs)
    rows = []
    for start in range(0, len(signs), per_row):
        chunk = signs[start:start + per_row]
        chunk += [""] * (per_row - len(chunk))
        rows.append([para(f"{s}（签字）：" if s else "", st.cell) for s in chunk])
    signatures = Table(rows, colWidths=[width / per_row] * per_row,
                       rowHeights=[11 * mm * (st.cell.fontSize / 10)] * len(rows),
                       style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    hotline = para(f"监督举报电话：{card.layout.hotline} · "
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
    ``progress``/``cancelled`` as in ``typeset.write_document`` (raises ``Cancelled``).
    """
    def part(household_id: str):
        def draw(width: float, st: Styles) -> list:
            card = card_data(store, household_id, today, layout, whole_ids=whole_ids)
            return card_flowables(card, width, st, qr_payload)
        return draw

    return write_document(path, [part(h) for h in household_ids], paper=layout.paper,
                          title=layout.title, progress=progress, cancelled=cancelled)
