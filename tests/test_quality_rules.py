"""Roster data-quality rules: each fires on a crafted household, none on a clean one."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from fieldvisit import idcard
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.quality.rules import RULES, check_roster, problems_by_rule
from fieldvisit.store import Insert

TODAY = date(2026, 11, 1)
_serial = itertools.count(1)


def born(age: int, sex: str = "男") -> str:
    """A valid, never repeated ID of someone ``age`` years old on TODAY."""
    n = next(_serial)
    return idcard.make("522727", date(TODAY.year - age, 10, 1) - timedelta(days=n % 200),
                       (n % 499) * 2 + (1 if sex == "男" else 0))


def person(relation: str, age: int, sex: str, **fields) -> dict:
    number = born(age, sex)
    schooling = ("小学" if 6 <= age < 12 else "初中" if 12 <= age < 15 else
                 "高中" if 15 <= age < 18 else "非在校生")
    return {"name": f"王{relation}{next(_serial)}", "id_number": number, "relation": relation,
            "sex": sex, "birth_date": idcard.parse(number).birth_date, "schooling": schooling,
            "health": "健康",
            "labour_skill": "普通劳动力" if age >= 18 else "无劳动力",
            "resident_insurance": True, "employee_insurance": False, **fields}


def clean() -> tuple[dict, list[dict]]:
    """A 监测对象 (因病) family of four with every fact consistent."""
    n = next(_serial)
    household = {"code": f"522727100200{n:06d}", "hh_type": "一般农户",
                                        "monitored": True, "monitor_category": "边缘易致贫户",
                 "risk_types": "因病", "risk_eliminated": False,
                 "identified_on": TODAY - timedelta(days=400), "helper_name": "李帮扶",
                 "helper_unit": "县农业农村局", "helper_phone": "13900000000"}
    members = [
        person("户主", 45, "男", health="长期慢性病", phone=f"138{n:08d}"),
        person("配偶", 43, "女"),
        person("之子", 12, "男"),
        person("之女", 8, "女"),
    ]
    return household, members


def write(store, household: dict, members: list[dict]) -> str:
    village = Insert("village", {"name": "平里河村", "code": f"52272710{next(_serial):04d}"})
    row = Insert("household", {"village_id": village.id, **household})
    store.write([village, row, *(Insert("member", {"household_id": row.id, **m})
                                 for m in members)])
    return row.id


def set_id(member: dict, age: int, sex: str) -> None:
    member["id_number"] = born(age, sex)
    member["birth_date"] = idcard.parse(member["id_number"]).birth_date
    member["sex"] = sex


def _shared_phone(h, m):
    twin_household, twin = clean()
    twin[0]["phone"] = m[0]["phone"]
    return [(twin_household, twin)]


def _old(h, m):
    m.append(person("之祖母", 112, "女", labour_skill="无劳动力"))


def _parent_gap(h, m):
    set_id(m[3], 35, "女")
    m[3].update(schooling="非在校生", labour_skill="普通劳动力")


def _young_head(h, m):
    set_id(m[0], 15, "男")
    m[0].update(schooling="高中")
    del m[1:]


def _eliminated(h, m, days_ago=10, entered=400, labour="普通劳动力"):
    h.update(risk_eliminated=True, risk_eliminated_on=TODAY - timedelta(days=days_ago),
             identified_on=TODAY - timedelta(days=entered))
    for member in m:
        member["labour_skill"] = labour if member["labour_skill"] != "无劳动力" else "无劳动力"


CASES = {
    "id_missing": lambda h, m: m[1].update(id_number=None),
    "id_invalid": lambda h, m: m[1].update(
        id_number=m[1]["id_number"][:17] + ("0" if m[1]["id_number"][17] != "0" else "1")),
    "id_duplicate": lambda h, m: m.append(dict(m[1], name="王重复", relation="其他")),
    "name_empty": lambda h, m: m[1].update(name="　"),  # a full-width space: stored, empty
    "sex_vs_id": lambda h, m: m[0].update(sex="女"),
    "sex_vs_relation": lambda h, m: set_id(m[2], 12, "女"),
    "school_age_no_status": lambda h, m: m[3].update(schooling=None),
    "junior_secondary_age": lambda h, m: m[3].update(schooling="初中"),
    "preschool_past_entry": lambda h, m: m[3].update(schooling="学前教育"),
    "child_labour": lambda h, m: m[2].update(labour_skill="普通劳动力"),
    "student_labour": lambda h, m: m.append(person("之女", 17, "女", labour_skill="普通劳动力")),
    "insurance_unrecorded": lambda h, m: m[1].update(resident_insurance=None,
                                                     employee_insurance=None),
    "insurance_none": lambda h, m: m[1].update(resident_insurance=False),
    "insurance_both": lambda h, m: m[1].update(employee_insurance=True),
    "phone_malformed": lambda h, m: m[0].update(phone="12345"),
    "no_head": lambda h, m: m[0].update(relation="之兄弟姐妹"),
    "two_heads": lambda h, m: m[1].update(relation="户主"),
    "head_spouse_same_sex": lambda h, m: set_id(m[1], 43, "男"),
    "risk_disabled_none": lambda h, m: h.update(risk_types="因病、因残"),
    "risk_ill_none": lambda h, m: m[0].update(health="健康"),
    "risk_student_none": lambda h, m: (h.update(risk_types="因病、因学"), m.__delitem__(
        slice(2, None))),
    "risk_labour_enough": lambda h, m: h.update(risk_types="因病、缺劳动力"),
    "phone_shared": _shared_phone,
    "birth_date_vs_id": lambda h, m: m[1].update(birth_date=date(1990, 1, 1)),
    "sex_missing": lambda h, m: m[3].update(id_number=None, sex=None),
    "relation_missing": lambda h, m: m[3].update(relation=None),
    "too_old": _old,
    "parent_gap": _parent_gap,
    "head_too_young": _young_head,
    "household_empty": lambda h, m: m.clear(),
    "two_spouses": lambda h, m: m.append(person("配偶", 40, "女")),
    "helper_phone_malformed": lambda h, m: h.update(helper_phone="123"),
    "monitored_no_helper": lambda h, m: h.update(helper_name=None),
    "hh_type_unknown": lambda h, m: h.update(hh_type="监测户"),
    "monitored_no_category": lambda h, m: h.update(monitor_category=None),
    "category_vs_type": lambda h, m: h.update(hh_type="脱贫户"),  # 边缘易致贫户 is 一般农户
    "monitored_no_risk": lambda h, m: h.update(risk_types=None),
    "too_many_risks": lambda h, m: h.update(
        risk_types="因病、因自然灾害、因意外事故、因安全住房、其他：房屋漏雨"),
    "risk_unknown": lambda h, m: h.update(risk_types="因病、因懒"),
    "risk_other_no_remark": lambda h, m: h.update(risk_types="因病、其他"),
    "risk_not_monitored": lambda h, m: h.update(monitored=False, identified_on=None),
    "monitored_no_entry_date": lambda h, m: h.update(identified_on=None),
    "monitoring_dates": lambda h, m: h.update(identified_on=TODAY + timedelta(days=10)),
    "eliminated_no_date": lambda h, m: (_eliminated(h, m), h.update(risk_eliminated_on=None)),
    "eliminated_no_labour": lambda h, m: _eliminated(h, m, labour="丧失劳动力"),
    "eliminated_too_soon": lambda h, m: _eliminated(h, m, days_ago=10, entered=60),
    "disability_no_cert": lambda h, m: m[1].update(health="残疾"),
    "cert_vs_id": lambda h, m: m[1].update(health="残疾",
                                           disability_cert=m[0]["id_number"] + "11"),
    "cert_not_disabled": lambda h, m: m[1].update(disability_cert=m[1]["id_number"] + "11"),
}


def test_at_least_thirty_rules_each_crafted_here():
    assert len(RULES) >= 30
    assert set(CASES) == set(RULES)
    assert {rule.severity for rule in RULES.values()} <= {"high", "medium", "low"}


def test_a_clean_household_has_no_problem(store):
    household, members = clean()
    write(store, household, members)
    other, others = clean()
    other.update(monitored=False, risk_types=None, identified_on=None, risk_eliminated=None)
    write(store, other, others)
    eliminated, people = clean()
    _eliminated(eliminated, people, days_ago=30, entered=400)
    write(store, eliminated, people)
    with store.reading() as conn:
        assert check_roster(conn, TODAY) == []


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_rule_fires_on_a_crafted_household(store, rule):
    household, members = clean()
    extra = CASES[rule](household, members)
    hid = write(store, household, members)
    for other in extra if isinstance(extra, list) else ():
        write(store, *other)
    with store.reading() as conn:
        found = check_roster(conn, TODAY)
    mine = [p for p in found if p.rule == rule and p.household_id == hid]
    assert mine, f"{rule} did not fire; got {[p.rule for p in found]}"
    problem = mine[0]
    assert problem.message and problem.message_en and problem.field
    assert problem.severity == RULES[rule].severity
    assert problem.household_code == household["code"]
    if problem.member_id is not None:
        assert problem.member_id in _member_ids(store, hid)


def _member_ids(store, hid: str) -> set[str]:
    with store.reading() as conn:
        return {r[0] for r in conn.exec_driver_sql(
            "select id from member where household_id = ?", (hid,))}


def test_problems_can_be_limited_to_some_households_but_see_the_whole_roster(store):
    first, people = clean()
    twin_household, twin = clean()
    twin[0]["phone"] = people[0]["phone"]
    first_id = write(store, first, people)
    write(store, twin_household, twin)
    with store.reading() as conn:
        found = check_roster(conn, TODAY, household_ids=[first_id])
    assert [(p.rule, p.household_id) for p in found] == [("phone_shared", first_id)]
    assert twin_household["code"] in found[0].message


def test_thresholds_come_from_settings(store):
    household, members = clean()
    write(store, household, members)
    strict = Settings({**DEFAULT_SETTINGS, "parent_min_gap_years": 40})
    with store.reading() as conn:
        found = check_roster(conn, TODAY, strict)
    assert {p.rule for p in found} == {"parent_gap"}


def test_deleted_members_do_not_count(store):
    from fieldvisit.store import Update

    household, members = clean()
    members.append(person("配偶", 40, "女"))
    hid = write(store, household, members)
    with store.reading() as conn:
        assert [p.rule for p in check_roster(conn, TODAY)] == ["two_spouses"]
        second = conn.exec_driver_sql(
            "select id from member where household_id = ? and name = ?",
            (hid, members[-1]["name"])).scalar()
    store.write([Update("member", second, {"deleted": True})])
    with store.reading() as conn:
        assert check_roster(conn, TODAY) == []


def test_demo_village_has_only_the_deliberate_gaps(demo_store):
    """The demo leaves about 2% uninsured on purpose, and nothing else: a monitored
    household whose drawn risk types its members do not bear out gets its kind's risk
    that needs no family fact, never a bare 其他."""
    with demo_store.reading() as conn:
        found = check_roster(conn, date(2026, 11, 1))
        persons = conn.exec_driver_sql("select count(*) from member").scalar()
    counts = {rule: n for rule, n in problems_by_rule(found).items() if n}
    assert set(counts) == {"insurance_none"}
    assert 0 < counts["insurance_none"] <= persons * 0.06
