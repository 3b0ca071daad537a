"""Membership: who lives in a household now, and the changes of population (自然增减)
a cadre records as they happen: a birth, a death, a marriage in or out, moving in or out,
a 分户 (part of a household becomes a new one) and a 合户 (two households become one).

A person is never deleted, only ended: ``member.left_on`` / ``left_reason`` /
``left_note`` say when and why they left, ``joined_on`` / ``joined_reason`` when and how
they came (migration 0007). ``member.deleted`` stays for rows entered by mistake. A
member with ``left_on`` set is a former member: not counted on cards, in quality rules,
roster sizes or exports (``CURRENT`` is the one clause saying so), but kept for history
and shown, greyed, in the household panel.

A person who moves to another household of the store (分户, 合户) keeps their row: its
``household_id`` changes and ``joined_on``/``joined_reason`` record the move, so the
journal shows the move as one field change with old and new household. A household that
a 合户 ends keeps its row too, its ``hh_type`` unchanged; it ends with ``deleted`` set
(it stops being a live household everywhere, as the roster already reads ``deleted``),
and its history stays readable through its members and the journal.

Each operation is validated with ``roster.checks`` and builds its edits; ``record``
writes them in one transaction, so an operation is all or nothing. The journal keeps
who, when, old and new; the rows keep the reason and the date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from fieldvisit import idcard
from fieldvisit.errors import FieldVisitError
from fieldvisit.roster import assignments, checks, vocab
from fieldvisit.store import Edit, Insert, Store, Update
from fieldvisit.store.models import Household, Member

# How a person joins or leaves a household (joined_reason / left_reason).
BIRTH, MARRIED_IN, MOVED_IN, SPLIT, MERGED = "新生", "婚入", "迁入", "分户", "合户"
DEATH, MARRIED_OUT, MOVED_OUT = "死亡", "婚出", "迁出"
JOIN_REASONS = (BIRTH, MARRIED_IN, MOVED_IN, SPLIT, MERGED)
LEAVE_REASONS = (DEATH, MARRIED_OUT, MOVED_OUT, SPLIT, MERGED)
# the reasons a cadre picks for one person leaving the household (分户/合户 are their own ops)
PERSON_LEAVES = (DEATH, MARRIED_OUT, MOVED_OUT)
PERSON_JOINS = (BIRTH, MARRIED_IN, MOVED_IN)

# Household fields a cadre edits in the app (the household dialog). 户类型 is a fact of
# the national system a cadre may correct; 是否监测对象, 监测对象类别, 风险类型, 识别时间
# and 风险是否消除 are decisions of the 监测 procedure and are not among them.
HOUSEHOLD_FIELDS = ("address", "helper_name", "helper_unit", "helper_phone", "hh_type",
                    "poverty_cause", "note")
# Fields whose text may run over lines (the rest are one line: a newline is folded).
_MULTILINE = frozenset({"note"})
# A bank card number (16–19 digits passing the Luhn check) in a note: the note travels to
# the county in every bundle, so account details must never be kept there.
_CARD_RUN = re.compile(r"(?<!\d)\d{16,19}(?!\d)")
CARD_IN_NOTE = ("备注中不能写银行卡号等账户信息（备注会同步到县里）",
                "a note must not hold a bank card number or other account details (the "
                "note is synced to the county)")

CURRENT: ColumnElement[bool] = Member.deleted.is_(False) & Member.left_on.is_(None)
"""The one clause for "lives in the household now": not a mistake, not ended."""


class MembershipError(FieldVisitError):
    """A population change refused; ``field`` names the input at fault."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.field = field


@dataclass(frozen=True, slots=True)
class Person:
    """A new member: the fields of the member editor by ``Member`` column name."""

    fields: Mapping[str, Any]


def _refuse_problems(fields: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The member's fields as stored (a valid ID decides sex and birth date), or the
    first error of ``roster.checks`` as a MembershipError naming its field."""
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    out = {k: (None if v == "" else v) for k, v in out.items()}
    for problem in checks.member_problems(out, today, typed=tuple(out)):
        if problem.severity == checks.ERROR:
            raise MembershipError(problem.field, problem.message, problem.message_en)
    if out.get("phone"):
        out["phone"] = checks.normalise_phone(out["phone"])
    try:
        ident = idcard.parse(out.get("id_number"), today=today)
    except idcard.IdNumberError:
        ident = None
    if ident is not None:
        out.update(id_number=ident.number, sex=ident.sex, birth_date=ident.birth_date)
    return out


def _date(field: str, on: date | None, today: date) -> date:
    if on is None:
        raise MembershipError(field, "请填写日期", "a date is needed")
    if on > today:
        raise MembershipError(field, "日期不能晚于今天", "the date cannot be after today")
    return on


def _member(conn: Connection, member_id: str) -> dict[str, Any]:
    row = conn.execute(select(Member.__table__).where(Member.id == member_id)).mappings().first()
    if row is None or row["deleted"]:
        raise MembershipError("member", "找不到这名成员", "no such member")
    return dict(row)


def _live_household(conn: Connection, household_id: str) -> dict[str, Any]:
    row = conn.execute(select(Household.__table__).where(
        Household.id == household_id)).mappings().first()
    if row is None or row["deleted"]:
        raise MembershipError("household", "找不到这一户", "no such household")
    return dict(row)


def _id_free(conn: Connection, number: str | None, except_member: str = "") -> None:
    if not number:
        return
    row = conn.execute(
        select(Member.name, Household.code)
        .join(Household, Household.id == Member.household_id)
        .where(Member.id_number == number, Member.id != except_member,
               Member.deleted.is_(False)).limit(1)).first()
    if row:
        problem = checks.id_taken_problem(number, row[0], row[1])
        raise MembershipError("id_number", problem.message, problem.message_en)


def current_members(conn: Connection, household_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(Member.__table__).where(
        Member.household_id == household_id, CURRENT).order_by(Member.id)).mappings()]


# -- one person joins -----------------------------------------------------------------

def join_edits(conn: Connection, household_id: str, person: Mapping[str, Any],
               reason: str, on: date | None, today: date) -> list[Edit]:
    """A birth (新生), marriage in (婚入) or moving in (迁入): a new member row."""
    if reason not in PERSON_JOINS:
        raise MembershipError("reason", f"未知的增加原因：{reason}", f"unknown reason: {reason}")
    _live_household(conn, household_id)
    fields = _refuse_problems(person, today)
    if reason == BIRTH and on is None and isinstance(fields.get("birth_date"), date):
        on = fields["birth_date"]
    on = _date("joined_on", on, today)
    if fields.get("relation") == vocab.HEAD and any(
            m["relation"] == vocab.HEAD for m in current_members(conn, household_id)):
        raise MembershipError("relation", "这一户已有户主", "the household already has a head")
    _id_free(conn, fields.get("id_number"))
    return [Insert("member", {**fields, "household_id": household_id,
                              "joined_on": on, "joined_reason": reason})]


# -- one person leaves ----------------------------------------------------------------

def leave_edits(conn: Connection, member_id: str, reason: str, on: date | None,
                today: date, note: str | None = None) -> list[Edit]:
    """A death (死亡), marriage out (婚出) or moving out (迁出): the member is ended."""
    if reason not in PERSON_LEAVES:
        raise MembershipError("reason", f"未知的减少原因：{reason}", f"unknown reason: {reason}")
    member = _member(conn, member_id)
    if member["left_on"] is not None:
        raise MembershipError("member", f"{member['name']}已于{member['left_on']}"
                              f"{member['left_reason'] or '减少'}",
                              f"{member['name']} already left on {member['left_on']}")
    on = _date("left_on", on, today)
    if member["joined_on"] and on < member["joined_on"]:
        raise MembershipError("left_on", "减少日期早于加入日期",
                              "the date is before the person joined")
    return [Update("member", member_id, {"left_on": on, "left_reason": reason,
                                         "left_note": (note or "").strip() or None})]


def _relation_fits(person: Mapping[str, Any], relation: str | None, today: date) -> None:
    """Refuse a new relation ``roster.checks`` calls an error for this person."""
    for problem in checks.member_problems({**person, "relation": relation}, today,
                                          typed=("relation",)):
        if problem.field == "relation" and problem.severity == checks.ERROR:
            raise MembershipError("relation", f"{person['name']}：{problem.message}",
                                  f"{person['name']}: {problem.message_en}")


# -- 分户 ------------------------------------------------------------------------------

def next_household_code(conn: Connection, village_id: str) -> str:
    """A free 户编号 in the village: its highest numeric code plus one (same length)."""
    codes = [c for c, in conn.execute(select(Household.code).where(
        Household.village_id == village_id))]
    numeric = [c for c in codes if c.isdigit()]
    if not numeric:
        return ""
    top = max(numeric, key=lambda c: (len(c), c))
    return str(int(top) + 1).zfill(len(top))


def split_edits(conn: Connection, household_id: str, moved: Mapping[str, str],
                code: str, on: date | None, today: date,
                new_fields: Mapping[str, Any] | None = None) -> tuple[str, list[Edit]]:
    """分户: the members ``moved`` (id → their relation in the new household, one of them
    户主) leave ``household_id`` for a new household with 户编号 ``code``; returns the new
    household's id and the edits. The old household must keep at least one member."""
    source = _live_household(conn, household_id)
    on = _date("joined_on", on, today)
    code = (code or "").strip()
    if not code:
        raise MembershipError("code", "请填写新户的户编号", "give the new household's code")
    if conn.execute(select(func.count()).select_from(Household).where(
            Household.code == code)).scalar_one():
        raise MembershipError("code", f"户编号 {code} 已被使用", f"household code {code} is taken")
    people = {m["id"]: m for m in current_members(conn, household_id)}
    if not moved:
        raise MembershipError("members", "请选择分出去的成员", "choose the members who move")
    unknown = [m for m in moved if m not in people]
    if unknown:
        raise MembershipError("members", "所选成员不是这一户的现有成员",
                              "a chosen person is not a current member of the household")
    if len(moved) == len(people):
        raise MembershipError("members", "原户至少要留下一名成员",
                              "at least one member must stay in the old household")
    heads = [m for m, relation in moved.items() if relation == vocab.HEAD]
    if len(heads) != 1:
        raise MembershipError("relation", "新户要有且只有一名户主",
                              "the new household needs exactly one head")
    for member_id, relation in moved.items():
        _relation_fits(people[member_id], relation, today)
    fields = {"village_id": source["village_id"], "group_id": source["group_id"],
              "code": code, "address": source["address"], "hh_type": source["hh_type"],
              **(new_fields or {})}
    new = Insert("household", fields)
    edits: list[Edit] = [new]
    for member_id, relation in moved.items():
        edits.append(Update("member", member_id, {
            "household_id": new.id, "relation": relation,
            "joined_on": on, "joined_reason": SPLIT}))
    return new.id, edits


# -- 合户 ------------------------------------------------------------------------------

def merge_edits(conn: Connection, into: str, ended: str, relations: Mapping[str, str],
                on: date | None, today: date) -> list[Edit]:
    """合户: every current member of ``ended`` moves into ``into`` (a household of the
    same village) with the relation to its 户主 that ``relations`` gives (default: kept;
    nobody may come in as a second 户主, so a moving 户主 needs one); ``ended`` is marked
    deleted, so it stops being a live household."""
    if into == ended:
        raise MembershipError("household", "不能与本户合户", "cannot merge a household with itself")
    receiving = _live_household(conn, into)
    if _live_household(conn, ended)["village_id"] != receiving["village_id"]:
        raise MembershipError("household", "只能并入同一个村的农户",
                              "a household can only be merged into one of the same village")
    on = _date("joined_on", on, today)
    edits: list[Edit] = []
    for person in current_members(conn, ended):
        relation = relations.get(person["id"], person["relation"])
        if relation == vocab.HEAD:
            raise MembershipError("relation", f"{person['name']}不能做合入户的户主",
                                  f"{person['name']} cannot be the head of the joined household")
        _relation_fits(person, relation, today)
        edits.append(Update("member", person["id"], {
            "household_id": into, "relation": relation, "joined_on": on,
            "joined_reason": MERGED}))
    edits.append(Update("household", ended, {"deleted": True}))
    return edits


@dataclass(frozen=True, slots=True)
class MergeTarget:
    """A household another one may be merged into: what a cadre chooses it by."""

    id: str
    code: str
    head: str
    size: int


def merge_targets(conn: Connection, household_id: str) -> list[MergeTarget]:
    """The live households of ``household_id``'s village but itself, by 户编号, each with
    its 户主 (or first member) and size: the choices of the 合户 dialog."""
    village = _live_household(conn, household_id)["village_id"]
    head = func.max(case((Member.relation == vocab.HEAD, Member.name)))
    query = (select(Household.id, Household.code, func.coalesce(head, func.min(Member.name)),
                    func.count(Member.id))
             .outerjoin(Member, (Member.household_id == Household.id) & CURRENT)
             .where(Household.village_id == village, Household.deleted.is_(False),
                    Household.id != household_id)
             .group_by(Household.id).order_by(Household.code))
    return [MergeTarget(id_, code, name or "", size)
            for id_, code, name, size in conn.execute(query)]


# -- editing fields -------------------------------------------------------------------

def household_edit(conn: Connection, household_id: str, fields: Mapping[str, Any]) -> list[Edit]:
    """Edit a household's address, 帮扶责任人 (name, unit, phone), 户类型, 致贫原因 and
    备注; only the fields that differ are written. Refused, naming the field, on a bad
    phone, a 户类型 outside ``vocab.HOUSEHOLD_TYPES`` or a bank card number in the note
    (lengths are the store's to enforce). A county word kept as 户类型 by an import may
    stay as it is, but nobody types a new one."""
    current = _live_household(conn, household_id)
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise MembershipError(sorted(unknown)[0], "这一项不能在这里修改",
                              "this field cannot be edited here")
    changed = {k: _text(k, v) for k, v in fields.items()}
    if changed.get("helper_phone"):
        changed["helper_phone"] = checks.normalise_phone(changed["helper_phone"])
    changed = {k: v for k, v in changed.items() if v != current.get(k)}
    # checked once changed: a typo an import kept must not block editing the address
    problem = checks.phone_problem(changed.get("helper_phone"), "helper_phone")
    if problem:
        raise MembershipError("helper_phone", problem.message, problem.message_en)
    if "hh_type" in changed and changed["hh_type"] not in vocab.HOUSEHOLD_TYPES:
        raise MembershipError("hh_type", "户类型应为“脱贫户”或“一般农户”",
                              "the household type must be 脱贫户 or 一般农户")
    note = changed.get("note")
    if note and bank_card_in(note):
        raise MembershipError("note", *CARD_IN_NOTE)
    edits: list[Edit] = []
    if name := changed.get("helper_name"):  # another person: an assignment, the old one kept
        edits, _made = assignments.named_edits(
            conn, household_id, name, date.today(),
            unit=changed.get("helper_unit", current.get("helper_unit")),
            phone=changed.get("helper_phone", current.get("helper_phone")))
        changed = {k: v for k, v in changed.items() if not k.startswith("helper_")}
    return [*edits, Update("household", household_id, changed)] if changed else edits


def _text(field: str, value: Any) -> str | None:
    """A typed value as stored: trimmed, None when empty, one line unless multi-line."""
    text = (value or "").strip()
    if field not in _MULTILINE:
        text = " ".join(text.split())
    return text or None


def bank_card_in(text: str) -> bool:
    """Whether ``text`` holds what looks like a bank card number (a run of 16–19 digits,
    spaces or dashes between groups allowed, passing the Luhn check)."""
    folded = re.sub(r"(?<=\d)[ \-](?=\d)", "", text)
    return any(_luhn(run) for run in _CARD_RUN.findall(folded))


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def record(store: Store, build: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one of the ``*_edits`` builders against the store and write its edits in one
    transaction; returns what the builder returned besides the edits (a 分户's new id)."""
    with store.transaction() as tx:
        result = build(tx.conn, *args, **kwargs)
        edits: Sequence[Edit] = result[1] if isinstance(result, tuple) else result
        if edits:
            tx.write(list(edits))
    return result[0] if isinstance(result, tuple) else None
