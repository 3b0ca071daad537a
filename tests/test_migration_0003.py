"""Migration 0003 (visits, answers, photos, problems, steps) on a cadre's 0002 database:
every existing row is kept, the new tables work at once, and a downgrade drops only them."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text
from test_migrations import (
    before_0008,
    dump,
    make_0001_database,
    rows_of,
    unchanged,
    upgraded_intact,
)

from fieldvisit.checklist.forms import bundled_forms_dir, load_forms
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.store import Store, make_engine, migrate
from fieldvisit.visits import ledger, visit

LIFECYCLE = ("joined_on", "joined_reason", "left_on", "left_reason", "left_note")  # 0007
NEW_TABLES = {"visit", "visit_answer", "photo", "problem", "problem_step"}
OLD_TABLES = ("county", "township", "village", "village_group", "household", "member",
              "journal")


def make_0002_database(path) -> None:
    make_0001_database(path)
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0002")
    assert migrate.current(engine) == "0002"
    assert not NEW_TABLES & set(inspect(engine).get_table_names())
    engine.dispose()


def test_upgrade_from_0002_keeps_every_row_and_adds_the_visit_tables(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0002_database(path)
    before = rows_of(path, (*OLD_TABLES, "meta"))

    store = Store.open(path, actor="测试员")
    try:
        upgraded_intact(store, before, OLD_TABLES)
        assert set(inspect(store.engine).get_table_names()) >= NEW_TABLES
        with store.reading() as conn:
            for table in NEW_TABLES:
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        assert store.device_id == "olddevice0000001"

        # the upgraded store runs a visit on the old roster straight away
        formset = load_forms(bundled_forms_dir())
        visit_id = visit.start(store, "h1", formset, "李四", date(2026, 11, 1))
        visit.save_answer(store, visit_id, "water", "", "outage_days", 60)
        visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, "李四", "电话确认", "韦德明",
                       date(2026, 11, 1))
        with store.reading() as conn:
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
            # the 60-day outage became an open problem of the old household, from this visit
            assert [(p.household_id, p.visit_id, p.form_id, p.rule_id, p.status)
                    for p in ledger.problems(conn)] == [
                ("h1", visit_id, "water", "reliability", "待整改")]
            unchanged(conn, before, OLD_TABLES[:-1])  # in the columns they had
    finally:
        store.close()


def test_downgrade_to_0002_drops_only_the_new_tables(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0002_database(path)
    store = Store.open(path)
    try:
        with store.reading() as conn:
            roster = {t: dump(conn, t) for t in ("household", "member")}
        roster = before_0008(roster)  # 0009 and 0008, passed through too
        for row in roster["member"]:
            for name in LIFECYCLE:
                del row[name]  # added by 0007, which the downgrade passes through
        command.downgrade(migrate.alembic_config(store.engine), "0002")
        assert migrate.current(store.engine) == "0002"
        assert not NEW_TABLES & set(inspect(store.engine).get_table_names())
        with store.reading() as conn:
            assert {t: dump(conn, t) for t in roster} == roster
        command.upgrade(migrate.alembic_config(store.engine), "head")
        assert set(inspect(store.engine).get_table_names()) >= NEW_TABLES
    finally:
        store.close()

