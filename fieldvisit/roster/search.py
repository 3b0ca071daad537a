"""Search as you type over the whole roster: name, full pinyin, initials, ID fragment,
phone and 户编号.

Each household becomes one lower-case text holding its members' keys, separated by a
character no query contains, so a query is a substring test per household: a plain scan
over 30,000 prepared texts answers in a few milliseconds, with no index to keep in step.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, func, select

from fieldvisit.store.models import Household, Member

_SEP = "\x1f"  # the ASCII unit separator: no query contains it


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
        """Recompute the texts of these households (all when None) from the store.

        The database joins each household's keys itself (SQLite's group_concat,
        PostgreSQL's string_agg): building the index for 100,000 persons stays a fraction
        of a second.
        """
        keys = Member.name + _SEP + Member.name_pinyin + _SEP + Member.name_initials + _SEP \
            + func.coalesce(Member.id_number, "") + _SEP + func.coalesce(Member.phone, "")
        joined = (func.string_agg(keys, _SEP) if conn.dialect.name == "postgresql"
                  else func.group_concat(keys, _SEP))
        query = (
            select(Household.id, Household.code, Household.deleted, joined)
            .outerjoin(Member, (Member.household_id == Household.id)
                       & Member.deleted.is_(False))
            .group_by(Household.id)
        )
        if household_ids is not None:
            query = query.where(Household.id.in_(list(household_ids)))
        for household_id, code, deleted, members in conn.execute(query):
            if deleted:
                self._texts.pop(household_id, None)
            else:
                self._texts[household_id] = f"{code}{_SEP}{members or ''}".lower()

    def matches(self, query: str) -> set[str]:
        """Ids of households with any key containing the query (case and spaces ignored)."""
        needle = "".join(query.split()).lower()
        if not needle:
            return set(self._texts)
        return {hid for hid, text in self._texts.items() if needle in text}
