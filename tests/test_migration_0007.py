"""Migration 0007 (member lifecycle: joined/left on and reason) on a cadre's 0006
database holding a roster and a completed visit: every row is kept, every old member is a
current member (no dates, no reasons), and a downgrade drops only the five columns."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import text
from test_migration_0003 import LIFECYCLE as LIFECYCLE_COLUMNS
from test_migration_0006 import OLD_TABLES, columns, complete_one, make_0005_database
from test_migrations import before_0008, dump, rows_of, unchanged, upgraded_intact

from fieldvisit.store import Store, Update, make_engine, migrate

LIFECYCLE = set(LIFECYCLE_COLUMNS)


def make_0006_database(path) -> None:
    """The 0005 roster and completed visit, upgraded to 0006."""
    make_0005_database(path)
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0006")
    assert migrate.current(engine) == "0006"
    assert not LIFECYCLE & columns(engine, "member")
    engine.dispose()


def test_upgrade_from_0006_keeps_every_row_and_every_member_is_current(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0006_database(path)
    before = rows_of(path, OLD_TABLES)
    assert len(before["member"]) == 5

    store = Store.open(path, actor="测试员")
    try:
        upgraded_intact(store, before, OLD_TABLES)
        assert columns(store.engine, "member") >= LIFECYCLE
        with store.reading() as conn:
            rows = conn.execute(text(
                "SELECT joined_on, joined_reason, left_on, left_reason, left_note FROM member"
            )).all()
            assert len(rows) == 5 and all(tuple(r) == (None,) * 5 for r in rows)
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        # the upgraded store records a departure like any other field
        store.write([Update("member", "m3", {"left_on": date(2026, 11, 1),
                                             "left_reason": "迁出"})])
        with store.reading() as conn:
            assert conn.execute(text(
                "SELECT left_on, left_reason FROM member WHERE id = 'm3'")).one() == (
                    "2026-11-01", "迁出")
            unchanged(conn, before, ("county", "township", "village", "household", "visit"))
    finally:
        store.close()


def test_downgrade_to_0006_drops_only_the_lifecycle_columns(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0006_database(path)
    store = Store.open(path)
    try:
        complete_one(store)
        store.write([Update("member", "m2", {"left_on": date(2026, 10, 1),
                                             "left_reason": "死亡", "left_note": "病故"})])
        with store.reading() as conn:
            kept = {t: dump(conn, t) for t in ("household", "member", "visit", "problem")}
            kept = before_0008(kept)  # 0009 and 0008, passed through too
        for row in kept["member"]:
            for name in LIFECYCLE:
                del row[name]  # the downgrade loses the lifecycle, and only it
        command.downgrade(migrate.alembic_config(store.engine), "0006")
        assert migrate.current(store.engine) == "0006"
        assert not LIFECYCLE & columns(store.engine, "member")
        with store.reading() as conn:
            assert {t: dump(conn, t) for t in kept} == kept
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        command.upgrade(migrate.alembic_config(store.engine), "head")
        assert columns(store.engine, "member") >= LIFECYCLE
    finally:
        store.close()
