"""The wheel is the app: built from the source tree, installed into a fresh venv, it runs.

resources/ and forms/ sit outside the package in the source tree, so only packaging
(pyproject.toml) puts them into a wheel; this builds one and runs ``fieldvisit demo``
and ``fieldvisit forms check`` from an installed copy, away from the checkout.

The fresh venv gets the dev venv's dependencies through a ``.pth`` line instead of
downloading them again; a path added that way has its own ``.pth`` files ignored, so
the dev venv's editable FieldVisit stays out and the one that runs is the wheel's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "fieldvisit", "resources", "forms")
TIMEOUT = 120


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FIELDVISIT_HOME")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of the tree, so the build leaves nothing in the checkout; pip
    gets the build backend that pyproject.toml names from the package index, as a release
    build does (the dev venv's own setuptools is older and cannot build wheels alone)."""
    tree = tmp_path_factory.mktemp("tree")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, tree / name)
    out = tmp_path_factory.mktemp("dist")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, tree,
                cwd=tree)
    assert built.returncode == 0, built.stderr
    [path] = out.glob("fieldvisit-*.whl")
    return path


def test_the_wheel_carries_every_module_and_resource(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "fieldvisit").rglob("*.py")}
    data = {"fieldvisit/_resources/" + p.relative_to(ROOT / "resources").as_posix()
            for p in (ROOT / "resources").rglob("*") if p.is_file()}
    forms = {f"fieldvisit/_forms/{p.name}" for p in (ROOT / "forms").glob("*.yaml")}
    assert modules - names == set()
    assert data - names == set()
    assert forms and forms - names == set()
    assert "fieldvisit/store/migrations/env.py" in names


def test_the_installed_wheel_runs_demo_and_forms_check(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    command = env_dir / ("Scripts/fieldvisit.exe" if os.name == "nt" else "bin/fieldvisit")
    site = Path(sysconfig.get_path("purelib", vars={"base": env_dir, "platbase": env_dir}))
    dev_site = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "dev-venv.pth").write_text("\n".join(sorted(dev_site)) + "\n", encoding="utf-8")
    away = tmp_path / "elsewhere"  # not the checkout: nothing there to import by accident
    away.mkdir()

    # --ignore-installed: the dev venv's editable FieldVisit is visible, and must be neither
    # taken as "already satisfied" nor uninstalled.
    installed = run(python, "-m", "pip", "install", "--no-deps", "--no-index",
                    "--ignore-installed", wheel, cwd=away)
    assert installed.returncode == 0, installed.stderr
    where = run(python, "-c", "import fieldvisit, fieldvisit.paths as p; "
                "print(fieldvisit.__file__); print(p.resources_dir())", cwd=away)
    assert where.returncode == 0, where.stderr
    package, resources = map(Path, where.stdout.split("\n")[:2])
    assert package.is_relative_to(site) and resources == package.parent / "_resources"

    demo = run(command, "--data-dir", tmp_path / "home", "demo", "--households", "12",
               cwd=away)
    assert demo.returncode == 0, demo.stderr
    assert "已生成演示村 / demo village written: 12 户" in demo.stdout

    check = run(command, "forms", "check", cwd=away)
    assert check.returncode == 0, check.stderr
    forms = len(list((ROOT / "forms").glob("*.yaml")))
    assert f"all {forms} forms are valid: {package.parent / '_forms'}" in check.stdout
