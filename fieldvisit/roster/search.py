"""Search as you type over the whole roster: name, full pinyin, initials, ID fragment,
phone and 户编号.

Each household becomes one lower-case text holding its members' keys, separated by a
character no query contains, so a query is a substring test per household. A plain scan
over 30,000 prepared texts answers in a few milliseconds, but over a county's 300,000
in about 100 ms; from `INDEX_FROM` households on, a `KeyIndex` over the same keys
answers instead (a few ms), kept in step by `refresh` with each change the store reports.
The app builds that index after the roster shows (`build(…, keys=False)`, then
`key_builder` in a worker and `adopt`): 6–15 s at 300,000 households, during which
queries scan and answer the same.
The index only ever gives the scan's answer faster: a needle matches a text exactly when
it lies inside one of the text's keys, since no needle holds the separator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import Connection, func, select

from fieldvisit.roster.keyindex import KeyIndex
from fieldvisit.store.models import Household, Member

_SEP = "\x1f"  # the ASCII unit separator: str.split() takes it for a space, so no query has it

# Below this many households the scan is fast enough (under ~15 ms at p95) and the index
# would only lengthen the start (about 0.3 s more at 30,000 households).
INDEX_FROM = 50_000
# A refresh of more households than this rebuilds the index instead of editing it key by
# key (about 7 ms a household whose name, ID and phone changed, on the county store; a
# rebuild takes seconds).
REBUILD_FROM = 500


# A text is 户编号 then five keys a member: name, pinyin, initials, ID number, phone. The key
# index keeps each of the five columns (户编号 with the phones) in a table of its own, and
# makes the keys of the columns many households share (names, pinyin, initials) distinct.
_STRIDE = 5
_REPEATING = (1, 2, 3)


def _keys(text: str | None) -> set[tuple[int, str]]:
    """The text's keys with their columns (what the key index holds of it)."""
    if text is None:
        return set()
    return {(number % _STRIDE, key) for number, key in enumerate(text.split(_SEP))}


# What a key index built off the UI thread hands back: the texts' generation it was built
# from, and the index (None: the roster is too small to want one).
BuiltKeys = tuple[int, KeyIndex | None]


class SearchIndex:
    def __init__(self, index_from: int = INDEX_FROM) -> None:
        self._texts: dict[str, str] = {}
        self._index_from = index_from
        self._keys: KeyIndex | None = None
        self._deferred = False  # the key index is left to key_builder / adopt
        self._generation = 0  # counts the takes that changed a text

    def __len__(self) -> int:
        return len(self._texts)

    @property
    def indexed(self) -> bool:
        """Whether queries go to the key index (else they scan)."""
        return self._keys is not None

    @classmethod
    def build(cls, conn: Connection, index_from: int = INDEX_FROM, *,
              keys: bool = True) -> SearchIndex:
        """The roster's texts and, unless ``keys`` is False, its key index. Without, the
        index scans until ``adopt`` is given what ``key_builder`` built: the app shows
        the roster first and builds the index in a worker."""
        index = cls(index_from)
        index._deferred = not keys
        index.refresh(conn)
        return index

    @property
    def keys_pending(self) -> bool:
        """Whether the roster is large enough for a key index that is left to build."""
        return self._deferred and len(self._texts) >= self._index_from

    def key_builder(self) -> Callable[[], BuiltKeys]:
        """The key index's build from the texts as they are now (a copy), to run off the
        UI thread while the texts go on changing; hand its result to ``adopt``."""
        texts, generation, index_from = dict(self._texts), self._generation, self._index_from

        def build() -> BuiltKeys:
            if len(texts) < index_from:
                return generation, None
            return generation, KeyIndex.build(texts, _SEP, _STRIDE, _REPEATING)

        return build

    def adopt(self, built: BuiltKeys) -> bool:
        """Take the index ``key_builder``'s function built, unless a text changed since it
        copied them (False: build again); from then on the index follows every change."""
        generation, keys = built
        if generation != self._generation:
            return False
        self._keys, self._deferred = keys, False
        return True

    def refresh(self, conn: Connection, household_ids: Iterable[str] | None = None) -> None:
        """Recompute the texts of these households (all when None) from the store, and
        the index's keys of those whose text changed.

        The database joins each household's keys itself (SQLite's group_concat,
        PostgreSQL's string_agg): building the texts for 100,000 persons stays a fraction
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
            household_ids = list(household_ids)
            query = query.where(Household.id.in_(household_ids))
        self.take({household_id: None if deleted else f"{code}{_SEP}{members or ''}".lower()
                   for household_id, code, deleted, members in conn.execute(query)},
                  whole=household_ids is None)

    def take(self, texts: Mapping[str, str | None], whole: bool = False) -> None:
        """Set these households' texts (None: the household is gone) and bring the key
        index in step: rebuilt when ``whole`` (all households), after a large change or
        once a quarter of its rows are stale; else edited key by key."""
        keys = None if whole else self._keys
        changed: dict[str, tuple[str | None, str | None]] = {}  # id: (old text, new text)
        for household, new in texts.items():
            old = self._texts.pop(household, None) if new is None \
                else self._texts.get(household)
            if new is not None:
                self._texts[household] = new
            if old != new:
                self._generation += 1
                if keys is not None:
                    changed[household] = (old, new)
        if len(self._texts) < self._index_from:
            self._keys = None
        elif self._deferred:
            pass  # key_builder's index comes later; queries scan meanwhile
        elif keys is None or len(changed) > REBUILD_FROM:
            self._rebuild()
        else:
            for household, (old, new) in changed.items():
                before, after = _keys(old), _keys(new)
                for column, key in before - after:
                    keys.remove(key, household, column)
                for column, key in after - before:
                    keys.add(key, household, column)
            if keys.stale * 4 > keys.rows:
                self._rebuild()

    def _rebuild(self) -> None:
        self._keys = None  # let the old index go before the new one is built
        self._keys = KeyIndex.build(self._texts, _SEP, _STRIDE, _REPEATING)

    def matches(self, query: str) -> set[str]:
        """Ids of households with any key containing the query (case and spaces ignored)."""
        needle = "".join(query.split()).lower()
        if not needle:
            return set(self._texts)
        if self._keys is not None:
            found = self._keys.holders(needle, most=len(self._texts))
            if found is not None:
                return found
        return self._scan(needle)

    def scan(self, query: str) -> set[str]:
        """`matches` by the plain scan, whatever the size: what the index must equal."""
        needle = "".join(query.split()).lower()
        return self._scan(needle) if needle else set(self._texts)

    def _scan(self, needle: str) -> set[str]:
        return {hid for hid, text in self._texts.items() if needle in text}
