"""Visit benchmark: checklist evaluation per household and wizard page switches.

    .venv/bin/python benchmarks/visits.py [--households 1000]

Loads forms/ (parse and validate every expression once), builds a demo village, and
evaluates a whole visit (all seven checklists, per-member repeats included) for each
household with varied answers; prints load time and per-visit p50/p95/max (target ≤ 5 ms).
Then opens the guided-visit wizard offscreen and times every page switch, next and
back, repaint included (target ≤ 50 ms). Colours and data-quality rules over 100,000
persons are measured by benchmarks/quality.py (target ≤ 5 s).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fieldvisit import demo
from fieldvisit.checklist.findings import evaluate_visit, household_context
from fieldvisit.checklist.forms import FormSet, bundled_forms_dir, load_forms
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.roster import queries
from fieldvisit.store import Store

TODAY = date(2026, 11, 1)


def answers_for(rng: random.Random, members: list[dict]) -> dict[str, dict]:
    """A plausible visit: mostly standards met, some gaps, so findings are produced."""
    medical = {m["id"]: {"insurance": rng.choice(["resident"] * 9 + ["none"]),
                         "serious_illness": rng.random() > 0.05, "chronic": False,
                         "family_doctor": rng.random() > 0.2,
                         "self_pay": rng.choice([0, 500, 3000, 12000])} for m in members}
    children = {m["id"]: {"in_school": rng.random() > 0.05, "stage": "小学"} for m in members}
    return {
        "basic_needs": {"food_all_year": True, "meat_monthly": rng.random() > 0.1,
                        "clothes_four_seasons": True, "bedding_winter": True},
        "housing": {"house_grade": rng.choice("AABBBC"), "safety_plate": True,
                    "plate_matches": True, "other_safe_house": False},
        "water": {"area_type": "rich", "supply_type": "piped",
                  "litres_household": rng.randint(40, 300), "water_quality": "ok",
                  "tap_in_yard": rng.random() > 0.2, "trip_minutes": rng.randint(5, 40),
                  "outage_days": rng.randint(0, 60)},
        "education": children,
        "medical": medical,
        "income": {"wage": rng.randint(0, 60000), "business": rng.randint(0, 20000),
                   "property": 0, "transfer": rng.randint(0, 5000),
                   "business_cost": rng.randint(0, 8000)},
        "monitoring": {"rigid_expense": rng.choice([0, 0, 20000]),
                       "income_drop": rng.random() < 0.05, "risks": []},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1000)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {date.today()}")

    started = time.perf_counter()
    formset = load_forms(bundled_forms_dir())
    print(f"load and validate forms/: {(time.perf_counter() - started) * 1000:.0f} ms")

    store = Store.open(Path(tempfile.mkdtemp()) / "bench.sqlite")
    demo.populate(store, args.households, seed=3, today=TODAY)
    rng = random.Random(5)
    timings, findings = [], 0
    with store.reading() as conn:
        for row in queries.household_rows(conn):
            household = queries.household(conn, row.id)
            members = [m.values for m in queries.members(conn, row.id, TODAY)]
            context = household_context(household, members, TODAY)
            answers = answers_for(rng, members)
            started = time.perf_counter()
            result = evaluate_visit(formset, answers, context, DEFAULT_SETTINGS, TODAY)
            timings.append((time.perf_counter() - started) * 1000)
            findings += len(result.findings)
    timings.sort()
    print(f"whole visit (7 checklists) for {len(timings):,} households: "
          f"p50 {statistics.median(timings):.2f} ms, "
          f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms, max {timings[-1]:.2f} ms; "
          f"{findings:,} findings")
    page_switches(store, formset, row.id)


def page_switches(store: Store, formset: FormSet, household_id: str) -> None:
    """Every page forward, then every page back, in the real wizard (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from fieldvisit.qt import fonts
    from fieldvisit.qt.ops import Ops
    from fieldvisit.qt.visit_wizard import VisitWizard
    from fieldvisit.visits import visit

    app = QApplication.instance() or QApplication([])
    fonts.apply_application_font(app)
    visit_id = visit.start(store, household_id, formset, "测", TODAY)
    wizard = VisitWizard(Ops(store), formset, visit_id, today=TODAY)
    wizard.resize(960, 760)
    wizard.show()
    app.processEvents()
    timings = []
    for index in [*range(1, wizard.summary_index + 1), *range(wizard.summary_index - 1, -1, -1)]:
        started = time.perf_counter()
        wizard.go_to(index)
        wizard.repaint()
        app.processEvents()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"wizard page switch over {len(timings)} switches ({wizard.summary_index + 1} pages): "
          f"p50 {statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95)]:.1f}"
          f" ms, max {timings[-1]:.1f} ms")
    wizard.close()


if __name__ == "__main__":
    main()
