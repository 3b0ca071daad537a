"""Read a department's warning list (部门预警名单) into rows, whatever its layout.

The lists arrive as the county's rosters do (title rows, a header somewhere in the first
rows, GBK CSV, merged cells, IDs typed with spaces or mangled by Excel), so the file is
read by ``roster.reader`` and headers are compared by ``roster.layout.header_key``;
only the column words differ, and they are the department's (``department_sources``).
The header is the row among the first ones that names an ID column and the most other
known columns. Every row keeps the sheet and the row number Excel shows, so nothing a
report says is without its place in the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from fieldvisit.errors import FieldVisitError
from fieldvisit.monitoring.department_sources import ID_HEADERS, NAME_HEADERS, Source
from fieldvisit.roster.errors import RosterFileError
from fieldvisit.roster.layout import HEADER_SCAN_ROWS, SUMMARY_WORDS, header_key, parse_name
from fieldvisit.roster.reader import Sheet, read_sheets
from fieldvisit.store.fields import CONTROL

NAME, ID = "name", "id"
_BRACKETS = re.compile(r"\([^)]*\)")


class DepartmentListError(FieldVisitError):
    """The file cannot be compared at all; nothing was read into the store. ``zh`` and
    ``en`` name the file (and the row or column when one is to blame)."""

    def __init__(self, zh: str, en: str, *, reason: str) -> None:
        super().__init__(zh, en)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ListRow:
    """One person's row of the list, as written (the ID untouched, for idcard)."""

    sheet: str
    row: int  # 1-based, as Excel numbers it
    name: str | None
    id_cell: object
    facts: dict[str, str]  # fact key -> text
    several_sheets: bool = False

    @property
    def id_shown(self) -> str:
        cell = self.id_cell
        if isinstance(cell, float) and cell.is_integer():
            return repr(cell)  # what Excel made of it, shown as the cadre sees it
        return "" if cell is None else str(cell).strip()

    @property
    def where(self) -> str:
        return f"工作表“{self.sheet}”第 {self.row} 行" if self.several_sheets else \
            f"第 {self.row} 行"

    @property
    def where_en(self) -> str:
        return f"sheet '{self.sheet}' row {self.row}" if self.several_sheets else \
            f"row {self.row}"


@dataclass(slots=True)
class ListFile:
    """The rows of every sheet that has a header, and the columns found."""

    path: Path
    rows: list[ListRow] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # key -> header as written
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> header row


def read_list(path: Path, source: Source) -> ListFile:
    """Every person row of the list; a ``DepartmentListError`` when the file is none."""
    path = Path(path)
    words = _header_words(source)
    found = ListFile(path)
    sheets = []
    try:
        for sheet in read_sheets(path):
            header = _find_header(sheet, words)
            if header is not None:
                sheets.append((sheet, header))
    except RosterFileError as error:
        raise _list_error(error) from None
    if not sheets:
        raise DepartmentListError(
            f"在“{path.name}”中找不到{source.department}名单的表头：每个工作表的前 "
            f"{HEADER_SCAN_ROWS} 行中都没有身份证号列（表头写作“身份证号”“证件号码”或"
            "“公民身份号码”）；请确认选对了文件，或在表头补上这一列",
            f"no header of a {source.department} list in '{path.name}': no sheet has an ID "
            f"column (身份证号, 证件号码 or 公民身份号码) in its first {HEADER_SCAN_ROWS} rows; "
            "check that it is the right file, or add that column to its header",
            reason="no-header")
    several = len(sheets) > 1
    for sheet, (number, columns) in sheets:
        found.header_rows[sheet.name] = number
        for _, key, shown in columns:
            found.headers.setdefault(key, shown)
        found.rows.extend(_rows(sheet, number, columns, several, words))
    if not found.rows:
        sheet, (number, columns) = sheets[0]
        raise DepartmentListError(
            f"“{path.name}”第 {number} 行是表头，下面没有任何人员，名单是空的；请确认导出完整",
            f"'{path.name}' has its header on row {number} and no person below it: the list "
            "is empty; check that it was exported whole", reason="empty-list")
    return found


def _list_error(error: RosterFileError) -> DepartmentListError:
    """The reader's reasons (password, damaged, empty …), worded for a list, not a roster."""
    zh = error.zh.replace("花名册文件", "名单文件").replace("花名册", "名单")
    en = error.en.replace("roster file", "list file").replace("roster", "list")
    return DepartmentListError(zh, en, reason=error.reason)


Columns = list[tuple[int, str, str]]  # (0-based index, key, header as written)


def _header_words(source: Source) -> dict[str, str]:
    words: dict[str, str] = {}
    for key, headers in ((ID, ID_HEADERS), (NAME, NAME_HEADERS),
                         *((f.key, f.headers) for f in source.facts)):
        for header in headers:
            words.setdefault(header_key(header), key)
    return words


def _match(text: object, words: dict[str, str]) -> str | None:
    """The key a header names: whole text, then without bracketed notes, then a part of
    "a/b" or "a、b" (as ``roster.layout.match_header`` reads a roster's)."""
    key = header_key(text)
    for candidate in (key, _BRACKETS.sub("", key)):
        if candidate in words:
            return words[candidate]
    return next((words[p] for p in re.split(r"[/、]", _BRACKETS.sub("", key)) if p in words),
                None)


def _find_header(sheet: Sheet, words: dict[str, str]) -> tuple[int, Columns] | None:
    """The first rows' best header that has an ID column: (its row number, columns)."""
    best: tuple[int, Columns] | None = None
    for index in range(min(HEADER_SCAN_ROWS, sheet.row_count)):
        above = sheet.rows[index - 1] if index else []
        columns: Columns = []
        for i, cell in enumerate(sheet.rows[index]):
            text = cell if not _blank(cell) else (above[i] if i < len(above) else "")
            key = None if _blank(text) else _match(text, words)
            if key is not None and key not in {k for _, k, _ in columns}:
                columns.append((i, key, " ".join(str(text).split())))
        if any(k == ID for _, k, _ in columns) and (best is None or len(columns) > len(best[1])):
            best = (index + 1, columns)
    return best


def _rows(sheet: Sheet, header: int, columns: Columns, several: bool,
          words: dict[str, str]) -> Iterator[ListRow]:
    at = {key: i for i, key, _ in columns}
    for number in range(header + 1, sheet.row_count + 1):
        cells = sheet.rows[number - 1]

        def cell(key: str, cells: list[object] = cells) -> object:
            i = at.get(key)
            return cells[i] if i is not None and i < len(cells) else None

        name_cell, id_cell = cell(NAME), cell(ID)
        if _blank(name_cell) and _blank(id_cell):
            continue  # a blank row, or one of notes below the list
        if _column_numbers(name_cell, id_cell) or _summary(cells, name_cell, id_cell):
            continue
        if _match(id_cell, words) == ID or _match(name_cell, words) == NAME:
            continue  # the second row of a header two rows tall (merged cells)
        name = parse_name(name_cell)[0] if not _blank(name_cell) else None
        facts = {key: text for key in at if key not in (NAME, ID)
                 if (text := cell_text(cell(key)))}
        yield ListRow(sheet.name, number, name if isinstance(name, str) else None,
                      None if _blank(id_cell) else id_cell, facts, several)


def cell_text(cell: object) -> str:
    """A fact cell as text: whole numbers without ".0", dates as ISO, no control bytes."""
    if cell is None or isinstance(cell, bool):
        return "" if cell is None else ("是" if cell else "否")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        return cell.isoformat()
    text = CONTROL.sub("", unicodedata.normalize("NFKC", str(cell)))
    return " ".join(text.split())


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _column_numbers(name: object, id_number: object) -> bool:
    """The row of column numbers (1, 2, 3 …) some templates put under the header."""
    def small(cell: object) -> bool:
        if isinstance(cell, str):
            return cell.strip().isdigit() and len(cell.strip()) <= 3
        return isinstance(cell, int | float) and not isinstance(cell, bool) and cell < 1000

    return small(name) and small(id_number)


def _summary(cells: list[object], name: object, id_number: object) -> bool:
    """A 合计/总计 row: the word in the first column, the 姓名 or the ID cell."""
    return any(type(c) is str and c.lstrip().startswith(SUMMARY_WORDS)
               for c in (cells[0] if cells else None, name, id_number))
