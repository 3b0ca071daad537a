"""Migration 0006 (visit.snapshot) on a cadre's 0005 database holding a completed visit:
every row is kept, the old visit gets no snapshot and its record says it was rebuilt from
current data, a visit completed after the upgrade keeps what it saw, and a downgrade
drops only the column."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text
from test_migration_0003 import LIFECYCLE
from test_migration_0004 import make_0003_database
from test_migrations import REV, before_0008, dump, rows_of, unchanged, upgraded_intact
from test_visit_record import text_of

from fieldvisit.cards.visit_record import write_visit_records
from fieldvisit.checklist.forms import bundled_forms_dir, load_forms
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.store import Store, make_engine, migrate
from fieldvisit.visits import visit

OLD_TABLES = ("county", "township", "village", "village_group", "household", "member",
              "visit", "visit_answer", "problem", "problem_step", "measure", "journal", "meta")
TODAY = date(2026, 11, 20)


def columns(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def make_0005_database(path) -> None:
    """The 0003 roster and completed visit (now with a water answer), upgraded to 0005."""
    make_0003_database(path)
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0005")
    assert migrate.current(engine) == "0005"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO visit_answer (id, rev, changed_by, deleted, visit_id, form_id,"
            " question_id, value) VALUES ('a1', :rev, '李四', 0, 'vis1', 'water',"
            " 'litres_household', '10')"), {"rev": REV})
    assert "snapshot" not in columns(engine, "visit")
    engine.dispose()


def complete_one(store: Store) -> str:
    formset = load_forms(bundled_forms_dir())
    visit_id = visit.start(store, "h1", formset, "李四", TODAY)
    visit.save_answer(store, visit_id, "water", "", "litres_household", 10)
    visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, "李四", "户主签字", "韦德明",
                   TODAY)
    return visit_id


def test_upgrade_from_0005_keeps_every_row_and_an_old_visit_says_it_was_rebuilt(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0005_database(path)
    before = rows_of(path, OLD_TABLES)

    store = Store.open(path, actor="测试员")
    try:
        upgraded_intact(store, before, OLD_TABLES)  # the old columns, row for row
        with store.reading() as conn:
            assert conn.execute(text("SELECT snapshot FROM visit")).scalars().all() == [None]

        # the old visit prints from today's data and says so, before anything else
        write_visit_records(store, ["vis1"], tmp_path / "old.pdf", TODAY)
        printed = text_of(tmp_path / "old.pdf")
        assert printed.index("注意：本次走访完成于") < printed.index("一、基本情况")
        assert "按当前数据重建" in printed and "韦德明" in printed and "10 升/天" in printed

        # a visit completed on the upgraded store keeps what it saw
        formset = load_forms(bundled_forms_dir())
        new = complete_one(store)
        assert visit.seen(store, new, formset, DEFAULT_SETTINGS).rebuilt is False
        assert visit.seen(store, "vis1", formset, DEFAULT_SETTINGS).rebuilt is True
        with store.reading() as conn:
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
            unchanged(conn, before, OLD_TABLES[:6])  # the roster is untouched
    finally:
        store.close()


def test_downgrade_to_0005_drops_only_the_snapshot_column(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0005_database(path)
    store = Store.open(path)
    try:
        complete_one(store)
        with store.reading() as conn:
            kept = {t: dump(conn, t) for t in ("household", "member", "visit", "problem")}
            kept = before_0008(kept)  # 0009 and 0008, passed through too
        for row in kept["visit"]:
            del row["snapshot"]  # the downgrade loses the snapshots, and only them
        for row in kept["member"]:
            for name in LIFECYCLE:
                del row[name]  # added by 0007, which the downgrade passes through
        command.downgrade(migrate.alembic_config(store.engine), "0005")
        assert migrate.current(store.engine) == "0005"
        assert "snapshot" not in columns(store.engine, "visit")
        with store.reading() as conn:
            assert {t: dump(conn, t) for t in kept} == kept
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        command.upgrade(migrate.alembic_config(store.engine), "head")
        assert "snapshot" in columns(store.engine, "visit")
    finally:
        store.close()
