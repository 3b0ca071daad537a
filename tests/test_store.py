"""The local store: file setup, data folder, device id, clock, and the one write path."""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from datetime import date
from itertools import pairwise

import platformdirs
import pytest
import sqlalchemy
from sqlalchemy import func, select, text

import fieldvisit.store
from fieldvisit import paths
from fieldvisit.roster import queries
from fieldvisit.store import Insert, Store, Update
from fieldvisit.store.changes import UnknownFieldError
from fieldvisit.store.clock import HybridClock, Timestamp
from fieldvisit.store.ids import new_id
from fieldvisit.store.models import SYNCED_TABLES, JournalEntry, Meta, Village

HOUSEHOLD = SYNCED_TABLES["household"].__table__
MEMBER = SYNCED_TABLES["member"].__table__
JOURNAL = JournalEntry.__table__


def make_village(store: Store) -> dict[str, str]:
    county = Insert("county", {"code": "522727", "name": "平塘县"})
    township = Insert("township", {"code": "522727100", "name": "平舟镇",
                                   "county_id": county.id})
    village = Insert("village", {"code": "522727100200", "name": "平里河村",
                                 "township_id": township.id})
    group = Insert("village_group", {"village_id": village.id, "name": "1组"})
    household = Insert("household", {"village_id": village.id, "group_id": group.id,
                                     "code": "522727100200000001", "hh_type": "脱贫户",
                                     "address": "1组12号"})
    head = Insert("member", {"household_id": household.id, "name": "张三", "relation": "户主",
                             "sex": "男", "birth_date": date(1960, 3, 4),
                             "id_number": "522727196003040017", "phone": "13912345678",
                             "resident_insurance": True})
    store.write([county, township, village, group, household, head])
    return {"village": village.id, "group": group.id, "household": household.id,
            "head": head.id}


def row(store: Store, table, row_id: str) -> dict:
    with store.reading() as conn:
        return dict(conn.execute(select(table).where(table.c.id == row_id)).mappings().one())


def journal(store: Store) -> list:
    with store.reading() as conn:
        return conn.execute(select(JOURNAL).order_by(JOURNAL.c.seq)).all()


def counts(store: Store) -> dict[str, int]:
    with store.reading() as conn:
        result = {
            name: conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()
            for name, model in SYNCED_TABLES.items()
        }
        result["journal"] = conn.execute(select(func.count()).select_from(JOURNAL)).scalar_one()
    return result


# --- the file ----------------------------------------------------------------------------


def test_open_creates_a_wal_database_with_foreign_keys_on(tmp_path):
    path = tmp_path / "nested" / "folder" / "fieldvisit.sqlite"
    store = Store.open(path, actor="测试员")
    try:
        assert path.is_file()
        with store.engine.connect() as conn:  # a new connection gets the same pragmas
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        store.close()


def test_foreign_keys_are_enforced_and_the_failed_write_leaves_nothing(store):
    before = counts(store)
    orphan = Insert("member", {"household_id": new_id(), "name": "无户人"})
    # the write path runs on the driver's cursor, so the driver's own error may surface
    with pytest.raises((sqlalchemy.exc.IntegrityError, sqlite3.IntegrityError)):
        store.write([orphan])
    assert counts(store) == before


def test_data_dir_override_beats_environment_beats_platform(tmp_path, monkeypatch):
    explicit, env_home, xdg = tmp_path / "explicit", tmp_path / "env", tmp_path / "xdg"
    monkeypatch.setenv("FIELDVISIT_HOME", str(env_home))
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    assert paths.data_dir(explicit) == explicit
    assert explicit.is_dir()  # created on first use
    assert paths.data_dir() == env_home
    assert paths.database_path() == env_home / "fieldvisit.sqlite"
    monkeypatch.delenv("FIELDVISIT_HOME")
    platform = paths.data_dir()
    assert platform == type(platform)(platformdirs.user_data_dir("FieldVisit", "FieldVisit"))
    assert platform.is_relative_to(xdg)
    assert platform.is_dir()
    assert paths.database_path(explicit) == explicit / "fieldvisit.sqlite"


def test_device_id_is_stable_across_reopen_and_distinct_per_store(tmp_path):
    first = Store.open(tmp_path / "a.sqlite")
    device = first.device_id
    first.close()
    again = Store.open(tmp_path / "a.sqlite")
    other = Store.open(tmp_path / "b.sqlite")
    try:
        assert again.device_id == device
        assert re.fullmatch(r"[0-9a-f]{16}", device)
        assert other.device_id != device
        with again.reading() as conn:
            assert conn.execute(select(Meta.value).where(Meta.key == "device_id")).scalar() \
                == device
    finally:
        again.close()
        other.close()


def test_clock_persists_across_reopen_even_when_the_wall_clock_is_set_back(
    tmp_path, monkeypatch
):
    path = tmp_path / "fieldvisit.sqlite"
    store = Store.open(path, actor="甲")
    ids = make_village(store)
    store.write([Update("member", ids["head"], {"phone": "13900000001"})])
    store.close()
    with Store.open(path).reading() as conn:
        earlier = [r for r, in conn.execute(text("SELECT rev FROM member UNION ALL "
                                                 "SELECT clock FROM journal"))]
    assert earlier

    # The laptop's clock is now a year behind: the next store sees that wall time.
    a_year_ago = Timestamp.parse(max(earlier)).millis / 1000 - 365 * 86_400
    monkeypatch.setattr(fieldvisit.store, "HybridClock",
                        functools.partial(HybridClock, wall=lambda: a_year_ago))
    reopened = Store.open(path, actor="乙")
    try:
        reopened.write([Update("member", ids["head"], {"phone": "13900000002"})])
        rev = row(reopened, MEMBER, ids["head"])["rev"]
        assert all(rev > old for old in earlier)
        assert all(Timestamp.parse(rev) > Timestamp.parse(old) for old in earlier)
    finally:
        reopened.close()


# --- the write path ----------------------------------------------------------------------


def test_insert_stamps_rev_and_actor_and_journals_the_row(store):
    ids = make_village(store)
    head = row(store, MEMBER, ids["head"])
    assert head["changed_by"] == "测试员"
    assert head["deleted"] is False
    assert head["birth_date"] == date(1960, 3, 4)
    assert head["resident_insurance"] is True
    Timestamp.parse(head["rev"])  # a clock value
    assert Timestamp.parse(head["rev"]).node == store.device_id

    entries = [e for e in journal(store) if e.entity_id == ids["head"]]
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.entity, entry.field, entry.old, entry.actor, entry.clock) == (
        "member", None, None, "测试员", head["rev"])
    new = json.loads(entry.new)
    assert new["name"] == "张三"
    assert new["birth_date"] == "1960-03-04"
    assert new["household_id"] == ids["household"]
    assert new["deleted"] is False
    assert "name_pinyin" not in new  # derived keys are never journaled

    # every synced row written got a journal insert entry, and nothing else did
    inserted = {e.entity_id for e in journal(store) if e.field is None}
    assert inserted == set(ids.values()) | {e.entity_id for e in journal(store)
                                            if e.entity in ("county", "township")}
    assert len(inserted) == 6


def test_update_stamps_rev_and_actor_and_journals_each_field(store):
    ids = make_village(store)
    before = row(store, MEMBER, ids["head"])
    changes = store.write(
        [Update("member", ids["head"], {"phone": "13800000000", "health": "长期慢性病",
                                         "birth_date": "1960-03-05", "relation": "户主"})],
        actor="帮扶人李四",
    )
    assert changes and changes.touches("member") and not changes.touches("household")
    assert changes.updated["member"] == [ids["head"]]
    assert changes.fields_changed == 3  # relation was already 户主
    after = row(store, MEMBER, ids["head"])
    assert after["phone"] == "13800000000"
    assert after["birth_date"] == date(1960, 3, 5)
    assert after["changed_by"] == "帮扶人李四"
    assert after["rev"] > before["rev"]

    entries = [e for e in journal(store) if e.field is not None]
    assert {(e.entity, e.entity_id, e.field, json.loads(e.old), json.loads(e.new),
             e.clock, e.actor) for e in entries} == {
        ("member", ids["head"], "phone", "13912345678", "13800000000", after["rev"], "帮扶人李四"),
        ("member", ids["head"], "health", None, "长期慢性病", after["rev"], "帮扶人李四"),
        ("member", ids["head"], "birth_date", "1960-03-04", "1960-03-05", after["rev"],
         "帮扶人李四"),
    }


def test_unchanged_update_writes_nothing(store):
    ids = make_village(store)
    before_row = row(store, MEMBER, ids["head"])
    before = counts(store)
    changes = store.write([
        Update("member", ids["head"], {"name": "张三", "phone": "13912345678",
                                       "birth_date": "1960-03-04", "resident_insurance": True,
                                       "health": None}),
        Update("household", ids["household"], {"hh_type": "脱贫户"}),
    ], actor="别人")
    assert not changes
    assert changes.fields_changed == 0
    assert counts(store) == before
    assert row(store, MEMBER, ids["head"]) == before_row  # rev and changed_by untouched


def test_blank_text_clears_the_field_and_compares_equal_to_empty(store):
    ids = make_village(store)
    store.write([Update("member", ids["head"], {"phone": ""})])
    assert row(store, MEMBER, ids["head"])["phone"] is None
    assert json.loads(journal(store)[-1].new) is None
    before = counts(store)
    assert not store.write([Update("member", ids["head"], {"phone": "", "health": ""})])
    assert counts(store) == before


def test_name_writes_fill_the_pinyin_search_keys(store):
    ids = make_village(store)
    head = row(store, MEMBER, ids["head"])
    assert (head["name_pinyin"], head["name_initials"]) == ("zhangsan", "zs")
    store.write([Update("member", ids["head"], {"name": "欧阳䶮"})])
    head = row(store, MEMBER, ids["head"])
    assert (head["name_pinyin"], head["name_initials"]) == ("ouyangyan", "oyy")
    assert not [e for e in journal(store) if e.field in ("name_pinyin", "name_initials")]


def test_name_keys_load_no_phrase_dictionary():
    """The keys read pypinyin's character table only; its phrase dictionary (and the
    copies it makes by default) would hold 56 MB for the whole life of the app."""
    script = (
        "import sys\n"
        "from fieldvisit.names import pinyin_keys\n"
        "print([pinyin_keys(n) for n in ('曾国藩', '单雄信', '欧阳䶮', '王 小·明')])\n"
        "print(sorted(m for m in sys.modules if m.startswith('pypinyin.phrases')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={k: v for k, v in os.environ.items()
                                             if not k.startswith("PYPINYIN")})
    keys, loaded = result.stdout.splitlines()
    assert keys == str([("zengguofan", "zgf"), ("shanxiongxin", "sxx"),
                        ("ouyangyan", "oyy"), ("wangxiaoming", "wxm")])
    assert loaded == "[]"


def test_soft_delete_is_an_update_and_is_journaled(store):
    ids = make_village(store)
    with store.reading() as conn:
        assert queries.household_count(conn) == 1
    store.write([Update("household", ids["household"], {"deleted": True})], actor="村书记")
    household = row(store, HOUSEHOLD, ids["household"])
    assert household["deleted"] is True
    assert household["changed_by"] == "村书记"
    last = journal(store)[-1]
    assert (last.entity, last.entity_id, last.field, last.old, last.new, last.actor) == (
        "household", ids["household"], "deleted", "false", "true", "村书记")
    with store.reading() as conn:
        assert queries.household_count(conn) == 0
        assert queries.household_rows(conn) == []
        assert conn.execute(select(func.count()).select_from(HOUSEHOLD)).scalar_one() == 1


def test_an_insert_and_an_update_of_it_in_one_write(store):
    ids = make_village(store)
    child = Insert("member", {"household_id": ids["household"], "name": "张小", "sex": "男"})
    store.write([Update("member", child.id, {"name": "张小明"}), child])
    assert row(store, MEMBER, child.id)["name"] == "张小明"
    assert row(store, MEMBER, child.id)["name_initials"] == "zxm"


@pytest.mark.parametrize(
    "bad_edit",
    [
        lambda ids: Update("member", new_id(), {"name": "不存在"}),
        lambda ids: Update("member", ids["head"], {"nickname": "三儿"}),
        lambda ids: Update("member", ids["head"], {"name_pinyin": "hacked"}),
        lambda ids: Update("member", ids["head"], {"rev": "0"}),
        lambda ids: Update("member", ids["head"], {"changed_by": "冒名"}),
        lambda ids: Update("hamlet", ids["head"], {"name": "x"}),
        lambda ids: Insert("member", {"household_id": ids["household"], "name": "李", "age": 3}),
        lambda ids: Update("member", ids["head"], {"resident_insurance": "否"}),
    ],
    ids=["missing-row", "unknown-field", "derived-field", "rev", "changed_by",
         "unknown-entity", "insert-unknown-field", "yes-no-as-text"],
)
def test_write_is_all_or_nothing(store, bad_edit):
    ids = make_village(store)
    before = counts(store)
    head_before = row(store, MEMBER, ids["head"])
    newcomer = Insert("member", {"household_id": ids["household"], "name": "王五"})
    with pytest.raises((LookupError, UnknownFieldError, ValueError)):
        store.write([
            newcomer,
            Update("member", ids["head"], {"phone": "13700000000"}),
            Update("household", ids["household"], {"deleted": True}),
            bad_edit(ids),
        ])
    assert counts(store) == before
    assert row(store, MEMBER, ids["head"]) == head_before
    assert row(store, HOUSEHOLD, ids["household"])["deleted"] is False
    # and the store still works afterwards
    store.write([newcomer])
    assert row(store, MEMBER, newcomer.id)["name"] == "王五"


def test_household_insert_without_type_gets_the_default(store):
    ids = make_village(store)
    household = Insert("household", {"village_id": ids["village"],
                                     "code": "522727100200000002"})
    store.write([household])
    assert row(store, HOUSEHOLD, household.id)["hh_type"] == "一般农户"


def test_several_updates_of_one_row_in_one_write_end_with_the_last(store):
    ids = make_village(store)
    store.write([
        Update("member", ids["head"], {"name": "张甲"}),
        Update("member", ids["head"], {"name": "张乙", "phone": "13900000009"}),
        Update("member", ids["head"], {"name": "张丙"}),
    ])
    head = row(store, MEMBER, ids["head"])
    last = [e for e in journal(store) if e.field is not None][-1]
    assert (head["name"], head["phone"], head["name_pinyin"]) == (
        "张丙", "13900000009", "zhangbing")
    assert head["rev"] == last.clock


def test_inserts_listed_parents_first_succeed_whatever_came_before(store):
    ids = make_village(store)
    baby = Insert("member", {"household_id": ids["household"], "name": "张小妹", "sex": "女"})
    split_off = Insert("household", {"village_id": ids["village"], "hh_type": "一般农户",
                                     "code": "522727100200000002"})
    son = Insert("member", {"household_id": split_off.id, "name": "张大", "relation": "户主"})
    store.write([baby, split_off, son])  # each parent is listed before its children
    assert row(store, MEMBER, son.id)["household_id"] == split_off.id


# --- ids ---------------------------------------------------------------------------------


def test_new_id_is_uuid7_hex_and_strictly_increasing():
    made = [new_id() for _ in range(10_000)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in made)
    assert all(a < b for a, b in pairwise(made))
    assert len(set(made)) == len(made)
    for sample in (made[0], made[5_000], made[-1]):
        parsed = uuid.UUID(hex=sample)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122


def test_new_id_starts_with_the_time():
    import time

    before = time.time_ns() // 1_000_000
    millis = int(new_id()[:12], 16)
    after = time.time_ns() // 1_000_000
    # at most a few ms ahead when many ids were made in the same millisecond
    assert before <= millis <= after + 50


def test_two_processes_sharing_a_store_never_stamp_backwards(tmp_path):
    """The app stays open while a CLI import (on a laptop whose clock ran ahead) writes;
    the app's next edit must still come after the import's in clock order."""
    path = tmp_path / "shared.sqlite"
    app = Store.open(path, actor="app")
    county = Insert("county", {"name": "县"})
    app.write([county])
    cli = Store.open(path, actor="cli")
    cli.clock = HybridClock(cli.device_id, cli.clock.last, wall=lambda: 1_900_000_000.0)
    cli.write([Update("county", county.id, {"name": "cli"})])
    app.write([Update("county", county.id, {"name": "app"})])
    with app.reading() as conn:
        clocks = list(conn.execute(select(JournalEntry.clock).order_by(JournalEntry.seq))
                      .scalars())
    assert clocks == sorted(clocks) and len(set(clocks)) == len(clocks)


def test_an_empty_date_or_yes_no_value_clears_the_field(store):
    ids = make_village(store)
    store.write([Update("member", ids["head"], {"birth_date": "", "resident_insurance": ""})])
    head = row(store, MEMBER, ids["head"])
    assert head["birth_date"] is None and head["resident_insurance"] is None


@pytest.mark.parametrize("encrypted", [True, False])
def test_yes_no_and_blank_values_are_stored_as_sql_integers_and_nulls(tmp_path, encrypted):
    """The drivers bind None and bools through adapters (docs/performance.md): the file
    must hold what it held without them, 1/0 integers and NULLs, for the app, a
    replayed journal and anyone reading the database with SQL."""
    from tests.vaults import laptop

    store = laptop(tmp_path) if encrypted else Store.open(tmp_path / "plain.sqlite")
    ids = make_village(store)
    store.write([Update("member", ids["head"], {"employee_insurance": False,
                                                "serious_illness_insurance": None})])
    with store.reading() as conn:
        stored = conn.exec_driver_sql(
            "SELECT typeof(resident_insurance), resident_insurance, typeof(employee_insurance),"
            " employee_insurance, typeof(serious_illness_insurance), typeof(deleted), deleted,"
            " typeof(phone) FROM member").one()
        blank_field = conn.exec_driver_sql(
            "SELECT count(*) FROM journal WHERE field IS NULL AND old IS NULL").scalar_one()
    assert tuple(stored) == ("integer", 1, "integer", 0, "null", "integer", 0, "text")
    assert blank_field == 6  # the six inserts
    assert row(store, MEMBER, ids["head"])["employee_insurance"] is False
    store.close()


def test_meta_facts_keep_their_types_across_a_reopen(tmp_path):
    store = Store.open(tmp_path / "fieldvisit.sqlite")
    assert (store.meta.sync_acked, store.meta.sync_activated, store.meta.server_url) == (
        0, False, "")  # unset facts read as their defaults
    store.meta.sync_acked = 42
    store.meta.sync_activated = True
    store.meta.server_url = "http://county.example:8080"
    store.close()
    reopened = Store.open(tmp_path / "fieldvisit.sqlite")
    assert (reopened.meta.sync_acked, reopened.meta.sync_activated,
            reopened.meta.server_url) == (42, True, "http://county.example:8080")
    assert reopened.folder == tmp_path.resolve()
    reopened.close()


def test_a_failed_transaction_leaves_neither_rows_nor_meta_behind(store):
    village = Insert("village", {"name": "半途村"})
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.write([village])
        tx.meta.sync_acked = 7
        raise RuntimeError("power cut")
    assert store.meta.sync_acked == 0
    with store.reading() as conn:
        assert conn.execute(select(Village.id).where(Village.id == village.id)).first() is None
        assert conn.execute(select(JournalEntry.seq)).first() is None


def test_changes_after_a_seq_say_what_anyone_wrote_since(store):
    start = store.journal_end()
    village = Insert("village", {"name": "河西村"})
    store.write([village])
    store.write([Update("village", village.id, {"name": "河东村"}),
                 Update("village", village.id, {"code": "522727100288"})])
    changes = store.changes_after(start, limit=10)
    assert (dict(changes.inserted), dict(changes.updated)) == (
        {"village": [village.id]}, {"village": [village.id]})  # each row once
    assert store.changes_after(start, limit=2) is None  # three entries: too many to list
    assert not store.changes_after(store.journal_end(), limit=10)
