"""Data-quality rules shared by the importer and the household editor."""

from __future__ import annotations

from datetime import date

import pytest

from fieldvisit import idcard
from fieldvisit.roster.checks import (
    CheckSettings,
    household_problems,
    member_problems,
    normalise_phone,
    phone_problem,
)

TODAY = date(2026, 11, 1)


def born(age: int, sex: str = "男") -> str:
    """A valid ID of someone ``age`` years old on TODAY."""
    return idcard.make("522727", date(TODAY.year - age, 3, 1), 11 if sex == "男" else 12)


def problems(**fields) -> list[tuple[str, str, str]]:
    return [(p.field, p.severity, p.message) for p in member_problems(fields, TODAY)]


@pytest.mark.parametrize("text", ["13812345678", "138 1234 5678", "138-1234-5678",
                                  "１３８１２３４５６７８", "+8613812345678", "0854-1234567",
                                  "08541234567", "010-12345678", "", None])
def test_phone_accepts_mobiles_and_landlines(text):
    assert phone_problem(text) is None


@pytest.mark.parametrize("text", ["1381234567", "12812345678", "138123456789", "电话坏了"])
def test_phone_rejects_malformed_numbers(text):
    problem = phone_problem(text, field="helper_phone")
    assert problem is not None
    assert (problem.field, problem.severity) == ("helper_phone", "warning")
    assert "格式不对" in problem.message and "malformed" in problem.message_en


def test_phone_normalised_for_storage():
    assert normalise_phone(" 138-1234-5678 ") == "13812345678"
    assert normalise_phone("0854-1234567") == "0854-1234567"


def test_a_consistent_member_has_no_problem():
    assert problems(name="王一", id_number=born(40), sex="男", relation="户主",
                    schooling="非在校生", labour_skill="普通劳动力", phone="13812345678",
                    resident_insurance=True, employee_insurance=False) == []


def test_invalid_or_excel_mangled_id_is_an_error():
    bad = born(40)[:17] + ("0" if born(40)[17] != "0" else "1")
    assert problems(name="王一", id_number=bad)[0][:2] == ("id_number", "error")
    mangled = member_problems({"name": "王一", "id_number": float(born(40)[:17] + "1")}, TODAY)
    assert "Excel" in mangled[0].message and mangled[0].severity == "error"
    assert problems(name="", id_number=born(40))[0][:2] == ("name", "error")


def test_sex_contradicting_the_id_is_a_warning_fixed_from_the_id():
    [problem] = member_problems({"name": "王一", "id_number": born(40, "男"), "sex": "女"}, TODAY)
    assert (problem.field, problem.severity, problem.fix) == ("sex", "warning", "男")


def test_what_the_cadre_is_typing_must_be_right_now():
    """In the editor a typed phone is checked strictly; an import only reports it."""
    fields = {"name": "王一", "id_number": born(40, "男"), "phone": "1381234567"}
    imported = {p.field: p.severity for p in member_problems(fields, TODAY)}
    typed = {p.field: p.severity for p in member_problems(fields, TODAY, typed={"phone"})}
    assert imported == {"phone": "warning"} and typed == {"phone": "error"}
    untouched = member_problems(fields, TODAY, typed={"name"})
    assert {p.severity for p in untouched} == {"warning"}


def test_sex_contradicting_the_relation():
    assert problems(name="王一", id_number=born(10, "男"), relation="之女") == [
        ("sex", "warning", "与户主关系是“之女”，性别却是“男”")]


@pytest.mark.parametrize("age,schooling,expected", [
    (13, "初中", []),
    (10, "初中", ["schooling"]),
    (18, "八年级", ["schooling"]),
    (12, None, ["schooling"]),
    (12, "非在校生", ["schooling"]),
    (9, "送教上门", []),
    (5, None, []),
    (16, None, []),
    (6, "学前教育", []),  # enrolment at 6, or at 7 where local conditions require
    (9, "学龄前儿童", ["schooling"]),
    (7, "学前教育", ["schooling"]),
])
def test_age_and_schooling(age, schooling, expected):
    fields = {"name": "王一", "id_number": born(age), "schooling": schooling}
    assert [f for f, *_ in problems(**fields)] == expected


def test_no_schooling_column_means_no_schooling_rule():
    assert problems(name="王一", id_number=born(12)) == []


def test_children_and_students_have_no_labour_capacity():
    assert problems(name="王一", id_number=born(14), schooling="初中",
                    labour_skill="普通劳动力")[0][:2] == ("labour_skill", "warning")
    assert problems(name="王一", id_number=born(19), schooling="大专",
                    labour_skill="普通劳动力")[0][0] == "labour_skill"
    assert problems(name="王一", id_number=born(14), schooling="初中",
                    labour_skill="无劳动力") == []


def test_medical_insurance():
    assert problems(name="王一", id_number=born(40), resident_insurance=True,
                    employee_insurance=True)[0][2] == "城乡居民医保和城镇职工医保不能同时参加"
    assert problems(name="王一", id_number=born(40), resident_insurance=None)[0][2] == (
        "基本医疗保险参保情况未填写")
    assert problems(name="王一", id_number=born(40), resident_insurance=False,
                    employee_insurance=False)[0][2] == "未参加基本医疗保险"
    assert problems(name="王一", id_number=born(40), resident_insurance=False,
                    employee_insurance=True) == []


def test_settings_move_the_age_limits():
    late_enrolment = CheckSettings(compulsory_ages=(7, 15))
    fields = {"name": "王一", "id_number": born(6), "schooling": None}
    assert member_problems(fields, TODAY)
    assert member_problems(fields, TODAY, late_enrolment) == []


def member(relation: str, sex: str, **more) -> dict:
    return {"relation": relation, "sex": sex, **more}


def test_household_needs_exactly_one_head():
    [none] = household_problems([member("配偶", "女"), member("之子", "男")])
    assert (none.field, none.severity, none.member) == ("relation", "warning", None)
    [two] = household_problems([member("户主", "男"), member("户主", "女")])
    assert (two.severity, two.member, two.message) == (
        "warning", 1, "有 2 个户主，只能有一个：请在花名册或本机中只留一个户主")
    assert household_problems([member("户主", "男"), member("配偶", "女")]) == []


def test_head_and_spouse_of_the_same_sex():
    [same] = household_problems([member("户主", "女"), member("之子", "男"), member("配偶", "女")])
    assert (same.field, same.severity, same.member) == ("sex", "warning", 2)


def test_risk_types_against_the_facts():
    people = [member("户主", "男", health="健康", labour_skill="普通劳动力", schooling="非在校生"),
              member("配偶", "女", health="健康", labour_skill="普通劳动力", schooling="非在校生")]
    found = household_problems(people, {"risk_types": "因病、因残、因学、缺劳动力"})
    assert [p.value for p in found] == ["因残", "因病", "因学", "缺劳动力"]
    assert all(p.field == "risk_types" and p.severity == "warning" for p in found)
    # facts not recorded are not contradicted
    bare = [member("户主", "男"), member("配偶", "女")]
    assert household_problems(bare, {"risk_types": "因病、因残、因学"}) == []
