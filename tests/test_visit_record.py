"""走访记录表 PDFs, read back with pypdf: answers as a person reads them, findings and the
problems opened, masked IDs, the embedded font, corrections, drafts refused, the CLI."""

from __future__ import annotations

import copy
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from crafted import GOOD, MEDICAL_OK
from pypdf import PdfReader

from fieldvisit import idcard
from fieldvisit.cards.typeset import Cancelled
from fieldvisit.cards.visit_record import completed_visits, write_visit_records
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.roster import queries
from fieldvisit.roster.villages import UnknownVillageError
from fieldvisit.store import Update
from fieldvisit.visits import visit
from fieldvisit.visits.visit import VisitError

DAY = date(2026, 11, 1)
LONG_NOTE = ("户主反映今年玉米受旱减产，秋粮略紧，已联系村委协调临时救助；子女在外务工，"
             "每月寄回生活费约一千元，家中老人行动不便需要照料，下次走访再核实秋粮情况。")


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def fonts_of(path: Path) -> set[str]:
    return {str(font.get_object()["/BaseFont"]) for page in PdfReader(path).pages
            for font in page["/Resources"]["/Font"].values()}


def households(store) -> list[queries.HouseholdRow]:
    with store.reading() as conn:
        return queries.household_rows(conn)


def answers_for(store, household_id: str, day: date, *, litres: int = 150,
                note: str | None = None) -> dict:
    """The crafted good answers, fitted to a demo household's members."""
    with store.reading() as conn:
        members = queries.members(conn, household_id, day)
    answers = copy.deepcopy(GOOD)
    answers["medical"] = {m.id: dict(MEDICAL_OK) for m in members}
    answers["education"] = {m.id: {"in_school": True, "stage": "小学"} for m in members}
    answers["water"]["litres_household"] = litres
    if note:
        answers["basic_needs"]["note"] = note
    return answers


def start_with(store, formset, household_id: str, day: date, **answers) -> str:
    visit_id = visit.start(store, household_id, formset, "李四", day)
    save_answers(store, visit_id, answers_for(store, household_id, day, **answers))
    return visit_id


def save_answers(store, visit_id: str, answers: dict) -> None:
    """Save answers by form; a per-member form's are member id -> answers."""
    for form_id, values in answers.items():
        for key, value in values.items():
            if isinstance(value, dict):
                for question_id, answer in value.items():
                    visit.save_answer(store, visit_id, form_id, key, question_id, answer)
            else:
                visit.save_answer(store, visit_id, form_id, "", key, value)


def finished(store, formset, household_id: str, day: date = DAY, **answers) -> str:
    """A completed visit of a demo household, confirmed by its head's signature."""
    visit_id = start_with(store, formset, household_id, day, **answers)
    visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, "李四", "户主签字", "户主本人",
                   day)
    return visit_id


@pytest.fixture
def recorded(demo_store, formset):
    """The first demo household, its head renamed with a rare character, visited once
    with too little water and a long remark."""
    row = households(demo_store)[0]
    with demo_store.reading() as conn:
        head = queries.members(conn, row.id, DAY)[0]
    demo_store.write([Update("member", head.id, {"name": "王䶮"})])
    visit_id = finished(demo_store, formset, row.id, litres=10, note=LONG_NOTE)
    return demo_store, row, head, visit_id


def test_record_prints_answers_findings_and_problems(recorded, tmp_path):
    store, row, head, visit_id = recorded
    out = tmp_path / "record.pdf"
    assert write_visit_records(store, [visit_id], out, DAY) >= 1
    text = text_of(out)
    for expected in ("走访记录表", "王䶮", row.code, "李四", "2026年11月01日",
                     "两不愁（吃、穿）", "全年主粮够吃吗？",
                     "城乡居民基本",  # a choice by its label (wrapped), not 'resident'
                     "B 级",  # housing grade label
                     "10 升/天",  # a number with its unit
                     "水量不达标",  # the finding
                     "待整改",  # the problem it opened
                     "户主签字", "户主本人", "走访人（签字）", "户主（签字）", "日期"):
        assert expected in text, expected
    assert "resident" not in text
    assert "（户主，" in text  # per-member forms are grouped per member
    assert "受旱减产" in text and "下次走访再核实" in text  # the long remark, wrapped
    assert head.id_number not in text and idcard.mask(head.id_number) in text
    assert any("DroidSansFallback" in name and "+" in name for name in fonts_of(out))


def test_whole_ids_option(recorded, tmp_path):
    store, _row, head, visit_id = recorded
    out = tmp_path / "whole.pdf"
    write_visit_records(store, [visit_id], out, DAY, whole_ids=True)
    assert head.id_number in text_of(out)


def test_each_record_starts_a_page(demo_store, formset, tmp_path):
    rows = households(demo_store)[:2]
    ids = [finished(demo_store, formset, r.id) for r in rows]
    out = tmp_path / "two.pdf"
    pages = write_visit_records(demo_store, ids, out, DAY)
    reader = PdfReader(out)
    assert pages == len(reader.pages) >= 2
    starts = [p.extract_text() for p in reader.pages if "走访记录表" in p.extract_text()]
    assert len(starts) == 2 and rows[0].code in starts[0] and rows[1].code in starts[1]


def test_a_draft_is_refused_and_nothing_written(demo_store, formset, tmp_path):
    row = households(demo_store)[0]
    draft = start_with(demo_store, formset, row.id, DAY)
    out = tmp_path / "draft.pdf"
    with pytest.raises(VisitError) as refused:
        write_visit_records(demo_store, [draft], out, DAY)
    assert "草稿" in refused.value.zh and "draft" in refused.value.en
    assert not out.exists()
    with pytest.raises(VisitError, match="no visit"):
        write_visit_records(demo_store, ["nothing"], out, DAY)


def test_a_correction_says_what_it_corrects_and_the_original_says_it_was(recorded, formset,
                                                                          tmp_path):
    store, _row, _head, original = recorded
    later = DAY + timedelta(days=2)
    correction = visit.correct(store, original, "用水量记错了", "李四", later)
    visit.save_answer(store, correction, "water", "", "litres_household", 150)
    visit.complete(store, correction, formset, DEFAULT_SETTINGS, "李四", "电话确认", "户主本人",
                   later)
    out = tmp_path / "corrected.pdf"
    write_visit_records(store, [original, correction], out, later)
    first, second = text_of(out).split("走访记录表")[1:]
    assert "被更正" in first and "2026年11月03日" in first
    assert "更正原因：用水量记错了" in second and "电话确认" in second


def test_completed_visits_by_household_village_and_latest(demo_store, formset):
    rows = households(demo_store)[:2]
    first = finished(demo_store, formset, rows[0].id, DAY - timedelta(days=30))
    second = finished(demo_store, formset, rows[0].id, DAY)
    other = finished(demo_store, formset, rows[1].id, DAY)
    start_with(demo_store, formset, rows[1].id, DAY)  # a draft is never listed
    assert completed_visits(demo_store, household=rows[0].code) == [first, second]
    assert completed_visits(demo_store, household=rows[0].id, latest=True) == [second]
    village = "522727100200"
    assert completed_visits(demo_store, village=village) == [first, second, other]
    assert completed_visits(demo_store, village=village, latest=True) == [second, other]
    with pytest.raises(UnknownVillageError):
        completed_visits(demo_store, village="000000000000")


def run_cli(store, *args: str) -> subprocess.CompletedProcess:
    data_dir = store.folder
    return subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir", str(data_dir),
                           *args], capture_output=True, text=True, timeout=120)


def test_cli_prints_records_and_refuses_drafts(recorded, formset, tmp_path):
    store, row, _head, _visit_id = recorded
    out = tmp_path / "cli.pdf"
    done = run_cli(store, "records", "--household", row.code, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "1 份走访记录" in done.stdout and "王䶮" in text_of(out)
    other = households(store)[1]
    draft = start_with(store, formset, other.id, DAY)
    refused = run_cli(store, "records", "--visit", draft, "-o", str(tmp_path / "d.pdf"))
    assert refused.returncode == 2
    assert "草稿" in refused.stderr and "draft" in refused.stderr
    none = run_cli(store, "records", "--household", other.code, "-o", str(tmp_path / "n.pdf"))
    assert none.returncode == 2 and "no completed visit" in none.stderr
    assert not (tmp_path / "d.pdf").exists() and not (tmp_path / "n.pdf").exists()


def test_large_household_continues_in_a_second_member_table(demo_store, formset, tmp_path):
    row = next(r for r in households(demo_store) if r.size > 4)
    visit_id = finished(demo_store, formset, row.id)
    out = tmp_path / "large.pdf"
    write_visit_records(demo_store, [visit_id], out, DAY)
    text = text_of(out)
    with demo_store.reading() as conn:
        names = [m.name for m in queries.members(conn, row.id, DAY)]
    assert all(name in text for name in names)
    assert text.count("基本医疗") >= 2  # the medical table, split four members a table


def test_progress_cancel_and_a_retired_checklist(recorded, formset, tmp_path):
    store, _row, _head, visit_id = recorded
    other = households(store)[1]
    retired = start_with(store, formset, other.id, DAY)
    visit.save_answer(store, retired, "old_form", "", "old_question", "旧答案")
    visit.complete(store, retired, formset, DEFAULT_SETTINGS, "李四", "电话确认", "户主本人",
                   DAY)
    seen: list[tuple[int, int]] = []
    out = tmp_path / "both.pdf"
    write_visit_records(store, [visit_id, retired], out, DAY,
                        progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (2, 2)
    assert "old_form（已停用的检查表）" in text_of(out) and "旧答案" in text_of(out)
    stopped = tmp_path / "stopped.pdf"
    with pytest.raises(Cancelled):
        write_visit_records(store, [visit_id, retired], stopped, DAY, cancelled=lambda: True)
    assert not stopped.exists()
