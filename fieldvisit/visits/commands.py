"""``fieldvisit visits export FILE.xlsx [--village CODE|NAME]``: the county-reporting
workbook."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from fieldvisit.checklist import installed
from fieldvisit.idcard import WHOLE_IDS_WARNING
from fieldvisit.store import Store
from fieldvisit.visits.export import export_visits_xlsx


def add_parser(commands: argparse._SubParsersAction) -> None:
    visits = commands.add_parser("visits", help="走访记录 / visits")
    visit_commands = visits.add_subparsers(dest="visits_command", required=True)
    export = visit_commands.add_parser(
        "export", help="导出走访记录、问题台账和监测建议 / export visits, problems, suggestions")
    export.add_argument("file", type=Path)
    export.add_argument("--village", help="只导出该村（村代码或村名） / only this village "
                        "(code or name)")


def run(args: argparse.Namespace, store: Store) -> int:
    formset, settings = installed.for_store(store)
    counts = export_visits_xlsx(store, args.file, formset, settings, date.today(), args.village)
    summary = "，".join(f"{sheet} {rows} 行" for sheet, rows in counts.items())
    store.record_export("visits.xlsx", args.file, sum(counts.values()), whole_ids=True)
    print(f"已导出 {args.file}：{summary} / exported {args.file}")
    print("\n".join(WHOLE_IDS_WARNING), file=sys.stderr)
    return 0
