"""`fieldvisit demo` as a cadre or a script runs it: a real process on a real folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from fieldvisit.roster import queries
from tests.vaults import laptop_store

ROOT = Path(__file__).resolve().parent.parent


def run_demo(data_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    env.pop("FIELDVISIT_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(data_dir), "demo",
         "--households", "30", *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def households(path: Path) -> int:
    store = laptop_store(path.parent)
    try:
        with store.reading() as conn:
            return queries.household_count(conn)
    finally:
        store.close()


def test_demo_writes_a_village_then_refuses_to_overwrite_it(tmp_path):
    data_dir = tmp_path / "新 文件夹"  # a Chinese folder name with a space, as on real laptops
    first = run_demo(data_dir)
    assert first.returncode == 0, first.stderr
    database = data_dir / "fieldvisit.sqlite"
    assert database.is_file()
    assert households(database) == 30
    assert "已生成演示村 / demo village written: 30 户" in first.stdout

    second = run_demo(data_dir, "--seed", "8")
    assert second.returncode == 2
    assert re.search(r"[\u4e00-\u9fff]", second.stderr)
    assert "已有花名册" in second.stderr
    assert "Traceback" not in second.stderr
    assert households(database) == 30  # nothing was added or replaced
