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
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from fieldvisit.roster.errors import RosterFileError

# A township's roster (20,000 persons) is about 3 MB as .xlsx; 100 MB holds some 800,000,
# more than a village laptop can check in memory, so a larger file is the wrong file (a
# video, a backup) and is refused by its size before any of it is read.
MAX_FILE_BYTES = 100 * 2**20
# The most a sheet's range may span (calamine holds it dense, ~32 bytes a cell): a
# 100,000-person roster of 40 columns is 4 million cells.
MAX_CELLS = 16_000_000
MAX_COLUMNS = 2_000
# Texts up to this long are shared between the cells holding them (see _rows_of): the
# words a column repeats, and names, which repeat less but cost little to look up.
SHARED_TEXT = 6

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIMITERS = ",\t;"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# Control bytes no text file has (tab, line breaks, form feed, ^Z and ESC excepted): in a
# file without a BOM they mean a PDF, a picture or a document renamed, not an encoding.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x19\x1c-\x1f]")
_CFB_ENTRY = 128  # bytes of a CFB directory entry
_BOF, _FILEPASS = b"\x09\x08", b"\x2f\x00"  # BIFF8 record types


@dataclass(slots=True)
class Sheet:
    """One table: ``rows[i]`` is the row Excel numbers ``i + 1``."""

    name: str
    rows: list[list[object]]

    @property
    def row_count(self) -> int:
        return len(self.rows)


def read_sheets(path: Path) -> Iterator[Sheet]:
    """The file's sheets in order (a CSV file is one sheet), read lazily.

    Whatever is wrong with the file (missing, unreadable, empty, too large, encrypted,
    damaged, not a table, not text) ends here as one ``RosterFileError`` naming it, so
    the CLI and the app have one thing to show.
    """
    try:
        with path.open("rb") as handle:
            _check_size(path, handle)
            head = handle.read(len(_OLE))
            extents: list[_Extent | None] = []
            if head.startswith(_ZIP) or head.startswith(_OLE):
                if head.startswith(_ZIP):
                    handle.seek(0)
                    extents = _extents(handle)
                handle.seek(0)
                workbook = _open_workbook(path, handle)
            else:
                workbook = None
                data = head + handle.read()
    except OSError as error:
        raise RosterFileError.unreadable(path, error) from None
    if workbook is None:
        yield _csv_sheet(path, data)
    else:
        yield from _workbook_sheets(path, workbook, extents)


def _check_size(path: Path, handle: BinaryIO) -> None:
    size = os.fstat(handle.fileno()).st_size
    if size > MAX_FILE_BYTES:
        raise RosterFileError.too_large(path, size, MAX_FILE_BYTES)
    if size == 0:
        raise RosterFileError.empty(path)


def _open_workbook(path: Path, handle: BinaryIO) -> CalamineWorkbook:
    """The workbook, told apart by content, not by name: a .xls renamed .xlsx (as files
    are on the way to the village) opens all the same. Why one cannot be opened is
    asked only then, so a good file pays nothing for it."""
    try:
        return CalamineWorkbook.from_filelike(handle)
    except (CalamineError, ValueError):
        handle.seek(0)
        if _password_protected(handle.read()):
            raise RosterFileError.password(path) from None
        raise RosterFileError.damaged(path) from None


def _password_protected(data: bytes) -> bool:
    """Whether a CFB (OLE2) file is a workbook with a password, which calamine reports
    only as a format it cannot detect: Excel stores an .xlsx with a password as an
    "EncryptedPackage" stream (MS-OFFCRYPTO), and an Excel 97 .xls as a "Workbook"
    stream whose opening BOF record is followed by a FILEPASS record (MS-XLS).

    Both are found without walking the sector chains: a directory entry is 128 bytes at
    a multiple of 128 in the file (the header and the sectors are 512 or 4096 bytes),
    and the few bytes looked at open the stream's first sector. A Workbook stream under
    4096 bytes would lie in the mini stream, but Excel pads it to that size.
    """
    if _cfb_entry(data, "EncryptedPackage") is not None:
        return True
    entry = _cfb_entry(data, "Workbook")
    sector_shift = _uint(data, 30, 2)
    if entry is None or sector_shift not in (9, 12) or _uint(data, entry + 120, 8) < 4096:
        return False
    stream = (_uint(data, entry + 116, 4) + 1) << sector_shift
    after_bof = stream + 4 + _uint(data, stream + 2, 2)
    return data[stream:stream + 2] == _BOF and data[after_bof:after_bof + 2] == _FILEPASS


def _cfb_entry(data: bytes, name: str) -> int | None:
    """Where the directory entry named ``name`` starts: its UTF-16 name, then at offset
    64 the name's length in bytes with the closing NUL."""
    encoded = name.encode("utf-16-le")
    length = (len(encoded) + 2).to_bytes(2, "little")
    at = data.find(encoded)
    while at != -1:
        if at % _CFB_ENTRY == 0 and data[at + 64:at + 66] == length:
            return at
        at = data.find(encoded, at + 1)
    return None


def _uint(data: bytes, at: int, size: int) -> int:
    return int.from_bytes(data[at:at + size], "little")


def _workbook_sheets(path: Path, workbook: CalamineWorkbook,
                     extents: list[_Extent | None]) -> Iterator[Sheet]:
    for index, name in enumerate(workbook.sheet_names):
        extent = extents[index] if index < len(extents) else None
        if extent is not None and (extent.columns > MAX_COLUMNS
                                   or extent.rows * extent.columns > MAX_CELLS):
            raise RosterFileError.sheet_too_large(path, name, extent.ref, extent.rows,
                                                  extent.columns)
        try:
            sheet = workbook.get_sheet_by_index(index)
            rows = _rows_of(sheet)
            merged = sheet.merged_cell_ranges or ()
            del sheet  # calamine's copy of the cells, the larger part of a read's memory
        except (CalamineError, ValueError):
            raise RosterFileError.damaged(path) from None
        _fill_merged(rows, merged)
        yield Sheet(name, rows)


def _rows_of(sheet: CalamineSheet) -> list[list[object]]:
    """The sheet's rows from A1, each short text one shared object.

    calamine holds the whole sheet (about 340 MB for 100,000 persons of 36 columns) while
    its rows are turned into Python cells, and one str per cell would add another 150
    MB: but most cells of a roster repeat a few words (性别, 民族, 是/否, 户主 …), so
    equal short texts share one object. Values are unchanged (only equal str are shared;
    a float stays a float). ``iter_rows`` starts at the first used column, so the rows
    are padded back to A, as Excel numbers the columns.
    """
    start = sheet.start
    pad: list[object] = [""] * (start[1] if start else 0)
    shared: dict[str, str] = {}
    share = shared.setdefault
    rows: list[list[object]] = []
    for row in sheet.iter_rows():
        cells: list[object] = [
            share(c, c) if type(c) is str and len(c) <= SHARED_TEXT else c for c in row]
        rows.append([*pad, *cells] if pad else cells)
    return rows


@dataclass(frozen=True, slots=True)
class _Extent:
    """A worksheet's used range as its ``<dimension>`` declares it."""

    ref: str
    rows: int
    columns: int


def _extents(handle: BinaryIO) -> list[_Extent | None]:
    """Each worksheet's declared range, in the workbook's sheet order (None: not known).

    calamine lays a sheet out as one dense block from its first to its last cell, so a
    stray cell at XFD1048576 asks for hundreds of gigabytes and the process dies in
    Rust, past any Python handler: the range is read first, from the few bytes that
    open each sheet's XML. Anything unexpected leaves the check to calamine."""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = archive.namelist()
            book = archive.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
            rels = (archive.read("xl/_rels/workbook.xml.rels")
                    if "xl/_rels/workbook.xml.rels" in names else b"")
            targets = dict(re.findall(rb'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"',
                                      rels))
            targets.update({k: v for v, k in re.findall(
                rb'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
            found: list[_Extent | None] = []
            for rid in re.findall(rb'<(?:\w+:)?sheet\b[^>]*?r:id="([^"]+)"', book):
                target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
                member = target if target.startswith("xl/") else f"xl/{target}"
                found.append(_extent(archive, member) if member in names else None)
            return found
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return []


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})([0-9]{1,7})'
                        rb'(?::([A-Z]{1,3})([0-9]{1,7}))?"')


def _extent(archive: zipfile.ZipFile, member: str) -> _Extent | None:
    with archive.open(member) as sheet:
        opening = sheet.read(4096)
    match = _DIMENSION.search(opening)
    if match is None:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    columns = _column_number(last_col) - _column_number(first_col) + 1
    rows = int(last_row) - int(first_row) + 1
    ref = match.group(0).split(b'"')[1].decode("ascii")
    return _Extent(ref, max(rows, 1), max(columns, 1))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


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


def _csv_sheet(path: Path, data: bytes) -> Sheet:
    text = decode(data, path)
    first_lines = text[:8192].splitlines()[:20]
    delimiter = max(_DELIMITERS, key=lambda d: sum(line.count(d) for line in first_lines))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = cast("list[list[object]]", list(reader))  # lists of str, only read from here on
    except csv.Error:  # a field past csv's limit: quotes that never close
        raise RosterFileError.bad_csv(path, reader.line_num) from None
    return Sheet(path.name, rows)


def decode(data: bytes, path: Path) -> str:
    """Text of a CSV file: BOM first, then strict UTF-8, then GB18030 (a superset of GBK).

    Strict UTF-8 almost never accepts GBK text by accident (GBK's byte pairs are not valid
    UTF-8 sequences), so trying it first is safe; a file neither decodes is refused
    rather than shown as mojibake. A file of control bytes is no text at all and is
    refused as such before any encoding is tried.
    """
    bom = next((encoding for mark, encoding in _BOMS if data.startswith(mark)), None)
    if bom is None and _BINARY.search(data):
        raise RosterFileError.unknown_format(path)
    for encoding in (bom,) if bom else ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # UTF-16 of something that is not text
            raise RosterFileError.unknown_format(path)
        return text
    raise RosterFileError.encoding(path)
