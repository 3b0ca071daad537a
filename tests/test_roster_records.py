"""Layout.records lets the sheet go (issue 15: the raw rows were most of an import's
peak memory at 100,000 persons) and still fills a blank 户编号 from the row above."""

from __future__ import annotations

import gc
import weakref

from fieldvisit.roster.layout import find_layout


class Cell(str):
    """A cell value that can be watched for being freed (str itself takes no weakref)."""


def test_records_consume_the_rows_and_free_unread_cells() -> None:
    unread = Cell("备注：不导入的列")
    watched = weakref.ref(unread)
    rows: list[list[object]] = [
        ["户编号", "姓名", "证件号码", "与户主关系", "备注"],
        ["430101001001001", "张三", "110101199003070011", "户主", unread],
        ["", "李四", "110101199203070028", "配偶", ""],
    ]
    del unread
    layout, missing = find_layout(rows)
    assert layout is not None, missing

    records = layout.records(rows).rows

    assert rows == []  # the sheet's rows are let go ...
    gc.collect()
    assert watched() is None  # ... with the cells of columns no field reads
    assert [(r.row, r.values["code"], r.values["name"], r.code_from_above) for r in records] == [
        (2, "430101001001001", "张三", False),
        (3, "430101001001001", "李四", True),
    ]


def test_a_sheet_reads_cell_for_cell_as_calamines_whole_sheet(tmp_path) -> None:
    """The streamed read (rows shared, padded back to column A) gives what calamine's
    dense read from A1 gives: the same cells at the same Excel positions, a float still a
    float, a date a date; equal short texts are one object (the memory of 100,000 rows)."""
    from datetime import datetime

    import openpyxl
    from python_calamine import CalamineWorkbook

    from fieldvisit.roster.reader import read_sheets

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet["C3"], sheet["D3"], sheet["E3"] = "户编号", "姓名", "证件号码"
    for n in range(4, 9):
        sheet.cell(n, 3, f"43010100100100{n}")
        sheet.cell(n, 4, "张三" if n % 2 else "李四")
        sheet.cell(n, 5, "110101199003070011" if n % 2 else 1.0 * n)
        sheet.cell(n, 7, datetime(2026, 1, n) if n % 2 else True)
    book.create_sheet("空表")
    path = tmp_path / "偏移.xlsx"
    book.save(path)

    read = list(read_sheets(path))

    dense = CalamineWorkbook.from_path(str(path))
    assert [(s.name, s.rows) for s in read] == [
        (name, dense.get_sheet_by_index(i).to_python(skip_empty_area=False))
        for i, name in enumerate(dense.sheet_names)]
    rows = read[0].rows
    assert [type(r[4]) for r in rows[3:5]] == [float, str]
    assert rows[3][3] is rows[5][3]  # "张三", shared
