"""明白卡 PDFs, read back with pypdf: names, masking, embedded font, pages, wrapping."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from fieldvisit import idcard
from fieldvisit.cards.layout import LayoutError, load_layout
from fieldvisit.cards.pdf import write_cards
from fieldvisit.roster import queries
from fieldvisit.store import Insert, Update
from fieldvisit.store.models import Village

DAY = date(2026, 11, 1)


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def _first(store, size: int | None = None):
    with store.reading() as conn:
        rows = queries.household_rows(conn)
    return next(r for r in rows if size is None or r.size == size)


def _head(store, household_id):
    with store.reading() as conn:
        return queries.members(conn, household_id, DAY)[0]


def test_card_prints_rare_name_masked_id_and_embeds_font(demo_store, tmp_path):
    row = _first(demo_store)
    head = _head(demo_store, row.id)
    demo_store.write([Update("member", head.id, {"name": "王䶮"})])
    out = tmp_path / "card.pdf"
    assert write_cards(demo_store, [row.id], out, load_layout(), DAY) == 1
    text = _text(out)
    assert "王䶮" in text
    assert "防返贫监测帮扶明白卡" in text and "12317" in text
    assert head.id_number not in text
    assert idcard.mask(head.id_number) in text
    assert any("DroidSansFallback" in name and "+" in name for name in _fonts(out))


def test_whole_ids_option(demo_store, tmp_path):
    row = _first(demo_store)
    head = _head(demo_store, row.id)
    out = tmp_path / "whole.pdf"
    write_cards(demo_store, [row.id], out, load_layout(), DAY, whole_ids=True)
    assert head.id_number in _text(out)


def test_twelve_members_continue_with_header_repeated(demo_store, tmp_path):
    row = _first(demo_store)
    extra = 12 - row.size
    demo_store.write([Insert("member", {
        "household_id": row.id, "name": f"成员{i}", "relation": "之孙子", "sex": "男",
        "id_number": idcard.make("522727", date(2010, 1, 1 + i), 11 + 2 * i),
        "birth_date": date(2010, 1, 1 + i), "schooling": "初中", "labour_skill": "无劳动力"})
        for i in range(extra)])
    a4 = tmp_path / "a4.pdf"
    a5 = tmp_path / "a5.pdf"
    pages_a4 = write_cards(demo_store, [row.id], a4, load_layout(), DAY)
    pages_a5 = write_cards(demo_store, [row.id], a5, load_layout().with_paper("A5"), DAY)
    assert pages_a4 == len(PdfReader(a4).pages) <= 2
    assert pages_a5 == len(PdfReader(a5).pages) == 2
    assert all(f"成员{i}" in _text(a5) for i in range(extra))
    # A members table longer than a page continues with its header repeated.
    demo_store.write([Insert("member", {
        "household_id": row.id, "name": f"增员{i}", "relation": "之孙女", "sex": "女"})
        for i in range(14)])
    long = tmp_path / "long.pdf"
    assert write_cards(demo_store, [row.id], long, load_layout().with_paper("A5"), DAY) >= 2
    second = PdfReader(long).pages[1].extract_text()
    assert "劳动技能" in second and "在校生状况" in second and "增员" in second


LARGE_FAMILY = (  # (name, relation, sex, birth): twelve people, rare and long names
    ("韦㛃", "户主", "女", date(1968, 3, 9)),
    ("欧阳䶮", "配偶", "男", date(1966, 7, 21)),
    ("阿卜杜热合曼·买买提依明·艾合买提江", "之子", "男", date(1990, 1, 2)),
    ("韦䶮", "之子", "男", date(1992, 5, 30)),
    ("司马㛃㛃", "之儿媳", "女", date(1993, 8, 14)),
    ("古丽娜扎尔·阿不都热依木·吐尔逊", "之女", "女", date(1995, 11, 3)),
    ("韦小宝", "之孙子", "男", date(2014, 2, 17)),
    ("韦小贝", "之孙女", "女", date(2016, 9, 8)),
    ("欧阳明月", "之孙女", "女", date(2019, 4, 25)),
    ("韦大山", "之父", "男", date(1940, 6, 1)),
    ("覃秀英", "之母", "女", date(1943, 12, 12)),
    ("韦石头", "之孙子", "男", date(2021, 10, 10)),
)
LONG_ADDRESS = "平舟镇平里河村五组（原拉片组）大坡脚下老粮站往东二百米右转第三户" * 2


def _large_household(store) -> tuple[str, list[str]]:
    """A twelve-person household with rare-character and long names and a long address;
    its id and the members' whole ID numbers."""
    county = Insert("county", {"code": "522727", "name": "平塘县"})
    township = Insert("township", {"code": "522727100", "name": "平舟镇",
                                   "county_id": county.id})
    village = Insert("village", {"code": "522727100200", "name": "平里河村",
                                 "township_id": township.id})
    home = Insert("household", {"village_id": village.id, "code": "522727100200000077",
                                "address": LONG_ADDRESS, "hh_type": "监测户",
                                "risk_types": "因病、因学", "helper_name": "王金兴",
                                "helper_unit": "平塘县卫生健康局", "helper_phone": "17485237204"})
    numbers = [idcard.make("522727", birth, 11 + 2 * i)
               for i, (_name, _relation, _sex, birth) in enumerate(LARGE_FAMILY)]
    people = [Insert("member", {"household_id": home.id, "name": name, "relation": relation,
                                "sex": sex, "birth_date": birth, "id_number": number,
                                "schooling": "非在校生", "labour_skill": "普通劳动力"})
              for (name, relation, sex, birth), number in zip(LARGE_FAMILY, numbers, strict=True)]
    store.write([county, township, village, home, *people])
    return home.id, numbers


def test_large_household_continues_on_a_second_a4_page(store, tmp_path):
    household_id, numbers = _large_household(store)
    out = tmp_path / "large.pdf"
    assert write_cards(store, [household_id], out, load_layout(), DAY) == 2
    pages = PdfReader(out).pages
    assert len(pages) == 2
    text = "".join(_text(out).split())  # wrapped cells joined again
    assert all(name in text for name, *_ in LARGE_FAMILY)
    assert "".join(LONG_ADDRESS.split()) in text
    for number in numbers:
        assert number not in text and number[:6] + "*" * 8 + number[-4:] in text
    assert any("DroidSansFallback" in name and "+" in name for name in _fonts(out))
    # The second page says whose card it continues; the signatures, hotline and date
    # stay together at the end of the card; the first page carries no continuation head.
    first, last = ("".join(page.extract_text().split()) for page in pages)
    assert "明白卡（续）·户编号：522727100200000077·户主：韦㛃" in last
    assert "户主（签字）" in last and "监督举报电话：12317" in last
    assert "（续）" not in first


def test_long_address_wraps_on_one_page(demo_store, tmp_path):
    row = _first(demo_store)
    long = "十字路口往东走到老槐树下再向北" * 8 + "号"
    demo_store.write([Update("household", row.id, {"address": long})])
    out = tmp_path / "long.pdf"
    assert write_cards(demo_store, [row.id], out, load_layout(), DAY) == 1
    assert "老槐树" in _text(out)
    assert "".join(_text(out).split()).count("老槐树") == 8


def test_layout_errors_carry_file_and_line(tmp_path):
    bad = tmp_path / "card.yaml"
    bad.write_text("title: 明白卡\npaper: B5\nsections: [household, nonsense]\ncolour: red\n",
                   encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        load_layout(bad)
    lines = [line for line, _zh, _en in caught.value.problems]
    assert lines == [2, 3, 4]
    assert f"{bad}:2:" in str(caught.value)
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: x\nsections: [a\n", encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        load_layout(broken)
    assert str(broken) in str(caught.value)


def test_layout_changes_title_hotline_and_signatures(demo_store, tmp_path):
    custom = tmp_path / "county.yaml"
    custom.write_text("title: 某县帮扶明白卡\nhotline: '0854-12345'\nprint_health: true\n"
                      "sections: [members, household]\n"
                      "signatures: [填写人, 帮扶责任人, 户主, 村书记]\n", encoding="utf-8")
    layout = load_layout(custom)
    out = tmp_path / "custom.pdf"
    write_cards(demo_store, [_first(demo_store).id], out, layout, DAY)
    text = _text(out)
    assert "某县帮扶明白卡" in text and "0854-12345" in text and "村书记" in text
    assert "健康状况" in text and "收入情况" not in text


def test_qr_hook_draws_when_given(demo_store, tmp_path):
    seen = []
    out = tmp_path / "qr.pdf"
    write_cards(demo_store, [_first(demo_store).id], out, load_layout(), DAY,
                qr_payload=lambda card: seen.append(card.code) or card.household_id)
    assert seen and len(PdfReader(out).pages) == 1


def test_cli_starts_a_page_per_household_and_heads_continuations(demo_store, tmp_path):
    with demo_store.reading() as conn:
        code = conn.execute(select(Village.code)).scalars().first()
    count = queries.household_count(demo_store.engine.connect())
    data_dir = demo_store.folder
    out = tmp_path / "village.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(data_dir), "cards",
         "--village", code, "-o", str(out)],
        capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120)
    assert result.returncode == 0, result.stderr
    pages = [page.extract_text() for page in PdfReader(out).pages]
    continued = [text for text in pages if "（续）" in text]
    assert len(pages) - len(continued) == count  # every card starts on a page of its own
    assert len(continued) < count / 5  # most cards fit one A4 page
