"""The console's streaming xlsx writer (county.xlsxstream): what it writes reads back the
same in openpyxl (a strict reader) and calamine, IDs stay text, awkward text survives."""

from __future__ import annotations

import openpyxl
from python_calamine import CalamineWorkbook

from fieldvisit.county.xlsxstream import write_xlsx


def test_rows_read_back_as_written(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = [("522727196112090354", "王<大>&山", 3, 2.5, True, None, ""),
            ("000123", " 前后有空格 ", 0, -1.0, False, "㛃䶮", "a\x01b\x1fc\td")]
    assert write_xlsx(path, "花名册", ("身份证号", "姓名", "n", "x", "b", "空", "控制"),
                      iter(rows)) == 2
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "花名册"
    assert [c.value for c in sheet[1]] == ["身份证号", "姓名", "n", "x", "b", "空", "控制"]
    assert sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == ["522727196112090354", "王<大>&山", 3, 2.5, True,
                                           None, None]
    assert [c.value for c in sheet[3]] == ["000123", " 前后有空格 ", 0, -1.0, False, "㛃䶮",
                                           "abc\td"]
    assert sheet["A2"].number_format == "@" and sheet["A3"].data_type == "s"
    read = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert read[2][0] == "000123" and read[1][1] == "王<大>&山"


def test_an_empty_export_has_its_header(tmp_path):
    path = tmp_path / "empty.xlsx"
    assert write_xlsx(path, "x" * 40, ("a",), iter(())) == 0
    book = openpyxl.load_workbook(path)
    assert book.active.title == "x" * 31 and book.active.max_row == 1
