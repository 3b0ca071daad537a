"""``fieldvisit quality list|dismiss``: the data-quality problems, and 核实无误 with a note.

``list`` prints every problem (a village's, or all), those found right marked with their
note; ``dismiss HOUSEHOLD RULE --note T [--member ID]`` records that one was checked and
is right (the household by 户编号 or its head's ID number, the member by ID number),
after which no summary counts it.
"""

from __future__ import annotations

import argparse
from datetime import date

from fieldvisit.checklist import installed
from fieldvisit.checklist.settings import load_settings
from fieldvisit.quality import dismissals, rules
from fieldvisit.quality.summary import quality_review
from fieldvisit.roster import villages
from fieldvisit.roster.lookup import find_household
from fieldvisit.store import Store

HELP = "数据质量：列出问题、核实无误 / data quality: list, dismiss as checked"


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("quality", help=HELP)
    actions = parser.add_subparsers(dest="quality_command", required=True)
    listed = actions.add_parser("list", help="列出数据质量问题 / list the problems")
    listed.add_argument("--village", help="只列该村（村代码或村名） / only this village "
                        "(code or name)")
    dismiss = actions.add_parser("dismiss", help="核实无误（须写明说明） / dismiss a problem "
                                 "as checked and right (a note is required)")
    dismiss.add_argument("household", help="户编号或户主身份证号 / 户编号 or the head's ID")
    dismiss.add_argument("rule", help="规则编号，如 too_old（quality list 第三列） / the rule "
                         "id, e.g. too_old (third column of quality list)")
    dismiss.add_argument("--note", required=True, help="核实情况 / what was checked")
    dismiss.add_argument("--member", help="成员身份证号（规则涉及多名成员时） / the member's "
                         "ID number, when the rule flags several")


def run(args: argparse.Namespace, store: Store) -> int:
    settings = load_settings(installed.settings_path(store.folder))
    today = date.today()
    if args.quality_command == "dismiss":
        with store.reading() as conn:
            household = find_household(conn, args.household)
        made = dismissals.dismiss(store, household.id, args.rule, args.note, today,
                                  member=args.member, settings=settings)
        print(f"已记为核实无误：户 {household.code} “{rules.RULES[args.rule].title}”"
              f"（{len(made)} 条），不再计入数据质量问题。 / dismissed as checked")
        return 0
    with store.reading() as conn:
        village_id = villages.find(conn, args.village).id if args.village else None
    reviewed, _heads = quality_review(store, village_id, today, settings)
    print("户编号\t成员\t规则\t严重程度\t问题\t核实 / household, member, rule, severity, "
          "problem, checked")
    for problem, dismissal in reviewed.all():
        checked = f"核实无误：{dismissal.note}（{dismissal.actor} {dismissal.on}）" \
            if dismissal else ""
        print(f"{problem.household_code}\t{problem.member_id or ''}\t{problem.rule}\t"
              f"{problem.severity}\t{problem.message}\t{checked}")
    households = len({p.household_id for p in reviewed.counted})
    print(f"共 {len(reviewed.counted)} 个问题，涉及 {households} 户；另有 "
          f"{len(reviewed.dismissed)} 个经核实无误，不计入。 / {len(reviewed.counted)} "
          f"problems in {households} households, {len(reviewed.dismissed)} dismissed")
    return 0
