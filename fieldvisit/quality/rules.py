"""Data-quality rules over the whole roster, as county checking tools apply them.

``check_roster`` reads every live household and member in two bulk selects and checks
them in plain Python, so 100,000 persons take a few seconds at most. Rules that already
exist for the importer and the editor (``fieldvisit.roster.checks``) are called, not
copied: their problems are only given a rule id here. The rules that need the whole
roster (one ID twice, one phone in several households), monitoring dates and the
relations between members are written here.

Every problem names its rule, household, member (or None for the household), field, a
plain-Chinese message with the values in it, the English message and a severity in the
vocabulary of the problem ledger: ``high`` (the record is wrong, fix it first),
``medium`` (contradictory, check on the next visit), ``low`` (incomplete or unusual).
``RULES`` lists every rule with its title; tests/test_quality_rules.py fires each one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from fieldvisit import idcard
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.roster import checks
from fieldvisit.roster.checks import PRESCHOOL, SPOUSE, FieldProblem
from fieldvisit.roster.membership import CURRENT
from fieldvisit.roster.vocab import (
    CATEGORY_TYPE,
    HEAD,
    HOUSEHOLD_TYPES,
    MAX_RISK_TYPES,
    MONITOR_CATEGORIES,
    NO_LABOUR,
    RISK_TYPES,
    split_risks,
)
from fieldvisit.store.models import Household, Member

HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: str
    title: str
    title_en: str


@dataclass(frozen=True, slots=True)
class QualityProblem:
    rule: str
    household_id: str
    household_code: str
    member_id: str | None
    field: str
    message: str
    message_en: str
    severity: str
    value: object = None


_RULE_LIST = (
    # called from fieldvisit.roster.checks (member)
    Rule("id_missing", HIGH, "身份证号为空", "ID number missing"),
    Rule("id_invalid", HIGH, "身份证号无效", "ID number invalid"),
    Rule("id_duplicate", HIGH, "身份证号重复登记", "ID number registered twice"),
    Rule("name_empty", HIGH, "姓名为空", "name empty"),
    Rule("sex_vs_id", MEDIUM, "性别与身份证号不符", "sex contradicts the ID"),
    Rule("sex_vs_relation", MEDIUM, "性别与户主关系不符", "sex contradicts the relation"),
    Rule("school_age_no_status", MEDIUM, "义务教育年龄无在校状况",
         "compulsory-school age without schooling status"),
    Rule("junior_secondary_age", MEDIUM, "初中在读年龄不合常理",
         "junior secondary outside the usual ages"),
    Rule("preschool_past_entry", MEDIUM, "过入学年龄仍为学前", "preschool past school entry"),
    Rule("child_labour", MEDIUM, "未满 16 岁有劳动能力", "under 16 with labour capacity"),
    Rule("student_labour", MEDIUM, "在校生不是无劳动力", "student not recorded as no labour"),
    Rule("insurance_unrecorded", MEDIUM, "医保参保未填写", "medical insurance not recorded"),
    Rule("insurance_none", HIGH, "未参加基本医疗保险", "no basic medical insurance"),
    Rule("insurance_both", MEDIUM, "同时参加居民医保和职工医保", "both medical insurances"),
    Rule("phone_malformed", LOW, "电话号码格式不对", "phone number malformed"),
    # called from fieldvisit.roster.checks (household)
    Rule("no_head", HIGH, "没有户主", "no head of household"),
    Rule("two_heads", HIGH, "多个户主", "more than one head"),
    Rule("head_spouse_same_sex", MEDIUM, "户主与配偶同性别", "head and spouse of the same sex"),
    Rule("risk_disabled_none", MEDIUM, "因残但无残疾成员", "因残 without a disabled member"),
    Rule("risk_ill_none", MEDIUM, "因病但无患病成员", "因病 without an ill member"),
    Rule("risk_student_none", MEDIUM, "因学但无在校生", "因学 without a student"),
    Rule("risk_labour_enough", MEDIUM, "缺劳动力但劳动力超过四分之一",
         "缺劳动力 while more than a quarter can work"),
    # written here
    Rule("phone_shared", MEDIUM, "同一电话登记在不同户", "one phone in several households"),
    Rule("birth_date_vs_id", MEDIUM, "出生日期与身份证号不符", "birth date contradicts the ID"),
    Rule("sex_missing", LOW, "性别为空且无有效身份证号", "sex missing without a valid ID"),
    Rule("relation_missing", MEDIUM, "与户主关系为空", "relation missing"),
    Rule("too_old", MEDIUM, "年龄超过上限", "older than plausible"),
    Rule("parent_gap", MEDIUM, "父母与子女年龄差过小", "parent and child too close in age"),
    Rule("head_too_young", MEDIUM, "户主未满 16 岁", "head under 16"),
    Rule("household_empty", HIGH, "户内没有成员", "household without members"),
    Rule("two_spouses", MEDIUM, "多个配偶", "more than one spouse"),
    Rule("helper_phone_malformed", LOW, "帮扶责任人电话格式不对", "helper phone malformed"),
    Rule("monitored_no_helper", MEDIUM, "监测对象无帮扶责任人", "monitored without a helper"),
    Rule("hh_type_unknown", MEDIUM, "户类型不是脱贫户或一般农户", "household type not standard"),
    Rule("monitored_no_category", MEDIUM, "监测对象无监测对象类别",
         "monitored without a category"),
    Rule("category_vs_type", MEDIUM, "监测对象类别与户类型不符", "category contradicts the type"),
    Rule("monitored_no_risk", MEDIUM, "监测对象无风险类型", "monitored without a risk type"),
    Rule("too_many_risks", MEDIUM, "风险类型超过 4 个", "more than four risk types"),
    Rule("risk_unknown", MEDIUM, "风险类型不在规定范围", "unknown risk type"),
    Rule("risk_other_no_remark", LOW, "风险类型“其他”无说明", "risk type 其他 without remark"),
    Rule("risk_not_monitored", LOW, "非监测对象填了风险类型",
         "risk types on a household not monitored"),
    Rule("monitored_no_entry_date", MEDIUM, "监测对象无纳入监测时间",
         "monitored without an entry date"),
    Rule("monitoring_dates", MEDIUM, "监测日期不合理", "monitoring dates implausible"),
    Rule("eliminated_no_date", LOW, "风险消除无消除时间", "risk eliminated without a date"),
    Rule("eliminated_no_labour", MEDIUM, "风险消除但无劳动能力",
         "risk eliminated with no labour capacity"),
    Rule("eliminated_too_soon", MEDIUM, "纳入监测不足 6 个月即风险消除",
         "risk eliminated under six months after entry"),
    Rule("disability_no_cert", LOW, "残疾但无残疾证号", "disabled without a certificate"),
    Rule("cert_vs_id", MEDIUM, "残疾证号与身份证号不符", "disability certificate not matching"),
    Rule("cert_not_disabled", LOW, "有残疾证号但健康状况非残疾",
         "certificate while not recorded as disabled"),
)
RULES: dict[str, Rule] = {rule.id: rule for rule in _RULE_LIST}

_MEMBER_COLUMNS = (
    Member.id, Member.household_id, Member.name, Member.id_number, Member.relation,
    Member.sex, Member.birth_date, Member.schooling, Member.health, Member.disability_cert,
    Member.labour_skill, Member.resident_insurance, Member.employee_insurance, Member.phone,
)
_HOUSEHOLD_COLUMNS = (
    Household.id, Household.code, Household.hh_type, Household.monitored,
    Household.monitor_category, Household.risk_types, Household.risk_other,
    Household.risk_eliminated, Household.identified_on, Household.risk_eliminated_on,
    Household.helper_name, Household.helper_phone,
)
_CHECKED = ("name", "id_number", "relation", "sex", "birth_date", "schooling", "labour_skill",
            "resident_insurance", "employee_insurance", "phone")
_RISK_RULES = {"因残": "risk_disabled_none", "因病": "risk_ill_none", "因学": "risk_student_none",
               "缺劳动力": "risk_labour_enough"}
_PARENTS = frozenset({"之父", "之母"})
_CHILDREN = frozenset({"之子", "之女"})


def check_roster(
    conn: Connection, today: date, settings: Mapping[str, float] = DEFAULT_SETTINGS,
    household_ids: Iterable[str] | None = None,
) -> list[QualityProblem]:
    """Every data-quality problem of the live roster (or of these households), in
    household code order. Shared phones and duplicate IDs are always judged against the
    whole roster."""
    settings = {**DEFAULT_SETTINGS, **settings}
    members: dict[str, list[dict]] = defaultdict(list)
    for row in conn.execute(select(*_MEMBER_COLUMNS).where(CURRENT)
                            .order_by(Member.household_id, Member.id)):
        members[row.household_id].append(row._asdict())
    households = [row._asdict() for row in conn.execute(
        select(*_HOUSEHOLD_COLUMNS).where(Household.deleted.is_(False))
        .order_by(Household.code))]
    codes = {h["id"]: h["code"] for h in households}
    wanted = None if household_ids is None else set(household_ids)
    run = _Run(today, settings, codes)
    for household in households:
        people = members.get(household["id"], [])
        run.household(household, people, wanted is None or household["id"] in wanted)
    run.roster_wide(wanted)
    order = {h["id"]: n for n, h in enumerate(households)}
    run.found.sort(key=lambda p: order[p.household_id])
    return run.found


def problems_by_rule(problems: Sequence[QualityProblem]) -> dict[str, int]:
    counts = dict.fromkeys(RULES, 0)
    for problem in problems:
        counts[problem.rule] += 1
    return counts


class _Run:
    """One pass over the roster: per-household checks, then roster-wide ones."""

    def __init__(self, today: date, settings: Mapping[str, float], codes: dict[str, str]):
        self.today = today
        self.settings = settings
        self.codes = codes
        self.check_settings = checks.CheckSettings(
            compulsory_ages=(int(settings["school_age_min"]), int(settings["school_age_max"])),
            working_age=int(settings["head_min_age"]))
        self.found: list[QualityProblem] = []
        self.ids: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.phones: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    def add(self, rule: str, household_id: str, member_id: str | None, field: str,
            message: str, message_en: str, value: object = None) -> None:
        self.found.append(QualityProblem(rule, household_id, self.codes.get(household_id, ""),
                                         member_id, field, message, message_en,
                                         RULES[rule].severity, value))

    def add_field(self, rule: str, household_id: str, member_id: str | None,
                  problem: FieldProblem) -> None:
        self.add(rule, household_id, member_id, problem.field, problem.message,
                 problem.message_en, problem.value)

    # ---- one household ---------------------------------------------------------------

    def household(self, household: dict, people: list[dict], report: bool) -> None:
        hid = household["id"]
        checked: list[dict] = []
        ages: list[int | None] = []
        for person in people:
            ident, age = self.member(hid, person, report)
            checked.append({**person, "sex": ident.sex if ident else person["sex"]})
            ages.append(age)
            if ident:
                self.ids[ident.number].append((hid, person["id"], person["name"]))
            phone = checks.normalise_phone(person["phone"])
            if phone:
                self.phones[phone][hid].append(person["id"])
        if not report:
            return
        if not people:
            self.add("household_empty", hid, None, "member", "本户没有任何成员",
                     "the household has no members")
        else:
            for problem in checks.household_problems(checked, household):
                self.add_field(_household_rule(problem), hid,
                               _member_at(people, problem.member), problem)
            self.relations(hid, people, ages)
        self.monitoring(household, checked)

    def member(self, hid: str, person: dict, report: bool
               ) -> tuple[idcard.IdNumber | None, int | None]:
        fields = {key: person[key] for key in _CHECKED}
        ident, problems = checks.check_member(fields, self.today, self.check_settings)
        birth = ident.birth_date if ident else person["birth_date"]
        age = idcard.age_on(birth, self.today) if birth else None
        if not report:
            return ident, age
        mid = person["id"]
        for problem in problems:
            self.add_field(_member_rule(problem, person, age, self.check_settings), hid, mid,
                           problem)
        if ident and person["birth_date"] and person["birth_date"] != ident.birth_date:
            self.add("birth_date_vs_id", hid, mid, "birth_date",
                     f"出生日期 {person['birth_date']} 与身份证号中的 {ident.birth_date} 不符",
                     f"the birth date {person['birth_date']} differs from "
                     f"{ident.birth_date} in the ID", person["birth_date"])
        if not ident and not person["sex"]:
            self.add("sex_missing", hid, mid, "sex", "性别为空，且身份证号无效无法推断",
                     "the sex is empty and cannot be taken from an invalid ID")
        if not person["relation"]:
            self.add("relation_missing", hid, mid, "relation", "与户主关系为空",
                     "the relation to the head is empty")
        limit = self.settings["person_max_age"]
        if age is not None and age > limit:
            self.add("too_old", hid, mid, "birth_date", f"年龄 {age} 岁，超过 {limit:g} 岁，请核实",
                     f"aged {age}, over {limit:g}; please check", age)
        self.disability(hid, person, ident)
        return ident, age

    def disability(self, hid: str, person: dict, ident: idcard.IdNumber | None) -> None:
        cert = (person["disability_cert"] or "").strip().upper()
        disabled = "残疾" in (person["health"] or "")
        mid = person["id"]
        if disabled and not cert:
            self.add("disability_no_cert", hid, mid, "disability_cert",
                     "健康状况为残疾，但没有残疾证号", "disabled but no certificate number")
        elif cert and not disabled:
            self.add("cert_not_disabled", hid, mid, "health",
                     f"有残疾证号，健康状况却是“{person['health'] or '空'}”",
                     f"has a disability certificate but the health is "
                     f"'{person['health'] or 'empty'}'", person["health"])
        if cert and ident and (cert[:18] != ident.number or len(cert) not in (18, 20)):
            self.add("cert_vs_id", hid, mid, "disability_cert",
                     f"残疾证号“{cert}”应为身份证号加 2 位残疾类别和等级",
                     f"the certificate '{cert}' should be the ID number and two digits "
                     "(kind and grade)", cert)

    def relations(self, hid: str, people: list[dict], ages: list[int | None]) -> None:
        heads = [(p, a) for p, a in zip(people, ages, strict=True) if p["relation"] == HEAD]
        spouses = [p for p in people if p["relation"] == SPOUSE]
        for spouse in spouses[1:]:
            self.add("two_spouses", hid, spouse["id"], "relation",
                     f"本户有 {len(spouses)} 个配偶", f"the household has {len(spouses)} spouses",
                     SPOUSE)
        if len(heads) != 1:
            return
        head, head_age = heads[0]
        if head_age is None:
            return
        minimum = self.settings["head_min_age"]
        if head_age < minimum:
            self.add("head_too_young", hid, head["id"], "relation",
                     f"户主 {head_age} 岁，未满 {minimum:g} 岁", f"the head is {head_age}, "
                     f"under {minimum:g}", head_age)
        gap = self.settings["parent_min_gap_years"]
        for person, age in zip(people, ages, strict=True):
            if age is None:
                continue
            relation = person["relation"]
            if relation in _PARENTS:
                older, younger = age, head_age
            elif relation in _CHILDREN:
                older, younger = head_age, age
            else:
                continue
            if older - younger < gap:
                self.add("parent_gap", hid, person["id"], "birth_date",
                         f"{relation}（{age} 岁）与户主（{head_age} 岁）的年龄差不足 {gap:g} 岁",
                         f"'{relation}' aged {age} and the head aged {head_age} differ by "
                         f"less than {gap:g} years", age)

    def monitoring(self, household: dict, members: list[dict]) -> None:
        hid = household["id"]
        monitored = bool(household["monitored"])
        risks = split_risks(household["risk_types"])
        self.status(household)
        problem = checks.phone_problem(household["helper_phone"], field="helper_phone")
        if problem:
            self.add_field("helper_phone_malformed", hid, None, problem)
        if monitored and not (household["helper_name"] or "").strip():
            self.add("monitored_no_helper", hid, None, "helper_name",
                     "监测对象没有帮扶责任人", "a monitored household has no helper")
        if monitored and not risks:
            self.add("monitored_no_risk", hid, None, "risk_types", "监测对象没有填写风险类型",
                     "a monitored household has no risk type")
        if not monitored and risks:
            self.add("risk_not_monitored", hid, None, "risk_types",
                     "不是监测对象，却填了风险类型（脱贫户当年的致贫原因请填在“致贫原因”）",
                     "not monitored but has risk types (a 脱贫户's historical cause belongs "
                     "in 致贫原因)", household["risk_types"])
        if len(risks) > MAX_RISK_TYPES:
            self.add("too_many_risks", hid, None, "risk_types",
                     f"风险类型有 {len(risks)} 个，最多 {MAX_RISK_TYPES} 个",
                     f"{len(risks)} risk types, at most {MAX_RISK_TYPES}", household["risk_types"])
        for risk in risks:
            if risk == "其他" and not (household["risk_other"] or "").strip():
                self.add("risk_other_no_remark", hid, None, "risk_types",
                         "风险类型为“其他”，请在“其他风险说明”写明具体原因",
                         "risk type 其他 needs a remark (其他风险说明)", risk)
            elif risk != "其他" and risk not in RISK_TYPES and not _remarked_other(risk):
                self.add("risk_unknown", hid, None, "risk_types",
                         f"风险类型“{risk}”不在规定的类型中", f"'{risk}' is not a known risk type",
                         risk)
        self.dates(household, members, monitored)

    def status(self, household: dict) -> None:
        """户类型 and 监测对象类别 as the national system has them (an import keeps a
        county's unknown word as written: this is where it is asked to be fixed)."""
        hid, hh_type = household["id"], household["hh_type"]
        category = household["monitor_category"]
        if hh_type not in HOUSEHOLD_TYPES:
            self.add("hh_type_unknown", hid, None, "hh_type",
                     f"户类型“{hh_type}”应为脱贫户或一般农户", f"户类型 '{hh_type}' should be "
                     "脱贫户 or 一般农户", hh_type)
        if not household["monitored"]:
            return
        if not category:
            self.add("monitored_no_category", hid, None, "monitor_category",
                     "监测对象没有监测对象类别", "a monitored household has no category")
        elif category not in MONITOR_CATEGORIES:
            self.add("monitored_no_category", hid, None, "monitor_category",
                     f"监测对象类别“{category}”应为{'、'.join(MONITOR_CATEGORIES)}之一",
                     f"category '{category}' is not one of the three", category)
        implied = CATEGORY_TYPE.get(category or "")
        if implied and hh_type in HOUSEHOLD_TYPES and hh_type != implied:
            self.add("category_vs_type", hid, None, "monitor_category",
                     f"{category}应为{implied}，这一户的户类型是{hh_type}",
                     f"a {category} is a {implied}, this household is a {hh_type}", category)

    def dates(self, household: dict, members: list[dict], monitored: bool) -> None:
        hid = household["id"]
        entered, eliminated_on = household["identified_on"], household["risk_eliminated_on"]
        if monitored and not entered:
            self.add("monitored_no_entry_date", hid, None, "identified_on",
                     "监测对象没有纳入监测时间", "a monitored household has no entry date")
        for field, day in (("identified_on", entered), ("risk_eliminated_on", eliminated_on)):
            if day and day > self.today:
                self.add("monitoring_dates", hid, None, field, f"日期 {day} 在未来",
                         f"the date {day} is in the future", day)
        if entered and eliminated_on and eliminated_on < entered:
            self.add("monitoring_dates", hid, None, "risk_eliminated_on",
                     f"风险消除时间 {eliminated_on} 早于纳入监测时间 {entered}",
                     f"risk eliminated on {eliminated_on}, before entry on {entered}",
                     eliminated_on)
        if not household["risk_eliminated"]:
            return
        if not eliminated_on:
            self.add("eliminated_no_date", hid, None, "risk_eliminated_on",
                     "已标记风险消除，但没有风险消除时间",
                     "risk marked eliminated without a date")
        skills = [m["labour_skill"] for m in members if m["labour_skill"]]
        if skills and all(skill in NO_LABOUR for skill in skills):
            self.add("eliminated_no_labour", hid, None, "risk_eliminated",
                     "已风险消除，但家中没有人有劳动能力；请核实是否有稳定收入或兜底保障",
                     "risk eliminated although nobody can work; check for stable income or "
                     "social assistance", True)
        months = int(self.settings["risk_elimination_months"])
        end = eliminated_on or self.today
        if entered and end >= entered and add_months(entered, months) > end:
            self.add("eliminated_too_soon", hid, None, "risk_eliminated_on",
                     f"{entered} 纳入监测，{end} 即风险消除，不足 {months} 个月",
                     f"entered on {entered} and eliminated on {end}, under {months} months",
                     end)

    # ---- the whole roster ------------------------------------------------------------

    def roster_wide(self, wanted: set[str] | None) -> None:
        for number, holders in self.ids.items():
            first_hid, _first_mid, first_name = holders[0]
            for hid, mid, _name in holders[1:]:
                if wanted is None or hid in wanted:
                    self.add_field("id_duplicate", hid, mid, checks.id_taken_problem(
                        number, first_name, self.codes.get(first_hid, "")))
        for phone, by_household in self.phones.items():
            if len(by_household) < 2:
                continue
            others = sorted(self.codes.get(h, "") for h in by_household)
            for hid, mids in by_household.items():
                if wanted is not None and hid not in wanted:
                    continue
                rest = "、".join(code for code in others if code != self.codes.get(hid))
                for mid in mids:
                    self.add("phone_shared", hid, mid, "phone",
                             f"电话 {phone} 也登记在户 {rest}；请核实是否为本人电话",
                             f"the phone {phone} is also registered in household(s) {rest}; "
                             "check it is this person's", phone)


def _member_rule(problem: FieldProblem, person: dict, age: int | None,
                 settings: checks.CheckSettings) -> str:
    """The rule id of a problem ``checks.check_member`` reported."""
    field = problem.field
    if field == "name":
        return "name_empty"
    if field == "id_number":
        return "id_invalid" if idcard.normalise(person["id_number"]) else "id_missing"
    if field == "sex":
        return "sex_vs_id" if problem.fix is not None else "sex_vs_relation"
    if field == "schooling":
        value = problem.value
        return ("junior_secondary_age" if value in checks.JUNIOR_SECONDARY else
                "preschool_past_entry" if value in PRESCHOOL else "school_age_no_status")
    if field == "labour_skill":
        return "child_labour" if age is not None and age < settings.working_age \
            else "student_labour"
    if field == "resident_insurance":
        return ("insurance_both" if problem.value else
                "insurance_unrecorded" if problem.value is None else "insurance_none")
    if field == "phone":
        return "phone_malformed"
    raise ValueError(f"unexpected member problem on {field!r}: {problem.message_en}")


def _household_rule(problem: FieldProblem) -> str:
    """The rule id of a problem ``checks.household_problems`` reported."""
    if problem.field == "relation":
        return "no_head" if problem.value is None else "two_heads"
    if problem.field == "sex":
        return "head_spouse_same_sex"
    if problem.field == "risk_types" and problem.value in _RISK_RULES:
        return _RISK_RULES[str(problem.value)]
    raise ValueError(f"unexpected household problem on {problem.field!r}: {problem.message_en}")


def _member_at(people: list[dict], index: int | None) -> str | None:
    return None if index is None else people[index]["id"]


def _remarked_other(risk: str) -> bool:
    """'其他：房屋漏雨' or '其他（…）': 其他 with its reason written after it."""
    return risk[:2] == "其他" and risk[2:3] in ("：", ":", "（", "(") and bool(
        risk[3:].strip("）) "))


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (negative: back), the 31st kept as the month's last."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
