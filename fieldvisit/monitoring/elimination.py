"""When 风险消除 may start, by the rules: never automatic, and refused with every reason.

A monitored household's risk counts as eliminated only when its per-capita net income is
stably above the monitoring line of each year (every visit of the last ``N`` months,
``risk_elimination_months``, and at least ``N`` months since it was 纳入), no 三保障 or
饮水 problem is open, and it has labour capacity: a household where no adult can work
stays monitored. The incomes are the ones completed visits kept (their snapshots), so the
check reads what the visits saw, not today's answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from fieldvisit.checklist.settings import DEFAULTS, income_line
from fieldvisit.idcard import age_on
from fieldvisit.monitoring import cases
from fieldvisit.quality.rules import add_months
from fieldvisit.roster.membership import CURRENT
from fieldvisit.roster.vocab import NO_LABOUR
from fieldvisit.store import Insert, Store
from fieldvisit.store.models import Household, Member, Problem, Visit
from fieldvisit.visits import snapshot

SECURE_CATEGORIES = ("义务教育", "基本医疗", "住房安全", "饮水安全")  # 三保障 and water
INCOME_FORM, INCOME_VALUE = "income", "per_capita_net"
ADULT_AGE = 16
CLOSED_PROBLEM = "已销号"


@dataclass(frozen=True)
class Refusal:
    zh: str
    en: str


def refusals(conn: Connection, household_id: str, today: date,
             settings: Mapping[str, float]) -> list[Refusal]:
    """Every rule 风险消除 breaks for this household now; empty when it may start."""
    household = conn.execute(select(Household.monitored, Household.risk_eliminated,
                                    Household.identified_on).where(
        Household.id == household_id, Household.deleted.is_(False))).first()
    if household is None:
        return [Refusal("没有这一户", "no such household")]
    if not household.monitored or household.risk_eliminated:
        return [Refusal("这一户不是风险未消除的监测对象", "the household is not monitored at risk")]
    months = int(settings.get("risk_elimination_months", DEFAULTS["risk_elimination_months"]))
    found = _income(conn, household_id, household.identified_on, today, months, settings)
    found += _problems(conn, household_id)
    found += _labour(conn, household_id, today)
    return found


def _income(conn: Connection, household_id: str, entered: date | None, today: date,
            months: int, settings: Mapping[str, float]) -> list[Refusal]:
    found = []
    since = add_months(today, -months)
    if entered is None or entered > since:
        found.append(Refusal(f"纳入监测不满 {months} 个月（纳入时间 {entered or '未填'}）",
                             f"monitored for less than {months} months (since {entered})"))
    incomes = incomes_seen(conn, household_id)
    if not incomes:
        return [*found, Refusal("还没有走访记录到人均纯收入，不能判断收入是否稳定在监测线以上",
                                "no visit has recorded the per-capita net income yet")]
    day, value = incomes[-1]
    line = income_line(settings, day.year)
    if value < line:
        found.append(Refusal(f"最近一次（{day}）人均纯收入 {value:g} 元，低于 {day.year} 年监测线"
                             f" {line:g} 元", f"the latest per-capita net income ({value:g} on "
                             f"{day}) is below the {day.year} line of {line:g}"))
    below = [(d, v) for d, v in incomes[:-1] if d >= since and v < income_line(settings, d.year)]
    if below:
        d, v = below[-1]
        found.append(Refusal(f"近 {months} 个月内收入不稳定：{d} 人均纯收入 {v:g} 元，"
                             "低于当年监测线",
                             f"income not stable over {months} months: {v:g} on {d} was below "
                             "that year's line"))
    return found


def _problems(conn: Connection, household_id: str) -> list[Refusal]:
    open_ones = conn.execute(select(Problem.category, Problem.text).where(
        Problem.household_id == household_id, Problem.deleted.is_(False),
        Problem.status != CLOSED_PROBLEM, Problem.category.in_(SECURE_CATEGORIES))).all()
    return [Refusal(f"{category}问题尚未销号：{text}", f"an open {category} problem: {text}")
            for category, text in open_ones]


def _labour(conn: Connection, household_id: str, today: date) -> list[Refusal]:
    adults = [skill for skill, birth in conn.execute(
        select(Member.labour_skill, Member.birth_date).where(
            Member.household_id == household_id, CURRENT))
        if birth is None or age_on(birth, today) >= ADULT_AGE]
    if all(skill in NO_LABOUR for skill in adults):
        return [Refusal("家中没有劳动能力（成年人均丧失或无劳动力）：继续监测，不能风险消除",
                        "no adult of the household can work: it stays monitored")]
    return []


def incomes_seen(conn: Connection, household_id: str) -> list[tuple[date, float]]:
    """(day, per-capita net income) of each completed visit that kept one, oldest first."""
    found = []
    for day, kept in conn.execute(select(Visit.completed_on, Visit.snapshot).where(
            Visit.household_id == household_id, Visit.deleted.is_(False),
            Visit.status == "completed", Visit.snapshot.is_not(None))
            .order_by(Visit.completed_on)):
        seen = snapshot.read(kept)
        value = next((f.fillings[0].values.get(INCOME_VALUE) for f in seen.forms
                      if f.id == INCOME_FORM and f.fillings), None)
        if isinstance(value, int | float) and day is not None:
            found.append((day, float(value)))
    return found


def open_elimination(store: Store, household_id: str, today: date,
                     settings: Mapping[str, float], note: str | None = None) -> str:
    """A 风险消除 case, when the rules allow it; CaseError listing every rule broken."""
    with store.reading() as conn:
        broken = refusals(conn, household_id, today, settings)
        already = conn.execute(select(Household.code).where(Household.id == household_id)
                               ).scalar()
        if not broken and cases.open_of(conn, household_id, cases.ELIMINATION):
            broken = [Refusal("已有正在办理的风险消除程序", "an elimination is in progress")]
    if broken:
        raise cases.CaseError(
            f"户 {already} 现在不能风险消除：" + "；".join(r.zh for r in broken),
            f"household {already} cannot have its risk eliminated now: "
            + "; ".join(r.en for r in broken))
    edit = Insert("monitor_case", {
        "household_id": household_id, "kind": cases.ELIMINATION, "status": cases.IN_PROGRESS,
        "opened_on": today, "clue": (note or "").strip() or None})
    store.write([edit])
    return edit.id

