"""Import a county roster: plan first (read, check, match; nothing written), then apply.

The two steps are separate so the import dialog and ``roster import --dry-run`` can show
exactly what would change before anything does. Rules, and why:

- One row per person, grouped by 户编号. Never drop a household for a defect the cadre
  can fix: a household nobody imported is a household nobody visits. No 户主 or two, an
  invalid or Excel-mangled ID (kept as written when it fits the column, else left empty),
  an empty name or 人编号 are imported and reported as warnings naming the 户编号, the row,
  the person and what to do; ``quality.rules`` lists them on the household afterwards.
  Refused is only what cannot be stored:
  - a row with no usable 户编号 (blank, or lost by Excel): nothing to file it under,
    whether or not it has an ID;
  - a person whose ID is also another row's in the file, or a member of a household of
    the store the file does not list (which row is the person is unknown; taking both
    would register one person twice): that person only, the rest of the household lands;
  - a household with no village (no 行政村 column and no ``--village``), or all of whose
    rows are refused.
- Status words (户类型, 监测对象类别) are read through the county's vocabulary
  (``aliases``) into 户类型, 是否监测对象 and 监测对象类别, kept apart: a 脱贫户 that is also
  a 突发严重困难户 keeps both. A word the vocabulary does not know is stored as written
  and reported, never a reason to drop the household. A "风险类型/致贫原因" column is the
  risks of a monitored household and the 致贫原因 of any other.
- Sex contradicting a valid ID is a warning and the ID's sex is stored (the national
  system derives sex from the ID); other rule breaks (see ``checks``) are warnings.
- Re-importing updates: households match on 户编号, members on the ID number. A member
  whose ID sits in another household of the store moves only when that household is in
  the file too and no longer lists them; otherwise it is an error (a typo that hits a
  real person's ID must not pull them out of their family).
- Villages: ``--village`` (code or name, ``villages.find``; a new 12-digit code creates
  the village) only fills in rows that name no village; a file whose rows name another
  village is refused before anything is written, naming the villages it holds
  (it once moved 150 households of three villages into one). A village the file names
  without a code gets the 12-digit prefix its 户编号 share when that prefix fits the
  county and no other village holds it, and the report says so; otherwise it stays
  "no code yet" (NULL) until ``fieldvisit villages set-code`` or a file that gives its
  code (which then becomes that village's, rather than a twin village's).
- A matched household whose village changes is a move: listed (户编号, 户主, from → to),
  and written only when confirmed (``apply_import(confirm_moves=True)``), because a
  household silently misfiled is a household nobody visits.
- A blank cell never erases a value already in the store, and members missing from the
  file are reported, never deleted: county exports are often partial, while cadres record
  phones and details on visits.
- Everything is written in one transaction through ``Store.transaction``, so every change is
  journaled and a failure or a cancel leaves nothing half-imported.
- The plan holds the edits it computed; applying a plan after the store changed may fail
  (e.g. a 户编号 created meanwhile) and then rolls back whole.

For speed on 100,000-person files the store is read in a few bulk selects and each cell
value that repeats is parsed once (see ``layout``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, String, select

from fieldvisit import collector, idcard, names
from fieldvisit.roster import aliases, assignments, checks, villages
from fieldvisit.roster.aliases import Vocabulary
from fieldvisit.roster.checks import ERROR, WARNING, FieldProblem, Severity
from fieldvisit.roster.errors import ImportCancelled, RosterFileError
from fieldvisit.roster.labels import field_label
from fieldvisit.roster.layout import (
    COLUMNS_BY_FIELD,
    Layout,
    Record,
    Records,
    Risks,
    find_layout,
    parse_risk_types,
)
from fieldvisit.roster.reader import read_sheets
from fieldvisit.roster.villages import VILLAGE_CODE, VillageError
from fieldvisit.roster.vocab import CATEGORY_TYPE, HEAD, ORDINARY
from fieldvisit.store import Changes, Edit, Insert, Store, Update
from fieldvisit.store.fields import text_limits
from fieldvisit.store.models import (
    County,
    Household,
    Member,
    Township,
    Village,
    VillageGroup,
    table_of,
)

__all__ = [
    "ImportCancelled", "ImportPlan", "ImportResult", "Move", "Problem",
    "RosterFileError", "VillageCode", "apply_import", "plan_import",
]

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Status = Literal["create", "update", "unchanged", "rejected"]
Refused = Literal["person", "household"]

_ID_LENGTH = 18  # member.id_number's column
_TICK = 2000  # rows (or households) between progress reports and cancel checks
_APPLY_BATCH = 1000  # households per write while applying
_MEMBER_FIELDS = frozenset(f for f, c in COLUMNS_BY_FIELD.items() if c.level == "member")
_HOUSEHOLD_COLUMNS = frozenset(
    f for f, c in COLUMNS_BY_FIELD.items() if c.level == "household" and f != "code"
)
_HOUSEHOLD_FIELDS = _HOUSEHOLD_COLUMNS - {"risk_or_cause"}  # read into the others
_HOUSEHOLD_ROW = _HOUSEHOLD_FIELDS | {"village_id", "group_id"}  # what a household stores
_PLACE_FIELDS = ("county", "township", "village", "village_code", "group")
# The stored columns matching compares a file's rows with, and the ids it links them by:
# what a file can set, not whole rows. At 100,000 persons the whole rows held 244 MB;
# these, with the texts that repeat shared, 108 MB, and load in 0.97 s, not 1.22.
_KNOWN_MEMBER = [c for c in table_of(Member).columns if c.name in _MEMBER_FIELDS
                 | {"id", "household_id", "name", "id_number", "sex", "birth_date"}]
_KNOWN_HOUSEHOLD = [c for c in table_of(Household).columns
                    if c.name in _HOUSEHOLD_ROW | {"id", "code", "deleted"}]
# Of those, the texts that repeat from person to person (性别, 民族, 户主 …, and the
# household's id in each of its members): one object a value, not one a row
_REPEATED_MEMBER = ["household_id", *(
    c.name for c in _KNOWN_MEMBER if isinstance(c.type, String)
    and c.name in COLUMNS_BY_FIELD and COLUMNS_BY_FIELD[c.name].repeats)]
_MEMBER_LIMITS = text_limits(table_of(Member))
_HOUSEHOLD_LIMITS = text_limits(table_of(Household))


@dataclass(slots=True)
class Problem:
    """A problem with one cell, row or household, located as the user sees the file."""

    row: int | None  # 1-based sheet row, as Excel shows it
    column: str | None  # header text as written in the file
    field: str | None
    message: str
    message_en: str
    value: object
    severity: Severity
    household_code: str | None
    name: str | None = None  # the person of the row ("" for a row without a name)
    refused: Refused | None = None  # what an error keeps out of the store

    def line(self) -> str:
        """户编号, row, column and person (where known), then what is wrong."""
        where_zh = [f"户 {self.household_code or '?'}"]
        where_en = [f"household {self.household_code or '?'}"]
        if self.row:
            where_zh.append(f"第 {self.row} 行")
            where_en.append(f"row {self.row}")
        for part in (self.column, None if self.name is None else self.name or "（姓名空）"):
            if part:
                where_zh.append(part)
                where_en.append(part)
        zh, en = _SEVERITY_SHOWN[self.refused]
        value = _shown(self.value) if self.value not in (None, "") else ""
        tail_zh = f" · 值 {value}" if value else ""
        tail_en = f" · value {value}" if value else ""
        return (f"{' · '.join(where_zh)} · {zh}：{self.message}{tail_zh}"
                f"  |  {' · '.join(where_en)} · {en}: {self.message_en}{tail_en}")

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row, "column": self.column, "field": self.field,
            "message": self.message, "message_en": self.message_en,
            "value": _jsonable(self.value), "severity": self.severity,
            "household_code": self.household_code, "name": self.name,
            "refused": self.refused,
        }


_SEVERITY_SHOWN: dict[Refused | None, tuple[str, str]] = {
    None: ("提醒", "warning"),
    "person": ("错误（此人未导入）", "error (person not imported)"),
    "household": ("错误（整户未导入）", "error (household not imported)"),
}


@dataclass(slots=True)
class FieldChange:
    """One field a re-import changes: ``who`` is the member's name, or None for the
    household itself; ``old``/``new`` are shown values (names rather than row ids)."""

    who: str | None
    field: str
    old: object
    new: object

    @property
    def label(self) -> str:
        # "member": a person joining or leaving the household, not a field of either
        return "家庭成员" if self.field == "member" else field_label("member", self.field)

    def to_json(self) -> dict[str, Any]:
        return {"member": self.who, "field": self.field, "column": self.label,
                "old": _jsonable(self.old), "new": _jsonable(self.new)}


@dataclass(slots=True)
class Move:
    """A matched household the file puts in another village: written only when confirmed
    (``edit`` sets its village and 村民小组)."""

    code: str
    head: str
    old: str  # village names
    new: str
    edit: Update = field(repr=False)

    def line(self) -> str:
        return (f"户 {self.code}（{self.head}）换村：{self.old} → {self.new}  |  "
                f"household {self.code} ({self.head}) moves village: {self.old} → {self.new}")

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "head": self.head, "from": self.old, "to": self.new}


@dataclass(frozen=True, slots=True)
class VillageCode:
    """A village that had no code: the code its 户编号 gave it (or, with a reason, the
    file), or None (no code yet) and why."""

    name: str
    code: str | None
    reason: str = ""
    reason_en: str = ""

    def line(self) -> str:
        if self.code and self.reason:
            return (f"行政村 {self.name}：村代码定为 {self.code}（{self.reason}）  |  "
                    f"village {self.name}: code set to {self.code} ({self.reason_en})")
        if self.code:
            return (f"行政村 {self.name}：文件未给村代码，按户编号前 12 位定为 {self.code}  |  "
                    f"village {self.name}: no code in the file; {self.code} taken from its "
                    "household codes")
        return (f"行政村 {self.name}：暂无村代码（{self.reason}），可用 fieldvisit villages "
                f"set-code 补上  |  village {self.name}: no code yet ({self.reason_en}); "
                "set it with fieldvisit villages set-code")

    def to_json(self) -> dict[str, Any]:
        return {"village": self.name, "code": self.code, "reason": self.reason or None}


@dataclass(slots=True)
class HouseholdPlan:
    code: str
    rows: list[int]
    status: Status
    persons: int  # rows read for it
    refused_persons: int = 0  # of those, not imported (all of them when rejected)
    new_persons: int = 0
    changed_persons: int = 0
    changes: list[FieldChange] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list, repr=False)
    move: Move | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "status": self.status, "rows": [self.rows[0], self.rows[-1]],
                "persons": self.persons, "refused_persons": self.refused_persons,
                "new_persons": self.new_persons,
                "changed_persons": self.changed_persons,
                "changes": [c.to_json() for c in self.changes],
                "move": self.move.to_json() if self.move else None}


@dataclass
class ImportPlan:
    """What an import would do. Nothing is written until ``apply_import``."""

    path: Path
    sheet: str
    header_row: int
    columns: dict[str, str]  # field -> header as written
    ignored_columns: list[str]
    problems: list[Problem]
    households: list[HouseholdPlan]
    place_edits: list[Edit] = field(default_factory=list, repr=False)
    new_places: dict[str, list[str]] = field(default_factory=dict)  # entity -> names
    village_codes: list[VillageCode] = field(default_factory=list)
    orphans: int = 0  # rows refused for want of a 户编号 (in no household)

    def _with(self, status: Status) -> list[HouseholdPlan]:
        return [h for h in self.households if h.status == status]

    @property
    def to_create(self) -> list[HouseholdPlan]:
        return self._with("create")

    @property
    def to_update(self) -> list[HouseholdPlan]:
        return self._with("update")

    @property
    def unchanged(self) -> list[HouseholdPlan]:
        return self._with("unchanged")

    @property
    def rejected(self) -> list[HouseholdPlan]:
        return self._with("rejected")

    @property
    def persons(self) -> int:
        """Persons in the file (rows read as people, refused ones included)."""
        return sum(h.persons for h in self.households) + self.orphans

    @property
    def persons_to_create(self) -> int:
        return sum(h.new_persons for h in self.households)

    @property
    def persons_to_update(self) -> int:
        return sum(h.changed_persons for h in self.households)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def moves(self) -> list[Move]:
        return [h.move for h in self.households if h.move is not None]

    @property
    def has_changes(self) -> bool:
        return bool(self.place_edits) or any(h.edits or h.move for h in self.households)

    def counts(self) -> dict[str, int]:
        """Households and persons read = imported + refused, "with warnings" being those
        imported that a report line names; then what the import does with them."""
        refused_codes = {h.code for h in self.rejected}
        warned = [p for p in self.problems if p.household_code is not None
                  and p.household_code not in refused_codes]
        refused_rows = {(p.household_code, p.row) for p in warned if p.refused == "person"}
        persons_refused = sum(h.refused_persons for h in self.households) + self.orphans
        return {
            "households": len(self.households), "persons": self.persons,
            "households_imported": len(self.households) - len(refused_codes),
            "households_with_warnings": len({p.household_code for p in warned}),
            "households_refused": len(refused_codes),
            "persons_imported": self.persons - persons_refused,
            "persons_with_warnings": len({(p.household_code, p.row) for p in warned
                                          if p.severity == WARNING and p.row is not None}
                                         - refused_rows),
            "persons_refused": persons_refused,
            "create": len(self.to_create), "update": len(self.to_update),
            "unchanged": len(self.unchanged),
            "persons_create": self.persons_to_create, "persons_update": self.persons_to_update,
            "moves": len(self.moves), "errors": len(self.errors), "warnings": len(self.warnings),
        }

    def summary(self) -> str:
        c = self.counts()
        places = "".join(f"，新建{_PLACE_ZH[e]} {len(n)} 个" for e, n in self.new_places.items())
        places_en = "".join(f", {len(n)} new {_PLACE_EN[e]}" for e, n in self.new_places.items())
        moves = f"，换村 {c['moves']} 户（须确认）" if c["moves"] else ""
        moves_en = f", {c['moves']} moving village (to be confirmed)" if c["moves"] else ""
        return (
            f"“{self.path.name}”读到 {c['households']} 户 {c['persons']} 人：导入 "
            f"{c['households_imported']} 户（{c['households_with_warnings']} 户有提醒）"
            f"{c['persons_imported']} 人（{c['persons_with_warnings']} 人有提醒），未导入 "
            f"{c['households_refused']} 户 {c['persons_refused']} 人；新建 {c['create']} 户"
            f"（{c['persons_create']} 人），更新 {c['update']} 户，无变化 {c['unchanged']} 户"
            f"{moves}{places}；错误 {c['errors']} 条，提醒 {c['warnings']} 条。\n"
            f"'{self.path.name}': read {c['households']} households, {c['persons']} persons: "
            f"imported {c['households_imported']} households ({c['households_with_warnings']} "
            f"with warnings), {c['persons_imported']} persons ({c['persons_with_warnings']} "
            f"with warnings); refused {c['households_refused']} households, "
            f"{c['persons_refused']} persons; {c['create']} new ({c['persons_create']} "
            f"persons), {c['update']} updated, {c['unchanged']} unchanged{moves_en}"
            f"{places_en}; {c['errors']} errors, {c['warnings']} warnings."
        )

    def report_lines(self) -> list[str]:
        """Village codes found or missing, moves, then the problems by row."""
        return [*(v.line() for v in self.village_codes), *(m.line() for m in self.moves),
                *(p.line() for p in self.problems)]

    def change_lines(self) -> list[str]:
        """One line per changed field of an updated household, old → new."""
        lines = []
        for h in self.to_update:
            for c in h.changes:
                who = f"{c.who} · " if c.who else ""
                lines.append(f"户 {h.code} · {who}{c.label}：{_shown(c.old)} → {_shown(c.new)}")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path), "sheet": self.sheet, "header_row": self.header_row,
            "columns": self.columns, "ignored_columns": self.ignored_columns,
            "counts": self.counts(), "new_places": self.new_places,
            "village_codes": [v.to_json() for v in self.village_codes],
            "moves": [m.to_json() for m in self.moves],
            "summary": self.summary(),
            "households": [h.to_json() for h in self.households if h.status != "unchanged"],
            "problems": [p.to_json() for p in self.problems],
        }


_PLACE_ZH = {"county": "县", "township": "乡镇", "village": "行政村", "village_group": "村民小组"}
_PLACE_EN = {"county": "counties", "township": "townships", "village": "villages",
             "village_group": "village groups"}


@dataclass
class ImportResult:
    households_created: int
    households_updated: int
    households_unchanged: int
    households_rejected: int
    persons_refused: int  # in refused households too (see ``ImportPlan.counts``)
    households_moved: int
    persons_created: int
    persons_updated: int
    changes: Changes


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "空" if value in (None, "") else str(value)


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# ---- planning ---------------------------------------------------------------------

@collector.paused()  # millions of objects, all alive till the plan is made
def plan_import(
    path: Path, store: Store, *, village: str | None = None,
    progress: Progress | None = None, cancelled: Cancelled | None = None,
    today: date | None = None,
) -> ImportPlan:
    """Read, check and match a roster file against the store; writes nothing.

    ``village`` (a code or name) is the village of rows that name none; a file whose
    rows name another village raises VillageError."""
    path = Path(path)
    with store.reading() as conn:
        target = _Target.of(conn, village) if village is not None else None
    # calamine parses the sheet without holding the GIL, for most of the read: the
    # store's roster (about 1 s at 100,000 persons, when re-importing) and the name readings
    # the apply needs load meanwhile, on the other core
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="roster-known") as pool:
        loaded = pool.submit(_load_known, store)
        sheet_name, layout, rows = _locate(path)
        known = loaded.result()
    _check_cancel(cancelled)
    vocabulary = aliases.load(aliases.path_for(store.folder))
    planner = _Planner(path, layout, known, target, today or date.today(), vocabulary)
    total = len(rows) - layout.header_row
    records = layout.records(rows, lambda: _check_cancel(cancelled))  # empties rows
    planner.read(records, total, progress, cancelled)
    planner.place_villages()
    planner.match(progress, cancelled)
    return planner.plan(sheet_name)


@dataclass
class _Target:
    """The ``--village`` of an import: a village of the store (``id``), or a new code."""

    id: str | None
    code: str | None
    name: str | None

    @classmethod
    def of(cls, conn: Connection, text: str) -> _Target:
        text = text.strip()
        if VILLAGE_CODE.fullmatch(text):
            found = villages.with_code(conn, text)
            return cls(found.id, text, found.name) if found else cls(None, text, None)
        found = villages.find(conn, text)
        return cls(found.id, found.code, found.name)

    def accepts(self, code: str | None, name: str | None) -> bool:
        """A row naming this village (by code; else by name, when the village has one)."""
        if code:
            return code == self.code
        return name is None or self.name is None or name == self.name


def _load_known(store: Store) -> _Known:
    with store.reading() as conn:
        known = _Known.load(conn)
    names.load_readings()
    return known


def _locate(path: Path) -> tuple[str, Layout, list[list[object]]]:
    """The first sheet with a recognisable header (a workbook may open with a notes sheet)."""
    missing: list[str] | None = None
    for sheet in read_sheets(path):
        layout, sheet_missing = find_layout(sheet.rows)
        if layout is not None:
            return sheet.name, layout, sheet.rows
        missing = missing if missing is not None else sheet_missing
    raise RosterFileError.no_header(path, missing or [])


def _check_cancel(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled


@dataclass
class _Known:
    """The store's current roster, loaded in a few bulk selects for matching."""

    counties: dict[str, str]  # code or name -> id
    townships: dict[str, str]
    villages_by_code: dict[str, str]
    villages_by_name: dict[tuple[str | None, str], str]  # (township id or "*", name) -> id
    village_names: dict[str, str]
    village_codes: dict[str, str | None]  # id -> code
    place_codes: dict[str, str | None]  # county or township id -> code
    groups: dict[tuple[str, str], str]  # (village id, name) -> id
    group_names: dict[str, str]
    households: dict[str, dict[str, Any]]  # code -> row (the columns matching compares)
    household_codes: dict[str, str]  # id -> code
    members_by_id_number: dict[str, dict[str, Any]]
    members_of: dict[str, list[dict[str, Any]]]  # household id -> live members

    @classmethod
    def load(cls, conn: Connection) -> _Known:
        def live(model: Any) -> Any:
            return select(model).where(model.deleted.is_(False))

        counties: dict[str, str] = {}
        place_codes: dict[str, str | None] = {}
        for r in conn.execute(live(County)):
            counties[r.name] = r.id
            place_codes[r.id] = r.code
            if r.code:
                counties[r.code] = r.id
        townships: dict[str, str] = {}
        for r in conn.execute(live(Township)):
            townships[r.name] = r.id
            place_codes[r.id] = r.code
            if r.code:
                townships[r.code] = r.id
        by_code: dict[str, str] = {}
        by_name: dict[tuple[str | None, str], str] = {}
        village_names: dict[str, str] = {}
        village_codes: dict[str, str | None] = {}
        named: dict[str, list[str]] = defaultdict(list)
        for r in conn.execute(live(Village)):
            if r.code:
                by_code[r.code] = r.id
            by_name.setdefault((r.township_id, r.name), r.id)
            named[r.name].append(r.id)
            village_names[r.id] = r.name
            village_codes[r.id] = r.code
        # A name the store holds once matches whatever township the file does or does not
        # name (files differ in columns); a name shared by villages of several townships
        # needs the township to match.
        for name, ids in named.items():
            if len(ids) == 1:
                by_name.setdefault((None, name), ids[0])
                by_name[("*", name)] = ids[0]
        groups: dict[tuple[str, str], str] = {}
        group_names: dict[str, str] = {}
        for r in conn.execute(live(VillageGroup)):
            groups[(r.village_id, r.name)] = r.id
            group_names[r.id] = r.name
        households = {r["code"]: dict(r)
                      for r in conn.execute(select(*_KNOWN_HOUSEHOLD)).mappings()}
        by_id_number: dict[str, dict[str, Any]] = {}
        members_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        members = select(*_KNOWN_MEMBER).where(Member.deleted.is_(False))
        shared: dict[str | None, str | None] = {}
        share = shared.setdefault
        for m in conn.execute(members).mappings():
            row = dict(m)
            for name in _REPEATED_MEMBER:
                value = row[name]
                row[name] = share(value, value)
            members_of[row["household_id"]].append(row)
            if row["id_number"]:
                by_id_number[row["id_number"]] = row
        return cls(counties, townships, by_code, by_name, village_names, village_codes,
                   place_codes, groups, group_names,
                   households, {h["id"]: code for code, h in households.items()},
                   by_id_number, members_of)


@dataclass(slots=True)
class _Person:
    record: Record
    fields: dict[str, Any]  # Member fields as they will be stored (None = blank)
    id_number: str | None


class _Planner:
    def __init__(self, path: Path, layout: Layout, known: _Known, target: _Target | None,
                 today: date, vocabulary: Vocabulary) -> None:
        self.path = path
        self.vocabulary = vocabulary
        self.layout = layout
        self.known = known
        self.target = target
        self.today = today
        present = layout.fields
        self.member_fields = sorted(_MEMBER_FIELDS & present)
        self.household_level = [*sorted(_HOUSEHOLD_COLUMNS & present),
                                *(f for f in _PLACE_FIELDS if f in present)]
        self.blocks: dict[str, list[_Person]] = {}
        self.problems: list[Problem] = []
        self.rejected_codes: set[str] = set()
        self.refused_rows: set[int] = set()
        self.names: dict[int, str] = {}  # row -> the person's name ("" when blank)
        self.orphans = 0
        self.member_limits: dict[str, int] = {}  # set by read, from the columns read
        self.households: list[HouseholdPlan] = []
        self.place_edits: list[Edit] = []
        self.new_places: dict[str, list[str]] = defaultdict(list)
        self.place_ids: dict[tuple[str, ...], str] = {}
        self.place_names: dict[str, str] = {}  # id -> name of the places the plan creates
        self.derived: dict[tuple[str | None, str], str] = {}  # (township, village) -> code
        self.village_codes: list[VillageCode] = []

    # -- problems

    def report(self, problem: FieldProblem, row: int | None, code: str | None,
               refuses: Refused = "household", name: str | None = None) -> None:
        """Record a problem at ``row``, naming the person of that row (or ``name``, for a
        member of the store the file does not list); an error keeps ``refuses`` (the
        person at ``row``, or the whole household) out of the store."""
        refused = refuses if problem.severity == ERROR else None
        self.problems.append(Problem(
            row, self.layout.header(problem.field), problem.field,
            problem.message, problem.message_en, problem.value, problem.severity, code,
            self.names.get(row or 0, name), refused,
        ))
        if refused == "person" and row is not None:
            self.refused_rows.add(row)
        elif refused == "household" and code is not None:
            self.rejected_codes.add(code)

    # -- pass 1: rows to people

    def read(self, records: Records, total: int, progress: Progress | None,
             cancelled: Cancelled | None) -> None:
        self.member_limits = self._member_limits(records.longest)
        for count, record in enumerate(records.rows, 1):
            if count % _TICK == 0:
                _check_cancel(cancelled)
                if progress:
                    progress(min(count, total), total)
            self.names[record.row] = str(record.values.get("name") or "")
            code = record.values["code"]
            if code is None:
                self._orphan(record)
                continue
            self.blocks.setdefault(str(code), []).append(self._person(record, str(code)))

    def _member_limits(self, longest: Mapping[str, int]) -> dict[str, int]:
        """The limits of the member fields a value may be too long for, in the order a
        person's fields hold them (so problems come in that order): the ID and what it
        rewrites always, another field only when its column holds a text too long."""
        rewritten = ("id_number", "sex")  # (and birth_date, which has no length)
        order = [*self.member_fields, *(f for f in rewritten if f not in self.member_fields)]
        return {name: _MEMBER_LIMITS[name] for name in order if name in _MEMBER_LIMITS
                and (name in rewritten or longest.get(name, 0) > _MEMBER_LIMITS[name])}

    def _orphan(self, record: Record) -> None:
        """A person row with no usable 户编号 cannot be placed in a household: refused."""
        self.orphans += 1
        for problem in record.problems:
            self.report(problem, record.row, None, "person")
        if not any(p.field == "code" for p in record.problems):
            self.report(FieldProblem(
                "code", "户编号为空，无法归户：请在花名册中填写户编号后重新导入",
                "the household code is empty, so the row belongs to no household: fill it "
                "in and import again", None, ERROR), record.row, None, "person")

    def _person(self, record: Record, code: str) -> _Person:
        values = record.values
        fields = {name: values[name] for name in self.member_fields}
        ident, problems = checks.check_member(fields, self.today)
        for problem in (*record.problems, *problems):
            if problem.severity == ERROR and problem.field in _MEMBER_FIELDS:
                problem = _imported_anyway(problem)
            self.report(problem, record.row, code)
        number = ident.number if ident else _id_as_written(fields.get("id_number"))
        fields["id_number"] = number
        if ident is not None:
            fields["sex"] = ident.sex
            fields["birth_date"] = ident.birth_date
        self._fit(self.member_limits, fields, record.row, code)  # the ID as stored, fitted
        return _Person(record, fields, number)

    # -- between the passes: which villages the file names

    def place_villages(self) -> None:
        """Check the file against ``--village``, or give the villages it names without a
        code the code their 户编号 share (see the module's rules)."""
        if self.target is not None:
            self._check_target(self.target)
            return
        by_village: dict[tuple[str | None, str], list[str]] = defaultdict(list)
        places: dict[tuple[str | None, str], tuple[str | None, str | None]] = {}
        for code, people in self.blocks.items():
            village_code, name, township, county = _named(people)
            if name is not None and village_code is None:
                by_village[(township, name)].append(code)
                places[(township, name)] = (township, county)
        prefixes = {key: _common_prefix(codes) for key, codes in by_village.items()}
        shared = Counter(p for p in prefixes.values() if p)
        for key, prefix in prefixes.items():
            existing = self._village_named(*key)
            if existing is not None and self.known.village_codes[existing]:
                continue  # the store knows its code
            why = (("户编号前 12 位不一致", "its household codes do not share a 12-digit prefix")
                   if prefix is None else
                   ("户编号前 12 位与其他村相同", "another village's household codes share it")
                   if shared[prefix] > 1 else self._misfit(prefix, *places[key]))
            if why is not None:
                self.village_codes.append(VillageCode(key[1], None, *why))
                continue
            assert prefix is not None
            self.village_codes.append(VillageCode(key[1], prefix))
            if existing is not None:
                self.place_edits.append(Update("village", existing, {"code": prefix}))
            else:
                self.derived[key] = prefix

    def _check_target(self, target: _Target) -> None:
        """``--village`` fills in rows naming no village; rows naming another refuse the
        file before anything is written (the villages it holds are named)."""
        named = {_named(people)[:2] for people in self.blocks.values()} - {(None, None)}
        names = {name for _, name in named if name}
        if any(not target.accepts(*v) for v in named) or (target.name is None
                                                           and len(names) > 1):
            held = "、".join(sorted(f"{n}（{c}）" if c and n else c or n or "" for c, n in named))
            chosen = target.name or target.code
            raise VillageError(
                f"文件中的农户属于这些行政村：{held}，不能全部导入到“{chosen}”；"
                "--village 只用于没有填写行政村的行。请不加 --village 导入",
                f"the file's households belong to these villages: {held}, so they cannot "
                f"all go to '{chosen}'; --village only fills in rows that name no village. "
                "Import without --village", "village-mismatch")
        if target.name is None and names:
            target.name = names.pop()

    def _misfit(self, prefix: str, township: str | None, county: str | None
                ) -> tuple[str, str] | None:
        """Why a 12-digit prefix cannot be the village's code in this county, or None."""
        if not 1 <= int(prefix[6:9]) <= 399:
            return (f"户编号前 12 位 {prefix} 不是村代码",
                    f"the prefix {prefix} of its household codes is not a village code")
        county_codes = self._county_codes(county)
        if county_codes and prefix[:6] not in county_codes:
            return (f"户编号前 6 位不是本县代码 {'、'.join(sorted(county_codes))}",
                    "its household codes do not start with the county's code")
        township_id = self.known.townships.get(township or "")
        township_code = self.known.place_codes.get(township_id or "")
        if township_code and prefix[:9] != township_code:
            return (f"户编号前 9 位不是{township}的代码 {township_code}",
                    f"its household codes do not start with {township}'s code")
        holder = self.known.villages_by_code.get(prefix)
        if holder is not None:
            return (f"村代码 {prefix} 已属于{self.known.village_names[holder]}",
                    f"the code {prefix} belongs to another village")
        return None

    def _coded(self, code: str, township: str | None, name: str | None) -> str | None:
        """The store's village of this name that has no code yet, now given the file's
        (once): a twin village with the code would take its households away."""
        if not name or ("village", "code", code) in self.place_ids:
            return None
        found = self._village_named(township, name)
        if found is None or self.known.village_codes[found]:
            return None
        self.place_edits.append(Update("village", found, {"code": code}))
        self.village_codes.append(VillageCode(name, code, "文件给出的村代码", "given by the file"))
        return found

    def _county_codes(self, county: str | None) -> set[str]:
        """The codes a village's may start with: the county the file gives, else every
        county of the store (none: a first import, nothing to check against)."""
        if county and re.fullmatch(r"[0-9]{6}", county):
            return {county}
        county_id = self.known.counties.get(county or "")
        ids = [county_id] if county_id else list(self.known.counties.values())
        return {code for i in ids if (code := self.known.place_codes[i])}

    def _village_named(self, township: str | None, name: str) -> str | None:
        """The store's village of this name (in this township when the file names it)."""
        township_id = self.known.townships.get(township or "")
        return (self.known.villages_by_name.get((township_id, name))
                or self.known.villages_by_name.get(("*", name)))

    # -- pass 2: file-wide checks, then households against the store

    def match(self, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self._file_wide_checks()
        total = len(self.blocks)
        for done, (code, people) in enumerate(self.blocks.items(), 1):
            if done % _TICK == 0:
                _check_cancel(cancelled)
                if progress:
                    progress(done, total)
            self.households.append(self._household(code, people))
        self._report_missing_members()

    def _file_wide_checks(self) -> None:
        """The same ID twice in the file (each of those persons refused: which row is the
        person is unknown), one phone in several households."""
        by_id: dict[str, list[tuple[_Person, str]]] = defaultdict(list)
        by_phone: dict[str, list[tuple[_Person, str]]] = defaultdict(list)
        for code, people in self.blocks.items():
            for p in people:
                if p.id_number:
                    by_id[p.id_number].append((p, code))
                if p.fields.get("phone"):
                    by_phone[p.fields["phone"]].append((p, code))
        for number, places in by_id.items():
            for p, code in places if len(places) > 1 else ():
                others = "、".join(str(o.record.row) for o, _ in places if o is not p)
                self.report(FieldProblem(
                    "id_number",
                    f"身份证号在文件中重复出现（另见第 {others} 行）：请核对后重新导入",
                    f"the ID number appears more than once in the file (also row {others}): "
                    "check it and import again", number, ERROR),
                    p.record.row, code, "person")
        for phone, places in by_phone.items():
            codes = {code for _, code in places}
            for p, code in places if len(codes) > 1 else ():
                others = "、".join(sorted(codes - {code}))
                self.report(FieldProblem(
                    "phone", f"此电话号码也登记在其他户（户编号 {others}）",
                    f"this phone number is also registered for household {others}", phone,
                ), p.record.row, code)

    def _household(self, code: str, read: list[_Person]) -> HouseholdPlan:
        """The household's plan from the rows of it not refused (see the module's rules)."""
        rows = [p.record.row for p in read]
        existing = self.known.households.get(code)
        self._check_other_households(code, read, existing)
        people = [p for p in read if p.record.row not in self.refused_rows]
        if not people:  # each refused row said why
            return HouseholdPlan(code, rows, "rejected", len(read), len(read))
        values = self._household_values(code, people)
        for problem in checks.household_problems([p.fields for p in people], values):
            about = people[problem.member if problem.member is not None else 0]
            self.report(problem, about.record.row, code)
        size = read[0].record.values.get("size")
        if size is not None and size != len(read):
            self.report(FieldProblem(
                "size", f"人数填的是 {size}，文件中本户有 {len(read)} 行",
                f"the household size says {size}, but the file has {len(read)} rows for it",
                size), rows[0], code)
        village_id = None
        if code not in self.rejected_codes:
            village_id = self._village(values, existing)
            if village_id is None:
                self.report(FieldProblem(
                    "village",
                    "不知道这一户属于哪个行政村：文件没有“行政村”列，请指定行政村"
                    "（--village 村代码或村名）",
                    "no village for this household: the file has no 行政村 column; "
                    "give the village (--village code or name)", None, ERROR), rows[0], code)
        if code in self.rejected_codes or village_id is None:  # no village: rejected above
            return HouseholdPlan(code, rows, "rejected", len(read), len(read))
        values["village_id"] = village_id
        self._status(code, rows[0], values, existing)
        self._risks(code, rows[0], values, existing)
        self._fit({name: _HOUSEHOLD_LIMITS[name] for name in values
                   if name in _HOUSEHOLD_LIMITS}, values, rows[0], code)
        group_name = values.pop("group", None)
        if group_name:
            key = (village_id, str(group_name))
            values["group_id"] = self._place("village_group", key, self.known.groups.get(key),
                                             {"village_id": village_id, "name": group_name})
        plan = self._diff(code, rows, values, people, existing)
        plan.persons, plan.refused_persons = len(read), len(read) - len(people)
        return plan

    def _fit(self, limits: Mapping[str, int], values: dict[str, Any], row: int,
             code: str) -> None:
        """A cell longer than its field keeps what fits, reported (in ``limits``'
        order): one over-long 住址 of a county file must not fail the import of every
        household."""
        for name, limit in limits.items():
            value = values.get(name)
            if isinstance(value, str) and len(value) > limit:
                values[name] = value[:limit]
                self.report(FieldProblem(
                    name, f"超过 {limit} 个字，只导入了前 {limit} 个字",
                    f"longer than {limit} characters: the first {limit} were imported",
                    value[:limit] + "…"), row, code)

    def _status(self, code: str, row: int, values: dict[str, Any],
                existing: dict[str, Any] | None) -> None:
        """户类型, 是否监测对象 and 监测对象类别 from the status words of the file's columns.
        A column that says nothing changes nothing; the 监测对象类别 column wins over a
        category written in the 户类型 one, an explicit 是否监测对象 over both."""
        by_type = self._word("hh_type", values.pop("hh_type", None), row, code)
        by_kind = self._word("monitor_category", values.pop("monitor_category", None), row,
                             code)
        flag = values.pop("monitored", None)
        if by_type.category and by_kind.category and by_type.category != by_kind.category:
            self.report(FieldProblem(
                "monitor_category",
                f"户类型写的是{by_type.category}，监测对象类别写的是{by_kind.category}，"
                "按监测对象类别导入",
                f"户类型 says {by_type.category}, 监测对象类别 says {by_kind.category}; "
                "the latter is imported", by_kind.category), row, code)
        category = by_kind.category or by_type.category
        hh_type = by_type.hh_type or by_kind.hh_type or CATEGORY_TYPE.get(category or "")
        monitored = next((v for v in (flag, by_kind.monitored, by_type.monitored)
                          if v is not None), None)
        implied = CATEGORY_TYPE.get(category or "")
        if hh_type and implied and hh_type != implied:
            self.report(FieldProblem(
                "hh_type", f"{category}应为{implied}，这一户的户类型是{hh_type}；请核实",
                f"a {category} is a {implied}, but this household's type is {hh_type}; "
                "check it", hh_type), row, code)
        if monitored is False and category:
            self.report(FieldProblem(
                "monitored", f"是否监测对象为“否”，却填了监测对象类别“{category}”；请核实",
                f"not monitored, yet the category says {category}; check it", category),
                row, code)
        known_category = category or (existing or {}).get("monitor_category")
        if monitored and not known_category:  # reported on the column that said so
            said = "monitor_category" if "monitor_category" in self.layout.fields else "hh_type"
            self.report(FieldProblem(
                said, "是监测对象，但没有写监测对象类别；请补上（脱贫不稳定户、边缘易致贫户或"
                "突发严重困难户）", "monitored, but no 监测对象类别 is given; add it"), row, code)
        if existing is None:
            hh_type, monitored = hh_type or ORDINARY, bool(monitored)
        values.update(hh_type=hh_type, monitored=monitored, monitor_category=category)

    def _word(self, field_name: str, word: str | None, row: int, code: str) -> aliases.Status:
        """What one status cell says: through the vocabulary, else kept as written."""
        if word is None:
            return aliases.Status()
        reading = self.vocabulary.read(word)
        if reading is not None:
            for zh, en in reading.notes:
                self.report(FieldProblem(field_name, zh, en, word), row, code)
            return reading.status
        kept = word[:aliases.MAX_WORD]
        self.report(FieldProblem(
            field_name, f"“{word}”不在户类型词表中，按原样导入为“{kept}”；请核实"
            "（县里可在词表 vocabulary.yaml 中补上这个写法）",
            f"'{word}' is not in the vocabulary and was imported as written ('{kept}'); "
            "check it (the county can add the word to vocabulary.yaml)", word), row, code)
        if field_name == "hh_type":
            return aliases.Status(hh_type=kept)
        return aliases.Status(monitored=True, category=kept)

    def _risks(self, code: str, row: int, values: dict[str, Any],
               existing: dict[str, Any] | None) -> None:
        """风险类型 with its 其他 remark; a "风险类型/致贫原因" column goes to the risks of a
        monitored household and to the 致贫原因 of any other."""
        either = values.pop("risk_or_cause", None)
        monitored = values.get("monitored")
        if monitored is None and existing is not None:
            monitored = existing["monitored"]
        if either is not None and not monitored:
            values["poverty_cause"] = values.get("poverty_cause") or either
        elif either is not None and values.get("risk_types") is None:
            risks, problem = parse_risk_types(either)
            if problem is not None:
                self.report(replace(problem, field="risk_or_cause"), row, code)
            values["risk_types"] = risks
        risks = values.pop("risk_types", None)
        if isinstance(risks, Risks):
            values["risk_types"] = risks.types
            values["risk_other"] = values.get("risk_other") or risks.other

    def _household_values(self, code: str, people: list[_Person]) -> dict[str, Any]:
        """Household fields (and place names) from the block's rows: the first value
        given wins; a different value further down is reported."""
        values: dict[str, Any] = {}
        for name in self.household_level:
            first = None
            for p in people:
                value = p.record.values[name]
                if value is None:
                    continue
                if first is None:
                    first = value
                elif value != first:
                    self.report(FieldProblem(
                        name, f"同一户各行的“{field_label('household', name)}”不一致，"
                        f"按第一个值（{first}）导入",
                        f"rows of one household disagree on {name}; the first value "
                        f"({first}) is used", value), p.record.row, code)
                    break
            values[name] = first
        return values

    def _check_other_households(self, code: str, people: list[_Person],
                                existing: dict[str, Any] | None) -> None:
        """An ID already in another household is a move only if the file shows it."""
        own_id = existing["id"] if existing else None
        for p in people:
            known = self.known.members_by_id_number.get(p.id_number or "")
            if known is None or known["household_id"] == own_id:
                continue
            other = self.known.household_codes.get(known["household_id"], "?")
            if p.record.code_from_above:
                self.report(FieldProblem(
                    "code",
                    f"此行户编号为空，按上一行归入本户，但此人已登记在户 {other}"
                    f"（{known['name']}）；请填写户编号",
                    f"the household code is blank, so this row joined the household above, "
                    f"but the person is registered in household {other} ({known['name']}); "
                    "fill in the household code",
                    None, ERROR), p.record.row, code, "person")
            elif other not in self.blocks:
                self.report(FieldProblem(
                    "id_number",
                    f"此身份证号已登记在户 {other}（{known['name']}），文件中却在本户；"
                    "如确为迁户，请把两户一起导入",
                    f"this ID is already registered in household {other} ({known['name']}); "
                    "if the person moved, import both households together",
                    p.id_number, ERROR), p.record.row, code, "person")

    # -- places

    def _place(self, entity: str, key: tuple[Any, ...], existing: str | None,
               fields: dict[str, Any]) -> str:
        """Id of an existing county/township/village/group, or of one the plan creates
        (once, however many households name it)."""
        full_key = (entity, *key)
        found = self.place_ids.get(full_key) or existing
        if found is None:
            insert = Insert(entity, fields)
            self.place_edits.append(insert)
            self.new_places[entity].append(str(fields["name"]))
            self.place_names[insert.id] = str(fields["name"])
            found = insert.id
        self.place_ids[full_key] = found
        return found

    def _township(self, values: dict[str, Any], village_code: str | None) -> str | None:
        """The township (and county) named in the file, created when new. A 12-digit
        village code starts with the township's 9 and the county's 6 digits, so new ones
        get their codes from it."""
        county_id = None
        if values.get("county"):
            name = str(values["county"])
            code = name if re.fullmatch(r"\d{6}", name) else (village_code or "")[:6] or None
            county_id = self._place("county", (name,), self.known.counties.get(name),
                                    {"name": name, "code": code})
        if not values.get("township"):
            return None
        name = str(values["township"])
        code = name if re.fullmatch(r"\d{9}", name) else (village_code or "")[:9] or None
        return self._place("township", (name,), self.known.townships.get(name),
                           {"name": name, "code": code, "county_id": county_id})

    def _village(self, values: dict[str, Any], existing: dict[str, Any] | None) -> str | None:
        code, name = _village_of(values)
        if self.target is not None:
            if self.target.id is not None:
                return self.target.id
            code, name = self.target.code, self.target.name
        elif name and not code:
            code = self.derived.get((_text(values.get("township")), name))
        township_id = self._township(values, code)
        if code:
            existing_id = (self.known.villages_by_code.get(code)
                           or self._coded(code, _text(values.get("township")), name))
            return self._place("village", ("code", code), existing_id,
                               {"code": code, "name": name or code, "township_id": township_id})
        if name:
            existing_id = (self.known.villages_by_name.get((township_id, name))
                           or self.known.villages_by_name.get(("*", name)))
            return self._place("village", ("name", township_id, name), existing_id,
                               {"name": name, "township_id": township_id})
        return existing["village_id"] if existing else None

    # -- matching and diffs

    def _diff(self, code: str, rows: list[int], values: dict[str, Any], people: list[_Person],
              existing: dict[str, Any] | None) -> HouseholdPlan:
        household = {k: v for k, v in values.items() if v is not None and k in _HOUSEHOLD_ROW}
        plan = HouseholdPlan(code, rows, "unchanged", len(people))
        if existing is None:
            insert = Insert("household", {"code": code, **household})
            plan.edits.append(insert)
            household_id = insert.id
        else:
            household_id = existing["id"]
            if existing["deleted"]:
                household["deleted"] = False
            changed = self._changed(existing, household)
            if "village_id" in changed:
                plan.move = self._move(code, people, existing, changed)
            if changed:
                plan.edits.append(Update("household", household_id, changed))
                plan.changes += [self._change(None, k, existing[k], v) for k, v in changed.items()]
        without_id = self._members_without_id(existing)
        for person in people:
            fields = {k: v for k, v in person.fields.items() if v is not None}
            known = (self.known.members_by_id_number.get(person.id_number or "")
                     or without_id.get(fields.get("name")))
            if known is None:
                plan.edits.append(Insert("member", {"household_id": household_id, "name": "",
                                                **fields}))
                plan.new_persons += 1
                if existing is not None:
                    plan.changes.append(FieldChange(fields.get("name"), "member", None, "新增"))
                continue
            fields["household_id"] = household_id
            changed = self._changed(known, fields)
            if changed:
                plan.edits.append(Update("member", known["id"], changed))
                plan.changed_persons += 1
                plan.changes += [self._change(fields.get("name"), k, known[k], v)
                                 for k, v in changed.items()]
        if existing is None:
            plan.status = "create"
        elif plan.edits or plan.move:
            plan.status = "update"
        return plan

    def _move(self, code: str, people: list[_Person], existing: dict[str, Any],
              changed: dict[str, Any]) -> Move:
        """Take the village (and 村民小组) out of a matched household's changes: a move
        waits for confirmation."""
        fields: dict[str, Any] = {k: changed.pop(k) for k in ("village_id", "group_id")
                                  if k in changed}
        head = next((p for p in people if p.fields.get("relation") == HEAD), people[0])
        return Move(code, str(head.fields.get("name") or "?"),
                    self._village_name(existing["village_id"]),
                    self._village_name(fields["village_id"]),
                    Update("household", existing["id"], fields))

    def _village_name(self, village_id: str) -> str:
        return (self.place_names.get(village_id)
                or self.known.village_names.get(village_id, village_id))

    def _members_without_id(
        self, existing: dict[str, Any] | None
    ) -> dict[Any, dict[str, Any]]:
        """Store members of a matched household who have no ID yet, by name (entered by
        hand on a visit; the county file brings the ID)."""
        if existing is None:
            return {}
        return {m["name"]: m for m in self.known.members_of.get(existing["id"], [])
                if not m["id_number"]}

    @staticmethod
    def _changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in new.items() if old.get(k) != v}

    def _change(self, who: str | None, name: str, old: object, new: object) -> FieldChange:
        shown = {
            "village_id": lambda v: self.known.village_names.get(v, v),
            "group_id": lambda v: self.known.group_names.get(v, v),
            "household_id": lambda v: self.known.household_codes.get(v, v),
        }.get(name)
        if shown is not None:
            old, new = shown(old), shown(new)
        return FieldChange(who, name, old, new)

    def _report_missing_members(self) -> None:
        """Members of matched households that the file does not list: kept, reported."""
        accepted = {code: [p for p in people if p.record.row not in self.refused_rows]
                    for code, people in self.blocks.items() if code not in self.rejected_codes}
        in_file = {p.id_number for people in accepted.values() for p in people}
        names_in_file = {(code, p.fields.get("name")) for code, people in accepted.items()
                         for p in people}
        for code in self.blocks:
            existing = self.known.households.get(code)
            if existing is None:
                continue
            for m in self.known.members_of.get(existing["id"], []):
                present = (m["id_number"] in in_file if m["id_number"]
                           else (code, m["name"]) in names_in_file)
                if not present:
                    self.report(FieldProblem(
                        "name",
                        f"文件中没有此人（{m['name']}），未删除；如已迁出或去世请在程序中处理",
                        f"this person ({m['name']}) is not in the file; kept, not deleted",
                        m["id_number"] or m["name"]), None, code, name=m["name"])

    def plan(self, sheet_name: str) -> ImportPlan:
        self.problems.sort(key=lambda p: (p.row is None, p.row or 0))
        return ImportPlan(
            self.path, sheet_name, self.layout.header_row,
            {c.field: text for _, c, text in self.layout.columns}, self.layout.ignored,
            self.problems, self.households, self.place_edits, dict(self.new_places),
            self.village_codes, self.orphans,
        )


def _imported_anyway(problem: FieldProblem) -> FieldProblem:
    """A member field the editor would refuse (empty name, invalid ID, Excel-mangled
    人编号) is no reason to drop the person: imported, and the cadre told to correct it."""
    return replace(
        problem, severity=WARNING,
        message=f"{problem.message}（此人已导入，请核对后在本机改正）",
        message_en=f"{problem.message_en} (the person is imported; correct it in the app)")


def _id_as_written(raw: object) -> str | None:
    """An invalid ID as the file gives it (normalised), so ``quality.rules`` flags it and a
    re-import matches the person on it; None when it is empty, lost by Excel or too long
    for the column."""
    try:
        text = idcard.normalise(raw)
    except idcard.IdNumberError:
        return None
    return text if 0 < len(text) <= _ID_LENGTH else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _village_of(values: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The village a row names: its 12-digit code (from the code column, or a code typed
    where the name goes) and its name."""
    name, code = _text(values.get("village")), _text(values.get("village_code"))
    if code and not VILLAGE_CODE.fullmatch(code):
        code = None  # not a 统计用区划代码; the name decides
    if name and VILLAGE_CODE.fullmatch(name):
        code, name = code or name, None
    return code, name


def _named(people: list[_Person]) -> tuple[str | None, str | None, str | None, str | None]:
    """The village code, village, township and county a household's rows give (the first
    of each, as the household's own fields are read)."""
    first = {f: next((v for p in people if (v := p.record.values.get(f)) is not None), None)
             for f in ("county", "township", "village", "village_code")}
    code, name = _village_of(first)
    return code, name, _text(first["township"]), _text(first["county"])


def _common_prefix(codes: list[str]) -> str | None:
    """The 12 digits every 户编号 starts with, when each is a longer string of digits."""
    prefixes = {code[:12] for code in codes}
    if len(prefixes) == 1 and all(re.fullmatch(r"[0-9]{13,}", code) for code in codes):
        return prefixes.pop()
    return None


# ---- applying ---------------------------------------------------------------------

@collector.paused()
def apply_import(
    store: Store, plan: ImportPlan, *, confirm_moves: bool = False,
    progress: Progress | None = None, cancelled: Cancelled | None = None,
) -> ImportResult:
    """Write the plan's valid households in one transaction (all land, or none); the
    plan's moves only with ``confirm_moves`` (else those households stay where they are,
    their other changes written)."""
    changes = Changes()
    batches = _batches(plan, confirm_moves)
    if batches:
        with store.transaction() as tx:
            for done, edits in enumerate(batches, 1):
                _check_cancel(cancelled)
                changes.extend(tx.write(edits))
                if progress:
                    progress(done, len(batches))
            # the 帮扶责任人 a file names: their registry and dated assignments
            changes.extend(assignments.follow_import(tx, _helpers_named(plan), date.today()))
    return ImportResult(
        len(plan.to_create), len(plan.to_update), len(plan.unchanged), len(plan.rejected),
        plan.counts()["persons_refused"], len(plan.moves) if confirm_moves else 0,
        plan.persons_to_create, plan.persons_to_update, changes,
    )


def _helpers_named(plan: ImportPlan) -> list[assignments.ImportedHelper]:
    """Each household whose edits name its 帮扶责任人 (a new household, or a changed name,
    unit or phone)."""
    named = []
    for household in plan.households:
        for edit in household.edits:
            fields = edit.fields
            if edit.entity == "household" and any(
                    f in fields for f in ("helper_name", "helper_unit", "helper_phone")):
                named.append(assignments.ImportedHelper(
                    edit.id, fields.get("helper_name"), fields.get("helper_unit"),
                    fields.get("helper_phone"),
                    new_in=fields["village_id"] if isinstance(edit, Insert) else None))
    return named


def _batches(plan: ImportPlan, confirm_moves: bool) -> list[list[Edit]]:
    """Places first, then households with their members (and confirmed moves), a
    thousand households a batch; a batch never splits a household, so foreign keys always
    point at written rows."""
    batches: list[list[Edit]] = [list(plan.place_edits)] if plan.place_edits else []
    pending = [[*h.edits, *([h.move.edit] if h.move and confirm_moves else [])]
               for h in plan.households]
    pending = [edits for edits in pending if edits]
    for start in range(0, len(pending), _APPLY_BATCH):
        batches.append([e for edits in pending[start:start + _APPLY_BATCH] for e in edits])
    return batches

