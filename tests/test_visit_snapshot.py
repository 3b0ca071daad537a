"""A completed visit keeps what it saw: its printed record (read back with pypdf) and the
visits workbook (read back with openpyxl) stay as they were when the forms are reworded,
a threshold changes and the household is edited afterwards; corrections keep their own;
a visit older than snapshots says it was rebuilt; the snapshot travels by sync."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from conftest import needs_postgres
from sqlalchemy import func, select, update
from sync_parties import make_county, make_laptop
from test_sync import settle
from test_visit_record import DAY, finished, households, start_with, text_of
from test_visits_export import sheet_rows

from fieldvisit.cards.visit_record import REBUILT_NOTE, write_visit_records
from fieldvisit.checklist import installed
from fieldvisit.checklist.forms import bundled_forms_dir, load_forms
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.county.conflicts import conflicts
from fieldvisit.roster import queries
from fieldvisit.store import Store, Update
from fieldvisit.store.models import JournalEntry, Visit
from fieldvisit.visits import snapshot, visit
from fieldvisit.visits.export import export_visits_xlsx
from fieldvisit.visits.snapshot import SnapshotError

PRINTED = date(2026, 12, 1)
OLD_LABEL, NEW_LABEL = "全家每天大约用多少升水？", "全家日用水总量是多少？"


def reword_forms_and_thresholds(folder: Path) -> None:
    """The county publishes water form version 2 (a question, its unit and a section
    reworded), relabels a housing grade, and raises the water-rich threshold to 50 L."""
    forms = folder / installed.FORMS
    shutil.copytree(bundled_forms_dir(), forms)
    water = forms / "water.yaml"
    text = water.read_text(encoding="utf-8")
    for old, new in (("version: 1", "version: 2"), (OLD_LABEL, NEW_LABEL),
                     ("unit: 升/天", "unit: 升（每日）"), ("title: 水量\n", "title: 用水量\n")):
        assert old in text
        text = text.replace(old, new)
    water.write_text(text, encoding="utf-8")
    housing = forms / "housing.yaml"
    housing.write_text(housing.read_text(encoding="utf-8").replace(
        "B 级（基本安全）", "B 级（个别构件危险）"), encoding="utf-8")
    (folder / installed.SETTINGS).write_text("water_litres_rich: 50\n", encoding="utf-8")


def edit_household(store: Store, household_id: str) -> None:
    """Rename every member, move a birthday, change the household's type and address."""
    with store.reading() as conn:
        people = queries.members(conn, household_id, DAY)
    edits = [Update("member", m.id, {"name": f"改{m.name}"}) for m in people]
    edits.append(Update("member", people[-1].id, {"birth_date": date(1950, 1, 1)}))
    edits.append(Update("household", household_id, {
        "hh_type": "脱贫户", "monitored": True, "monitor_category": "突发严重困难户",
        "address": "新址9号"}))
    store.write(edits)


def exported(store: Store, path: Path) -> dict[str, list[list]]:
    """The visit sheets of the workbook (问题台账 is the ledger as it stands today, its
    households' heads included: problems are followed up, not records)."""
    formset, settings = installed.for_store(store)
    export_visits_xlsx(store, path, formset, settings, PRINTED)
    return {title: sheet_rows(path, title) for title in ("走访记录", "监测建议")}


def test_record_and_export_stay_as_seen_when_forms_and_household_change(demo_store, formset,
                                                                         tmp_path):
    row = households(demo_store)[0]
    visit_id = finished(demo_store, formset, row.id, litres=10)
    write_visit_records(demo_store, [visit_id], tmp_path / "before.pdf", PRINTED)
    before = text_of(tmp_path / "before.pdf")
    sheets = exported(demo_store, tmp_path / "before.xlsx")
    with demo_store.reading() as conn:
        head = queries.members(conn, row.id, DAY)[0]
    for seen in (OLD_LABEL, "10 升/天", "B 级（基本安全）", "低于标准 35 升", head.name,
                 "走访完成时留存"):
        assert seen in before, seen

    reword_forms_and_thresholds(demo_store.folder)
    edit_household(demo_store, row.id)

    write_visit_records(demo_store, [visit_id], tmp_path / "after.pdf", PRINTED)
    assert text_of(tmp_path / "after.pdf") == before
    assert exported(demo_store, tmp_path / "after.xlsx") == sheets
    [_, line] = sheets["走访记录"]
    assert line[1:4] == [row.code, head.name, row.status] and line[-1] == "走访完成时留存"
    [_, suggestion] = sheets["监测建议"]
    assert suggestion[2] == head.name and suggestion[-1] == "走访完成时留存"

    # the changes are real: the household's next visit is judged and printed by them
    new_forms, new_settings = installed.for_store(demo_store)
    next_day = DAY + timedelta(days=30)
    later = start_with(demo_store, new_forms, row.id, next_day, litres=10)
    visit.complete(demo_store, later, new_forms, new_settings, "李四", "户主签字", "户主本人",
                   next_day)
    write_visit_records(demo_store, [later], tmp_path / "later.pdf", PRINTED)
    now = text_of(tmp_path / "later.pdf")
    for changed in (NEW_LABEL, "10 升（每日）", "B 级（个别构件危险）", "低于标准 50 升",
                    f"改{head.name}", "新址9号", "脱贫户 · 监测对象（突发严重困难户）",
                    "饮水安全 第 2 版"):
        assert changed in now and changed not in before, changed


def test_the_snapshot_holds_what_was_judged_and_is_journaled(demo_store, formset):
    row = households(demo_store)[0]
    at = datetime(2026, 11, 1, 15, 30, tzinfo=timezone(timedelta(hours=8)))
    visit_id = visit.start(demo_store, row.id, formset, "李四", DAY)
    visit.save_answer(demo_store, visit_id, "water", "", "litres_household", 10)
    visit.save_answer(demo_store, visit_id, "water", "", "area_type", "rich")
    visit.complete(demo_store, visit_id, formset, DEFAULT_SETTINGS, " 李四 ", "电话确认",
                   "户主本人", DAY, now=at)
    seen = visit.seen(demo_store, visit_id, formset, DEFAULT_SETTINGS)
    with demo_store.reading() as conn:
        people = queries.members(conn, row.id, DAY)
        stored = conn.execute(select(Visit.snapshot).where(Visit.id == visit_id)).scalar_one()
        [journaled] = conn.execute(select(JournalEntry.new).where(
            JournalEntry.entity_id == visit_id, JournalEntry.field == "snapshot")).scalars()
    assert (seen.taken_at, seen.day, seen.cadre, seen.actor) == (
        "2026-11-01T15:30:00+08:00", DAY, "李四", demo_store.actor)
    assert seen.household["code"] == row.code and seen.household["village"] == "平里河村"
    assert [(m.name, m.relation, m.id_number, m.age) for m in seen.members] == [
        (p.name, p.relation, p.id_number, p.age) for p in people]
    assert seen.context["household_size"] == len(people)
    assert seen.settings["water_litres_rich"] == 35
    [water] = [f for f in seen.forms if f.id == "water"]
    assert (water.title, water.version) == ("饮水安全", 1)
    assert next(q for q in water.questions if q.id == "litres_household").unit == "升/天"
    [filling] = water.fillings
    assert filling.values["litres_household"] == 10
    assert filling.values["litres_line"] == 35  # computed values are kept too
    assert next(f.rule_id for f in seen.findings if f.form_id == "water") == "quantity"
    # stored and journaled as one JSON object, dates tagged as answers are
    assert stored["schema"] == snapshot.SCHEMA and stored["day"] == {"$date": "2026-11-01"}
    assert snapshot.revived(orjson.loads(journaled))["day"] == DAY
    assert snapshot.read(stored) == seen


def test_a_correction_keeps_its_own_snapshot_and_the_original_keeps_its(demo_store, formset,
                                                                       tmp_path):
    row = households(demo_store)[0]
    original = finished(demo_store, formset, row.id, litres=10)
    edit_household(demo_store, row.id)
    later = DAY + timedelta(days=2)
    correction = visit.correct(demo_store, original, "用水量记错了", "李四", later)
    visit.save_answer(demo_store, correction, "water", "", "litres_household", 150)
    visit.complete(demo_store, correction, formset, DEFAULT_SETTINGS, "李四", "电话确认",
                   "户主本人", later)
    write_visit_records(demo_store, [original, correction], tmp_path / "both.pdf", PRINTED)
    first, second = text_of(tmp_path / "both.pdf").split("走访记录表")[1:]
    assert "新址9号" not in first and "水量不达标" in first
    assert "新址9号" in second and "水量不达标" not in second
    assert visit.seen(demo_store, correction, formset, DEFAULT_SETTINGS).status() == (
        "脱贫户 · 监测对象（突发严重困难户）")


def test_a_visit_older_than_snapshots_is_rebuilt_and_says_so(demo_store, formset, tmp_path):
    row = households(demo_store)[0]
    visit_id = finished(demo_store, formset, row.id)
    with demo_store.engine.begin() as conn:  # as migration 0006 leaves an older visit
        conn.execute(update(Visit).where(Visit.id == visit_id).values(snapshot=None))
    edit_household(demo_store, row.id)
    write_visit_records(demo_store, [visit_id], tmp_path / "old.pdf", PRINTED)
    printed = text_of(tmp_path / "old.pdf")
    assert REBUILT_NOTE[:12] in printed and "按当前数据重建" in printed
    assert "新址9号" in printed  # today's data, as the note says
    sheets = exported(demo_store, tmp_path / "old.xlsx")
    assert sheets["走访记录"][1][-1] == sheets["监测建议"][1][-1] == "按当前数据重建"
    assert sheets["走访记录"][1][3] == "突发严重困难户"


def test_a_snapshot_from_a_newer_program_is_refused_plainly(demo_store, formset, tmp_path):
    row = households(demo_store)[0]
    visit_id = finished(demo_store, formset, row.id)
    with demo_store.engine.begin() as conn:
        conn.execute(update(Visit).where(Visit.id == visit_id).values(snapshot={"schema": 99}))
    with pytest.raises(SnapshotError) as refused:
        write_visit_records(demo_store, [visit_id], tmp_path / "new.pdf", PRINTED)
    assert "较新版本" in refused.value.zh and "newer version" in refused.value.en
    assert not (tmp_path / "new.pdf").exists()


# ---- sync ------------------------------------------------------------------------------

def _completed_on_laptop(party, formset) -> str:
    with party.store.reading() as conn:
        household_id = queries.household_rows(conn)[0].id
    visit_id = visit.start(party.store, household_id, formset, "王干部", DAY)
    visit.save_answer(party.store, visit_id, "water", "", "litres_household", 10)
    visit.complete(party.store, visit_id, formset, DEFAULT_SETTINGS, "王干部", "户主签字",
                   "户主本人", DAY)
    return visit_id


def _snapshot_of(store: Store, visit_id: str) -> dict:
    with store.reading() as conn:
        return conn.execute(select(Visit.snapshot).where(Visit.id == visit_id)).scalar_one()


def _printed(store: Store, visit_id: str, path: Path) -> str:
    write_visit_records(store, [visit_id], path, PRINTED)
    return text_of(path)


def test_a_completed_visit_and_its_snapshot_reach_the_county_and_other_laptops(
        county, formset, tmp_path):
    a, b = (make_laptop(county, tmp_path / name) for name in "ab")
    visit_id = _completed_on_laptop(a, formset)
    kept = _snapshot_of(a.store, visit_id)
    assert kept["schema"] == snapshot.SCHEMA
    settle(county, [a, b], tmp_path / "usb")
    assert _snapshot_of(county.store, visit_id) == kept == _snapshot_of(b.store, visit_id)
    with county.store.reading() as conn:
        assert conflicts(conn) == []  # written once, so nothing to merge
        assert conn.execute(select(func.count()).select_from(JournalEntry).where(
            JournalEntry.entity_id == visit_id, JournalEntry.field == "snapshot")).scalar() == 1
    # the county and the other laptop print exactly what the visiting laptop prints
    printed = _printed(a.store, visit_id, tmp_path / "a.pdf")
    assert _printed(county.store, visit_id, tmp_path / "county.pdf") == printed
    assert _printed(b.store, visit_id, tmp_path / "b.pdf") == printed
    # a laptop enrolled later gets it inside the visit's insert
    c = make_laptop(county, tmp_path / "c")
    assert _snapshot_of(c.store, visit_id) == kept


@needs_postgres
def test_a_visit_snapshot_round_trips_through_a_county_on_postgres(pg_url, tmp_path):
    county = make_county(tmp_path / "county", database_url=pg_url)
    try:
        a = make_laptop(county, tmp_path / "a")
        formset = load_forms(bundled_forms_dir())
        visit_id = _completed_on_laptop(a, formset)
        settle(county, [a], tmp_path / "usb")
        assert _snapshot_of(county.store, visit_id) == _snapshot_of(a.store, visit_id)
        assert (_printed(county.store, visit_id, tmp_path / "county.pdf")
                == _printed(a.store, visit_id, tmp_path / "a.pdf"))
    finally:
        county.close()
