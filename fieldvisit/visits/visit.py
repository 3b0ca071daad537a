"""A household visit: a draft saved answer by answer, then completed and immutable.

Cadres answer on a laptop that may be shut, run out of battery or be killed at any
moment, so every answer is its own row written (and journaled) through ``Store.write``
the moment it changes: a reopened draft has every answer given before the crash. A
household has at most one draft, which ``start`` resumes.

Completion evaluates the checklists, records who confirmed (户主签字 or 电话确认), keeps
what the visit saw (``snapshot``: forms as worded, household as judged, values, findings)
and opens a ledger problem per finding. A completed visit is never changed again, because
the household confirmed exactly those answers; a mistake is fixed by ``correct``, which
starts a new draft pointing at the original with a reason.

Answer values are JSON text; dates, which JSON lacks, are stored as {"$date": "YYYY-MM-DD"}.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, select

from fieldvisit.checklist.forms import FormSet
from fieldvisit.checklist.settings import DEFAULTS, Settings
from fieldvisit.errors import FieldVisitError
from fieldvisit.roster.vocab import (
    MAX_RISK_TYPES,
    MONITOR_CATEGORIES,
    RISK_SEPARATOR,
    RISK_TYPES,
)
from fieldvisit.store import Insert, Store, Update
from fieldvisit.store.models import Household, Member, MonitorCase, Problem, Visit, VisitAnswer
from fieldvisit.visits import kinds, snapshot
from fieldvisit.visits.snapshot import Snapshot

DRAFT = "draft"
COMPLETED = "completed"
CONFIRMATIONS = ("户主签字", "电话确认")
SCREENING_FORM = "monitoring"  # the form whose suggestion proposes a monitoring case
OPEN_STATUS = "待整改"
CLOSED_STATUS = "已销号"


class VisitError(FieldVisitError):
    """A visit operation that is not allowed, and why, in ``zh`` and ``en``."""


@dataclass(frozen=True)
class VisitRecord:
    id: str
    household_id: str
    cadre: str
    started_on: date
    completed_on: date | None
    status: str
    confirmation: str | None
    confirmed_by: str | None
    form_versions: dict[str, int]
    corrects: str | None
    correction_reason: str | None
    # {form: {question: value}}, or {form: {member id: {question: value}}} for per-member
    # forms: the shape fieldvisit.checklist.findings.evaluate_visit takes.
    answers_by_form: dict[str, dict[str, Any]] = field(default_factory=dict)
    kind: str = kinds.DEFAULT_KIND  # 日常走访 / 遍访 / 监测核实 / 回访 (visits.kinds)
    visitor_role: str | None = None

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED


@dataclass(frozen=True)
class VisitSummary:
    id: str
    status: str
    cadre: str
    started_on: date
    completed_on: date | None
    confirmation: str | None
    confirmed_by: str | None
    corrects: str | None
    correction_reason: str | None
    corrected_by: tuple[str, ...]  # later visits that correct this one
    kind: str = kinds.DEFAULT_KIND
    visitor_role: str | None = None


def encode(value: object) -> str:
    return orjson.dumps(snapshot.plain(value)).decode()


def decode(text: str | None) -> object:
    return None if text is None else snapshot.revived(orjson.loads(text))


def start(store: Store, household_id: str, formset: FormSet, cadre: str, today: date,
          kind: str = kinds.DEFAULT_KIND, visitor_role: str | None = None) -> str:
    """The household's draft visit: the existing one (resumed as it was, its kind too:
    ``set_kind`` changes that), or a new one of ``kind`` by a visitor in
    ``visitor_role`` (``visits.kinds``), recording the checklist versions its answers
    will belong to."""
    kind, visitor_role = kinds.checked(kind, visitor_role)
    with store.reading() as conn:
        if conn.execute(select(Household.id).where(
                Household.id == household_id, Household.deleted.is_(False))).first() is None:
            raise VisitError(f"没有编号为 {household_id} 的农户", f"no household {household_id}")
        draft = _draft_of(conn, household_id)
    if draft is not None:
        return draft
    edit = Insert("visit", {
        "household_id": household_id, "cadre": cadre, "started_on": today, "status": DRAFT,
        "form_versions": _versions(formset), "kind": kind, "visitor_role": visitor_role})
    store.write([edit])
    return edit.id


def set_kind(store: Store, visit_id: str, kind: str, visitor_role: str | None) -> None:
    """Change a draft's kind and the visitor's role (the cadre chose them on the
    wizard's first page); a completed visit keeps what it was."""
    kind, visitor_role = kinds.checked(kind, visitor_role)
    with store.reading() as conn:
        _require_draft(conn, visit_id)
    store.write([Update("visit", visit_id, {"kind": kind, "visitor_role": visitor_role})])


def set_confirmation(store: Store, visit_id: str, confirmation: str | None,
                     confirmed_by: str | None) -> None:
    """How the household will confirm the draft, chosen when the cadre arrives (the head
    at home signs: 户主签字; the head away is phoned: 电话确认) and who confirms; None
    while it is not known yet (户主不在家 and not reached). Kept on the draft so a visit
    reopened later still knows; completion records what is chosen then."""
    if confirmation is not None and confirmation not in CONFIRMATIONS:
        raise VisitError(f"确认方式应为{'或'.join(CONFIRMATIONS)}，不是“{confirmation}”",
                         f"confirmation must be 户主签字 or 电话确认, not {confirmation!r}")
    with store.reading() as conn:
        _require_draft(conn, visit_id)
    store.write([Update("visit", visit_id, {
        "confirmation": confirmation, "confirmed_by": (confirmed_by or "").strip() or None})])


def save_answer(store: Store, visit_id: str, form_id: str, instance: str, question_id: str,
                value: object) -> None:
    """Save one answer now (insert or update its row); refused on a completed visit.

    ``instance`` is '' for a household-level form and the member id for a per-member one.
    """
    with store.reading() as conn:
        _require_draft(conn, visit_id)
        existing = conn.execute(
            _answers(visit_id).where(VisitAnswer.form_id == form_id,
                                     _instance_is(instance),
                                     VisitAnswer.question_id == question_id)
            .order_by(VisitAnswer.id).limit(1)).first()
    text = encode(value)
    if existing is None:
        store.write([Insert("visit_answer", {
            "visit_id": visit_id, "form_id": form_id, "instance": instance or None,
            "question_id": question_id, "value": text})])
    else:
        store.write([Update("visit_answer", existing.id, {"value": text, "deleted": False})])


def load(store: Store, visit_id: str) -> VisitRecord:
    with store.reading() as conn:
        return _load(conn, visit_id)


def require_draft(store: Store, visit_id: str) -> None:
    """Raise VisitError unless the visit exists and is still a draft."""
    with store.reading() as conn:
        _require_draft(conn, visit_id)


def complete(store: Store, visit_id: str, formset: FormSet, settings: Settings, cadre: str,
             confirmation: str, confirmed_by: str, today: date, *,
             now: datetime | None = None) -> list[str]:
    """Evaluate the visit, keep what it saw, mark it completed and open a problem per
    finding.

    A suggestion to monitor the household becomes a proposal to open a case (待确认,
    ``fieldvisit.monitoring``), never a 整改 problem: only the procedure brings a household
    into monitoring, and a problem would turn it red on the card posted in its home.

    Returns the ids of the problems opened. A finding that the household already has an
    unclosed problem for (same form, rule and member: found again on the next monthly
    visit, or by a correction) does not open a second one; the ledger follows the first.
    Everything is one write: the visit is completed together with its snapshot and its
    problems, or not. ``now`` (the completion time kept in the snapshot) defaults to the
    clock's local time.
    """
    if confirmation not in CONFIRMATIONS:
        raise VisitError(f"确认方式应为{'或'.join(CONFIRMATIONS)}，不是“{confirmation}”",
                         f"confirmation must be 户主签字 or 电话确认, not {confirmation!r}")
    if not (confirmed_by or "").strip():
        raise VisitError("请填写确认人姓名", "the name of who confirmed is required")
    if not (cadre or "").strip():
        raise VisitError("请填写走访干部姓名", "the visiting cadre's name is required")
    with store.reading() as conn:
        record = _load(conn, visit_id)
        _refuse_completed(record)
        seen = snapshot.take(conn, record.household_id, record.answers_by_form,
                             record.form_versions, formset, settings, today,
                             cadre=cadre.strip(), actor=store.actor,
                             taken_at=now or datetime.now().astimezone())
        proposal = _proposal(conn, record.household_id, visit_id, seen, today)
        already_open = {
            (row.form_id, row.rule_id, row.member_id) for row in conn.execute(
                select(Problem.form_id, Problem.rule_id, Problem.member_id).where(
                    Problem.household_id == record.household_id, Problem.deleted.is_(False),
                    Problem.status != CLOSED_STATUS))}
    deadline = today + timedelta(days=int(settings.get("problem_days",
                                                       DEFAULTS["problem_days"])))
    edits: list[Insert | Update] = [Update("visit", visit_id, {
        "status": COMPLETED, "completed_on": today, "cadre": cadre.strip(),
        "confirmation": confirmation, "confirmed_by": confirmed_by.strip(),
        "snapshot": snapshot.to_json(seen)})]
    if proposal is not None:
        edits.append(proposal)
    opened: list[str] = []
    for finding in seen.findings:
        key = (finding.form_id, finding.rule_id, finding.member_id)
        if key in already_open:
            continue
        already_open.add(key)
        problem = Insert("problem", {
            "household_id": record.household_id, "visit_id": visit_id,
            "form_id": finding.form_id, "rule_id": finding.rule_id,
            "member_id": finding.member_id, "category": finding.category,
            "severity": finding.severity, "text": finding.text, "status": OPEN_STATUS,
            "deadline": deadline, "responsible": seen.household["helper_name"],
            "opened_on": today})
        step = Insert("problem_step", {
            "problem_id": problem.id, "from_status": None, "to_status": OPEN_STATUS,
            "note": "走访查摆发现", "actor": cadre.strip(), "on": today})
        edits += [problem, step]
        opened.append(problem.id)
    store.write(edits)
    return opened


def _proposal(conn: Connection, household_id: str, visit_id: str, seen: Snapshot,
              today: date) -> Insert | None:
    """The 干部排查 proposal a suggestion makes, unless the household is monitored or a
    纳入 case of it is open already (the cadre decides in ``monitoring.cases``)."""
    suggestion, kept = seen.suggestion, seen.household
    if suggestion is None or not suggestion.meets or (
            kept.get("monitored") and not kept.get("risk_eliminated")):
        return None
    if conn.execute(select(MonitorCase.id).where(
            MonitorCase.household_id == household_id, MonitorCase.kind == "纳入",
            MonitorCase.deleted.is_(False),
            MonitorCase.status.in_(("待确认", "办理中")))).first() is not None:
        return None
    answers = next((f.fillings[0].values for f in seen.forms
                    if f.id == SCREENING_FORM and f.fillings), {})
    chosen = answers.get("risks")
    risks = [r for r in chosen if r in RISK_TYPES][:MAX_RISK_TYPES] if isinstance(
        chosen, list) else []
    remark = answers.get("risk_remark") if "其他" in risks else None
    kind = suggestion.kind if suggestion.kind in MONITOR_CATEGORIES else None
    return Insert("monitor_case", {
        "household_id": household_id, "kind": "纳入", "source": "干部排查", "status": "待确认",
        "opened_on": today, "category": kind, "visit_id": visit_id,
        "risk_types": RISK_SEPARATOR.join(risks) or None,
        "risk_other": str(remark).strip()[:100] or None if remark else None,
        "clue": f"走访发现：建议纳入监测（{suggestion.kind or '类别待定'}）"})


def seen(store: Store, visit_id: str, formset: FormSet, settings: Settings) -> Snapshot:
    """What a completed visit saw, for its record and exports: the snapshot kept at
    completion. A visit completed before snapshots were kept is evaluated with
    ``formset``, ``settings`` and the household as they are now, on the visit's day, and
    the result is marked ``rebuilt`` so that whatever shows it says so."""
    with store.reading() as conn:
        record = _load(conn, visit_id)
        if not record.completed:
            raise VisitError("草稿还没有走访结论", "a draft visit has no findings yet")
        kept = conn.execute(select(Visit.snapshot).where(Visit.id == visit_id)).scalar()
        if kept is not None:
            return snapshot.read(kept)
        return snapshot.take(conn, record.household_id, record.answers_by_form,
                             record.form_versions, formset, settings,
                             record.completed_on or record.started_on, cadre=record.cadre,
                             rebuilt=True)


def correct(store: Store, visit_id: str, reason: str, cadre: str, today: date) -> str:
    """A new draft copying a completed visit's answers, marked as correcting it.

    The original stays exactly as confirmed; the correction is completed like any visit.
    """
    if not (reason or "").strip():
        raise VisitError("更正走访记录须说明原因", "a correction needs a reason")
    with store.reading() as conn:
        original = _load(conn, visit_id)
        if not original.completed:
            raise VisitError("草稿可以直接修改，无须更正",
                             "a draft is edited directly, not corrected")
        if _draft_of(conn, original.household_id) is not None:
            raise VisitError("该户已有未完成的走访草稿，请先完成或继续该草稿",
                             "the household already has a draft visit; finish it first")
        answers = conn.execute(_answers(visit_id).order_by(VisitAnswer.id)).all()
    new = Insert("visit", {
        "household_id": original.household_id, "cadre": cadre, "started_on": today,
        "status": DRAFT, "form_versions": encode(original.form_versions),
        "corrects": visit_id, "correction_reason": reason.strip(), "kind": original.kind,
        "visitor_role": original.visitor_role})
    copies = [Insert("visit_answer", {
        "visit_id": new.id, "form_id": a.form_id, "instance": a.instance,
        "question_id": a.question_id, "value": a.value}) for a in answers]
    store.write([new, *copies])
    return new.id


def history(store: Store, household_id: str) -> list[VisitSummary]:
    """The household's visits, newest first (drafts included)."""
    with store.reading() as conn:
        rows = conn.execute(select(Visit.__table__).where(
            Visit.household_id == household_id, Visit.deleted.is_(False))
            .order_by(Visit.started_on.desc(), Visit.id.desc())).mappings().all()
    corrected_by: dict[str, list[str]] = {}
    for row in reversed(rows):
        if row["corrects"]:
            corrected_by.setdefault(row["corrects"], []).append(row["id"])
    return [VisitSummary(
        row["id"], row["status"], row["cadre"], row["started_on"], row["completed_on"],
        row["confirmation"], row["confirmed_by"], row["corrects"], row["correction_reason"],
        tuple(corrected_by.get(row["id"], ())), row["kind"], row["visitor_role"])
        for row in rows]


def carry_over(store: Store, visit_id: str, formset: FormSet) -> list[str]:
    """Move a draft to the current checklist versions, keeping answers by question id.

    Answers to questions that no longer exist (or became computed, moved between
    household and per-member level, or whose choice is gone) are set aside (soft-deleted,
    so the journal keeps them) and described, in Chinese, in the returned messages.
    """
    with store.reading() as conn:
        record = _load(conn, visit_id)
        _refuse_completed(record)
        answers = conn.execute(_answers(visit_id).order_by(VisitAnswer.id)).all()
        names = dict(conn.execute(select(Member.id, Member.name).where(
            Member.household_id == record.household_id)).all())
    current = {form_id: form.version for form_id, form in formset.forms.items()}
    if record.form_versions == current:
        return []
    messages: list[str] = []
    edits: list[Insert | Update] = []
    for answer in answers:
        if record.form_versions.get(answer.form_id) == current.get(answer.form_id):
            continue
        problem = _cannot_carry(formset, answer)
        if problem is None:
            continue
        who = f"（{names.get(answer.instance, answer.instance)}）" if answer.instance else ""
        messages.append(f"{problem}{who}：原答案 {_shown(decode(answer.value))} 未能带入")
        edits.append(Update("visit_answer", answer.id, {"deleted": True}))
    edits.append(Update("visit", visit_id, {"form_versions": encode(current)}))
    store.write(edits)
    return messages


def _cannot_carry(formset: FormSet, answer: Any) -> str | None:
    form = formset.forms.get(answer.form_id)
    if form is None:
        return f"检查表“{answer.form_id}”已停用"
    question = form.question(answer.question_id)
    where = f"“{form.title}”第 {form.version} 版"
    if question is None:
        return f"{where}没有题目“{answer.question_id}”"
    if question.calculate is not None:
        return f"{where}的“{question.label}”改为自动计算"
    if form.per_member != bool(answer.instance):
        return f"{where}的“{question.label}”改为{'按成员' if form.per_member else '按户'}填写"
    choices = {choice.value for choice in question.choices}
    value = decode(answer.value)
    picked = value if isinstance(value, list) else [value]
    if choices and value is not None and any(item not in choices for item in picked):
        return f"{where}的“{question.label}”已没有此选项"
    return None


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return f"“{value}”"


def _versions(formset: FormSet) -> str:
    return encode({form_id: form.version for form_id, form in formset.forms.items()})


def _draft_of(conn: Connection, household_id: str) -> str | None:
    return conn.execute(select(Visit.id).where(
        Visit.household_id == household_id, Visit.status == DRAFT,
        Visit.deleted.is_(False)).order_by(Visit.id.desc()).limit(1)).scalar()


def _answers(visit_id: str) -> Any:
    return select(VisitAnswer.id, VisitAnswer.form_id, VisitAnswer.instance,
                  VisitAnswer.question_id, VisitAnswer.value).where(
        VisitAnswer.visit_id == visit_id, VisitAnswer.deleted.is_(False))


def _instance_is(instance: str | None) -> Any:
    return VisitAnswer.instance.is_(None) if not instance else VisitAnswer.instance == instance


def _load(conn: Connection, visit_id: str) -> VisitRecord:
    row = conn.execute(select(Visit.__table__).where(
        Visit.id == visit_id, Visit.deleted.is_(False))).mappings().first()
    if row is None:
        raise VisitError(f"没有编号为 {visit_id} 的走访记录", f"no visit {visit_id}")
    by_form: dict[str, dict[str, Any]] = {}
    for answer in conn.execute(_answers(visit_id).order_by(VisitAnswer.id)):
        answers = by_form.setdefault(answer.form_id, {})
        if answer.instance:
            answers = answers.setdefault(answer.instance, {})
        answers[answer.question_id] = decode(answer.value)
    versions = decode(row["form_versions"]) or {}
    return VisitRecord(
        row["id"], row["household_id"], row["cadre"], row["started_on"], row["completed_on"],
        row["status"], row["confirmation"], row["confirmed_by"],
        dict(versions) if isinstance(versions, Mapping) else {}, row["corrects"],
        row["correction_reason"], by_form, row["kind"], row["visitor_role"])


def _require_draft(conn: Connection, visit_id: str) -> None:
    row = conn.execute(select(Visit.status).where(
        Visit.id == visit_id, Visit.deleted.is_(False))).first()
    if row is None:
        raise VisitError(f"没有编号为 {visit_id} 的走访记录", f"no visit {visit_id}")
    if row.status != DRAFT:
        raise VisitError("已完成的走访记录不能修改；如有错误，请新建更正记录",
                         "a completed visit cannot be changed; record a correction instead")


def _refuse_completed(record: VisitRecord) -> None:
    if record.completed:
        raise VisitError("已完成的走访记录不能修改；如有错误，请新建更正记录",
                         "a completed visit cannot be changed; record a correction instead")
