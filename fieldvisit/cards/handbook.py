"""扶贫手册: the household's own book of what it is and what was done for it.

The handbook stays with the household and goes through every inspection, so it keeps the
whole history, never only today's state: the family as it is and who left it (with the
reason and the day), every 帮扶责任人 it has had with their dates (a change adds a row,
``roster.assignments.handbook_rows``), every measure current or ended, every completed
visit, and the income each visit's checklist worked out (帮扶成效), with lines for the
signatures.

IDs and phones are masked unless whole IDs are asked for, and health prints only with
``print_health``: the book is shown to whoever inspects it. The facts are gathered apart
from the drawing (``handbook``), so tests see exactly what is printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable
from sqlalchemy import select

from fieldvisit import idcard
from fieldvisit.cards.data import INCOME_ITEMS, _money, mask_phone
from fieldvisit.cards.privacy import names_health
from fieldvisit.cards.typeset import Styles, para, write_document
from fieldvisit.cards.visit_record import (
    EMPTY,
    Section,
    dated,
    listing,
    pairs,
    signed_sections,
    titled,
)
from fieldvisit.checklist import installed
from fieldvisit.roster import assignments, measures, queries
from fieldvisit.roster.vocab import HEAD, risks_label, status_label
from fieldvisit.store import Store
from fieldvisit.store.models import Visit
from fieldvisit.visits import visit

TITLE = "扶贫手册"
# The 帮扶成效 columns: the visit's computed income figures by their checklist ids.
INCOME_SHOWN = ("wage", "business", "transfer", "net", "per_capita_net")
INCOME_LABELS = {**{key: label for label, key in INCOME_ITEMS}, "per_capita_net": "人均纯收入"}
SIGNERS = ("帮扶责任人", "户主", "村“两委”")


@dataclass(frozen=True)
class HandbookOptions:
    today: date
    print_health: bool = False
    whole_ids: bool = False

    def shown_id(self, number: str | None) -> str:
        return (number or "") if self.whole_ids else idcard.mask(number) if number else ""

    def shown_phone(self, phone: str | None) -> str:
        return (phone or "") if self.whole_ids else mask_phone(phone or "")


@dataclass(frozen=True)
class HandbookMember:
    name: str
    relation: str
    sex: str
    age: str
    id_number: str
    health: str | None  # None unless health is printed
    schooling: str
    labour: str
    joined: str  # the day and reason a member came (出生, 婚入 …); '' for the original family


@dataclass(frozen=True)
class FormerMember:
    name: str
    relation: str
    sex: str
    left_on: date | None
    reason: str
    note: str  # '' when it would name someone's health and health is not printed


@dataclass(frozen=True)
class HelperLine:
    name: str
    unit: str
    post: str
    phone: str
    started_on: date | None  # None: known from the roster before the registry kept dates
    ended_on: date | None  # None: the current helper


@dataclass(frozen=True)
class MeasureLine:
    kind: str
    detail: str
    amount: str
    started_on: date
    ended_on: date | None


@dataclass(frozen=True)
class VisitLine:
    day: date
    kind: str
    cadre: str  # with the visitor's role when recorded
    findings: int


@dataclass(frozen=True)
class IncomeLine:
    day: date
    amounts: tuple[str, ...]  # INCOME_SHOWN, formatted


@dataclass(frozen=True)
class Handbook:
    code: str
    head: str
    head_id: str
    address: str
    hh_type: str
    monitoring: str  # 是否监测对象, its category and 识别时间, 风险消除
    poverty_cause: str
    risks: str
    members: tuple[HandbookMember, ...]
    former: tuple[FormerMember, ...]
    helpers: tuple[HelperLine, ...]
    measures: tuple[MeasureLine, ...]
    visits: tuple[VisitLine, ...]
    incomes: tuple[IncomeLine, ...]
    options: HandbookOptions


def handbook(store: Store, household_id: str, options: HandbookOptions) -> Handbook:
    """What the household's handbook prints (KeyError when there is no such household)."""
    formset, settings = installed.for_store(store)
    with store.reading() as conn:
        row = queries.household(conn, household_id)
        if row is None or row["deleted"]:
            raise KeyError(household_id)
        address = queries.full_address(conn, household_id)
        people = queries.members(conn, household_id, options.today, include_former=True)
        helpers = assignments.handbook_rows(conn, household_id)
        kept = measures.for_household(conn, household_id)
        visits = conn.execute(
            select(Visit.id, Visit.completed_on, Visit.started_on, Visit.kind, Visit.cadre,
                   Visit.visitor_role)
            .where(Visit.household_id == household_id, Visit.status == visit.COMPLETED,
                   Visit.deleted.is_(False))
            .order_by(Visit.completed_on, Visit.started_on, Visit.id)).all()
    current = [m for m in people if m.values["left_on"] is None]
    head = next((m for m in current if m.relation == HEAD), current[0] if current else None)
    lines, incomes = [], []
    for found in visits:
        seen = visit.seen(store, found.id, formset, settings)
        day = found.completed_on or found.started_on
        who = f"{found.cadre}（{found.visitor_role}）" if found.visitor_role else found.cadre
        lines.append(VisitLine(day, found.kind, who, len(seen.findings)))
        income = next((f.fillings[0].values for f in seen.forms
                       if f.id == "income" and f.fillings), None)
        if income is not None:
            incomes.append(IncomeLine(day, tuple(_money(income.get(key))
                                                 for key in INCOME_SHOWN)))
    return Handbook(
        row["code"], head.name if head else "", options.shown_id(head.id_number if head else None),
        address, row["hh_type"] or "", _monitoring(row), row["poverty_cause"] or "",
        risks_label(row["risk_types"], row["risk_other"]),
        tuple(_member(m, options) for m in current),
        tuple(_former(m.values, options) for m in people if m.values["left_on"] is not None),
        _helpers(helpers, row, options),
        tuple(MeasureLine(m.kind, m.detail or "", measures.yuan(m.amount_yuan), m.started_on,
                          m.ended_on) for m in kept),
        tuple(lines), tuple(incomes), options)


def _monitoring(row: Mapping[str, object]) -> str:
    if not row["monitored"]:
        return "否"
    category = status_label(None, True, str(row["monitor_category"] or "") or None)
    text = f"是 · {category}"
    if isinstance(row["identified_on"], date):
        text += f"，{dated(row['identified_on'])}识别"
    if row["risk_eliminated"]:
        eliminated = row["risk_eliminated_on"]
        text += f"；已风险消除（{dated(eliminated)}）" if isinstance(eliminated, date) \
            else "；已风险消除"
    return text


def _member(m: queries.MemberView, options: HandbookOptions) -> HandbookMember:
    joined_on, reason = m.values["joined_on"], m.values["joined_reason"] or ""
    joined = f"{joined_on.isoformat()} {reason}".strip() if joined_on else reason
    return HandbookMember(
        m.name, m.relation or "", m.sex or "", "" if m.age is None else str(m.age),
        options.shown_id(m.id_number), (m.health or "") if options.print_health else None,
        m.schooling or "", m.labour_skill or "", joined)


def _former(values: Mapping[str, object], options: HandbookOptions) -> FormerMember:
    note = str(values["left_note"] or "")
    if not options.print_health and names_health(note):
        note = ""
    left = values["left_on"]
    return FormerMember(str(values["name"]), str(values["relation"] or ""),
                        str(values["sex"] or ""), left if isinstance(left, date) else None,
                        str(values["left_reason"] or ""), note)


def _helpers(rows: list[assignments.HandbookRow], household: Mapping[str, object],
             options: HandbookOptions) -> tuple[HelperLine, ...]:
    """Every assignment; a household from before the registry has only the roster's
    helper, printed without dates."""
    if not rows and household["helper_name"]:
        return (HelperLine(str(household["helper_name"]), str(household["helper_unit"] or ""),
                           "", options.shown_phone(str(household["helper_phone"] or "")),
                           None, None),)
    return tuple(HelperLine(name, unit or "", post or "", options.shown_phone(phone), start, end)
                 for name, unit, post, phone, start, end in rows)


# Drawing ----------------------------------------------------------------------------------

def _iso(day: date | None) -> str:
    """Dates in the dense lists, as the village report prints them: short enough for a
    narrow column."""
    return day.isoformat() if day else ""


def write_handbook(store: Store, household_id: str, path: Path, options: HandbookOptions) -> int:
    """Write the household's 扶贫手册 as a PDF at ``path`` (crash-safe); the page count."""
    book = handbook(store, household_id, options)
    return write_document(path, [lambda width, st: handbook_flowables(book, width, st)],
                          title=f"{TITLE} {book.code}")


def handbook_flowables(book: Handbook, width: float, st: Styles) -> list:
    story = titled(TITLE, f"户编号：{book.code} · 户主：{book.head} · "
                          f"打印日期：{dated(book.options.today)}", st)
    sections: tuple[Section[Handbook], ...] = (
        ("家庭情况", _family), ("家庭成员", _members), ("帮扶责任人", _helper_list),
        ("帮扶措施", _measure_list), ("走访记录", _visit_list), ("帮扶成效", _income_list))
    return story + signed_sections(sections, book, SIGNERS, width, st)


def _family(book: Handbook, width: float, st: Styles) -> list:
    return [pairs([[("户主姓名", book.head), ("户编号", book.code)],
                   [("身份证号", book.head_id), ("家庭人口", f"{len(book.members)} 人")],
                   [("家庭住址", book.address)],
                   [("户类型", book.hh_type or EMPTY), ("致贫原因", book.poverty_cause or EMPTY)],
                   [("监测对象", book.monitoring)],
                   [("风险类型", book.risks or "无")]], width, st)]


def _members(book: Handbook, width: float, st: Styles) -> list:
    health = book.options.print_health
    heads = ["序号", "姓名", "与户主关系", "性别", "年龄", "身份证号"]
    heads += (["健康状况"] if health else []) + ["在校生状况", "劳动技能", "增加情况"]
    fractions = ((0.06, 0.08, 0.12, 0.06, 0.06, 0.22, 0.11, 0.10, 0.10, 0.09) if health
                 else (0.06, 0.10, 0.12, 0.06, 0.06, 0.22, 0.13, 0.13, 0.12))
    rows = [[m.name, m.relation, m.sex, m.age, m.id_number,
             *([m.health or ""] if health else []), m.schooling, m.labour, m.joined]
            for m in book.members]
    story: list[Flowable] = [listing(heads, rows, fractions, width, st, small=True,
                                     centred=(3, 4),
                     empty="没有在册成员")]
    if book.former:
        story += [para("已减少的家庭成员：", st.cell),
                  listing(("序号", "姓名", "与户主关系", "性别", "减少日期", "原因", "说明"),
                          [(f.name, f.relation, f.sex, _iso(f.left_on), f.reason, f.note)
                           for f in book.former], (0.06, 0.12, 0.12, 0.07, 0.15, 0.14, 0.34),
                          width, st, small=True, centred=(3,))]
    return story


def _helper_list(book: Handbook, width: float, st: Styles) -> list:
    rows = [(h.name, h.unit, h.post, h.phone, _iso(h.started_on) or EMPTY,
             _iso(h.ended_on) or "至今") for h in book.helpers]
    return [listing(("序号", "姓名", "工作单位", "职务", "联系电话", "帮扶开始", "帮扶结束"),
                    rows, (0.06, 0.11, 0.25, 0.11, 0.15, 0.16, 0.16), width, st, small=True,
                    empty="尚未确定帮扶责任人")]


def _measure_list(book: Handbook, width: float, st: Styles) -> list:
    rows = [(m.kind, m.detail, m.amount, _iso(m.started_on), _iso(m.ended_on) or "享受中")
            for m in book.measures]
    return [listing(("序号", "类别", "具体内容", "金额（元/年）", "开始时间", "结束时间"), rows,
                    (0.06, 0.15, 0.35, 0.12, 0.16, 0.16), width, st, small=True,
                    empty="没有帮扶措施", centred=(3,))]


def _visit_list(book: Handbook, width: float, st: Styles) -> list:
    rows = [(_iso(v.day), v.kind, v.cadre, f"{v.findings} 项") for v in book.visits]
    return [listing(("序号", "走访日期", "走访类型", "走访人", "发现问题"), rows,
                    (0.08, 0.22, 0.18, 0.34, 0.18), width, st, small=True,
                    empty="没有已完成的走访", centred=(4,))]


def _income_list(book: Handbook, width: float, st: Styles) -> list:
    heads = ("序号", "核算日期", *(INCOME_LABELS[key] for key in INCOME_SHOWN))
    rows = [(_iso(line.day), *line.amounts) for line in book.incomes]
    return [listing(heads, rows, (0.06, 0.16, 0.15, 0.19, 0.14, 0.15, 0.15), width, st,
                    small=True, empty="没有核算收入的走访", centred=range(2, len(heads))),
            para("单位：元；收入由每次走访的收入核查表计算。", st.small)]
