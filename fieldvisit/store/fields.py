"""What every stored field may hold, checked wherever a row is written.

One rule set serves the cadre's own edits, roster imports and every row that arrives
from outside (a device bundle at the county, a return bundle or an enrollment file on a
laptop, an HTTP upload), because a bundle is signed by a device key that may be in a
malicious insider's hands: a photo digest that is not 64 hex digits becomes a path, a
name of ten megabytes lands on every card, a control character breaks a PDF or a CSV.

The rules come from the tables (type, length, NOT NULL), plus the formats and the closed
vocabularies below: values the program itself branches on. Everything else (户类型,
风险类型, relations …) is an open word the county may spell its own way, checked by the
roster's own rules, never refused here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Date, Integer, String, Table

from fieldvisit.errors import FieldVisitError

ID = re.compile(r"[0-9A-Za-z_\-]{1,32}")
DIGEST = re.compile(r"[0-9a-f]{64}")
CLOCK = re.compile(r"[0-9]{13}-[0-9]{5}-[0-9A-Za-z_.:\-]{0,64}")
# C0 controls but tab, line feed and carriage return (an address cell may hold a line
# break), and DEL: nothing a person types, everything that breaks a PDF, CSV or terminal.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MAX_TEXT = 20_000  # characters in a Text column: a note, a correction's reason
MAX_JSON = 4 * 1024 * 1024  # bytes of a JSON column (a visit's snapshot is ~20 KB)
MAX_ACTOR = 64
PHOTO_BYTES = 20 * 1024 * 1024
MEDIA_TYPES = ("image/jpeg", "image/png")
VISIT_STATUSES = ("draft", "completed")
CONFIRMATIONS = ("户主签字", "电话确认")
PROBLEM_STATUSES = ("待整改", "整改中", "待验收", "已销号")
VISIT_KINDS = ("日常走访", "遍访", "监测核实", "回访")
# 防返贫监测 (fieldvisit.monitoring): a case's kind, source, status; a step and its result
CASE_KINDS = ("纳入", "消除")
CASE_SOURCES = ("农户申报", "干部排查", "部门预警")
CASE_STATUSES = ("待确认", "办理中", "已纳入", "不纳入", "已消除", "未消除")
CASE_STEPS = ("入户核实", "信息比对", "民主评议", "村级公示", "乡镇审核", "县级审批")
STEP_RESULTS = ("通过", "不通过")
DEPARTMENTS = ("民政", "残联", "医保", "教育", "人社", "应急", "住建", "水利")
_INT_RANGE = (-(2**31), 2**31 - 1)

CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("visit", "status"): VISIT_STATUSES,
    ("visit", "confirmation"): CONFIRMATIONS,
    ("photo", "media_type"): MEDIA_TYPES,
    ("problem", "status"): PROBLEM_STATUSES,
    ("problem_step", "from_status"): PROBLEM_STATUSES,
    ("problem_step", "to_status"): PROBLEM_STATUSES,
    ("visit", "kind"): VISIT_KINDS,
    ("monitor_case", "kind"): CASE_KINDS,
    ("monitor_case", "source"): CASE_SOURCES,
    ("monitor_case", "status"): CASE_STATUSES,
    ("monitor_case", "department"): DEPARTMENTS,
    ("case_step", "step"): CASE_STEPS,
    ("case_step", "result"): STEP_RESULTS,
}
FORMATS: dict[tuple[str, str], tuple[re.Pattern[str], str, str]] = {
    ("photo", "sha256"): (DIGEST, "应为 64 位小写十六进制摘要", "must be a 64-digit lowercase "
                          "hex digest"),
}
# Columns holding another row's id without a foreign key (a member, a corrected visit).
ID_COLUMNS = {("visit", "corrects"), ("visit_answer", "instance"), ("problem", "member_id"),
              ("quality_dismissal", "member_id")}
RANGES = {("photo", "size"): (0, PHOTO_BYTES), ("measure", "amount_yuan"): (0, 10**9),
          ("case_step", "attendance"): (0, 100_000)}


class InvalidField(FieldVisitError, ValueError):
    """A value a field cannot hold; names the table and field (the caller adds the row)."""

    reason = "bad-field"

    def __init__(self, table: str, name: str, zh: str, en: str) -> None:
        super().__init__(f"{table}.{name}：{zh}", f"{table}.{name}: {en}")
        self.table, self.name = table, name


Check = Callable[[Any], tuple[str, str] | None]  # (zh, en) of what is wrong, or None


def check_values(table: Table, values: Mapping[str, Any]) -> None:
    """Refuse the first value of ``values`` (already converted to column types) that
    ``table`` cannot hold. Texts are checked for control characters all at once: a
    100,000-person import calls this for every row."""
    strings, checks = _rules(table)
    texts: list[str] = []
    for name, value in values.items():
        if value is None:
            continue
        limit = strings.get(name)
        if limit is not None:
            if type(value) is not str:
                raise _invalid(table, name, "应为文字", "must be text")
            if len(value) > limit:
                raise _invalid(table, name, f"超过 {limit} 个字", f"longer than {limit} "
                               "characters")
            texts.append(value)
        check = checks.get(name)
        if check is not None and (wrong := check(value)) is not None:
            raise _invalid(table, name, *wrong)
    if texts and CONTROL.search("".join(texts)):
        name = next(n for n, v in values.items() if n in strings and isinstance(v, str)
                    and CONTROL.search(v))
        raise _invalid(table, name, "含有控制字符", "holds control characters")


def text_column_holds(table: Table, name: str, values: list[Any]) -> bool:
    """Whether text column ``name`` can hold every one of ``values`` (None allowed):
    ``check_values``'s rules a column at a time, for bundles of tens of thousands of
    field changes. False says nothing of which one is wrong: ask ``check_values``."""
    strings, checks = _rules(table)
    limit = strings.get(name)
    present = [value for value in values if value is not None]
    if limit is None or not present:
        return limit is not None
    if set(map(type, present)) != {str} or max(map(len, present)) > limit \
            or CONTROL.search("".join(present)):
        return False
    check = checks.get(name)
    return check is None or not any(map(check, present))


def column_holds(table: Table, name: str, values: list[Any]) -> bool:
    """Whether column ``name`` can hold every one of ``values`` (converted to its type,
    None allowed): ``check_values`` a column at a time, for a batch of inserted rows."""
    strings, checks = _rules(table)
    if name in strings:
        return text_column_holds(table, name, values)
    check = checks.get(name)
    return check is None or not any(check(value) for value in values if value is not None)


def text_limits(table: Table) -> dict[str, int]:
    """Each text column's length, for a caller that fits values rather than fail."""
    return _rules(table)[0]


def check_required(table: Table, values: Mapping[str, Any]) -> None:
    """An inserted row names every field that must have a value and has no default."""
    for name in required(table):
        if values.get(name) is None:
            raise _invalid(table, name, "缺少必填内容", "is required")


def _invalid(table: Table, name: str, zh: str, en: str) -> InvalidField:
    return InvalidField(str(table.name), name, zh, en)


@cache
def _rules(table: Table) -> tuple[dict[str, int], dict[str, Check]]:
    """Per column: the length of a text column, and any further check of its value."""
    strings: dict[str, int] = {}
    checks: dict[str, Check] = {}
    for column in table.columns:
        key = (str(table.name), column.name)
        kind = column.type
        if isinstance(kind, String):  # Text is a String without a length
            strings[column.name] = kind.length or MAX_TEXT
            if key in CHOICES:
                checks[column.name] = _one_of(CHOICES[key])
            elif key in FORMATS:
                checks[column.name] = _matching(*FORMATS[key])
            elif column.foreign_keys or key in ID_COLUMNS:
                checks[column.name] = _matching(ID, "应为记录编号", "must be a row id")
        elif isinstance(kind, Integer):
            checks[column.name] = _integer(*RANGES.get(key, _INT_RANGE))
        elif isinstance(kind, Boolean):
            checks[column.name] = _typed(bool, "应为是或否", "must be yes or no")
        elif isinstance(kind, Date):
            checks[column.name] = _typed(date, "应为日期", "must be a date")
        elif isinstance(kind, JSON):
            checks[column.name] = _json_object
    return strings, checks


@cache
def required(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns
                 if not c.nullable and c.default is None and not c.primary_key
                 and c.name not in ("rev", "changed_by"))


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        if value in choices:
            return None
        listed = "、".join(choices)
        return f"应为{listed}之一", f"must be one of {', '.join(choices)}"
    return check


def _matching(pattern: re.Pattern[str], zh: str, en: str) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        return None if pattern.fullmatch(value) else (zh, en)
    return check


def _integer(low: int, high: int) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        if type(value) is not int:
            return "应为整数", "must be a whole number"
        return None if low <= value <= high else (f"应在 {low} 到 {high} 之间",
                                                  f"must lie between {low} and {high}")
    return check


def _typed(kind: type, zh: str, en: str) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        return None if isinstance(value, kind) else (zh, en)
    return check


def _json_object(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, dict):
        return "应为 JSON 对象", "must be a JSON object"
    if len(orjson.dumps(value)) > MAX_JSON:
        return f"超过 {MAX_JSON // 1024 // 1024} MB", f"larger than {MAX_JSON // 1024 // 1024} MB"
    return None
