"""County roster import: real files built by tests/rosterfiles.py, real SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rosterfiles as rf
from conftest import DEMO_DAY
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from fieldvisit import idcard
from fieldvisit.roster.exporter import export_xlsx
from fieldvisit.roster.importer import (
    ImportCancelled,
    RosterFileError,
    apply_import,
    plan_import,
)
from fieldvisit.roster.villages import UnknownVillageError
from fieldvisit.store.models import Household, JournalEntry, Member, Village, VillageGroup

REPO = Path(__file__).resolve().parent.parent


def count(store, model) -> int:
    with store.reading() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def members_by_id(store) -> dict[str, dict]:
    with store.reading() as conn:
        return {r["id_number"]: dict(r) for r in conn.execute(select(Member)).mappings()}


def households_by_code(store) -> dict[str, dict]:
    with store.reading() as conn:
        return {r["code"]: dict(r) for r in conn.execute(select(Household)).mappings()}


def snapshot(store) -> dict[str, list[tuple]]:
    with store.reading() as conn:
        return {
            model.__tablename__: sorted(tuple(r) for r in conn.execute(select(model)))
            for model in (Household, Member, Village, VillageGroup, JournalEntry)
        }


@pytest.fixture(scope="session")
def county_export(tmp_path_factory) -> Path:
    """The clean county export (rosterfiles.write_county_export), written once: the
    tests using it only read it."""
    return rf.write_county_export(tmp_path_factory.mktemp("county") / "平舟镇花户名册.xlsx")


# ---- a clean county export --------------------------------------------------------

def test_county_export_imports_every_household_person_and_village(store, county_export):
    rows = CalamineWorkbook.from_path(str(county_export)).get_sheet_by_index(0).to_python()
    header, data = rows[0], [r for r in rows[1:] if any(r)]
    codes = {r[header.index("户编号")] for r in data}
    villages = {r[header.index("行政村")] for r in data}

    plan = plan_import(county_export, store, today=rf.TODAY)
    assert (plan.header_row, plan.ignored_columns) == (1, [])
    assert plan.problems == []  # a clean export: not even a warning
    result = apply_import(store, plan)

    assert result.households_created == len(codes) == count(store, Household)
    assert result.persons_created == len(data) == count(store, Member)
    assert count(store, Village) == len(villages)
    with store.reading() as conn:
        keys = conn.execute(select(Member.name, Member.name_pinyin, Member.name_initials)).all()
    assert all(pinyin and initials for _, pinyin, initials in keys)
    assert rf.KNOWN_NAME in keys


# ---- the messy workbook -----------------------------------------------------------

KEPT = "（此人已导入，请核对后在本机改正）"


def expected_problems(float_shown: str) -> list[tuple]:
    """(row as Excel shows it, 户编号 suffix, person, header as written, severity, refused,
    message, value) in order: the person defects are imported and flagged, the two rows of
    one ID refused (which is the person is unknown), the households without a head or
    with two imported and flagged."""
    dup = "身份证号在文件中重复出现（另见第 {} 行）：请核对后重新导入"
    return [
        (6, "01", "王小明", "在校生 状况", "warning", None,
         "10 岁在读“初中”不合常理（初中一般为 12–17 岁）", "初中"),
        (7, "02", "张建国", "联系 电话", "warning", None,
         "电话号码“1381234567”格式不对：手机号应为 1 开头的 11 位数字，"
         "固定电话应带区号（如 0854-1234567）", "1381234567"),
        (8, "02", "刘芳", "公民身份号码", "warning", None,
         f"身份证号被 Excel 存成了数字（{float_shown}），后几位已丢失，"
         f"无法恢复；请在原系统中把该列设为“文本”后重新导出{KEPT}", None),
        (9, "03", "陈伟", "公民身份号码", "warning", None,
         f"身份证号校验位错误（应为 {rf.GOOD_FOR_BAD[17]}），可能有数字录错{KEPT}", rf.BAD_CHECK),
        (12, "04", "赵军", "公民身份号码", "error", "person", dup.format(14), rf.DUPLICATE),
        (13, "05", "孙丽", "与户主 关系", "warning", None,
         "没有户主（与户主关系中没有“户主”）：请在花名册或本机中指定户主", None),
        (14, "05", "孙小军", "公民身份号码", "error", "person", dup.format(12), rf.DUPLICATE),
        (16, "06", "周二", "与户主 关系", "warning", None,
         "有 2 个户主，只能有一个：请在花名册或本机中只留一个户主", "户主"),
        (17, "07", "吴刚", "性别", "warning", None,
         "性别填的是“女”，但身份证号第 17 位表明是男性；按身份证号记为“男”", "女"),
        (18, "07", "吴小梅", "在校生 状况", "warning", None,
         "12 岁属义务教育年龄，在校生状况却为“非在校生”；请填写在读学段或未入学原因", "非在校生"),
    ]


def problem_tuples(plan) -> list[tuple]:
    # the Excel-number value differs by format (float in xlsx, text in CSV): compared
    # through the message, which shows it as the user saw it
    return [(p.row, p.household_code.removeprefix(rf.CODE), p.name, p.column, p.severity,
             p.refused, p.message, None if p.row == 8 else p.value) for p in plan.problems]


IMPORTED = {rf.CODE + f"0{n}" for n in range(1, 9)}  # every household of the file
# read = imported + refused, for households and persons; "with warnings" those imported
# that a report line names (every household but 08; the persons of rows 6–9, 13, 16–18)
MESSY_COUNTS = {
    "households": 8, "households_imported": 8, "households_with_warnings": 7,
    "households_refused": 0,
    "persons": 16, "persons_imported": 14, "persons_with_warnings": 8, "persons_refused": 2,
}


def test_messy_workbook_report_is_exact(store, tmp_path):
    plan = plan_import(rf.write_xlsx(tmp_path / "新寨村花名册.xlsx"), store, today=rf.TODAY)

    assert plan.header_row == 3
    assert plan.ignored_columns == ["序 号", "备注"]
    assert problem_tuples(plan) == expected_problems(repr(rf.FLOAT_ID))
    assert {h.code for h in plan.to_create} == IMPORTED
    assert plan.rejected == []
    assert plan.persons == 16  # the 合计 row, the blank row and the footer are not people
    assert {k: plan.counts()[k] for k in MESSY_COUNTS} == MESSY_COUNTS
    expected_check = rf.GOOD_FOR_BAD[17]
    lines = plan.report_lines()
    assert lines[0].startswith(  # the village's code, from its 户编号
        "行政村 新寨村：文件未给村代码，按户编号前 12 位定为 522727100202")
    assert lines[4] == (
        f"户 {rf.CODE}03 · 第 9 行 · 公民身份号码 · 陈伟 · 提醒："
        f"身份证号校验位错误（应为 {expected_check}），可能有数字录错{KEPT} · 值 {rf.BAD_CHECK}"
        f"  |  household {rf.CODE}03 · row 9 · 公民身份号码 · 陈伟 · warning: wrong check "
        f"character (expected {expected_check}); a digit may be mistyped (the person is "
        f"imported; correct it in the app) · value {rf.BAD_CHECK}"
    )
    assert lines[5].startswith(
        f"户 {rf.CODE}04 · 第 12 行 · 公民身份号码 · 赵军 · 错误（此人未导入）：")
    assert lines[6].startswith(f"户 {rf.CODE}05 · 第 13 行 · 与户主 关系 · 孙丽 · 提醒：没有户主")
    assert plan.summary().split("\n")[0].startswith(
        "“新寨村花名册.xlsx”读到 8 户 16 人：导入 8 户（7 户有提醒）14 人（8 人有提醒），"
        "未导入 0 户 2 人；")
    assert count(store, Household) == 0  # planning writes nothing


def test_messy_workbook_imports_repaired_values(store, tmp_path):
    plan = plan_import(rf.write_xlsx(tmp_path / "roster.xlsx"), store, today=rf.TODAY)
    result = apply_import(store, plan)

    assert (result.households_created, result.persons_created) == (8, 14)
    assert set(households_by_code(store)) == IMPORTED
    people = members_by_id(store)
    assert rf.DUPLICATE not in people  # both rows of it refused
    assert people[rf.BAD_CHECK]["name"] == "陈伟"  # an invalid ID kept as written
    assert people[None]["name"] == "刘芳"  # the ID Excel mangled is left empty
    # spaces, full-width digits, lower-case x and the 15-digit form all normalised
    assert {rf.HEAD_1, rf.SPOUSE_1, rf.CHILD_1, idcard.parse(rf.LEGACY_15).number} <= set(people)
    assert people[rf.SEX_MISMATCH]["sex"] == "男"  # the ID wins
    assert people[rf.CHILD_1]["birth_date"].isoformat() == "2016-04-10"
    first = households_by_code(store)[rf.CODE + "01"]
    # 户类型 merged over the household's rows, a monitored kind named in brackets
    assert (first["hh_type"], first["monitored"], first["monitor_category"],
            first["risk_types"]) == ("脱贫户", True, "脱贫不稳定户", "因病")
    assert households_by_code(store)[rf.CODE + "08"]["hh_type"] == "一般农户"
    with store.reading() as conn:
        groups = set(conn.execute(select(VillageGroup.name)).scalars())
        villages = conn.execute(select(Village.name, Village.code)).all()
    assert groups == {"1组", "2组", "3组", "4组", "5组"}
    assert villages == [("新寨村", "522727100202")]  # 户编号 5227271002020000xx


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_any_encoding_gives_the_same_result(store, tmp_path, encoding):
    path = rf.write_csv(tmp_path / "roster.csv", encoding)
    plan = plan_import(path, store, today=rf.TODAY)

    assert problem_tuples(plan) == expected_problems("5.22727E+17")
    assert {h.code for h in plan.to_create} == IMPORTED
    apply_import(store, plan)
    assert members_by_id(store)[rf.CHILD_1]["household_id"] == households_by_code(
        store)[rf.CODE + "01"]["id"]  # blank 户编号 below the head continues the household


# ---- re-import --------------------------------------------------------------------

def test_reimport_creates_no_duplicates_and_writes_nothing(store, tmp_path):
    path = rf.write_xlsx(tmp_path / "roster.xlsx")
    apply_import(store, plan_import(path, store, today=rf.TODAY))
    before = snapshot(store)

    again = plan_import(path, store, today=rf.TODAY)
    result = apply_import(store, again)

    assert (len(again.unchanged), len(again.to_create), len(again.to_update)) == (8, 0, 0)
    assert not again.has_changes and not result.changes
    assert snapshot(store) == before  # no new rows, no journal entries


def demo_export(store, tmp_path) -> Path:
    path = tmp_path / "export.xlsx"
    export_xlsx(store, path)
    return path


def sheet_rows(path: Path):
    workbook = load_workbook(path)
    sheet = workbook.active
    header = [c.value for c in sheet[2]]
    return workbook, sheet, header


def test_changed_phone_and_new_member_update_exactly_those(demo_store, tmp_path):
    path = demo_export(demo_store, tmp_path)
    workbook, sheet, header = sheet_rows(path)
    col = {name: header.index(name) + 1 for name in header}
    phone_row, family_row = 3, sheet.max_row  # a head (has a phone); the last person
    old_phone = sheet.cell(phone_row, col["联系电话"]).value
    phone_code = sheet.cell(phone_row, col["户编号"]).value
    sheet.cell(phone_row, col["联系电话"]).value = "13900001111"
    family_code = sheet.cell(family_row, col["户编号"]).value
    newborn = idcard.make("522727", DEMO_DAY.replace(year=2025), 998)
    sheet.append([*(sheet.cell(family_row, c).value for c in range(1, col["人编号"])), None,
                  "新生儿", newborn, None, "其他", "女"])
    workbook.save(path)
    journal_before = count(demo_store, JournalEntry)

    plan = plan_import(path, demo_store, today=DEMO_DAY)
    assert {h.code for h in plan.to_update} == {phone_code, family_code}
    assert plan.change_lines() == [
        f"户 {phone_code} · {sheet.cell(phone_row, col['姓名']).value} · 联系电话："
        f"{old_phone} → 13900001111",
        f"户 {family_code} · 新生儿 · 家庭成员：空 → 新增",
    ]
    result = apply_import(demo_store, plan)

    assert (result.persons_created, result.persons_updated) == (1, 1)
    assert count(demo_store, JournalEntry) == journal_before + 2  # one field, one insert
    assert members_by_id(demo_store)[newborn]["household_id"] == households_by_code(
        demo_store)[family_code]["id"]


def test_members_missing_from_the_file_are_kept_and_reported(demo_store, tmp_path):
    path = demo_export(demo_store, tmp_path)
    workbook, sheet, header = sheet_rows(path)
    gone_row = next(r for r in range(3, sheet.max_row + 1)
                    if sheet.cell(r, header.index("与户主关系") + 1).value != "户主")
    gone = sheet.cell(gone_row, header.index("姓名") + 1).value
    code = sheet.cell(gone_row, header.index("户编号") + 1).value
    sheet.delete_rows(gone_row)
    workbook.save(path)
    members = count(demo_store, Member)

    plan = plan_import(path, demo_store, today=DEMO_DAY)
    apply_import(demo_store, plan)

    missing = [p for p in plan.problems if p.message.startswith("文件中没有此人")]
    assert [(p.row, p.household_code, p.severity) for p in missing] == [(None, code, "warning")]
    assert gone in missing[0].message
    assert count(demo_store, Member) == members


def test_member_moves_only_when_both_households_are_in_the_file(demo_store, tmp_path):
    path = demo_export(demo_store, tmp_path)
    workbook, sheet, header = sheet_rows(path)
    col = {name: header.index(name) + 1 for name in header}
    mover = next(r for r in range(3, sheet.max_row + 1)
                 if sheet.cell(r, col["与户主关系"]).value not in ("户主", "配偶"))
    number = sheet.cell(mover, col["证件号码"]).value
    old_code = sheet.cell(mover, col["户编号"]).value
    new_code = sheet.cell(sheet.max_row, col["户编号"]).value
    sheet.cell(mover, col["户编号"]).value = new_code
    workbook.save(path)

    plan = plan_import(path, demo_store, today=DEMO_DAY)
    moved = [c for h in plan.to_update for c in h.changes if c.field == "household_id"]
    assert [(c.old, c.new) for c in moved] == [(old_code, new_code)]
    apply_import(demo_store, plan)
    assert members_by_id(demo_store)[number]["household_id"] == households_by_code(
        demo_store)[new_code]["id"]

    # a file with only the new household cannot pull a person out of a family it omits
    only = tmp_path / "only.xlsx"
    book = Workbook()
    book.active.append(header)
    for r in range(3, sheet.max_row + 1):
        values = [sheet.cell(r, c).value for c in range(1, len(header) + 1)]
        if values[col["户编号"] - 1] == old_code and values[col["与户主关系"] - 1] != "户主":
            values[col["户编号"] - 1] = new_code
            book.active.append(values)
        elif values[col["户编号"] - 1] == new_code:
            book.active.append(values)
    book.save(only)
    plan = plan_import(only, demo_store, today=DEMO_DAY)
    owner = members_by_id(demo_store)[plan.errors[0].value]["name"]
    assert plan.errors[0].message == (f"此身份证号已登记在户 {old_code}（{owner}），"
                                      "文件中却在本户；如确为迁户，请把两户一起导入")
    # only those persons are refused; the household itself is imported
    assert plan.rejected == [] and {p.refused for p in plan.errors} == {"person"}
    [household] = [h for h in plan.households if h.code == new_code]
    assert household.refused_persons == len(plan.errors) > 0


# ---- all or nothing ---------------------------------------------------------------

def test_cancel_during_apply_leaves_the_store_exactly_as_before(demo_store, tmp_path):
    path = demo_export(demo_store, tmp_path)
    workbook, sheet, header = sheet_rows(path)
    col = {name: header.index(name) + 1 for name in header}
    sheet.cell(3, col["联系电话"]).value = "13900002222"
    sheet.append([None, None, "新村", None, "1组", "522727100299000001", None, "新户主",
                  idcard.make("522727", DEMO_DAY.replace(year=1980), 11), 1, "户主", "男"])
    workbook.save(path)
    plan = plan_import(path, demo_store, today=DEMO_DAY)
    assert plan.new_places == {"village": ["新村"], "village_group": ["1组"]}
    before = snapshot(demo_store)
    checks = iter([False, True])  # places written, then cancelled before the households

    with pytest.raises(ImportCancelled):
        apply_import(demo_store, plan, cancelled=lambda: next(checks))

    assert snapshot(demo_store) == before


def test_cancel_during_planning(store, county_export):
    with pytest.raises(ImportCancelled):
        plan_import(county_export, store, cancelled=lambda: True)


def test_cancel_is_honoured_while_cells_are_parsed(store, county_export):
    """Closing the dialog after the file is read must not wait for the whole parse."""
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) >= 3  # after the read and the store load: inside the parse

    with pytest.raises(ImportCancelled):
        plan_import(county_export, store, cancelled=cancelled)


# ---- village from the command line ------------------------------------------------

def test_file_without_village_column_needs_a_village_code(store, tmp_path):
    path = tmp_path / "no-village.xlsx"
    book = Workbook()
    book.active.append(["户编号", "姓名", "与户主关系", "身份证号"])
    head_id = idcard.make("522727", DEMO_DAY.replace(year=1970), 1)
    book.active.append(["H1", "王一", "户主", head_id])
    book.save(path)

    plan = plan_import(path, store, today=DEMO_DAY)
    assert [(p.row, p.severity, p.field) for p in plan.problems] == [(2, "error", "village")]

    plan = plan_import(path, store, village="522727100205", today=DEMO_DAY)
    apply_import(store, plan)
    with store.reading() as conn:
        assert conn.execute(select(Village.code, Village.name)).all() == [
            ("522727100205", "522727100205")]
    with pytest.raises(UnknownVillageError, match="5227"):
        plan_import(path, store, village="5227")


# ---- unreadable files -------------------------------------------------------------

def test_workbook_without_a_roster_header_is_refused_by_name(store, tmp_path):
    path = tmp_path / "会议签到表.xlsx"
    book = Workbook()
    book.active.append(["单位", "职务", "签到时间"])
    book.active.append(["镇政府", "主任", "9:00"])
    book.save(path)
    with pytest.raises(RosterFileError) as caught:
        plan_import(path, store)
    assert "会议签到表.xlsx" in caught.value.zh
    assert "会议签到表.xlsx" in caught.value.en
    assert "户编号" in caught.value.zh


@pytest.mark.parametrize("name,content", [
    ("junk.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4),
    ("junk.csv", bytes(range(256)) * 4),
    ("empty.csv", b""),
])
def test_junk_files_are_refused(store, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RosterFileError) as caught:
        plan_import(path, store)
    assert name in caught.value.zh


# ---- the command line -------------------------------------------------------------

def cli(data_dir: Path, *args: object) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(data_dir), "roster",
         *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, env=env, timeout=120,
    )


def test_cli_exit_codes_and_json(tmp_path, county_export):
    data = tmp_path / "data"
    clean = cli(data, "import", county_export, "--dry-run", "--json")
    assert clean.returncode == 0, clean.stderr
    report = json.loads(clean.stdout)
    assert report["counts"]["create"] == rf.EXPORT_HOUSEHOLDS
    assert report["dry_run"] and not report["applied"]

    messy = cli(data, "import", rf.write_xlsx(tmp_path / "messy.xlsx"), "--dry-run", "--json")
    assert messy.returncode == 1, messy.stderr
    report = json.loads(messy.stdout)
    assert {k: report["counts"][k] for k in MESSY_COUNTS} == MESSY_COUNTS
    assert report["counts"]["create"] == 8
    assert [p["row"] for p in report["problems"]] == [row for row, *_ in expected_problems("")]

    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a workbook")
    failed = cli(data, "import", junk, "--json")
    assert failed.returncode == 2
    assert "junk.xlsx" in json.loads(failed.stdout)["error"]

    text = cli(data, "import", junk)
    assert text.returncode == 2 and "junk.xlsx" in text.stderr


def test_cli_import_then_export_round_trips(tmp_path, county_export):
    data = tmp_path / "data"
    first = cli(data, "import", county_export)
    assert first.returncode == 0, first.stderr
    assert "已导入" in first.stdout
    exported = tmp_path / "back.xlsx"
    assert cli(data, "export", exported).returncode == 0

    again = cli(data, "import", exported, "--json")
    report = json.loads(again.stdout)
    assert again.returncode == 0
    assert report["counts"]["unchanged"] == rf.EXPORT_HOUSEHOLDS
    assert report["counts"]["create"] == report["counts"]["update"] == 0
    assert not report["applied"]
