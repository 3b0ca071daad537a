"""动态管理 yearly report: who came into monitoring in a year and whose risk was removed.

Monitoring is 动态管理: households enter when a risk appears and leave it when the risk is
gone, and the township asks each village once a year how many did which, by 监测对象类别
and by 风险类型. The counts come from the cases themselves, by the day their 县级审批
passed (the decision, not the first clue), so a case opened in December and approved in
January counts in January's year, and the lists under the tables name each household so
that every figure can be checked. No ID number or phone is printed: the report travels.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from sqlalchemy import func, select

from fieldvisit.cards.typeset import Styles, para, write_document
from fieldvisit.cards.visit_record import (
    Section,
    dated,
    listing,
    pairs,
    signed_sections,
    titled,
)
from fieldvisit.monitoring import cases
from fieldvisit.monitoring.cases import CaseView
from fieldvisit.roster import queries, villages
from fieldvisit.roster.vocab import MONITOR_CATEGORIES, RISK_SEPARATOR, RISK_TYPES, split_risks
from fieldvisit.store import Store
from fieldvisit.store.models import Household

DECISION = "县级审批"
UNDECIDED = "类别未定"


@dataclass(frozen=True)
class Decided:
    """One household entered or eliminated in the year."""

    code: str
    head: str
    size: int
    category: str
    risks: tuple[str, ...]
    source: str
    entered_on: date | None  # 识别时间 (for an elimination: when it had entered)
    decided_on: date  # the 县级审批


@dataclass(frozen=True)
class YearlyReport:
    village: str
    code: str
    year: int
    today: date
    entered: tuple[Decided, ...]
    eliminated: tuple[Decided, ...]
    not_entered: int  # 纳入 cases closed without entry in the year (不通过 / 不立案)
    monitored_now: int  # 监测对象 on the printing day
    at_risk_now: int  # of which the risk is not eliminated


def yearly_report(store: Store, village: str, year: int, today: date) -> YearlyReport:
    """The figures of a village (code or name) for ``year``."""
    with store.reading() as conn:
        chosen = villages.find(conn, village)
        found = cases.cases(conn, village_id=chosen.id)
        households = {row.id: row for row in queries.household_rows(
            conn, {c.household_id for c in found})}
        facts = {row.id: row for row in conn.execute(
            select(Household.id, Household.identified_on, Household.monitor_category)
            .where(Household.id.in_(list(households))))}
        monitored, at_risk = conn.execute(
            select(func.count(), func.count().filter(Household.risk_eliminated.is_(False)))
            .where(Household.village_id == chosen.id, Household.deleted.is_(False),
                   Household.monitored.is_(True))).one()
    entered, eliminated = [], []
    for case in found:
        decided = _decided_on(case)
        row = households.get(case.household_id)
        if decided is None or decided.year != year or row is None:
            continue
        if case.kind == cases.ENTRY and case.status == cases.ENTERED:
            entered.append(Decided(row.code, case.head or row.head, row.size,
                                   case.category or UNDECIDED,
                                   tuple(split_risks(case.risk_types)), case.source or "",
                                   decided, decided))
        elif case.kind == cases.ELIMINATION and case.status == cases.ELIMINATED:
            fact = facts.get(case.household_id)
            eliminated.append(Decided(
                row.code, case.head or row.head, row.size,
                (fact.monitor_category if fact else None) or UNDECIDED,
                tuple(split_risks(row.risk_types)), case.source or "",
                fact.identified_on if fact else None, decided))
    not_entered = sum(1 for c in found if c.kind == cases.ENTRY
                      and c.status == cases.NOT_ENTERED and c.closed_on is not None
                      and c.closed_on.year == year)
    return YearlyReport(chosen.name, chosen.code or villages.NO_CODE, year, today,
                        tuple(sorted(entered, key=lambda d: (d.decided_on, d.code))),
                        tuple(sorted(eliminated, key=lambda d: (d.decided_on, d.code))),
                        not_entered, monitored, at_risk)


def _decided_on(case: CaseView) -> date | None:
    """The day the county approved the case, None while it has not."""
    return next((s.done_on for s in case.steps
                 if s.step == DECISION and s.result == cases.PASSED), None)


# Drawing ----------------------------------------------------------------------------------

def write_yearly_report(report: YearlyReport, path: Path) -> int:
    """Write the report as a PDF at ``path`` (crash-safe); the page count."""
    return write_document(path, [lambda width, st: report_flowables(report, width, st)],
                          title=title_of(report))


def title_of(report: YearlyReport) -> str:
    return f"{report.village}{report.year}年防返贫监测对象动态管理情况"


def report_flowables(report: YearlyReport, width: float, st: Styles) -> list:
    story = titled(title_of(report), f"村代码：{report.code} · 统计年度：{report.year}年 · "
                   f"打印日期：{dated(report.today)}", st)
    sections: tuple[Section[YearlyReport], ...] = (
        ("总体情况", _overview), ("按监测对象类别", _by_category), ("按风险类型", _by_risk),
        ("本年纳入监测的农户", _entered), ("本年风险消除的农户", _eliminated))
    return story + signed_sections(sections, report, ("填报人", "审核人"), width, st)


def _households(found: tuple[Decided, ...]) -> str:
    return f"{len(found)} 户 {sum(d.size for d in found)} 人"


def _overview(report: YearlyReport, width: float, st: Styles) -> list:
    return [pairs([[("本年新纳入", _households(report.entered)),
                    ("本年风险消除", _households(report.eliminated))],
                   [("未予纳入", f"{report.not_entered} 户"),
                    ("现有监测对象", f"{report.monitored_now} 户（风险未消除 "
                                     f"{report.at_risk_now} 户）")]], width, st),
            Spacer(1, 1.5 * mm * st.scale),
            para("按县级审批日期统计；未予纳入为本年程序终止（不通过、不立案）的户数；"
                 "现有监测对象为打印日的数字。", st.small)]


def _by_category(report: YearlyReport, width: float, st: Styles) -> list:
    entered = Counter(d.category for d in report.entered)
    eliminated = Counter(d.category for d in report.eliminated)
    persons_in = Counter({c: sum(d.size for d in report.entered if d.category == c)
                          for c in entered})
    persons_out = Counter({c: sum(d.size for d in report.eliminated if d.category == c)
                           for c in eliminated})
    known = [*MONITOR_CATEGORIES, *sorted((entered | eliminated).keys()
                                          - set(MONITOR_CATEGORIES))]
    rows = [(c, entered[c], persons_in[c], eliminated[c], persons_out[c]) for c in known]
    total = [len(report.entered), sum(persons_in.values()), len(report.eliminated),
             sum(persons_out.values())]
    return [listing(("序号", "监测对象类别", "纳入户数", "纳入人数", "消除户数", "消除人数"), rows,
                    (0.08, 0.32, 0.15, 0.15, 0.15, 0.15), width, st, centred=(2, 3, 4, 5),
                    total=total)]


def _by_risk(report: YearlyReport, width: float, st: Styles) -> list:
    entered = Counter(r for d in report.entered for r in d.risks)
    eliminated = Counter(r for d in report.eliminated for r in d.risks)
    known = [r for r in RISK_TYPES if entered[r] or eliminated[r]]
    known += sorted((entered | eliminated).keys() - set(RISK_TYPES))
    rows = [(r, entered[r], eliminated[r]) for r in known]
    return [listing(("序号", "风险类型", "纳入户数", "消除户数"), rows, (0.08, 0.46, 0.23, 0.23),
                    width, st, centred=(2, 3), empty="本年没有纳入或消除的农户"),
            Spacer(1, 1.5 * mm * st.scale),
            para("一户有多种风险的，分别计入每一种风险类型，故各类户数之和可多于总户数。",
                 st.small)]


def _entered(report: YearlyReport, width: float, st: Styles) -> list:
    rows = [(d.code, d.head, d.size, d.category, RISK_SEPARATOR.join(d.risks), d.source,
             d.decided_on.isoformat()) for d in report.entered]
    return [listing(("序号", "户编号", "户主", "人口", "监测对象类别", "风险类型", "线索来源",
                     "审批日期"), rows, (0.06, 0.24, 0.09, 0.06, 0.15, 0.16, 0.10, 0.14),
                    width, st, small=True, empty="本年没有新纳入的农户", centred=(3, 7))]


def _eliminated(report: YearlyReport, width: float, st: Styles) -> list:
    rows = [(d.code, d.head, d.size, d.category, RISK_SEPARATOR.join(d.risks),
             d.entered_on.isoformat() if d.entered_on else "", d.decided_on.isoformat())
            for d in report.eliminated]
    return [listing(("序号", "户编号", "户主", "人口", "监测对象类别", "风险类型", "纳入日期",
                     "消除日期"), rows, (0.06, 0.24, 0.09, 0.06, 0.15, 0.12, 0.14, 0.14),
                    width, st, small=True, empty="本年没有风险消除的农户", centred=(3, 6, 7))]
