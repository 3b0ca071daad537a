"""防返贫监测 cases: from the first clue through the fixed procedure to a decision.

A household comes into monitoring only through the procedure (shared with the county):
入户核实 (the household signs its authorisation) → 信息比对 → 民主评议 → 村级公示 (at least
``publicity_days`` days) → 乡镇审核 → 县级审批; 风险消除 is its own procedure without the
信息比对. Steps are rows (CaseStep), append-only, each dated with who did it and a note, so
the case's state is its last step and the record is the papers' source. A 不通过 ends the
case with its reason. Only the last step changes the household (纳入: 监测对象类别 and
识别时间; 消除: 风险已消除), in the step's own transaction, so household and case never
disagree.

The village laptop does the village steps; 乡镇审核 and 县级审批 are done at the county and
reach the laptop in its return bundle (the county's ingest refuses them from a device).
A visit's suggestion or a department list never opens a case by itself: it is a proposal
(待确认) the cadre accepts or declines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from fieldvisit.errors import FieldVisitError
from fieldvisit.roster import vocab
from fieldvisit.roster.membership import CURRENT
from fieldvisit.store import Edit, Insert, Store, Update
from fieldvisit.store.fields import CASE_SOURCES, DEPARTMENTS, STEP_RESULTS
from fieldvisit.store.models import CaseStep, Household, Member, MonitorCase, table_of

ENTRY, ELIMINATION = "纳入", "消除"
ENTRY_STEPS = ("入户核实", "信息比对", "民主评议", "村级公示", "乡镇审核", "县级审批")
ELIMINATION_STEPS = ("入户核实", "民主评议", "村级公示", "乡镇审核", "县级审批")
COUNTY_STEPS = frozenset({"乡镇审核", "县级审批"})  # done at the county, never on a laptop
PROPOSED, IN_PROGRESS = "待确认", "办理中"
ENTERED, NOT_ENTERED, ELIMINATED, NOT_ELIMINATED = "已纳入", "不纳入", "已消除", "未消除"
CLOSED = frozenset({ENTERED, NOT_ENTERED, ELIMINATED, NOT_ELIMINATED})
PASSED, FAILED = STEP_RESULTS
# Spellings the CLI and people use for a step
STEP_ALIASES = {"村级民主评议": "民主评议", "评议": "民主评议", "公示": "村级公示",
                "核实": "入户核实", "比对": "信息比对", "审核": "乡镇审核", "审批": "县级审批"}
SOURCE_ALIASES = {"农户自主申报": "农户申报", "自主申报": "农户申报", "12317": "农户申报",
                  "排查": "干部排查", "预警": "部门预警"}
DEFAULT_PUBLICITY_DAYS = 5
DEFAULT_TARGET_DAYS = 15


class CaseError(FieldVisitError):
    """A case action the procedure does not allow; the message says why and what to do."""

    reason = "case"


@dataclass(frozen=True)
class StepView:
    step: str
    result: str
    done_on: date
    actor: str
    note: str | None
    details: dict[str, Any] = field(default_factory=dict)  # authorised, attendance …


@dataclass(frozen=True)
class CaseView:
    id: str
    household_id: str
    household_code: str
    head: str
    village_id: str
    kind: str
    source: str | None
    department: str | None
    status: str
    opened_on: date
    closed_on: date | None
    category: str | None
    risk_types: str | None
    risk_other: str | None
    clue: str | None
    steps: tuple[StepView, ...]
    due_on: date | None  # the procedure's target date (settings), while it runs

    @property
    def open(self) -> bool:
        return self.status not in CLOSED

    @property
    def next_step(self) -> str | None:
        if self.status == PROPOSED:
            return "确认立案"
        if not self.open:
            return None
        done = {s.step for s in self.steps if s.result == PASSED}
        return next((s for s in steps_of(self.kind) if s not in done), None)

    def overdue(self, today: date) -> bool:
        return self.open and self.due_on is not None and today > self.due_on

    @property
    def shown_status(self) -> str:
        """The last step done, or the outcome (``monitor list``'s status)."""
        if not self.open or not self.steps:
            return {ENTERED: "已纳入监测"}.get(self.status, self.status)
        return self.steps[-1].step


def steps_of(kind: str) -> tuple[str, ...]:
    return ENTRY_STEPS if kind == ENTRY else ELIMINATION_STEPS


def step_name(text: str) -> str:
    name = STEP_ALIASES.get(text.strip(), text.strip())
    if name not in ENTRY_STEPS:
        raise CaseError(f"没有“{text}”这一步；步骤为：{'、'.join(ENTRY_STEPS)}",
                        f"no step '{text}'; the steps are {', '.join(ENTRY_STEPS)}")
    return name


def source_name(text: str) -> str:
    name = SOURCE_ALIASES.get(text.strip(), text.strip())
    if name not in CASE_SOURCES:
        raise CaseError(f"线索来源应为{'、'.join(CASE_SOURCES)}之一，不是“{text}”",
                        f"the source must be one of {', '.join(CASE_SOURCES)}, not '{text}'")
    return name


# ---- opening ------------------------------------------------------------------------

def open_case(store: Store, household_id: str, *, source: str, risks: Iterable[str],
              today: date, risk_other: str | None = None, clue: str | None = None,
              category: str | None = None, department: str | None = None,
              visit_id: str | None = None, proposed: bool = False) -> str:
    """A 纳入 case for a household not monitored; its id. ``proposed``: a proposal
    (待确认) for the cadre to accept or decline, as a visit or a department list makes."""
    with store.reading() as conn:
        edit = open_edit(conn, household_id, source=source, risks=risks, today=today,
                         risk_other=risk_other, clue=clue, category=category,
                         department=department, visit_id=visit_id, proposed=proposed)
    store.write([edit])
    return edit.id


def open_edit(conn: Connection, household_id: str, *, source: str, risks: Iterable[str],
              today: date, risk_other: str | None = None, clue: str | None = None,
              category: str | None = None, department: str | None = None,
              visit_id: str | None = None, proposed: bool = False) -> Insert:
    """The insert ``open_case`` writes, for a caller writing it with other edits."""
    household = _household(conn, household_id)
    if household["monitored"] and not household["risk_eliminated"]:
        raise CaseError(f"户 {household['code']} 已是监测对象，不需要再纳入",
                        f"household {household['code']} is monitored already")
    if open_of(conn, household_id, ENTRY):
        raise CaseError(f"户 {household['code']} 已有正在办理的纳入监测程序",
                        f"household {household['code']} already has an entry case in progress")
    if department is not None and department not in DEPARTMENTS:
        raise CaseError(f"部门应为{'、'.join(DEPARTMENTS)}之一", "unknown department")
    if category is not None and category not in vocab.MONITOR_CATEGORIES:
        raise CaseError(f"监测对象类别应为{'、'.join(vocab.MONITOR_CATEGORIES)}之一",
                        "unknown category")
    chosen = _risks(list(risks), risk_other)
    return Insert("monitor_case", {
        "household_id": household_id, "kind": ENTRY, "source": source_name(source),
        "department": department, "status": PROPOSED if proposed else IN_PROGRESS,
        "opened_on": today, "category": category, "risk_types": chosen,
        "risk_other": (risk_other or "").strip() or None, "clue": (clue or "").strip() or None,
        "visit_id": visit_id})


def decide_proposal(store: Store, case_id: str, accept: bool, today: date,
                    note: str | None = None) -> None:
    """A proposal accepted (the procedure starts) or declined (closed as 不纳入, with why)."""
    with store.reading() as conn:
        case = _case(conn, case_id)
    if case["status"] != PROPOSED:
        raise CaseError("这不是待确认的建议", "this case is not a proposal")
    if accept:
        store.write([Update("monitor_case", case_id, {"status": IN_PROGRESS})])
        return
    reason = (note or "").strip()
    if not reason:
        raise CaseError("不立案请写明原因", "give the reason for not opening the case")
    store.write([Update("monitor_case", case_id, {
        "status": NOT_ENTERED, "closed_on": today,
        "clue": "；".join(p for p in (case["clue"], f"不立案：{reason}") if p)})])


def _risks(risks: list[str], other: str | None) -> str | None:
    risks = [r.strip() for r in risks if r.strip()]
    unknown = [r for r in risks if r not in vocab.RISK_TYPES]
    if unknown:
        raise CaseError(f"风险类型“{'、'.join(unknown)}”不在规定的类型中（其他请选“其他”并写明）",
                        f"unknown risk type(s) {', '.join(unknown)} (use 其他 with a remark)")
    if len(risks) > vocab.MAX_RISK_TYPES:
        raise CaseError(f"风险类型最多 {vocab.MAX_RISK_TYPES} 项",
                        f"at most {vocab.MAX_RISK_TYPES} risk types")
    if vocab.OTHER_MEASURE in risks and not (other or "").strip():
        raise CaseError("选了“其他”，请写明是什么风险", "risk type 其他 needs a remark")
    return vocab.RISK_SEPARATOR.join(dict.fromkeys(risks)) or None


# ---- steps --------------------------------------------------------------------------

@dataclass(frozen=True)
class StepInput:
    """One step as the cadre (or the county) records it."""

    step: str
    done_on: date
    actor: str
    result: str = PASSED
    note: str | None = None
    authorised: bool | None = None  # 入户核实
    attendance: int | None = None  # 民主评议
    publicity_from: date | None = None  # 村级公示
    publicity_to: date | None = None
    objections: str | None = None
    category: str | None = None  # 县级审批 of a 纳入: the category decided


def record_step(store: Store, case_id: str, given: StepInput, *, at_county: bool,
                settings: Mapping[str, float] | None = None) -> str:
    """Record the case's next step (refused with why when the procedure says no); the
    step's id. The last step also changes the household, in the same write."""
    with store.reading() as conn:
        edits = step_edits(conn, case_id, given, at_county=at_county, settings=settings or {})
    store.write(edits)
    return edits[0].id


def step_edits(conn: Connection, case_id: str, given: StepInput, *, at_county: bool,
               settings: Mapping[str, float]) -> list[Edit]:
    case = _case(conn, case_id)
    step = step_name(given.step)
    _check_role(step, at_county)
    _check_order(conn, case, step)
    _check_date(conn, case, given.done_on)
    result = given.result.strip()
    if result not in STEP_RESULTS:
        raise CaseError("结果应为“通过”或“不通过”", "the result is 通过 or 不通过")
    note = (given.note or "").strip() or None
    if result == FAILED and not note:
        raise CaseError(f"{step}不通过，请写明原因", f"{step} failed: give the reason")
    if result == PASSED:
        _check_details(step, given, settings)
    insert = Insert("case_step", {
        "case_id": case_id, "step": step, "result": result, "done_on": given.done_on,
        "actor": given.actor.strip(), "note": note, "authorised": given.authorised,
        "attendance": given.attendance, "publicity_from": given.publicity_from,
        "publicity_to": given.publicity_to,
        "objections": (given.objections or "").strip() or None})
    edits: list[Edit] = [insert]
    if result == FAILED:
        edits.append(Update("monitor_case", case_id, {
            "status": NOT_ENTERED if case["kind"] == ENTRY else NOT_ELIMINATED,
            "closed_on": given.done_on}))
    elif step == steps_of(case["kind"])[-1]:
        edits += _decided(case, given)
    return edits


def _check_order(conn: Connection, case: Mapping[str, Any], step: str) -> None:
    if case["status"] == PROPOSED:
        raise CaseError("这是待确认的建议：请先确认立案", "this is a proposal: accept it first")
    if case["status"] in CLOSED:
        raise CaseError(f"这个程序已结束（{case['status']}）",
                        f"the case is closed ({case['status']})")
    order = steps_of(case["kind"])
    if step not in order:
        raise CaseError(f"风险消除程序没有“{step}”这一步", f"the elimination has no step {step}")
    done = {row.step for row in conn.execute(
        select(CaseStep.step).where(CaseStep.case_id == case["id"], CaseStep.deleted.is_(False),
                                    CaseStep.result == PASSED))}
    expected = next((s for s in order if s not in done), None)
    if step != expected:
        raise CaseError(f"下一步应是“{expected}”，不是“{step}”（步骤须按顺序办理）",
                        f"the next step is {expected}, not {step} (steps go in order)")


def _check_date(conn: Connection, case: Mapping[str, Any], day: date) -> None:
    """A step is dated on or after the case opened and the step before it: the papers
    (公示, 扶贫手册) show the dates, and a procedure cannot run backwards."""
    last = conn.execute(select(func.max(CaseStep.done_on)).where(
        CaseStep.case_id == case["id"], CaseStep.deleted.is_(False))).scalar()
    earliest = max(d for d in (case["opened_on"], last) if d is not None)
    if day < earliest:
        raise CaseError(f"办理日期 {day} 早于立案或上一步的日期 {earliest}",
                        f"the step's date {day} is before the case opened or the previous "
                        f"step ({earliest})")


def _check_role(step: str, at_county: bool) -> None:
    if step in COUNTY_STEPS and not at_county:
        raise CaseError(f"“{step}”由乡镇、县里在县服务器上办理，村里的电脑不能办理；"
                        "办理结果会随回执包回到本机",
                        f"{step} is done at the county server, not on a village laptop; the "
                        "decision comes back in the return bundle")
    if step not in COUNTY_STEPS and at_county:
        raise CaseError(f"“{step}”是村级步骤，在村里的电脑上办理",
                        f"{step} is a village step, done on the village laptop")


def _check_details(step: str, given: StepInput, settings: Mapping[str, float]) -> None:
    if step == "入户核实" and given.authorised is not True:
        raise CaseError("入户核实须有农户签字的授权书（--authorised）",
                        "入户核实 needs the household's signed authorisation (--authorised)")
    if step == "民主评议" and not given.attendance:
        raise CaseError("民主评议请写明参会人数（--attendance）",
                        "民主评议 needs the attendance (--attendance)")
    if step == "村级公示":
        days = int(settings.get("publicity_days", DEFAULT_PUBLICITY_DAYS))
        start, end = given.publicity_from, given.publicity_to
        if start is None or end is None:
            raise CaseError("公示请写明起止日期（--from、--to）",
                            "村级公示 needs its first and last day (--from, --to)")
        if (end - start).days + 1 < days:
            raise CaseError(f"公示不少于 {days} 天（{start} 至 {end} 只有 "
                            f"{(end - start).days + 1} 天）",
                            f"a publicity lasts at least {days} days")
        if given.done_on < end:
            raise CaseError(f"公示到 {end} 才结束，之后才能记录公示结果",
                            f"the publicity ends on {end}: record it after that")


def _decided(case: Mapping[str, Any], given: StepInput) -> list[Edit]:
    """What 县级审批 changes: the case closes, the household is monitored (or its risk
    eliminated), journaled in the same write."""
    household = case["household_id"]
    if case["kind"] == ELIMINATION:
        return [Update("monitor_case", case["id"], {"status": ELIMINATED,
                                                     "closed_on": given.done_on}),
                Update("household", household, {"risk_eliminated": True,
                                                "risk_eliminated_on": given.done_on})]
    category = given.category or case["category"]
    if category not in vocab.MONITOR_CATEGORIES:
        raise CaseError(f"县级审批请定监测对象类别（{'、'.join(vocab.MONITOR_CATEGORIES)}）",
                        "县级审批 needs the category (--category)")
    return [Update("monitor_case", case["id"], {"status": ENTERED, "closed_on": given.done_on,
                                                 "category": category}),
            Update("household", household, {
                "monitored": True, "monitor_category": category,
                "identified_on": given.done_on, "risk_types": case["risk_types"],
                "risk_other": case["risk_other"], "risk_eliminated": False,
                "risk_eliminated_on": None})]


# ---- reading ------------------------------------------------------------------------

def cases(conn: Connection, *, village_id: str | None = None, household_id: str | None = None,
          open_only: bool = False, settings: Mapping[str, float] | None = None,
          ) -> list[CaseView]:
    """Cases (of a village or household), oldest first, with their steps."""
    target = timedelta(days=int((settings or {}).get("case_target_days",
                                                     DEFAULT_TARGET_DAYS)))
    table = table_of(MonitorCase)
    query = (select(table, Household.code.label("household_code"),
                    Household.village_id.label("village_id"))
             .join(Household, Household.id == table.c.household_id)
             .where(table.c.deleted.is_(False)).order_by(table.c.opened_on, table.c.id))
    if village_id is not None:
        query = query.where(Household.village_id == village_id)
    if household_id is not None:
        query = query.where(table.c.household_id == household_id)
    rows = conn.execute(query).mappings().all()
    steps = _steps(conn, [row["id"] for row in rows])
    heads = _heads(conn, {row["household_id"] for row in rows})
    found = []
    for row in rows:
        view = CaseView(
            row["id"], row["household_id"], row["household_code"],
            heads.get(row["household_id"], ""), row["village_id"], row["kind"],
            row["source"], row["department"], row["status"], row["opened_on"],
            row["closed_on"], row["category"], row["risk_types"], row["risk_other"],
            row["clue"], tuple(steps.get(row["id"], ())),
            row["opened_on"] + target if row["status"] not in CLOSED else None)
        if not open_only or view.open:
            found.append(view)
    return found


def case(conn: Connection, case_id: str) -> CaseView:
    row = _case(conn, case_id)
    [view] = [c for c in cases(conn, household_id=row["household_id"]) if c.id == case_id]
    return view


def _steps(conn: Connection, case_ids: list[str]) -> dict[str, list[StepView]]:
    found: dict[str, list[StepView]] = {}
    for chunk in range(0, len(case_ids), 500):
        table = table_of(CaseStep)
        for s in conn.execute(
                select(table).where(table.c.case_id.in_(case_ids[chunk:chunk + 500]),
                                    table.c.deleted.is_(False))
                .order_by(table.c.done_on, table.c.id)):
            details = {k: v for k, v in (
                ("authorised", s.authorised), ("attendance", s.attendance),
                ("publicity_from", s.publicity_from), ("publicity_to", s.publicity_to),
                ("objections", s.objections)) if v is not None}
            found.setdefault(s.case_id, []).append(
                StepView(s.step, s.result, s.done_on, s.actor, s.note, details))
    return found


def _heads(conn: Connection, household_ids: set[str]) -> dict[str, str]:
    heads: dict[str, str] = {}
    ids = list(household_ids)
    for chunk in range(0, len(ids), 500):
        for hid, name in conn.execute(
                select(Member.household_id, Member.name).where(
                    Member.household_id.in_(ids[chunk:chunk + 500]), CURRENT,
                    Member.relation == vocab.HEAD)):
            heads.setdefault(hid, name)
    return heads


def open_of(conn: Connection, household_id: str, kind: str) -> list[str]:
    """The household's cases of ``kind`` still open (proposals included)."""
    return list(conn.execute(select(MonitorCase.id).where(
        MonitorCase.household_id == household_id, MonitorCase.kind == kind,
        MonitorCase.deleted.is_(False), MonitorCase.status.not_in(CLOSED))).scalars())


def _case(conn: Connection, case_id: str) -> dict[str, Any]:
    table = table_of(MonitorCase)
    row = conn.execute(select(table).where(
        table.c.id == case_id, table.c.deleted.is_(False))).mappings().first()
    if row is None:
        raise CaseError(f"没有编号为 {case_id} 的监测程序", f"no case {case_id}")
    return dict(row)


def _household(conn: Connection, household_id: str) -> dict[str, Any]:
    row = conn.execute(select(Household.code, Household.monitored, Household.risk_eliminated)
                       .where(Household.id == household_id, Household.deleted.is_(False))
                       ).mappings().first()
    if row is None:
        raise CaseError("没有这一户（或已注销）", "no such household")
    return dict(row)
