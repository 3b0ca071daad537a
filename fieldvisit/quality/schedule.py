"""When each household is next due for a visit, by its status, and the 本月待访 list.

The field's norm (settings, so a county sets its own): a 监测对象 (monitored, not yet
风险消除) and a 脱贫户 are contacted every month — any kind of visit counts — and met face
to face (a visit the head signed, not one confirmed by phone) at least every quarter:
``visit_days_monitored`` / ``in_person_days_monitored`` (30 / 90 days) and
``visit_days_exited`` / ``in_person_days_exited``. A household is due on the earlier of
the two. 一般农户 have no visit interval: the yearly 集中排查 covers them, so one is due
by the end of ``screening_month`` (default December) of a year it has not been visited
in, and next year once it has.

A 监测对象 or 脱贫户 never visited is due at once: on its entry into monitoring (纳入监测
时间) when known, else today; it sorts before every visited household, since nobody has
seen it yet. Lists are sorted by how overdue: the earliest due date first, then by 户编号.

Last visits come in as mappings household id -> date (``quality.status`` reads them: last
contact, last face-to-face visit); this module reads only the household table, in one
select.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, select

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.store.models import Household

MONITORED, EXITED, GENERAL = "监测对象", "脱贫户", "一般农户"
STATUSES = (MONITORED, EXITED, GENERAL)
# what a due date is for
NEVER, CONTACT, IN_PERSON, SCREENING = "从未走访", "联系", "入户", "集中排查"


@dataclass(frozen=True, slots=True)
class Norm:
    """How often a status is visited: contact and face-to-face intervals in days, or the
    month of the yearly 集中排查 (一般农户)."""

    contact_days: int | None = None
    in_person_days: int | None = None
    screening_month: int | None = None


@dataclass(frozen=True, slots=True)
class DueVisit:
    household_id: str
    household_code: str
    village_id: str
    monitored: bool  # 监测对象 not yet 风险消除
    last_visit: date | None  # last contact (any kind of visit)
    due_on: date
    overdue_days: int  # days past due on the day asked (0 or negative: not yet overdue)
    status: str = GENERAL  # 监测对象 / 脱贫户 / 一般农户: which norm applies
    reason: str = NEVER  # what is due: 联系, 入户 (face to face), 集中排查, or 从未走访
    covered: bool = False  # the norm is met on the day asked

    @property
    def never_visited(self) -> bool:
        return self.last_visit is None


def status_of(hh_type: str | None, monitored: bool, eliminated: bool | None) -> str:
    """The status whose norm applies: 监测对象 before 户类型 (a 脱贫户 can be monitored
    too); a county word that is neither type is treated as 一般农户."""
    if monitored and not eliminated:
        return MONITORED
    return EXITED if hh_type == EXITED else GENERAL


def norms(settings: Mapping[str, float] = DEFAULT_SETTINGS) -> dict[str, Norm]:
    """Status -> its norm, from the settings."""
    def number(name: str) -> int:
        return int(settings.get(name, DEFAULT_SETTINGS[name]))

    month = min(max(number("screening_month"), 1), 12)
    return {MONITORED: Norm(number("visit_days_monitored"), number("in_person_days_monitored")),
            EXITED: Norm(number("visit_days_exited"), number("in_person_days_exited")),
            GENERAL: Norm(screening_month=month)}


def due_visits(conn: Connection, last_visits: Mapping[str, date], today: date,
               settings: Mapping[str, float] = DEFAULT_SETTINGS,
               village_id: str | None = None,
               face_to_face: Mapping[str, date] | None = None) -> list[DueVisit]:
    """Every live household (of one village, if given) with its next due date, most
    overdue first. ``last_visits`` are last contacts, ``face_to_face`` the last visits
    that met the household (None: every contact did)."""
    met = last_visits if face_to_face is None else face_to_face
    by_status = norms(settings)
    query = select(Household.id, Household.code, Household.village_id, Household.hh_type,
                   Household.monitored, Household.risk_eliminated, Household.identified_on
                   ).where(Household.deleted.is_(False))
    if village_id is not None:
        query = query.where(Household.village_id == village_id)
    due = []
    for hid, code, village, hh_type, watched, eliminated, entered in conn.execute(query):
        status = status_of(hh_type, watched, eliminated)
        norm = by_status[status]
        last = last_visits.get(hid)
        if norm.screening_month is not None:
            due_on, reason, covered = _screening(last, today, norm.screening_month)
        elif last is None:
            due_on = min(entered, today) if status == MONITORED and entered else today
            reason, covered = NEVER, False
        else:
            due_on, reason = _next_visit(last, met.get(hid), today, norm)
            covered = hid in met and due_on >= today
        due.append(DueVisit(hid, code, village, status == MONITORED, last, due_on,
                            (today - due_on).days, status, reason, covered))
    due.sort(key=lambda d: (d.last_visit is not None, d.due_on, d.household_code))
    return due


def _next_visit(last: date, met: date | None, today: date, norm: Norm) -> tuple[date, str]:
    """The earlier of the next contact and the next face-to-face visit (at once when the
    household has never been met)."""
    contact = last + timedelta(days=norm.contact_days or 0)
    in_person = met + timedelta(days=norm.in_person_days or 0) if met else min(today, contact)
    return (in_person, IN_PERSON) if in_person < contact else (contact, CONTACT)


def _screening(last: date | None, today: date, month: int) -> tuple[date, str, bool]:
    """一般农户: due by the end of the screening month of a year without a visit."""
    screened = last is not None and last.year >= today.year
    year = today.year + 1 if screened else today.year
    return _month_end(date(year, month, 1)), SCREENING if last else NEVER, screened


def this_month(conn: Connection, last_visits: Mapping[str, date], today: date,
               settings: Mapping[str, float] = DEFAULT_SETTINGS,
               village_id: str | None = None,
               face_to_face: Mapping[str, date] | None = None) -> list[DueVisit]:
    """本月待访: households due on or before the last day of today's month, most overdue
    first."""
    return due_this_month(due_visits(conn, last_visits, today, settings, village_id,
                                     face_to_face), today)


def due_this_month(due: list[DueVisit], today: date) -> list[DueVisit]:
    """Of ``due_visits``' list, those due by the end of today's month."""
    end = _month_end(today)
    return [d for d in due if d.due_on <= end]


def interval_text(status: str, settings: Mapping[str, float] = DEFAULT_SETTINGS) -> str:
    """The norm in words, as the dashboard and the report name it: 每月联系、每季度入户;
    每年集中排查（12月底前）."""
    norm = norms(settings)[status]
    if norm.screening_month is not None:
        return f"每年集中排查（{norm.screening_month}月底前）"
    return f"{_every(norm.contact_days or 0)}联系、{_every(norm.in_person_days or 0)}入户"


def _every(days: int) -> str:
    return {30: "每月", 31: "每月", 90: "每季度", 91: "每季度", 7: "每周", 365: "每年"}.get(
        days, f"每 {days} 天")


def _month_end(day: date) -> date:
    first_next = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return first_next - timedelta(days=1)
