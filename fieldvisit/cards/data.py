"""What a 明白卡 prints about each household, gathered from the store a chunk at a time.

Kept apart from the drawing so the QR signing and tests see exactly the printed facts.
IDs and phones are masked by default (first 6 and last 4 of an ID); health prints only
where the layout asks for it, and a problem whose text names an illness prints neutrally
otherwise (``privacy.problem_line``).

A village prints hundreds of cards, so the facts are read for a chunk of households at
once: one query each for the households, their members, their current measures, their
open problems, their latest completed visits and those visits' answers, whatever the
chunk's size. A new card section adds one more query of the same kind (``_by_household``
keyed rows) to ``cards_data``. ``card_data`` is the same path for one household.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import Connection, MappingResult, Select, select

from fieldvisit import idcard
from fieldvisit.cards.layout import CardLayout
from fieldvisit.cards.privacy import problem_line
from fieldvisit.checklist.findings import evaluate_visit, household_context
from fieldvisit.checklist.forms import FormSet, bundled_forms_dir, load_forms
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.idcard import age_on
from fieldvisit.roster.measures import Measure, current_by_household, yuan
from fieldvisit.roster.membership import CURRENT
from fieldvisit.roster.vocab import HEAD, risks_label, status_label
from fieldvisit.store import Store
from fieldvisit.store.models import (
    County,
    Household,
    Member,
    Problem,
    Township,
    Village,
    VillageGroup,
    Visit,
    VisitAnswer,
)
from fieldvisit.visits import visit

# 三保障 and water: checklist form id -> the finding category it raises.
GUARANTEES = (("义务教育", "education"), ("基本医疗", "medical"), ("住房安全", "housing"),
              ("饮水安全", "water"))
INCOME_ITEMS = (("工资性收入", "wage"), ("生产经营性收入", "business"),
                ("财产性收入", "property"), ("转移性收入", "transfer"),
                ("生产经营性支出", "business_cost"), ("家庭纯收入", "net"))
OK, PROBLEM, UNCHECKED = "有保障", "存在问题", "未核查"
CHUNK = 200  # households read together: few queries, and little held at once


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
class CardMeasure:
    """One measure the household enjoys on the card's day (帮扶措施 / 享受政策)."""

    kind: str
    detail: str
    amount: str  # yuan a year, "6,000"; "" when the measure pays no money
    since: date


@dataclass(frozen=True)
class CardData:
    household_id: str
    household_rev: str
    code: str  # 户编号
    head: str
    head_id: str
    address: str
    status: str  # 户类型, and 监测对象类别 when monitored (``vocab.status_label``)
    risk_types: str  # with what 其他 means
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
    measures: tuple[CardMeasure, ...] = ()


@dataclass(frozen=True)
class CardOptions:
    """What every card of one print job shares."""

    today: date
    layout: CardLayout
    whole_ids: bool = False
    formset: FormSet | None = None  # None: the bundled checklists, loaded when needed
    settings: Settings = DEFAULT_SETTINGS

    def shown_id(self, number: str | None) -> str:
        return (number or "") if self.whole_ids else idcard.mask(number) if number else ""

    def shown_phone(self, phone: str | None) -> str:
        return (phone or "") if self.whole_ids else mask_phone(phone or "")


@dataclass(frozen=True)
class VisitFacts:
    """What a card takes from the household's latest completed visit."""

    income: tuple[tuple[str, str], ...] = ()
    per_capita_net: str = ""
    completed_on: date | None = None
    guarantees: tuple[tuple[str, str], ...] = tuple((area, UNCHECKED) for area, _ in GUARANTEES)


def mask_phone(phone: str) -> str:
    return idcard.mask(phone, head=3, tail=4) if len(phone) > 7 else phone


def card_data(store: Store, household_id: str, today: date, layout: CardLayout, *,
              whole_ids: bool = False, formset: FormSet | None = None,
              settings: Settings = DEFAULT_SETTINGS) -> CardData:
    """One household's card (KeyError when there is no such household)."""
    with store.reading() as conn:
        cards = cards_data(conn, [household_id],
                           CardOptions(today, layout, whole_ids, formset, settings))
    return cards[household_id]


def cards_data(conn: Connection, household_ids: Iterable[str],
               options: CardOptions) -> dict[str, CardData]:
    """The cards of a chunk of households by id, in a fixed number of queries (unknown
    ids are left out). Keep chunks to a few hundred: the ids go into ``IN`` lists."""
    ids = list(dict.fromkeys(household_ids))
    households = {row["id"]: row
                  for row in _named(conn.execute(_households_query(ids)).mappings())}
    members = _by_household(_named(conn.execute(
        select(Member.__table__).where(Member.household_id.in_(ids), CURRENT)
        .order_by(Member.id)).mappings()))
    measures = current_by_household(conn, ids, options.today)
    problems = _by_household(_named(conn.execute(_open_problems_query(ids)).mappings()))
    visits = _latest_visits(conn, households, members, options)
    return {household_id: _card(row, members.get(household_id, []),
                                measures.get(household_id, []),
                                problems.get(household_id, []),
                                visits.get(household_id, VisitFacts()), options)
            for household_id, row in households.items()}


def _households_query(ids: Sequence[str]) -> Select:
    """Household rows with the names their printed address is made of."""
    return (select(Household.__table__, County.name.label("county_name"),
                   Township.name.label("township_name"), Village.name.label("village_name"),
                   VillageGroup.name.label("group_name"))
            .join(Village, Village.id == Household.village_id)
            .outerjoin(Township, Township.id == Village.township_id)
            .outerjoin(County, County.id == Township.county_id)
            .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
            .where(Household.id.in_(ids)))


def _open_problems_query(ids: Sequence[str]) -> Select:
    """Problems not yet 已销号, in the ledger's order: by deadline (none last), opened."""
    return (select(Problem.household_id, Problem.category, Problem.text)
            .where(Problem.household_id.in_(ids), Problem.deleted.is_(False),
                   Problem.status != visit.CLOSED_STATUS)
            .order_by(Problem.deadline.is_(None), Problem.deadline, Problem.opened_on,
                      Problem.id))


def _named(rows: MappingResult) -> Iterable[Mapping[str, Any]]:
    """The rows as they are read here, by column name: SQLAlchemy types a RowMapping as
    keyed by names or column objects, but its keys are the names (a cast, not a copy)."""
    return cast(Iterable[Mapping[str, Any]], rows)


def _by_household(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Rows grouped by their ``household_id``, each group in the query's order."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["household_id"], []).append(row)
    return grouped


def _card(row: Mapping[str, Any], member_rows: list[Mapping[str, Any]],
          measures: list[Measure], problem_rows: list[Mapping[str, Any]], facts: VisitFacts,
          options: CardOptions) -> CardData:
    people = sorted(member_rows, key=lambda m: (m["relation"] != HEAD,
                                                m["birth_date"] or date.max))
    members = tuple(_member(m, options) for m in people)
    head = people[0] if people else None  # head first, else the eldest
    return CardData(
        row["id"], row["rev"], row["code"], head["name"] if head else "",
        options.shown_id(head["id_number"]) if head else "", _address(row),
        status_label(row["hh_type"], row["monitored"], row["monitor_category"]),
        risks_label(row["risk_types"], row["risk_other"]), members, row["helper_name"] or "",
        row["helper_unit"] or "", options.shown_phone(row["helper_phone"]), facts.income,
        facts.per_capita_net, facts.completed_on, facts.guarantees,
        tuple(problem_line(p["category"], p["text"], print_health=options.layout.print_health)
              for p in problem_rows), options.today,
        options.layout, tuple(CardMeasure(m.kind, m.detail or "", yuan(m.amount_yuan),
                                          m.started_on) for m in measures))


def _member(m: Mapping[str, Any], options: CardOptions) -> CardMember:
    birth = m["birth_date"]
    return CardMember(
        m["name"], m["relation"] or "", m["sex"] or "",
        str(age_on(birth, options.today)) if birth else "", options.shown_id(m["id_number"]),
        (m["health"] or "") if options.layout.print_health else None, m["schooling"] or "",
        m["labour_skill"] or "")


def _address(row: Mapping[str, Any]) -> str:
    """县 + 乡镇 + 村 + the household's address (or its 村民小组 when it has none), as
    ``roster.queries.full_address`` shows it."""
    return "".join(part or "" for part in (
        row["county_name"], row["township_name"], row["village_name"],
        row["address"] or row["group_name"]))


def _latest_visits(conn: Connection, households: Mapping[str, Mapping[str, Any]],
                   members: Mapping[str, list[Mapping[str, Any]]],
                   options: CardOptions) -> dict[str, VisitFacts]:
    """Each household's latest completed visit (by completion, then start, then id),
    its answers read in one query and evaluated against the rows already read."""
    latest: dict[str, Mapping[str, Any]] = {}
    for row in _named(conn.execute(
            select(Visit.id, Visit.household_id, Visit.started_on, Visit.completed_on)
            .where(Visit.household_id.in_(list(households)), Visit.status == visit.COMPLETED,
                   Visit.deleted.is_(False))).mappings()):
        known = latest.get(row["household_id"])
        if known is None or _recency(row) > _recency(known):
            latest[row["household_id"]] = row
    if not latest:
        return {}
    answers = _answers(conn, [row["id"] for row in latest.values()])
    formset = options.formset or _bundled_forms()
    return {household_id: _visit_facts(
        answers.get(row["id"], {}), row["completed_on"], households[household_id],
        members.get(household_id, []), formset, options) for household_id, row in latest.items()}


def _recency(row: Mapping[str, Any]) -> tuple[date, date, str]:
    return row["completed_on"] or row["started_on"], row["started_on"], row["id"]


def _answers(conn: Connection, visit_ids: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """Visit id -> answers by form, shaped as ``visit.VisitRecord.answers_by_form``."""
    by_visit: dict[str, dict[str, dict[str, Any]]] = {}
    for answer in conn.execute(
            select(VisitAnswer.visit_id, VisitAnswer.form_id, VisitAnswer.instance,
                   VisitAnswer.question_id, VisitAnswer.value)
            .where(VisitAnswer.visit_id.in_(visit_ids), VisitAnswer.deleted.is_(False))
            .order_by(VisitAnswer.id)):
        answers = by_visit.setdefault(answer.visit_id, {}).setdefault(answer.form_id, {})
        if answer.instance:
            answers = answers.setdefault(answer.instance, {})
        answers[answer.question_id] = visit.decode(answer.value)
    return by_visit


def _visit_facts(answers_by_form: dict[str, dict[str, Any]], completed_on: date | None,
                 household: Mapping[str, Any], member_rows: list[Mapping[str, Any]],
                 formset: FormSet, options: CardOptions) -> VisitFacts:
    """Income and 三保障 as the visit's checklists compute them for the household now."""
    context = household_context(household, member_rows, options.today)
    result = evaluate_visit(formset, answers_by_form, context, options.settings, options.today)
    income: tuple[tuple[str, str], ...] = ()
    per_capita = ""
    if "income" in answers_by_form and "income" in result.forms:
        values = result.forms["income"].values
        income = tuple((label, _money(values.get(key))) for label, key in INCOME_ITEMS)
        per_capita = _money(values.get("per_capita_net"))
    troubled = {f.category for f in result.findings}
    guarantees = tuple(
        (area, (PROBLEM if area in troubled else OK) if form in answers_by_form
         else UNCHECKED) for area, form in GUARANTEES)
    return VisitFacts(income, per_capita, completed_on, guarantees)


@functools.cache
def _bundled_forms() -> FormSet:
    """The bundled checklists, loaded once a process (they change only with the app)."""
    return load_forms(bundled_forms_dir())


def _money(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return f"{value:,.2f}"
