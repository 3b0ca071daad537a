"""``fieldvisit roster import|export`` and ``fieldvisit villages``: the same plan/apply,
export and village fixes the app uses.

Exit codes of ``import``: 0 clean (warnings allowed), 1 imported, or with ``--dry-run``
would import, but some persons or households were refused (what cannot be stored, see
``importer``), 2 failed: the file cannot be read, ``--village`` does not fit it, or no
household in it can be imported. The summary counts households and persons read,
imported (with warnings) and refused, in the text and in ``--json``'s ``counts``. A
village is given by code or name (``villages.find``) everywhere.
"""

from __future__ import annotations

import argparse
import json
import sys

from fieldvisit.errors import FieldVisitError
from fieldvisit.idcard import WHOLE_IDS_WARNING
from fieldvisit.roster import villages
from fieldvisit.roster.exporter import export_xlsx
from fieldvisit.roster.importer import ImportPlan, apply_import, plan_import
from fieldvisit.store import Store

CLEAN, PARTIAL, FAILED = 0, 1, 2


def run(args: argparse.Namespace, store: Store) -> int:
    if args.roster_command == "import":
        return _import(args, store)
    return _export(args, store)


def _import(args: argparse.Namespace, store: Store) -> int:
    try:
        plan = plan_import(args.file, store, village=args.village)
    except FieldVisitError as error:
        if not args.json:
            raise  # told once, by the CLI
        print(json.dumps({"error": error.zh, "error_en": error.en}, ensure_ascii=False))
        return FAILED
    importable = bool(plan.to_create or plan.to_update or plan.unchanged)
    applied = False
    if importable and not args.dry_run and plan.has_changes:
        apply_import(store, plan, confirm_moves=args.confirm_moves)
        applied = True
    code = FAILED if not importable else PARTIAL if plan.counts()["persons_refused"] else CLEAN
    if args.json:
        print(json.dumps({**plan.to_json(), "dry_run": args.dry_run, "applied": applied,
                          "moves_applied": applied and args.confirm_moves,
                          "exit_code": code}, ensure_ascii=False, indent=1))
    else:
        _print_report(plan, args.dry_run, applied, args.confirm_moves)
    return code


def _print_report(plan: ImportPlan, dry_run: bool, applied: bool, confirm_moves: bool) -> None:
    for line in [*plan.report_lines(), *plan.change_lines()]:
        print(line)
    print(plan.summary())
    if dry_run:
        print("试运行：未写入任何数据。 / Dry run: nothing was written.")
    elif applied:
        print("已导入。 / Imported.")
    else:
        print("没有需要写入的变化。 / Nothing to write.")
    if plan.moves and not confirm_moves:
        print(f"{len(plan.moves)} 户换村未执行，仍在原村；核实后加 --confirm-moves 再导入。\n"
              f"{len(plan.moves)} households were left in their village; if the moves are "
              "right, import again with --confirm-moves.")


def _export(args: argparse.Namespace, store: Store) -> int:
    persons = export_xlsx(store, args.file, village=args.village)
    store.record_export("roster.xlsx", args.file, persons, whole_ids=True)
    print(f"已导出 {persons} 人 → {args.file} / exported {persons} persons")
    print("\n".join(WHOLE_IDS_WARNING), file=sys.stderr)
    return CLEAN


# ---- fieldvisit villages ----------------------------------------------------------------

def add_villages_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    parser = commands.add_parser("villages", help="行政村：列出、补代码、改名、合并 / villages: "
                                 "list, set code, rename, merge")
    actions = parser.add_subparsers(dest="villages_command")
    set_code = actions.add_parser("set-code", help="补上或更正村代码 / set a village's code")
    set_code.add_argument("village", help="村名或村代码 / village name or code")
    set_code.add_argument("code", help="12 位统计用区划代码 / the 12-digit code")
    rename = actions.add_parser("rename", help="改村名 / rename a village")
    rename.add_argument("village", help="村名或村代码 / village name or code")
    rename.add_argument("new_name", help="新村名 / new name")
    merge = actions.add_parser("merge", help="把一个村的农户并入另一个村 / merge a village "
                               "into another")
    merge.add_argument("source", help="并入后撤销的村 / the village that ends")
    merge.add_argument("target", help="保留的村 / the village that stays")


def run_villages(args: argparse.Namespace, store: Store) -> int:
    """List the villages, or make one fix and say what it did."""
    action = args.villages_command
    if action == "set-code":
        villages.set_code(store, args.village, args.code)
        print(f"已把“{args.village}”的村代码设为 {args.code} / code set")
    elif action == "rename":
        villages.rename(store, args.village, args.new_name)
        print(f"已把“{args.village}”改名为“{args.new_name}” / renamed")
    elif action == "merge":
        villages.merge(store, args.source, args.target)
        print(f"已把“{args.source}”并入“{args.target}” / merged")
    else:
        _print_villages(store)
    return CLEAN


def _print_villages(store: Store) -> None:
    with store.reading() as conn:
        found = villages.listing(conn)
    if not found:
        print("还没有行政村；请先导入花名册。 / No village yet; import a roster first.",
              file=sys.stderr)
        return
    print("村代码\t村名\t乡镇\t户数\t人数 / code, name, township, households, persons")
    for v in found:
        print(f"{v.code or villages.NO_CODE}\t{v.name}\t{v.township or ''}\t"
              f"{v.households}\t{v.persons}")
