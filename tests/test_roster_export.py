"""Roster export in the national layout, and its round trip through import."""

from __future__ import annotations

import pytest
from conftest import DEMO_DAY
from openpyxl import load_workbook
from sqlalchemy import select

from fieldvisit import demo
from fieldvisit.roster.exporter import HEADERS, export_xlsx
from fieldvisit.roster.importer import apply_import, plan_import
from fieldvisit.roster.villages import UnknownVillageError
from fieldvisit.store import Store
from fieldvisit.store.models import County, Household, Member, Township, Village, VillageGroup

SYSTEM = {"id", "rev", "changed_by", "household_id", "village_id", "group_id", "township_id",
          "county_id"}


def test_export_layout_title_header_and_text_ids(demo_store, tmp_path):
    path = tmp_path / "roster.xlsx"
    persons = export_xlsx(demo_store, path)

    sheet = load_workbook(path).active
    assert "花名册" in sheet.cell(1, 1).value
    assert tuple(c.value for c in sheet[2]) == HEADERS
    with demo_store.reading() as conn:
        assert persons == len(conn.execute(select(Member.id)).all()) == sheet.max_row - 2
    id_col = HEADERS.index("证件号码") + 1
    for row in range(3, sheet.max_row + 1):
        cell = sheet.cell(row, id_col)
        assert isinstance(cell.value, str) and len(cell.value) == 18
        assert cell.number_format == "@"  # typing into the cell keeps it text
    # one block per household, its head first
    code_col, relation_col = HEADERS.index("户编号") + 1, HEADERS.index("与户主关系") + 1
    codes = [sheet.cell(r, code_col).value for r in range(3, sheet.max_row + 1)]
    blocks = [c for i, c in enumerate(codes) if i == 0 or codes[i - 1] != c]
    assert len(blocks) == len(set(codes)) == 60
    firsts = [r for r in range(3, sheet.max_row + 1)
              if r == 3 or sheet.cell(r - 1, code_col).value != sheet.cell(r, code_col).value]
    assert all(sheet.cell(r, relation_col).value == "户主" for r in firsts)


def test_export_then_import_reports_no_change(demo_store, tmp_path):
    path = tmp_path / "roster.xlsx"
    export_xlsx(demo_store, path)

    plan = plan_import(path, demo_store, today=DEMO_DAY)

    assert plan.errors == [] and not plan.has_changes
    assert len(plan.unchanged) == 60 and plan.change_lines() == []


def rows_without_ids(store: Store, model) -> list[tuple]:
    with store.reading() as conn:
        rows = conn.execute(select(model)).mappings()
        return sorted(tuple(sorted((k, str(v)) for k, v in r.items() if k not in SYSTEM))
                      for r in rows)


def test_export_into_a_fresh_store_copies_every_field(demo_store, tmp_path):
    path = tmp_path / "roster.xlsx"
    export_xlsx(demo_store, path)
    copy = Store.open(tmp_path / "copy" / "fieldvisit.sqlite", actor="复制")
    try:
        apply_import(copy, plan_import(path, copy, today=DEMO_DAY))
        for model in (County, Township, Village, VillageGroup, Household, Member):
            assert rows_without_ids(copy, model) == rows_without_ids(demo_store, model)
    finally:
        copy.close()


def test_export_one_village(store, tmp_path):
    demo.populate(store, households=700, seed=3, today=DEMO_DAY)  # two villages
    with store.reading() as conn:
        codes = conn.execute(select(Village.code).order_by(Village.code)).scalars().all()
    path = tmp_path / "one.xlsx"
    export_xlsx(store, path, village=codes[1])

    sheet = load_workbook(path, read_only=True).active
    column = HEADERS.index("行政村代码")
    values = {row[column] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values == {codes[1]}
    with pytest.raises(UnknownVillageError):
        export_xlsx(store, tmp_path / "none.xlsx", village="522727100999")
