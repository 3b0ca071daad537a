"""``fieldvisit monitor …``: the 防返贫监测 procedure on the command line (county IT
scripts it; ``--json`` where asked).

``monitor open HOUSEHOLD --via 农户申报|干部排查|部门预警 --risk 因病[,因学] [--note T]``
``monitor step CASE STEP [--result 通过|不通过] [--date D] [--note T] …``
``monitor accept CASE`` / ``monitor decline CASE --note T`` (a proposal: 待确认)
``monitor eliminate CASE|HOUSEHOLD [--note T]`` (opens a 风险消除 case, or refuses why)
``monitor list [--village V] [--open] [--json]``
``monitor publicity --village V -o 公示.pdf [--date D] [--phone 乡镇电话]`` (村级公示名单)
``monitor yearly --village V --year Y -o F.pdf`` (动态管理年度报告: 纳入 and 风险消除)

HOUSEHOLD is a 户编号 or the head's ID number; CASE the id ``monitor open`` printed, the
same on the laptop and at the county. The data folder says where the command runs: a
county server's (it has the county's code) may record 乡镇审核 and 县级审批 and nothing
else; a laptop's everything else. A refusal exits 2 with one line in Chinese and English.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from fieldvisit.checklist import installed
from fieldvisit.checklist.settings import load_settings
from fieldvisit.monitoring import cases, department_command, elimination
from fieldvisit.monitoring.cases import CaseView, StepInput
from fieldvisit.roster import villages
from fieldvisit.roster.lookup import UnknownHouseholdError, find_household
from fieldvisit.roster.vocab import split_risks
from fieldvisit.store import Store
from fieldvisit.store.fields import CASE_SOURCES, STEP_RESULTS

OK, REFUSED = 0, 2


def add_parser(commands: argparse._SubParsersAction) -> None:
    monitor = commands.add_parser("monitor", help="防返贫监测程序 / the monitoring procedure")
    actions = monitor.add_subparsers(dest="monitor_command", required=True)

    opened = actions.add_parser("open", help="立案（纳入监测程序） / open an entry case")
    opened.add_argument("household", help="户编号或户主身份证号 / 户编号 or head's ID")
    opened.add_argument("--via", required=True, help=f"线索来源 / source: {'|'.join(CASE_SOURCES)}")
    opened.add_argument("--risk", required=True, help="风险类型，逗号分隔（≤4） / risk types")
    opened.add_argument("--risk-other", help="“其他”风险的说明 / what 其他 means")
    opened.add_argument("--category", help="拟定监测对象类别 / proposed category")
    opened.add_argument("--department", help="部门预警的部门 / the warning department")
    _common(opened)

    step = actions.add_parser("step", help="办理一步 / record a step")
    step.add_argument("case", help="程序编号 / case id")
    step.add_argument("step", help="步骤 / step: " + "、".join(cases.ENTRY_STEPS))
    step.add_argument("--result", default=cases.PASSED, choices=STEP_RESULTS)
    step.add_argument("--date", type=date.fromisoformat, help="办理日期 / day (default today)")
    step.add_argument("--by", help="办理人 / who did it (default: the data folder's user)")
    step.add_argument("--authorised", action="store_true",
                      help="入户核实：农户已签授权书 / the household signed its authorisation")
    step.add_argument("--attendance", type=int, help="民主评议参会人数 / attendance")
    step.add_argument("--from", dest="publicity_from", type=date.fromisoformat,
                      help="公示开始 / publicity's first day")
    step.add_argument("--to", dest="publicity_to", type=date.fromisoformat,
                      help="公示结束 / publicity's last day")
    step.add_argument("--objections", help="公示期间的异议 / objections raised")
    step.add_argument("--category", help="县级审批定的监测对象类别 / the category decided")
    _common(step)

    accept = actions.add_parser("accept", help="确认立案（待确认的建议） / accept a proposal")
    accept.add_argument("case")
    accept.add_argument("--json", action="store_true")
    decline = actions.add_parser("decline", help="不立案（写明原因） / decline a proposal")
    decline.add_argument("case")
    _common(decline)

    eliminate = actions.add_parser("eliminate", help="申请风险消除 / open a 风险消除 case")
    eliminate.add_argument("household", help="户编号、户主身份证号或纳入程序编号 / 户编号, "
                           "head's ID or the entry case")
    _common(eliminate)

    department_command.add_parser(actions)  # compare LIST --source 民政|残联|…

    listed = actions.add_parser("list", help="列出监测程序 / list cases")
    listed.add_argument("--village", help="村代码或村名 / village code or name")
    listed.add_argument("--open", action="store_true", help="只列未办结的 / open cases only")
    listed.add_argument("--json", action="store_true")

    notice = actions.add_parser("publicity", help="打印村级公示名单（PDF） / the 公示 list as PDF")
    notice.add_argument("--village", required=True, help="村代码或村名 / village code or name")
    notice.add_argument("-o", "--output", type=Path, required=True, help="输出 PDF / output PDF")
    notice.add_argument("--date", type=date.fromisoformat,
                        help="公示日期（默认今天） / the notice's day (default today)")
    notice.add_argument("--phone", help="乡镇监督电话 / the township's supervision phone")

    yearly = actions.add_parser("yearly", help="打印动态管理年度报告（PDF） / the year's entries "
                                "and eliminations as PDF")
    yearly.add_argument("--village", required=True, help="村代码或村名 / village code or name")
    yearly.add_argument("--year", type=int, required=True, help="年度 / year")
    yearly.add_argument("-o", "--output", type=Path, required=True, help="输出 PDF / output PDF")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--note", help="说明 / note")
    parser.add_argument("--json", action="store_true", help="机器可读 / JSON output")


def at_county(store: Store) -> bool:
    """A county server's folder: its store knows the county's own code."""
    return bool(store.meta.county_code)


def run(args: argparse.Namespace, store: Store) -> int:
    """One monitor action; a CaseError (or any FieldVisitError) is told by the CLI."""
    if args.monitor_command == "compare":
        return department_command.run(args, store)
    today = date.today()
    # the thresholds only: loading and checking every form would cost each command
    forms_settings = load_settings(installed.settings_path(store.folder))
    action = args.monitor_command
    if action == "list":
        return _list(args, store, forms_settings)
    if action == "publicity":
        return _publicity(args, store, forms_settings)
    if action == "yearly":
        return _yearly(args, store)
    if action in ("open", "eliminate"):
        with store.reading() as conn:
            household = _household(conn, args.household)
        if action == "open":
            case_id = cases.open_case(
                store, household, source=args.via, risks=split_risks(args.risk),
                today=today, risk_other=args.risk_other, clue=args.note,
                category=args.category, department=args.department)
        else:
            case_id = elimination.open_elimination(store, household, today, forms_settings,
                                                   args.note)
        return _told(args, store, case_id)
    if action in ("accept", "decline"):
        cases.decide_proposal(store, args.case, action == "accept", today,
                              getattr(args, "note", None))
        return _told(args, store, args.case)
    given = StepInput(
        step=args.step, done_on=args.date or today, actor=args.by or store.actor,
        result=args.result, note=args.note, authorised=args.authorised or None,
        attendance=args.attendance, publicity_from=args.publicity_from,
        publicity_to=args.publicity_to, objections=args.objections, category=args.category)
    cases.record_step(store, args.case, given, at_county=at_county(store),
                      settings=forms_settings)
    return _told(args, store, args.case)


def _household(conn: Connection, text: str) -> str:
    """A household named by 户编号 or head's ID, or by one of its cases (``monitor
    eliminate CASE``: the household the entry case brought into monitoring)."""
    try:
        return find_household(conn, text).id
    except UnknownHouseholdError:
        try:
            return cases.case(conn, text.strip()).household_id
        except cases.CaseError:
            raise UnknownHouseholdError(
                f"没有户编号、户主身份证号或程序编号为“{text}”的农户",
                f"no household or case {text!r}") from None


def _told(args: argparse.Namespace, store: Store, case_id: str) -> int:
    with store.reading() as conn:
        view = cases.case(conn, case_id)
    if args.json:
        print(json.dumps(_json(view), ensure_ascii=False))
    else:
        following = f"，下一步：{view.next_step}" if view.next_step else ""
        print(f"{view.id}  户 {view.household_code} {view.head}  {view.kind} · "
              f"{view.shown_status}{following}")
    return OK


def _list(args: argparse.Namespace, store: Store, settings: Any) -> int:
    today = date.today()
    with store.reading() as conn:
        village = villages.find(conn, args.village).id if args.village else None
        found = cases.cases(conn, village_id=village, open_only=args.open, settings=settings)
    if args.json:
        print(json.dumps([_json(c, today) for c in found], ensure_ascii=False, indent=1))
        return OK
    for c in found:
        due = f"  应办结 {c.due_on}{'（已逾期）' if c.overdue(today) else ''}" if c.due_on else ""
        print(f"{c.id}  户 {c.household_code} {c.head}  {c.kind} · {c.shown_status}  "
              f"下一步：{c.next_step or '—'}{due}")
    if not found:
        print("没有监测程序 / no cases", file=sys.stderr)
    return OK


def _publicity(args: argparse.Namespace, store: Store, settings: Any) -> int:
    from fieldvisit.monitoring import publicity

    notice = publicity.publicity(store, args.village, args.date or date.today(),
                                 given_day=args.date is not None, township_phone=args.phone,
                                 settings=settings)
    pages = publicity.write_publicity(notice, args.output)
    print(f"已生成 {args.output}：公示 {len(notice.lines)} 户，{pages} 页 / "
          f"{len(notice.lines)} households, {pages} pages")
    return OK


def _yearly(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.monitoring import yearly

    report = yearly.yearly_report(store, args.village, args.year, date.today())
    pages = yearly.write_yearly_report(report, args.output)
    print(f"已生成 {args.output}：{args.year} 年纳入 {len(report.entered)} 户、风险消除 "
          f"{len(report.eliminated)} 户，{pages} 页 / {pages} pages")
    return OK


def _json(c: CaseView, today: date | None = None) -> dict[str, Any]:
    return {
        "id": c.id, "household": c.household_code, "head": c.head, "kind": c.kind,
        "source": c.source, "department": c.department, "status": c.shown_status,
        "state": c.status, "next_step": c.next_step, "opened_on": c.opened_on.isoformat(),
        "closed_on": c.closed_on.isoformat() if c.closed_on else None,
        "due_on": c.due_on.isoformat() if c.due_on else None,
        "overdue": c.overdue(today or date.today()), "category": c.category,
        "risk_types": split_risks(c.risk_types), "risk_other": c.risk_other,
        "steps": [{"step": s.step, "result": s.result, "on": s.done_on.isoformat(),
                   "by": s.actor, "note": s.note} for s in c.steps],
    }
