"""An expected failure reaches a CLI user as two plain sentences, never as a traceback.

``fieldvisit.cli.main`` catches ``FieldVisitError`` once for every command; these run the
real command line in a subprocess, as a cadre would, and read what it leaves on stderr.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def fieldvisit(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fieldvisit", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def assert_told(done: subprocess.CompletedProcess[str], zh: str, en: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert zh in done.stderr and en in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr


def test_an_unknown_village_is_told_in_both_languages(tmp_path):
    done = fieldvisit("--data-dir", tmp_path, "report", "--village", "999999999999",
                      "-o", tmp_path / "report.pdf")
    assert_told(done, "没有村代码为 999999999999 的行政村", "no village with code 999999999999")
    assert not (tmp_path / "report.pdf").exists()


def test_a_broken_layout_file_is_told_with_its_lines(tmp_path):
    layout = tmp_path / "card.yaml"
    layout.write_text("title: 明白卡\npaper: B5\n", encoding="utf-8")
    done = fieldvisit("--data-dir", tmp_path, "cards", "--household", "x", "--layout", layout,
                      "-o", tmp_path / "cards.pdf")
    assert_told(done, f"{layout}:2:", "A4")
    zh, en = done.stderr.strip().split("\n")
    assert not zh.isascii() and "B5" in zh and en.isascii() and "B5" in en


def test_importing_a_missing_file_is_told_and_writes_nothing(tmp_path):
    missing = tmp_path / "花名册.xlsx"
    done = fieldvisit("--data-dir", tmp_path, "roster", "import", missing)
    assert_told(done, "花名册.xlsx", "cannot open the file '花名册.xlsx'")


def test_a_bad_forms_folder_is_told_by_the_county_command(tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "water.yaml").write_text("id: water\ntitle: [\n", encoding="utf-8")
    done = fieldvisit("--data-dir", tmp_path / "county", "server", "forms", forms)
    assert done.returncode == 1, done.stderr  # refused: the county's exit code for that
    assert "走访表有误" in done.stderr and "checklists are invalid" in done.stderr
    assert "Traceback" not in done.stderr
