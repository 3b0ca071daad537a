"""走访记录表: the printed record of one completed visit, for the household's file.

A completed visit is what the household confirmed, so the sheet prints it as a human
reads it: each checklist the visit used as a ruled table of question and answer (choices
by their labels, 是/否, dates and units; per-member forms a column per member), the
findings and the ledger problems the visit opened, any correction, who confirmed, and
lines for the signatures. Drafts are refused: a draft is not a record yet.

Everything about the visit comes from what it kept at completion (``visits.snapshot``):
forms reworded, thresholds changed or members renamed since leave the sheet as it was.
A visit completed before snapshots were kept is rebuilt from current data, and the
sheet says so at the top. Only the problems' current status and later corrections are
read as they are now, under headings that say so.

The sheet's facts are gathered apart from the drawing (``visit_sheet``), so tests and the
app see exactly what is printed. IDs are masked unless whole IDs are asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle
from sqlalchemy import select

from fieldvisit import idcard
from fieldvisit.cards.typeset import (
    NUMERALS,
    SHADE,
    Cell,
    Grid,
    Styles,
    heading,
    para,
    ruled,
    write_document,
)
from fieldvisit.checklist import expr, installed
from fieldvisit.checklist.forms import FormSet
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.roster.villages import find
from fieldvisit.store import Store
from fieldvisit.store.models import Household, Visit
from fieldvisit.visits import ledger, visit
from fieldvisit.visits.export import SEVERITY_ZH
from fieldvisit.visits.snapshot import FormSeen, QuestionSeen, Snapshot
from fieldvisit.visits.visit import VisitError, VisitRecord

T = TypeVar("T")
# A numbered section of a printed document: its name, and how to draw it for a subject.
Section = tuple[str, Callable[[T, float, Styles], list]]
TITLE = "走访记录表"
EMPTY = "—"
COMPUTED = "自动计算结果"
REBUILT_NOTE = ("注意：本次走访完成于系统留存走访内容之前，本表的户情、检查表和结论是按打印时的"
                "检查表和户籍信息重新生成的，可能与走访当时不同。")
# A section starting lower than this on a page starts on the next one instead, so its
# heading is never left alone at the foot while long tables still split across pages.
MIN_SECTION_START = 30 * mm
MEMBERS_ACROSS = 4  # member columns a per-member checklist table holds on A4


@dataclass(frozen=True)
class AnswerGroup:
    """Rows under one heading: a form section, a member, or the computed values."""

    title: str
    rows: tuple[tuple[str, str], ...]  # (question label, answer as read)


@dataclass(frozen=True)
class FormAnswers:
    title: str
    version: int | None
    groups: tuple[AnswerGroup, ...]  # per section, or for a per-member form per member
    per_member: bool = False


@dataclass(frozen=True)
class OpenedProblem:
    category: str
    text: str
    deadline: date | None
    responsible: str
    status: str


@dataclass(frozen=True)
class VisitSheet:
    visit_id: str
    code: str  # 户编号
    head: str
    head_id: str  # masked unless whole IDs were asked for
    address: str
    status: str  # 户类型 and 监测对象类别, as the visit saw them
    size: int
    visited_on: date
    cadre: str
    forms: tuple[FormAnswers, ...]
    findings: tuple[tuple[str, str, str], ...]  # (category, 高/中/低, text)
    suggestion: str  # the screening form's conclusion, '' without one
    problems: tuple[OpenedProblem, ...]
    corrects: str  # what this visit corrects and why, '' when it corrects nothing
    corrected_by: str  # later visits correcting this one, '' when none
    confirmation: str
    confirmed_by: str
    today: date
    completed_at: str  # date and time of completion as printed, '' when not kept
    basis: str  # 走访完成时留存, or 按当前数据重建 for a visit older than snapshots
    rebuilt: bool


def dated(day: date | None) -> str:
    return f"{day:%Y年%m月%d日}" if day else ""


def require_completed(store: Store, visit_ids: Iterable[str]) -> None:
    """Raise VisitError (zh + en) unless every visit exists and is completed."""
    wanted = list(visit_ids)
    with store.reading() as conn:
        status = dict(conn.execute(select(Visit.id, Visit.status).where(
            Visit.id.in_(wanted), Visit.deleted.is_(False))).all())
    for visit_id in wanted:
        if visit_id not in status:
            raise VisitError(f"没有编号为 {visit_id} 的走访记录", f"no visit {visit_id}")
        if status[visit_id] != visit.COMPLETED:
            raise VisitError(f"走访 {visit_id} 还是草稿，完成并经户主确认后才能打印走访记录表",
                             f"visit {visit_id} is a draft: only a completed, confirmed "
                             "visit prints as a record")


def completed_visits(store: Store, *, household: str | None = None,
                     village: str | None = None, latest: bool = False) -> list[str]:
    """Completed visits of a household (id or 户编号) or of a village (code or name), in 户编号
    order and oldest first within a household; ``latest`` keeps each household's newest."""
    query = (select(Visit.id, Visit.household_id)
             .join(Household, Household.id == Visit.household_id)
             .where(Visit.status == visit.COMPLETED, Visit.deleted.is_(False),
                    Household.deleted.is_(False))
             .order_by(Household.code, Visit.completed_on, Visit.id))
    if household is not None:
        query = query.where((Household.id == household) | (Household.code == household))
    with store.reading() as conn:
        if village is not None:
            query = query.where(Household.village_id == find(conn, village).id)
        rows = conn.execute(query).all()
    if latest:
        newest = {household_id: visit_id for visit_id, household_id in rows}
        return [visit_id for visit_id, household_id in rows if newest[household_id] == visit_id]
    return [visit_id for visit_id, _ in rows]


# Gathering --------------------------------------------------------------------------------

def visit_sheet(store: Store, visit_id: str, today: date, formset: FormSet, *,
                whole_ids: bool = False, settings: Settings = DEFAULT_SETTINGS) -> VisitSheet:
    """What the record of a completed visit prints: what the visit kept at completion
    (``formset`` and ``settings`` only rebuild a visit older than snapshots)."""
    require_completed(store, [visit_id])
    record = visit.load(store, visit_id)
    seen = visit.seen(store, visit_id, formset, settings)
    with store.reading() as conn:
        village_id = conn.execute(select(Household.village_id).where(
            Household.id == record.household_id)).scalar()
        opened = [p for p in ledger.problems(conn, village_id=village_id)
                  if p.visit_id == visit_id]
        later = conn.execute(select(Visit.completed_on).where(
            Visit.corrects == visit_id, Visit.deleted.is_(False),
            Visit.status == visit.COMPLETED)).scalars().all()
    corrected = visit.load(store, record.corrects) if record.corrects else None
    head = seen.head
    head_id = (head.id_number or "") if head else ""
    names = {m.id: f"{m.name}（{m.relation or '成员'}，{m.age} 岁）" if m.age is not None
             else m.name for m in seen.members}
    suggestion = ""
    if seen.suggestion is not None:
        suggestion = (f"符合监测对象条件，建议按“{seen.suggestion.kind}”履行纳入程序"
                      if seen.suggestion.meets else "未发现符合监测对象条件的情形")
    household = seen.household
    return VisitSheet(
        visit_id, str(household["code"]), head.name if head else "",
        head_id if whole_ids else idcard.mask(head_id), str(household["full_address"]),
        seen.status(), len(seen.members), seen.day, record.cadre,
        tuple(_form_answers(seen, names)),
        tuple((f.category, SEVERITY_ZH.get(f.severity, f.severity), f.text)
              for f in seen.findings), suggestion,
        tuple(OpenedProblem(p.category, p.text, p.deadline, p.responsible or "", p.status)
              for p in opened),
        _corrects(corrected, record), "、".join(dated(d) for d in later if d),
        record.confirmation or "", record.confirmed_by or "", today,
        f"{datetime.fromisoformat(seen.taken_at):%Y年%m月%d日 %H:%M}" if seen.taken_at else "",
        seen.basis, seen.rebuilt)


def _corrects(original: VisitRecord | None, record: VisitRecord) -> str:
    if original is None:
        return ""
    return (f"本记录更正 {dated(original.completed_on)} 由{original.cadre}走访的记录；"
            f"更正原因：{record.correction_reason or '未说明'}")


def _form_answers(seen: Snapshot, names: dict[str, str]) -> Iterable[FormAnswers]:
    """The checklists the visit used, in the form set's order, then any retired ones."""
    for form in seen.forms:
        title = f"{form.title}（已停用的检查表）" if form.retired else form.title
        yield FormAnswers(title, form.version, tuple(_groups(form, names)), form.per_member)


def _groups(form: FormSeen, names: dict[str, str]) -> Iterable[AnswerGroup]:
    questions = {q.id: q for q in form.questions}
    if form.per_member:
        for filling in form.fillings:
            rows = _rows(questions, filling.values)
            if rows:
                yield AnswerGroup(names.get(filling.member_id or "", "成员"), rows)
        return
    [filling] = form.fillings
    sectioned: set[str] = set()
    for title, ids in form.sections:
        sectioned.update(ids)
        rows = _rows(questions, {q: filling.values[q] for q in ids if q in filling.values})
        if rows:
            yield AnswerGroup(title, rows)
    rows = _rows(questions, {q: v for q, v in filling.values.items() if q not in sectioned})
    if rows:
        yield AnswerGroup(COMPUTED if form.sections else "", rows)


def _rows(questions: dict[str, QuestionSeen],
          values: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """The questions that applied to this filling, with their answers as read."""
    return tuple((questions[q].label, answer_text(questions[q], value))
                 for q, value in values.items())


def answer_text(question: QuestionSeen, value: object) -> str:
    """An answer as a person reads it: choice labels, 是/否, dates in Chinese, units."""
    if value is None or value == "" or value == []:
        return EMPTY
    if question.type == "photo":
        return "已拍照（存于走访电脑）"
    if isinstance(value, date):
        return dated(value)
    labels = dict(question.choices)
    if labels:
        picked = value if isinstance(value, list) else [value]
        return "、".join(labels.get(str(item), str(item)) for item in picked)
    text = expr.format_value(value)
    return f"{text} {question.unit}" if question.unit else text


# Drawing ----------------------------------------------------------------------------------

def write_visit_records(store: Store, visit_ids: Iterable[str], path: Path, today: date, *,
                        whole_ids: bool = False,
                        progress: Callable[[int, int], None] | None = None,
                        cancelled: Callable[[], bool] | None = None) -> int:
    """Write one 走访记录表 per completed visit into ONE PDF at ``path`` (crash-safe);
    the page count. Raises VisitError (zh + en) before writing anything when a visit is
    a draft or unknown; ``progress``/``cancelled`` as in ``typeset.write_document``."""
    wanted = list(visit_ids)
    require_completed(store, wanted)
    formset, settings = installed.for_store(store)

    def part(visit_id: str):
        def draw(width: float, st: Styles) -> list:
            sheet = visit_sheet(store, visit_id, today, formset, whole_ids=whole_ids,
                                settings=settings)
            return sheet_flowables(sheet, width, st)
        return draw

    return write_document(path, [part(v) for v in wanted], title=TITLE, progress=progress,
                          cancelled=cancelled)


def sheet_flowables(sheet: VisitSheet, width: float, st: Styles) -> list:
    story = titled(TITLE, f"户编号：{sheet.code} · 走访日期：{dated(sheet.visited_on)} · "
                          f"打印日期：{dated(sheet.today)}", st)
    if sheet.rebuilt:
        story += [ruled([[para(REBUILT_NOTE, st.cell)]], [width]),
                  Spacer(1, 3 * mm * st.scale)]
    sections: list[Section[VisitSheet]] = [
        ("基本情况", _basics), ("检查情况", _checklists), ("发现的问题", _findings),
        ("本次走访列入整改台账的问题", _problems)]
    if sheet.corrects or sheet.corrected_by:
        sections.append(("更正说明", _correction))
    return story + signed_sections(sections, sheet, ("走访人", "户主"), width, st)


def _basics(sheet: VisitSheet, width: float, st: Styles) -> list:
    versions = "、".join(f"{f.title} 第 {f.version} 版" if f.version else f.title
                         for f in sheet.forms)
    return [pairs([[("户主姓名", sheet.head), ("身份证号", sheet.head_id)],
                   [("户类型", sheet.status), ("家庭人口", f"{sheet.size} 人")],
                   [("家庭住址", sheet.address)],
                   [("走访日期", dated(sheet.visited_on)), ("走访人", sheet.cadre)],
                   [("确认方式", sheet.confirmation), ("确认人", sheet.confirmed_by)],
                   [("完成时间", sheet.completed_at or EMPTY), ("记录依据", sheet.basis)],
                   [("检查表版本", versions or EMPTY)]], width, st)]


def _checklists(sheet: VisitSheet, width: float, st: Styles) -> list:
    if not sheet.forms:
        return [ruled([[para("本次走访未填写检查表", st.cell)]], [width])]
    story: list = []
    for number, form in enumerate(sheet.forms, 1):
        title = f"{number}. {form.title}"
        tables = (member_tables(title, form.groups, width, st) if form.per_member
                  else [answers_table(title, form.groups, width, st)])
        for table in tables:
            story += [table, Spacer(1, 2.5 * mm * st.scale)]
    return story


def answers_table(title: str, groups: Sequence[AnswerGroup], width: float, st: Styles) -> Grid:
    """One checklist: its title across the top (repeated on a new page), a shaded row
    per section, then question | answer rows numbered through the form."""
    widths = [width * 0.07, width * 0.53, width * 0.40]
    rows: list[list] = [[para(title, st.head), "", ""]]
    spans = [0]
    number = 0
    for group in groups:
        if group.title:
            spans.append(len(rows))
            rows.append([para(group.title, st.cell), "", ""])
        for label, answer in group.rows:
            number += 1
            rows.append([para(str(number), st.label), para(label, st.cell),
                         para(answer, st.cell)])
    table = ruled(rows, widths, header=True, repeat=1)
    table.setStyle(TableStyle([style for r in spans for style in (
        ("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), SHADE))]))
    return table


def member_tables(title: str, members: Sequence[AnswerGroup], width: float,
                  st: Styles) -> list[Grid]:
    """A per-member checklist as county forms print it: one column per member (at most
    MEMBERS_ACROSS a table), one row per question; "—" where it did not apply."""
    tables = []
    for start in range(0, len(members), MEMBERS_ACROSS):
        chunk = members[start:start + MEMBERS_ACROSS]
        labels = _merged([[label for label, _answer in m.rows] for m in chunk])
        answers = [dict(m.rows) for m in chunk]
        each = width * 0.58 / len(chunk)
        rows: list[list] = [[para(title, st.head)] + [""] * (len(chunk) + 1),
                            [para("序号", st.head), para("检查内容", st.head),
                             *(para(m.title, st.head) for m in chunk)]]
        rows += [[para(str(n), st.label), para(label, st.cell),
                  *(para(a.get(label, EMPTY), st.cell) for a in answers)]
                 for n, label in enumerate(labels, 1)]
        table = ruled(rows, [width * 0.07, width * 0.35] + [each] * len(chunk), repeat=2)
        table.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)),
                                   ("BACKGROUND", (0, 0), (-1, 1), SHADE)]))
        tables.append(table)
    return tables


def _merged(orders: Sequence[Sequence[str]]) -> list[str]:
    """Every label once, each after the labels it follows in any member's list: a
    question asked of only some members keeps its place in the form."""
    merged: list[str] = []
    for order in orders:
        at = 0
        for label in order:
            if label in merged:
                at = merged.index(label) + 1
            else:
                merged.insert(at, label)
                at += 1
    return merged


def _findings(sheet: VisitSheet, width: float, st: Styles) -> list:
    rows = [[category, severity, text] for category, severity, text in sheet.findings]
    story: list[Flowable] = [listing(("序号", "类别", "程度", "问题"), rows,
                                     (0.07, 0.16, 0.08, 0.69), width, st,
                                     empty="本次走访未发现问题", centred=(2,))]
    if sheet.suggestion:
        story += [Spacer(1, 1.5 * mm), para(f"监测排查结论：{sheet.suggestion}。", st.cell)]
    return story


def _problems(sheet: VisitSheet, width: float, st: Styles) -> list:
    rows = [[p.category, p.text, dated(p.deadline), p.responsible, p.status]
            for p in sheet.problems]
    empty = "无新列入的问题（或已在台账中跟进）" if sheet.findings else "无"
    return [listing(("序号", "类别", "问题", "整改期限", "责任人", "当前状态"), rows,
                    (0.07, 0.13, 0.39, 0.19, 0.10, 0.12), width, st, empty=empty,
                    centred=(5,))]


def _correction(sheet: VisitSheet, width: float, st: Styles) -> list:
    lines = [sheet.corrects]
    if sheet.corrected_by:
        lines.append(f"注意：本记录已于 {sheet.corrected_by} 被更正，以更正后的记录为准。")
    return [ruled([[para(line, st.cell)] for line in lines if line], [width])]


# Shared with the village report -----------------------------------------------------------

def pairs(rows: Sequence[Sequence[tuple[str, str]]], width: float, st: Styles) -> Grid:
    """A ruled grid of shaded labels and their values, two pairs a row; a row with one
    pair spans the width (addresses, long lists)."""
    lw, vw = width * 0.14, width * 0.36
    data: list[list] = []
    commands: list[tuple] = []
    for r, row in enumerate(rows):
        cells: list[Cell] = [c for label, value in row
                             for c in (para(label, st.label), para(value, st.cell))]
        if len(row) == 1:
            cells += ["", ""]
            commands.append(("SPAN", (1, r), (3, r)))
        data.append(cells)
    table = ruled(data, [lw, vw, lw, vw], label_cols=(0, 2))
    table.setStyle(TableStyle(commands + [("BACKGROUND", (1, r), (3, r), "white")
                                          for r, row in enumerate(rows) if len(row) == 1]))
    return table


def listing(heads: Sequence[str], rows: Sequence[Sequence[object]],
            fractions: Sequence[float], width: float, st: Styles, *, empty: str = "无",
            small: bool = False, centred: Iterable[int] = (),
            total: Sequence[object] | None = None) -> Grid:
    """A numbered list as a ruled table, its header repeated on every page; one line
    saying ``empty`` when there is nothing to list. ``small`` sets a dense list in the
    small size, ``centred`` are the columns (counted with the number column) centred,
    and ``total`` is a shaded 合计 row under the numbered ones."""
    body = st.small if small else st.cell
    middle = ParagraphStyle(f"{body.name}-centred", parent=body, alignment=TA_CENTER)
    styles = [middle if c in {0, *centred} else body for c in range(len(heads))]
    data: list[list[Cell]] = [[para(h, st.head) for h in heads]]
    data += [[para(str(c), styles[i]) for i, c in enumerate([n, *row])]
             for n, row in enumerate(rows, 1)]
    commands: list[tuple] = []
    if not rows:
        data.append([para(EMPTY, middle), para(empty, body), *([""] * (len(heads) - 2))])
        commands.append(("SPAN", (1, 1), (-1, 1)))
    elif total is not None:
        data.append([para("合计", middle), "",
                     *(para(str(c), styles[i]) for i, c in enumerate(total, 2))])
        commands += [("SPAN", (0, -1), (1, -1)), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]
    table = ruled(data, [width * f for f in fractions], header=True, repeat=1)
    table.setStyle(TableStyle(commands))
    return table


def titled(title: str, subtitle: str, st: Styles) -> list:
    """The centred title and the grey line under it that opens every document."""
    return [para(title, st.title), para(subtitle, st.subtitle), Spacer(1, 3 * mm * st.scale)]


def signed_sections(sections: Sequence[Section[T]], subject: T, signers: Sequence[str],
                    width: float, st: Styles) -> list:
    """Numbered sections (「一、基本情况」), then lines for the signatures and the date,
    kept on one page with the last section: a page holding only signatures attests
    nothing."""
    parts = [[heading(f"{NUMERALS[number]}、{name}", st), *draw(subject, width, st)]
             for number, (name, draw) in enumerate(sections)]
    cells = [para(f"{name}（签字）：", st.cell) for name in signers] + [para("日期：", st.cell)]
    line = Table([cells], colWidths=[width / len(cells)] * len(cells),
                 rowHeights=[12 * mm * st.scale],
                 style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    parts[-1] = [KeepTogether([*parts[-1], Spacer(1, 6 * mm * st.scale), line])]
    return [flowable for part in parts
            for flowable in (CondPageBreak(MIN_SECTION_START * st.scale), *part)]
