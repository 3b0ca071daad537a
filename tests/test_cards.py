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


def test_cli_writes_one_page_per_household(demo_store, tmp_path):
    with demo_store.reading() as conn:
        code = conn.execute(select(Village.code)).scalars().first()
    count = queries.household_count(demo_store.engine.connect())
    data_dir = Path(demo_store.engine.url.database).parent
    out = tmp_path / "village.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(data_dir), "cards",
         "--village", code, "-o", str(out)],
        capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(out).pages) == count
