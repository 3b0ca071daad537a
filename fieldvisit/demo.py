"""A synthetic demo village: the app's embedded default and the benchmarks' data source.

Realistic enough to exercise every screen: valid IDs whose birth dates and sex agree
with ages and relations, three-generation families, about a third 脱贫户 and a tenth
监测对象 with risk types, helpers covering 5–10 households each, and names with rare
characters (生僻字) such as 㛃 and 䶮 that only a font with CJK Ext-A shows. 脱贫户 and
监测对象 enjoy 2–4 measures that follow from their facts (因病 → 健康/医保, a student →
教育/雨露计划 …), some with an ended one in their history.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from fieldvisit import idcard
from fieldvisit.roster.checks import CAN_WORK, STUDYING
from fieldvisit.roster.vocab import (
    CATEGORY_TYPE,
    MONITOR_CATEGORIES,
    ORDINARY,
    RISK_SEPARATOR,
    TUOPIN,
    split_risks,
)
from fieldvisit.store import Edit, Insert, Store

COUNTY = ("522727", "平塘县")
TOWNSHIP = ("522727100", "平舟镇")
VILLAGE_NAMES = ("平里河村", "六硐村", "新寨村", "甲青村", "京舟村", "掌布村")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷"
    "龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
)
GIVEN = (
    "德明华建国平志强英秀兰芳军伟丽红玉金海林春云梅兴福贵荣珍美成光永富祥凤桂生文丹娟"
    "勇刚亮新宝霞琴燕飞龙涛斌鹏辉俊杰敏静婷雪晶慧佳欣宇浩然睿轩梓涵子萱"
)
RARE = "㛃䶮㻞䲜㙦䒟"
WORKS = ("在家务农", "县内务工", "省内县外务工", "省外务工", "公益性岗位", "无")
UNITS = ("县农业农村局", "县教育局", "县卫生健康局", "县水务局", "镇人民政府", "县财政局")
RISKS_BY_KIND = {
    "脱贫不稳定户": ("因病", "因残", "因务工就业不稳", "缺劳动力"),
    "边缘易致贫户": ("因病", "因学", "因自然灾害", "因产业项目失败"),
    "突发严重困难户": ("因病", "因意外事故", "因自然灾害", "因安全住房"),
}
# Measures a family may get whatever its facts: (kind, detail, yuan a year or None).
WORK_MEASURES = (
    ("公益岗位", "护林员 每月500元", 6000), ("公益岗位", "村保洁员 每月600元", 7200),
    ("就业帮扶", "外出务工一次性交通补助", 500), ("就业帮扶", "职业技能培训（电工）", None),
)
ANY_MEASURES = (
    ("产业帮扶", "产业奖补 种植茶叶3亩", 2000), ("产业帮扶", "养牛2头 以奖代补", 3000),
    ("产业帮扶", "入股合作社 年底分红", 600), ("生态补偿", "退耕还林补助 3亩", 450),
    ("金融/小额信贷", "脱贫人口小额信贷5万元 3年期 财政贴息", None),
)
ENDED_MEASURES = (
    ("危房改造", "D级危房拆除重建 补助3.5万元"),
    ("金融/小额信贷", "小额信贷3万元 已按期还清"),
    ("产业帮扶", "种植辣椒5亩 产业奖补"),
)
SCHOOL_AID = {  # the highest stage a student is at -> what it brings
    "本科及以上": ("大学新生入学资助", 1000), "大专": ("雨露计划 高职补助", 3000),
    "高职": ("雨露计划 高职补助", 3000), "中职": ("雨露计划 中职补助", 3000),
    "高中": ("普通高中国家助学金", 2000), "初中": ("义务教育寄宿生生活补助", 1250),
    "小学": ("义务教育营养改善计划", 1000),
}


@dataclass
class _Person:
    name: str
    relation: str
    sex: str
    birth: date


def populate(store: Store, households: int = 200, seed: int = 7, today: date | None = None,
             actor: str = "演示数据") -> int:
    """Write a demo county/township/villages with ``households`` households; returns persons."""
    edits = list(demo_edits(households, seed, today or date.today()))
    store.write(edits, actor=actor)
    return sum(1 for e in edits if e.entity == "member")


def demo_edits(households: int, seed: int, today: date) -> list[Edit]:
    rng = random.Random(seed)
    county = Insert("county", {"code": COUNTY[0], "name": COUNTY[1]})
    township = Insert("township", {"code": TOWNSHIP[0], "name": TOWNSHIP[1],
                                   "county_id": county.id})
    edits: list[Edit] = [county, township]
    per_village = 600
    village_count = max(1, -(-households // per_village))
    used_ids: set[str] = set()
    # Measures draw from their own generator, so adding them left every household,
    # member and helper of a given seed exactly as before.
    measures_rng = random.Random(f"measures-{seed}")
    for v in range(village_count):
        village = Insert("village", {
            "code": f"{TOWNSHIP[0]}{200 + v:03d}",
            "name": VILLAGE_NAMES[v % len(VILLAGE_NAMES)] + ("" if v < 6 else str(v // 6)),
            "township_id": township.id,
        })
        groups = [Insert("village_group", {"village_id": village.id, "name": f"{g}组"})
                  for g in range(1, rng.randint(5, 9))]
        edits += [village, *groups]
        count = min(per_village, households - v * per_village)
        helpers = _helpers(rng, count)
        for n in range(1, count + 1):
            code = f"{village.fields['code']}{n:06d}"
            group = rng.choice(groups)
            family = _household(rng, today, code, village.id, group, helpers[n - 1], used_ids)
            edits += family + _measures(measures_rng, today, family)
    return edits


def _helpers(rng: random.Random, households: int) -> list[tuple[str, str, str]]:
    """Each helper takes 5–10 households; the last share is sized so nobody gets fewer."""
    assigned: list[tuple[str, str, str]] = []
    while len(assigned) < households:
        left = households - len(assigned)
        share = rng.randint(5, 10)
        if left <= 10 and left - share < 5:
            share = left
        helper = (_name(rng, rng.choice("男女")), rng.choice(UNITS), _phone(rng))
        assigned += [helper] * share
    return assigned


def _household(rng: random.Random, today: date, code: str, village_id: str, group: Insert,
               helper: tuple[str, str, str], used_ids: set[str]) -> list[Edit]:
    roll = rng.random()
    category = rng.choice(MONITOR_CATEGORIES) if 0.30 <= roll < 0.40 else None
    # a 突发严重困难户 is now and then a 脱贫户 as well (the two are separate fields)
    hh_type = (TUOPIN if roll < 0.30 else
               CATEGORY_TYPE.get(category or "", TUOPIN if code.endswith("3") else ORDINARY)
               if category else ORDINARY)
    risks = []
    if category:
        risks = rng.sample(RISKS_BY_KIND[category], rng.randint(1, 2))
    household = Insert("household", {
        "village_id": village_id, "group_id": group.id, "code": code,
        "address": f"{group.fields['name']}{rng.randint(1, 120)}号", "hh_type": hh_type,
        "monitored": category is not None, "monitor_category": category,
        "helper_name": helper[0], "helper_unit": helper[1], "helper_phone": helper[2],
    })
    members = []
    for person in _family(rng, today):
        while True:
            number = idcard.make(COUNTY[0], person.birth, _sequence(rng, person.sex))
            if number not in used_ids:
                used_ids.add(number)
                break
        members.append(Insert("member", _member_fields(rng, today, person, number,
                                                       household.id, risks)))
    if category:
        risks = _borne_out(risks, [m.fields for m in members], RISKS_BY_KIND[category])
        household.fields.update({
            "risk_types": RISK_SEPARATOR.join(risks), "risk_eliminated": False,
            "identified_on": today - timedelta(days=rng.randint(60, 900)),
        })
    return [household, *members]


def _borne_out(risks: list[str], members: list[dict], kind_risks: tuple[str, ...]) -> list[str]:
    """Keep the risk types the family's facts support (因学 needs a student, 缺劳动力 few
    workers), as a county checking tool would demand; when none is, the kind's first
    risk that needs no family fact (e.g. 因务工就业不稳) stands in."""
    workers = sum(m["labour_skill"] in CAN_WORK for m in members)
    supported = {
        "因学": any(m["schooling"] in STUDYING for m in members),
        "缺劳动力": workers * 4 <= len(members),
        "因病": any(m["health"] in ("长期慢性病", "患有大病") for m in members),
        "因残": any(m["health"] == "残疾" for m in members),
    }
    kept = [risk for risk in risks if supported.get(risk, True)]
    return kept or [next(risk for risk in kind_risks if risk not in supported)]


def _measures(rng: random.Random, today: date, family: list[Edit]) -> list[Edit]:
    """2–4 current measures for a 脱贫户 or 监测对象: first what its facts call for, then
    a few any family may get; about one in four also has one that has ended."""
    household, members = family[0], [edit.fields for edit in family[1:]]
    if household.fields["hh_type"] == ORDINARY and not household.fields["monitored"]:
        return []
    chosen = _due_measures(household.fields, members, today)[:4]
    pool = list(ANY_MEASURES)
    if any(m["labour_skill"] in CAN_WORK for m in members):
        pool += WORK_MEASURES
    rng.shuffle(pool)
    wanted = max(len(chosen), rng.randint(2, 4))
    for measure in pool:
        if len(chosen) >= wanted:
            break
        if measure[0] not in {kind for kind, _, _ in chosen}:
            chosen.append(measure)
    since = household.fields.get("identified_on") or today - timedelta(days=6 * 365)
    edits: list[Edit] = [Insert("measure", {
        "household_id": household.id, "kind": kind, "detail": detail, "amount_yuan": amount,
        "started_on": since + timedelta(days=rng.randint(0, max(0, (today - since).days - 30)))})
        for kind, detail, amount in chosen]
    ended_kinds = [m for m in ENDED_MEASURES if m[0] not in {kind for kind, _, _ in chosen}]
    if rng.random() < 0.25 and ended_kinds:
        kind, detail = rng.choice(ended_kinds)
        ended = today - timedelta(days=rng.randint(200, 900))
        edits.append(Insert("measure", {
            "household_id": household.id, "kind": kind, "detail": detail,
            "started_on": ended - timedelta(days=rng.randint(300, 1100)), "ended_on": ended}))
    return edits


def _due_measures(household: dict, members: list[dict],
                  today: date) -> list[tuple[str, str, int | None]]:
    """The measures the household's risks and members call for, the risk-linked first."""
    risks = split_risks(household.get("risk_types"))
    due: list[tuple[str, str, int | None]] = []
    if "因病" in risks or any(m["health"] == "患有大病" for m in members):
        due.append(("健康/医保", "门诊慢特病报销 家庭医生签约 医疗救助", 3000))
    if "因安全住房" in risks:
        due.append(("危房改造", "C级危房加固改造 补助1.5万元", None))
    if "缺劳动力" in risks:
        due.append(("低保/特困", f"农村低保 {len(members)}人 每人每月300元",
                    len(members) * 3600))
    stages = [m["schooling"] for m in members if m["schooling"] in SCHOOL_AID]
    if stages:
        detail, amount = SCHOOL_AID[min(stages, key=list(SCHOOL_AID).index)]
        due.append(("教育/雨露计划", detail, amount))
    if any(m["health"] == "残疾" for m in members):
        due.append(("残疾人补贴", "困难残疾人生活补贴 重度残疾人护理补贴", 1080))
    elderly = sum(idcard.age_on(m["birth_date"], today) >= 60 for m in members)
    if elderly:
        due.append(("养老保险", f"城乡居民基础养老金 {elderly}人", elderly * 1800))
    return due


def _sequence(rng: random.Random, sex: str) -> int:
    n = rng.randint(0, 499) * 2
    return n + 1 if sex == "男" else n


def _family(rng: random.Random, today: date) -> list[_Person]:
    head_sex = "男" if rng.random() < 0.85 else "女"
    head_age = rng.randint(26, 82)
    head = _Person(_name(rng, head_sex), "户主", head_sex, _birth(rng, today, head_age))
    family = head.name[0]
    people = [head]
    if head_age < 75 and rng.random() < 0.85:
        sex = "女" if head_sex == "男" else "男"
        age = max(20, head_age + rng.randint(-5, 4))
        people.append(_Person(_name(rng, sex), "配偶", sex, _birth(rng, today, age)))
    if 20 <= head_age <= 65:
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            sex = rng.choice("男女")
            age = rng.randint(0, max(0, head_age - 20))
            people.append(_Person(_name(rng, sex, family), "之子" if sex == "男" else "之女",
                                  sex, _birth(rng, today, age)))
    if head_age <= 50 and rng.random() < 0.35:
        for sex in rng.sample(["男", "女"], rng.randint(1, 2)):
            age = head_age + rng.randint(22, 32)
            people.append(_Person(_name(rng, sex, family if sex == "男" else None),
                                  "之父" if sex == "男" else "之母", sex, _birth(rng, today, age)))
    if head_age >= 55 and rng.random() < 0.5:
        people.append(_Person(_name(rng, "女"), "之儿媳", "女",
                              _birth(rng, today, head_age - rng.randint(24, 32))))
        for _ in range(rng.randint(1, 2)):
            sex = rng.choice("男女")
            people.append(_Person(_name(rng, sex, family),
                                  "之孙子" if sex == "男" else "之孙女", sex,
                                  _birth(rng, today, rng.randint(0, 16))))
    return people


def _member_fields(rng: random.Random, today: date, person: _Person, number: str,
                   household_id: str, risks: list[str]) -> dict:
    age = idcard.age_on(person.birth, today)
    health = rng.choices(("健康", "长期慢性病", "患有大病", "残疾"), (80, 12, 3, 5))[0]
    if "因病" in risks and person.relation == "户主":
        health = "长期慢性病"
    if "因残" in risks and person.relation == "户主":
        health = "残疾"
    schooling, education = _schooling(rng, age)
    labour = _labour(rng, age, health, schooling)
    return {
        "household_id": household_id, "name": person.name, "id_number": number,
        "relation": person.relation, "sex": person.sex, "birth_date": person.birth,
        "ethnicity": rng.choices(("汉族", "布依族", "苗族", "水族", "毛南族"),
                                 (40, 35, 15, 7, 3))[0],
        "education": education, "schooling": schooling, "health": health,
        "disability_cert": f"{number}{rng.randint(1, 7)}{rng.randint(1, 4)}"
        if health == "残疾" else None,
        "labour_skill": labour,
        "employment": rng.choice(WORKS) if labour in ("普通劳动力", "技能劳动力") else None,
        "resident_insurance": rng.random() > 0.02,
        "employee_insurance": False,
        "serious_illness_insurance": rng.random() > 0.03,
        "phone": _phone(rng) if person.relation == "户主" or (age >= 18 and rng.random() < 0.3)
        else None,
    }


def _schooling(rng: random.Random, age: int) -> tuple[str | None, str | None]:
    if age < 3:
        return "学龄前儿童", None
    if age < 6:
        return "学前教育", None
    if age < 12:
        return "小学", None
    if age < 15:
        return "初中", "小学"
    if age < 18:
        return rng.choice(("高中", "中职")), "初中"
    if age < 22 and rng.random() < 0.4:
        return rng.choice(("高职", "大专", "本科及以上")), "高中"
    return "非在校生", rng.choices(("文盲或半文盲", "小学", "初中", "高中", "大专"),
                                  (8, 30, 40, 15, 7))[0]


def _labour(rng: random.Random, age: int, health: str, schooling: str | None) -> str:
    if age < 16 or (schooling and schooling != "非在校生"):
        return "无劳动力"
    if health in ("残疾", "患有大病") and rng.random() < 0.6:
        return "丧失劳动力"
    if age >= 65:
        return "弱劳动力或半劳动力"
    return "技能劳动力" if rng.random() < 0.2 else "普通劳动力"


def _name(rng: random.Random, sex: str, surname: str | None = None) -> str:
    """A name; ``surname`` for the head's blood line (children, grandchildren, father)."""
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    if rng.random() < 0.03:
        given = given[:-1] + rng.choice(RARE)
    return (surname or rng.choice(SURNAMES)) + given


def _birth(rng: random.Random, today: date, age: int) -> date:
    return today - timedelta(days=age * 365 + rng.randint(1, 360))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
