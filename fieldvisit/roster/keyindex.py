"""Which households hold a key containing a needle, without looking at every household.

Search matches a needle against every search key (户编号, name, pinyin, initials, ID
number, phone). A county store has about 300,000 households and 5 million keys. An
n-gram posting index over them has some 40 million entries: building one in Python took
20 s on the 2-core machine, SQLite's FTS5 trigram table 16 s, too slow for a roster
loaded at every start. Even a dict of the 2 million distinct keys costs seconds there
(each insert a cache miss). So the index never loops over characters in Python, and
over keys only where keys repeat:

- ASCII keys (digits, pinyin, initials: almost all of them) are bit-sliced. A table's
  rows are keys padded to `WIDEST` characters; for each position and character it holds
  one bitmap (a Python int, bit r for row r) of the rows with that character there. A
  needle matches at offset o where the AND of its characters' bitmaps from o on is not
  zero, so a query is at most a few hundred big-int ANDs (microseconds each, in C) and
  the answer is exact. The bitmaps are cut from the table's columns with
  `bytes.translate` and `int(…, 2)`.
- Keys of a column that repeat (names, pinyin, initials) are made distinct first, a
  row holding the tuple of their households. Keys that hardly repeat (IDs, phones,
  户编号) get one row per household and slot (the key's place in the household's text),
  slot by slot, households numbered alike in every table and in descending order of
  their keys: slot s's rows are then households 0 to n_s - 1, with an empty row where a
  household has no key, so a few shifts and masks turn matching rows into a bitmap of
  household numbers (turning rows into ids one by one was most of a query's time).
  Households are turned into ids once, after the tables' bitmaps are ORed.
- Every other key (Chinese names, odd long values) has a posting list per character;
  the needle's rarest character gives candidates, checked by substring.

A row whose last household left stays, empty, until the caller rebuilds (`stale`); one
in the slots has its bits cleared. A key added later gets a row after the slots.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from itertools import accumulate, chain, compress, islice, repeat
from typing import cast

WIDEST = 24  # longer ASCII keys go to the per-character postings
# A table answers through one pass over all its rows rather than per matching row once
# more than one row in this many matches (both in C; the pass costs ~12 ns a row).
_DENSE = 8
_PLUS_ONE = (1).__add__
_FEW = 16
_BATCH = 10_000  # households split at once (a few MB of keys)
_PAD = "\0"
_FLAGS = bytes.maketrans(b"01", b"\x00\x01")
_LINES = bytes.maketrans(b"1", b"\n")


def _only(char: int) -> bytes:
    """A `bytes.translate` table writing b"1" for ``char`` and b"0" for any other byte."""
    table = bytearray(b"0" * 256)
    table[char] = ord("1")
    return bytes(table)


_ONLY = [_only(char) for char in range(128)]


def rows_of(bitmap: int) -> Iterator[int]:
    """The set bits of ``bitmap``, highest first, found in C: its binary text split at
    the ones gives the gaps between them (a Python loop per bit costs ten times more).
    A few bits are taken off the top one by one instead: the text costs ~1 ms a million
    rows."""
    if bitmap.bit_count() <= _FEW:
        return iter(_top_down(bitmap))
    width = bitmap.bit_length()
    gaps = format(bitmap, "b").split("1")[:-1]
    return map(width.__sub__, accumulate(map(_PLUS_ONE, map(len, gaps))))


def _top_down(bitmap: int) -> list[int]:
    rows = []
    while bitmap:
        row = bitmap.bit_length() - 1
        rows.append(row)
        bitmap ^= 1 << row
    return rows


def _bitmap(rows: Iterable[int], count: int) -> int:
    """The bitmap of ``rows`` (all below ``count``), set in a bytearray, parsed once."""
    flags = bytearray(b"0") * count
    for row in rows:
        flags[row] = ord("1")
    return int(flags[::-1], 2) if count else 0


def _fits(key: str) -> bool:
    """Whether a key goes to a bit-sliced table (NUL pads the rows: no key may hold it)."""
    return key.isascii() and len(key) <= WIDEST and _PAD not in key


class _Holders:
    """The households of each row: one id per row in a list, a tuple only for a row of a
    key that several households hold (initials, common names). Tuples, not sets: a
    county's 3 million shared holdings take a quarter of the memory."""

    def __init__(self) -> None:
        self.single: list[str | None] = []
        self.shared: dict[int, tuple[str, ...]] = {}
        self.stale = 0
        self.spread = 1.0  # households a row, on average: what a matching row costs

    def settle(self) -> None:
        """Measure `spread` once built (edits leave it: it only estimates)."""
        holdings = len(self.single) + sum(len(group) - 1 for group in self.shared.values())
        self.spread = holdings / len(self.single) if self.single else 1.0

    def __len__(self) -> int:
        return len(self.single)

    def append(self, holders: str | tuple[str, ...]) -> int:
        row = len(self.single)
        if isinstance(holders, str):
            self.single.append(holders)
        else:
            self.single.append(None)
            self.shared[row] = holders
        return row

    def holds(self, row: int, household: str) -> bool:
        group = self.shared.get(row)
        return household in group if group is not None else self.single[row] == household

    def add(self, row: int, household: str) -> bool:
        """Hold ``row`` for ``household`` too; True when the row became shared."""
        held = self.single[row]
        group = self.shared.get(row)
        if group is not None:
            if household not in group:
                self.shared[row] = (*group, household)
        elif held is None:
            self.single[row] = household
            self.stale -= 1
        elif held != household:
            self.single[row] = None
            self.shared[row] = (held, household)
            return True
        return False

    def drop(self, row: int, household: str) -> bool:
        """Let go of ``row`` for ``household``; True when the row stopped being shared."""
        group = self.shared.get(row)
        if group is None:
            if self.single[row] == household:
                self.single[row] = None
                self.stale += 1
            return False
        rest = tuple(held for held in group if held != household)
        if len(rest) > 1:
            self.shared[row] = rest
            return False
        del self.shared[row]
        self.single[row] = rest[0]
        return True

    def collect(self, rows: Iterable[int], into: set[str | None]) -> None:
        """Add the households of these rows to ``into`` (None for an empty row)."""
        for row in rows:
            group = self.shared.get(row)
            if group is not None:
                into.update(group)
            else:
                into.add(self.single[row])


class _Sliced:
    """ASCII keys padded to `WIDEST`, bit-sliced by position and character.

    ``distinct``: each key has one row (its holders a set when shared); otherwise a key
    has one row per household holding it, and may have several. ``widths``: the rows
    begin with slots of that many rows each, row r of a slot being household number r
    (see `KeyIndex.build`); rows after them (keys added since) name their household.
    """

    def __init__(self, padded: bytes, lengths: array[int], holders: _Holders,
                 distinct: bool, widths: list[int]) -> None:
        self.holders = holders
        holders.settle()
        self.lengths = lengths
        self.distinct = distinct
        self.masks = [(1 << width) - 1 for width in widths]
        self.region = sum(widths)
        self.slotted = (1 << self.region) - 1  # the slots' rows
        self.bits: list[dict[int, int]] = [{} for _ in range(WIDEST)]
        self.shared = _bitmap(holders.shared, len(holders))
        for position in range(WIDEST):
            column = padded[position::WIDEST]
            for char in set(column) - {0}:
                self.bits[position][char] = int(column.translate(_ONLY[char])[::-1], 2)

    def matching(self, needle: bytes) -> int:
        """Bitmap of the rows whose key contains ``needle``."""
        found = 0
        for offset in range(WIDEST - len(needle) + 1):
            rows = -1  # all ones
            for position, char in enumerate(needle, offset):
                rows &= self.bits[position].get(char, 0)
                if not rows:
                    break
            found |= rows
        return found

    def split(self, rows: int) -> tuple[int, int]:
        """(Bitmap of the household numbers of the slots' rows among ``rows``, the other
        rows): slot by slot, its rows masked off the bottom and shifted away."""
        slotted = rows & self.slotted
        others = rows ^ slotted
        households = 0
        for mask in self.masks:
            if not slotted:
                break
            households |= slotted & mask
            slotted >>= mask.bit_length()
        return households, others

    def collect(self, rows: int, into: set[str | None]) -> None:
        """Add the households of these rows (none in the slots) to ``into`` (None for an
        empty row)."""
        count = len(self.holders)
        if rows.bit_count() * _DENSE > count:
            flags = format(rows, f"0{count}b")[::-1].encode("ascii").translate(_FLAGS)
            into.update(compress(self.holders.single, flags))
        else:
            into.update(map(self.holders.single.__getitem__, rows_of(rows)))
        if rows & self.shared:
            self.holders.collect(rows_of(rows & self.shared), into)

    def rows_holding(self, key: bytes) -> list[int]:
        """The rows of exactly this key."""
        rows = -1
        for position, char in enumerate(key):
            rows &= self.bits[position].get(char, 0)
            if not rows:
                return []
        return [row for row in rows_of(rows) if self.lengths[row] == len(key)]

    def add(self, key: bytes, household: str) -> None:
        rows = self.rows_holding(key)
        if self.distinct and rows:
            if self.holders.add(rows[0], household):
                self.shared |= 1 << rows[0]
            return
        if any(self.holders.holds(row, household) for row in rows):
            return
        bit = 1 << self.holders.append(household)
        self.lengths.append(len(key))
        for position, char in enumerate(key):
            self.bits[position][char] = self.bits[position].get(char, 0) | bit

    def remove(self, key: bytes, household: str) -> None:
        for row in self.rows_holding(key):
            if row < self.region and self.holders.holds(row, household):
                bit = 1 << row  # a slot's row answers by its bits alone: clear them
                for position, char in enumerate(key):
                    self.bits[position][char] &= ~bit
            if self.holders.drop(row, household):
                self.shared &= ~(1 << row)


class _Postings:
    """Any other keys: a posting list of rows per character, candidates checked by `in`."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.holders = _Holders()
        self.row_of: dict[str, int] = {}
        self.chars: dict[str, array[int]] = {}

    def append(self, key: str, holders: str | tuple[str, ...]) -> None:
        if key in self.row_of:  # the same odd key in another column
            for household in (holders,) if isinstance(holders, str) else holders:
                self.add(key, household)
            return
        row = self.row_of[key] = self.holders.append(holders)
        self.keys.append(key)
        for char in set(key):
            self.chars.setdefault(char, array("I")).append(row)

    def add(self, key: str, household: str) -> None:
        row = self.row_of.get(key)
        if row is None:
            self.append(key, household)
        else:
            self.holders.add(row, household)

    def remove(self, key: str, household: str) -> None:
        row = self.row_of.get(key)
        if row is not None:
            self.holders.drop(row, household)

    def matching(self, needle: str) -> list[int]:
        postings = [self.chars.get(char) for char in set(needle)]
        if not postings or None in postings:
            return []
        shortest = min((rows for rows in postings if rows is not None), key=len)
        keys = self.keys
        return [row for row in shortest if needle in keys[row]]


class _Column:
    """One column's keys, taken a batch of households at a time, before its table is cut.

    Everything here runs per batch in C (`map`, `str.join`, `list.append` through `map`);
    Python only loops over distinct keys, or over a batch holding a key no table fits
    (non-ASCII or longer than `WIDEST`, rare outside the names column).
    """

    def __init__(self, distinct: bool) -> None:
        self.distinct = distinct
        # distinct: each key's holders in household order (lists: a set a key took 400 MB)
        self.groups: defaultdict[str, list[str]] = defaultdict(list)
        # otherwise, by slot: the keys padded, their lengths, their households
        self.slots: defaultdict[int, tuple[list[str], array[int], list[str | None]]] = \
            defaultdict(lambda: ([], array("B"), []))

    def take(self, slot: int, keys: list[str], holders: list[str], others: _Postings) -> None:
        """Keys at place ``slot`` of these households' texts ('' where none)."""
        if self.distinct:
            deque(map(list.append, map(self.groups.__getitem__, keys), holders), maxlen=0)
            return
        joined = "".join(keys)
        if not joined.isascii() or _PAD in joined or max(map(len, keys), default=0) > WIDEST:
            fit = list(map(_fits, keys))
            for key, household, fits in zip(keys, holders, fit, strict=True):
                if not fits:
                    others.add(key, household)
            keys = [key if fits else "" for key, fits in zip(keys, fit, strict=True)]
        padded, lengths, held = self.slots[slot]
        padded.append("".join(map(str.ljust, keys, repeat(WIDEST), repeat(_PAD))))
        lengths.extend(map(len, keys))
        held += holders

    def table(self, others: _Postings) -> _Sliced:
        holders = _Holders()
        if not self.distinct:
            slots = [self.slots.pop(slot) for slot in sorted(self.slots)]
            holders.single = list(chain.from_iterable(held for _, _, held in slots))
            lengths = array("B")
            for _, slot_lengths, _ in slots:
                lengths.extend(slot_lengths)
            padded = "".join(chain.from_iterable(pieces for pieces, _, _ in slots))
            widths = [len(held) for _, _, held in slots]
            del slots  # let the pieces go before the bitmaps are cut
            return _Sliced(padded.encode("ascii"), lengths, holders, False, widths)
        self.groups.pop("", None)
        keys = []
        for key, group in self.groups.items():
            unique = tuple(dict.fromkeys(group))  # a household holds a key once
            held = unique[0] if len(unique) == 1 else unique
            if _fits(key):
                keys.append(key)
                holders.append(held)
            else:
                others.append(key, held)
        padded = "".join(map(str.ljust, keys, repeat(WIDEST), repeat(_PAD)))
        return _Sliced(padded.encode("ascii"), array("B", map(len, keys)), holders, True, [])


class KeyIndex:
    """Search keys and the households holding them."""

    def __init__(self) -> None:
        self._tables: list[_Sliced] = []
        self._others = _Postings()
        # household ids from the highest number down, after a None: see `_named`
        self._by_place: list[str | None] = [None]

    @classmethod
    def build(cls, texts: Mapping[str, str], separator: str, stride: int,
              repeating: Collection[int]) -> KeyIndex:
        """Index each household's keys: its text split at ``separator`` ('' is no key).

        The split keys form ``stride`` columns (key i in column i % stride, since every
        member adds the same fields in the same order); the columns in ``repeating``
        hold keys many households share. Columns only keep alike keys together: the
        answers do not depend on them. Households are numbered by descending count of
        keys, so that the households having a key i are a prefix of the numbers: slot i
        of the other columns' tables.
        """
        index = cls()
        ids, values = list(texts), list(texts.values())
        counts = list(map(str.count, values, repeat(separator)))  # keys - 1
        order = sorted(range(len(ids)), key=counts.__getitem__, reverse=True)
        households = list(map(ids.__getitem__, order))
        index._by_place = [None, *reversed(households)]
        values = list(map(values.__getitem__, order))
        negated = list(map(int.__neg__, map(counts.__getitem__, order)))  # ascending
        del ids, counts, order
        pads = [[""] * missing for missing in range(1 - negated[0] if negated else 0)]
        columns = [_Column(column in repeating) for column in range(stride)]
        for start in range(0, len(values), _BATCH):
            # The batch's keys end to end, each household's padded to as many as its
            # first household has (the most), so that a slot is one slice. One list, not
            # one a household: thousands of live lists made the collector take seconds.
            widest = 1 - negated[start]
            keys: list[str] = []
            for text in values[start:start + _BATCH]:
                split = text.split(separator)
                keys += split
                keys += pads[widest - len(split)]
            holders = households[start:start + _BATCH]
            batch = negated[start:start + _BATCH]
            for slot in range(widest):
                having = bisect_right(batch, -slot)  # the batch's first households
                columns[slot % stride].take(slot, keys[slot::widest][:having],
                                            holders[:having], index._others)
        index._tables = [column.table(index._others) for column in columns]
        index._others.holders.settle()
        return index

    def add(self, key: str, household: str, column: int) -> None:
        if not key:
            return
        if _fits(key):
            self._tables[column].add(key.encode("ascii"), household)
        else:
            self._others.add(key, household)

    def remove(self, key: str, household: str, column: int) -> None:
        if not key:
            return
        if _fits(key):
            self._tables[column].remove(key.encode("ascii"), household)
        else:
            self._others.remove(key, household)

    @property
    def rows(self) -> int:
        return sum(len(table.holders) for table in self._tables) + len(self._others.holders)

    @property
    def stale(self) -> int:
        """Rows no household holds any more (left until a rebuild)."""
        return sum(table.holders.stale for table in self._tables) + self._others.holders.stale

    def holders(self, needle: str, most: int) -> set[str] | None:
        """Households with a key containing ``needle`` (non-empty, lower case, no spaces);
        None when the matching keys hold (by estimate) more than ``most`` households,
        for the caller to scan instead: gathering them would cost more than the scan."""
        found: list[tuple[_Sliced, int]] = []
        numbered = 0  # bitmap of household numbers
        matched = 0.0  # the other rows' households, by estimate
        if _fits(needle):
            encoded = needle.encode("ascii")
            for table in self._tables:
                households, rows = table.split(table.matching(encoded))
                numbered |= households
                if rows:
                    matched += rows.bit_count() * table.holders.spread
                    found.append((table, rows))
                if matched + numbered.bit_count() > most:
                    return None
        others = self._others.matching(needle)
        matched += numbered.bit_count() + len(others) * self._others.holders.spread
        if matched > most:
            return None
        result: set[str | None] = set()
        result.update(self._named(numbered))
        for table, rows in found:
            table.collect(rows, result)
        self._others.holders.collect(others, result)
        result.discard(None)
        return cast(set[str], result)

    def _named(self, households: int) -> Iterable[str | None]:
        """The ids of a bitmap of household numbers, in C: its binary text (highest
        number first) with the ones made line ends, split after each; the pieces' running
        lengths are places in `_by_place` (two stages fewer than `rows_of`'s: this is
        most of a large answer's time). Past a third of them, one `compress` over all;
        a few are taken off the top one by one."""
        count = len(self._by_place) - 1
        if households.bit_count() <= _FEW:  # not worth a text of all households
            return map(self._by_place.__getitem__, map(count.__sub__, _top_down(households)))
        text = format(households, f"0{count}b").encode("ascii")
        if households.bit_count() * 3 > count:
            return compress(islice(self._by_place, 1, None), text.translate(_FLAGS))
        lines = text.translate(_LINES).splitlines(keepends=True)
        if not lines[-1].endswith(b"\n"):
            lines.pop()  # the numbers below the lowest one wanted
        return map(self._by_place.__getitem__, accumulate(map(len, lines)))
