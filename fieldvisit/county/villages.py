"""Which village a row belongs to, following its parent links up to the village.

The county server needs this twice: to refuse a device's changes outside its village,
and to label every journal entry with its village (``scope``) so a return bundle and an
enrollment file hold exactly one village's data.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, func, select

from fieldvisit.store import Change
from fieldvisit.store.changes import by_ids, table_for
from fieldvisit.store.models import Village

# entity -> its parent links, tried in order (a photo hangs off a visit or a step).
PARENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "village_group": (("village", "village_id"),),
    "household": (("village", "village_id"),),
    "member": (("household", "household_id"),),
    "visit": (("household", "household_id"),),
    "problem": (("household", "household_id"),),
    "measure": (("household", "household_id"),),
    "visit_answer": (("visit", "visit_id"),),
    "problem_step": (("problem", "problem_id"),),
    "photo": (("visit", "visit_id"), ("problem_step", "problem_step_id")),
    "monitor_case": (("household", "household_id"),),
    "case_step": (("monitor_case", "case_id"),),
    "helper": (("village", "village_id"),),
    "helper_assignment": (("household", "household_id"),),
    "quality_dismissal": (("household", "household_id"),),
}
_HOPS = 6  # the most parent links followed from a row to its village
_LINKS = {entity: frozenset(link for _, link in links) for entity, links in PARENTS.items()}


class Villages:
    """Resolves (entity, id) to a village code, in bulk and remembered."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.parent: dict[tuple[str, str], tuple[str, str] | None] = {}
        self.codes: dict[str, str | None] = {}

    def learn(self, change: Change) -> None:
        """An inserted row's parent comes from its own values (it is not stored yet)."""
        if change.field is None and change.entity in PARENTS:
            values = json.loads(change.new or "{}")
            self.parent[(change.entity, change.entity_id)] = _parent_of(change.entity, values)
        elif change.field is not None and change.field in _LINKS.get(change.entity, ()):
            values = {change.field: json.loads(change.new or "null")}
            self.parent[(change.entity, change.entity_id)] = _parent_of(change.entity, values)

    def resolve(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        keys = list(dict.fromkeys(keys))
        self._load_parents(keys)
        return {key: self._village_code(key) for key in keys}

    def all_in(self, keys: Iterable[tuple[str, str]], code: str) -> bool:
        """Whether every key resolves to village ``code``, as ``resolve`` would say.

        A bundle's ten thousand rows sit in one village: the database is asked only for
        each level's distinct parents and how many rows it found, not for a row per key
        (``resolve``, half the time of a bundle's village check). False whenever any key
        might resolve elsewhere or not at all; the caller then asks ``resolve`` which."""
        frontier = set(keys)
        villages: set[str] = set()
        for _hop in range(_HOPS + 1):
            wanted: dict[str, list[str]] = defaultdict(list)
            parents: set[tuple[str, str]] = set()
            for key in frontier:
                if key[0] == "village":
                    villages.add(key[1])
                elif key in self.parent:
                    parent = self.parent[key]
                    if parent is None:
                        return False
                    parents.add(parent)
                elif key[0] in PARENTS:
                    wanted[key[0]].append(key[1])
                else:
                    return False
            for entity, ids in wanted.items():
                found = self._distinct_parents(entity, ids)
                if found is None:
                    return False
                parents |= found
            if not parents:
                break
            frontier = parents
        else:
            return False  # a chain longer than ``resolve`` follows
        unknown = [v for v in villages if v not in self.codes]
        for result in by_ids(self.conn, select(Village.id, Village.code), Village.id, unknown):
            self.codes.update(result.all())
        return all(self.codes.get(village) == code for village in villages)

    def _distinct_parents(self, entity: str, ids: list[str]) -> set[tuple[str, str]] | None:
        """The parents of these rows (None: a row is missing or has no parent)."""
        table = table_for(entity)
        links = [link for _, link in PARENTS[entity]]
        query = select(func.count(), *(table.c[link] for link in links)).group_by(
            *(table.c[link] for link in links))
        found, parents = 0, set()
        for result in by_ids(self.conn, query, table.c.id, ids):
            for count, *values in result:
                parent = _parent_of(entity, dict(zip(links, values, strict=True)))
                if parent is None:
                    return None
                found += count
                parents.add(parent)
        return parents if found == len(ids) else None

    def _village_code(self, key: tuple[str, str]) -> str | None:
        seen = 0
        while key[0] != "village":
            parent = self.parent.get(key)
            if parent is None or seen >= _HOPS:
                return None
            key, seen = parent, seen + 1
        return self.codes.get(key[1])

    def _load_parents(self, keys: list[tuple[str, str]]) -> None:
        """Fetch unknown parent links level by level (at most four levels deep)."""
        frontier = keys
        villages: set[str] = set()
        for _level in range(6):
            missing: dict[str, list[str]] = defaultdict(list)
            next_keys: list[tuple[str, str]] = []
            for key in frontier:
                if key[0] == "village":
                    villages.add(key[1])
                elif key not in self.parent and key[0] in PARENTS:
                    missing[key[0]].append(key[1])
                elif self.parent.get(key) is not None:
                    next_keys.append(self.parent[key])  # type: ignore[arg-type]
            for entity, ids in missing.items():
                self._fetch(entity, ids)
                next_keys += [p for i in ids if (p := self.parent.get((entity, i)))]
            if not next_keys:
                break
            frontier = next_keys
        unknown = [v for v in villages if v not in self.codes]
        for result in by_ids(self.conn, select(Village.id, Village.code), Village.id, unknown):
            self.codes.update(result.all())

    def _fetch(self, entity: str, ids: list[str]) -> None:
        table = table_for(entity)
        links = [link for _, link in PARENTS[entity]]
        query = select(table.c.id, *(table.c[link] for link in links))
        for result in by_ids(self.conn, query, table.c.id, ids):
            for row_id, *values in result:
                self.parent[(entity, row_id)] = _parent_of(entity, dict(zip(links, values,
                                                                            strict=True)))
        for i in ids:
            self.parent.setdefault((entity, i), None)


def _parent_of(entity: str, values: Any) -> tuple[str, str] | None:
    for parent, link in PARENTS[entity]:
        if values.get(link):
            return parent, values[link]
    return None


def village_rows(conn: Connection, village_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Every row that belongs to the village (and its township and county), parents
    first: what an enrollment file carries."""
    from fieldvisit.store.changes import PARENTS_FIRST

    def one(entity: str, row_id: str) -> dict[str, Any]:
        table = table_for(entity)
        return dict(conn.execute(select(table).where(table.c.id == row_id)).mappings().one())

    village = one("village", village_id)
    out: list[tuple[str, dict[str, Any]]] = []
    if village["township_id"]:
        township = one("township", village["township_id"])
        if township["county_id"]:
            out.append(("county", one("county", township["county_id"])))
        out.append(("township", dict(township)))
    out.append(("village", dict(village)))
    included: dict[str, set[str]] = {"village": {village_id}}
    for entity in PARENTS_FIRST:
        if entity not in PARENTS:
            continue
        table = table_for(entity)
        ids: set[str] = set()
        for parent, link in PARENTS[entity]:
            parents = sorted(included.get(parent, ()))
            for result in by_ids(conn, select(table), table.c[link], parents):
                for row in result.mappings():
                    if row["id"] not in ids:
                        ids.add(row["id"])
                        out.append((entity, dict(row)))
        included[entity] = ids
    return out
