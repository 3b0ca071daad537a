"""Villages by what a cadre types: a 12-digit code or a name; and fixing them by hand.

County files often give a village's name and no 统计用区划代码, so a village may have no
code yet (``code`` NULL). Every command that asks for a village therefore takes either,
through ``find``: one rule, so ``cards --village 前白庄村`` finds what ``villages`` lists.
An ambiguous name is an error listing the candidates, never a guess: printing or exporting
the wrong 前白庄村 is worse than asking.

``set_code``, ``rename`` and ``merge`` are ordinary edits through ``Store.write``, so they
are journaled and travel to the county like any other change. A merged village ends
(``deleted``) and gives up its code: an ended village holds none, so the code is free for
the village it merged into (which takes it when it has none).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from fieldvisit.errors import FieldVisitError
from fieldvisit.roster.membership import CURRENT
from fieldvisit.store import Changes, Edit, Store, Update
from fieldvisit.store.models import Household, Member, Township, VillageGroup
from fieldvisit.store.models import Village as VillageRow

VILLAGE_CODE = re.compile(r"\d{12}")
NO_CODE = "无代码"  # how a village without a code shows where its code would


@dataclass(frozen=True, slots=True)
class Village:
    """A live village as commands show it; ``code`` None is "no code yet"."""

    id: str
    code: str | None
    name: str
    township: str | None
    households: int = 0
    persons: int = 0

    @property
    def label(self) -> str:
        """Name, code (or 无代码) and township: enough to tell two 前白庄村 apart."""
        township = f" · {self.township}" if self.township else ""
        return f"{self.name}（{self.code or NO_CODE}）{township}"


class UnknownVillageError(FieldVisitError):
    """Asked for a village code or name that no village in the store has."""

    reason = "unknown-village"

    def __init__(self, text: str) -> None:
        if VILLAGE_CODE.fullmatch(text):
            super().__init__(f"没有村代码为 {text} 的行政村", f"no village with code {text}")
        else:
            super().__init__(f"没有名为“{text}”的行政村（可用 fieldvisit villages 查看）",
                             f"no village named '{text}' (fieldvisit villages lists them)")
        self.code = text


class VillageError(FieldVisitError):
    """A village name or code that cannot be used as asked (ambiguous, taken, invalid)."""

    def __init__(self, zh: str, en: str, reason: str) -> None:
        super().__init__(zh, en)
        self.reason = reason


def listing(conn: Connection) -> list[Village]:
    """Every live village with its live households and persons, by code then name
    (villages with no code yet last)."""
    households = dict(conn.execute(
        select(Household.village_id, func.count()).where(Household.deleted.is_(False))
        .group_by(Household.village_id)).all())
    persons = dict(conn.execute(
        select(Household.village_id, func.count())
        .join(Member, Member.household_id == Household.id)
        .where(Household.deleted.is_(False), CURRENT)
        .group_by(Household.village_id)).all())
    rows = conn.execute(
        select(VillageRow.id, VillageRow.code, VillageRow.name, Township.name)
        .outerjoin(Township, Township.id == VillageRow.township_id)
        .where(VillageRow.deleted.is_(False))
        .order_by(VillageRow.code.is_(None), VillageRow.code, VillageRow.name)).all()
    return [Village(id_, code, name, township, households.get(id_, 0), persons.get(id_, 0))
            for id_, code, name, township in rows]


def find(conn: Connection, text: str) -> Village:
    """The live village with this code or name; UnknownVillageError when none,
    VillageError (listing code and township of each) when the name fits several."""
    text = text.strip()
    by_code = bool(VILLAGE_CODE.fullmatch(text))
    found = [v for v in listing(conn) if (v.code if by_code else v.name) == text]
    if not found:
        raise UnknownVillageError(text)
    if len(found) > 1:
        names = "；".join(v.label for v in found)
        raise VillageError(f"有 {len(found)} 个行政村叫“{text}”：{names}；请改用村代码",
                           f"{len(found)} villages are named '{text}': {names}; "
                           "give the village code instead", "ambiguous-village")
    return found[0]


def with_code(conn: Connection, code: str) -> Village | None:
    """The live village holding this code, if any."""
    return next((v for v in listing(conn) if v.code == code), None)


def set_code(store: Store, village: str, code: str) -> Changes:
    """Give a village (code or name) its 12-digit 统计用区划代码."""
    with store.reading() as conn:
        target = find(conn, village)
        _check_code(conn, code, target)
    return store.write([Update("village", target.id, {"code": code})])


def rename(store: Store, village: str, new_name: str) -> Changes:
    """Rename a village; a name another village of its township holds is refused."""
    new_name = new_name.strip()
    if not new_name:
        raise VillageError("新村名不能为空", "the new name is empty", "empty-name")
    with store.reading() as conn:
        target = find(conn, village)
        if any(v.name == new_name and v.township == target.township and v.id != target.id
               for v in listing(conn)):
            raise VillageError(f"{target.township or ''}已有名为“{new_name}”的行政村；"
                               "如是同一个村，请用 villages merge 合并",
                               f"a village named '{new_name}' already exists there; "
                               "if it is the same village, merge them", "name-taken")
    return store.write([Update("village", target.id, {"name": new_name})])


def merge(store: Store, source: str, into: str) -> Changes:
    """Move every household and 村民小组 of ``source`` into ``into`` and end ``source``.

    A 村民小组 whose name ``into`` already has is ended too, its households joining the
    one of ``into`` (two 1组 in one village would split it). All in one write.
    """
    with store.reading() as conn:
        old, new = find(conn, source), find(conn, into)
        if old.id == new.id:
            raise VillageError(f"不能把“{old.name}”合并到它自己", f"cannot merge "
                               f"'{old.name}' into itself", "merge-into-itself")
        groups = _groups(conn, [old.id, new.id])
        homes = conn.execute(select(Household.id, Household.group_id)
                             .where(Household.village_id == old.id)).all()
    kept = {name: group_id for group_id, name in groups[new.id]}
    twin = {group_id: kept[name] for group_id, name in groups[old.id] if name in kept}
    edits: list[Edit] = [
        Update("village_group", group_id, {"deleted": True} if group_id in twin
               else {"village_id": new.id})
        for group_id, _ in groups[old.id]]
    edits += [Update("household", home_id, {"village_id": new.id,
                                           **({"group_id": twin[group]} if group in twin
                                              else {})})
              for home_id, group in homes]
    edits.append(Update("village", old.id, {"deleted": True, "code": None}))
    if old.code and not new.code:
        edits.append(Update("village", new.id, {"code": old.code}))
    return store.write(edits)


def _groups(conn: Connection, village_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for group_id, village_id, name in conn.execute(
            select(VillageGroup.id, VillageGroup.village_id, VillageGroup.name)
            .where(VillageGroup.village_id.in_(village_ids), VillageGroup.deleted.is_(False))):
        found[village_id].append((group_id, name))
    return found


def _check_code(conn: Connection, code: str, target: Village) -> None:
    if not VILLAGE_CODE.fullmatch(code):
        raise VillageError(f"村代码应为 12 位数字：{code}", f"a village code has 12 digits: "
                           f"{code}", "bad-village-code")
    holder = conn.execute(select(VillageRow.name).where(
        VillageRow.code == code, VillageRow.id != target.id)).scalar_one_or_none()
    if holder is not None:
        raise VillageError(f"村代码 {code} 已属于“{holder}”", f"the code {code} already "
                           f"belongs to '{holder}'", "village-code-taken")
