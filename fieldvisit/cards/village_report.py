"""村级汇总报告: one village's monitoring and visit figures on paper, for the township.

The figures are the dashboard's (``quality.summary``: the same facts, counted the same
way), so what a cadre saw on screen is what the township receives: households and
persons by 户类型 and by colour, visit coverage, 本月待访, the problem ledger by category
and status, overdue problems, the red households and the data-quality problems by rule.
No ID numbers or phones are printed: the report travels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy import select

from fieldvisit.cards.typeset import Styles, para, ruled, write_document
from fieldvisit.cards.visit_record import (
    Section,
    dated,
    listing,
    signed_sections,
    titled,
)
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.quality import rules, schedule, summary
from fieldvisit.quality.colours import LABELS, RED
from fieldvisit.roster.villages import NO_CODE, find
from fieldvisit.store import Store
from fieldvisit.store.models import County, Township, Village
from fieldvisit.visits import ledger
from fieldvisit.visits.export import SEVERITY_ZH

OPEN_STATUSES = tuple(s for s in ledger.STATUSES if s != ledger.CLOSED)
SEVERITY_ORDER = {rules.HIGH: 0, rules.MEDIUM: 1, rules.LOW: 2}


@dataclass(frozen=True)
class VillageReport:
    village: str
    place: str  # county and township
    code: str
    today: date
    households: int
    persons: int
    by_status: tuple[tuple[str, int, int], ...]  # (户类型 / 监测对象类别, households, persons)
    by_colour: tuple[tuple[str, int, int], ...]  # (红（不放心）…, households, persons)
    coverage: tuple[tuple[str, int], ...]  # (window, households visited in it)
    due: tuple[int, int, int]  # 本月待访, of which overdue, of which never visited
    problems: tuple[tuple[str, tuple[int, ...]], ...]  # category -> count per STATUSES
    overdue: tuple[tuple[str, ...], ...]  # printed rows of overdue problems
    red: tuple[tuple[str, ...], ...]  # printed rows of the red households
    quality: tuple[tuple[str, str, int, int], ...]  # (rule, 高/中/低, problems, households)
    dismissed: int = 0  # data-quality problems checked and found right: not counted


def village_report(store: Store, village: str, today: date,
                   settings: Mapping[str, float] = DEFAULT_SETTINGS) -> VillageReport:
    """The figures of a village (code or name); UnknownVillageError when there is none.
    A village with no code yet prints 无代码 where its code would be."""
    with store.reading() as conn:
        chosen = find(conn, village)
        village_id = chosen.id
        place = conn.execute(
            select(Village.name, Township.name, County.name)
            .outerjoin(Township, Township.id == Village.township_id)
            .outerjoin(County, County.id == Township.county_id)
            .where(Village.id == village_id)).one()
        facts = summary.read_facts(conn, village_id, settings, today)
        every = schedule.due_visits(conn, facts.last_visits, today, settings, village_id,
                                    facts.face_to_face)
    due = schedule.due_this_month(every, today)
    reviewed, _heads = summary.quality_review(store, village_id, today, settings)
    found = reviewed.counted
    types, type_persons = facts.by_status(), facts.by_status(persons=True)
    colours, colour_persons = facts.by_colour(), facts.by_colour(persons=True)
    return VillageReport(
        place[0], "".join(p for p in (place[2], place[1]) if p), chosen.code or NO_CODE, today,
        len(facts.households), sum(h.size for h in facts.households.values()),
        tuple((kind or "未填", n, type_persons[kind]) for kind, n in types.items()),
        tuple((f"{c}（{LABELS[c]}）", n, colour_persons[c]) for c, n in colours.items()),
        _coverage(facts, every, today, settings),
        (len(due), sum(1 for d in due if d.overdue_days > 0 and not d.never_visited),
         sum(1 for d in due if d.never_visited)),
        _by_category(facts.problems), _overdue(facts, today), _red(facts),
        _quality(found), len(reviewed.dismissed))


def _coverage(facts: summary.VillageFacts, every: list[schedule.DueVisit], today: date,
              settings: Mapping[str, float]) -> tuple[tuple[str, int], ...]:
    """Households visited as their status requires (监测对象 and 脱贫户 contacted and met
    on time, 一般农户 screened this year), within the monthly interval, this quarter (the
    township counts by quarter), in this year's 遍访, and ever; every kind of visit counts
    as a contact, a 遍访 only when the secretary or 第一书记 made it."""
    monthly = schedule.norms(settings)[schedule.MONITORED].contact_days or 30
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return (("按户类别要求已访", sum(d.covered for d in every)),
            (f"近 {monthly} 天", facts.covered_since(today - timedelta(days=monthly))),
            (f"本季度（{dated(quarter)}起）", facts.covered_since(quarter)),
            ("本年遍访（村支书/第一书记）", len(facts.surveyed)),
            ("累计有走访记录", len(facts.last_visits)))


def _by_category(problems: list[ledger.ProblemRow]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    counts = Counter((p.category, p.status) for p in problems)
    opened = Counter(p.category for p in problems if p.status != ledger.CLOSED)
    categories = sorted({p.category for p in problems}, key=lambda c: (-opened[c], c))
    return tuple((c, tuple(counts[c, s] for s in ledger.STATUSES)) for c in categories)


def _overdue(facts: summary.VillageFacts, today: date) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (p.household_code, facts.households[p.household_id].head, f"【{p.category}】{p.text}",
         _iso(p.deadline), f"{(today - p.deadline).days} 天", p.responsible or "")
        for p in facts.open_problems() if p.deadline and p.deadline < today)


def _red(facts: summary.VillageFacts) -> tuple[tuple[str, ...], ...]:
    open_problems = Counter(p.household_id for p in facts.open_problems())
    return tuple(
        (row.code, row.head, row.status, str(row.size), str(open_problems[hid]),
         _iso(facts.last_visits.get(hid)) or "从未走访", row.helper)
        for hid, row in facts.households.items() if facts.colours[hid] == RED)


def _iso(day: date | None) -> str:
    """Dates in the dense lists: short enough for a narrow column."""
    return day.isoformat() if day else ""


def _quality(found: list[rules.QualityProblem]) -> tuple[tuple[str, str, int, int], ...]:
    problems = Counter(p.rule for p in found)
    households = {rule: len({p.household_id for p in found if p.rule == rule})
                  for rule in problems}
    ordered = sorted(problems, key=lambda r: (SEVERITY_ORDER.get(rules.RULES[r].severity, 3),
                                              -problems[r], r))
    return tuple((rules.RULES[r].title, SEVERITY_ZH[rules.RULES[r].severity], problems[r],
                  households[r]) for r in ordered)


# Drawing ----------------------------------------------------------------------------------

def write_village_report(store: Store, village: str, path: Path, today: date, *,
                         progress: Callable[[int, int], None] | None = None,
                         cancelled: Callable[[], bool] | None = None) -> int:
    """Write the village's summary report as a PDF at ``path`` (crash-safe); the page
    count. UnknownVillageError (nothing written) when no village is called so."""
    report = village_report(store, village, today)
    return write_document(path, [lambda width, st: report_flowables(report, width, st)],
                          title=report_title(report), progress=progress, cancelled=cancelled)


def report_title(report: VillageReport) -> str:
    return f"{report.village}防返贫监测走访汇总报告"


def report_flowables(report: VillageReport, width: float, st: Styles) -> list:
    story = titled(report_title(report), f"{report.place}{report.village} · 村代码："
                   f"{report.code} · 统计日期：{dated(report.today)}", st)
    sections: tuple[Section[VillageReport], ...] = (
        ("农户基本情况", _types), ("风险等级（红黄绿）", _colours), ("走访覆盖", _visits),
        ("问题整改", _ledger), ("逾期未整改问题", _late), ("红色（不放心）户名单", _red_list),
        ("数据质量", _data_quality))
    return story + signed_sections(sections, report, ("填报人", "审核人"), width, st)


def _share(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


def _counted(label: str, rows: tuple[tuple[str, int, int], ...], report: VillageReport,
             width: float, st: Styles) -> list:
    """Households and persons per kind, with each kind's share and a total."""
    data = [[kind, n, _share(n, report.households), persons] for kind, n, persons in rows]
    total = [report.households, _share(report.households, report.households), report.persons]
    return [listing(("序号", label, "户数", "占总户数", "人数"), data,
                    (0.08, 0.38, 0.18, 0.18, 0.18), width, st, centred=(2, 3, 4),
                    total=total)]


def _types(report: VillageReport, width: float, st: Styles) -> list:
    return _counted("户类型/监测对象类别", report.by_status, report, width, st)


def _colours(report: VillageReport, width: float, st: Styles) -> list:
    return _counted("风险等级", report.by_colour, report, width, st)


def _visits(report: VillageReport, width: float, st: Styles) -> list:
    """Households visited per window across, each with its share of the village."""
    col = width / len(report.coverage)
    due, overdue, never = report.due
    return [ruled([[para(window, st.head) for window, _n in report.coverage],
                   [para(f"{n} 户（{_share(n, report.households)}）", st.label)
                    for _w, n in report.coverage]], [col] * len(report.coverage), header=True),
            Spacer(1, 1.5 * mm),
            para(f"本月待访 {due} 户，其中逾期未访 {overdue} 户、从未走访 {never} 户。", st.cell)]


def _ledger(report: VillageReport, width: float, st: Styles) -> list:
    rows = [[category, *counts[:-1], sum(counts[:-1]), counts[-1]]
            for category, counts in report.problems]
    totals = [sum(counts[i] for _c, counts in report.problems)
              for i in range(len(ledger.STATUSES))]
    heads = ("序号", "问题类别", *OPEN_STATUSES, "未销号小计", ledger.CLOSED)
    counted = range(2, len(heads))
    return [listing(heads, rows, (0.08, 0.30, *[0.62 / len(counted)] * len(counted)), width,
                    st, empty="问题整改台账中没有问题", centred=counted,
                    total=[*totals[:-1], sum(totals[:-1]), totals[-1]])]


def _late(report: VillageReport, width: float, st: Styles) -> list:
    return [listing(("序号", "户编号", "户主", "问题", "整改期限", "逾期", "责任人"),
                    report.overdue, (0.06, 0.23, 0.09, 0.34, 0.13, 0.07, 0.08), width, st,
                    empty="没有逾期未整改的问题", small=True, centred=(4, 5))]


def _red_list(report: VillageReport, width: float, st: Styles) -> list:
    return [listing(("序号", "户编号", "户主", "户类型", "人数", "问题数", "上次走访",
                     "帮扶责任人"), report.red, (0.06, 0.25, 0.10, 0.14, 0.06, 0.08, 0.14, 0.17),
                    width, st, empty="没有红色户", small=True, centred=(4, 5, 6))]


def _data_quality(report: VillageReport, width: float, st: Styles) -> list:
    rows = [list(line) for line in report.quality]
    story: list[Flowable] = [
        listing(("序号", "规则", "严重程度", "问题数", "涉及户数"), rows,
                (0.08, 0.50, 0.14, 0.14, 0.14), width, st, empty="未发现数据质量问题",
                centred=(2, 3, 4))]
    if rows:
        total = sum(n for _t, _s, n, _h in report.quality)
        story += [Spacer(1, 1.5 * mm),
                  para(f"共 {total} 个数据质量问题，请在花名册中逐条核实更正。", st.cell)]
    if report.dismissed:
        story += [Spacer(1, 1.5 * mm),
                  para(f"另有 {report.dismissed} 个问题经核实无误，未计入。", st.cell)]
    return story
