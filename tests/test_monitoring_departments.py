"""部门预警 (issue 12 §4): department lists compared with the roster by ID number.

The roster is imported from a file built here, and the lists are built as departments
send them (a title row, their own column names, GBK CSV, IDs typed with spaces, in
full-width digits, with a lower-case x, or turned into numbers by Excel). Proposals are
checked in the store, contradictions and unmatched rows by their file rows, and the
command line by its exit codes and JSON.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest
from openpyxl import Workbook
from sqlalchemy import select
from test_roster_import_edges import xlsx

from fieldvisit import cli, idcard
from fieldvisit.monitoring import cases
from fieldvisit.monitoring.department_reader import DepartmentListError
from fieldvisit.monitoring.departments import apply_compare, plan_compare
from fieldvisit.roster.importer import apply_import, plan_import
from fieldvisit.roster.lookup import find_household
from fieldvisit.store import Store, Transaction, Update
from fieldvisit.store.models import Member, MonitorCase

TODAY = date(2026, 11, 1)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def pid(year: int, sequence: int) -> str:
    return idcard.make("522727", date(year, 3, 3), sequence)


def with_x(year: int) -> str:
    """An ID whose check character is X (lists type it as a lower-case x)."""
    return next(n for s in range(1, 999) if (n := pid(year, s)).endswith("X"))


WANG, WANG_CHILD = pid(1970, 11), with_x(2014)
LI, ZHANG, ZHAO, SUN, ZHOU, ZHOU_SON = (pid(1971, 12), pid(1972, 13), pid(1973, 14),
                                         pid(1974, 15), pid(1960, 16), pid(1990, 17))
STRANGER = pid(1980, 99)  # valid, on no roster
BAD_CHECK = LI[:17] + ("0" if LI[17] != "0" else "1")
QIAN = pid(1966, 18)
QIAN_TYPO = QIAN[:17] + ("0" if QIAN[17] != "0" else "1")  # on the roster as typed

ROSTER = [
    ["户编号", "姓名", "证件号码", "与户主关系", "行政村", "健康状况", "在校生状况", "户类型"],
    ["001", "王一", WANG, "户主", "新寨村", "健康", "", "一般农户"],
    ["001", "王小一", WANG_CHILD, "之子", "新寨村", "健康", "小学", "一般农户"],
    ["002", "李二", LI, "户主", "新寨村", "健康", "", "脱贫户"],
    ["003", "张三", ZHANG, "户主", "新寨村", "残疾", "", "监测户/边缘易致贫户"],
    ["004", "赵四", ZHAO, "户主", "新寨村", "健康", "", "一般农户"],
    ["005", "孙五", SUN, "户主", "新寨村", "残疾", "", "一般农户"],
    ["006", "周六", ZHOU, "户主", "新寨村", "健康", "", "一般农户"],
    ["006", "周小六", ZHOU_SON, "之子", "新寨村", "健康", "", "一般农户"],
    ["007", "钱七", QIAN_TYPO, "户主", "新寨村", "健康", "", "一般农户"],
]


def gbk_csv(path: Path, rows: list[list[object]]) -> Path:
    with open(path, "w", newline="", encoding="gbk") as out:
        csv.writer(out).writerows(rows)
    return path


@pytest.fixture
def roster(store: Store, tmp_path: Path) -> Store:
    """Seven households' roster: 003 monitored, 004 with an open 纳入 case, 周小六 moved
    out of 006."""
    plan = plan_import(xlsx(tmp_path / "花名册.xlsx", ROSTER), store, today=TODAY)
    apply_import(store, plan)
    with store.reading() as conn:
        zhao = find_household(conn, "004").id
        son = conn.execute(select(Member.id).where(Member.id_number == ZHOU_SON)).scalar_one()
    cases.open_case(store, zhao, source="农户申报", risks=["因病"], today=TODAY)
    store.write([Update("member", son, {"left_on": date(2026, 5, 1), "left_reason": "迁出"})])
    return store


def disability_list(folder: Path) -> Path:
    """残联's list: a title row, its own headers; rows 3–12."""
    spaced = f"{LI[:6]} {LI[6:14]} {LI[14:]}"
    return xlsx(folder / "残联新增残疾人.xlsx", [
        ["2026年10月新增持证残疾人名单"],
        ["序号", "残疾人姓名", "公民身份号码", "残疾类别", "残疾等级", "残疾证号"],
        [1, "李二", spaced, "肢体", "二级", LI + "42"],             # 3 → 002, contradicts 健康
        [2, "孙五", SUN.translate(FULL_WIDTH), "视力", "一级", ""],  # 4 → 005
        [3, "张三", ZHANG, "肢体", "三级", ""],                      # 5 → 003 monitored
        [4, "赵四", ZHAO, "听力", "四级", ""],                       # 6 → 004 open case
        [5, "陌生人", STRANGER, "智力", "二级", ""],                 # 7 not on the roster
        [6, "错号", BAD_CHECK, "肢体", "二级", ""],                  # 8 invalid check
        [7, "数字", float(pid(1985, 21)), "肢体", "二级", ""],       # 9 Excel number
        [8, "无号", "", "肢体", "二级", ""],                         # 10 no ID
        [9, "周小六", ZHOU_SON, "肢体", "二级", ""],                 # 11 moved out
        [10, "孙武", SUN, "视力", "一级", ""],                       # 12 → 005, other name
        ["合计", "", "", "", "", ""],
    ])


def test_a_list_is_compared_without_writing(roster, tmp_path):
    plan = plan_compare(roster, disability_list(tmp_path), "残联", today=TODAY)
    assert plan.rows_read == 10
    assert [(p.household_code, p.risk_types, [r.row for r in p.rows])
            for p in plan.proposals] == [("002", ("因残",), [3]), ("005", ("因残",), [4, 12])]
    assert {(s.household_code, s.rows[0].row) for s in plan.skipped} == {("003", 5), ("004", 6)}
    assert "已是监测对象" in next(s.zh for s in plan.skipped if s.household_code == "003")
    assert {(u.row.row, u.reason) for u in plan.unmatched} == {
        (7, "not-in-roster"), (8, "invalid-id"), (9, "invalid-id"), (10, "empty-id"),
        (11, "former-member")}
    excel = next(u for u in plan.unmatched if u.row.row == 9)
    assert "Excel" in excel.zh and "e+17" in excel.row.id_shown
    assert "迁出" in next(u.zh for u in plan.unmatched if u.row.row == 11)
    assert {(c.row.row, c.household_code, c.finding.field) for c in plan.contradictions} == {
        (3, "002", "health"), (6, "004", "health"), (12, "005", "name")}
    with roster.reading() as conn:
        assert conn.execute(select(MonitorCase.id).where(
            MonitorCase.source == "部门预警")).all() == []


def test_applying_writes_every_proposal_in_one_write(roster, tmp_path, monkeypatch):
    path = disability_list(tmp_path)
    plan = plan_compare(roster, path, "残联", today=TODAY)
    writes = []
    original = Transaction.write
    monkeypatch.setattr(Transaction, "write",
                        lambda tx, edits: writes.append(list(edits)) or original(tx, edits))
    ids = apply_compare(roster, plan)
    assert len(writes) == 1 and [e.id for e in writes[0]] == ids and len(ids) == 2
    with roster.reading() as conn:
        found = {c.household_code: c for c in cases.cases(conn) if c.source == "部门预警"}
    assert set(found) == {"002", "005"}
    li = found["002"]
    assert (li.status, li.department, li.risk_types, li.kind) == ("待确认", "残联", "因残", "纳入")
    assert li.clue is not None and "残联新增残疾人.xlsx" in li.clue and "第 3 行 李二" in li.clue
    assert "肢体" in li.clue and LI not in li.clue  # which row, never the ID number
    assert "第 4 行" in found["005"].clue and "第 12 行" in found["005"].clue
    # compared again: the open proposals are not proposed twice
    again = plan_compare(roster, path, "残联", today=TODAY)
    assert again.proposals == [] and {s.household_code for s in again.skipped} == {
        "002", "003", "004", "005"}


def test_a_household_given_a_case_after_the_plan_is_left_out(roster, tmp_path):
    plan = plan_compare(roster, disability_list(tmp_path), "残联", today=TODAY)
    with roster.reading() as conn:
        li = find_household(conn, "002").id
    cases.open_case(roster, li, source="干部排查", risks=["因残"], today=TODAY)
    written = apply_compare(roster, plan)
    assert written == [p.case_id for p in plan.proposals if p.household_code == "005"]
    with roster.reading() as conn:
        assert [c.source for c in cases.cases(conn, household_id=li)] == ["干部排查"]


def test_a_gbk_csv_from_education_names_dropouts_and_contradictions(roster, tmp_path):
    path = gbk_csv(tmp_path / "控辍保学.csv", [
        ["县教育局控辍保学台账"],
        ["学生姓名", "身份证号", "就读学校", "在校情况"],
        ["王小一", WANG_CHILD.lower(), "新寨小学", "辍学"],   # 3 → 001, roster says 小学
        ["李二", LI, "", "在校"],                             # 4 warns of nothing
    ])
    plan = plan_compare(roster, path, "教育", today=TODAY)
    assert [(p.household_code, p.risk_types) for p in plan.proposals] == [("001", ("因学",))]
    [contradiction] = plan.contradictions
    assert (contradiction.row.row, contradiction.finding.field,
            contradiction.finding.roster_value) == (3, "schooling", "小学")
    assert "辍学" in contradiction.finding.zh
    assert [r.row for r in plan.quiet] == [4] and plan.unmatched == []


def test_medical_spending_implies_illness_and_an_invalid_id_the_roster_holds_matches(
        roster, tmp_path):
    path = xlsx(tmp_path / "医保.xlsx", [
        ["参保人姓名", "参保人身份证号", "病种", "个人自付金额"],
        ["王一", WANG, "", 35000.0],
        ["钱七", QIAN_TYPO, "尿毒症", 52000.5],
    ])
    plan = plan_compare(roster, path, "医保", today=TODAY)
    assert [(p.household_code, p.risk_types) for p in plan.proposals] == [
        ("001", ("因病",)), ("007", ("因病",))]
    assert plan.unmatched == []
    assert {(c.household_code, c.finding.field) for c in plan.contradictions} == {
        ("001", "health"), ("007", "health")}
    assert "个人自付：35000" in plan.proposals[0].clue and "52000.5" in plan.proposals[1].clue
    assert plan.missing_facts == ["医疗费用"]


def test_civil_affairs_implies_no_risk_type(roster, tmp_path):
    path = xlsx(tmp_path / "低保.xlsx", [["姓名", "证件号码", "保障类别"], ["王一", WANG, "低保"]])
    plan = plan_compare(roster, path, "民政", today=TODAY)
    apply_compare(roster, plan)
    with roster.reading() as conn:
        [case] = [c for c in cases.cases(conn) if c.source == "部门预警"]
    assert (case.department, case.risk_types, case.status) == ("民政", None, "待确认")
    assert case.clue is not None and "救助类别：低保" in case.clue


def _encrypted(folder: Path) -> Path:
    plain = xlsx(folder / "plain.xlsx", [["姓名", "身份证号"], ["王一", WANG]])
    path = folder / "加密.xlsx"
    with plain.open("rb") as source, path.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt("123456", out)
    return path


def _zero_bytes(folder: Path) -> Path:
    path = folder / "空.xlsx"
    path.write_bytes(b"")
    return path


BAD_FILES = [
    (lambda d: xlsx(d / "销售.xlsx", [["月份", "产品"], ["1月", "核桃"]]), "no-header",
     "身份证号", "ID column"),
    (lambda d: xlsx(d / "空表.xlsx", [["标题"], ["姓名", "身份证号", "残疾类别"]]),
     "empty-list", "第 2 行是表头", "row 2"),
    (_zero_bytes, "empty", "空文件", "empty"),
    (_encrypted, "password", "密码", "password"),
]


@pytest.mark.parametrize(("build", "reason", "zh", "en"), BAD_FILES)
def test_a_bad_file_is_one_message_naming_it(roster, tmp_path, build, reason, zh, en):
    path = build(tmp_path)
    with pytest.raises(DepartmentListError) as raised:
        plan_compare(roster, path, "残联", today=TODAY)
    error = raised.value
    assert error.reason == reason
    assert path.name in error.zh and zh in error.zh and en in error.en
    assert "花名册" not in error.zh or reason == "no-header"


def test_an_unknown_department_is_refused(roster, tmp_path):
    with pytest.raises(DepartmentListError) as raised:
        plan_compare(roster, disability_list(tmp_path), "公安", today=TODAY)
    assert raised.value.reason == "unknown-source" and "残联" in raised.value.zh


def run_cli(data: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(data), "monitor", "compare", *args])


def test_the_command_line_plans_applies_and_prints_json(roster, tmp_path, capsys):
    path = disability_list(tmp_path)
    assert run_cli(tmp_path, str(path), "--source", "残联", "--dry-run", "--json") == 1
    told = json.loads(capsys.readouterr().out)
    assert told["dry_run"] and not told["applied"] and told["exit_code"] == 1
    assert [p["household"] for p in told["proposals"]] == ["002", "005"]
    assert all(p["case"] is None for p in told["proposals"])
    assert {(u["row"], u["reason"]) for u in told["unmatched"]} >= {(7, "not-in-roster"),
                                                                    (10, "empty-id")}
    assert {(c["row"], c["field"], c["roster"]) for c in told["contradictions"]} == {
        (3, "health", "健康"), (6, "health", "健康"), (12, "name", "孙五")}
    with roster.reading() as conn:
        assert cases.cases(conn, open_only=True)[0].source == "农户申报"  # nothing written

    assert run_cli(tmp_path, str(path), "--source", "残联", "--json") == 1
    told = json.loads(capsys.readouterr().out)
    assert told["applied"] and all(p["case"] for p in told["proposals"])
    with roster.reading() as conn:
        written = {c.id for c in cases.cases(conn) if c.source == "部门预警"}
    assert written == {p["case"] for p in told["proposals"]}


def test_the_command_line_text_and_exit_codes(roster, tmp_path, capsys):
    matched = xlsx(tmp_path / "受灾.xlsx", [["姓名", "身份证号", "灾情"], ["王一", WANG, "洪涝"]])
    assert run_cli(tmp_path, str(matched), "--source", "应急") == 0
    out = capsys.readouterr().out
    assert "户 001 王一  因自然灾害" in out and "已写入 1 条" in out
    assert run_cli(tmp_path, str(disability_list(tmp_path)), "--source", "残联",
                   "--dry-run") == 1
    out = capsys.readouterr().out
    assert "第 7 行 陌生人" in out and "第 3 行 户 002 李二  健康状况" in out and "试运行" in out
    empty = xlsx(tmp_path / "空表.xlsx", [["姓名", "身份证号"]])
    assert run_cli(tmp_path, str(empty), "--source", "残联") == 2
    err = capsys.readouterr().err
    assert "空表.xlsx" in err and "row 1" in err
    assert run_cli(tmp_path, str(empty), "--source", "残联", "--json") == 2
    told = json.loads(capsys.readouterr().out)
    assert told["reason"] == "empty-list" and "空表.xlsx" in told["error"]


def test_a_workbook_of_sheets_with_a_two_row_header_names_each_row_by_sheet(roster, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "低保"
    sheet.append(["某县农村低保对象名单"])
    sheet.append(["序号", "户主姓名", "身份证号码\n(18位)", "保障类别", None])
    sheet.append([None, None, None, None, "金额"])
    for merged in ("A2:A3", "B2:B3", "C2:C3", "D2:D3"):
        sheet.merge_cells(merged)
    sheet.append([1, "王  一", f"{WANG[:6]} {WANG[6:]}", "A类", 300])
    other = book.create_sheet("特困")
    other.append(["姓名", "证件号码", "类别"])
    other.append(["陌生人", STRANGER, "特困"])
    path = tmp_path / "民政.xlsx"
    book.save(path)
    plan = plan_compare(roster, path, "民政", today=TODAY)
    [proposal] = plan.proposals
    assert proposal.household_code == "001" and "工作表“低保”第 4 行 王一" in proposal.clue
    assert "金额：300" in proposal.clue
    [stranger] = plan.unmatched
    assert (stranger.row.sheet, stranger.row.row, stranger.row.where_en) == (
        "特困", 2, "sheet '特困' row 2")
