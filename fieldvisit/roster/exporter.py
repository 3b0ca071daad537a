"""Export the roster as the national system lays it out: one row per person, grouped by
户编号, a title row above the header.

The file goes back to the county, or into another FieldVisit by import, so the headers
are the national system's spellings (the first synonym of each ``layout`` column) and
an export imports again with no change. ID numbers, 户编号 and phone numbers are written
as text cells in text-formatted cells, so Excel never turns them into numbers and drops
digits when somebody edits the sheet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Connection, select

from fieldvisit.files import replacing
from fieldvisit.roster.layout import COLUMNS_BY_FIELD
from fieldvisit.roster.membership import CURRENT
from fieldvisit.roster.villages import find
from fieldvisit.roster.vocab import HEAD
from fieldvisit.store import Store
from fieldvisit.store.models import County, Household, Member, Township, Village, VillageGroup

Progress = Callable[[int, int], None]

# (field, source): "place" fields come from the household's village and above, "size" is
# counted, the rest are Household or Member columns of the same name.
EXPORT_FIELDS = (
    "county", "township", "village", "village_code", "group", "code", "person_code", "name",
    "id_number", "size", "relation", "sex", "ethnicity", "education", "schooling", "health",
    "disability_cert", "labour_skill", "employment", "resident_insurance",
    "employee_insurance", "serious_illness_insurance", "hh_type", "monitored",
    "monitor_category", "risk_types", "risk_other", "poverty_cause", "risk_eliminated",
    "identified_on", "risk_eliminated_on", "phone", "address", "helper_name", "helper_unit",
    "helper_phone",
)
TEXT_FIELDS = frozenset({"code", "person_code", "id_number", "phone", "helper_phone",
                         "village_code", "disability_cert"})
HEADERS = tuple(COLUMNS_BY_FIELD[f].headers[0] for f in EXPORT_FIELDS)
_PROGRESS_EVERY = 1000


def export_xlsx(
    store: Store, path: Path, *, village: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the roster (or one village's, by code or name) to ``path``; returns the
    number of persons. UnknownVillageError when no village is called so."""
    with store.reading() as conn:
        households = _households(conn, village)
        members = _members(conn, {h["id"] for h in households})
    workbook = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = workbook.create_sheet("花名册")
    title = WriteOnlyCell(sheet, _title(households, village, date.today()))
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append([_header_cell(sheet, text) for text in HEADERS])
    persons = 0
    for done, household in enumerate(households, 1):
        people = members.get(household["id"], [])
        household["size"] = len(people)
        for member in people:
            sheet.append([_cell(sheet, f, _value(f, household, member)) for f in EXPORT_FIELDS])
        persons += len(people)
        if progress and done % _PROGRESS_EVERY == 0:
            progress(done, len(households))
    with replacing(path) as partial:
        workbook.save(partial)
    if progress:
        progress(len(households), len(households))
    return persons


def _title(households: list[dict[str, Any]], village: str | None, today: date) -> str:
    where = households[0]["village"] if village and households else "全部行政村"
    return f"{where} 防返贫监测户成员花名册（导出日期 {today.isoformat()}）"


def _header_cell(sheet: WriteOnlyWorksheet, text: str) -> Cell:  # WriteOnlyCell makes a Cell
    cell = WriteOnlyCell(sheet, text)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cell


def _cell(sheet: WriteOnlyWorksheet, field: str, value: object) -> object:
    if field in TEXT_FIELDS and value is not None:
        cell = WriteOnlyCell(sheet, str(value))
        cell.number_format = "@"
        return cell
    return value


def _value(field: str, household: dict[str, Any], member: dict[str, Any]) -> object:
    value = member[field] if field in member else household.get(field)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _households(conn: Connection, village: str | None) -> list[dict[str, Any]]:
    """Live households with their place names, ordered by village code and 户编号."""
    query = (
        select(
            *Household.__table__.columns, Village.name.label("village"),
            Village.code.label("village_code"),
            VillageGroup.name.label("group"), Township.name.label("township"),
            County.name.label("county"),
        )
        .join(Village, Household.village_id == Village.id)
        .outerjoin(VillageGroup, Household.group_id == VillageGroup.id)
        .outerjoin(Township, Village.township_id == Township.id)
        .outerjoin(County, Township.county_id == County.id)
        .where(Household.deleted.is_(False))
        .order_by(Village.code, Village.name, Household.code)
    )
    if village is not None:
        query = query.where(Village.id == find(conn, village).id)
    return [dict(row) for row in conn.execute(query).mappings()]


def _members(conn: Connection, household_ids: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Live members by household, 户主 first, then by birth date (oldest first)."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(select(Member).where(CURRENT)).mappings():
        if row["household_id"] in household_ids:
            grouped[row["household_id"]].append(dict(row))
    for people in grouped.values():
        people.sort(key=lambda m: (m["relation"] != HEAD, m["birth_date"] or date.max))
    return grouped
