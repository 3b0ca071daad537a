"""``fieldvisit monitor compare LIST --source 民政|残联|医保|教育|应急 [--dry-run] [--json]``.

Plans the comparison (``departments.plan_compare``), prints it, and unless ``--dry-run``
writes its proposals in one write. Exit codes, as ``roster import`` has them: 0 every
row of the list matched a current member, 1 some rows did not (they are listed with
their rows; proposals for the others are written all the same), 2 the file cannot be
compared and nothing was written (with ``--json``, an object with ``error`` and
``error_en``).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from fieldvisit.errors import FieldVisitError
from fieldvisit.monitoring.department_reader import ListRow
from fieldvisit.monitoring.department_sources import SOURCES
from fieldvisit.monitoring.departments import ComparePlan, apply_compare, plan_compare
from fieldvisit.store import Store

CLEAN, PARTIAL, FAILED = 0, 1, 2


def add_parser(actions: argparse._SubParsersAction) -> None:
    compare = actions.add_parser("compare", help="部门预警名单与花名册比对 / compare a "
                                 "department's warning list with the roster")
    compare.add_argument("file", type=Path, help="部门名单 .xlsx/.xls/.csv / the list")
    compare.add_argument("--source", required=True,
                         help=f"部门 / department: {'|'.join(SOURCES)}")
    compare.add_argument("--dry-run", action="store_true",
                         help="只比对，不写入建议 / compare only, write nothing")
    compare.add_argument("--json", action="store_true", help="机器可读 / JSON output")


def run(args: argparse.Namespace, store: Store) -> int:
    try:
        plan = plan_compare(store, args.file, args.source, today=date.today())
    except FieldVisitError as error:
        if not args.json:
            raise  # told once, by the CLI
        print(json.dumps({"error": error.zh, "error_en": error.en, "reason": error.reason,
                          "exit_code": FAILED}, ensure_ascii=False))
        return FAILED
    written = [] if args.dry_run else apply_compare(store, plan)
    code = PARTIAL if plan.unmatched else CLEAN
    if args.json:
        print(json.dumps({**plan_json(plan, set(written)), "dry_run": args.dry_run,
                          "applied": bool(written), "exit_code": code},
                         ensure_ascii=False, indent=1))
    else:
        for line in [*report_lines(plan), outcome(plan, args.dry_run, written)]:
            print(line)
    return code


def outcome(plan: ComparePlan, dry_run: bool, written: list[str]) -> str:
    """What was written: nothing on a dry run; proposals left out were given a case (or
    brought into monitoring) between the plan and the write."""
    if dry_run:
        return "试运行：未写入任何数据。 / Dry run: nothing was written."
    if not written:
        return "没有写入建议。 / No proposal written."
    left_out = len(plan.proposals) - len(written)
    zh = f"已写入 {len(written)} 条待确认的立案建议，请用 monitor accept 或 decline 逐条确认"
    en = f"{len(written)} proposals written (待确认): accept or decline each"
    if left_out:
        zh += f"；{left_out} 户比对后已有程序，未写入"
        en += f"; {left_out} left out (a case was opened meanwhile)"
    return f"{zh} / {en}"


def report_lines(plan: ComparePlan) -> list[str]:
    """The comparison as a cadre reads it: proposals, contradictions, unmatched rows."""
    source = plan.source
    matched = plan.rows_read - len(plan.unmatched)
    lines = [f"{source.department}{source.list_name}“{plan.path.name}”：{plan.rows_read} 行，"
             f"匹配 {matched} 行，未匹配 {len(plan.unmatched)} 行 / {plan.rows_read} rows, "
             f"{matched} matched, {len(plan.unmatched)} unmatched"]
    if plan.missing_facts:
        missing = "、".join(plan.missing_facts)
        lines.append(f"名单中没有这些列：{missing}（这几项不比对） / the list has no column "
                     f"{missing} (not compared)")
    lines.append(f"建议立案 {len(plan.proposals)} 户 / proposals: {len(plan.proposals)}")
    for p in plan.proposals:
        risks = "、".join(p.risk_types) or "（风险类型待定）"
        lines.append(f"  户 {p.household_code} {p.head}  {risks}  "
                     f"{'、'.join(r.where for r in p.rows)}")
    for s in plan.skipped:
        lines.append(f"  不建议：户 {s.household_code} {s.head}  {s.zh} / {s.en}  "
                     f"{'、'.join(r.where for r in s.rows)}")
    lines.append(f"与花名册不符 {len(plan.contradictions)} 处（仅报告，请核实后更正花名册） / "
                 f"contradictions: {len(plan.contradictions)} (reported only)")
    for c in plan.contradictions:
        lines.append(f"  {c.row.where} 户 {c.household_code} {c.member_name}  "
                     f"{c.finding.label}：{c.finding.zh} / {c.finding.en}")
    lines.append(f"未匹配 {len(plan.unmatched)} 行 / unmatched rows: {len(plan.unmatched)}")
    for u in plan.unmatched:
        shown = u.row.id_shown or "（无身份证号）"
        lines.append(f"  {u.row.where} {u.row.name or '（无姓名）'} {shown}  {u.zh} / {u.en}")
    if plan.quiet:
        lines.append(f"无预警（{'、'.join(r.where for r in plan.quiet)}） / "
                     f"{len(plan.quiet)} rows warn of nothing")
    return lines


def plan_json(plan: ComparePlan, written: set[str]) -> dict[str, Any]:
    """The plan for scripts; a proposal's ``case`` is its id once written, else null."""
    return {
        "file": str(plan.path), "department": plan.source.department,
        "rows": plan.rows_read, "columns": plan.headers,
        "missing_columns": plan.missing_facts,
        "proposals": [{"case": p.case_id if p.case_id in written else None,
                       "household": p.household_code, "head": p.head,
                       "risk_types": list(p.risk_types), "clue": p.clue,
                       "rows": [_row(r) for r in p.rows]} for p in plan.proposals],
        "skipped": [{"household": s.household_code, "head": s.head, "reason": s.zh,
                     "reason_en": s.en, "rows": [_row(r) for r in s.rows]}
                    for s in plan.skipped],
        "contradictions": [{**_row(c.row), "household": c.household_code,
                            "member": c.member_name, "field": c.finding.field,
                            "column": c.finding.label, "roster": c.finding.roster_value,
                            "message": c.finding.zh, "message_en": c.finding.en}
                           for c in plan.contradictions],
        "unmatched": [{**_row(u.row), "reason": u.reason, "message": u.zh,
                       "message_en": u.en} for u in plan.unmatched],
        "quiet": [_row(r) for r in plan.quiet],
    }


def _row(row: ListRow) -> dict[str, Any]:
    return {"sheet": row.sheet, "row": row.row, "name": row.name, "id_number": row.id_shown,
            "facts": row.facts}
