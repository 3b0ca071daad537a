"""The streamed xlsx exports write exactly what openpyxl wrote, cell by cell.

The roster and visits exports write through ``roster.exporter.Book``/``Sheet``
(xlsxwriter, constant memory) for speed (docs/performance.md, Exports). Here the same
exports run a second time through a reference writer that does what the openpyxl
version did (write-only cells; booleans 是/否; text columns as text cells formatted
``@``), and every cell of every sheet is compared as openpyxl reads it back: value,
number format and boldness. Speed must never change a cell.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import DEMO_DAY
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.roster import exporter, queries
from fieldvisit.store import Update
from fieldvisit.visits import export as visits_export
from fieldvisit.visits import ledger, visit


class ReferenceBook:
    """The formats of ``exporter.Book`` as openpyxl styles."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)
        self.text = "@"
        self.bold = {"font": Font(bold=True)}
        self.title = {"font": Font(bold=True, size=14)}
        self.header = {"font": Font(bold=True), "alignment": Alignment(
            horizontal="center", vertical="center", wrap_text=True)}


class ReferenceSheet:
    """``exporter.Sheet``'s interface, written as the openpyxl exporters wrote."""

    def __init__(self, book: ReferenceBook, title: str, text: Sequence[int] = ()) -> None:
        self.sheet = book.workbook.create_sheet(title)
        self.text = set(text)
        self.rows = 0

    def styled(self, values: Sequence[str], style: dict) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.sheet, value)
            for name, item in style.items():
                setattr(cell, name, item)
            cells.append(cell)
        self.sheet.append(cells)
        self.rows += 1

    def append(self, values: Sequence[object]) -> None:
        row: list[object] = []
        for col, value in enumerate(values):
            if isinstance(value, bool):
                value = "是" if value else "否"
            if col in self.text and value is not None:
                cell = WriteOnlyCell(self.sheet, str(value))
                cell.number_format = "@"
                value = cell
            row.append(value)
        self.sheet.append(row)
        self.rows += 1


@contextmanager
def reference_book(path: Path) -> Iterator[ReferenceBook]:
    book = ReferenceBook()
    yield book
    book.workbook.save(path)


@pytest.fixture
def reference_writer(monkeypatch):
    """Within the ``with``, both exports write through the reference writer."""

    @contextmanager
    def switched() -> Iterator[None]:
        with monkeypatch.context() as patch:
            for module in (exporter, visits_export):
                patch.setattr(module, "streamed_book", reference_book)
                patch.setattr(module, "Sheet", ReferenceSheet)
            yield

    return switched


def cells(path: Path) -> dict[str, list[tuple[object, str, bool]]]:
    """Every sheet's non-empty or formatted cells: (coordinate, value, format, bold)."""
    book = load_workbook(path)
    return {sheet.title: [(cell.coordinate, cell.value, cell.number_format, bool(cell.font.b))
                          for row in sheet.iter_rows() for cell in row
                          if cell.value is not None or cell.number_format != "General"]
            for sheet in book.worksheets}


def test_roster_export_cells_match_the_reference(demo_store, tmp_path, reference_writer):
    with demo_store.reading() as conn:
        line = queries.household_rows(conn)[0]
        head = queries.members(conn, line.id, DEMO_DAY)[0]
    # text that an unguarded writer would turn into a formula, a link or a number
    demo_store.write([Update("member", head.id, {"health": "=1+1", "labour_skill": "007"}),
                      Update("household", line.id, {"address": "http://example.org"})])
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    persons = exporter.export_xlsx(demo_store, fast)
    with reference_writer():
        assert exporter.export_xlsx(demo_store, slow) == persons
    assert cells(fast) == cells(slow)
    assert len(cells(fast)["花名册"]) > persons * 10


def test_visits_export_cells_match_the_reference(demo_store, formset, tmp_path,
                                                 reference_writer):
    with demo_store.reading() as conn:
        lines = queries.household_rows(conn)[:8]
    for number, line in enumerate(lines):
        visit_id = visit.start(demo_store, line.id, formset, "李干部", DEMO_DAY)
        for question, value in {"area_type": "rich", "supply_type": "piped",
                                "litres_household": 20 + 10 * number, "water_quality": "ok",
                                "tap_in_yard": number % 2 == 0, "outage_days": number}.items():
            visit.save_answer(demo_store, visit_id, "water", "", question, value)
        if number < 6:  # the last two stay drafts
            visit.complete(demo_store, visit_id, formset, DEFAULT_SETTINGS, "李干部",
                           "户主签字", line.head, DEMO_DAY)
    with demo_store.reading() as conn:
        problem = ledger.problems(conn)[0]
    demo_store.write([Update("problem", problem.id,
                             {"deadline": DEMO_DAY - timedelta(days=3)})])  # overdue
    later = DEMO_DAY + timedelta(days=10)
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    counts = visits_export.export_visits_xlsx(demo_store, fast, formset, DEFAULT_SETTINGS,
                                              later)
    with reference_writer():
        assert visits_export.export_visits_xlsx(demo_store, slow, formset, DEFAULT_SETTINGS,
                                                later) == counts
    assert counts["走访记录"] == 8 and counts["问题台账"] >= 1
    assert cells(fast) == cells(slow)
