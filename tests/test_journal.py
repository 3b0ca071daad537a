"""The journal is complete: replaying it into an empty store rebuilds every row exactly.

Sync will ship journal entries between laptops, so anything a write changes without
journaling it would silently never reach the county server.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select

from fieldvisit import demo
from fieldvisit.names import pinyin_keys
from fieldvisit.roster import vocab
from fieldvisit.store import Insert, Store, Update
from fieldvisit.store.changes import replay
from fieldvisit.store.clock import Timestamp
from fieldvisit.store.models import SYNCED_TABLES, JournalEntry

JOURNAL = JournalEntry.__table__
DEMO_DAY = date(2026, 11, 1)
NAMES = ("王㛃", "李䶮", "欧阳娜娜", "韦德明", "覃秀兰", "吴桂珍", "石文丹", "王德·明", "张三")
ACTORS = ("测试员", "第一书记", "帮扶人韦德明", "county-import")


def snapshot(store: Store) -> dict[str, list[dict]]:
    with store.reading() as conn:
        return {
            name: [dict(r) for r in conn.execute(
                select(model.__table__).order_by(model.__table__.c.id)).mappings()]
            for name, model in SYNCED_TABLES.items()
        }


def entries(store: Store) -> list:
    with store.reading() as conn:
        return conn.execute(select(JOURNAL).order_by(JOURNAL.c.seq)).all()


def replayed(store: Store, tmp_path) -> Store:
    fresh = Store.open(tmp_path / "replayed.sqlite", actor="nobody")
    with fresh.engine.begin() as conn:
        replay(conn, entries(store))
    return fresh


def random_member_change(rng: random.Random) -> dict:
    choices = [
        lambda: {"name": rng.choice(NAMES)},
        lambda: {"phone": rng.choice(("", None, f"13{rng.randint(0, 999_999_999):09d}"))},
        lambda: {"health": rng.choice((*vocab.HEALTH, None))},
        lambda: {"birth_date": rng.choice(
            (date(1950, 1, 1) + timedelta(days=rng.randint(0, 25_000)), "1988-08-08", None))},
        lambda: {"resident_insurance": rng.choice((True, False, None)),
                 "serious_illness_insurance": rng.choice((True, False))},
        lambda: {"schooling": rng.choice(vocab.SCHOOLING), "labour_skill": "无劳动力"},
        lambda: {"deleted": rng.choice((True, False))},
        lambda: {"relation": rng.choice(vocab.RELATIONS), "name": rng.choice(NAMES)},
    ]
    return rng.choice(choices)()


def random_household_change(rng: random.Random) -> dict:
    choices = [
        lambda: {"hh_type": rng.choice(vocab.HOUSEHOLD_TYPES)},
        lambda: {"risk_types": vocab.RISK_SEPARATOR.join(rng.sample(vocab.RISK_TYPES,
                                                                    rng.randint(1, 4))),
                 "identified_on": DEMO_DAY - timedelta(days=rng.randint(1, 500)),
                 "risk_eliminated": False},
        lambda: {"risk_eliminated": True, "risk_eliminated_on": "2026-10-01"},
        lambda: {"helper_name": rng.choice(NAMES), "helper_phone": "13800000000"},
        lambda: {"address": rng.choice(("", "3组7号", None))},
        lambda: {"deleted": rng.choice((True, False))},
    ]
    return rng.choice(choices)()


def random_history(store: Store, seed: int, writes: int = 25) -> None:
    """A demo village, then a day of edits: inserts, updates, soft deletes, undeletes."""
    demo.populate(store, households=12, seed=seed, today=DEMO_DAY)
    rng = random.Random(seed)
    with store.reading() as conn:
        households = list(conn.scalars(select(SYNCED_TABLES["household"].id)))
        members = list(conn.scalars(select(SYNCED_TABLES["member"].id)))
        village = conn.scalars(select(SYNCED_TABLES["village"].id)).first()
        groups = list(conn.scalars(select(SYNCED_TABLES["village_group"].id)))
    for n in range(writes):
        edits: list = []
        for member_id in rng.sample(members, rng.randint(1, 6)):
            edits.append(Update("member", member_id, random_member_change(rng)))
        for household_id in rng.sample(households, rng.randint(0, 3)):
            edits.append(Update("household", household_id, random_household_change(rng)))
        if rng.random() < 0.3:
            edits.append(Update("village_group", rng.choice(groups),
                                {"name": f"{rng.randint(1, 12)}组"}))
        if rng.random() < 0.3:
            household = Insert("household", {"village_id": village, "hh_type": "一般农户",
                                             "group_id": rng.choice(groups),
                                             "code": f"NEW{seed:03d}{n:04d}"})
            newborn = Insert("member", {"household_id": household.id,
                                        "name": rng.choice(NAMES), "relation": "户主",
                                        "birth_date": "1977-07-07", "deleted": False})
            edits += [household, newborn]
            households.append(household.id)
            members.append(newborn.id)
        store.write(edits, actor=rng.choice(ACTORS))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_replaying_the_journal_rebuilds_every_row(store, tmp_path, seed):
    random_history(store, seed)
    original = snapshot(store)
    assert any(r["deleted"] for r in original["member"])  # the history did soft-delete
    assert len({r["changed_by"] for r in original["member"]}) > 2
    copy = replayed(store, tmp_path)
    try:
        rebuilt = snapshot(copy)
    finally:
        copy.close()
    for table, rows in original.items():
        assert len(rebuilt[table]) == len(rows), table
        for before, after in zip(rows, rebuilt[table], strict=True):
            assert after == before, table


def test_replay_rebuilds_derived_search_keys(store, tmp_path):
    random_history(store, seed=9, writes=10)
    copy = replayed(store, tmp_path)
    try:
        members = snapshot(copy)["member"]
    finally:
        copy.close()
    keys = {(m["name"], m["name_pinyin"], m["name_initials"]) for m in members}
    assert {("王㛃", "wangjie", "wj"), ("李䶮", "liyan", "ly")} <= keys  # both in the history
    assert all((m["name_pinyin"], m["name_initials"]) == pinyin_keys(m["name"])
               for m in members)


def test_journal_clock_follows_sequence_and_each_write_has_one_stamp(store):
    random_history(store, seed=6, writes=15)
    journal = entries(store)
    stamps = [Timestamp.parse(e.clock) for e in journal]
    assert all(a <= b for a, b in pairwise(stamps))
    # one demo write plus fifteen edit writes, each a single atomic change
    assert len(set(stamps)) == 16
    assert {e.actor for e in journal} - {"演示数据"} <= set(ACTORS)


def test_journal_old_values_chain(store):
    """Each field entry's old value is the previous entry's new value for that field."""
    random_history(store, seed=8, writes=30)
    last_seen: dict[tuple[str, str, str], str] = {}
    for entry in entries(store):
        if entry.field is None:
            for name, value in json.loads(entry.new).items():
                last_seen[(entry.entity, entry.entity_id, name)] = json.dumps(value)
            continue
        key = (entry.entity, entry.entity_id, entry.field)
        if key in last_seen:
            assert json.loads(entry.old) == json.loads(last_seen[key]), key
        else:  # never set: it started as NULL
            assert json.loads(entry.old) is None, key
        assert entry.old != entry.new
        last_seen[key] = entry.new


def test_replay_matches_when_one_write_updates_a_row_several_times(store, tmp_path):
    demo.populate(store, households=3, seed=1, today=DEMO_DAY)
    with store.reading() as conn:
        member_id = conn.scalars(select(SYNCED_TABLES["member"].id)).first()
    store.write([
        Update("member", member_id, {"name": "甲"}),
        Update("member", member_id, {"name": "乙", "phone": "13900000000"}),
        Update("member", member_id, {"name": "丙"}),
    ])
    copy = replayed(store, tmp_path)
    try:
        assert snapshot(copy) == snapshot(store)
    finally:
        copy.close()
