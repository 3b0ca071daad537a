"""Read a county roster file into raw rows, whatever the county sent.

Counties send .xlsx (sometimes .xls) from the national system, or CSV saved by Excel in
GBK on a Chinese Windows, UTF-8 with or without a BOM, or Excel's "Unicode text"
(UTF-16, tab-separated). The format is decided by the file's first bytes, not its name,
because files get renamed on the way to the village. Cells are handed on as calamine
gives them (a float stays a float) so that later stages can refuse numbers Excel mangled
instead of guessing digits. Every row keeps the 1-based row number Excel shows, so a
report can send the user to the exact line.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from python_calamine import CalamineError, CalamineWorkbook

from fieldvisit.roster.errors import RosterFileError

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIMITERS = ",\t;"


@dataclass(slots=True)
class Sheet:
    """One table: ``rows[i]`` is the row Excel numbers ``i + 1``."""

    name: str
    rows: list[list[object]]

    @property
    def row_count(self) -> int:
        return len(self.rows)


def read_sheets(path: Path) -> Iterator[Sheet]:
    """The file's sheets in order (a CSV file is one sheet), read lazily."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise RosterFileError.unreadable(path, str(error)) from None
    if head.startswith(_ZIP) or head.startswith(_OLE):
        yield from _workbook_sheets(path)
    else:
        yield _csv_sheet(path)


def _workbook_sheets(path: Path) -> Iterator[Sheet]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise RosterFileError.unreadable(path, str(error)) from None
    for index, name in enumerate(workbook.sheet_names):
        try:
            sheet = workbook.get_sheet_by_index(index)
            # Handed over as they are, not copied (files of 100,000 rows): from here on
            # the cells are only read, or filled with other cells' values and "".
            rows = cast("list[list[object]]", sheet.to_python(skip_empty_area=False))
            merged = sheet.merged_cell_ranges or ()
        except (CalamineError, ValueError) as error:
            raise RosterFileError.unreadable(path, str(error)) from None
        _fill_merged(rows, merged)
        yield Sheet(name, rows)


def _fill_merged(
    rows: list[list[object]], merged: Iterable[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    """Copy a merged range's top-left value into every cell it covers.

    Excel keeps the value of a merged cell only in its top-left corner; the person who
    merged 户编号 over a family's rows means every row carries it.
    """
    for (top, left), (bottom, right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                row[c] = value


def _csv_sheet(path: Path) -> Sheet:
    data = path.read_bytes()
    text = decode(data, path)
    if "\x00" in text:
        raise RosterFileError.unknown_format(path)
    first_lines = text[:8192].splitlines()[:20]
    delimiter = max(_DELIMITERS, key=lambda d: sum(line.count(d) for line in first_lines))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = cast("list[list[object]]", list(reader))  # lists of str, only read from here on
    return Sheet(path.name, rows)


def decode(data: bytes, path: Path) -> str:
    """Text of a CSV file: BOM first, then strict UTF-8, then GB18030 (a superset of GBK).

    Strict UTF-8 almost never accepts GBK text by accident (GBK's byte pairs are not valid
    UTF-8 sequences), so trying it first is safe; a file neither decodes is refused
    rather than shown as mojibake.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise RosterFileError.encoding(path) from None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError.encoding(path)
