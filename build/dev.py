#!/usr/bin/env python3
"""Set up and run FieldVisit with nothing but Python 3.11+.

    python3 build/dev.py run     # venv + install, then open the app on the demo village
    python3 build/dev.py test    # venv + install, then ruff, lint-imports, mypy, pytest
    python3 build/dev.py freeze  # PyInstaller one-folder build, then a headless smoke run
    python3 build/dev.py package # freeze, then the .deb (Linux) or the Inno Setup command
                                 # (Windows), checked: build/package.py
    python3 build/dev.py translations  # refresh resources/translations from the Qt code
    python3 build/dev.py screenshots   # regenerate docs/screenshots from the Qt tests
    python3 build/dev.py bench   # every benchmark at issue 15's sizes; rewrites the figures
                                 # table in docs/performance.md (about 25 min on 2 cores)

The tests never write into the repository: screenshot tests save into a temporary
folder, so a test run leaves the tracked images alone. `screenshots` runs only those
tests (pytest --screenshots=docs/screenshots) and is the one way the images change;
look at them and commit the ones that should change.

The virtual environment lives in .venv beside pyproject.toml and is reused; pip only
installs again when pyproject.toml changed since the last install.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def ensure_venv() -> None:
    if not PYTHON.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("installing FieldVisit and its dependencies into .venv …", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(*args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(args, cwd=ROOT, env={**os.environ, **(env or {})}).returncode


def main() -> int:
    action = sys.argv[1] if len(sys.argv) > 1 else "run"
    extra = sys.argv[2:]
    ensure_venv()
    if action == "run":
        return run(str(PYTHON), "-m", "fieldvisit", "app", "--demo", *extra)
    if action == "test":
        # Quickest first, stopping at the first failure: style, the architecture's import
        # contracts (pyproject.toml, build/contracts.py), types, then the suite itself.
        checks = (
            [str(PYTHON), "-m", "ruff", "check", "."],
            [str(BIN / "lint-imports")],
            [str(PYTHON), "-m", "mypy"],
        )
        for check in checks:
            if failed := run(*check):
                return failed
        return run(str(PYTHON), "-m", "pytest", *extra, env={"QT_QPA_PLATFORM": "offscreen"})
    if action == "freeze":
        return run(str(PYTHON), str(ROOT / "build" / "freeze.py"), *extra)
    if action == "package":
        return run(str(PYTHON), str(ROOT / "build" / "package.py"), *extra)
    if action == "translations":
        return update_translations()
    if action == "bench":
        return bench()
    if action == "screenshots":
        # one token: pytest reads a separate "DIR" as a test path before conftest has
        # registered the option, and then never loads tests/conftest.py
        return run(str(PYTHON), "-m", "pytest", f"--screenshots={ROOT / 'docs' / 'screenshots'}",
                   *extra, env={"QT_QPA_PLATFORM": "offscreen"})
    sys.exit(f"unknown action {action!r}: use run, test, freeze, package, translations, "
             "screenshots or bench")


def update_translations() -> int:
    """lupdate collects the Qt layer's tr() strings into the .ts file (translate new ones
    there, e.g. with pyside6-linguist), then lrelease compiles the .qm the app loads.
    Strings no screen uses any more are dropped, not kept as vanished entries."""
    ts = ROOT / "resources" / "translations" / "fieldvisit_en.ts"
    sources = sorted(str(p) for p in (ROOT / "fieldvisit" / "qt").glob("*.py"))
    return run(str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts)) or run(
        str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm")))


# (name, script, arguments): each at the size issue 15's targets name
BENCHMARKS: tuple[tuple[str, str, list[str]], ...] = (
    ("roster", "roster.py", ["--households", "27500"]),  # a 100,000-person xlsx
    ("cards", "cards.py", ["--memory-cards", "1000", "10000"]),  # 1,000-card village
    ("exports", "exports.py", []),  # 100,000 persons; the ledger of 3,000 visits
    ("sync", "sync.py", ["--households", "3400", "--uploads", "0"]),  # 10,200 changes
    ("search", "search.py", []),  # the county store: 300,000 households
    ("startup", "startup.py", []),
)
# figure -> target, as issue 15 (and 17 for the start-up) sets them
TARGETS = {
    "import_ratio": "≤ 2.5x", "import_s": "≤ 6 s where the floor ≤ 2 s",
    "import_peak_rss_mb": "≤ 400 MB", "search_p95_ms": "≤ 30 ms (300,000 households)",
    "start_s": "≤ 1.5 s (frozen app)", "cards_per_s": "≥ 100", "cards_ratio": "≤ 3x",
    "rss_kb_per_card": "≤ 2 KB", "export_ratio": "≤ 2x", "ingest_ratio": "≤ 3x (PostgreSQL)",
    "return_import_photos_s": "≤ 5 s", "start_ratio": "≤ 2x",
    "county_search_p95_ms": "≤ 30 ms (300,000 households)",
    "village_p95_ms": "unchanged (3,000 households)",
}
FIGURES_START = "<!-- figures: rewritten by `python3 build/dev.py bench` -->"
FIGURES_END = "<!-- /figures -->"


def bench() -> int:
    """Run every benchmark in turn (each prints its figures as its last line, one JSON
    object), then write them as one table at the top of docs/performance.md, with the
    date, the machine and how long the run took. A benchmark that fails is named in the
    table and makes the exit status 1; the others still run."""
    import json
    import platform
    import time
    from datetime import UTC, datetime

    started = time.perf_counter()
    rows, failed = [], 0
    for name, script, arguments in BENCHMARKS:
        print(f"== {name}: benchmarks/{script} {' '.join(arguments)}", flush=True)
        begun = time.perf_counter()
        done = subprocess.run([str(PYTHON), str(ROOT / "benchmarks" / script), *arguments],
                              cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - begun
        print(done.stdout, done.stderr[-2000:] if done.returncode else "", sep="", flush=True)
        lines = done.stdout.strip().splitlines()
        if done.returncode or not lines or not lines[-1].startswith("{"):
            failed = 1
            rows.append(f"| {name} | failed (exit {done.returncode}) | | | {seconds:.0f} s |")
            continue
        figures = json.loads(lines[-1])
        flat = {f"{part} {key}": value for part, values in figures.items()
                for key, value in values.items()} if all(
            isinstance(v, dict) for v in figures.values()) else figures
        for index, (key, value) in enumerate(flat.items()):
            target = TARGETS.get(key.split()[-1], "")
            rows.append(f"| {name if index == 0 else ''} | `{key}` | {value} | {target} | "
                        f"{f'{seconds:.0f} s' if index == 0 else ''} |")
    total = time.perf_counter() - started
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python "
               f"{platform.python_version()}")
    table = "\n".join([
        FIGURES_START,
        f"Last `python3 build/dev.py bench`: {when}, {machine}; the whole run took "
        f"{total / 60:.0f} min. Each benchmark's own section below says what it measures.",
        "",
        "| benchmark | figure | value | target (issue 15) | run time |",
        "|---|---|---|---|---|",
        *rows,
        FIGURES_END,
    ])
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8")
    if FIGURES_START in text:
        head, rest = text.split(FIGURES_START, 1)
        text = head + table + rest.split(FIGURES_END, 1)[1]
    else:  # first run: the table goes under the page's opening paragraph
        head, rest = text.split("\n## ", 1)
        text = f"{head}{table}\n\n## {rest}"
    doc.write_text(text, encoding="utf-8")
    print(f"bench: {total / 60:.1f} min; figures written to {doc.relative_to(ROOT)}")
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
