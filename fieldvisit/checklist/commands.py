"""``fieldvisit forms ...``: commands over the checklist core, for county form editors."""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldvisit.checklist.forms import bundled_forms_dir, check_forms


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``forms`` command group, added to the main parser by ``fieldvisit.cli``."""
    forms = commands.add_parser("forms", help="走访清单表单 / checklist forms")
    forms_commands = forms.add_subparsers(dest="forms_command", required=True)
    check = forms_commands.add_parser(
        "check", help="检查表单文件夹 / validate a folder of forms (exit 0 clean, 2 problems)")
    check.add_argument("folder", type=Path, nargs="?",
                       help="表单文件夹（默认：程序自带的 forms/） / folder (default: bundled)")


def run(args: argparse.Namespace) -> int:
    folder = args.folder or bundled_forms_dir()
    problems = check_forms(folder)
    for problem in problems:
        print(problem)
    if problems:
        print(f"发现 {len(problems)} 个问题 / {len(problems)} problem(s) in {folder}")
        return 2
    count = len(list(folder.glob("*.yaml")))
    print(f"表单全部可用：{count} 个 / all {count} forms are valid: {folder}")
    return 0
