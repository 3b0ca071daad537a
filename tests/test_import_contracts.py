"""The private-names contract type (build/contracts.py) on a small package made here.

`build/dev.py test` only shows that FieldVisit keeps the contract; this shows that the
contract would notice if it did not: private names taken across packages are reported
with file and line, whether imported or reached through an imported module, while a
package's own modules may share them, and `ignore_names` lets a known one through.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

FILES = {
    "app/__init__.py": "",
    "app/a/__init__.py": "_secret = 1\n\ndef _helper():\n    pass\n",
    "app/a/mod.py": "_inner = 2\n",
    "app/a/sibling.py": "from . import _secret\nfrom .mod import _inner\n",
    "app/b/__init__.py": "",
    "app/b/user.py": (
        "import app.a\n"
        "import app.a.mod as m\n"
        "from app import a\n"
        "from app.a import _secret, mod\n"
        "from ..a.mod import _inner\n"
        "\n"
        "def use():\n"
        "    return app.a._helper(), m._inner, a.__name__, mod.public\n"
    ),
}


def lint(tmp_path: Path, contract_options: str = "") -> subprocess.CompletedProcess[str]:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "build", tmp_path / "build",
                    ignore=shutil.ignore_patterns("__pycache__", "work", "dist"))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.importlinter]\nroot_package = "app"\n'
        'contract_types = ["private_names: build.contracts.PrivateNamesContract"]\n'
        '[[tool.importlinter.contracts]]\nname = "private names"\ntype = "private_names"\n'
        + contract_options, encoding="utf-8")
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_private_names_taken_across_packages_are_reported_with_file_and_line(tmp_path):
    result = lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    reported = sorted(line[2:] for line in result.stdout.splitlines() if line.startswith("- "))
    assert reported == [
        "app/b/user.py:4: imports app.a._secret",
        "app/b/user.py:5: imports app.a.mod._inner",
        "app/b/user.py:8: uses app.a._helper",
        "app/b/user.py:8: uses app.a.mod._inner",
    ]


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_ignore_names_lets_a_known_exception_through(tmp_path):
    result = lint(tmp_path, 'ignore_names = ["app.b.user -> app.a._secret", '
                            '"app.b.user -> app.a._helper", "app.b.user -> app.a.mod._inner"]\n')
    assert result.returncode == 0, result.stdout + result.stderr
    assert "private names KEPT" in result.stdout
