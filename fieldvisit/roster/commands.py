"""``fieldvisit roster import|export``: the same plan/apply and export the app uses.

Exit codes of ``import``: 0 clean (warnings allowed), 1 imported, or with ``--dry-run``
would import, but some households were rejected for errors, 2 failed: the file cannot
be read or no household in it can be imported.
"""

from __future__ import annotations

import argparse
import json
import sys

from fieldvisit.roster.exporter import export_xlsx
from fieldvisit.roster.importer import (
    VILLAGE_CODE,
    ImportPlan,
    RosterFileError,
    apply_import,
    plan_import,
)
from fieldvisit.store import Store

CLEAN, PARTIAL, FAILED = 0, 1, 2


def run(args: argparse.Namespace, store: Store) -> int:
    if args.village is not None and not VILLAGE_CODE.fullmatch(args.village):
        _fail(f"村代码应为 12 位数字：{args.village}", f"a village code has 12 digits: "
              f"{args.village}", as_json=getattr(args, "json", False))
        return FAILED
    if args.roster_command == "import":
        return _import(args, store)
    return _export(args, store)


def _import(args: argparse.Namespace, store: Store) -> int:
    try:
        plan = plan_import(args.file, store, village_code=args.village)
    except RosterFileError as error:
        _fail(error.zh, error.en, as_json=args.json)
        return FAILED
    importable = bool(plan.to_create or plan.to_update or plan.unchanged)
    applied = False
    if importable and not args.dry_run and plan.has_changes:
        apply_import(store, plan)
        applied = True
    code = FAILED if not importable else PARTIAL if plan.rejected else CLEAN
    if args.json:
        print(json.dumps({**plan.to_json(), "dry_run": args.dry_run, "applied": applied,
                          "exit_code": code}, ensure_ascii=False, indent=1))
    else:
        _print_report(plan, args.dry_run, applied)
    return code


def _print_report(plan: ImportPlan, dry_run: bool, applied: bool) -> None:
    for line in [*plan.report_lines(), *plan.change_lines()]:
        print(line)
    print(plan.summary())
    if dry_run:
        print("试运行：未写入任何数据。 / Dry run: nothing was written.")
    elif applied:
        print("已导入。 / Imported.")
    else:
        print("没有需要写入的变化。 / Nothing to write.")


def _export(args: argparse.Namespace, store: Store) -> int:
    persons = export_xlsx(store, args.file, village_code=args.village)
    print(f"已导出 {persons} 人 → {args.file} / exported {persons} persons")
    return CLEAN


def _fail(message: str, message_en: str, *, as_json: bool = False) -> None:
    if as_json:
        print(json.dumps({"error": message, "error_en": message_en}, ensure_ascii=False))
    else:
        print(f"{message}\n{message_en}", file=sys.stderr)
