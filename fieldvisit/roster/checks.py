"""Data-quality rules for members and households, shared by the importer and the editor.

The rules are the ones county checking tools apply: an invalid ID,
sex contradicting the ID or the relation, 户主 problems, age/schooling contradictions,
child labour capacity, phone numbers. Each problem says which field, what is wrong in
plain Chinese and in English, the offending value, and how serious it is:

- ``error``: the record cannot be stored as it is (the editor will not save it; the
  importer decides per problem what it can still store, see ``importer``);
- ``warning``: stored, but reported so the cadre can check it on the next visit. A
  household with no 户主 or two is a warning: it is a real household to visit, and the
  cadre fixes the relation in the app (``quality.rules`` keeps it listed until then).

Choices made here:

- Sex contradicting a *valid* ID is a warning, not an error: the national system derives
  sex from the ID, and an ID that passes the check digit is far more reliable than a
  hand-typed 性别 cell. The problem carries ``fix`` (the sex from the ID), which the
  importer stores instead.
- Phone numbers: a mobile (``^1[3-9]\\d{9}$``) or a landline with its area code
  (``0854-1234567``, dash optional) is accepted. Many older villagers are reached on the
  family's fixed line; flagging it would push cadres to "correct" a number that works.
- Age limits are settings (``CheckSettings``) with the national defaults, because
  provinces differ (enrolment at 6, or 7 where local conditions require).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from fieldvisit import idcard
from fieldvisit.roster.vocab import (
    FEMALE_RELATIONS,
    HEAD,
    MALE_RELATIONS,
    NO_LABOUR,
    split_risks,
)

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"

JUNIOR_SECONDARY = frozenset({"初中", "七年级", "八年级", "九年级"})
STUDYING = frozenset({"小学", "高中", "中职", "高职", "大专", "本科及以上"}) | JUNIOR_SECONDARY
CAN_WORK = frozenset({"普通劳动力", "技能劳动力"})
PRESCHOOL = frozenset({"学龄前儿童", "学前教育"})
SPOUSE = "配偶"

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
# 残疾人证号: the holder's 18-character ID, the category (1 视力 2 听力 3 言语 4 肢体 5 智力
# 6 精神 7 多重) and the grade (一级 to 四级).
_DISABILITY_CERT = re.compile(r"(\d{17}[\dX])[1-7][1-4]")


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """Age limits of the rules; provincial practice may differ from these defaults."""

    compulsory_ages: tuple[int, int] = (6, 15)
    junior_secondary_ages: tuple[int, int] = (12, 17)
    working_age: int = 16


DEFAULT_SETTINGS = CheckSettings()


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One broken rule. ``member`` is the index (in the list checked) of the member a
    household-level problem is about; ``fix`` is the value stored instead, if any."""

    field: str
    message: str
    message_en: str
    value: object = None
    severity: Severity = WARNING
    member: int | None = None
    fix: object = None


def normalise_phone(text: object) -> str:
    """Fold full-width digits, drop spaces, a +86 prefix and dashes inside a mobile number."""
    if text is None:
        return ""
    cleaned = "".join(unicodedata.normalize("NFKC", str(text)).split())
    if cleaned.startswith("+86"):
        cleaned = cleaned[3:]
    undashed = cleaned.replace("-", "")
    return undashed if _MOBILE.fullmatch(undashed) else cleaned


def phone_problem(text: object, field: str = "phone") -> FieldProblem | None:
    """None for an empty, mobile or landline number; otherwise a warning."""
    number = normalise_phone(text)
    if not number or _MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number):
        return None
    return FieldProblem(
        field,
        f"电话号码“{number}”格式不对：手机号应为 1 开头的 11 位数字，固定电话应带区号"
        "（如 0854-1234567）",
        f"phone number '{number}' is malformed: a mobile number has 11 digits starting "
        "with 1, a landline needs its area code (e.g. 0854-1234567)",
        text,
    )


def normalise_cert(text: object) -> str:
    """A 残疾证号 as stored: full-width folded, no spaces, a lower-case x upper-cased."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).upper()


def disability_cert_problems(cert: object, ident: idcard.IdNumber | None,
                             typed: Collection[str] = ()) -> list[FieldProblem]:
    """A 残疾证号 that is not an 18-character ID followed by the category (1–7) and the
    grade (1–4): an error while the cadre types it, a warning in an import (the person
    is still imported). One whose ID part is not the member's own ID is a warning only:
    the ID may be the one that is wrong."""
    number = normalise_cert(cert)
    if not number:
        return []
    found = _DISABILITY_CERT.fullmatch(number)
    if found is None:
        return [FieldProblem(
            "disability_cert",
            f"残疾证号“{number}”格式不对：应为 18 位身份证号加 1 位残疾类别（1–7）"
            "和 1 位残疾等级（1–4），共 20 位",
            f"the disability certificate number '{number}' is malformed: it is the 18-digit "
            "ID number followed by the category (1–7) and the grade (1–4), 20 characters",
            cert, ERROR if "disability_cert" in typed else WARNING)]
    if ident is not None and found.group(1) != ident.number:
        return [FieldProblem(
            "disability_cert",
            f"残疾证号“{number}”的前 18 位与本人身份证号不一致，请核对",
            f"the first 18 characters of the disability certificate number '{number}' are "
            "not this person's ID number; please check", cert)]
    return []


def id_taken_problem(number: str, holder: str, household_code: str) -> FieldProblem:
    """One person, one ID: a number typed for a member that another member holds."""
    return FieldProblem(
        "id_number",
        f"此身份证号已登记为户 {household_code} 的 {holder}；一人只能登记一次",
        f"this ID number is already registered for {holder} of household {household_code}; "
        "a person can be registered only once",
        number, ERROR)


def member_problems(
    fields: Mapping[str, object], today: date, settings: CheckSettings = DEFAULT_SETTINGS,
    *, typed: Collection[str] = (),
) -> list[FieldProblem]:
    """Problems of one member, given its fields by ``Member`` column name.

    Fields absent from the mapping are not checked (an import file may lack the column);
    fields present but empty are. ``typed`` names the fields a cadre is typing right now
    in the editor: a malformed phone is then an error to correct on the spot, while in an
    import it is only reported (a household is not rejected over a phone typo).
    """
    return check_member(fields, today, settings, typed=typed)[1]


def check_member(
    fields: Mapping[str, object], today: date, settings: CheckSettings = DEFAULT_SETTINGS,
    *, typed: Collection[str] = (),
) -> tuple[idcard.IdNumber | None, list[FieldProblem]]:
    """``member_problems`` plus the parsed ID, for callers that need both (the importer
    parses 100,000 IDs and cannot afford to do it twice)."""
    problems: list[FieldProblem] = []
    if not str(fields.get("name") or "").strip():
        problems.append(FieldProblem("name", "姓名为空", "the name is empty", None, ERROR))
    ident = None
    try:
        ident = idcard.parse(fields.get("id_number"), today=today)
    except idcard.IdNumberError as error:
        problems.append(FieldProblem("id_number", error.zh, error.en,
                                     fields.get("id_number"), ERROR))
    sex = fields.get("sex") or None
    if ident and sex and sex != ident.sex:
        problems.append(FieldProblem(
            "sex",
            f"性别填的是“{sex}”，但身份证号第 17 位表明是{ident.sex}性；"
            f"按身份证号记为“{ident.sex}”",
            f"sex is given as '{sex}' but the ID's 17th digit says "
            f"{_SEX_EN[ident.sex]}; the sex from the ID is used",
            sex, WARNING, fix=ident.sex,
        ))
    problems += _relation_sex(fields.get("relation"), ident.sex if ident else sex)
    birth = ident.birth_date if ident else fields.get("birth_date")
    if isinstance(birth, date):
        problems += _age_rules(fields, idcard.age_on(birth, today), settings)
    problems += _insurance(fields)
    if "disability_cert" in fields:
        problems += disability_cert_problems(fields.get("disability_cert"), ident, typed)
    phone = phone_problem(fields.get("phone"))
    if phone:
        problems.append(replace(phone, severity=ERROR) if "phone" in typed else phone)
    return ident, problems


_SEX_EN = {"男": "male", "女": "female"}


def _relation_sex(relation: object, sex: object) -> list[FieldProblem]:
    expected = ("男" if relation in MALE_RELATIONS else
                "女" if relation in FEMALE_RELATIONS else None)
    if expected is None or sex not in _SEX_EN or sex == expected:
        return []
    return [FieldProblem(
        "sex",
        f"与户主关系是“{relation}”，性别却是“{sex}”",
        f"the relation '{relation}' implies {_SEX_EN[expected]}, but the sex is "
        f"{_SEX_EN[str(sex)]}",
        sex,
    )]


def _age_rules(
    fields: Mapping[str, object], age: int, settings: CheckSettings
) -> list[FieldProblem]:
    problems = []
    schooling = fields.get("schooling") or None
    labour = fields.get("labour_skill") or None
    low, high = settings.junior_secondary_ages
    if schooling in JUNIOR_SECONDARY and not low <= age <= high:
        problems.append(FieldProblem(
            "schooling",
            f"{age} 岁在读“{schooling}”不合常理（初中一般为 {low}–{high} 岁）",
            f"aged {age} and in '{schooling}', outside the usual {low}–{high} for "
            "junior secondary school",
            schooling,
        ))
    low, high = settings.compulsory_ages
    if "schooling" in fields and low <= age <= high and schooling in (None, "非在校生"):
        shown = schooling or "空"
        problems.append(FieldProblem(
            "schooling",
            f"{age} 岁属义务教育年龄，在校生状况却为“{shown}”；请填写在读学段或未入学原因",
            f"aged {age}, of compulsory-school age, but the schooling status is "
            f"'{schooling or 'empty'}'; record the school stage or the reason",
            schooling,
        ))
    if schooling in PRESCHOOL and low < age <= high:
        problems.append(FieldProblem(
            "schooling",
            f"{age} 岁已过入学年龄，在校生状况仍为“{schooling}”；请核实是否入学或填写未入学原因",
            f"aged {age}, past school entry, but still recorded as '{schooling}'; check "
            "whether the child is enrolled or record the reason",
            schooling,
        ))
    if labour and labour not in NO_LABOUR:
        if age < settings.working_age:
            problems.append(FieldProblem(
                "labour_skill",
                f"{age} 岁未满 {settings.working_age} 岁，劳动技能却是“{labour}”",
                f"aged {age}, under {settings.working_age}, but the labour skill is "
                f"'{labour}'",
                labour,
            ))
        elif schooling in STUDYING:
            problems.append(FieldProblem(
                "labour_skill",
                f"在校生（{schooling}）的劳动技能应为“无劳动力”，这里是“{labour}”",
                f"a student ({schooling}) should be recorded as having no labour capacity, "
                f"not '{labour}'",
                labour,
            ))
    return problems


def _insurance(fields: Mapping[str, object]) -> list[FieldProblem]:
    if "resident_insurance" not in fields:
        return []
    resident = fields.get("resident_insurance")
    employee = fields.get("employee_insurance")
    if resident and employee:
        return [FieldProblem(
            "resident_insurance",
            "城乡居民医保和城镇职工医保不能同时参加",
            "enrolled in both resident and employee basic medical insurance",
            resident,
        )]
    if resident or employee:
        return []
    if resident is None:
        return [FieldProblem("resident_insurance", "基本医疗保险参保情况未填写",
                             "basic medical insurance enrolment is not recorded", None)]
    return [FieldProblem("resident_insurance", "未参加基本医疗保险",
                         "not enrolled in any basic medical insurance", resident)]


def household_problems(
    members: Sequence[Mapping[str, object]], household: Mapping[str, object] | None = None
) -> list[FieldProblem]:
    """Problems of a household as a whole: its 户主, 户主 and 配偶, risk types vs facts.

    ``members`` hold ``Member`` fields (sex already taken from the ID where valid);
    ``household`` the ``Household`` fields, for the risk-type rules.
    """
    problems: list[FieldProblem] = []
    heads = [i for i, m in enumerate(members) if m.get("relation") == HEAD]
    if not heads:
        problems.append(FieldProblem(
            "relation", "没有户主（与户主关系中没有“户主”）：请在花名册或本机中指定户主",
            "the household has no head (no '户主' relation): name the head in the roster "
            "or in the app", None))
    elif len(heads) > 1:
        for index in heads[1:]:
            problems.append(FieldProblem(
                "relation",
                f"有 {len(heads)} 个户主，只能有一个：请在花名册或本机中只留一个户主",
                f"the household has {len(heads)} heads; keep exactly one in the roster or "
                "in the app", HEAD, member=index,
            ))
    else:
        head_sex = members[heads[0]].get("sex")
        for index, member in enumerate(members):
            if member.get("relation") == SPOUSE and head_sex and member.get("sex") == head_sex:
                problems.append(FieldProblem(
                    "sex", f"户主和配偶性别相同（都是“{head_sex}”）",
                    f"the head and the spouse have the same sex ({_SEX_EN.get(str(head_sex))})",
                    head_sex, member=index,
                ))
    if household is not None:
        problems += _risk_facts(members, split_risks(str(household.get("risk_types") or "")))
    return problems


def _risk_facts(members: Sequence[Mapping[str, object]], risks: list[str]) -> list[FieldProblem]:
    """Only facts that were recorded count: without a 健康状况 column nothing is known."""

    def known(key: str) -> bool:
        return any(key in m for m in members)

    def health_has(*words: str) -> bool:
        return any(w in str(m.get("health") or "") for m in members for w in words)

    contradictions = []
    if "因残" in risks and known("health") and not health_has("残疾"):
        contradictions.append(("因残", "家中没有残疾成员", "no member is disabled"))
    if "因病" in risks and known("health") and not health_has("长期慢性病", "患有大病"):
        contradictions.append(("因病", "家中没有患病成员", "no member is ill"))
    if ("因学" in risks and known("schooling")
            and not any(m.get("schooling") in STUDYING for m in members)):
        contradictions.append(("因学", "家中没有在校生", "no member is a student"))
    able = sum(1 for m in members if m.get("labour_skill") in CAN_WORK)
    if "缺劳动力" in risks and able * 4 > len(members):
        contradictions.append(("缺劳动力", f"{len(members)} 人中有 {able} 人有劳动能力",
                               f"{able} of {len(members)} members can work"))
    return [
        FieldProblem("risk_types", f"风险类型“{risk}”与实际不符：{zh}",
                     f"risk type '{risk}' contradicts the facts: {en}", risk)
        for risk, zh, en in contradictions
    ]
