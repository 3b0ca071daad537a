"""County files that bend the rules in ways a plain roster does not: each case once
moved a person, dropped a fact or duplicated a village before it was fixed."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import rosterfiles as rf
from conftest import DEMO_DAY
from openpyxl import Workbook
from sqlalchemy import select

from fieldvisit import idcard
from fieldvisit.quality.rules import check_roster
from fieldvisit.roster.importer import apply_import, plan_import
from fieldvisit.store.models import Household, Member, Village

HEADER = ["户编号", "姓名", "证件号码", "与户主关系", "行政村"]


def person_id(year: int, sequence: int) -> str:
    return idcard.make("522727", date(year, 3, 3), sequence)


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def csv_file(path: Path, rows: list[list[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def imported(store, path: Path):
    plan = plan_import(path, store, today=DEMO_DAY)
    apply_import(store, plan)
    return plan


def test_a_blank_household_code_never_moves_a_registered_person(store, tmp_path):
    wife = person_id(1975, 12)
    imported(store, xlsx(tmp_path / "first.xlsx", [
        HEADER,
        ["001", "张一", person_id(1970, 11), "户主", "新寨村"],
        ["002", "李二", person_id(1971, 13), "户主", "新寨村"],
        ["002", "张妻", wife, "配偶", "新寨村"],
    ]))
    plan = plan_import(csv_file(tmp_path / "second.csv", [
        HEADER,
        ["001", "张一", person_id(1970, 11), "户主", "新寨村"],
        ["", "张妻", wife, "配偶", "新寨村"],  # her code lost: she follows 001's row
        ["002", "李二", person_id(1971, 13), "户主", "新寨村"],
    ]), store, today=DEMO_DAY)
    [problem] = plan.errors
    assert (problem.row, problem.field) == (3, "code") and "户编号为空" in problem.message
    apply_import(store, plan)
    with store.reading() as conn:
        household = conn.execute(
            select(Household.code).join(Member, Member.household_id == Household.id)
            .where(Member.id_number == wife)).scalar_one()
    assert household == "002"


def statuses(store) -> dict[str, tuple]:
    with store.reading() as conn:
        return {r.code: (r.hh_type, r.monitored, r.monitor_category) for r in conn.execute(
            select(Household.code, Household.hh_type, Household.monitored,
                   Household.monitor_category))}


def test_a_monitored_kind_column_beside_the_household_type_keeps_both(store, tmp_path):
    plan = imported(store, xlsx(tmp_path / "types.xlsx", [
        [*HEADER, "户类型", "监测对象类别"],
        ["001", "王一", person_id(1970, 11), "户主", "新寨村", "脱贫户", "脱贫不稳定户"],
        ["002", "王二", person_id(1971, 13), "户主", "新寨村", "一般户", "无"],
        ["003", "王三", person_id(1972, 15), "户主", "新寨村", "脱贫户", "突发严重困难户"],
    ]))
    assert plan.ignored_columns == [] and plan.errors == [] and plan.warnings == []
    assert statuses(store) == {"001": ("脱贫户", True, "脱贫不稳定户"),
                               "002": ("一般农户", False, None),
                               "003": ("脱贫户", True, "突发严重困难户")}


def test_a_certificate_number_excel_mangled_is_left_empty_and_reported(store, tmp_path):
    number = person_id(1970, 11)
    plan = imported(store, xlsx(tmp_path / "cert.xlsx", [
        [*HEADER, "残疾证号"],
        ["001", "王一", number, "户主", "新寨村", float(number + "42")],
    ]))
    [warning] = plan.warnings
    assert warning.field == "disability_cert" and "Excel" in warning.message
    with store.reading() as conn:
        assert conn.execute(select(Member.disability_cert)).scalar_one() is None


def test_a_later_file_naming_the_township_keeps_the_same_village(store, tmp_path):
    person = ["001", "王一", person_id(1970, 11), "户主", "新寨村"]
    imported(store, xlsx(tmp_path / "a.xlsx", [HEADER, person]))
    plan = imported(store, xlsx(tmp_path / "b.xlsx", [["乡(镇)", *HEADER], ["平舟镇", *person]]))
    assert plan.change_lines() == []
    with store.reading() as conn:
        assert conn.execute(select(Village.name)).scalars().all() == ["新寨村"]


def test_a_csv_column_number_row_is_not_a_household(store, tmp_path):
    plan = plan_import(csv_file(tmp_path / "numbered.csv", [
        HEADER, ["1", "2", "3", "4", "5"], ["001", "王一", person_id(1970, 11), "户主", "新寨村"],
    ]), store, today=DEMO_DAY)
    assert plan.counts()["households"] == 1 and plan.problems == []


# ---- never drop a household for a fixable defect ------------------------------------

def test_households_without_a_head_or_with_two_are_imported_and_flagged(store, tmp_path):
    plan = imported(store, rf.write_defects_xlsx(tmp_path / "defects.xlsx"))
    lines = plan.report_lines()
    assert (f"户 {rf.HEADLESS} · 第 2 行 · 与户主关系 · 杨一 · 提醒：没有户主（与户主关系中没有"
            "“户主”）：请在花名册或本机中指定户主  |  household "
            f"{rf.HEADLESS} · row 2 · 与户主关系 · 杨一 · warning: the household has no head "
            "(no '户主' relation): name the head in the roster or in the app") in lines
    assert any(line.startswith(f"户 {rf.TWO_HEADS} · 第 5 行 · 与户主关系 · 马二 · 提醒："
                               "有 2 个户主") for line in lines)
    with store.reading() as conn:
        codes = set(conn.execute(select(Household.code)).scalars())
        found = {(p.rule, p.household_code) for p in check_roster(conn, DEMO_DAY)}
    assert {rf.HEADLESS, rf.TWO_HEADS} <= codes
    assert {("no_head", rf.HEADLESS), ("two_heads", rf.TWO_HEADS)} <= found


def test_only_what_cannot_be_stored_is_refused_and_the_counts_add_up(store, tmp_path):
    path = rf.write_defects_xlsx(tmp_path / "defects.xlsx")
    plan = plan_import(path, store, today=DEMO_DAY)
    refused = [(p.row, p.household_code, p.name, p.field, p.refused) for p in plan.errors]
    assert refused == [
        (3, rf.HEADLESS, "杨二", "id_number", "person"),  # one ID on two rows
        (7, rf.CLEAN, "罗二", "id_number", "person"),
        (8, None, "无名氏", "code", "person"),  # neither 户编号 nor ID
        (10, None, "韦一", "code", "person"),  # an ID, but no household to file it under
    ]
    assert plan.rejected == []
    [unknown] = [p for p in plan.warnings if p.household_code == rf.UNKNOWN_WORD]
    assert (unknown.row, unknown.column, unknown.name, unknown.value) == (9, "户类型", "秦一",
                                                                          "某某户")
    counts = plan.counts()
    assert {k: counts[k] for k in (
        "households", "households_imported", "households_with_warnings", "households_refused",
        "persons", "persons_imported", "persons_with_warnings", "persons_refused")} == {
        "households": 4, "households_imported": 4, "households_with_warnings": 4,
        "households_refused": 0,
        "persons": 9, "persons_imported": 5, "persons_with_warnings": 3, "persons_refused": 4,
    }
    apply_import(store, plan)
    with store.reading() as conn:
        names = set(conn.execute(select(Member.name)).scalars())
    assert names == {"杨一", "马一", "马二", "罗一", "秦一"}  # persons_imported, by name
    with store.reading() as conn:  # the word kept as written, for the cadre to fix
        kept = conn.execute(select(Household.hh_type, Household.monitored).where(
            Household.code == rf.UNKNOWN_WORD)).one()
    assert tuple(kept) == ("某某户", False)


def test_the_cli_reports_the_counts_in_text_and_json(tmp_path):
    path = rf.write_defects_xlsx(tmp_path / "defects.xlsx")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "fieldvisit", "--data-dir", str(tmp_path / "data"),
             "roster", "import", str(path), "--dry-run", *args],
            capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)

    text = cli()
    assert text.returncode == 1, text.stderr  # some persons refused
    assert ("读到 4 户 9 人：导入 4 户（4 户有提醒）5 人（3 人有提醒），未导入 0 户 4 人"
            in text.stdout)
    assert ("read 4 households, 9 persons: imported 4 households (4 with warnings), "
            "5 persons (3 with warnings); refused 0 households, 4 persons") in text.stdout
    report = json.loads(cli("--json").stdout)
    assert {k: report["counts"][k] for k in ("households_refused", "persons_refused")} == {
        "households_refused": 0, "persons_refused": 4}
    assert [p["name"] for p in report["problems"] if p["refused"]] == [
        "杨二", "罗二", "无名氏", "韦一"]


def test_a_cell_longer_than_its_field_keeps_what_fits_and_is_reported(store, tmp_path):
    """One over-long 住址 (a clerk pasted a paragraph) once failed the whole import."""
    long_address = "新寨村" + "很长的地址" * 60
    plan = imported(store, xlsx(tmp_path / "long.xlsx", [
        [*HEADER, "家庭住址", "民族"],
        ["001", "王一", person_id(1970, 11), "户主", "新寨村", long_address, "汉" * 40],
        ["002", "王二", person_id(1971, 13), "户主", "新寨村", "2组", "苗族"],
        ["003", "王三" + "很长" * 40, person_id(1972, 15), "户主", "新寨村", "3组", "苗" * 20],
    ]))
    assert plan.errors == [] and plan.rejected == []
    with store.reading() as conn:
        address = conn.execute(select(Household.address).where(Household.code == "001")
                               ).scalar_one()
        ethnicity = conn.execute(select(Member.ethnicity).where(Member.name == "王一")
                                 ).scalar_one()
    assert address == long_address[:200] and ethnicity == "汉" * 16
    warned = [(p.household_code, p.row, p.column) for p in plan.warnings
              if "只导入了前" in p.message]
    # a person's in the order of their fields, before the household's of the same row
    assert warned == [("001", 2, "民族"), ("001", 2, "家庭住址"), ("003", 4, "民族"),
                      ("003", 4, "姓名")]


def test_a_file_naming_another_helper_adds_an_assignment_and_keeps_the_old(store, tmp_path):
    from fieldvisit.roster import assignments

    header = [*HEADER, "帮扶责任人", "帮扶单位"]
    imported(store, xlsx(tmp_path / "a.xlsx", [
        header, ["001", "王一", person_id(1970, 11), "户主", "新寨村", "李帮扶", "县教育局"]]))
    imported(store, xlsx(tmp_path / "b.xlsx", [
        header, ["001", "王一", person_id(1970, 11), "户主", "新寨村", "赵帮扶", "县水务局"]]))
    with store.reading() as conn:
        home = conn.execute(select(Household.id, Household.helper_name)).one()
        kept = [(a.helper.name, a.helper.unit, a.ended_on is None)
                for a in assignments.history(conn, home.id)]
    assert home.helper_name == "赵帮扶"
    assert kept == [("李帮扶", "县教育局", False), ("赵帮扶", "县水务局", True)]
