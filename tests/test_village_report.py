"""村级汇总报告 PDFs, read back with pypdf: the dashboard's figures, red households,
overdue problems, data quality, no IDs printed, the embedded font, the CLI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from test_visit_record import DAY, finished, fonts_of, households, run_cli, text_of

from fieldvisit.cards.village_report import village_report, write_village_report
from fieldvisit.quality.summary import dashboard_data
from fieldvisit.roster import queries
from fieldvisit.roster.villages import UnknownVillageError
from fieldvisit.store import Update

VILLAGE = "522727100200"
LATER = DAY + timedelta(days=60)  # past the problems' deadlines


@pytest.fixture
def visited(demo_store, formset):
    """Two households visited: the first short of water (red, its problem overdue by
    LATER), the second meeting every standard; one ID number made invalid."""
    first, second = households(demo_store)[:2]
    finished(demo_store, formset, first.id, litres=10)
    finished(demo_store, formset, second.id)
    with demo_store.reading() as conn:
        member = queries.members(conn, second.id, DAY)[-1]
    demo_store.write([Update("member", member.id, {"id_number": "522727199901011234"})])
    return demo_store, first, second


def test_report_figures_are_the_dashboards(visited):
    store, first, _second = visited
    report = village_report(store, VILLAGE, LATER)
    board = dashboard_data(store, report_village_id(store), LATER)
    assert report.households == board.households == 60
    assert {kind: n for kind, n, _p in report.by_status} == board.by_status
    assert [n for _c, n, _p in report.by_colour] == list(board.by_colour.values())
    assert report.persons == sum(row.size for row in households(store))
    assert sum(p for _k, _n, p in report.by_status) == report.persons
    assert dict(report.coverage)["累计有走访记录"] == 2
    assert [line[0] for line in report.red] == [first.code]
    assert report.overdue and report.overdue[0][0] == first.code
    assert report.due[0] == len(board.due)


def report_village_id(store) -> str:
    return households(store)[0].village_id


def test_report_pdf_text(visited, tmp_path):
    store, first, _second = visited
    out = tmp_path / "report.pdf"
    pages = write_village_report(store, VILLAGE, out, LATER)
    text = text_of(out)
    for expected in ("平里河村防返贫监测走访汇总报告", "统计日期：2026年12月31日",
                     "农户基本情况", "脱贫户", "合计", "红（不放心）", "走访覆盖",
                     "本季度", "问题整改", "饮水安全", "逾期未整改问题", "水量不达标",
                     "红色（不放心）户名单", first.code, first.head, "数据质量",
                     "身份证号无效", "填报人（签字）", "审核人（签字）"):
        assert expected in text, expected
    persons = sum(r.size for r in households(store))
    assert f"合计 60 100.0% {persons}" in text  # the 户类型 table's total row
    with store.reading() as conn:
        numbers = [m.id_number for m in queries.members(conn, first.id, DAY)]
    assert not any(n and n in text for n in numbers)  # the report travels: no IDs
    assert any("DroidSansFallback" in name and "+" in name for name in fonts_of(out))
    assert pages == 2


def test_a_quiet_village_says_so(demo_store, tmp_path):
    out = tmp_path / "quiet.pdf"
    assert write_village_report(demo_store, VILLAGE, out, DAY) == len(PdfReader(out).pages)
    text = text_of(out)
    assert "问题整改台账中没有问题" in text and "没有逾期未整改的问题" in text
    assert "没有红色户" in text


def test_unknown_village_writes_nothing(demo_store, tmp_path):
    out = tmp_path / "none.pdf"
    with pytest.raises(UnknownVillageError):
        write_village_report(demo_store, "000000000000", out, date(2026, 11, 1))
    assert not out.exists()


def test_cli_report(visited, tmp_path):
    store, _first, _second = visited
    out = tmp_path / "cli.pdf"
    done = run_cli(store, "report", "--village", VILLAGE, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "村级汇总报告" in done.stdout and "平里河村" in text_of(out)
    missing = run_cli(store, "report", "--village", "000000000000", "-o", str(out) + "x")
    assert missing.returncode == 2 and "no village" in missing.stderr
