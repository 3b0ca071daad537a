"""``fieldvisit visits export``: visits, the rectification ledger and monitoring
suggestions as one workbook for county reporting.

Three sheets a county clerk can filter and sum: 走访记录 (one row per visit), 问题台账
(one row per problem, with overdue marked) and 监测建议 (each household's latest completed
visit: does the screening suggest 监测, and which kind). No ID numbers or phones: the
file travels by e-mail and USB.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Connection, Row, func, select

from fieldvisit.checklist.forms import FormSet
from fieldvisit.checklist.settings import Settings
from fieldvisit.files import replacing
from fieldvisit.roster import queries
from fieldvisit.roster.exporter import UnknownVillageError
from fieldvisit.store import Store
from fieldvisit.store.models import Problem, Village, Visit
from fieldvisit.visits import ledger, visit

SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
STATUS_ZH = {visit.DRAFT: "草稿", visit.COMPLETED: "已完成"}

VISIT_HEADERS = ("行政村", "户编号", "户主", "户类型", "开始日期", "完成日期", "走访干部", "状态",
                 "户主确认", "确认人", "发现问题数", "更正原因")
PROBLEM_HEADERS = ("行政村", "户编号", "户主", "类别", "严重程度", "问题", "状态", "发现日期",
                   "整改期限", "责任人", "是否逾期")
SUGGESTION_HEADERS = ("行政村", "户编号", "户主", "户类型", "走访完成日期", "建议纳入监测",
                      "建议类别")


def export_visits_xlsx(store: Store, path: Path, formset: FormSet, settings: Settings,
                       today: date, village_code: str | None = None) -> dict[str, int]:
    """Write the workbook; returns the rows written per sheet."""
    with store.reading() as conn:
        villages = dict(conn.execute(select(Village.id, Village.name)).all())
        village_id = None
        if village_code:
            village_id = conn.execute(select(Village.id).where(
                Village.code == village_code)).scalar_one_or_none()
            if village_id is None:
                raise UnknownVillageError(village_code)
        lines = {row.id: row for row in queries.household_rows(conn)
                 if village_id is None or row.village_id == village_id}
        visits = [v for v in conn.execute(
                      select(Visit.__table__).where(Visit.deleted.is_(False))
                      .order_by(Visit.started_on, Visit.id))
                  if v.household_id in lines]
        found = _problems_per_visit(conn)
        problems = ledger.problems(conn, village_id=village_id)
    book = Workbook(write_only=True)
    counts = {
        "走访记录": _sheet(book, "走访记录", VISIT_HEADERS, (
            [villages.get(lines[v.household_id].village_id), lines[v.household_id].code,
             lines[v.household_id].head, lines[v.household_id].hh_type, v.started_on,
             v.completed_on, v.cadre, STATUS_ZH.get(v.status, v.status), v.confirmation,
             v.confirmed_by, found.get(v.id, 0), v.correction_reason]
            for v in visits)),
        "问题台账": _sheet(book, "问题台账", PROBLEM_HEADERS, (
            [villages.get(p.village_id), p.household_code,
             lines[p.household_id].head if p.household_id in lines else "", p.category,
             SEVERITY_ZH.get(p.severity, p.severity), p.text, p.status, p.opened_on,
             p.deadline, p.responsible,
             "是" if p.deadline and p.deadline < today and p.status != ledger.CLOSED else "否"]
            for p in problems)),
        "监测建议": _sheet(book, "监测建议", SUGGESTION_HEADERS, (
            _suggestion_row(store, v, lines[v.household_id], villages, formset, settings, today)
            for v in _latest_completed(visits))),
    }
    with replacing(path) as partial:
        book.save(partial)
    return counts


def _problems_per_visit(conn: Connection) -> dict[str, int]:
    return dict(conn.execute(select(Problem.visit_id, func.count()).where(
        Problem.deleted.is_(False)).group_by(Problem.visit_id)).all())


def _latest_completed(visits: list[Row]) -> list[Row]:
    latest: dict[str, Row] = {}
    for v in visits:
        if v.status == visit.COMPLETED:
            latest[v.household_id] = v  # visits come oldest first
    return list(latest.values())


def _suggestion_row(store: Store, record: Row, line: queries.HouseholdRow,
                    villages: dict[str, str], formset: FormSet, settings: Settings,
                    today: date) -> list[object]:
    suggestion = visit.evaluate(store, record.id, formset, settings, today).suggestion
    meets = suggestion is not None and suggestion.meets
    return [villages.get(line.village_id), line.code, line.head, line.hh_type,
            record.completed_on, "是" if meets else "否",
            suggestion.kind if meets and suggestion else ""]


def _sheet(book: Workbook, title: str, headers: tuple[str, ...],
           rows: Iterable[list[object]]) -> int:
    sheet = book.create_sheet(title)
    sheet.append([_bold(sheet, text) for text in headers])
    written = 0
    for row in rows:
        sheet.append(row)
        written += 1
    return written


def _bold(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell
