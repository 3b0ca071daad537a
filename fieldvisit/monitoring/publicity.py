"""村级公示: the list a village posts on its notice board before a case goes to the township.

Every 纳入 (and every 风险消除) passes a public notice of at least ``publicity_days`` days
after the 民主评议, so that neighbours can object. The list names the households at that
point: those whose last step is 民主评议 (the notice is about to go up; it runs from the
day printed), and, for a given day, those whose recorded 村级公示 covered it (the step is
recorded after the notice ends, with its dates), so a past notice can be printed again
as it was.

The notice hangs where anyone passes, so it prints only what the procedure makes public:
户主, household size, 户类型 and 监测对象类别, the risk types as their categories (never
what 其他 means, which is free text), the source and the notice's days, with the
supervision phones and the village committee's stamp line. Never an ID number, a phone
of the household, a bank account or anyone's health.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlalchemy import Connection, select

from fieldvisit.cards.typeset import Line, Styles, heading, para, write_document
from fieldvisit.cards.visit_record import dated, listing, titled
from fieldvisit.errors import FieldVisitError
from fieldvisit.monitoring import cases
from fieldvisit.monitoring.cases import CaseView
from fieldvisit.roster import queries, villages
from fieldvisit.roster.vocab import RISK_SEPARATOR, split_risks, status_label
from fieldvisit.store import Store
from fieldvisit.store.models import County, Township, Village

NATIONAL_HOTLINE = "12317"  # 全国防止返贫监测和乡村振兴咨询服务热线
PUBLICITY_STEP, BEFORE_PUBLICITY = "村级公示", "民主评议"
INTROS = {
    cases.ENTRY: ("经农户申请（或干部排查、部门预警）、入户核实、信息比对和村民代表民主评议，"
                  "拟将下列农户纳入防止返贫监测对象，现予以公示。"),
    cases.ELIMINATION: ("经入户核实和村民代表民主评议，下列监测对象返贫致贫风险已稳定消除，"
                        "拟标注“风险消除”，现予公示。"),
}
HEADINGS = {cases.ENTRY: "拟纳入防止返贫监测对象", cases.ELIMINATION: "拟标注风险消除的监测对象"}


class PublicityError(FieldVisitError):
    reason = "publicity"


@dataclass(frozen=True)
class PublicityLine:
    """One household on the notice: only what the procedure makes public."""

    kind: str  # 纳入 / 消除
    head: str
    size: int
    status: str  # 户类型 / 监测对象类别 (and the category proposed for a 纳入)
    risks: str  # the categories only
    source: str
    starts: date
    ends: date


@dataclass(frozen=True)
class Publicity:
    village: str
    place: str  # county and township
    day: date
    lines: tuple[PublicityLine, ...]
    phones: tuple[tuple[str, str], ...]  # (whose, number): 12317, then the township's

    def of_kind(self, kind: str) -> tuple[PublicityLine, ...]:
        return tuple(line for line in self.lines if line.kind == kind)


def publicity(store: Store, village: str, day: date, *, given_day: bool = False,
              township_phone: str | None = None,
              settings: Mapping[str, float] | None = None) -> Publicity:
    """The notice of a village (code or name) on ``day``. ``given_day``: the day was
    asked for, so notices recorded as covering it are listed again with their dates;
    cases waiting for their notice are listed from ``day`` either way."""
    length = int((settings or {}).get("publicity_days", cases.DEFAULT_PUBLICITY_DAYS))
    with store.reading() as conn:
        chosen = villages.find(conn, village)
        place = _place(conn, chosen.id)
        listed: list[tuple[CaseView, date, date]] = []
        for case in cases.cases(conn, village_id=chosen.id, settings=settings):
            span = _span(case, day, length, given_day)
            if span is not None:
                listed.append((case, *span))
        households = {row.id: row for row in queries.household_rows(
            conn, {case.household_id for case, _s, _e in listed})}
    lines = [_line(case, households[case.household_id], starts, ends)
             for case, starts, ends in listed if case.household_id in households]
    lines.sort(key=lambda line: (line.kind != cases.ENTRY, line.starts, line.head))
    phones = [("全国监测帮扶热线", NATIONAL_HOTLINE)]
    if (township_phone or "").strip():
        phones.append(("乡镇监督电话", (township_phone or "").strip()))
    return Publicity(chosen.name, place, day, tuple(lines), tuple(phones))


def _span(case: CaseView, day: date, length: int, given_day: bool) -> tuple[date, date] | None:
    """The notice's first and last day for a case on the list, None for one not on it."""
    passed = [s.step for s in case.steps if s.result == cases.PASSED]
    if case.open and case.status != cases.PROPOSED and passed and passed[-1] == BEFORE_PUBLICITY:
        return day, day + timedelta(days=length - 1)
    if given_day:
        for step in case.steps:
            starts, ends = step.details.get("publicity_from"), step.details.get("publicity_to")
            if step.step == PUBLICITY_STEP and starts and ends and starts <= day <= ends:
                return starts, ends
    return None


def _line(case: CaseView, row: queries.HouseholdRow, starts: date, ends: date) -> PublicityLine:
    status = status_label(row.hh_type, row.monitored, row.monitor_category)
    if case.kind == cases.ENTRY and case.category:
        status = f"{status or '—'}（拟定类别：{case.category}）"
    risks = split_risks(case.risk_types if case.kind == cases.ENTRY else row.risk_types)
    source = case.source or "—"
    if case.department:
        source = f"{source}（{case.department}）"
    return PublicityLine(case.kind, case.head or row.head, row.size, status or "—",
                         RISK_SEPARATOR.join(risks) or "—", source, starts, ends)


def _place(conn: Connection, village_id: str) -> str:
    county, township = conn.execute(
        select(County.name, Township.name).select_from(Village)
        .outerjoin(Township, Township.id == Village.township_id)
        .outerjoin(County, County.id == Township.county_id)
        .where(Village.id == village_id)).one()
    return "".join(part or "" for part in (county, township))


# Drawing ----------------------------------------------------------------------------------

def write_publicity(notice: Publicity, path: Path) -> int:
    """Write the notice as a PDF at ``path`` (crash-safe); the page count. A notice with
    no household on it is refused (PublicityError): an empty sheet on the board would
    tell the village nothing."""
    if not notice.lines:
        raise PublicityError(
            f"{notice.village}在 {notice.day} 没有需要公示的农户（民主评议后、公示中的程序）",
            f"{notice.village} has no household to publicise on {notice.day}")
    return write_document(path, [lambda width, st: notice_flowables(notice, width, st)],
                          title=title_of(notice))


def title_of(notice: Publicity) -> str:
    return f"{notice.village}防止返贫监测对象公示"


def notice_flowables(notice: Publicity, width: float, st: Styles) -> list[Flowable]:
    story: list[Flowable] = titled(title_of(notice), f"{notice.place}{notice.village} · "
                                   f"公示日期：{dated(notice.day)}", st)
    kinds = [kind for kind in (cases.ENTRY, cases.ELIMINATION) if notice.of_kind(kind)]
    for number, kind in enumerate(kinds):
        lines = notice.of_kind(kind)
        story += [heading(f"{'一二'[number]}、{HEADINGS[kind]}（{len(lines)} 户）", st),
                  para(INTROS[kind], st.cell), Spacer(1, 1.5 * mm * st.scale),
                  listing(("序号", "户主姓名", "人口", "户类型/监测对象类别", "风险类型",
                           "线索来源", "公示开始", "公示结束"),
                          [(line.head, f"{line.size} 人", line.status, line.risks, line.source,
                            line.starts.isoformat(), line.ends.isoformat()) for line in lines],
                          (0.06, 0.11, 0.07, 0.21, 0.17, 0.10, 0.14, 0.14), width, st,
                          small=True, centred=(2, 6, 7))]
    return story + _closing(notice, width, st)


def _closing(notice: Publicity, width: float, st: Styles) -> list[Flowable]:
    """How to object, the supervision phones, and the committee's stamp and date."""
    phones = "；".join(f"{whose} {number}" for whose, number in notice.phones)
    if len(notice.phones) == 1:
        phones += "；乡镇监督电话 ________________"
    right = ParagraphStyle("stamp", parent=st.cell, alignment=TA_RIGHT)
    return [KeepTogether([
        Spacer(1, 4 * mm * st.scale),
        para("公示期间，对公示对象有异议的，可向村民委员会、驻村工作队反映，也可拨打监督电话。",
             st.cell),
        para(f"监督电话：{phones}", st.cell),
        Spacer(1, 14 * mm * st.scale),
        para(f"{notice.village}村民委员会（盖章）", right),
        Spacer(1, 3 * mm * st.scale),
        Line("年      月      日", right)])]
