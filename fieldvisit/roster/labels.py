"""The Chinese name of each stored field, as a cadre reads it.

Household and member fields are called what the county's roster calls them: the
national system's column header (``layout.COLUMNS``' first spelling, the one exports
write), so the history, the import report and the export say the same word. Fields no
roster column carries (row links, measures, problems) are named here, the words the
panel's tabs and the ledger show. One table, so a new screen that names a field asks
``field_label`` rather than keeping its own copy.
"""

from __future__ import annotations

from fieldvisit.roster.layout import COLUMNS_BY_FIELD

_ROSTER = {field: column.headers[0] for field, column in COLUMNS_BY_FIELD.items()}
_LINKS = {"village_id": "行政村", "group_id": "自然村/村民小组", "household_id": "户编号",
          "birth_date": "出生日期", "deleted": "已删除"}

LABELS: dict[str, dict[str, str]] = {
    "household": {**_ROSTER, **_LINKS, "note": "备注"},
    "member": {**_ROSTER, **_LINKS},
    "measure": {"kind": "类别", "detail": "具体内容", "amount_yuan": "金额（元/年）",
                "started_on": "开始日期", "ended_on": "结束日期", **_LINKS},
    "problem": {"category": "类别", "severity": "严重程度", "text": "问题", "status": "状态",
                "deadline": "整改期限", "responsible": "责任人", "opened_on": "发现日期",
                "member_id": "涉及成员", **_LINKS},
}


def field_label(entity: str, field: str) -> str:
    """``field``'s Chinese name on ``entity``; the field's own name when none is known
    (better an English word than a silently missing change)."""
    return LABELS.get(entity, {}).get(field, field)
