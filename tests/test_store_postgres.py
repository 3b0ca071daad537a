"""The store on PostgreSQL, the county server's database: migrations, the journaled write
path (driver-level executemany with psycopg's parameter style) and journal replay.

Runs where FIELDVISIT_TEST_DATABASE_URL names a PostgreSQL database (CI sets it); each
test works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

from conftest import DEMO_DAY, needs_postgres
from sqlalchemy import select

from fieldvisit import demo
from fieldvisit.names import pinyin_keys
from fieldvisit.roster.search import SearchIndex
from fieldvisit.store import Insert, Store, Update
from fieldvisit.store.changes import replay
from fieldvisit.store.models import SYNCED_TABLES, JournalEntry, Member

pytestmark = needs_postgres


def rows_of(store: Store) -> dict[str, list[tuple]]:
    with store.reading() as conn:
        return {
            name: [tuple(r) for r in conn.execute(select(model).order_by(model.id))]
            for name, model in SYNCED_TABLES.items()
        }


def test_demo_village_writes_and_reads_back_on_postgres(pg_url, tmp_path):
    store = Store.connect(pg_url, tmp_path, actor="县级测试")
    persons = demo.populate(store, households=40, seed=3, today=DEMO_DAY)
    with store.reading() as conn:
        live = conn.execute(select(Member.id).where(Member.deleted.is_(False))).all()
        assert len(live) == persons
        head = conn.execute(select(Member).where(Member.relation == "户主").limit(1)).one()
    changes = store.write([Update("member", head.id, {"phone": "13900001111",
                                                      "resident_insurance": False})])
    assert changes.fields_changed == 2
    with store.reading() as conn:
        updated = conn.execute(select(Member).where(Member.id == head.id)).one()
        assert (updated.phone, updated.resident_insurance) == ("13900001111", False)
        # derived keys written on PostgreSQL too
        assert (updated.name_pinyin, updated.name_initials) == pinyin_keys(updated.name)
        index = SearchIndex.build(conn)
    assert head.household_id in index.matches(updated.name_initials)
    assert head.household_id in index.matches("13900001111")
    store.close()


def test_journal_replays_to_the_same_state_on_postgres(pg_url, tmp_path):
    source = Store.connect(pg_url, tmp_path / "source", actor="甲")
    demo.populate(source, households=15, seed=5, today=DEMO_DAY)
    village = Insert("village", {"name": "新村", "code": "522727100299"})
    source.write([village])
    source.write([Update("village", village.id, {"name": "新村二", "deleted": True})])

    target = Store.open(tmp_path / "replayed.sqlite")
    with source.reading() as conn:
        entries = conn.execute(select(JournalEntry).order_by(JournalEntry.seq)).all()
    with target.engine.begin() as conn:
        replay(conn, entries)
    assert rows_of(target) == rows_of(source)
    source.close()
