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

    records = layout.records(rows)

    assert rows == []  # the sheet's rows are let go ...
    gc.collect()
    assert watched() is None  # ... with the cells of columns no field reads
    assert [(r.row, r.values["code"], r.values["name"], r.code_from_above) for r in records] == [
        (2, "430101001001001", "张三", False),
        (3, "430101001001001", "李四", True),
    ]
