"""``fieldvisit helpers list|assign|history``: the 帮扶责任人 registry from the command line.

``assign HOUSEHOLD NAME`` is what a township does when it reassigns helpers: the
household (户编号 or its head's ID number) gets the helper called NAME in its village (a
new registry entry when there is none) from ``--from`` (default today); the previous
helper's assignment ends that day and stays in the household's history.
"""

from __future__ import annotations

import argparse
from datetime import date

from fieldvisit.errors import FieldVisitError
from fieldvisit.roster import assignments, villages
from fieldvisit.roster.lookup import find_household
from fieldvisit.store import Store

HELP = "帮扶责任人：列出、指派、历史 / helpers: list, assign, history"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("helpers", help=HELP)
    actions = parser.add_subparsers(dest="helpers_command", required=True)
    listed = actions.add_parser("list", help="列出帮扶责任人 / list the helpers")
    listed.add_argument("--village", help="只列该村（村代码或村名） / only this village "
                        "(code or name)")
    assign = actions.add_parser("assign", help="为农户指派帮扶责任人 / assign a helper to "
                                "a household")
    assign.add_argument("household", help="户编号或户主身份证号 / 户编号 or the head's ID")
    assign.add_argument("name", help="帮扶责任人姓名 / the helper's name")
    assign.add_argument("--unit", help="帮扶单位 / the helper's work unit")
    assign.add_argument("--post", help="职务 / post")
    assign.add_argument("--phone", help="联系电话 / phone")
    assign.add_argument("--from", dest="started_on", type=_day, default=None,
                        help="开始日期 YYYY-MM-DD（默认今天） / start date (default today)")
    history = actions.add_parser("history", help="农户的帮扶责任人历史 / a household's helpers")
    history.add_argument("household", help="户编号或户主身份证号 / 户编号 or the head's ID")


def run(args: argparse.Namespace, store: Store) -> int:
    if args.helpers_command == "assign":
        return _assign(args, store)
    if args.helpers_command == "history":
        return _history(args, store)
    return _list(args, store)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期应写成 YYYY-MM-DD：{text} / a date is written YYYY-MM-DD") from None


def _list(args: argparse.Namespace, store: Store) -> int:
    with store.reading() as conn:
        village_id = villages.find(conn, args.village).id if args.village else None
        found = assignments.listing(conn, village_id)
    if not found:
        print("还没有登记帮扶责任人。 / No helper registered yet.")
        return 0
    print("村\t姓名\t单位\t职务\t电话\t帮扶户数 / village, name, unit, post, phone, households")
    for listed in found:
        h = listed.helper
        print(f"{listed.village}\t{h.name}\t{h.unit or ''}\t{h.post or ''}\t{h.phone or ''}\t"
              f"{listed.households}")
    return 0


def _assign(args: argparse.Namespace, store: Store) -> int:
    today = date.today()
    with store.reading() as conn:
        household = find_household(conn, args.household)
    made = assignments.assign_named(store, household.id, args.name,
                                    args.started_on or today, unit=args.unit,
                                    post=args.post, phone=args.phone, today=today)
    if made is None:
        print(f"{args.name} 已是户 {household.code} 的帮扶责任人，未作改动。\n"
              f"{args.name} already helps household {household.code}; nothing changed.")
    else:
        print(f"已指派 {args.name} 为户 {household.code} 的帮扶责任人（自 "
              f"{args.started_on or today} 起）。 / helper assigned")
    return 0


def _history(args: argparse.Namespace, store: Store) -> int:
    with store.reading() as conn:
        household = find_household(conn, args.household)
        rows = assignments.handbook_rows(conn, household.id)
    if not rows:
        raise FieldVisitError(f"户 {household.code} 还没有帮扶责任人记录",
                              f"household {household.code} has no helper recorded")
    print("姓名\t单位\t职务\t电话\t开始\t结束 / name, unit, post, phone, from, to")
    for name, unit, post, phone, started, ended in rows:
        print(f"{name}\t{unit or ''}\t{post or ''}\t{phone or ''}\t{started}\t"
              f"{ended or '至今'}")
    return 0
