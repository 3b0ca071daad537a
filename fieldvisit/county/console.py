"""What the web console shows, read from the county's store within a user's scope.

Aggregates are one grouped query each over the villages in scope (never a row per
household in Python for the overview), so the county's 300,000 households give a page in
well under a second. The server (``fieldvisit.server.console``) renders them; nothing
here knows about HTTP.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from fieldvisit.county import conflicts as county_conflicts
from fieldvisit.county import devices as county_devices
from fieldvisit.county.models import Device, ReceivedBundle
from fieldvisit.county.scope import Scope
from fieldvisit.errors import FieldVisitError
from fieldvisit.monitoring import cases as monitor_cases
from fieldvisit.quality.status import colours_of
from fieldvisit.roster import queries
from fieldvisit.roster.history import household_history
from fieldvisit.roster.membership import CURRENT
from fieldvisit.roster.search import SearchIndex
from fieldvisit.store import Store
from fieldvisit.store.models import (
    Household,
    JournalEntry,
    Member,
    MonitorCase,
    Problem,
    Township,
    Village,
    Visit,
    table_of,
)
from fieldvisit.visits.ledger import CLOSED as PROBLEM_CLOSED
from fieldvisit.visits.visit import COMPLETED

SEARCH_LIMIT = 50


@dataclass
class Counts:
    """One line of the 总览: a village, or a township summing its villages."""

    code: str
    name: str
    households: int = 0
    persons: int = 0
    monitored: dict[str, int] = field(default_factory=dict)  # category → households
    visits_month: int = 0
    visited_year: int = 0  # households with a completed visit this year
    colours: dict[str, int] = field(default_factory=lambda: {"红": 0, "黄": 0, "绿": 0})
    problems: dict[str, int] = field(default_factory=dict)  # age band → open problems
    open_cases: int = 0
    overdue_cases: int = 0
    last_bundle: datetime | None = None  # the latest bundle accepted from its laptops

    @property
    def monitored_total(self) -> int:
        return sum(self.monitored.values())

    @property
    def coverage(self) -> float:
        return self.visited_year / self.households if self.households else 0.0

    @property
    def problems_total(self) -> int:
        return sum(self.problems.values())

    def add(self, other: Counts) -> None:
        self.households += other.households
        self.persons += other.persons
        self.visits_month += other.visits_month
        self.visited_year += other.visited_year
        self.open_cases += other.open_cases
        self.overdue_cases += other.overdue_cases
        if other.last_bundle and (self.last_bundle is None
                                  or other.last_bundle > self.last_bundle):
            self.last_bundle = other.last_bundle
        for target, source in ((self.monitored, other.monitored),
                               (self.colours, other.colours),
                               (self.problems, other.problems)):
            for key, value in source.items():
                target[key] = target.get(key, 0) + value


def _codes(conn: Connection, names: dict[str, str]) -> dict[str, str]:
    """Village row id → code, for the villages (by code) named."""
    if not names:
        return {}
    return {vid: code or "" for vid, code in conn.execute(
        select(Village.id, Village.code).where(Village.code.in_(list(names))))}


AGE_BANDS = ("30天内", "31–90天", "90天以上")


def _band(opened: date, today: date) -> str:
    days = (today - opened).days
    return AGE_BANDS[0] if days <= 30 else AGE_BANDS[1] if days <= 90 else AGE_BANDS[2]


def village_counts(conn: Connection, scope: Scope, today: date,
                   only: list[str] | None = None) -> list[Counts]:
    """Counts per village in scope (``only``: these village codes), by code."""
    names = scope.villages(conn)
    if only is not None:
        names = {code: name for code, name in names.items() if code in only}
    ids = _codes(conn, names)
    found = {code: Counts(code, name) for code, name in names.items()}
    if not ids:
        return list(found.values())
    village_ids = list(ids)
    live = Household.deleted.is_(False) & Household.village_id.in_(village_ids)
    for vid, count in conn.execute(select(Household.village_id, func.count()).where(live)
                                   .group_by(Household.village_id)):
        found[ids[vid]].households = count
    for vid, count in conn.execute(
            select(Household.village_id, func.count(Member.id))
            .join(Member, Member.household_id == Household.id).where(live, CURRENT)
            .group_by(Household.village_id)):
        found[ids[vid]].persons = count
    for vid, category, count in conn.execute(
            select(Household.village_id, Household.monitor_category, func.count())
            .where(live, Household.monitored.is_(True))
            .group_by(Household.village_id, Household.monitor_category)):
        found[ids[vid]].monitored[category or "监测对象"] = count
    month = today.replace(day=1)
    year = today.replace(month=1, day=1)
    done = (Visit.deleted.is_(False)) & (Visit.status == COMPLETED)
    for vid, count in conn.execute(
            select(Household.village_id, func.count(Visit.id))
            .join(Visit, Visit.household_id == Household.id)
            .where(live, done, Visit.completed_on >= month).group_by(Household.village_id)):
        found[ids[vid]].visits_month = count
    for vid, count in conn.execute(
            select(Household.village_id, func.count(func.distinct(Visit.household_id)))
            .join(Visit, Visit.household_id == Household.id)
            .where(live, done, Visit.completed_on >= year).group_by(Household.village_id)):
        found[ids[vid]].visited_year = count
    for vid, opened in conn.execute(
            select(Household.village_id, Problem.opened_on)
            .join(Problem, Problem.household_id == Household.id)
            .where(live, Problem.deleted.is_(False), Problem.status != PROBLEM_CLOSED)):
        bands = found[ids[vid]].problems
        band = _band(opened, today)
        bands[band] = bands.get(band, 0) + 1
    for view in _open_cases(conn, village_ids):
        line = found[ids[view.village_id]]
        line.open_cases += 1
        line.overdue_cases += view.overdue(today)
    bundle = table_of(ReceivedBundle)
    for code, last in conn.execute(
            select(Device.village, func.max(bundle.c.received_at))
            .join(bundle, bundle.c.device == Device.id)
            .where(bundle.c.verdict == "accepted", Device.village.in_(list(found)))
            .group_by(Device.village)):
        found[code].last_bundle = last
    village_of = dict(conn.execute(select(Household.id, Household.village_id).where(live)).all())
    for household_id, colour in colours_of(conn).items():
        vid = village_of.get(household_id, "")
        if vid in ids:
            found[ids[vid]].colours[colour] = found[ids[vid]].colours.get(colour, 0) + 1
    return list(found.values())


def _open_cases(conn: Connection, village_ids: list[str]) -> list[monitor_cases.CaseView]:
    return [view for village_id in village_ids
            for view in monitor_cases.cases(conn, village_id=village_id, open_only=True)]


@dataclass
class TownshipCounts:
    code: str
    name: str
    total: Counts
    villages: list[Counts]


def township_counts(conn: Connection, scope: Scope, today: date,
                    township: str | None = None, lines: dict[str, Counts] | None = None
                    ) -> list[TownshipCounts]:
    """Townships in scope (or the one), each with its villages' lines and their sum
    (``lines``: the county's, as ``CountsCache`` keeps them; else counted now)."""
    query = (select(Township.code, Township.name, Village.code)
             .join(Village, Village.township_id == Township.id)
             .where(Township.deleted.is_(False), Village.deleted.is_(False),
                    Village.code.is_not(None)).order_by(Township.code, Village.code))
    if township is not None:
        query = query.where(Township.code == township)
    if lines is None:
        lines = {c.code: c for c in village_counts(conn, scope, today)}
    elif not scope.is_county:
        allowed = scope.villages(conn)
        lines = {code: line for code, line in lines.items() if code in allowed}
    grouped: dict[tuple[str, str], list[Counts]] = defaultdict(list)
    for t_code, t_name, v_code in conn.execute(query):
        if v_code in lines:
            grouped[(t_code or "", t_name)].append(lines[v_code])
    found = []
    for (code, name), villages in grouped.items():
        total = Counts(code, name)
        for line in villages:
            total.add(line)
        found.append(TownshipCounts(code, name, total, villages))
    return found


class CountsCache:
    """The county's lines per village, counted at most once every ``seconds`` in a server
    process (at 300,000 households a count takes seconds; the 总览 says when it was
    counted). Only the first count is waited for: later, stale lines are served while a
    thread counts afresh. A decision made through this process clears them."""

    def __init__(self, seconds: float = 60.0) -> None:
        self.seconds = seconds
        self._lines: dict[str, Counts] = {}
        self._counted: datetime | None = None
        self._at = 0.0
        self._lock = threading.Lock()
        self._counting = threading.Lock()  # one recount at a time

    def lines(self, store: Store, today: date) -> tuple[dict[str, Counts], datetime]:
        with self._lock:
            counted, lines = self._counted, self._lines
            fresh = counted is not None and counted.date() == today \
                and time.monotonic() - self._at <= self.seconds
        if counted is not None and counted.date() == today:
            if not fresh and self._counting.acquire(blocking=False):
                threading.Thread(target=self._recount, args=(store, today, True),
                                 daemon=True).start()
            return lines, counted
        with self._counting:
            with self._lock:
                if self._counted is not None and self._counted.date() == today:
                    return self._lines, self._counted
            return self._recount(store, today, False)

    def _recount(self, store: Store, today: date, release: bool
                 ) -> tuple[dict[str, Counts], datetime]:
        try:
            with store.reading() as conn:
                counted = village_counts(conn, Scope("county"), today)
            lines = {line.code: line for line in counted}
            stamp = datetime.now()
            with self._lock:
                self._lines, self._counted, self._at = lines, stamp, time.monotonic()
            return lines, stamp
        finally:
            if release:
                self._counting.release()

    def clear(self) -> None:
        with self._lock:
            self._counted = None


def township_name(conn: Connection, code: str) -> str | None:
    return conn.execute(select(Township.name).where(Township.code == code,
                                                    Township.deleted.is_(False))).scalar()


def village_of_township(conn: Connection, village_code: str) -> tuple[str, str] | None:
    """The (code, name) of a village's township."""
    row = conn.execute(select(Township.code, Township.name)
                       .join(Village, Village.township_id == Township.id)
                       .where(Village.code == village_code)).first()
    return (row[0] or "", row[1]) if row else None


def village_households(conn: Connection, village_code: str) -> list[queries.HouseholdRow]:
    village_id = conn.execute(select(Village.id).where(Village.code == village_code)).scalar()
    if village_id is None:
        return []
    ids = conn.execute(select(Household.id).where(Household.village_id == village_id,
                                                  Household.deleted.is_(False))).scalars()
    return queries.household_rows(conn, list(ids))


@dataclass(frozen=True)
class Found:
    code: str
    head: str
    village: str
    village_name: str
    matched: str  # the member the needle matched ("" when the 户编号 did)


class CountySearch:
    """One server process's search over the county: ``roster.search.SearchIndex`` (the
    app's, the key index from 50,000 households), built on the first search and brought
    in step with the journal before each (only the households changed since)."""

    def __init__(self) -> None:
        self._index: SearchIndex | None = None
        self._seq = 0
        self._lock = threading.Lock()

    def warm(self, store: Store) -> None:
        """Build the index now (a server starts this in a thread: at 300,000 households it
        takes about 20 s, which the first search would otherwise wait for)."""
        self.matches(store, "")

    def matches(self, store: Store, needle: str) -> set[str]:
        with self._lock, store.reading() as conn:
            top = int(conn.execute(select(func.coalesce(func.max(JournalEntry.seq), 0))
                                   ).scalar_one())
            if self._index is None:
                self._index = SearchIndex.build(conn)
            elif top != self._seq:
                self._index.refresh(conn, _changed_households(conn, self._seq))
            self._seq = top
            return self._index.matches(needle)


def _changed_households(conn: Connection, after: int) -> list[str] | None:
    """Households whose search text may have changed after journal entry ``after``
    (None: too many to tell, rebuild)."""
    j = JournalEntry
    rows = conn.execute(select(j.entity, j.entity_id, j.field, j.old, j.new).where(
        j.seq > after, j.entity.in_(("household", "member")))).all()
    if len(rows) > 5000:
        return None
    households = {entity_id for entity, entity_id, *_ in rows if entity == "household"}
    members = {entity_id for entity, entity_id, *_ in rows if entity == "member"}
    for entity, _id, name, old, new in rows:
        if entity == "member" and name == "household_id":
            households.update(v for v in (json.loads(old or "null"), json.loads(new or "null"))
                              if isinstance(v, str))
    for chunk in range(0, len(members), 500):
        part = sorted(members)[chunk:chunk + 500]
        households.update(conn.execute(select(Member.household_id).where(
            Member.id.in_(part))).scalars())
    return sorted(households)


def search(store: Store, finder: CountySearch, scope: Scope, needle: str,
           limit: int = SEARCH_LIMIT) -> list[Found]:
    """Households in scope whose 户编号, or a member's name, pinyin, initials, ID number or
    phone, holds ``needle`` (the app's search): ``limit`` of them (the first made), shown
    by 户编号."""
    needle = "".join(needle.split()).lower()
    if not needle:
        return []
    ids = finder.matches(store, needle)
    with store.reading() as conn:
        allowed = scope.village_ids(conn)
        found: list[Any] = []
        ordered = sorted(ids)  # UUIDv7: the order households were made; enough to cut at
        for chunk in range(0, len(ordered), 250):
            if len(found) >= limit:
                break
            part = ordered[chunk:chunk + 250]
            query = (select(Household.id, Household.code, Village.code, Village.name)
                     .join(Village, Village.id == Household.village_id)
                     .where(Household.id.in_(part), Household.deleted.is_(False)))
            if allowed is not None:
                query = query.where(Household.village_id.in_(allowed))
            found += conn.execute(query).all()
        found.sort(key=lambda row: row[1])
        found = found[:limit]
        members: dict[str, list[Any]] = defaultdict(list)
        for chunk in range(0, len(found), 500):
            part = [row[0] for row in found[chunk:chunk + 500]]
            for row in conn.execute(select(
                    Member.household_id, Member.name, Member.relation, Member.name_pinyin,
                    Member.name_initials, Member.id_number, Member.phone).where(
                    Member.household_id.in_(part), CURRENT)):
                members[row[0]].append(row)
    results = []
    for household_id, code, v_code, v_name in found:
        people = members.get(household_id, [])
        head = next((m.name for m in people if m.relation == "户主"), "")
        matched = "" if needle in code.lower() else next(
            (m.name for m in people if any(needle in (k or "").lower() for k in (
                m.name, m.name_pinyin, m.name_initials, m.id_number, m.phone))), "")
        results.append(Found(code, head, v_code or "", v_name, matched))
    return results


@dataclass
class HouseholdPage:
    household: dict[str, Any]
    village_code: str
    village_name: str
    members: list[queries.MemberView]
    visits: list[Any]
    problems: list[Any]
    cases: list[monitor_cases.CaseView]
    history: list[Any]


def household_page(conn: Connection, scope: Scope, code: str) -> HouseholdPage | None:
    """A household in scope by 户编号 (None: unknown, or outside the scope alike)."""
    row = conn.execute(select(Household.id, Village.code, Village.name)
                       .join(Village, Village.id == Household.village_id)
                       .where(Household.code == code, Household.deleted.is_(False))).first()
    if row is None or not scope.allows_village(row[1]):
        return None
    if not scope.is_county and row[1] not in scope.villages(conn):
        return None
    household_id = row[0]
    visits = list(conn.execute(
        select(Visit.started_on, Visit.completed_on, Visit.kind, Visit.cadre, Visit.status,
               Visit.visitor_role, Visit.confirmation)
        .where(Visit.household_id == household_id, Visit.deleted.is_(False))
        .order_by(Visit.started_on.desc())).mappings())
    problems = list(conn.execute(
        select(Problem.opened_on, Problem.category, Problem.severity, Problem.text,
               Problem.status, Problem.deadline, Problem.responsible)
        .where(Problem.household_id == household_id, Problem.deleted.is_(False))
        .order_by(Problem.opened_on.desc())).mappings())
    return HouseholdPage(
        queries.household(conn, household_id) or {}, row[1] or "", row[2],
        queries.members(conn, household_id, include_former=True), visits, problems,
        monitor_cases.cases(conn, household_id=household_id),
        household_history(conn, household_id)[:100])


# ---- cases waiting for a decision --------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    case: monitor_cases.CaseView
    village_code: str
    village_name: str
    step: str  # 乡镇审核 or 县级审批
    may_decide: bool


def waiting_cases(conn: Connection, scope: Scope) -> list[Waiting]:
    """Open cases in scope whose next step is the township's or the county's, oldest
    first; ``may_decide`` says whether this scope decides it (乡镇审核: township users,
    县级审批: county users)."""
    names = scope.villages(conn)
    ids = _codes(conn, names)
    if not ids:
        return []
    found = []
    for view in _open_cases(conn, list(ids)):
        step = view.next_step
        if step not in monitor_cases.COUNTY_STEPS:
            continue
        decides = (step == "乡镇审核" and scope.role == "township") or (
            step == "县级审批" and scope.is_county)
        code = ids[view.village_id]
        found.append(Waiting(view, code, names[code], step or "", decides))
    found.sort(key=lambda w: (w.case.opened_on, w.case.id))
    return found


@dataclass(frozen=True)
class VisitEvidence:
    """A completed visit behind a case, as its snapshot kept it: the 核实 answers of the
    monitoring screening (income, 三保障 …), the findings, the form's suggestion."""

    day: date
    kind: str
    cadre: str
    answers: list[tuple[str, str]]  # (question, answer) of the monitoring form
    findings: list[str]
    suggestion: str


EVIDENCE_FORMS = ("monitoring", "income")
EVIDENCE_DAYS = 90


def case_evidence(conn: Connection, case: monitor_cases.CaseView, limit: int = 2
                  ) -> list[VisitEvidence]:
    """The household's completed visits from EVIDENCE_DAYS before the case opened, newest
    first (the visit that proposed it among them)."""
    from fieldvisit.visits import snapshot as snapshots

    rows = conn.execute(
        select(Visit.completed_on, Visit.kind, Visit.cadre, Visit.snapshot)
        .where(Visit.household_id == case.household_id, Visit.deleted.is_(False),
               Visit.status == COMPLETED,
               Visit.completed_on >= case.opened_on - timedelta(days=EVIDENCE_DAYS))
        .order_by(Visit.completed_on.desc()).limit(limit)).all()
    found = []
    for day, kind, cadre, kept in rows:
        answers: list[tuple[str, str]] = []
        findings: list[str] = []
        suggestion = ""
        if kept:
            try:
                seen = snapshots.read(kept)
            except FieldVisitError:
                seen = None
            if seen is not None:
                for form in seen.forms:
                    if form.id not in EVIDENCE_FORMS:
                        continue
                    labels = {q.id: q for q in form.questions}
                    for filling in form.fillings[:1]:
                        for qid, value in filling.values.items():
                            question = labels.get(qid)
                            if question is not None and value is not None:
                                answers.append((question.label, _answer(question, value)))
                findings = [f"[{f.category}] {f.text}" for f in seen.findings]
                if seen.suggestion is not None:
                    suggestion = ("建议纳入监测" + (f"（{seen.suggestion.kind}）"
                                                 if seen.suggestion.kind else "")
                                  if seen.suggestion.meets else "未达纳入监测条件")
        found.append(VisitEvidence(day, kind, cadre, answers[:12], findings[:8], suggestion))
    return found


def _answer(question: Any, value: Any) -> str:
    choices = dict(question.choices)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(str(choices.get(v, v)) for v in value)
    shown = str(choices.get(value, value)) if isinstance(value, str) else str(value)
    return f"{shown} {question.unit}".strip()


def case_in_scope(conn: Connection, scope: Scope, case_id: str) -> Waiting | None:
    return next((w for w in waiting_cases(conn, scope) if w.case.id == case_id), None)


def case_village(conn: Connection, case_id: str) -> str | None:
    return conn.execute(select(Village.code).join(Household, Household.village_id == Village.id)
                        .join(MonitorCase, MonitorCase.household_id == Household.id)
                        .where(MonitorCase.id == case_id)).scalar()


# ---- conflicts, devices, bundles in scope ------------------------------------------------

def conflicts(conn: Connection, scope: Scope, status: str | None = "open"
              ) -> list[county_conflicts.ConflictView]:
    return [view for view in county_conflicts.conflicts(conn, status)
            if scope.allows_village(view.village)]


@dataclass(frozen=True)
class DeviceLine:
    device: Device
    last_bundle: datetime | None
    unacknowledged: int  # village entries the laptop has not been sent yet


def devices(conn: Connection, scope: Scope) -> list[DeviceLine]:
    from fieldvisit.store.models import JournalEntry

    listed = [d for d in county_devices.devices(conn) if scope.allows_village(d.village)]
    bundle = table_of(ReceivedBundle)
    last = dict(conn.execute(select(bundle.c.device, func.max(bundle.c.received_at))
                             .where(bundle.c.verdict == "accepted")
                             .group_by(bundle.c.device)).all())
    lines = []
    for device in listed:
        pending = conn.execute(select(func.count()).select_from(JournalEntry).where(
            JournalEntry.scope == device.village,
            JournalEntry.seq > device.return_seq)).scalar_one()
        lines.append(DeviceLine(device, last.get(device.id), int(pending)))
    return lines


def bundles(conn: Connection, scope: Scope, limit: int = 200) -> list[Any]:
    table = table_of(ReceivedBundle)
    query = select(table).order_by(table.c.id.desc()).limit(limit)
    if not scope.is_county:
        allowed = [d.id for d in county_devices.devices(conn)
                   if scope.allows_village(d.village)]
        query = query.where(table.c.device.in_(allowed))
    return list(conn.execute(query).mappings())
