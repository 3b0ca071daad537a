"""What a 明白卡 prints about one household, gathered from the store.

Kept apart from the drawing so the QR signing and tests see exactly the printed facts.
IDs and phones are masked by default (first 6 and last 4 of an ID); health prints only
where the layout asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fieldvisit import idcard
from fieldvisit.cards.layout import CardLayout
from fieldvisit.checklist.forms import FormSet, bundled_forms_dir, load_forms
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.roster import queries
from fieldvisit.store import Store
from fieldvisit.visits import ledger, visit

# 三保障 and water: checklist form id -> the finding category it raises.
GUARANTEES = (("义务教育", "education"), ("基本医疗", "medical"), ("住房安全", "housing"),
              ("饮水安全", "water"))
INCOME_ITEMS = (("工资性收入", "wage"), ("生产经营性收入", "business"),
                ("财产性收入", "property"), ("转移性收入", "transfer"),
                ("生产经营性支出", "business_cost"), ("家庭纯收入", "net"))
OK, PROBLEM, UNCHECKED = "有保障", "存在问题", "未核查"


@dataclass(frozen=True)
class CardMember:
    name: str
    relation: str
    sex: str
    age: str
    id_number: str  # masked unless whole IDs were asked for
    health: str | None  # None when the layout does not print health
    schooling: str
    labour: str


@dataclass(frozen=True)
class CardData:
    household_id: str
    household_rev: str
    code: str  # 户编号
    head: str
    head_id: str
    address: str
    hh_type: str
    risk_types: str
    members: tuple[CardMember, ...]
    helper_name: str
    helper_unit: str
    helper_phone: str
    income: tuple[tuple[str, str], ...]  # (label, amount) from the latest completed visit
    per_capita_net: str
    income_visit_on: date | None
    guarantees: tuple[tuple[str, str], ...]  # (area, 有保障 / 存在问题 / 未核查)
    problems: tuple[str, ...]
    today: date
    layout: CardLayout = field(default_factory=CardLayout)


def mask_phone(phone: str) -> str:
    return idcard.mask(phone, head=3, tail=4) if len(phone) > 7 else phone


def card_data(store: Store, household_id: str, today: date, layout: CardLayout, *,
              whole_ids: bool = False, formset: FormSet | None = None,
              settings: Settings = DEFAULT_SETTINGS) -> CardData:
    with store.reading() as conn:
        row = queries.household(conn, household_id)
        if row is None:
            raise KeyError(household_id)
        people = queries.members(conn, household_id, today)
        address = queries.full_address(conn, household_id)
        open_problems = [p for p in ledger.problems(conn)
                         if p.household_id == household_id and p.status != visit.CLOSED_STATUS]
    shown_id = (lambda n: n or "") if whole_ids else (lambda n: idcard.mask(n) if n else "")
    members = tuple(CardMember(
        m.name, m.relation or "", m.sex or "", "" if m.age is None else str(m.age),
        shown_id(m.id_number), (m.health or "") if layout.print_health else None,
        m.schooling or "", m.labour_skill or "") for m in people)
    head = next((m for m in people if m.relation == queries.HEAD), people[0] if people else None)
    phone = row["helper_phone"] or ""
    income, per_capita, income_on, guarantees = _from_latest_visit(
        store, household_id, today, formset, settings)
    return CardData(
        household_id, row["rev"], row["code"], head.name if head else "",
        shown_id(head.id_number) if head else "", address, row["hh_type"] or "",
        row["risk_types"] or "", members, row["helper_name"] or "", row["helper_unit"] or "",
        phone if whole_ids else mask_phone(phone), income, per_capita, income_on, guarantees,
        tuple(f"[{p.category}] {p.text}" for p in open_problems), today, layout)


def _from_latest_visit(store: Store, household_id: str, today: date, formset: FormSet | None,
                       settings: Settings):
    completed = [v for v in visit.history(store, household_id) if v.status == visit.COMPLETED]
    unchecked = tuple((area, UNCHECKED) for area, _ in GUARANTEES)
    if not completed:
        return (), "", None, unchecked
    latest = max(completed, key=lambda v: (v.completed_on or v.started_on, v.started_on))
    formset = formset or load_forms(bundled_forms_dir())
    record = visit.load(store, latest.id)
    result = visit.evaluate(store, latest.id, formset, settings, today)
    income: tuple[tuple[str, str], ...] = ()
    per_capita = ""
    if "income" in record.answers_by_form and "income" in result.forms:
        values = result.forms["income"].values
        income = tuple((label, _money(values.get(key))) for label, key in INCOME_ITEMS)
        per_capita = _money(values.get("per_capita_net"))
    troubled = {f.category for f in result.findings}
    guarantees = tuple(
        (area, (PROBLEM if area in troubled else OK) if form in record.answers_by_form
         else UNCHECKED) for area, form in GUARANTEES)
    return income, per_capita, latest.completed_on, guarantees


def _money(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return f"{value:,.2f}"
