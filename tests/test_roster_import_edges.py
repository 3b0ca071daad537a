"""County files that bend the rules in ways a plain roster does not: each case once
moved a person, dropped a fact or duplicated a village before it was fixed."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from conftest import DEMO_DAY
from openpyxl import Workbook
from sqlalchemy import select

from fieldvisit import idcard
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


def test_a_monitored_kind_column_beside_the_household_type_wins(store, tmp_path):
    plan = imported(store, xlsx(tmp_path / "types.xlsx", [
        [*HEADER, "户类型", "监测对象类别"],
        ["001", "王一", person_id(1970, 11), "户主", "新寨村", "脱贫户", "脱贫不稳定户"],
        ["002", "王二", person_id(1971, 13), "户主", "新寨村", "一般户", "无"],
    ]))
    assert plan.ignored_columns == [] and plan.errors == []
    with store.reading() as conn:
        types = dict(conn.execute(select(Household.code, Household.hh_type)).all())
    assert types == {"001": "脱贫不稳定户", "002": "一般户"}


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
