"""A household's history: its journal read back as sentences a cadre understands.

The journal already holds every change of the household, its members, measures, visits
and problems, field by field with who and when (the front door writes nothing without
it), so the timeline is a reading of it, not a second record that could disagree. The
journal has no index but ``seq`` (imports must stay fast), so the household's row ids
are found first from the indexed tables and the journal is read once for all of them
(``changes.by_ids``): a few queries however long the history.

What a cadre did is said once: a completed visit is one line (its snapshot, cadre and
confirmation fields are part of it), a problem's opening and status changes are told by
its steps (not again by the problem row), answers and derived search keys not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, select

from fieldvisit.roster.labels import field_label
from fieldvisit.store.changes import by_ids
from fieldvisit.store.clock import Timestamp
from fieldvisit.store.models import (
    DERIVED_FIELDS,
    SYSTEM_FIELDS,
    Household,
    JournalEntry,
    Measure,
    Member,
    Problem,
    ProblemStep,
    Village,
    VillageGroup,
    Visit,
)

_COMPLETED = "completed"
_PLACES = ("village_id", "group_id")
# Visit fields written with its completion (or while drafting): the completion line says it.
_VISIT_QUIET = frozenset({"completed_on", "cadre", "confirmation", "confirmed_by", "snapshot",
                          "form_versions", "started_on"})


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of the timeline: ``when`` is the change's clock in local time, ``synced``
    that it came from the county or another laptop rather than being made here."""

    seq: int
    when: datetime
    who: str
    what: str
    synced: bool


@dataclass(slots=True)
class _Rows:
    """The household's rows by entity, with what a sentence names them by."""

    household_id: str
    members: dict[str, str]  # id → name as stored now (a sentence uses the name of its time)
    measures: dict[str, str]  # id → kind
    visits: set[str]
    problems: dict[str, str]  # id → category
    found_by_visit: dict[str, int]  # visit id → problems it opened
    steps: set[str]
    places: dict[str, str]  # village / 村民小组 id → name
    merged_into: dict[str, str] = field(default_factory=dict)  # clock of a 合户 → 户编号

    def ids(self) -> list[str]:
        return sorted({self.household_id, *self.members, *self.measures, *self.visits,
                       *self.problems, *self.steps})

    def holds(self, entity: str, entity_id: str) -> bool:
        owned: dict[str, Iterable[str]] = {
            "household": (self.household_id,), "member": self.members,
            "measure": self.measures, "visit": self.visits, "problem": self.problems,
            "problem_step": self.steps}
        return entity_id in owned.get(entity, ())


def household_history(conn: Connection, household_id: str) -> list[HistoryEntry]:
    """Every journaled change of the household and what belongs to it, newest first."""
    rows = _rows(conn, household_id)
    j = JournalEntry
    query = select(j.seq, j.clock, j.actor, j.entity, j.entity_id, j.field, j.old, j.new,
                   j.origin)
    found = sorted((row for result in by_ids(conn, query, j.entity_id, rows.ids())
                    for row in result if rows.holds(row.entity, row.entity_id)),
                   key=lambda row: row.seq)
    rows.places = _place_names(conn, found)
    rows.merged_into = _merged_into(conn, household_id, found)
    entries = []
    for row in found:  # oldest first, so a member renamed later is named as it was then
        what = _sentence(rows, row.entity, row.entity_id, row.field, _value(row.old),
                         _value(row.new), row.clock)
        if what is not None:
            stamp = Timestamp.parse(row.clock)
            entries.append((stamp.millis, stamp.counter, HistoryEntry(
                row.seq, datetime.fromtimestamp(stamp.millis / 1000, UTC).astimezone(),
                row.actor, what, row.origin is not None)))
    entries.sort(key=lambda item: (item[0], item[1], item[2].seq), reverse=True)
    return [entry for _millis, _counter, entry in entries]


def _rows(conn: Connection, household_id: str) -> _Rows:
    members = {id_: name for id_, name in conn.execute(
        select(Member.id, Member.name).where(Member.household_id == household_id))}
    # and those who moved away (分户, 合户): their move is this household's history too
    moved_away = conn.execute(select(JournalEntry.entity_id).where(
        JournalEntry.entity == "member", JournalEntry.field == "household_id",
        JournalEntry.old == orjson.dumps(household_id).decode())).scalars().all()
    for result in by_ids(conn, select(Member.id, Member.name), Member.id, sorted(moved_away)):
        members.update((id_, name) for id_, name in result)
    measures = {id_: kind for id_, kind in conn.execute(
        select(Measure.id, Measure.kind).where(Measure.household_id == household_id))}
    visits = set(conn.execute(select(Visit.id)
                              .where(Visit.household_id == household_id)).scalars())
    problems: dict[str, str] = {}
    found_by_visit: dict[str, int] = {}
    for problem_id, category, visit_id in conn.execute(
            select(Problem.id, Problem.category, Problem.visit_id)
            .where(Problem.household_id == household_id)):
        problems[problem_id] = category
        if visit_id is not None:
            found_by_visit[visit_id] = found_by_visit.get(visit_id, 0) + 1
    steps = {step for result in by_ids(conn, select(ProblemStep.id), ProblemStep.problem_id,
                                       sorted(problems)) for step in result.scalars()}
    return _Rows(household_id, members, measures, visits, problems, found_by_visit, steps, {})


def _place_names(conn: Connection, found: Iterable[Any]) -> dict[str, str]:
    """Names of the villages and 村民小组 a household moved between (ids in the journal)."""
    ids = sorted({value for row in found if row.entity == "household" and row.field in _PLACES
                  for value in (_value(row.old), _value(row.new)) if isinstance(value, str)})
    names: dict[str, str] = {}
    for model in (Village, VillageGroup):
        for result in by_ids(conn, select(model.id, model.name), model.id, ids):
            names.update((id_, name) for id_, name in result)
    return names


def _merged_into(conn: Connection, household_id: str, found: Iterable[Any]) -> dict[str, str]:
    """The 合户 that ended this household (``roster.membership.merge_edits``): its members
    moved out with 加入原因 合户 in the same write; by that write's clock, the 户编号 of
    the household they joined."""
    found = list(found)
    merged = {row.clock for row in found if row.entity == "member"
              and row.field == "joined_reason" and _value(row.new) == "合户"}
    into = {row.clock: _value(row.new) for row in found
            if row.clock in merged and row.entity == "member" and row.field == "household_id"
            and _value(row.old) == household_id}
    codes = {id_: code for id_, code in conn.execute(select(Household.id, Household.code)
                                                     .where(Household.id.in_(set(into.values()))))}
    return {clock: codes.get(target, "") for clock, target in into.items()}


def _sentence(rows: _Rows, entity: str, entity_id: str, field: str | None, old: Any,
              new: Any, clock: str = "") -> str | None:
    """The plain sentence for one journal entry, or None for one the timeline leaves out."""
    if field is not None and (field in SYSTEM_FIELDS or field in DERIVED_FIELDS.get(entity, ())):
        return None
    if entity == "household":
        return _household(rows, field, old, new, clock)
    if entity == "member":
        return _member(rows, entity_id, field, old, new)
    if entity == "measure":
        return _measure(rows, entity_id, field, old, new)
    if entity == "visit":
        return _visit(rows, entity_id, field, new)
    if entity == "problem":
        return _problem(rows, entity_id, field, old, new)
    return _step(rows, field, new)


def _household(rows: _Rows, field: str | None, old: Any, new: Any, clock: str) -> str:
    if field is None:
        return f"建立农户档案（户编号 {new.get('code', '')}）"
    if field == "deleted" and new and clock in rows.merged_into:
        return f"合户：本户并入户 {rows.merged_into[clock]}，不再单独列户"
    if field == "deleted":
        return "删除农户档案" if new else "恢复农户档案"
    if field in _PLACES:
        old, new = rows.places.get(old, old), rows.places.get(new, new)
    return _changed(field_label("household", field), old, new)


def _member(rows: _Rows, member_id: str, field: str | None, old: Any, new: Any) -> str:
    if field is None:
        rows.members[member_id] = name = new.get("name") or rows.members.get(member_id, "")
        return f"新增成员 {name}"
    name = rows.members.get(member_id, "")
    if field == "deleted":
        return f"删除成员 {name}" if new else f"恢复成员 {name}"
    if field == "name" and isinstance(new, str):
        rows.members[member_id] = new
    lifecycle = _lifecycle(rows, name, field, new)
    if lifecycle is not None:
        return lifecycle
    return f"成员 {name} 的 {_changed(field_label('member', field), old, new)}"


def _lifecycle(rows: _Rows, name: str, field: str, new: Any) -> str | None:
    """自然增减 (roster.membership) in plain words: who joined or left, when and why."""
    if field == "household_id":
        return f"成员 {name} 迁入本户" if new == rows.household_id else f"成员 {name} 迁出本户"
    if new is None and field in ("left_on", "left_reason", "left_note"):
        return f"成员 {name} 恢复为现有成员" if field == "left_on" else None
    return {
        "joined_on": f"成员 {name} 加入本户的日期：{new}",
        "joined_reason": f"成员 {name} 加入原因：{new}",
        "left_on": f"成员 {name} 减少（{new}），不再计入家庭人口",
        "left_reason": f"成员 {name} 减少原因：{new}",
        "left_note": f"成员 {name} 减少说明：{new}",
    }.get(field)


def _measure(rows: _Rows, measure_id: str, field: str | None, old: Any, new: Any) -> str:
    if field is None:
        rows.measures[measure_id] = kind = new.get("kind") or rows.measures.get(measure_id, "")
        detail = new.get("detail")
        return f"新增帮扶措施 {kind}" + (f"：{detail}" if detail else "")
    kind = rows.measures.get(measure_id, "")
    if field == "deleted":
        return f"删除帮扶措施 {kind}" if new else f"恢复帮扶措施 {kind}"
    if field == "ended_on" and old is None and new is not None:
        return f"结束帮扶措施 {kind}（{new}）"
    if field == "kind" and isinstance(new, str):
        rows.measures[measure_id] = new
    return f"帮扶措施 {kind} 的 {_changed(field_label('measure', field), old, new)}"


def _visit(rows: _Rows, visit_id: str, field: str | None, new: Any) -> str | None:
    if field is None:
        reason = new.get("correction_reason")
        return f"开始更正走访（{reason}）" if new.get("corrects") else "开始走访"
    if field == "status" and new == _COMPLETED:
        found = rows.found_by_visit.get(visit_id, 0)
        return f"完成走访（发现 {found} 个问题）" if found else "完成走访（未发现问题）"
    if field == "deleted" and new:
        return "删除走访草稿"
    return None  # answers' bookkeeping and the completion's own fields


def _problem(rows: _Rows, problem_id: str, field: str | None, old: Any, new: Any
             ) -> str | None:
    if field is None or field == "status":
        return None  # its steps tell its opening and every status change
    category = rows.problems.get(problem_id, "")
    return f"问题 {category} 的 {_changed(field_label('problem', field), old, new)}"


def _step(rows: _Rows, field: str | None, new: Any) -> str | None:
    if field is not None:
        return None  # a step is written once; nothing edits it
    category = rows.problems.get(new.get("problem_id"), "")
    note = new.get("note")
    if new.get("from_status") is None:
        return f"发现问题 {category}（{new.get('to_status')}）"
    return (f"问题 {category} {new.get('from_status')} → {new.get('to_status')}"
            + (f"：{note}" if note else ""))


def _changed(label: str, old: Any, new: Any) -> str:
    return f"{label}：{shown(old)} → {shown(new)}"


def shown(value: Any) -> str:
    """A stored value as a person reads it: 是/否, lists joined with 、, 空 for nothing."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(shown(item) for item in value) or "空"
    return "空" if value in (None, "") else str(value)


def _value(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)
