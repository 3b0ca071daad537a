#!/usr/bin/env python3
"""Set up and run FieldVisit with nothing but Python 3.11+.

    python3 build/dev.py run     # venv + install, then open the app on the demo village
    python3 build/dev.py test    # venv + install, then ruff, lint-imports, mypy, pytest
    python3 build/dev.py freeze  # PyInstaller one-folder build, then a headless smoke run
    python3 build/dev.py translations  # refresh resources/translations from the Qt code
    python3 build/dev.py screenshots   # regenerate docs/screenshots from the Qt tests

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
    if action == "translations":
        return update_translations()
    if action == "screenshots":
        # one token: pytest reads a separate "DIR" as a test path before conftest has
        # registered the option, and then never loads tests/conftest.py
        return run(str(PYTHON), "-m", "pytest", f"--screenshots={ROOT / 'docs' / 'screenshots'}",
                   *extra, env={"QT_QPA_PLATFORM": "offscreen"})
    sys.exit(f"unknown action {action!r}: use run, test, freeze, translations or screenshots")


def update_translations() -> int:
    """lupdate collects the Qt layer's tr() strings into the .ts file (translate new ones
    there, e.g. with pyside6-linguist), then lrelease compiles the .qm the app loads."""
    ts = ROOT / "resources" / "translations" / "fieldvisit_en.ts"
    sources = sorted(str(p) for p in (ROOT / "fieldvisit" / "qt").glob("*.py"))
    return run(str(BIN / "pyside6-lupdate"), *sources, "-ts", str(ts)) or run(
        str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm")))


if __name__ == "__main__":
    raise SystemExit(main())
