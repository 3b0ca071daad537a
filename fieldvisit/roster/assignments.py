"""帮扶责任人: the village's helper registry, and who helps which household since when.

The 扶贫手册 keeps every helper a household has had: a change of helper ends the current
assignment on the day the new one starts and adds a row, the old one stays, so the
handbook lists them all (``handbook_rows``). ``household.helper_name/unit/phone`` stay
the current helper, because cards, exports and roster imports read and write them; every
change here writes them in the same transaction as the assignment (one ``tx.write``, so
one journal stamp and one sync change set), and editing a helper's phone updates every
household the helper has now.

Households imported before the registry existed have ``helper_*`` and no assignment.
The first change of helper keeps that one too: it becomes a registry entry with an
assignment from the day the roster recorded it (its journal entry) to the change.

A roster import that brings another 帮扶责任人 for a household records it here with
``follow_import``, called by the importer inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy import Connection, func, select

from fieldvisit.errors import FieldVisitError
from fieldvisit.roster import checks
from fieldvisit.store import Changes, Edit, Insert, Store, Transaction, Update
from fieldvisit.store.changes import by_ids
from fieldvisit.store.clock import Timestamp
from fieldvisit.store.models import Helper as HelperRow
from fieldvisit.store.models import HelperAssignment as AssignmentRow
from fieldvisit.store.models import Household, JournalEntry, Village

EDITABLE = ("name", "unit", "post", "phone")
LIMITS = {"name": 32, "unit": 100, "post": 32, "phone": 20}
# household.helper_* as each registry field is copied there (a household has no post)
ON_HOUSEHOLD = {"name": "helper_name", "unit": "helper_unit", "phone": "helper_phone"}

# 扶贫手册's 帮扶责任人 table: (name, unit, post, phone, started_on, ended_on)
HandbookRow = tuple[str, str | None, str | None, str | None, date, date | None]


class HelperError(FieldVisitError):
    """A helper or assignment that cannot be saved, and why."""

    reason = "helper"


@dataclass(frozen=True, slots=True)
class Helper:
    id: str
    village_id: str
    name: str
    unit: str | None
    post: str | None
    phone: str | None

    def fields(self) -> dict[str, str | None]:
        return {"name": self.name, "unit": self.unit, "post": self.post, "phone": self.phone}


@dataclass(frozen=True, slots=True)
class Assignment:
    id: str
    household_id: str
    helper: Helper
    started_on: date
    ended_on: date | None

    @property
    def current(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True, slots=True)
class Listed:
    """A helper as ``fieldvisit helpers list`` shows them: with the village's name and
    how many households they help now."""

    helper: Helper
    village: str
    households: int


@dataclass(frozen=True, slots=True)
class ImportedHelper:
    """What a roster file says of one household's 帮扶责任人, for ``follow_import``.

    ``was`` is the household's helper (name, unit, phone) as stored before the import
    (the plan's old values; None for a new household): a household that has no
    assignment yet keeps that helper in its history when the file brings another.
    ``new_in`` is the village of a household the import itself has just inserted, with
    these helper fields: it has no assignment and no journal but that insert, so it is
    not read back (a first import names 100,000 of them); its helper's assignment starts
    the day of the import (read back, the day of the insert's stamp, which differs only
    for a transaction that runs past midnight)."""

    household_id: str
    name: str | None
    unit: str | None = None
    phone: str | None = None
    was: tuple[str | None, str | None, str | None] | None = None
    new_in: str | None = None

    def inserted(self) -> dict[str, Any]:
        """The household row this import inserted, as ``_households`` would read it."""
        return {"id": self.household_id, "village_id": self.new_in,
                "helper_name": self.name or None, "helper_unit": self.unit or None,
                "helper_phone": self.phone or None}


_HELPER_COLUMNS = (HelperRow.id, HelperRow.village_id, HelperRow.name, HelperRow.unit,
                   HelperRow.post, HelperRow.phone)


# Validation ---------------------------------------------------------------------------


def _cleaned(fields: Mapping[str, str | None]) -> dict[str, str | None]:
    """Text stripped, blank as None, and every problem refused at once."""
    unknown = fields.keys() - set(EDITABLE)
    if unknown:
        raise KeyError(f"a helper has no field {sorted(unknown)[0]!r}")
    out = {name: (value or "").strip() or None for name, value in fields.items()}
    zh: list[str] = []
    en: list[str] = []
    if "name" in out and not out["name"]:
        zh.append("请填写帮扶责任人姓名")
        en.append("the helper's name is required")
    for name, value in out.items():
        if value is not None and len(value) > LIMITS[name]:
            zh.append(f"{_LABELS[name]}不能超过 {LIMITS[name]} 个字")
            en.append(f"the {name} is longer than {LIMITS[name]} characters")
    if out.get("phone"):
        problem = checks.phone_problem(out["phone"], field="phone")
        if problem is not None:
            zh.append(problem.message)
            en.append(problem.message_en)
        else:
            out["phone"] = checks.normalise_phone(out["phone"])
    if zh:
        raise HelperError("；".join(zh), "; ".join(en))
    return out


_WRITE_BATCH = 5000  # edits an import's helpers are written in, one transaction still
_LABELS = {"name": "姓名", "unit": "单位", "post": "职务", "phone": "电话"}


# Registry -----------------------------------------------------------------------------


def add_helper(store: Store, village_id: str, name: str, *, unit: str | None = None,
               post: str | None = None, phone: str | None = None) -> str:
    """Register a helper in a village; returns the helper's id."""
    fields = _cleaned({"name": name, "unit": unit, "post": post, "phone": phone})
    with store.reading() as conn:
        _require_village(conn, village_id)
    edit = Insert("helper", {"village_id": village_id, **fields})
    store.write([edit])
    return edit.id


def edit_helper(store: Store, helper_id: str, changes: Mapping[str, str | None]) -> bool:
    """Change a helper's name, unit, post or phone (a new phone number, a new post).
    The households the helper has now show the change at once (their ``helper_*``,
    in the same transaction). True when anything changed."""
    fields = _cleaned(changes)
    with store.transaction() as tx:
        helper = _helper(tx.conn, helper_id)
        merged = {**helper.fields(), **fields}
        edits: list[Edit] = [Update("helper", helper_id, fields)]
        households = [a.household_id for a in _current_of(tx.conn, helper_id=helper_id)]
        edits += [Update("household", hid, _household_fields(merged)) for hid in households]
        return bool(tx.write(edits))


def helper(conn: Connection, helper_id: str) -> Helper:
    return _helper(conn, helper_id)


def village_helpers(conn: Connection, village_id: str) -> list[Helper]:
    """The village's registry, by name."""
    return [Helper(*row) for row in conn.execute(select(*_HELPER_COLUMNS).where(
        HelperRow.village_id == village_id, HelperRow.deleted.is_(False))
        .order_by(HelperRow.name, HelperRow.id))]


def listing(conn: Connection, village_id: str | None = None) -> list[Listed]:
    """Every registered helper (of one village), by village and name, with the number
    of households each helps now."""
    helping = dict(conn.execute(
        select(AssignmentRow.helper_id, func.count(func.distinct(AssignmentRow.household_id)))
        .join(Household, Household.id == AssignmentRow.household_id)
        .where(AssignmentRow.deleted.is_(False), AssignmentRow.ended_on.is_(None),
               Household.deleted.is_(False))
        .group_by(AssignmentRow.helper_id)).tuples().all())
    query = (select(*_HELPER_COLUMNS, Village.name)
             .join(Village, Village.id == HelperRow.village_id)
             .where(HelperRow.deleted.is_(False))
             .order_by(Village.name, HelperRow.name, HelperRow.id))
    if village_id is not None:
        query = query.where(HelperRow.village_id == village_id)
    return [Listed(Helper(*row[:6]), row[6], int(helping.get(row[0], 0)))
            for row in conn.execute(query)]


# Assignments --------------------------------------------------------------------------


def assign(store: Store, household_id: str, helper_id: str, started_on: date,
           today: date | None = None) -> str | None:
    """Make ``helper_id`` the household's helper from ``started_on``: the current
    assignment ends that day and stays in the history. Returns the new assignment's id,
    or None when the helper already is the household's (nothing written)."""
    with store.transaction() as tx:
        chosen = _helper(tx.conn, helper_id)
        edits, made = _assignment_edits(tx.conn, household_id, chosen, started_on,
                                        today or date.today())
        tx.write(edits)
        return made


def assign_named(store: Store, household_id: str, name: str, started_on: date, *,
                 unit: str | None = None, post: str | None = None,
                 phone: str | None = None, today: date | None = None) -> str | None:
    """Make the helper called ``name`` the household's from ``started_on``: a helper of
    its village with that name and no contradicting unit, post or phone, else a new
    registry entry (blanks the registry has are filled in from what is given). Returns
    the new assignment's id, None when that helper already is the household's."""
    with store.transaction() as tx:
        edits, made = named_edits(tx.conn, household_id, name, started_on, unit=unit,
                                  post=post, phone=phone, today=today)
        tx.write(edits)
        return made


def named_edits(conn: Connection, household_id: str, name: str, started_on: date, *,
                unit: str | None = None, post: str | None = None, phone: str | None = None,
                today: date | None = None) -> tuple[list[Edit], str | None]:
    """``assign_named``'s edits, for a caller writing them with its own (the household
    editor): the registry entry found or added, and the assignment."""
    fields = _cleaned({"name": name, "unit": unit, "post": post, "phone": phone})
    village_id = _household(conn, household_id)["village_id"]
    found = _matching(village_helpers(conn, village_id), fields)
    edits: list[Edit] = []
    if found is None:
        insert = Insert("helper", {"village_id": village_id, **fields})
        edits.append(insert)
        chosen = Helper(insert.id, village_id, str(fields["name"]), fields["unit"],
                        fields["post"], fields["phone"])
    else:
        filled = {k: v for k, v in fields.items() if v and not getattr(found, k)}
        if filled:
            edits.append(Update("helper", found.id, filled))
        chosen = Helper(**{**_as_dict(found), **filled})
    more, made = _assignment_edits(conn, household_id, chosen, started_on,
                                   today or date.today())
    return edits + more, made


def _assignment_edits(conn: Connection, household_id: str, chosen: Helper, started_on: date,
                      today: date) -> tuple[list[Edit], str | None]:
    """The edits making ``chosen`` the household's helper, and the new assignment's id."""
    household = _household(conn, household_id)
    if chosen.village_id != household["village_id"]:
        raise HelperError("该帮扶责任人不是本村登记的，请先在本村登记",
                          "the helper is registered in another village")
    if started_on > today:
        raise HelperError(f"开始日期不能晚于今天（{today}）",
                          f"the start date cannot be after today ({today})")
    current = _current_of(conn, household_id=household_id)
    edits: list[Edit] = []
    if any(a.helper.id == chosen.id for a in current[:1]):
        return _follow(household, chosen, household_id), None
    latest = current[0] if current else None
    if latest is not None and started_on < latest.started_on:
        raise HelperError(
            f"开始日期 {started_on} 早于现任帮扶责任人{latest.helper.name}的开始日期 "
            f"{latest.started_on}", f"the start date {started_on} is before the current "
            f"helper's ({latest.started_on})")
    if not current and not _has_history(conn, household_id) and household["helper_name"]:
        legacy = _legacy_edits(conn, household, chosen, started_on)
        if legacy is None:  # the household's helper already: now in the registry
            since = min(recorded_since(conn, [household_id]).get(household_id, started_on),
                        started_on)
            insert = _assignment(household_id, chosen.id, since)
            return [insert, *_follow(household, chosen, household_id)], insert.id
        edits += legacy
    edits += [Update("helper_assignment", a.id, {"ended_on": started_on}) for a in current]
    insert = _assignment(household_id, chosen.id, started_on)
    edits += [insert, *_follow(household, chosen, household_id)]
    return edits, insert.id


def _legacy_edits(conn: Connection, household: Mapping[str, Any], chosen: Helper,
                  until: date) -> list[Edit] | None:
    """The helper a household had before the registry, kept as an ended assignment;
    None when it is ``chosen`` (then nothing is ended)."""
    old = {"name": household["helper_name"], "unit": household["helper_unit"],
           "phone": household["helper_phone"], "post": None}
    if _same(chosen, old):
        return None
    hid = household["id"]
    since = min(recorded_since(conn, [hid]).get(hid, until), until)
    found = _matching(village_helpers(conn, household["village_id"]), old)
    edits: list[Edit] = []
    if found is None:
        insert = Insert("helper", {"village_id": household["village_id"],
                                   **{k: v for k, v in old.items() if k != "post"}})
        edits.append(insert)
        helper_id = insert.id
    else:
        helper_id = found.id
    ended = _assignment(hid, helper_id, since)
    ended.fields["ended_on"] = until
    return [*edits, ended]


def _assignment(household_id: str, helper_id: str, since: date) -> Insert:
    return Insert("helper_assignment", {"household_id": household_id, "helper_id": helper_id,
                                        "started_on": since})


def _follow(household: Mapping[str, Any], chosen: Helper, household_id: str) -> list[Edit]:
    """household.helper_* made the chosen helper's (nothing when they already are)."""
    fields = _household_fields(chosen.fields())
    if all(household[k] == v for k, v in fields.items()):
        return []
    return [Update("household", household_id, fields)]


def _household_fields(fields: Mapping[str, str | None]) -> dict[str, str | None]:
    return {column: fields.get(name) for name, column in ON_HOUSEHOLD.items()}


def follow_import(tx: Transaction, imported: Iterable[ImportedHelper], on: date) -> Changes:
    """Record the 帮扶责任人 a roster import brings, inside the importer's transaction,
    after it has written the households (new ones must exist).

    A household whose file names another helper than its current one gets a new
    assignment from ``on`` (the current one ends that day and stays); the same name
    brings in the unit or phone the file has (the registry entry is updated). A row
    without a name (the importer passes only the fields it changed) is the household's
    helper as it now stands; a household without one changes nothing, as a blank cell
    never erases. Registry entries are found by name in the household's village (a
    contradicting unit or phone means another person) or added.

    A household with no assignment yet (imported before the registry) gets its history
    from the journal: each helper_name it has had, from the day it was written to the
    day the next one was, then the one the file brings. Everything is read in bulk, for
    100,000 households."""
    rows = list(imported)
    if not rows:
        return Changes()
    conn = tx.conn
    inserted = {row.household_id: row.inserted() for row in rows if row.new_in is not None}
    ids = [hid for hid in dict.fromkeys(row.household_id for row in rows)
           if hid not in inserted]
    households = {**_households(conn, ids), **inserted}
    current = _current_by_household(conn, ids)
    with_history = _with_history(conn, ids)
    fresh = [hid for hid in ids if hid not in with_history and hid not in current]
    recorded = _journal_helpers(conn, fresh) if fresh else {}
    registries: dict[str, list[Helper]] = {}
    showing: dict[str, dict[str, Any]] = {}  # household id -> its helper_* as edited here
    edits: list[Edit] = []
    skipped = 0  # household updates left out as changing nothing: the batches stay as ever

    def registered(village_id: str, fields: Mapping[str, str | None]) -> Helper:
        """The village's registry entry for these fields, added when there is none."""
        registry = registries[village_id]
        found = _matching(registry, fields)
        if found is None:
            insert = Insert("helper", {"village_id": village_id, **fields})
            found = Helper(insert.id, village_id, str(fields["name"]), fields.get("unit"),
                           None, fields.get("phone"))
            registry.append(found)
            edits.append(insert)
        return found

    changes = Changes()
    for row in rows:
        if len(edits) + skipped >= _WRITE_BATCH:  # 100,000 households' at once: 60 MB
            changes.extend(tx.write(edits))
            edits.clear()
            skipped = 0
        household = households.get(row.household_id)
        if household is None:
            continue
        village_id = household["village_id"]
        if village_id not in registries:  # once a village (setdefault would query each time)
            registries[village_id] = village_helpers(conn, village_id)
        given = _given(row, household)
        if given is None:
            continue
        now = current.get(row.household_id)
        if now is not None and now.helper.name == given["name"]:
            changed = {k: v for k, v in given.items() if v and getattr(now.helper, k) != v}
            if changed:
                edits.append(Update("helper", now.helper.id, changed))
            continue
        found = registered(village_id, given)
        since = on
        if now is not None:
            edits.append(Update("helper_assignment", now.id, {"ended_on": on}))
        elif row.household_id not in with_history:
            past = _past(row, recorded.get(row.household_id, []), on)
            if past and past[-1][0] == given["name"]:  # the file's helper, already recorded
                since = min(past.pop()[1], on)
            ends = [*(day for _name, day in past[1:]), since] if past else []
            for (name, start), end in zip(past, ends, strict=True):
                fields = {"name": name, "unit": None, "phone": None}
                if row.was and row.was[0] == name:
                    fields.update(unit=row.was[1], phone=row.was[2])
                ended = _assignment(row.household_id, registered(village_id, fields).id,
                                    min(start, end))
                ended.fields["ended_on"] = end
                edits.append(ended)
        edits.append(_assignment(row.household_id, found.id, since))
        # what the file left blank stays as the importer kept it (a blank never erases)
        shown = _household_fields({**given, **{k: v for k, v in found.fields().items() if v}})
        now_shows = showing.setdefault(row.household_id,
                                       {k: household[k] for k in ON_HOUSEHOLD.values()})
        differs = {k: v for k, v in shown.items() if v is not None and now_shows[k] != v}
        if differs:
            edits.append(Update("household", row.household_id, differs))
            now_shows.update(differs)
        else:  # the household already shows its helper, as most of an import's do
            skipped += 1
    changes.extend(tx.write(edits))
    return changes


def _given(row: ImportedHelper, household: Mapping[str, Any]) -> dict[str, str | None] | None:
    """The helper a row names; without a name, the household's as it now stands."""
    def text(value: object) -> str | None:
        return str(value).strip() or None if value is not None else None

    if text(row.name):
        return {"name": text(row.name), "unit": text(row.unit), "phone": text(row.phone)}
    if not text(household["helper_name"]):
        return None
    return {"name": text(household["helper_name"]),
            "unit": text(row.unit) or text(household["helper_unit"]),
            "phone": text(row.phone) or text(household["helper_phone"])}


def _past(row: ImportedHelper, recorded: list[tuple[str, date]], on: date
          ) -> list[tuple[str, date]]:
    """The helpers a household without assignments has had, oldest first, with the day
    each was recorded: the journal's, else the importer's ``was`` (from ``on``)."""
    if recorded:
        return list(recorded)
    return [(row.was[0], on)] if row.was and row.was[0] else []


def _journal_helpers(conn: Connection, household_ids: Sequence[str]
                     ) -> dict[str, list[tuple[str, date]]]:
    """Household id -> each helper_name the journal has given it, oldest first, with the
    day it was written (the household's insert, then each change; blanks left out).
    One pass over the journal's household entries for many households (the journal has
    no index by row: a first import after the registry came names them all)."""
    query = (select(JournalEntry.entity_id, JournalEntry.field, JournalEntry.new,
                    JournalEntry.clock)
             .where(JournalEntry.entity == "household",
                    JournalEntry.field.is_(None) | (JournalEntry.field == "helper_name"))
             .order_by(JournalEntry.seq))
    wanted = set(household_ids)
    results = ([conn.execute(query)] if len(wanted) > 500 else
               by_ids(conn, query, JournalEntry.entity_id, list(wanted)))
    found: dict[str, list[tuple[str, date]]] = {}
    for result in results:
        for entity_id, field, new, clock in result:
            if entity_id not in wanted or new is None:
                continue
            value = orjson.loads(new)
            name = value.get("helper_name") if field is None and isinstance(value, dict) \
                else value
            if not isinstance(name, str) or not name.strip():
                continue
            day = date.fromtimestamp(Timestamp.parse(clock).millis / 1000)
            names = found.setdefault(entity_id, [])
            if not names or names[-1][0] != name.strip():
                names.append((name.strip(), day))
    return found


# Reading ------------------------------------------------------------------------------


def history(conn: Connection, household_id: str) -> list[Assignment]:
    """Every helper the household has had, oldest first; the last is the current one
    when it has not ended."""
    query = (select(AssignmentRow.id, AssignmentRow.household_id, AssignmentRow.started_on,
                    AssignmentRow.ended_on, *_HELPER_COLUMNS)
             .join(HelperRow, HelperRow.id == AssignmentRow.helper_id)
             .where(AssignmentRow.household_id == household_id,
                    AssignmentRow.deleted.is_(False))
             .order_by(AssignmentRow.started_on, AssignmentRow.ended_on.is_(None),
                       AssignmentRow.ended_on, AssignmentRow.id))
    # more than ten columns: SQLAlchemy leaves them untyped, read as plain tuples
    rows: Iterable[tuple[Any, ...]] = conn.execute(query)
    return [Assignment(row[0], row[1], Helper(*row[4:]), row[2], row[3]) for row in rows]


def handbook_rows(conn: Connection, household_id: str) -> list[HandbookRow]:
    """The 扶贫手册's 帮扶责任人 table: (name, unit, post, phone, started_on, ended_on),
    oldest first, the current helper last with ended_on None."""
    return [(a.helper.name, a.helper.unit, a.helper.post, a.helper.phone, a.started_on,
             a.ended_on) for a in history(conn, household_id)]


def current(conn: Connection, household_id: str) -> Assignment | None:
    """The household's helper now (the latest of the open assignments), if any."""
    found = _current_of(conn, household_id=household_id)
    return found[0] if found else None


def recorded_since(conn: Connection, household_ids: Sequence[str]) -> dict[str, date]:
    """Household id -> the day the roster last recorded its ``helper_name`` (or the
    household itself), from the journal: the start of a helper known before the
    registry."""
    query = (select(JournalEntry.entity_id, func.max(JournalEntry.clock))
             .where(JournalEntry.entity == "household",
                    JournalEntry.field.is_(None) | (JournalEntry.field == "helper_name"))
             .group_by(JournalEntry.entity_id))
    found: dict[str, date] = {}
    for rows in by_ids(conn, query, JournalEntry.entity_id, list(household_ids)):
        for entity_id, clock in rows:
            found[entity_id] = date.fromtimestamp(Timestamp.parse(clock).millis / 1000)
    return found


# Helpers ------------------------------------------------------------------------------


def _same(chosen: Helper, old: Mapping[str, str | None]) -> bool:
    return _matching([chosen], old) is not None


def _matching(registry: Iterable[Helper], fields: Mapping[str, str | None]) -> Helper | None:
    """The registered helper with this name whose unit, post and phone do not
    contradict the given ones (a blank never contradicts); the one agreeing on the
    most fields when several do."""
    best: tuple[int, Helper] | None = None
    for candidate in registry:
        if candidate.name != fields.get("name"):
            continue
        agree = 0
        for key in ("unit", "post", "phone"):
            given, held = fields.get(key), getattr(candidate, key)
            if given and held:
                if given != held:
                    break
                agree += 1
        else:
            if best is None or agree > best[0]:
                best = (agree, candidate)
    return best[1] if best else None


def _as_dict(found: Helper) -> dict[str, Any]:
    return {"id": found.id, "village_id": found.village_id, **found.fields()}


def _require_village(conn: Connection, village_id: str) -> None:
    if conn.execute(select(Village.id).where(Village.id == village_id,
                                             Village.deleted.is_(False))).first() is None:
        raise HelperError(f"没有编号为 {village_id} 的行政村", f"no village {village_id}")


def _helper(conn: Connection, helper_id: str) -> Helper:
    row = conn.execute(select(*_HELPER_COLUMNS).where(
        HelperRow.id == helper_id, HelperRow.deleted.is_(False))).first()
    if row is None:
        raise HelperError(f"没有编号为 {helper_id} 的帮扶责任人", f"no helper {helper_id}")
    return Helper(*row)


_HOUSEHOLD_COLUMNS = (Household.id, Household.village_id, Household.helper_name,
                      Household.helper_unit, Household.helper_phone)


def _household(conn: Connection, household_id: str) -> dict[str, Any]:
    found = _households(conn, [household_id]).get(household_id)
    if found is None:
        raise HelperError(f"没有编号为 {household_id} 的农户", f"no household {household_id}")
    return found


def _households(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    query = select(*_HOUSEHOLD_COLUMNS).where(Household.deleted.is_(False))
    return {row.id: dict(row._mapping) for rows in by_ids(conn, query, Household.id, ids)
            for row in rows}


def _open_assignments() -> Any:
    return (select(AssignmentRow.id, AssignmentRow.household_id, AssignmentRow.started_on,
                   AssignmentRow.ended_on, *_HELPER_COLUMNS)
            .join(HelperRow, HelperRow.id == AssignmentRow.helper_id)
            .where(AssignmentRow.deleted.is_(False), AssignmentRow.ended_on.is_(None))
            .order_by(AssignmentRow.started_on.desc(), AssignmentRow.id.desc()))


def _current_of(conn: Connection, *, household_id: str | None = None,
                helper_id: str | None = None) -> list[Assignment]:
    """Open assignments, the latest first (two laptops may each have assigned one)."""
    query = _open_assignments()
    if household_id is not None:
        query = query.where(AssignmentRow.household_id == household_id)
    if helper_id is not None:
        query = query.where(AssignmentRow.helper_id == helper_id)
    return [Assignment(row[0], row[1], Helper(*row[4:]), row[2], row[3])
            for row in conn.execute(query)]


def _current_by_household(conn: Connection, ids: Sequence[str]) -> dict[str, Assignment]:
    found: dict[str, Assignment] = {}
    for rows in by_ids(conn, _open_assignments(), AssignmentRow.household_id, ids):
        for row in rows:
            assignment = Assignment(row[0], row[1], Helper(*row[4:]), row[2], row[3])
            held = found.get(assignment.household_id)
            if held is None or (assignment.started_on, assignment.id) > (held.started_on,
                                                                         held.id):
                found[assignment.household_id] = assignment
    return found


def _has_history(conn: Connection, household_id: str) -> bool:
    return bool(_with_history(conn, [household_id]))


def _with_history(conn: Connection, ids: Sequence[str]) -> set[str]:
    query = select(AssignmentRow.household_id).where(AssignmentRow.deleted.is_(False))
    return {hid for rows in by_ids(conn, query, AssignmentRow.household_id, ids)
            for (hid,) in rows}
