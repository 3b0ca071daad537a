"""The county's fast reading of a bundle gives the answers of the change-by-change one.

``Change.all_from_wire`` and ``foreign.check_all`` check a bundle's changes a column at a
time; ``Change.from_wire`` and ``foreign.check`` are the reference, one change at a time.
On valid bundles and on bundles with one bad value put anywhere, both must return the
same changes and values, or refuse with the same message. The bundle's village check is
asked once for the whole bundle (``Villages.all_in``); ``Villages.resolve``, row by row,
is its reference.
"""

from __future__ import annotations

import random

import orjson
import pytest
from conftest import needs_postgres
from sqlalchemy import select

from fieldvisit.county.villages import PARENTS, Villages
from fieldvisit.store import Insert
from fieldvisit.store.changes import table_for
from fieldvisit.store.foreign import check, check_all
from fieldvisit.store.ids import new_id
from fieldvisit.store.journal import Change, ChangeRejected
from fieldvisit.store.models import Village
from tests.sync_parties import VILLAGE, make_county


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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def any_county(request, tmp_path):
    """The demo county on SQLite and on PostgreSQL (ids are looked up differently)."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    opened = make_county(tmp_path / "county", database_url=url)
    yield opened
    opened.close()


def test_the_whole_bundle_village_check_agrees_with_row_by_row(any_county):
    """``Villages.all_in`` (the ingest's one question for a whole bundle) says yes exactly
    when ``Villages.resolve`` gives the device's village for every row: rows of every kind
    here and in a neighbouring village, missing rows, rows without a village, rows whose
    parent the bundle itself sets (inserted, or moved)."""
    county = any_county
    with county.store.reading() as conn:
        home = conn.execute(select(Village.id, Village.township_id).where(
            Village.code == VILLAGE)).one()
    other = Insert("village", {"township_id": home.township_id, "code": "522727100299",
                               "name": "邻村"})
    away = Insert("household", {"village_id": other.id, "code": "X-1"})
    county.store.write([other, away, Insert("member", {"household_id": away.id,
                                                       "name": "赵六"})])
    pool: list[tuple[str, str]] = [("village", home.id), ("village", other.id),
                                   ("township", home.township_id), ("household", new_id()),
                                   ("member", new_id()), ("household", "null")]
    with county.store.reading() as conn:
        for entity in PARENTS:
            table = table_for(entity)
            pool += [(entity, i) for i in conn.execute(select(table.c.id).limit(4)).scalars()]
    households = [i for entity, i in pool if entity == "household"]
    rng = random.Random(5)
    answers = set()
    for _attempt in range(300):
        keys = rng.sample(pool, rng.randint(1, 8))
        learned = []
        for _ in range(rng.randint(0, 2)):
            parent = rng.choice(households)
            if rng.random() < 0.5:
                learned.append(Change(1, "1764800000000-00000-x", "甲", "member", new_id(),
                                      None, None, orjson.dumps({"household_id": parent,
                                                                "name": "孙七"}).decode()))
            else:
                learned.append(Change(1, "1764800000000-00000-x", "甲", "member",
                                      rng.choice(pool)[1], "household_id", None,
                                      orjson.dumps(parent).decode()))
        keys += [(c.entity, c.entity_id) for c in learned]
        with county.store.reading() as conn:
            whole, by_row = Villages(conn), Villages(conn)
            for change in learned:
                whole.learn(change)
                by_row.learn(change)
            expected = all(code == VILLAGE for code in by_row.resolve(keys).values())
            assert whole.all_in(keys, VILLAGE) == expected, (keys, learned)
        answers.add(expected)
    assert answers == {True, False}
