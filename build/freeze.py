"""Build the one-folder app with PyInstaller, then smoke-run the frozen binary.

The smoke run starts the frozen app offscreen on a fresh demo village, waits for the
roster to show and exits: it proves that resource paths, the bundled font, the
translations and the Alembic migrations all resolve inside the frozen app, which a
test suite run from the source tree cannot show.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

BUILD = Path(__file__).resolve().parent
DIST = BUILD / "dist"
WORK = BUILD / "work"
BINARY = DIST / "fieldvisit" / ("fieldvisit.exe" if os.name == "nt" else "fieldvisit")


def freeze() -> Path:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(WORK), str(BUILD / "fieldvisit.spec")],
        check=True,
    )
    return BINARY


def smoke(binary: Path) -> None:
    """The app shows the demo roster; then the printing path (reportlab fonts and
    barcodes, PyNaCl signing) and the bundled forms work from the frozen folder too."""
    with tempfile.TemporaryDirectory() as home:
        demo_dir = str(Path(home) / "demo")
        run_frozen(binary, "smoke ok", "--data-dir", home, "app", "--demo", "--smoke")
        run_frozen(binary, "", "--data-dir", demo_dir, "cards", "--village", DEMO_VILLAGE,
                   "-o", str(Path(home) / "cards.pdf"))
        run_frozen(binary, "_forms", "forms", "check")  # found inside the bundle


DEMO_VILLAGE = "522727100200"  # the demo generator's first village


def run_frozen(binary: Path, expected: str, *args: str) -> None:
    """Run the frozen app (or a launcher of it) offscreen with the demo login; exit
    naming the command when it fails or its output lacks ``expected``."""
    from fieldvisit.cli import DEMO_CADRE, DEMO_PASSWORD  # the demo village's login

    login = {"FIELDVISIT_CADRE": DEMO_CADRE, "FIELDVISIT_PASSWORD": DEMO_PASSWORD}
    result = subprocess.run([str(binary), *args],
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **login},
                            capture_output=True, text=True, timeout=300)
    print(result.stdout.strip())
    if result.returncode != 0 or expected not in result.stdout:
        print(result.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"frozen app failed: {' '.join(args)} (exit {result.returncode})")


if __name__ == "__main__":
    smoke(freeze())
    print("frozen app built and smoke-tested:", DIST / "fieldvisit")
