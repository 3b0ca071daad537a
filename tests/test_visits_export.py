"""``fieldvisit visits export``: the county-reporting workbook read back."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.roster import queries
from fieldvisit.roster.villages import UnknownVillageError
from fieldvisit.visits import visit
from fieldvisit.visits.export import export_visits_xlsx

TODAY = date(2026, 11, 10)



def visited(store, formset) -> queries.HouseholdRow:
    """One household visited: water short (a finding), the rest unanswered."""
    with store.reading() as conn:
        line = queries.household_rows(conn)[0]
    visit_id = visit.start(store, line.id, formset, "李干部", TODAY)
    for question, value in {"area_type": "rich", "supply_type": "piped",
                            "litres_household": 20, "water_quality": "ok",
                            "tap_in_yard": True, "outage_days": 3}.items():
        visit.save_answer(store, visit_id, "water", "", question, value)
    visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, "李干部", "户主签字",
                   line.head, TODAY)
    return line


def sheet_rows(path, title):
    return [list(row) for row in load_workbook(path)[title].iter_rows(values_only=True)]


def test_visits_problems_and_suggestions_are_exported(demo_store, formset, tmp_path):
    line = visited(demo_store, formset)
    path = tmp_path / "走访.xlsx"
    counts = export_visits_xlsx(demo_store, path, formset, DEFAULT_SETTINGS, TODAY)
    assert counts == {"走访记录": 1, "问题台账": 1, "监测建议": 1}

    [header, row] = sheet_rows(path, "走访记录")
    assert header[:3] == ["行政村", "户编号", "户主"]
    assert row[1:3] == [line.code, line.head] and row[7] == "已完成" and row[8] == "户主签字"
    assert row[10] == 1  # problems found on this visit

    [_, problem] = sheet_rows(path, "问题台账")
    assert problem[1] == line.code and problem[6] == "待整改" and "升" in problem[5]
    assert problem[10] == "否"  # deadline 30 days ahead: not overdue

    [_, suggestion] = sheet_rows(path, "监测建议")
    assert suggestion[1] == line.code
    assert suggestion[5:] == ["否", None, "走访完成时留存"]  # short water: a problem, not 监测


def test_cli_exports_and_refuses_an_unknown_village(demo_store, formset, tmp_path):
    visited(demo_store, formset)
    data_dir = str(demo_store.folder)
    out = tmp_path / "out.xlsx"
    done = subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir", data_dir,
                           "visits", "export", str(out)], capture_output=True, text=True)
    assert done.returncode == 0 and "走访记录 1 行" in done.stdout
    assert load_workbook(out).sheetnames == ["走访记录", "问题台账", "监测建议"]
    with pytest.raises(UnknownVillageError):
        export_visits_xlsx(demo_store, out, formset, DEFAULT_SETTINGS, TODAY, "999999999999")
