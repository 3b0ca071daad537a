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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

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
_MEMBER_FIELDS = frozenset(Member.__table__.columns.keys())


class Sheet:
    """One worksheet written row by row, each row to the file as the next begins
    (xlsxwriter's constant_memory): memory stays flat, and no cell object is made per
    value as openpyxl's write-only sheets did (docs/performance.md, Exports).

    Each value is written as its type: text as text (never read as a formula, a URL or a
    number), numbers, dates in ``yyyy-mm-dd``, booleans as 是/否; the columns in ``text``
    are text-formatted too, so typing into an ID cell in Excel keeps it text."""

    def __init__(self, book: Book, title: str, text: Sequence[int] = ()) -> None:
        self._sheet: Worksheet = book.workbook.add_worksheet(title)
        self._date = book.date
        self.formats: list[Format | None] = [None] * (max(text, default=-1) + 1)
        for col in text:
            self.formats[col] = book.text
        self.rows = 0

    def styled(self, values: Sequence[str], style: Format) -> None:
        """A title or header row, every cell in ``style``."""
        for col, value in enumerate(values):
            self._sheet.write_string(self.rows, col, value, style)
        self.rows += 1

    def append(self, values: Sequence[object]) -> None:
        row, sheet, formats, texts = self.rows, self._sheet, self.formats, len(self.formats)
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                style = formats[col] if col < texts else None
                if value:
                    sheet.write_string(row, col, value, style)
                elif style is not None:  # empty, as openpyxl left "": formatted, no value
                    sheet.write_blank(row, col, None, style)
            elif isinstance(value, bool):
                sheet.write_string(row, col, "是" if value else "否")
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value)
            elif isinstance(value, date):
                # annotated for datetime; xlsxwriter takes a date as the same serial day
                sheet.write_datetime(row, col, value, self._date)  # type: ignore[call-overload]
            else:
                sheet.write_string(row, col, str(value))
        self.rows += 1


class Book:
    """An xlsx workbook streamed to a temporary file beside ``path`` and put in place
    when complete (``files.replacing``), with the few formats the exports use."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.text = workbook.add_format({"num_format": "@"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.bold = workbook.add_format({"bold": True})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.header = workbook.add_format({"bold": True, "align": "center",
                                           "valign": "vcenter", "text_wrap": True})


@contextmanager
def streamed_book(path: Path) -> Iterator[Book]:
    """A ``Book`` written at ``path`` crash-safe; nothing replaces ``path`` on an error."""
    with replacing(path) as partial:
        # strings_to_*: a name or note beginning with "=" or "http" stays text
        workbook = Workbook(str(partial), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False})
        try:
            yield Book(workbook)
        finally:
            workbook.close()


def export_xlsx(
    store: Store, path: Path, *, village: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the roster (or one village's, by code or name) to ``path``; returns the
    number of persons. UnknownVillageError when no village is called so."""
    with store.reading() as conn:
        households = _households(conn, village)
        members = _members(conn, {h["id"] for h in households})
    member_fields = [f in _MEMBER_FIELDS for f in EXPORT_FIELDS]
    persons = 0
    with streamed_book(path) as book:
        sheet = Sheet(book, "花名册",
                      [i for i, f in enumerate(EXPORT_FIELDS) if f in TEXT_FIELDS])
        sheet.styled([_title(households, village, date.today())], book.title)
        sheet.styled(HEADERS, book.header)
        for done, household in enumerate(households, 1):
            people = members.get(household["id"], [])
            household["size"] = len(people)
            for member in people:
                sheet.append([member[f] if own else household.get(f)
                              for f, own in zip(EXPORT_FIELDS, member_fields, strict=True)])
            persons += len(people)
            if progress and done % _PROGRESS_EVERY == 0:
                progress(done, len(households))
    if progress:
        progress(len(households), len(households))
    return persons


def _title(households: list[dict[str, Any]], village: str | None, today: date) -> str:
    where = households[0]["village"] if village and households else "全部行政村"
    return f"{where} 防返贫监测户成员花名册（导出日期 {today.isoformat()}）"


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
