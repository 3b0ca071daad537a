"""Migration 0004 (帮扶措施) on a cadre's 0003 database holding a roster, a completed
visit and its problem: every row is kept, measures work at once, and a downgrade drops
only the measure table."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text
from test_migration_0003 import LIFECYCLE, make_0002_database
from test_migrations import REV, before_0008, dump, rows_of, unchanged, upgraded_intact

from fieldvisit.roster import measures
from fieldvisit.store import Store, make_engine, migrate

OLD_TABLES = ("county", "township", "village", "village_group", "household", "member",
              "visit", "problem", "problem_step", "journal", "meta")
TODAY = date(2026, 11, 1)


def make_0003_database(path) -> None:
    """The 0002 roster, upgraded to 0003, with a visit that opened a problem."""
    make_0002_database(path)
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0003")
    assert migrate.current(engine) == "0003"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO visit (id, rev, changed_by, deleted, household_id, cadre, started_on,"
            " completed_on, status, form_versions) VALUES ('vis1', :rev, '李四', 0, 'h1', '李四',"
            " '2026-10-01', '2026-10-01', 'completed', '{\"water\": 1}')"), {"rev": REV})
        conn.execute(text(
            "INSERT INTO problem (id, rev, changed_by, deleted, household_id, visit_id, form_id,"
            " rule_id, category, severity, text, status, opened_on) VALUES ('p1', :rev, '李四',"
            " 0, 'h1', 'vis1', 'water', 'outage', 'water', 'high', '停水超过36天', '待整改',"
            " '2026-10-01')"), {"rev": REV})
        conn.execute(text(
            "INSERT INTO problem_step (id, rev, changed_by, deleted, problem_id, to_status,"
            " actor, \"on\") VALUES ('s1', :rev, '李四', 0, 'p1', '待整改', '李四',"
            " '2026-10-01')"), {"rev": REV})
    assert "measure" not in inspect(engine).get_table_names()
    engine.dispose()


def test_upgrade_from_0003_keeps_every_row_and_adds_measures(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0003_database(path)
    before = rows_of(path, OLD_TABLES)

    store = Store.open(path, actor="测试员")
    try:
        upgraded_intact(store, before, OLD_TABLES)
        with store.reading() as conn:
            assert conn.execute(text("SELECT count(*) FROM measure")).scalar() == 0
        indexes = {i["name"] for i in inspect(store.engine).get_indexes("measure")}
        assert "ix_measure_household" in indexes

        # the upgraded store records a measure for the old household straight away
        measure_id = measures.add(store, "h1", TODAY, kind="健康/医保",
                                  detail="门诊慢特病报销", started_on=date(2025, 3, 1))
        with store.reading() as conn:
            assert [m.id for m in measures.current_by_household(conn, ["h1"], TODAY)["h1"]] \
                == [measure_id]
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
            unchanged(conn, before, OLD_TABLES[:-2])  # journal and meta grew with the write
    finally:
        store.close()


def test_downgrade_to_0003_drops_only_the_measure_table(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0003_database(path)
    store = Store.open(path)
    try:
        measures.add(store, "h1", TODAY, kind="养老保险", started_on=date(2024, 1, 1))
        with store.reading() as conn:
            kept = {t: dump(conn, t) for t in ("household", "member", "visit", "problem")}
            kept = before_0008(kept)  # 0009 and 0008, passed through too
            for row in kept["visit"]:
                del row["snapshot"]  # added by 0006, which the downgrade passes through
            for row in kept["member"]:
                for name in LIFECYCLE:
                    del row[name]  # added by 0007, likewise
        command.downgrade(migrate.alembic_config(store.engine), "0003")
        assert migrate.current(store.engine) == "0003"
        assert "measure" not in inspect(store.engine).get_table_names()
        with store.reading() as conn:
            assert {t: dump(conn, t) for t in kept} == kept
        command.upgrade(migrate.alembic_config(store.engine), "head")
        assert "measure" in inspect(store.engine).get_table_names()
    finally:
        store.close()
