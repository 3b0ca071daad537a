"""The county's fast reading of a bundle gives the answers of the change-by-change one.

``Change.all_from_wire`` and ``foreign.check_all`` check a bundle's changes a column at a
time; ``Change.from_wire`` and ``foreign.check`` are the reference, one change at a time.
On valid bundles and on bundles with one bad value put anywhere, both must return the
same changes and values, or refuse with the same message.
"""

from __future__ import annotations

import random

import orjson
import pytest

from fieldvisit.store.foreign import check, check_all
from fieldvisit.store.ids import new_id
from fieldvisit.store.journal import Change, ChangeRejected


def wire_items(households: int, seed: int) -> list[list]:
    """A bundle's changes as the laptop sends them: a new member per household, then
    three household fields and a member's name and phone changed."""
    rng = random.Random(seed)
    items: list[list] = []
    for n in range(households):
        household, member = new_id(), new_id()

        def add(entity: str, entity_id: str, field: str | None, old: object,
                new: object) -> None:
            items.append([len(items) + 1, f"1764800000000-{len(items):05d}-dev1", "王干部",
                          entity, entity_id, field,
                          None if old is None else orjson.dumps(old).decode(),
                          orjson.dumps(new).decode()])

        add("member", member, None, None, {"household_id": household, "name": "李四",
                                           "relation": "子女", "id_number": None})
        add("household", household, "address", "旧址", f"{n % 9 + 1}组{rng.randint(1, 150)}号")
        add("household", household, "helper_name", None, rng.choice(["张三", "", "王五"]))
        add("household", household, "helper_phone", "138", f"139{n:08d}")
        add("member", member, "name", "李四", rng.choice(["李思", "李四四", "Li"]))
        add("visit", new_id(), "status", "draft", rng.choice(["draft", "completed"]))
    return items


# (where in the item, the bad value): each makes the reference refuse the change
BAD = [
    (0, True), (0, "7"), (1, "not-a-clock"), (2, "王\x01"), (2, "长" * 65), (3, "nothing"),
    (4, "bad id!"), (4, 7), (5, "Address"), (6, 5), (7, None), (7, "{"), (7, '"x\\u0007"'),
    (7, orjson.dumps("长" * 300).decode()), (7, '"finished"'), (7, "[1]"), (7, '""'),
]


def reference(items: list[list]) -> list[dict] | str:
    try:
        return [check(change) for change in map(Change.from_wire, items)]
    except ChangeRejected as error:
        return error.message


def fast(items: list[list]) -> list[dict] | str:
    try:
        return check_all(Change.all_from_wire(items))
    except ChangeRejected as error:
        return error.message


def test_a_valid_bundle_reads_the_same_both_ways():
    items = wire_items(200, seed=1)
    assert Change.all_from_wire(items) == [Change.from_wire(item) for item in items]
    expected = reference(items)
    assert isinstance(expected, list) and len(expected) == len(items)
    assert fast(items) == expected


@pytest.mark.parametrize(("where", "value"), BAD)
def test_a_bad_value_anywhere_is_refused_the_same_way(where, value):
    rng = random.Random(f"{where}{value!r}")
    refused = 0
    for _attempt in range(4):
        items = wire_items(30, seed=rng.randint(0, 1000))
        target = rng.randrange(len(items))
        if where == 7 and items[target][5] is None:
            target += 1  # a field change: an inserted row's JSON is checked as a whole
        items[target][where] = value
        expected = reference(items)
        assert fast(items) == expected
        refused += isinstance(expected, str)
    # the reference takes a seq of True (a bool is an int) and an empty or other text
    # where any text will do; everything else here is refused
    assert refused or (where, value) in ((0, True), (7, '""'), (7, '"finished"'))


def test_a_malformed_item_is_refused_the_same_way():
    items = wire_items(10, seed=3)
    for bad in ([1, 2, 3], "change", [*items[0], "extra"]):
        broken = [*items[:5], bad, *items[5:]]
        assert fast(broken) == reference(broken)
        assert isinstance(fast(broken), str)
