"""The printing commands, each one PDF:

``fieldvisit cards (--village CODE|NAME | --household ID) -o OUT.pdf [--a5] [--whole-ids]``
``fieldvisit records (--visit ID | --household ID | --village CODE|NAME) -o OUT.pdf
[--latest] [--whole-ids]`` (走访记录表, completed visits only)
``fieldvisit report --village CODE|NAME -o OUT.pdf`` (村级汇总报告)
``fieldvisit handbook --household 户编号|户主身份证号 -o OUT.pdf [--print-health] [--whole-ids]``
(扶贫手册)

A village is found by code or name (``roster.villages.find``), so one with no code yet
prints too.

Exit codes: 0 written, 2 nothing found or bad input (nothing written). A bad layout file,
an unknown or ambiguous village or a visit that is not completed raise their
FieldVisitError, which ``fieldvisit.cli`` tells in Chinese and English with exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import or_, select

from fieldvisit.idcard import WHOLE_IDS_WARNING
from fieldvisit.roster import villages
from fieldvisit.store import Store
from fieldvisit.store.models import Household


def add_parser(commands: argparse._SubParsersAction) -> None:
    cards = commands.add_parser("cards", help="打印明白卡（PDF） / household cards as PDF")
    which = cards.add_mutually_exclusive_group(required=True)
    which.add_argument("--village", help="该村全部农户（村代码或村名） / every household of "
                       "this village (code or name)")
    which.add_argument("--household", help="一户：ID 或户编号 / one household: id or 户编号")
    cards.add_argument("-o", "--output", type=Path, required=True, help="输出 PDF / output PDF")
    cards.add_argument("--a5", action="store_true", help="A5 纸 / A5 paper (default A4)")
    cards.add_argument("--whole-ids", action="store_true",
                       help="完整打印身份证号和电话 / print IDs and phones whole")
    cards.add_argument("--layout", type=Path, help="版式文件 / layout YAML (default bundled)")

    records = commands.add_parser("records", help="打印走访记录表（PDF） / visit records as PDF")
    which = records.add_mutually_exclusive_group(required=True)
    which.add_argument("--visit", help="一次走访（ID） / one visit (id)")
    which.add_argument("--household", help="一户的已完成走访：ID 或户编号 / one household's "
                       "completed visits: id or 户编号")
    which.add_argument("--village", help="该村全部已完成走访（村代码或村名） / every completed "
                       "visit of this village (code or name)")
    records.add_argument("-o", "--output", type=Path, required=True,
                         help="输出 PDF / output PDF")
    records.add_argument("--latest", action="store_true",
                         help="每户只打印最近一次 / only each household's newest visit")
    records.add_argument("--whole-ids", action="store_true",
                         help="完整打印身份证号 / print ID numbers whole")

    report = commands.add_parser("report", help="打印村级汇总报告（PDF） / village summary "
                                 "report as PDF")
    report.add_argument("--village", required=True,
                        help="村代码或村名 / village code or name")
    report.add_argument("-o", "--output", type=Path, required=True, help="输出 PDF / output PDF")

    book = commands.add_parser("handbook", help="打印扶贫手册（PDF） / a household's handbook "
                               "as PDF")
    book.add_argument("--household", required=True,
                      help="户编号或户主身份证号 / 户编号 or head's ID")
    book.add_argument("-o", "--output", type=Path, required=True, help="输出 PDF / output PDF")
    book.add_argument("--print-health", action="store_true",
                      help="打印成员健康状况 / print the members' health")
    book.add_argument("--whole-ids", action="store_true",
                      help="完整打印身份证号和电话 / print IDs and phones whole")


def run(args: argparse.Namespace, store: Store) -> int:
    return {"cards": _cards, "records": _records, "report": _report,
            "handbook": _handbook}[args.command](args, store)


def _cards(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.cards import signing
    from fieldvisit.cards.layout import load_layout
    from fieldvisit.cards.pdf import write_cards

    layout = load_layout(args.layout)
    if args.a5:
        layout = layout.with_paper("A5")
    with store.reading() as conn:
        if args.village:
            village_id = villages.find(conn, args.village).id
            ids = list(conn.execute(
                select(Household.id)
                .where(Household.village_id == village_id, Household.deleted.is_(False))
                .order_by(Household.code)).scalars())
        else:
            ids = list(conn.execute(select(Household.id).where(
                or_(Household.id == args.household, Household.code == args.household),
                Household.deleted.is_(False))).scalars())
    if not ids:
        print("没有找到农户 / no household found", file=sys.stderr)
        return 2
    pages = write_cards(store, ids, args.output, layout, date.today(), whole_ids=args.whole_ids,
                        qr_payload=lambda card: signing.qr_payload(store, card.household_id))
    print(f"已生成 {args.output}：{len(ids)} 户，{pages} 页 / {len(ids)} cards, {pages} pages")
    _said_whole_ids(args, store, "cards.pdf", len(ids))
    return 0


def _records(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.cards.visit_record import completed_visits, write_visit_records

    if args.visit:
        ids = [args.visit]
    else:
        ids = completed_visits(store, household=args.household, village=args.village,
                               latest=args.latest)
    if not ids:
        print("没有找到已完成的走访记录 / no completed visit found", file=sys.stderr)
        return 2
    pages = write_visit_records(store, ids, args.output, date.today(),
                                whole_ids=args.whole_ids)
    print(f"已生成 {args.output}：{len(ids)} 份走访记录，{pages} 页 / "
          f"{len(ids)} visit records, {pages} pages")
    _said_whole_ids(args, store, "records.pdf", len(ids))
    return 0


def _said_whole_ids(args: argparse.Namespace, store: Store, what: str, count: int) -> None:
    """A paper printed with whole ID numbers is journaled and the cadre warned."""
    if args.whole_ids:
        store.record_export(what, args.output, count, whole_ids=True)
        print("\n".join(WHOLE_IDS_WARNING), file=sys.stderr)


def _report(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.cards.village_report import write_village_report

    pages = write_village_report(store, args.village, args.output, date.today())
    print(f"已生成 {args.output}：村级汇总报告 {pages} 页 / village report, {pages} pages")
    return 0


def _handbook(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.cards.handbook import HandbookOptions, write_handbook
    from fieldvisit.roster.lookup import find_household

    with store.reading() as conn:
        household = find_household(conn, args.household)
    pages = write_handbook(store, household.id, args.output, HandbookOptions(
        date.today(), print_health=args.print_health, whole_ids=args.whole_ids))
    print(f"已生成 {args.output}：户 {household.code} 扶贫手册 {pages} 页 / "
          f"handbook, {pages} pages")
    _said_whole_ids(args, store, "handbook.pdf", 1)
    return 0
