"""Visits: drafts saved answer by answer (surviving SIGKILL), completion opening problems,
immutability, corrections, history, carrying a draft over to new checklist versions,
and photos kept by content."""

from __future__ import annotations

import copy
import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, timedelta

import pytest
from crafted import GOOD, MEMBERS, TODAY
from sqlalchemy import select, text

from fieldvisit.checklist.forms import FormSet, bundled_forms_dir, load_forms
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, DEFAULTS, Settings
from fieldvisit.store import Insert, Store
from fieldvisit.store.changes import replay
from fieldvisit.store.models import SYNCED_TABLES, JournalEntry
from fieldvisit.visits import ledger, photos, visit
from fieldvisit.visits.photos import PhotoError
from fieldvisit.visits.visit import VisitError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(100))



def household_edits(household_id: str = "h1") -> list[Insert]:
    village = Insert("village", {"name": "平里河村"}, id="v1")
    household = Insert("household", {"village_id": "v1", "code": f"52272710020000{household_id}",
                                     "hh_type": "一般农户", "helper_name": "李四"},
                       id=household_id)
    members = [Insert("member", {**{k: v for k, v in m.items() if k != "id"},
                                 "household_id": household_id}, id=m["id"])
               for m in MEMBERS]
    return [village, household, *members]


@pytest.fixture
def hh_store(store):
    store.write(household_edits())
    return store


def answer_all(store, visit_id, answers):
    for form_id, values in answers.items():
        for key, value in values.items():
            if isinstance(value, dict):  # per-member form: member id -> answers
                for question_id, answer in value.items():
                    visit.save_answer(store, visit_id, form_id, key, question_id, answer)
            else:
                visit.save_answer(store, visit_id, form_id, "", key, value)


def completed_visit(store, formset, answers=GOOD, settings=DEFAULT_SETTINGS, today=TODAY):
    visit_id = visit.start(store, "h1", formset, "李四", today)
    answer_all(store, visit_id, answers)
    problems = visit.complete(store, visit_id, formset, settings, "李四", "户主签字",
                              "王德明", today)
    return visit_id, problems


def test_start_makes_one_draft_per_household_and_resumes_it(hh_store, formset):
    first = visit.start(hh_store, "h1", formset, "李四", TODAY)
    assert visit.start(hh_store, "h1", formset, "张三", TODAY + timedelta(days=3)) == first
    record = visit.load(hh_store, first)
    assert (record.status, record.cadre, record.started_on) == ("draft", "李四", TODAY)
    assert record.form_versions == {f.id: f.version for f in formset.forms.values()}
    assert record.answers_by_form == {}
    with pytest.raises(VisitError, match="no household"):
        visit.start(hh_store, "nobody", formset, "李四", TODAY)


def test_answers_load_in_the_shape_evaluate_visit_takes(hh_store, formset):
    visit_id = visit.start(hh_store, "h1", formset, "李四", TODAY)
    visit.save_answer(hh_store, visit_id, "water", "", "litres_household", 80)
    visit.save_answer(hh_store, visit_id, "water", "", "litres_household", 150)  # changed
    visit.save_answer(hh_store, visit_id, "medical", "m2", "chronic", True)
    visit.save_answer(hh_store, visit_id, "monitoring", "", "risks", ["因病", "因学"])
    visit.save_answer(hh_store, visit_id, "income", "", "survey_date", date(2026, 10, 31))
    record = visit.load(hh_store, visit_id)
    assert record.answers_by_form == {
        "water": {"litres_household": 150},
        "medical": {"m2": {"chronic": True}},
        "monitoring": {"risks": ["因病", "因学"]},
        "income": {"survey_date": date(2026, 10, 31)},
    }
    with hh_store.reading() as conn:
        rows = conn.execute(text("SELECT count(*) FROM visit_answer")).scalar()
        journaled = conn.execute(text(
            "SELECT field, old, new FROM journal WHERE entity = 'visit_answer' "
            "AND field IS NOT NULL")).all()
    assert rows == 4  # one row per answer, updated in place
    # the journal holds the column's value (JSON text) as JSON
    assert [tuple(j) for j in journaled] == [("value", '"80"', '"150"')]


def test_a_good_visit_completes_without_problems_and_is_then_immutable(hh_store, formset):
    visit_id, problems = completed_visit(hh_store, formset)
    assert problems == []
    record = visit.load(hh_store, visit_id)
    assert (record.status, record.completed_on, record.confirmation, record.confirmed_by) == (
        "completed", TODAY, "户主签字", "王德明")
    with pytest.raises(VisitError) as raised:
        visit.save_answer(hh_store, visit_id, "water", "", "litres_household", 10)
    assert "已完成" in raised.value.zh and "completed visit" in raised.value.en
    with pytest.raises(VisitError):
        visit.complete(hh_store, visit_id, formset, DEFAULT_SETTINGS, "李四", "电话确认",
                       "王德明", TODAY)
    with pytest.raises(VisitError):
        visit.carry_over(hh_store, visit_id, formset)
    assert visit.load(hh_store, visit_id).answers_by_form == record.answers_by_form
    # the next visit is a new draft
    assert visit.start(hh_store, "h1", formset, "李四", TODAY) != visit_id


def test_completion_needs_a_valid_confirmation(hh_store, formset):
    visit_id = visit.start(hh_store, "h1", formset, "李四", TODAY)
    with pytest.raises(VisitError, match="户主签字"):
        visit.complete(hh_store, visit_id, formset, DEFAULT_SETTINGS, "李四", "口头", "王德明",
                       TODAY)
    with pytest.raises(VisitError, match="confirmed"):
        visit.complete(hh_store, visit_id, formset, DEFAULT_SETTINGS, "李四", "电话确认", " ",
                       TODAY)
    assert visit.load(hh_store, visit_id).status == "draft"


def bad_water():
    answers = copy.deepcopy(GOOD)
    answers["water"]["outage_days"] = 60
    return answers


def test_findings_open_problems_with_the_deadline_setting(hh_store, formset):
    visit_id, opened = completed_visit(hh_store, formset, bad_water())
    assert len(opened) == 1  # the 60-day outage
    with hh_store.reading() as conn:
        rows = ledger.problems(conn)
        assert [r.id for r in rows] == opened
        row = rows[0]
        assert (row.household_id, row.visit_id, row.form_id, row.status) == (
            "h1", visit_id, "water", "待整改")
        assert row.deadline == TODAY + timedelta(days=30)
        assert (row.responsible, row.opened_on) == ("李四", TODAY)
        assert "60" in row.text
        history = ledger.steps(conn, row.id)
    assert [(s.from_status, s.to_status, s.actor) for s in history] == [(None, "待整改", "李四")]


def test_problem_days_is_a_setting(hh_store, formset):
    assert DEFAULTS["problem_days"] == 30
    assert DEFAULT_SETTINGS["problem_days"] == 30
    settings = Settings({**DEFAULTS, "problem_days": 10})
    completed_visit(hh_store, formset, bad_water(), settings=settings)
    with hh_store.reading() as conn:
        assert {r.deadline for r in ledger.problems(conn)} == {TODAY + timedelta(days=10)}


def test_settings_file_may_override_problem_days(tmp_path):
    from fieldvisit.checklist.settings import load_settings

    path = tmp_path / "settings.yaml"
    path.write_text("problem_days: 15\n", "utf-8")
    assert load_settings(path)["problem_days"] == 15


def test_a_finding_seen_again_does_not_open_a_second_problem(hh_store, formset):
    _, first = completed_visit(hh_store, formset, bad_water())
    _, again = completed_visit(hh_store, formset, bad_water(), today=TODAY + timedelta(days=30))
    assert first and again == []
    with hh_store.reading() as conn:
        problem = ledger.problems(conn)[0]
    for status in ("整改中", "待验收", "已销号"):
        ledger.advance(hh_store, problem.id, status, "", "王五" if status == "已销号" else "李四",
                       TODAY)
    _, third = completed_visit(hh_store, formset, bad_water(), today=TODAY + timedelta(days=60))
    assert len(third) == len(first) and set(third).isdisjoint(first)  # closed: a new problem


def test_correction_is_a_new_draft_and_the_original_stays(hh_store, formset):
    original, _ = completed_visit(hh_store, formset)
    before = visit.load(hh_store, original)
    with pytest.raises(VisitError, match="reason"):
        visit.correct(hh_store, original, "  ", "李四", TODAY)
    later = TODAY + timedelta(days=2)
    fixed = visit.correct(hh_store, original, "用水量记错了", "李四", later)
    record = visit.load(hh_store, fixed)
    assert (record.status, record.corrects, record.correction_reason) == (
        "draft", original, "用水量记错了")
    assert record.answers_by_form == before.answers_by_form
    visit.save_answer(hh_store, fixed, "water", "", "litres_household", 120)
    assert visit.load(hh_store, original) == before
    with pytest.raises(VisitError, match="draft"):
        visit.correct(hh_store, fixed, "再改", "李四", later)  # a draft is edited directly
    with pytest.raises(VisitError, match="already has a draft"):
        visit.correct(hh_store, original, "再改", "李四", later)
    visit.complete(hh_store, fixed, formset, DEFAULT_SETTINGS, "李四", "电话确认", "王德明",
                   later)

    summaries = visit.history(hh_store, "h1")
    assert [s.id for s in summaries] == [fixed, original]
    assert summaries[0].corrects == original and summaries[0].confirmation == "电话确认"
    assert summaries[1].corrected_by == (fixed,)
    assert visit.history(hh_store, "nobody") == []


def test_history_is_newest_first(hh_store, formset):
    ids = [completed_visit(hh_store, formset, today=TODAY + timedelta(days=d))[0]
           for d in (0, 30, 60)]
    assert [s.id for s in visit.history(hh_store, "h1")] == ids[::-1]


def changed_formset(formset: FormSet) -> FormSet:
    """water v2 without outage_days and with tap_in_yard renamed; housing without grade B."""
    forms = dict(formset.forms)
    water = forms["water"]
    forms["water"] = dataclasses.replace(water, version=water.version + 1, questions=tuple(
        q for q in water.questions if q.id not in ("outage_days", "tap_in_yard")))
    housing = forms["housing"]
    forms["housing"] = dataclasses.replace(housing, version=housing.version + 1, questions=tuple(
        dataclasses.replace(q, choices=tuple(c for c in q.choices if c.value != "B"))
        if q.id == "house_grade" else q for q in housing.questions))
    return FormSet(forms, formset.order)


def test_a_draft_carries_over_to_new_form_versions_by_question_id(hh_store, formset):
    visit_id = visit.start(hh_store, "h1", formset, "李四", TODAY)
    answer_all(hh_store, visit_id, GOOD)
    assert visit.carry_over(hh_store, visit_id, formset) == []  # nothing changed
    newer = changed_formset(formset)
    messages = visit.carry_over(hh_store, visit_id, newer)
    assert len(messages) == 3
    assert any("outage_days" in m and "“5”" in m for m in messages)
    assert any("tap_in_yard" in m and "是" in m for m in messages)
    assert any("没有此选项" in m and "“B”" in m for m in messages)
    record = visit.load(hh_store, visit_id)
    assert record.form_versions["water"] == newer["water"].version
    assert "outage_days" not in record.answers_by_form["water"]
    assert "house_grade" not in record.answers_by_form["housing"]
    assert record.answers_by_form["water"]["litres_household"] == 150
    assert record.answers_by_form["medical"] == GOOD["medical"]  # unchanged forms untouched
    assert visit.carry_over(hh_store, visit_id, newer) == []
    # an answer given again after the carry-over revives its row
    visit.save_answer(hh_store, visit_id, "housing", "", "house_grade", "A")
    assert visit.load(hh_store, visit_id).answers_by_form["housing"]["house_grade"] == "A"


def test_every_visit_and_ledger_row_is_journaled(hh_store, formset, tmp_path):
    _, opened = completed_visit(hh_store, formset, bad_water())
    ledger.advance(hh_store, opened[0], "整改中", "已联系水务站", "李四", TODAY)
    image = tmp_path / "well.png"
    image.write_bytes(PNG)
    fixed = visit.correct(hh_store, visit.history(hh_store, "h1")[0].id, "补拍照片", "李四",
                          TODAY)
    photos.attach(hh_store, image, visit_id=fixed, question_id="water_quality")
    fresh = Store.open(tmp_path / "replayed" / "fieldvisit.sqlite", actor="nobody")
    try:
        with hh_store.reading() as conn:
            entries = conn.execute(select(JournalEntry.__table__)
                                   .order_by(JournalEntry.seq)).all()
        with fresh.engine.begin() as conn:
            replay(conn, entries)
        for name in ("visit", "visit_answer", "problem", "problem_step", "photo"):
            table = SYNCED_TABLES[name].__table__
            with hh_store.reading() as a, fresh.reading() as b:
                query = select(table).order_by(table.c.id)
                assert a.execute(query).all() == b.execute(query).all(), name
    finally:
        fresh.close()


# --- photos -------------------------------------------------------------------------------

def test_photos_are_stored_once_by_content(hh_store, formset, tmp_path):
    visit_id = visit.start(hh_store, "h1", formset, "李四", TODAY)
    source = tmp_path / "房屋.JPG"
    source.write_bytes(JPEG)
    first = photos.attach(hh_store, source, visit_id=visit_id, question_id="house_grade")
    copy_of = tmp_path / "again.jpeg"
    copy_of.write_bytes(JPEG)
    second = photos.attach(hh_store, copy_of, visit_id=visit_id)
    assert first != second
    import hashlib

    sha = hashlib.sha256(JPEG).hexdigest()
    kept = hh_store.folder / "photos" / sha[:2] / f"{sha}.jpg"
    assert photos.read_photo(hh_store.files, sha, "image/jpeg") == JPEG
    assert JPEG not in kept.read_bytes()  # sealed at rest
    assert list(kept.parent.iterdir()) == [kept]  # no temporary file left behind
    with hh_store.reading() as conn:
        listed = photos.photos_of(conn, visit_id=visit_id)
    assert [(p.sha256, p.media_type, p.size, p.file_name) for p in listed] == [
        (sha, "image/jpeg", len(JPEG), "房屋.JPG"), (sha, "image/jpeg", len(JPEG), "again.jpeg")]
    assert photos.photo_path(hh_store.folder, sha, "image/jpeg") == kept


def test_non_images_and_huge_files_are_refused(hh_store, formset, tmp_path):
    visit_id = visit.start(hh_store, "h1", formset, "李四", TODAY)
    fake = tmp_path / "证明.jpg"
    fake.write_bytes(b"%PDF-1.7 not a photo")
    with pytest.raises(PhotoError) as raised:
        photos.attach(hh_store, fake, visit_id=visit_id)
    assert "JPEG 或 PNG" in raised.value.zh and "not a JPEG or PNG" in raised.value.en
    huge = tmp_path / "huge.png"
    with open(huge, "wb") as handle:
        handle.write(PNG)
        handle.truncate(photos.MAX_BYTES + 1)
    with pytest.raises(PhotoError, match="20 MB"):
        photos.attach(hh_store, huge, visit_id=visit_id)
    with pytest.raises(PhotoError, match="cannot read"):
        photos.attach(hh_store, tmp_path / "missing.png", visit_id=visit_id)
    with hh_store.reading() as conn:
        assert photos.photos_of(conn, visit_id=visit_id) == []
    assert not (hh_store.folder / "photos").exists()


def test_photos_cannot_be_added_to_a_completed_visit(hh_store, formset, tmp_path):
    visit_id, _ = completed_visit(hh_store, formset)
    image = tmp_path / "a.png"
    image.write_bytes(PNG)
    with pytest.raises(VisitError):
        photos.attach(hh_store, image, visit_id=visit_id)


# --- a killed process keeps every answer ------------------------------------------------

CHILD = textwrap.dedent("""
    import sys
    from datetime import date
    from fieldvisit.checklist.forms import bundled_forms_dir, load_forms
    from fieldvisit.store import Store
    from fieldvisit.visits import visit

    store = Store.open(sys.argv[1], actor="子进程")
    formset = load_forms(bundled_forms_dir())
    visit_id = visit.start(store, "h1", formset, "李四", date(2026, 11, 1))
    print(visit_id, flush=True)
    n = 0
    while True:
        visit.save_answer(store, visit_id, "income", "", f"q{n}", n * 100)
        print(n, flush=True)
        n += 1
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_a_visit_killed_mid_answering_reopens_with_every_answer(tmp_path):
    path = tmp_path / "fieldvisit.sqlite"
    setup = Store.open(path, actor="测试员")
    setup.write(household_edits())
    setup.close()
    wanted = 25
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)],
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        visit_id = child.stdout.readline().strip()
        saved = [child.stdout.readline().strip() for _ in range(wanted)]
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert visit_id and saved == [str(n) for n in range(wanted)]
    assert child.returncode == -signal.SIGKILL

    store = Store.open(path, actor="测试员")
    try:
        with store.reading() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        record = visit.load(store, visit_id)
        answers = record.answers_by_form["income"]
        for n in range(wanted):  # the child may have saved one more before the signal
            assert answers[f"q{n}"] == n * 100
        assert record.status == "draft"
        formset = load_forms(bundled_forms_dir())
        assert visit.start(store, "h1", formset, "李四", TODAY) == visit_id  # resumed
    finally:
        store.close()
