"""``fieldvisit cards (--village CODE | --household ID) -o OUT.pdf [--a5] [--whole-ids]``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import or_, select

from fieldvisit.store import Store
from fieldvisit.store.models import Household, Village


def add_parser(commands: argparse._SubParsersAction) -> None:
    cards = commands.add_parser("cards", help="打印明白卡（PDF） / household cards as PDF")
    which = cards.add_mutually_exclusive_group(required=True)
    which.add_argument("--village", help="该村全部农户 / every household of this village (code)")
    which.add_argument("--household", help="一户：ID 或户编号 / one household: id or 户编号")
    cards.add_argument("-o", "--output", type=Path, required=True, help="输出 PDF / output PDF")
    cards.add_argument("--a5", action="store_true", help="A5 纸 / A5 paper (default A4)")
    cards.add_argument("--whole-ids", action="store_true",
                       help="完整打印身份证号和电话 / print IDs and phones whole")
    cards.add_argument("--layout", type=Path, help="版式文件 / layout YAML (default bundled)")


def run(args: argparse.Namespace, store: Store) -> int:
    from fieldvisit.cards import signing
    from fieldvisit.cards.layout import LayoutError, load_layout
    from fieldvisit.cards.pdf import write_cards

    try:
        layout = load_layout(args.layout)
    except LayoutError as error:
        print(error, file=sys.stderr)
        return 2
    if args.a5:
        layout = layout.with_paper("A5")
    with store.reading() as conn:
        if args.village:
            ids = list(conn.execute(
                select(Household.id).join(Village, Village.id == Household.village_id)
                .where(Village.code == args.village, Household.deleted.is_(False))
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
    return 0
