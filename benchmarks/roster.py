"""Roster benchmark: import, search, start-up and memory at village-to-township scale.

    .venv/bin/python benchmarks/roster.py [--households 30000] [--keep DIR]

Makes a demo roster of about 100,000 persons (30,000 households), exports it as a county
xlsx, then prints:
- import time (plan + apply, in a fresh process) next to a bare calamine read of the
  same file (the floor), with the ratio; the store's own write of the rows that import
  made, through ``Store.write`` into a new store with nothing else done (the floor plus
  it is the least an import through the store's front door can cost); then the same file imported
  again into the store it made (a county's next monthly file: every household matched,
  nothing to write);
- search latency p50/p95 over 200 mixed queries (names, pinyin, initials, ID fragments,
  phones, 户编号);
- time from process start to the roster shown (offscreen app, --smoke), the median of
  three starts after one warm-up: the frozen app (build/dist, `build/dev.py freeze`) when
  it is built, else the app from source with its bytecode compiled (by the warm-up, into
  a folder of the benchmark's), as the frozen app has it; the output says which;
- peak RSS of the import and of the app processes.
Each measured step runs in its own process and reports its own peak RSS (VmHWM: the
rusage of a child also counts what the parent had when it forked). The last line is the
figures as one JSON object (import_s, floor_s, import_ratio, import_peak_rss_mb,
store_write_s, store_write_ratio, reimport_s, reimport_peak_rss_mb, search_p95_ms,
start_s, start_frozen).

``start_s`` ends when the app prints that the table is on screen (``smoke: roster
shown``), not at its exit (the teardown is no part of a start); the search texts follow
(``smoke ok``, printed too) and the exit after them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.laptops import ENV, laptop_store  # noqa: E402
from build.freeze import BINARY  # noqa: E402

STARTS = 3  # measured starts of the app, after one warm-up
SHOWN, LOADED = "smoke: roster shown", "smoke ok"  # what app --smoke prints, and when


def child(*args: str) -> tuple[dict, float]:
    """Run one of this script's steps in a fresh process: its JSON output, wall seconds."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                            check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"step failed: {args}\n{result.stdout}\n{result.stderr}")
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]), wall


def peak_rss_mb() -> int:
    """This process's own high-water resident set (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1


def make_file(folder: Path, households: int) -> Path:
    from fieldvisit import demo
    from fieldvisit.roster.exporter import export_xlsx
    from fieldvisit.store import Store

    path = folder / f"roster_{households}.xlsx"
    if path.exists():
        return path
    store = Store.open(folder / "source.sqlite")
    demo.populate(store, households, seed=2026, today=date(2026, 11, 1))
    export_xlsx(store, path)
    store.close()
    return path


def step_floor(path: str) -> None:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(rows)}))


def step_import(path: str, data_dir: str) -> None:
    from fieldvisit.roster.importer import apply_import, plan_import

    store = laptop_store(Path(data_dir))  # encrypted at rest, as on the laptop
    started = time.perf_counter()
    plan = plan_import(Path(path), store)
    planned = time.perf_counter()
    apply_import(store, plan)
    done = time.perf_counter()
    print(json.dumps({"plan": planned - started, "apply": done - planned,
                      "seconds": done - started, "problems": len(plan.problems),
                      "rss_mb": peak_rss_mb()}))


def step_write(imported_dir: str, data_dir: str) -> None:
    """The store's own write of the rows an import made, into a new laptop store: the
    same rows as inserts through ``Store.write`` (the fields they hold, as an import
    sets them), one transaction, every row journaled, with no reading, layout, checks
    or matching. Read plus this is the least an import through the store's one front
    door costs (the import's second floor)."""
    from sqlalchemy import select

    from fieldvisit.store import Insert
    from fieldvisit.store.changes import PARENTS_FIRST, table_for
    from fieldvisit.store.models import DERIVED_FIELDS, SYSTEM_FIELDS

    source = laptop_store(Path(imported_dir))
    edits = []
    with source.reading() as conn:
        for entity in PARENTS_FIRST:
            skip = {*SYSTEM_FIELDS, *DERIVED_FIELDS.get(entity, ())}
            for row in conn.execute(select(table_for(entity))).mappings():
                fields = {k: v for k, v in row.items() if k not in skip and v is not None}
                edits.append(Insert(entity, fields, id=row["id"]))
    source.close()
    store = laptop_store(Path(data_dir))
    started = time.perf_counter()
    store.write(edits)
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(edits)}))


def app_command(folder: Path) -> tuple[list[str], dict[str, str], bool]:
    """How to start the app as a cadre's laptop does: the frozen build if there is one
    (True), else from source with bytecode (False): the environment may forbid writing
    it (PYTHONDONTWRITEBYTECODE), and compiling every module would add 0.3 s that no
    installed app pays, so the warm-up writes it into ``folder``."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **ENV}
    if BINARY.exists():
        return [str(BINARY)], env, True
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return [sys.executable, "-m", "fieldvisit"], env, False


def start_app(command: list[str], env: dict[str, str], data_dir: Path) -> dict:
    """One start, offscreen with --smoke: seconds from process start to the table shown
    and to the search texts in (the lines the app prints, read as they come), to the
    exit, and the peak RSS (read before the process ends)."""
    started = time.perf_counter()
    process = subprocess.Popen([*command, "--data-dir", str(data_dir), "app", "--smoke"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env)
    assert process.stdout is not None
    seen: dict[str, float] = {}
    rss_mb = -1
    output = []
    for line in process.stdout:
        output.append(line)
        for marker in (SHOWN, LOADED):
            if line.startswith(marker):
                seen[marker] = time.perf_counter() - started
        if line.startswith(LOADED):
            rss_mb = process_rss_mb(process.pid)
    process.wait()
    ended = time.perf_counter() - started
    if process.returncode != 0 or len(seen) < 2:
        raise SystemExit(f"the app failed to start (exit {process.returncode}):\n"
                         + "".join(output[-40:]))
    return {"shown": seen[SHOWN], "loaded": seen[LOADED], "exit": ended, "rss_mb": rss_mb}


def process_rss_mb(pid: int) -> int:
    """The high-water resident set of process ``pid`` (Linux), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return -1
    return next((int(line.split()[1]) // 1024 for line in status.splitlines()
                 if line.startswith("VmHWM:")), -1)


def measured(frozen: bool) -> str:
    """Which app the start figures are of; a frozen build older than a source file is
    said to be (it is what is measured, but not the code of the checkout)."""
    if not frozen:
        return "from source, bytecode compiled"
    built = BINARY.stat().st_mtime
    stale = any(path.stat().st_mtime > built for path in (ROOT / "fieldvisit").rglob("*.py"))
    return (f"frozen app {BINARY.parent.relative_to(ROOT)}"
            + (", OLDER than the sources: run build/dev.py freeze" if stale else ""))


def time_start(folder: Path, data_dir: Path) -> tuple[dict, bool]:
    """The median of ``STARTS`` starts (after a warm-up: bytecode, page cache) of each
    figure, and whether the frozen app was measured."""
    command, env, frozen = app_command(folder)
    start_app(command, env, data_dir)
    starts = [start_app(command, env, data_dir) for _ in range(STARTS)]
    return {key: statistics.median(s[key] for s in starts) for key in starts[0]}, frozen


def search_latency(data_dir: Path) -> dict:
    from sqlalchemy import select

    from fieldvisit.roster.search import SearchIndex
    from fieldvisit.store.models import Household, Member

    store = laptop_store(data_dir)
    with store.reading() as conn:
        index = SearchIndex.build(conn)
        people = conn.execute(select(Member.name, Member.name_pinyin, Member.name_initials,
                                     Member.id_number, Member.phone)).all()
        codes = conn.execute(select(Household.code)).scalars().all()
    rng = random.Random(1)
    queries = []
    for n in range(200):
        person = rng.choice(people)
        kind = n % 6
        queries.append(
            person.name if kind == 0 else person.name_pinyin[:6] if kind == 1
            else person.name_initials if kind == 2 else person.id_number[6:14] if kind == 3
            else (person.phone or "138")[-6:] if kind == 4 else rng.choice(codes)[-7:]
        )
    timings = []
    for query in queries:
        started = time.perf_counter()
        index.matches(query)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"p50_ms": statistics.median(timings), "p95_ms": timings[int(len(timings) * 0.95)],
            "households": len(index)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=30000)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) generated files")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fv-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {date.today()}")
    started = time.perf_counter()
    path = make_file(folder, args.households)
    print(f"file: {path.name}, {path.stat().st_size / 1e6:.1f} MB "
          f"(made in {time.perf_counter() - started:.1f} s)")

    floor, _ = child("floor", str(path))
    data_dir = folder / "app"  # a laptop's data folder, made anew
    shutil.rmtree(data_dir, ignore_errors=True)
    imported, _ = child("import", str(path), str(data_dir))
    rows = floor["rows"]
    print(f"import: {imported['seconds']:.2f} s for {rows:,} rows "
          f"(plan {imported['plan']:.2f} s, apply {imported['apply']:.2f} s, "
          f"{rows / imported['seconds']:,.0f} rows/s); floor (calamine read) "
          f"{floor['seconds']:.2f} s; ratio {imported['seconds'] / floor['seconds']:.2f}x; "
          f"peak RSS {imported['rss_mb']} MB; {imported['problems']} problems reported")

    written_dir = folder / "written"
    shutil.rmtree(written_dir, ignore_errors=True)
    written, _ = child("write", str(data_dir), str(written_dir))
    write_ratio = (floor["seconds"] + written["seconds"]) / floor["seconds"]
    print(f"the store's own write of those {written['rows']:,} rows (no read, no checks): "
          f"{written['seconds']:.2f} s; floor plus it {write_ratio:.2f}x the floor")

    again, _ = child("import", str(path), str(data_dir))  # the next month's same file
    print(f"re-import of the same file (every household unchanged): "
          f"{again['seconds']:.2f} s (plan {again['plan']:.2f} s); ratio "
          f"{again['seconds'] / floor['seconds']:.2f}x; peak RSS {again['rss_mb']} MB")

    search = search_latency(data_dir)
    print(f"search over {search['households']:,} households: p50 {search['p50_ms']:.1f} ms, "
          f"p95 {search['p95_ms']:.1f} ms (200 mixed queries)")

    app, frozen = time_start(folder, data_dir)
    print(f"start to roster shown ({measured(frozen)}; offscreen, median of {STARTS} "
          f"after a warm-up): {app['shown']:.2f} s; "
          f"search texts in {app['loaded']:.2f} s; exit {app['exit']:.2f} s; "
          f"peak RSS {app['rss_mb']} MB; load average {os.getloadavg()[0]:.2f}")
    print(json.dumps({"import_s": round(imported["seconds"], 2),
                      "floor_s": round(floor["seconds"], 2),
                      "import_ratio": round(imported["seconds"] / floor["seconds"], 2),
                      "import_peak_rss_mb": imported["rss_mb"],
                      "store_write_s": round(written["seconds"], 2),
                      "store_write_ratio": round(write_ratio, 2),
                      "reimport_s": round(again["seconds"], 2),
                      "reimport_peak_rss_mb": again["rss_mb"],
                      "search_p95_ms": round(search["p95_ms"], 1),
                      "start_s": round(app["shown"], 2), "start_frozen": frozen}))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "floor":
        step_floor(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "import":
        step_import(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "write":
        step_write(sys.argv[2], sys.argv[3])
    else:
        main()
