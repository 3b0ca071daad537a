"""Quality benchmark: data-quality rules and risk colours over a demo roster.

    .venv/bin/python benchmarks/quality.py [--households 30000] [--keep DIR]

Builds a demo store (fieldvisit.demo.populate; 30,000 households is about 100,000
persons), then prints the seconds ``rules.check_roster`` and ``colours.household_colours``
take (best of three runs each, target together ≤ 5 s) and the number of problems per
rule. A benchmark prints figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fieldvisit import demo  # noqa: E402
from fieldvisit.checklist.settings import DEFAULT_SETTINGS  # noqa: E402
from fieldvisit.quality import colours, rules  # noqa: E402
from fieldvisit.store import Store  # noqa: E402

TODAY = date(2026, 11, 1)


def best_of(runs: int, work):
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=30_000)
    parser.add_argument("--keep", type=Path, help="folder for the store (kept afterwards)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fieldvisit-quality-"))
    path = folder / "fieldvisit.sqlite"
    store = Store.open(path, actor="benchmark")
    with store.reading() as conn:
        empty = conn.exec_driver_sql("select count(*) from member").scalar() == 0
    started = time.perf_counter()
    persons = demo.populate(store, args.households, seed=7, today=TODAY) if empty else None
    if persons is not None:
        print(f"demo store: {persons} persons in {args.households} households, "
              f"built in {time.perf_counter() - started:.1f} s ({path})")
    with store.reading() as conn:
        persons = conn.exec_driver_sql("select count(*) from member").scalar()
        # a tenth of households with open problems, every 50th with a high one
        ids = [row[0] for row in conn.exec_driver_sql("select id from household")]
        open_problems = {hid: (["high"] if n % 50 == 0 else ["medium"])
                         for n, hid in enumerate(ids) if n % 10 == 0}
        rule_seconds, problems = best_of(3, lambda: rules.check_roster(
            conn, TODAY, DEFAULT_SETTINGS))
        colour_seconds, shades = best_of(3, lambda: colours.household_colours(
            conn, open_problems, DEFAULT_SETTINGS))
    store.close()
    print(f"persons: {persons}, households: {len(shades)}")
    print(f"rules:   {rule_seconds:.2f} s ({len(problems)} problems)")
    print(f"colours: {colour_seconds:.3f} s {colours.count_colours(shades)}")
    print(f"total:   {rule_seconds + colour_seconds:.2f} s (target ≤ 5 s)")
    print("problems per rule:")
    for rule_id, count in rules.problems_by_rule(problems).items():
        print(f"  {rule_id:24} {count:6}  {rules.RULES[rule_id].title}")


if __name__ == "__main__":
    main()
