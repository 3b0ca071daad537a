"""``fieldvisit visits export``: visits, the rectification ledger and monitoring
suggestions as one workbook for county reporting.

Three sheets a county clerk can filter and sum: 走访记录 (one row per visit), 问题台账
(one row per problem, with overdue marked) and 监测建议 (each household's latest completed
visit: does the screening suggest 监测, and which kind). No ID numbers or phones: the
file travels by e-mail and USB.

A completed visit's household (head, type, village) and suggestion are the ones it kept
at completion (``visits.snapshot``), not today's; a draft shows the household as it is.
The 记录依据 column says which: a visit completed before snapshots were kept is rebuilt
from current data and says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, Row, func, select

from fieldvisit import collector
from fieldvisit.checklist.forms import FormSet
from fieldvisit.checklist.settings import Settings
from fieldvisit.roster import queries
from fieldvisit.roster.exporter import Book, Sheet, streamed_book
from fieldvisit.roster.villages import find
from fieldvisit.store import Store
from fieldvisit.store.models import Problem, Village, Visit
from fieldvisit.visits import ledger, snapshot, visit
from fieldvisit.visits.snapshot import Snapshot

SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
STATUS_ZH = {visit.DRAFT: "草稿", visit.COMPLETED: "已完成"}

VISIT_HEADERS = ("行政村", "户编号", "户主", "户类型", "开始日期", "完成日期", "走访干部", "状态",
                 "户主确认", "确认人", "发现问题数", "更正原因", "走访类型", "走访人身份",
                 "记录依据")
PROBLEM_HEADERS = ("行政村", "户编号", "户主", "类别", "严重程度", "问题", "状态", "发现日期",
                   "整改期限", "责任人", "是否逾期")
SUGGESTION_HEADERS = ("行政村", "户编号", "户主", "户类型", "走访完成日期", "建议纳入监测",
                      "建议类别", "记录依据")
DRAFT_BASIS = "草稿，按当前数据"
# The sheets show a kept visit's household, head, status and suggestion: the database
# hands over only those parts of its snapshot, not the forms, findings, context and
# thresholds (most of it), whose parsing was a third of the export's time.
_LEFT_OUT: dict[str, object] = {"forms": [], "findings": [], "context": {}, "settings": {}}
_LINES_AT_ONCE = 5_000  # household ids in one IN list, well under SQLite's variable limit
_KEPT_PARTS = ("schema", *(f.name for f in fields(Snapshot) if f.name not in _LEFT_OUT))


@collector.paused()  # every visit, finding and roster line of a county, alive till written
def export_visits_xlsx(store: Store, path: Path, formset: FormSet, settings: Settings,
                       today: date, village: str | None = None) -> dict[str, int]:
    """Write the workbook (of one village, by code or name, when given); returns the rows
    written per sheet."""
    with store.reading() as conn:
        villages = dict(conn.execute(select(Village.id, Village.name)).all())
        village_id = find(conn, village).id if village else None
        every_visit = conn.execute(
            select(*(c for c in Visit.__table__.columns if c.key != "snapshot"),
                   *(Visit.snapshot[part].label(f"kept_{part}") for part in _KEPT_PARTS))
            .where(Visit.deleted.is_(False)).order_by(Visit.started_on, Visit.id)).all()
        found = _problems_per_visit(conn)
        problems = ledger.problems(conn, village_id=village_id)
        # the roster lines of the households visited or with a problem only (a county's
        # whole roster was a fifth of the export), a chunk of ids at a time
        wanted = sorted({v.household_id for v in every_visit} | {p.household_id
                                                                 for p in problems})
        lines = {row.id: row for start in range(0, len(wanted), _LINES_AT_ONCE)
                 for row in queries.household_rows(conn, wanted[start:start + _LINES_AT_ONCE])
                 if village_id is None or row.village_id == village_id}
    visits = [v for v in every_visit if v.household_id in lines]
    kept = {v.id: snapshot.read({**{part: getattr(v, f"kept_{part}") for part in _KEPT_PARTS},
                                 **_LEFT_OUT})
            for v in visits if v.kept_schema is not None}

    def household(v: Row) -> list[object]:
        """行政村, 户编号, 户主, 户类型 as the visit judged them (drafts: as they are)."""
        if v.id in kept:
            return _household(kept[v.id])
        line = lines[v.household_id]
        return [villages.get(line.village_id), line.code, line.head, line.status]

    with streamed_book(path) as book:
        counts = {
            "走访记录": _sheet(book, "走访记录", VISIT_HEADERS, (
                [*household(v), v.started_on, v.completed_on, v.cadre,
                 STATUS_ZH.get(v.status, v.status), v.confirmation, v.confirmed_by,
                 found.get(v.id, 0), v.correction_reason, v.kind, v.visitor_role,
                 kept[v.id].basis if v.id in kept
                 else snapshot.REBUILT if v.status == visit.COMPLETED else DRAFT_BASIS]
                for v in visits)),
            "问题台账": _sheet(book, "问题台账", PROBLEM_HEADERS, (
                [villages.get(p.village_id), p.household_code,
                 lines[p.household_id].head if p.household_id in lines else "", p.category,
                 SEVERITY_ZH.get(p.severity, p.severity), p.text, p.status, p.opened_on,
                 p.deadline, p.responsible,
                 "是" if p.deadline and p.deadline < today and p.status != ledger.CLOSED else "否"]
                for p in problems)),
            "监测建议": _sheet(book, "监测建议", SUGGESTION_HEADERS, (
                _suggestion_row(v, kept.get(v.id) or visit.seen(store, v.id, formset, settings))
                for v in _latest_completed(visits))),
        }
    return counts


def _problems_per_visit(conn: Connection) -> dict[str | None, int]:
    return {visit_id: count for visit_id, count in conn.execute(
        select(Problem.visit_id, func.count()).where(Problem.deleted.is_(False))
        .group_by(Problem.visit_id))}


def _latest_completed(visits: list[Row]) -> list[Row]:
    latest: dict[str, Row] = {}
    for v in visits:
        if v.status == visit.COMPLETED:
            latest[v.household_id] = v  # visits come oldest first
    return list(latest.values())


def _household(seen: Snapshot) -> list[object]:
    head = seen.head
    return [seen.household["village"], seen.household["code"], head.name if head else "",
            seen.status(short=True)]


def _suggestion_row(record: Row, seen: Snapshot) -> list[object]:
    suggestion = seen.suggestion
    meets = suggestion is not None and suggestion.meets
    return [*_household(seen), record.completed_on, "是" if meets else "否",
            suggestion.kind if meets and suggestion else "", seen.basis]


def _sheet(book: Book, title: str, headers: tuple[str, ...],
           rows: Iterable[list[object]]) -> int:
    sheet = Sheet(book, title)
    sheet.styled(headers, book.bold)
    for row in rows:
        sheet.append(row)
    return sheet.rows - 1
