"""Search as you type over the whole roster: name, full pinyin, initials, ID fragment,
phone and 户编号.

Each household becomes one lower-case text holding its members' keys, separated by a
character no query contains, so a query is a substring test per household: a plain scan
over 30,000 prepared texts answers in a few milliseconds, with no index to keep in step.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from fieldvisit.store.models import Household, Member

_SEP = "\x00"


class SearchIndex:
    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._texts)

    @classmethod
    def build(cls, conn: Connection) -> SearchIndex:
        index = cls()
        index.refresh(conn)
        return index

    def refresh(self, conn: Connection, household_ids: Iterable[str] | None = None) -> None:
        """Recompute the texts of these households (all when None) from the store."""
        households = select(Household.id, Household.code, Household.deleted)
        people = select(
            Member.household_id, Member.name, Member.name_pinyin, Member.name_initials,
            Member.id_number, Member.phone,
        ).where(Member.deleted.is_(False))
        if household_ids is not None:
            wanted = list(household_ids)
            households = households.where(Household.id.in_(wanted))
            people = people.where(Member.household_id.in_(wanted))
        parts: dict[str, list[str]] = {}
        for h in conn.execute(households):
            if h.deleted:
                self._texts.pop(h.id, None)
            else:
                parts[h.id] = [h.code]
        for m in conn.execute(people):
            if m.household_id in parts:
                parts[m.household_id] += [m.name, m.name_pinyin, m.name_initials,
                                          m.id_number or "", m.phone or ""]
        for household_id, keys in parts.items():
            self._texts[household_id] = _SEP.join(keys).lower()

    def matches(self, query: str) -> set[str]:
        """Ids of households with any key containing the query (case and spaces ignored)."""
        needle = "".join(query.split()).lower()
        if not needle:
            return set(self._texts)
        return {hid for hid, text in self._texts.items() if needle in text}
