"""Export benchmark: the roster and the ledger workbook next to a bare streaming write.

    .venv/bin/python benchmarks/exports.py [--households 27500] [--visited 3000]

Makes a demo roster of about 100,000 persons (27,500 households) in which the first
``--visited`` households have a completed visit (varied answers; their findings open
problems in the ledger, as in the field), then times:
- ``fieldvisit roster export`` (``roster.exporter.export_xlsx``) of the whole roster;
- ``fieldvisit visits export`` (``visits.export.export_visits_xlsx``): 走访记录, 问题台账
  and 监测建议;
each next to its floor: the same cells (read back from the export with calamine, so the
floor writes exactly what the export wrote) written by xlsxwriter in constant_memory
mode, row by row, each value by its own typed call (``write_row``'s generic dispatch is
slower than the export itself), with nothing else: no queries, no formats. Each figure
is the best of three, export and floor taking turns. The last line is the figures as
one JSON object. Target (issue 15): each export within 2x of its floor.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.cards import TODAY, best_of_alternating, complete_visits  # noqa: E402
from fieldvisit import demo  # noqa: E402
from fieldvisit.checklist.forms import bundled_forms_dir, load_forms  # noqa: E402
from fieldvisit.checklist.settings import DEFAULT_SETTINGS  # noqa: E402
from fieldvisit.roster import queries  # noqa: E402
from fieldvisit.roster.exporter import export_xlsx  # noqa: E402
from fieldvisit.store import Store  # noqa: E402
from fieldvisit.visits.export import export_visits_xlsx  # noqa: E402


def bare_write(sheets: list[tuple[str, list[list[object]]]], out: Path) -> float:
    """The floor: ``sheets`` (title, rows) written by xlsxwriter, constant memory."""
    from xlsxwriter import Workbook

    started = time.perf_counter()
    book = Workbook(str(out), {"constant_memory": True, "strings_to_numbers": False,
                               "strings_to_formulas": False, "strings_to_urls": False})
    for title, rows in sheets:
        sheet = book.add_worksheet(title)
        for index, row in enumerate(rows):
            for col, value in enumerate(row):  # each value by its type, as fast as it goes
                if isinstance(value, str):
                    sheet.write_string(index, col, value)
                elif isinstance(value, int | float):
                    sheet.write_number(index, col, value)
                elif value is not None:
                    sheet.write_datetime(index, col, value)
    book.close()
    return time.perf_counter() - started


def cells(path: Path) -> list[tuple[str, list[list[object]]]]:
    """Every sheet's cells as calamine reads them (empty cells as None)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return [(name, [[None if value == "" else value for value in row]
                    for row in book.get_sheet_by_name(name).to_python()])
            for name in book.sheet_names]


def measure(name: str, export: Callable[[Path], object], folder: Path) -> dict[str, float]:
    """Best-of-three export and floor seconds for one workbook, and their ratio."""
    out = folder / f"{name}.xlsx"
    export(out)  # once to warm caches and to have the cells the floor writes
    sheets = cells(out)
    rows = sum(len(rows) for _, rows in sheets)

    def timed_export() -> float:
        started = time.perf_counter()
        export(out)
        return time.perf_counter() - started

    export_s, floor_s = best_of_alternating(
        timed_export, lambda: bare_write(sheets, folder / f"{name}_floor.xlsx"))
    print(f"{name}: {rows:,} rows in {export_s:.2f} s; floor (xlsxwriter constant_memory, "
          f"same cells) {floor_s:.2f} s; ratio {export_s / floor_s:.2f}x")
    return {"export_s": round(export_s, 3), "floor_s": round(floor_s, 3),
            "export_ratio": round(export_s / floor_s, 2), "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=27500)
    parser.add_argument("--visited", type=int, default=3000)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {date.today()}")
    folder = Path(tempfile.mkdtemp(prefix="fv-exports-"))
    started = time.perf_counter()
    store = Store.open(folder / "exports.sqlite")
    demo.populate(store, args.households, seed=2026, today=TODAY)
    with store.reading() as conn:
        ids = [row.id for row in queries.household_rows(conn)]
    formset = load_forms(bundled_forms_dir())
    complete_visits(store, ids[:args.visited], formset)
    print(f"{args.households:,} households, {min(args.visited, len(ids)):,} with a completed "
          f"visit (made in {time.perf_counter() - started:.0f} s)")
    roster = measure("roster", lambda out: export_xlsx(store, out), folder)
    ledger = measure("ledger", lambda out: export_visits_xlsx(
        store, out, formset, DEFAULT_SETTINGS, TODAY), folder)
    print(json.dumps({"roster": roster, "ledger": ledger}))


if __name__ == "__main__":
    main()
