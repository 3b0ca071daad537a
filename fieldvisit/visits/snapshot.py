"""What a completed visit saw, kept with it: a 走访记录 is evidence.

The household confirmed what the cadre found on that day, so its record must read the
same next year: the checklists as they were worded (questions, choices, sections, units),
the household and members as the rules judged them (names, relations, IDs as stored,
ages on the day), every answer and computed value, the findings, the monitoring
suggestion, the thresholds and who visited. ``take`` gathers it all when the visit is
completed and ``visit.complete`` stores it, as JSON, in the visit's ``snapshot`` column
in the same write (so sync carries it like any field); prints and exports read it back
with ``read`` and never consult today's forms or roster.

A visit completed before snapshots existed has none: ``take`` with ``rebuilt=True``
evaluates it with the current forms and household instead, and the result says so, so
that every record made from it can tell the reader (migration 0006 says why nothing is
backfilled).

The JSON holds plain JSON types only; a date anywhere in it is {"$date": "YYYY-MM-DD"},
the same convention as stored answers (``visit.encode``), so a date answer and a text
answer that looks like a date stay apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from fieldvisit.checklist.findings import (
    Finding,
    Instance,
    Suggestion,
    evaluate_visit,
    household_context,
)
from fieldvisit.checklist.forms import Form, FormSet
from fieldvisit.checklist.settings import Settings
from fieldvisit.errors import FieldVisitError
from fieldvisit.roster import queries
from fieldvisit.roster.vocab import HEAD, status_label
from fieldvisit.store.models import Village

SCHEMA = 1  # raised when the shape changes; ``read`` refuses shapes it does not know
KEPT = "走访完成时留存"  # what a record is made from, as records and exports say it
REBUILT = "按当前数据重建"
# The household fields kept besides the context the rules read: what the record prints
# and what a reader needs to judge the findings (not the helper's phone: never printed).
HOUSEHOLD_FIELDS = ("id", "code", "address", "hh_type", "monitored", "monitor_category",
                    "risk_types", "risk_other", "risk_eliminated",
                    "identified_on", "risk_eliminated_on", "helper_name", "helper_unit")


class SnapshotError(FieldVisitError):
    reason = "snapshot"


@dataclass(frozen=True)
class QuestionSeen:
    id: str
    label: str
    type: str
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)


@dataclass(frozen=True)
class Filling:
    """One filling of a form (the household's, or one member's): the questions that
    applied, in form order, with the answer or computed value (None: unanswered)."""

    member_id: str | None
    values: dict[str, object]


@dataclass(frozen=True)
class FormSeen:
    id: str
    title: str
    version: int | None
    per_member: bool
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (title, question ids)
    questions: tuple[QuestionSeen, ...]
    fillings: tuple[Filling, ...]
    retired: bool = False  # answered in a form no longer in force: its answers as given


@dataclass(frozen=True)
class MemberSeen:
    id: str
    name: str
    relation: str | None
    sex: str | None
    id_number: str | None
    birth_date: date | None
    age: int | None  # on the visit's day
    schooling: str | None
    health: str | None
    labour_skill: str | None
    resident_insurance: bool | None
    employee_insurance: bool | None
    serious_illness_insurance: bool | None


@dataclass(frozen=True)
class Snapshot:
    taken_at: str  # completion's wall-clock time, ISO 8601 with offset; '' when rebuilt
    day: date  # the day the checklists were evaluated on: ages count to it
    cadre: str
    actor: str  # who was signed in on the laptop that completed it; '' when rebuilt
    household: dict[str, object]  # HOUSEHOLD_FIELDS, plus village and full_address
    members: tuple[MemberSeen, ...]  # head first, then by birth date
    context: dict[str, object]  # what the rules read: household_size, labour_count …
    settings: dict[str, object]  # the thresholds in force
    forms: tuple[FormSeen, ...]  # the checklists the visit answered, in set order
    findings: tuple[Finding, ...]
    suggestion: Suggestion | None
    rebuilt: bool = False  # True: not kept at completion but rebuilt from current data

    @property
    def basis(self) -> str:
        return REBUILT if self.rebuilt else KEPT

    @property
    def head(self) -> MemberSeen | None:
        return next((m for m in self.members if m.relation == HEAD),
                    self.members[0] if self.members else None)

    def status(self, *, short: bool = False) -> str:
        """The household's status as the visit saw it (``vocab.status_label``); a visit
        kept before migration 0008 holds the one word hh_type was then."""
        kept = self.household
        category = kept.get("monitor_category")
        return status_label(str(kept.get("hh_type") or ""), bool(kept.get("monitored")),
                            str(category) if category else None, short=short)


def take(conn: Connection, household_id: str, answers_by_form: Mapping[str, Mapping[str, Any]],
         form_versions: Mapping[str, int], formset: FormSet, settings: Settings, day: date,
         *, cadre: str, actor: str = "", taken_at: datetime | None = None,
         rebuilt: bool = False) -> Snapshot:
    """Evaluate the visit's answers against ``formset`` and the household as it is in
    the store now, and keep everything the record shows about it."""
    row, people = queries.household_as_judged(conn, household_id)
    context = household_context(row, people, day)
    result = evaluate_visit(formset, answers_by_form, context, settings, day)
    judged = context["members"]  # each member as the rules saw them, age on the day
    ages = {m["id"]: m["age"] for m in judged} if isinstance(judged, list) else {}
    members = sorted(people, key=lambda m: (m["relation"] != HEAD, m["birth_date"] or date.max))
    forms = [_form(formset[form_id], result.forms[form_id].instances)
             for form_id in formset.order if form_id in answers_by_form]
    forms += [_retired(form_id, answers, form_versions.get(form_id))
              for form_id, answers in answers_by_form.items() if form_id not in formset.forms]
    village = conn.execute(select(Village.name).where(Village.id == row["village_id"])).scalar()
    return Snapshot(
        taken_at.isoformat(timespec="seconds") if taken_at else "", day, cadre, actor,
        {**{name: row[name] for name in HOUSEHOLD_FIELDS}, "village": village or "",
         "full_address": queries.full_address(conn, household_id)},
        tuple(MemberSeen(
            m["id"], m["name"], m["relation"], m["sex"], m["id_number"], m["birth_date"],
            ages.get(m["id"]), m["schooling"], m["health"], m["labour_skill"],
            m["resident_insurance"], m["employee_insurance"], m["serious_illness_insurance"])
            for m in members),
        {key: value for key, value in context.items() if key != "members"},
        dict(settings), tuple(forms), result.findings, result.suggestion, rebuilt)


def _form(form: Form, instances: tuple[Instance, ...]) -> FormSeen:
    """The form as worded where the visit used it: its own version (whose labels and rules
    were used), the questions that applied and the labels of the choices picked. The
    rest of the form is in the form files of that version, and keeping it in every visit
    would add a third to each (about 12 KB a visit of a four-person household as is)."""
    fillings = tuple(Filling(i.member_id, {q.id: i.values.get(q.id) for q in form.questions
                                           if q.id in i.relevant}) for i in instances)
    picked: dict[str, set[object]] = {}
    for filling in fillings:
        for question_id, value in filling.values.items():
            picked.setdefault(question_id, set()).update(
                value if isinstance(value, list) else [value])
    return FormSeen(
        form.id, form.title, form.version, form.per_member,
        tuple((s.title, tuple(q for q in s.questions if q in picked))
              for s in form.sections if picked.keys() & set(s.questions)),
        tuple(QuestionSeen(q.id, q.label, q.type, q.unit,
                           tuple((c.value, c.label) for c in q.choices
                                 if c.value in picked[q.id]))
              for q in form.questions if q.id in picked),
        fillings)


def _retired(form_id: str, answers: Mapping[str, Any], version: int | None) -> FormSeen:
    """A form gone from the set: nothing is known of it but its answers (per member when
    they are nested under member ids), kept under their question ids."""
    per_member = any(isinstance(value, dict) for value in answers.values())
    fillings = (tuple(Filling(member, dict(own)) for member, own in answers.items())
                if per_member else (Filling(None, dict(answers)),))
    ids = dict.fromkeys(q for filling in fillings for q in filling.values)
    return FormSeen(form_id, form_id, version, per_member, (),
                    tuple(QuestionSeen(q, q, "text") for q in ids), fillings, retired=True)


# JSON ------------------------------------------------------------------------------------

def to_json(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as the visit's ``snapshot`` column holds it."""
    return {"schema": SCHEMA, **plain(snapshot)}


def read(data: Mapping[str, Any]) -> Snapshot:
    """A stored snapshot back; SnapshotError for a shape this program does not know
    (saved by a newer version on another laptop)."""
    if data.get("schema") != SCHEMA:
        raise SnapshotError("此走访记录由较新版本的程序保存，请升级本程序后再打印或导出",
                            "this visit was recorded by a newer version of the program; "
                            "upgrade to print or export it")
    data = revived(data)
    suggestion = data["suggestion"]
    return Snapshot(
        data["taken_at"], data["day"], data["cadre"], data["actor"], data["household"],
        tuple(MemberSeen(**m) for m in data["members"]), data["context"], data["settings"],
        tuple(FormSeen(
            f["id"], f["title"], f["version"], f["per_member"],
            tuple((title, tuple(ids)) for title, ids in f["sections"]),
            tuple(QuestionSeen(q["id"], q["label"], q["type"], q["unit"],
                               tuple((value, label) for value, label in q["choices"]))
                  for q in f["questions"]),
            tuple(Filling(i["member_id"], i["values"]) for i in f["fillings"]), f["retired"])
            for f in data["forms"]),
        tuple(Finding(**finding) for finding in data["findings"]),
        Suggestion(**suggestion) if suggestion is not None else None, data["rebuilt"])


def plain(value: object) -> Any:
    """``value`` in JSON types: dataclasses as objects, tuples as arrays, dates tagged."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def revived(value: Any) -> Any:
    """The inverse of ``plain`` for dates (tuples come back as lists)."""
    if isinstance(value, dict):
        if value.keys() == {"$date"}:
            return date.fromisoformat(value["$date"])
        return {key: revived(item) for key, item in value.items()}
    if isinstance(value, list):
        return [revived(item) for item in value]
    return value
