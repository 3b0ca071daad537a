"""What each department's warning list looks like and what it says about a person.

Departments (民政, 残联, 医保, 教育, 应急) send their own Excel lists, each with its own
column names, so everything that differs between them is data in ``SOURCES``: the
words a header may use for each column, the risk type the list implies, and the words
that mean a row warns of nothing (an 教育 list of pupils marks most as 在校). Only the
contradiction rules are code, one small function per fact, because each compares a
different roster field. Adding a department is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fieldvisit.roster.layout import COLUMNS_BY_FIELD

# Words every list may use for the person's name and ID (the roster's own synonyms,
# plus the ones department systems print).
NAME_HEADERS = (*COLUMNS_BY_FIELD["name"].headers, "救助对象姓名", "残疾人姓名", "参保人姓名",
                "患者姓名", "学生姓名", "受灾人姓名", "户主姓名", "申请人姓名", "人员姓名")
ID_HEADERS = (*COLUMNS_BY_FIELD["id_number"].headers, "公民身份证号", "公民身份证号码",
              "身份证件号", "学生身份证号", "参保人身份证号",
              "户主身份证号", "户主身份证号码", "申请人身份证号", "证件号码(身份证)")


@dataclass(frozen=True, slots=True)
class Fact:
    """One column of a list's key fact: its key and the header words naming it."""

    key: str
    label: str  # as the report and the clue show it
    headers: tuple[str, ...]
    in_clue: bool = True  # False: kept off the case (a 残疾证号 holds the ID number)


@dataclass(frozen=True, slots=True)
class Source:
    department: str  # as store.fields.DEPARTMENTS spells it
    list_name: str  # what the list is, for the clue ("残疾人名单")
    risk: str | None  # the risk type the list implies (None: the clue only)
    facts: tuple[Fact, ...]
    quiet: tuple[str, ...] = ()  # a fact cell that is one of these warns of nothing

    @property
    def fact_keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.facts)


def _fact(key: str, label: str, headers: str, in_clue: bool = True) -> Fact:
    return Fact(key, label, tuple(headers.split()), in_clue)


SOURCES: Mapping[str, Source] = {
    "民政": Source("民政", "低保/特困/临时救助名单", None, (
        _fact("aid", "救助类别", "救助类别 保障类别 救助类型 保障类型 享受类别 救助项目 "
              "对象类别 人员类别 类别 低保类别 特困类别 分类施保类别"),
        _fact("amount", "救助金额", "救助金额 保障金额 月保障金额 救助金额(元) 发放金额 金额"),
        _fact("since", "救助时间", "救助时间 纳入时间 审批时间 享受时间 救助日期"),
    )),
    "残联": Source("残联", "残疾人名单", "因残", (
        _fact("kind", "残疾类别", "残疾类别 残疾类型 残疾种类 残疾类别/等级 残疾情况"),
        _fact("grade", "残疾等级", "残疾等级 残疾级别 等级"),
        _fact("cert", "残疾证号", "残疾证号 残疾证号码 残疾人证号 残疾人证号码 持证号码",
              in_clue=False),
    )),
    "医保": Source("医保", "大额医疗支出名单", "因病", (
        _fact("self_pay", "个人自付", "自付金额 个人自付 个人自付金额 个人负担 个人负担金额 "
              "自付费用 政策范围内自付 合规自付 个人自付费用 自付金额(元)"),
        _fact("total", "医疗费用", "医疗费用 医疗总费用 总费用 医疗费用总额 费用总额 医疗费用(元)"),
        _fact("illness", "疾病", "疾病名称 病种 诊断 主要诊断 疾病诊断"),
    )),
    "教育": Source("教育", "辍学学生名单", "因学", (
        _fact("status", "在校情况", "在校情况 在校生状况 在校生情况 就学状况 学籍状态 是否辍学 "
              "辍学 辍学情况 辍学原因 就读情况"),
        _fact("school", "学校", "学校 就读学校 学校名称 原就读学校"),
        _fact("grade", "年级", "年级 就读年级 学段"),
    ), quiet=("在校", "正常", "在读", "否", "已复学", "复学", "已返校")),
    "应急": Source("应急", "受灾人员名单", "因自然灾害", (
        _fact("disaster", "灾情", "灾情 受灾情况 灾害类型 灾种 受灾类型 灾害种类 灾情类型 灾害"),
        _fact("loss", "损失", "损失情况 受灾程度 直接经济损失 经济损失 损失金额 房屋损坏情况"),
        _fact("on", "受灾时间", "受灾时间 灾害发生时间 发生时间 受灾日期"),
    )),
}

SOURCE_ALIASES = {"民政局": "民政", "残联（残疾人联合会）": "残联", "残疾人联合会": "残联",
                  "医保局": "医保", "医疗保障局": "医保", "教育局": "教育", "应急局": "应急",
                  "应急管理局": "应急"}


# ---- contradictions ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Finding:
    """A list's fact the roster contradicts: the roster field, its value, and why."""

    field: str  # the roster's field (health, schooling …)
    label: str  # the roster column as a cadre knows it
    roster_value: str | None
    zh: str
    en: str


# The 在校生状况 values that mean the child is at school (roster.vocab.SCHOOLING).
IN_SCHOOL = frozenset({"学前教育", "小学", "七年级", "八年级", "九年级", "初中", "高中", "中职",
                       "高职", "大专", "本科及以上"})

Person = Mapping[str, object]  # a roster member's fields
Rule = Callable[[Mapping[str, str], Person], Finding | None]


def _disabled_but_healthy(facts: Mapping[str, str], person: Person) -> Finding | None:
    if person.get("health") != "健康":
        return None
    said = facts.get("kind") or facts.get("grade") or "残疾"
    return Finding("health", "健康状况", "健康",
                   f"残联名单记为残疾（{said}），花名册健康状况为“健康”",
                   f"the 残联 list records a disability ({said}); the roster says 健康 (healthy)")


def _other_certificate(facts: Mapping[str, str], person: Person) -> Finding | None:
    listed, held = facts.get("cert"), person.get("disability_cert")
    if not listed or not held or "".join(listed.split()).upper() == str(held).upper():
        return None
    return Finding("disability_cert", "残疾证号", str(held),
                   f"残联名单的残疾证号为 {listed}，花名册为 {held}",
                   f"the 残联 list has disability certificate {listed}, the roster {held}")


def _spending_but_healthy(facts: Mapping[str, str], person: Person) -> Finding | None:
    if person.get("health") != "健康":
        return None
    said = facts.get("illness") or facts.get("self_pay") or "大额医疗支出"
    return Finding("health", "健康状况", "健康",
                   f"医保名单有大额医疗支出（{said}），花名册健康状况为“健康”",
                   f"the 医保 list records large medical spending ({said}); the roster says "
                   "健康 (healthy)")


def _dropout_but_at_school(facts: Mapping[str, str], person: Person) -> Finding | None:
    schooling = person.get("schooling")
    if schooling not in IN_SCHOOL:
        return None
    said = facts.get("status") or "辍学"
    return Finding("schooling", "在校生状况", str(schooling),
                   f"教育名单记为辍学（{said}），花名册在校生状况为“{schooling}”",
                   f"the 教育 list records a dropout ({said}); the roster says in school "
                   f"({schooling})")


RULES: Mapping[str, tuple[Rule, ...]] = {
    "残联": (_disabled_but_healthy, _other_certificate),
    "医保": (_spending_but_healthy,),
    "教育": (_dropout_but_at_school,),
}


def source_of(text: str) -> Source:
    """The source a ``--source`` names; a KeyError for one not in ``SOURCES``."""
    name = SOURCE_ALIASES.get(text.strip(), text.strip())
    return SOURCES[name]


def is_quiet(source: Source, facts: Mapping[str, str]) -> bool:
    """A row whose key fact says there is nothing to warn of (教育: 在校)."""
    said = facts.get(source.facts[0].key)
    return said is not None and "".join(said.split()) in source.quiet


def findings(source: Source, facts: Mapping[str, str], person: Person) -> list[Finding]:
    return [f for rule in RULES.get(source.department, ()) if (f := rule(facts, person))]
