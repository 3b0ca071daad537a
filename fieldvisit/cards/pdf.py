"""Drawing 明白卡 with reportlab platypus: one PDF, one card (or more pages) per household.

The bundled CJK TrueType font is registered once and embedded as a subset, so rare name
characters (㛃, 䶮) print on any printer. Every table cell is a ``typeset.para``, so long
names and addresses wrap inside their column; when a large household continues on a
second page, the members table repeats its header and the page is headed with whose card
it continues. Card data is read a chunk of households at a time (``data.cards_data``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import date
from itertools import cycle, islice, zip_longest
from pathlib import Path

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from fieldvisit.cards.data import CHUNK, CardData, CardOptions, cards_data
from fieldvisit.cards.layout import SECTIONS, CardLayout
from fieldvisit.cards.typeset import (
    NUMERALS,
    PADDING,
    Cell,
    Part,
    RunningHead,
    Styles,
    Together,
    heading,
    para,
    ruled,
    text_width,
    write_document,
)
from fieldvisit.store import Store

# Hook for the QR code: fieldvisit/cards/signing.py (Ed25519) supplies the text to encode.
QrPayload = Callable[[CardData], str]


def card_flowables(card: CardData, width: float, st: Styles,
                   qr_payload: QrPayload | None = None) -> list[Flowable]:
    scale = st.scale
    layout = card.layout
    title = [para(layout.title, st.title),
             para(f"户编号：{card.code} · 制卡日期：{card.today:%Y年%m月%d日}", st.subtitle)]
    story: list[Flowable] = [
        RunningHead(f"{layout.title}（续）· 户编号：{card.code} · 户主：{card.head}")]
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


def _household(card: CardData, width: float, st: Styles, name: str) -> list[Flowable]:
    lw, vw = width * 0.14, width * 0.36
    rows: list[list[Cell]] = [
        [para("户主姓名", st.label), para(card.head, st.cell),
         para("身份证号", st.label), para(card.head_id, st.cell)],
        [para("户类型", st.label), para(card.status, st.cell),
         para("风险类型", st.label), para(card.risk_types or "无", st.cell)],
        [para("家庭住址", st.label), para(card.address, st.cell), "", ""],
        [para("家庭人口", st.label), para(f"{len(card.members)} 人", st.cell),
         para("户编号", st.label), para(card.code, st.cell)],
    ]
    table = ruled(rows, [lw, vw, lw, vw], label_cols=(0, 2))
    table.setStyle(TableStyle([("SPAN", (1, 2), (3, 2)),
                               ("BACKGROUND", (1, 2), (3, 2), colors.white)]))
    return [heading(name, st), table]


def _members(card: CardData, width: float, st: Styles, name: str) -> list[Flowable]:
    health = card.layout.print_health
    heads = ["序号", "姓名", "与户主关系", "性别", "年龄", "身份证号"]
    heads += (["健康状况"] if health else []) + ["在校生状况", "劳动技能"]
    texts = [heads]
    for number, m in enumerate(card.members, 1):
        cells = [str(number), m.name, m.relation, m.sex, m.age, m.id_number]
        if health:
            cells.append(m.health or "")
        texts.append([*cells, m.schooling, m.labour])
    rows: list[list[Cell]] = [[para(h, st.head) for h in heads]]
    rows += [[para(c, st.label if i in (0, 3, 4) else st.cell) for i, c in enumerate(cells)]
             for cells in texts[1:]]
    return [heading(name, st),
            ruled(rows, _member_widths(texts, width, st), header=True, repeat=1)]


WRAPPING_MEMBER_COLUMNS = frozenset({"姓名", "与户主关系", "健康状况", "在校生状况", "劳动技能"})


def _member_widths(texts: list[list[str]], width: float, st: Styles) -> list[float]:
    """Each column as wide as its widest text, header included, when the page allows.
    Number, sex, age and ID never wrap (an ID broken over two lines is misread); the
    other columns share the rest: one whose text is narrower than an even share keeps
    its width, the wider ones split what is left and wrap; room to spare widens them
    all alike."""
    widths = [max(text_width(text, st.cell.fontSize) for text in column) + 2 * PADDING + 1
              for column in zip(*texts, strict=True)]
    sharing = [i for i, head in enumerate(texts[0]) if head in WRAPPING_MEMBER_COLUMNS]
    room = width - sum(w for i, w in enumerate(widths) if i not in sharing)
    pending = sorted(sharing, key=widths.__getitem__)
    while pending and widths[pending[0]] <= room / len(pending):
        room -= widths[pending.pop(0)]
    if pending:
        for i in pending:
            widths[i] = room / len(pending)
    else:
        for i in sharing:
            widths[i] += room / len(sharing)
    return widths


def _helper(card: CardData, width: float, st: Styles, name: str) -> list[Flowable]:
    lw = width * 0.14
    rows: list[list[Cell]] = [[para("姓名", st.label), para(card.helper_name, st.cell),
             para("联系电话", st.label), para(card.helper_phone, st.cell)],
            [para("工作单位", st.label), para(card.helper_unit, st.cell), "", ""]]
    table = ruled(rows, [lw, width * 0.36, lw, width * 0.36], label_cols=(0, 2))
    table.setStyle(TableStyle([("SPAN", (1, 1), (3, 1)),
                               ("BACKGROUND", (1, 1), (3, 1), colors.white)]))
    return [Together([heading(name, st), table])]


def _measures(card: CardData, width: float, st: Styles, name: str) -> list[Flowable]:
    heads = ["序号", "类别", "具体内容", "金额（元/年）", "开始时间"]
    rows: list[list[Cell]] = [[para(h, st.head) for h in heads]]
    for number, m in enumerate(card.measures, 1):
        rows.append([para(str(number), st.label), para(m.kind, st.cell), para(m.detail, st.cell),
                     para(m.amount, st.label), para(f"{m.since:%Y年%m月}", st.label)])
    if not card.measures:
        rows.append([para("—", st.label), para("无", st.cell), "", "", ""])
    fractions = (0.06, 0.17, 0.47, 0.15, 0.15)
    table = ruled(rows, [width * f for f in fractions], header=True, repeat=1)
    if not card.measures:
        table.setStyle(TableStyle([("SPAN", (1, 1), (-1, 1))]))
    return [heading(name, st), table]


def _income(card: CardData, width: float, st: Styles, name: str) -> list[Flowable]:
    when = f"（{card.income_visit_on:%Y年%m月%d日}走访核算，单位：元）" \
        if card.income_visit_on and card.income else "（单位：元）"
    if not card.income:
        body = ruled([[para("尚无已完成的收入核查走访记录", st.cell)]], [width])
        return [Together([heading(name + when, st), body])]
    labels = [label for label, _ in card.income] + ["人均纯收入"]
    amounts = [amount for _, amount in card.income] + [card.per_capita_net]
    col = width / len(labels)
    table = ruled([[para(x, st.head) for x in labels], [para(x, st.label) for x in amounts]],
                   [col] * len(labels), header=True)
    return [Together([heading(name + when, st), table])]


def _guarantees(card: CardData, width: float, st: Styles, name: str) -> list[Flowable]:
    col = width / len(card.guarantees)
    table = ruled([[para(area, st.head) for area, _ in card.guarantees],
                    [para(status, st.label) for _, status in card.guarantees]],
                   [col] * len(card.guarantees), header=True)
    return [Together([heading(name, st), table])]


def _problems(card: CardData, width: float, st: Styles, name: str) -> list[Flowable]:
    rows: list[list[Cell]] = [[para(str(i), st.label), para(text, st.cell)]
            for i, text in enumerate(card.problems, 1)]
    rows = rows or [[para("—", st.label), para("无", st.cell)]]
    return [heading(name, st), ruled(rows, [width * 0.06, width * 0.94])]


def _footer(card: CardData, width: float, st: Styles) -> list[Flowable]:
    signs = list(card.layout.signatures)
    per_row = 3 if len(signs) > 2 else len(signs)
    rows = []
    for start in range(0, len(signs), per_row):
        chunk = signs[start:start + per_row]
        chunk += [""] * (per_row - len(chunk))
        rows.append([para(f"{s}（签字）：" if s else "", st.cell) for s in chunk])
    signatures = Table(rows, colWidths=[width / per_row] * per_row,
                       rowHeights=[9 * mm * (st.cell.fontSize / 10)] * len(rows),
                       style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    hotline = para(f"监督举报电话：{card.layout.hotline} · "
                 f"日期：{card.today:%Y年%m月%d日}", st.cell)
    return [Together([Spacer(1, 2 * mm), signatures, Spacer(1, 2 * mm), hotline])]


_SECTION_DRAWERS = {"household": _household, "members": _members, "helper": _helper,
                    "measures": _measures, "income": _income, "guarantees": _guarantees,
                    "problems": _problems}


class QrMark(Flowable):
    """A QR code drawn straight onto the canvas. reportlab's QrCodeWidget encodes twice,
    scores all eight masks and draws every module as a shape; here its encoder only
    places the modules, of codewords made by ``qr_codewords``, with one fixed mask."""

    QUIET_ZONE = 4  # modules of white around the code, as scanners expect
    MASK = 2  # columns pattern: no large blocks on our base64url payloads
    LEVEL = qrencoder.QRErrorCorrectLevel.L

    def __init__(self, text: str, side: float) -> None:
        super().__init__()
        code = _PlacedCode(None, self.LEVEL)
        data = qrencoder.QR8bitByte(text)
        code.addData(data)
        code.version = code.calculate_version()
        code.dataCache = qr_codewords(data.data, data.getLengthBits(code.version),
                                      qrencoder.QRRSBlock.getRSBlocks(code.version, self.LEVEL))
        # Every mask makes a valid code; scoring all eight was half a card's print time
        # (the scan test reads the fixed one back).
        code.makeImpl(False, self.MASK)
        self.modules = code.modules
        self.width = self.height = side

    def draw(self) -> None:
        """One filled path in module units: integers only, so the path is short to write
        (reportlab formats every float it is given, which cost more than the code)."""
        count = len(self.modules)
        box = self.width / (count + 2 * self.QUIET_ZONE)
        top = count + self.QUIET_ZONE - 1
        quiet = self.QUIET_ZONE
        # each row's runs of dark modules found by the regex engine, not module by module
        runs = [f"{quiet + run.start()} {top - r} {run.end() - run.start()} 1 re"
                for r, row in enumerate(self.modules)
                for run in _DARK_RUN.finditer(bytes(map(bool, row)))]
        canvas = self.canv
        canvas.saveState()
        canvas.transform(box, 0, 0, box, 0, 0)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.addLiteral("\n".join(runs) + "\nf")
        canvas.restoreState()


_DARK_RUN = re.compile(rb"\x01+")


class _PlacedCode(qrencoder.QRCode):
    """reportlab's QR code whose data modules are placed from a table kept per version
    and mask: reportlab walks the zigzag of positions and calls the mask function for
    every module of every code, a millisecond a card."""

    def mapData(self, data: list[int], maskPattern: int) -> None:
        positions, flips = _placement(self.version, maskPattern)
        modules = self.modules
        # the data bits, then light remainder bits, masked in one XOR of two integers
        spare = len(positions) - 8 * len(data)
        bits = f"{int.from_bytes(bytes(data)) << spare ^ flips:0{len(positions)}b}"
        for (col, row), bit in zip(positions, bits, strict=True):
            modules[row][col] = bit == "1"


@functools.cache
def _placement(version: int, mask: int) -> tuple[list[tuple[int, int]], int]:
    """Where a code of ``version`` puts its data bits, in order, as (column, row), and
    which of them ``mask`` flips, as one integer whose first bit is the first position's:
    reportlab's own walk and mask, once."""
    code = qrencoder.QRCode(version, QrMark.LEVEL)
    code.moduleCount = version * 4 + 17
    positions = list(code.dataPosIterator())
    flips = qrencoder.QRUtil.getMask(mask)
    return positions, int("".join("1" if flips(row, col) else "0" for col, row in positions), 2)


def qr_codewords(payload: bytes, count_bits: int, blocks: list) -> list[int]:
    """The QR codewords of ``payload`` in byte mode (ISO/IEC 18004): mode, count, data,
    terminator and pad bytes, split into ``blocks`` (reportlab's RS block table), each
    with its Reed-Solomon error correction, interleaved. reportlab computes the same with
    polynomial lists, 5 ms a card; ``_remainder`` does it with one table lookup a byte."""
    capacity = sum(block.dataCount for block in blocks)
    bits = 4 + count_bits + 8 * len(payload)
    if bits > 8 * capacity:
        raise ValueError(f"{len(payload)} bytes do not fit this QR version")
    value = (0x4 << count_bits | len(payload)) << 8 * len(payload) | int.from_bytes(payload)
    used = -(-(bits + min(4, 8 * capacity - bits)) // 8)  # terminator, then whole bytes
    data = [*(value << 8 * used - bits).to_bytes(used),
            *islice(cycle((0xEC, 0x11)), capacity - used)]
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        data_blocks.append(data[offset:offset + block.dataCount])
        ec_blocks.append(_remainder(data_blocks[-1], block.totalCount - block.dataCount))
        offset += block.dataCount
    return [byte for group in (data_blocks, ec_blocks) for column in zip_longest(*group)
            for byte in column if byte is not None]


def _remainder(data: list[int], length: int) -> list[int]:
    """Reed-Solomon check bytes: the remainder of ``data`` by the degree-``length``
    generator, kept as one integer shifted a byte at a time."""
    table = _generator_multiples(length)
    top, mask = 8 * (length - 1), (1 << 8 * length) - 1
    remainder = 0
    for byte in data:
        remainder = (remainder << 8 & mask) ^ table[byte ^ remainder >> top]
    return list(remainder.to_bytes(length))


@functools.cache
def _generator_multiples(length: int) -> tuple[int, ...]:
    """For each byte, its product with the generator's coefficients below the leading
    1, in GF(256), as one ``length``-byte integer."""
    exp, log = qrencoder.EXP_TABLE, qrencoder.LOG_TABLE
    generator = qrencoder.QRUtil.getErrorCorrectPolynomial(length).num[1:]
    return tuple(int.from_bytes(bytes(exp[(log[f] + log[g]) % 255] if f and g else 0
                                      for g in generator)) for f in range(256))


def write_cards(store: Store, household_ids: Iterable[str], path: Path, layout: CardLayout,
                today: date, whole_ids: bool = False,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None,
                qr_payload: QrPayload | None = None) -> int:
    """Write the households' cards into ONE PDF at ``path`` (crash-safe); the page count.

    ``qr_payload`` is the hook for signed QR codes (fieldvisit.cards.signing): when given,
    its text for each card is drawn as a QR code in the card's top-right corner.
    ``progress``/``cancelled`` as in ``typeset.write_document`` (raises ``Cancelled``).
    Card data is read ``data.CHUNK`` households at a time, as the drawing reaches them,
    so a village costs a few queries per chunk and holds one chunk's data at once.
    """
    ids = list(household_ids)
    options = CardOptions(today, layout, whole_ids)
    chunk: dict[str, CardData] = {}
    chunk_start = [-1]

    def card(index: int) -> CardData:
        start = index - index % CHUNK
        if start != chunk_start[0]:
            chunk.clear()
            with store.reading() as conn:
                chunk.update(cards_data(conn, ids[start:start + CHUNK], options))
            chunk_start[0] = start
        return chunk[ids[index]]

    def part(index: int) -> Part:
        return lambda width, st: card_flowables(card(index), width, st, qr_payload)

    return write_document(path, [part(i) for i in range(len(ids))], paper=layout.paper,
                          title=layout.title, progress=progress, cancelled=cancelled)
