"""The local database's tables as SQLAlchemy 2.0 typed models.

Every synchronised row carries a stable UUID, the hybrid-logical-clock revision of its
last change, who made it and a soft-deletion flag, so that the later sync work can merge
rows from many laptops without rewriting this store. Derived search keys (pinyin) are
stored with the row but never journaled: they follow from the name.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Synced:
    """Columns every synchronised table carries."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    rev: Mapped[str] = mapped_column(String(48), nullable=False)
    changed_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Meta(Base):
    """Small key/value facts about this store: device id, clock state."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class County(Synced, Base):
    __tablename__ = "county"
    code: Mapped[str | None] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)


class Township(Synced, Base):
    __tablename__ = "township"
    county_id: Mapped[str | None] = mapped_column(ForeignKey("county.id"))
    code: Mapped[str | None] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)


class Village(Synced, Base):
    """行政村; ``code`` is the 12-digit 统计用区划代码 when known."""

    __tablename__ = "village"
    township_id: Mapped[str | None] = mapped_column(ForeignKey("township.id"))
    code: Mapped[str | None] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)


class VillageGroup(Synced, Base):
    """村民小组 (also 自然村)."""

    __tablename__ = "village_group"
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(64), nullable=False)


class Household(Synced, Base):
    __tablename__ = "household"
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), nullable=False)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("village_group.id"))
    code: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)  # 户编号
    address: Mapped[str | None] = mapped_column(String(200))
    # 户类型 (脱贫户 / 一般农户, or a county's word kept as written) and, separately,
    # 是否监测对象 with 监测对象类别: a 脱贫户 can also be a 突发严重困难户 (migration 0008).
    hh_type: Mapped[str] = mapped_column(String(16), nullable=False, default="一般农户")
    monitored: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    monitor_category: Mapped[str | None] = mapped_column(String(16))
    risk_types: Mapped[str | None] = mapped_column(String(80))  # "、"-joined, at most four
    risk_other: Mapped[str | None] = mapped_column(String(100))  # what 其他 means
    poverty_cause: Mapped[str | None] = mapped_column(String(80))  # 致贫原因 (historical)
    risk_eliminated: Mapped[bool | None] = mapped_column(Boolean)
    identified_on: Mapped[date | None] = mapped_column(Date)  # 识别/纳入监测时间
    risk_eliminated_on: Mapped[date | None] = mapped_column(Date)
    helper_name: Mapped[str | None] = mapped_column(String(32))  # 帮扶责任人
    helper_unit: Mapped[str | None] = mapped_column(String(100))
    helper_phone: Mapped[str | None] = mapped_column(String(20))
    # the cadre's remarks on the household (never bank details: cards and bundles show it)
    note: Mapped[str | None] = mapped_column(Text)


class Member(Synced, Base):
    __tablename__ = "member"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), nullable=False)
    person_code: Mapped[str | None] = mapped_column(String(32))  # 人编号
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    id_number: Mapped[str | None] = mapped_column(String(18))
    relation: Mapped[str | None] = mapped_column(String(16))  # 与户主关系
    sex: Mapped[str | None] = mapped_column(String(2))
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(16))
    education: Mapped[str | None] = mapped_column(String(16))  # 文化程度
    schooling: Mapped[str | None] = mapped_column(String(24))  # 在校生状况
    health: Mapped[str | None] = mapped_column(String(16))  # 健康/长期慢性病/患有大病/残疾
    disability_cert: Mapped[str | None] = mapped_column(String(20))
    labour_skill: Mapped[str | None] = mapped_column(String(24))  # 劳动技能
    employment: Mapped[str | None] = mapped_column(String(40))  # 务工状况/务工时间
    resident_insurance: Mapped[bool | None] = mapped_column(Boolean)  # 城乡居民基本医疗保险
    employee_insurance: Mapped[bool | None] = mapped_column(Boolean)  # 城镇职工基本医疗保险
    serious_illness_insurance: Mapped[bool | None] = mapped_column(Boolean)  # 大病保险
    phone: Mapped[str | None] = mapped_column(String(20))
    name_pinyin: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    name_initials: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    # 自然增减 (fieldvisit.roster.membership): a person is never deleted, only ended.
    # Rows with left_on set are former members, kept for history and old cards.
    joined_on: Mapped[date | None] = mapped_column(Date)  # 新生/婚入/迁入/分户/合户 date
    joined_reason: Mapped[str | None] = mapped_column(String(16))
    left_on: Mapped[date | None] = mapped_column(Date)  # set: no longer a current member
    left_reason: Mapped[str | None] = mapped_column(String(16))  # 死亡/婚出/迁出/分户/合户
    left_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_member_household", "household_id"),
        Index("ix_member_id_number", "id_number"),
    )


class Visit(Synced, Base):
    """One 走访 of a household: a draft while answers come in, then completed (immutable).

    A correction is a new visit pointing at the one it corrects (``corrects``) with a
    reason; the original row is never changed. ``form_versions`` (JSON text,
    {form id: version}) records the checklist versions the answers belong to, so a draft
    can be carried over when a checklist changes. ``snapshot`` (a JSON object, set once
    at completion) keeps what the visit saw: the forms as worded, the household and
    members as judged, the values, findings and cadre (``fieldvisit.visits.snapshot``),
    so its record never changes when forms or roster do; NULL for a draft and for a visit
    completed before migration 0006.
    """

    __tablename__ = "visit"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), nullable=False)
    cadre: Mapped[str] = mapped_column(String(64), nullable=False)
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    completed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    confirmation: Mapped[str | None] = mapped_column(String(16))  # 户主签字 / 电话确认
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    form_versions: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    corrects: Mapped[str | None] = mapped_column(String(32))  # the visit this one corrects
    correction_reason: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # 日常走访 / 遍访 / 监测核实 / 回访 (coverage counts them differently), and in which role
    # the cadre came (驻村第一书记, 村支书, 帮扶责任人 …)
    kind: Mapped[str] = mapped_column(String(8), nullable=False, default="日常走访")
    visitor_role: Mapped[str | None] = mapped_column(String(16))

    __table_args__ = (Index("ix_visit_household", "household_id"),)


class VisitAnswer(Synced, Base):
    """One answer, saved (and journaled) the moment it changes.

    ``instance`` is the member id for a per-member form and NULL for a household-level
    one (the write path stores empty text as NULL). ``value`` is JSON text.
    """

    __tablename__ = "visit_answer"
    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), nullable=False)
    form_id: Mapped[str] = mapped_column(String(64), nullable=False)
    instance: Mapped[str | None] = mapped_column(String(32))
    question_id: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_visit_answer_visit", "visit_id"),)


class Problem(Synced, Base):
    """问题整改台账: one finding followed from 待整改 to 已销号."""

    __tablename__ = "problem"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), nullable=False)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id"))
    form_id: Mapped[str] = mapped_column(String(64), nullable=False)
    rule_id: Mapped[str] = mapped_column(String(64), nullable=False)
    member_id: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32), nullable=False)
    severity: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="待整改")
    deadline: Mapped[date | None] = mapped_column(Date)
    responsible: Mapped[str | None] = mapped_column(String(64))
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)

    __table_args__ = (Index("ix_problem_household", "household_id"),)


class ProblemStep(Synced, Base):
    """One status change of a problem, with its note; append-only, so reopening keeps
    the whole history."""

    __tablename__ = "problem_step"
    problem_id: Mapped[str] = mapped_column(ForeignKey("problem.id"), nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(8))  # NULL: the problem was opened
    to_status: Mapped[str] = mapped_column(String(8), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    on: Mapped[date] = mapped_column(Date, nullable=False)

    __table_args__ = (Index("ix_problem_step_problem", "problem_id"),)


class Photo(Synced, Base):
    """A photo kept in the data folder under its sha256 (photos/ab/abcd….jpg), attached
    to a visit (optionally one question) or to a ledger step as evidence."""

    __tablename__ = "photo"
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id"))
    problem_step_id: Mapped[str | None] = mapped_column(ForeignKey("problem_step.id"))
    question_id: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)  # as the cadre chose it
    media_type: Mapped[str] = mapped_column(String(16), nullable=False)  # image/jpeg, image/png
    size: Mapped[int] = mapped_column(Integer, nullable=False)


class Measure(Synced, Base):
    """帮扶措施 / 享受政策: one measure or policy a household enjoys (明白卡, 扶贫手册).

    A measure that stops gets ``ended_on`` and stays as history (the 扶贫手册 lists what
    was done); ``deleted`` is only for a row entered by mistake. ``amount_yuan`` is whole
    yuan per year, when the measure pays money.
    """

    __tablename__ = "measure"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # vocab.MEASURE_KINDS
    detail: Mapped[str | None] = mapped_column(Text)
    amount_yuan: Mapped[int | None] = mapped_column(Integer)
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_measure_household", "household_id"),)


class MonitorCase(Synced, Base):
    """One 防返贫监测 procedure of a household (``fieldvisit.monitoring``): 纳入 (from the
    first clue to 县级审批) or 消除 (风险消除). A visit's suggestion or a department list
    opens one as 待确认 (a proposal); each step is a CaseStep row, append-only."""

    __tablename__ = "monitor_case"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(4), nullable=False)  # 纳入 / 消除
    source: Mapped[str | None] = mapped_column(String(8))  # 农户申报 / 干部排查 / 部门预警
    department: Mapped[str | None] = mapped_column(String(8))  # 民政, 残联 … (部门预警)
    status: Mapped[str] = mapped_column(String(8), nullable=False)
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    closed_on: Mapped[date | None] = mapped_column(Date)
    category: Mapped[str | None] = mapped_column(String(16))  # 监测对象类别 proposed
    risk_types: Mapped[str | None] = mapped_column(String(80))
    risk_other: Mapped[str | None] = mapped_column(String(100))
    clue: Mapped[str | None] = mapped_column(Text)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id"))

    __table_args__ = (Index("ix_monitor_case_household", "household_id"),)


class CaseStep(Synced, Base):
    """One step of a case, dated, with who did it, its result and note. The village
    does the village steps; 乡镇审核 and 县级审批 only come from the county."""

    __tablename__ = "case_step"
    case_id: Mapped[str] = mapped_column(ForeignKey("monitor_case.id"), nullable=False)
    step: Mapped[str] = mapped_column(String(8), nullable=False)
    result: Mapped[str] = mapped_column(String(4), nullable=False)  # 通过 / 不通过
    done_on: Mapped[date] = mapped_column(Date, nullable=False)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    authorised: Mapped[bool | None] = mapped_column(Boolean)  # 入户核实: 授权书 signed
    attendance: Mapped[int | None] = mapped_column(Integer)  # 民主评议: people present
    publicity_from: Mapped[date | None] = mapped_column(Date)  # 公示
    publicity_to: Mapped[date | None] = mapped_column(Date)
    objections: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_case_step_case", "case_id"),)


class Helper(Synced, Base):
    """帮扶责任人 as the registry has them; a village's helpers travel with the village."""

    __tablename__ = "helper"
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(32), nullable=False)
    unit: Mapped[str | None] = mapped_column(String(100))
    post: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(20))


class HelperAssignment(Synced, Base):
    """A helper for a household from ``started_on``; a change of helper ends the row and
    adds one (the 扶贫手册 lists them all)."""

    __tablename__ = "helper_assignment"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), nullable=False)
    helper_id: Mapped[str] = mapped_column(ForeignKey("helper.id"), nullable=False)
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_helper_assignment_household", "household_id"),)


class QualityDismissal(Synced, Base):
    """A data-quality problem checked and found right (核实无误): kept, shown, not counted."""

    __tablename__ = "quality_dismissal"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), nullable=False)
    rule: Mapped[str] = mapped_column(String(64), nullable=False)
    member_id: Mapped[str | None] = mapped_column(String(32))
    field: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, nullable=False)
    on: Mapped[date] = mapped_column(Date, nullable=False)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)

    __table_args__ = (Index("ix_quality_dismissal_household", "household_id"),)


class JournalEntry(Base):
    """One change: an inserted row (``field`` is NULL, ``new`` holds all fields as JSON)
    or one changed field (``old`` and ``new`` JSON values). Written in the same
    transaction as the change itself. Read in ``seq`` order (sync, replay), so it has no
    secondary index to slow imports down."""

    __tablename__ = "journal"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    clock: Mapped[str] = mapped_column(String(48), nullable=False)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    entity: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(32), nullable=False)
    field: Mapped[str | None] = mapped_column(String(64))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    # Sync: NULL for this store's own edits; else who the change came from (a device id,
    # or "county"), so an export never sends others' changes back.
    origin: Mapped[str | None] = mapped_column(String(64))
    # On the county server: the village (12-digit code) the change belongs to, so a
    # return bundle selects its village's changes without joins.
    scope: Mapped[str | None] = mapped_column(String(12))


def table_of(model: type[DeclarativeBase]) -> Table:
    """A model's table as a ``Table`` (SQLAlchemy types ``__table__`` as any FromClause)."""
    return cast(Table, model.__table__)


SYNCED_TABLES = {
    cls.__tablename__: cls
    for cls in (County, Township, Village, VillageGroup, Household, Member,
                Visit, VisitAnswer, Problem, ProblemStep, Photo, Measure, MonitorCase, CaseStep,
                Helper, HelperAssignment, QualityDismissal)
}
DERIVED_FIELDS = {"member": ("name_pinyin", "name_initials")}
SYSTEM_FIELDS = ("id", "rev", "changed_by")
