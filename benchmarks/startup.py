"""Command-line start-up: how long a short command takes, against importing SQLAlchemy.

    .venv/bin/python benchmarks/startup.py [--runs 15]

Each command runs ``--runs`` times as a fresh process (``python -m fieldvisit …``, what
the ``fieldvisit`` script runs); the median and the fastest are printed, in ms:

- the floors: ``python -c pass`` and ``python -c "import sqlalchemy"``;
- ``import fieldvisit.cli`` alone, and its total from ``python -X importtime``;
- ``fieldvisit --help``, ``fieldvisit sync --help``, ``fieldvisit sync status`` (on an
  enrolled laptop), ``fieldvisit bundle inspect`` (of that laptop's bundle) and
  ``fieldvisit forms check`` (the bundled checklists);

each with its ratio to ``import sqlalchemy`` (the issue's target: at most 2x for
``--help``, ``sync status`` and ``bundle inspect``). The laptop and its bundle are made
once, in a temporary folder, by the same calls the sync tests use. The last line is the
figures as one JSON object: ``import_sqlalchemy_ms`` and, for each of the three
commands, its median in ms and its ``…_ratio``; ``start_ratio`` is the largest ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.laptops import ENV, laptop_store  # noqa: E402

VILLAGE = "522727100200"


def timed(command: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """(median, fastest) wall time in ms of ``command`` run ``runs`` times."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def importtime_total(env: dict[str, str]) -> float:
    """``import fieldvisit.cli``'s cumulative time as ``-X importtime`` reports it, in ms."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import fieldvisit.cli"],
                         env=env, check=True, capture_output=True, text=True).stderr
    line = next(line for line in out.splitlines() if line.rstrip().endswith(" fieldvisit.cli"))
    return int(line.split("|")[1]) / 1000


def make_laptop(folder: Path) -> tuple[Path, Path]:
    """An enrolled laptop's data folder and one bundle it exported."""
    from fieldvisit import demo
    from fieldvisit.county import devices
    from fieldvisit.county.office import County
    from fieldvisit.sync import laptop

    county = County.open(folder / "county")
    demo.populate(county.store, 12, seed=3)
    enrolled = devices.enroll(county, VILLAGE, "王干部", folder / "enrollment")
    data = folder / "laptop"
    store = laptop_store(data)
    laptop.enroll(store, enrolled.path, enrolled.code)
    bundle = laptop.export_bundle(store, folder / "stick").path
    store.close()
    county.store.close()
    return data, bundle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    env = {**os.environ, **ENV}  # the laptop's data is encrypted at rest: log in
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        data, bundle = make_laptop(Path(scratch))
        cli = [python, "-m", "fieldvisit"]
        cases = [
            ("python -c pass", [python, "-c", "pass"]),
            ("import sqlalchemy", [python, "-c", "import sqlalchemy"]),
            ("import fieldvisit.cli", [python, "-c", "import fieldvisit.cli"]),
            ("fieldvisit --help", [*cli, "--help"]),
            ("fieldvisit sync --help", [*cli, "sync", "--help"]),
            ("fieldvisit sync status", [*cli, "--data-dir", str(data), "sync", "status"]),
            ("fieldvisit bundle inspect", [*cli, "bundle", "inspect", str(bundle)]),
            ("fieldvisit forms check", [*cli, "forms", "check"]),
        ]
        results = {name: timed(command, options.runs, env) for name, command in cases}
        floor = results["import sqlalchemy"][0]
        print(f"{options.runs} runs each; median / fastest in ms; ratio = median / "
              f"median of import sqlalchemy ({floor:.0f} ms)")
        for name, (median, fastest) in results.items():
            print(f"{name:28} {median:7.0f} {fastest:7.0f}   {median / floor:4.2f}x")
        print(f"{'-X importtime fieldvisit.cli':28} {importtime_total(env):7.0f}")
    figures: dict[str, float] = {"import_sqlalchemy_ms": round(floor)}
    for name in ("fieldvisit --help", "fieldvisit sync status", "fieldvisit bundle inspect"):
        key = name.removeprefix("fieldvisit ").replace(" ", "_").replace("--", "")
        figures[f"{key}_ms"] = round(results[name][0])
        figures[f"{key}_ratio"] = round(results[name][0] / floor, 2)
    figures["start_ratio"] = max(v for k, v in figures.items() if k.endswith("_ratio"))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
