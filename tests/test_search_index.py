"""The key index (county-sized search) answers exactly what the plain scan answers.

Generated rosters mix every kind of key the index splits on: digits and pinyin (bit-sliced
tables), Chinese names and characters outside the BMP (per-character postings), keys
longer than a table is wide, empty phones, keys repeated within and across households,
and households whose keys do not fall into the five columns. Each is searched after the
build and again after edits made key by key, and compared with the scan and a rebuild.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from fieldvisit.roster import search
from fieldvisit.roster.keyindex import WIDEST, KeyIndex, rows_of
from fieldvisit.roster.search import SearchIndex
from fieldvisit.store import Insert, Update
from fieldvisit.store.models import Household, Member

SEP = "\x1f"
ALPHABET = "0123456789x" + "aghinwz" + "王李芳明䶮" + "𠀀ß-\0"  # NUL pads the tables' rows
keys = st.text(ALPHABET, max_size=WIDEST + 6)
short_keys = (st.text("0123x", max_size=4) | st.text("王芳", max_size=3)
              | st.text("wang", max_size=5))
edge_keys = st.text("0123x", min_size=WIDEST - 1, max_size=WIDEST + 1)  # as wide as a table


@st.composite
def texts(draw: st.DrawFn) -> str:
    """A household text as the store joins it: 户编号, then five keys a member (or, now
    and then, a ragged number of keys)."""
    part = st.one_of(keys, short_keys, edge_keys)
    if draw(st.booleans()):
        members = draw(st.integers(0, 4))
        return SEP.join(draw(st.lists(part, min_size=1 + 5 * members, max_size=1 + 5 * members)))
    return SEP.join(draw(st.lists(part, min_size=1, max_size=12)))


rosters = st.dictionaries(st.sampled_from([f"h{n}" for n in range(40)]), texts(), max_size=25)


def needles_of(roster: dict[str, str], draw: st.DrawFn) -> list[str]:
    found = [key for text in roster.values() for key in text.split(SEP) if key]
    picked = []
    for key in draw(st.lists(st.sampled_from(found), max_size=8)) if found else []:
        start = draw(st.integers(0, len(key) - 1))
        picked.append(key[start:draw(st.integers(start + 1, len(key)))])
        picked.append(key[-start - 1:])  # the end of a key, where a table's last offset is
    return picked + draw(st.lists(st.text(ALPHABET, min_size=1, max_size=5), max_size=4))


def plain(roster: dict[str, str], needle: str) -> set[str]:
    return {household for household, text in roster.items() if needle in text}


def indexed(roster: dict[str, str]) -> SearchIndex:
    index = SearchIndex(index_from=0)
    index.take(roster, whole=True)
    assert index.indexed
    return index


def test_rows_of_lists_every_set_bit():
    rng = random.Random(5)
    for _ in range(500):
        rows = set(rng.sample(range(3000), rng.randint(0, 200)))
        assert sorted(rows_of(sum(1 << row for row in rows))) == sorted(rows)


@given(st.data(), rosters)
@settings(max_examples=150, deadline=None)
def test_key_index_finds_what_the_scan_finds(data, roster):
    index = KeyIndex.build(roster, SEP, 5, (1, 2, 3))
    for needle in needles_of(roster, data.draw):
        assert index.holders(needle, most=10**9) == plain(roster, needle), needle


@given(st.data(), rosters)
@settings(max_examples=100, deadline=None)
def test_search_index_equals_the_scan(data, roster):
    index = indexed(roster)
    for needle in needles_of(roster, data.draw):
        for query in (needle, needle.upper(), " ".join(needle)):
            normal = "".join(query.split()).lower()
            assert index.matches(query) == index.scan(query) == plain(roster, normal), query


@pytest.mark.parametrize("rebuild_from", [search.REBUILD_FROM, 3])
@given(data=st.data(), roster=rosters,
       edits=st.lists(st.tuples(st.sampled_from([f"h{n}" for n in range(45)]),
                                st.none() | texts()), max_size=12))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_edits_key_by_key_equal_a_rebuild(monkeypatch, rebuild_from, data, roster, edits):
    """Households renamed, emptied, deleted and added, one refresh at a time and in
    batches (a batch over REBUILD_FROM rebuilds; stale rows rebuild past a quarter)."""
    monkeypatch.setattr(search, "REBUILD_FROM", rebuild_from)
    index = indexed(roster)
    final = dict(roster)
    batch: dict[str, str | None] = {}
    for household, text in edits:
        batch[household] = text
        if text is None:
            final.pop(household, None)
        else:
            final[household] = text
        if data.draw(st.booleans()):
            index.take(batch)
            batch = {}
    index.take(batch)
    fresh = indexed(final)
    assert len(index) == len(final)
    for needle in needles_of(final, data.draw) + needles_of(roster, data.draw):
        assert index.matches(needle) == fresh.matches(needle) == plain(final, needle), needle


def test_a_small_store_scans_and_a_large_one_indexes(demo_store):
    with demo_store.reading() as conn:
        assert not SearchIndex.build(conn).indexed
        assert SearchIndex.build(conn, index_from=60).indexed
        assert not SearchIndex.build(conn, index_from=61).indexed


@pytest.fixture
def both(demo_store):
    with demo_store.reading() as conn:
        return SearchIndex.build(conn, index_from=0), SearchIndex.build(conn)


def member_keys(store) -> list[str]:
    with store.reading() as conn:
        rows = conn.execute(select(Member.name, Member.name_pinyin, Member.name_initials,
                                   Member.id_number, Member.phone)).all()
        codes = conn.execute(select(Household.code)).scalars().all()
    return [key for row in rows for key in row if key] + list(codes)


@given(data=st.data())
@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_demo_village_indexed_equals_scanned(demo_store, both, data):
    indexed_, scanned = both
    key = data.draw(st.sampled_from(member_keys(demo_store)))
    start = data.draw(st.integers(0, len(key) - 1))
    needle = key[start:data.draw(st.integers(start + 1, len(key)))]
    for query in (needle, needle.upper(), f" {needle} "):
        assert indexed_.matches(query) == scanned.matches(query)


def test_store_edits_refreshed_into_the_index_equal_the_scan(demo_store, both):
    """Members renamed, re-phoned, given an ID, removed; a household deleted and one
    added: refreshed household by household like the main window does."""
    indexed_, _ = both
    rng = random.Random(15)
    with demo_store.reading() as conn:
        members = conn.execute(select(Member.id, Member.household_id)).all()
        village, group = conn.execute(select(Household.village_id, Household.group_id)).first()
    for step in range(40):
        member, home = rng.choice(members)
        kind = step % 5
        if kind == 0:
            edits = [Update("member", member, {"name": rng.choice(["欧阳娜娜", "覃䶮", "李明"])})]
        elif kind == 1:
            edits = [Update("member", member, {"phone": f"139{rng.randrange(10**8):08d}"})]
        elif kind == 2:
            edits = [Update("member", member, {"deleted": True})]
        elif kind == 3:
            edits = [Update("household", home, {"deleted": True})]
        else:
            household = Insert("household", {"village_id": village, "group_id": group,
                                             "hh_type": "一般户",
                                             "code": f"522727100200{900000 + step}"})
            edits = [household, Insert("member", {"household_id": household.id,
                                                  "name": "王芳", "phone": "13600001111"})]
            home = household.id
        demo_store.write(edits)
        with demo_store.reading() as conn:
            indexed_.refresh(conn, [home])
    with demo_store.reading() as conn:
        rebuilt = SearchIndex.build(conn)
    for key in [*member_keys(demo_store), "王芳", "1360000", "wf", "ouyang", "䶮", "9"]:
        assert indexed_.matches(key) == rebuilt.matches(key), key


def test_a_key_index_built_later_answers_the_same(demo_store):
    """The app's start: texts first (queries scan), the key index built off the UI thread
    from a copy, adopted unless a text changed meanwhile, then kept in step."""
    with demo_store.reading() as conn:
        deferred = SearchIndex.build(conn, index_from=60, keys=False)
        scanned = SearchIndex.build(conn)
    assert deferred.keys_pending and not deferred.indexed
    needles = member_keys(demo_store)[:200:7]
    assert all(deferred.matches(n) == scanned.matches(n) for n in needles)

    stale = deferred.key_builder()
    with demo_store.reading() as conn:
        member, home = conn.execute(select(Member.id, Member.household_id)).first()
    demo_store.write([Update("member", member, {"name": "覃䶮"})])
    with demo_store.reading() as conn:
        deferred.refresh(conn, [home])
        scanned.refresh(conn, [home])
    assert not deferred.adopt(stale())  # built before the rename: built again
    assert deferred.keys_pending and deferred.matches("覃䶮") == {home}

    assert deferred.adopt(deferred.key_builder()())
    assert deferred.indexed and not deferred.keys_pending
    demo_store.write([Update("member", member, {"name": "欧阳娜娜"})])
    with demo_store.reading() as conn:
        deferred.refresh(conn, [home])
        scanned.refresh(conn, [home])
    for needle in [*needles, "覃䶮", "欧阳", "oyn"]:
        assert deferred.matches(needle) == scanned.matches(needle), needle
