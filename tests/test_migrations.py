"""Upgrading a cadre's existing database keeps every row, and the schema matches the models."""

from __future__ import annotations

from datetime import date

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from fieldvisit.store import Store, Update, make_engine, migrate
from fieldvisit.store.models import Base

REV = "1790000000000-00000-0123456789abcdef"

# (id, household_id, name, id_number, relation, sex, birth_date, resident_insurance, deleted)
MEMBERS = [
    ("m1", "h1", "韦德明", "522727196003040017", "户主", "男", "1960-03-04", 1, 0),
    ("m2", "h1", "王㛃", "522727196205060026", "配偶", "女", "1962-05-06", 1, 0),
    ("m3", "h1", "韦䶮", "52272720100101001X", "之子", "男", "2010-01-01", 0, 0),
    ("m4", "h2", "欧阳娜娜", None, "户主", "女", None, None, 0),
    ("m5", "h2", "覃秀兰", "522727195001010020", "之母", "女", "1950-01-01", 1, 1),
]
EXPECTED_KEYS = {
    "m1": ("weideming", "wdm"),
    "m2": ("wangjie", "wj"),
    "m3": ("weiyan", "wy"),
    "m4": ("ouyangnana", "oynn"),
    "m5": ("qinxiulan", "qxl"),
}


def make_0001_database(path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001")
    assert migrate.current(engine) == "0001"
    assert "name_pinyin" not in {c["name"] for c in inspect(engine).get_columns("member")}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('device_id', 'olddevice0000001'),"
                          " ('clock', :rev)"), {"rev": REV})
        conn.execute(text(
            "INSERT INTO county (id, rev, changed_by, deleted, code, name) "
            "VALUES ('c1', :rev, '县扶贫办', 0, '522727', '平塘县')"), {"rev": REV})
        conn.execute(text(
            "INSERT INTO township (id, rev, changed_by, deleted, county_id, code, name) "
            "VALUES ('t1', :rev, '县扶贫办', 0, 'c1', '522727100', '平舟镇')"), {"rev": REV})
        conn.execute(text(
            "INSERT INTO village (id, rev, changed_by, deleted, township_id, code, name) "
            "VALUES ('v1', :rev, '县扶贫办', 0, 't1', '522727100200', '平里河村')"), {"rev": REV})
        conn.execute(text(
            "INSERT INTO village_group (id, rev, changed_by, deleted, village_id, name) "
            "VALUES ('g1', :rev, '县扶贫办', 0, 'v1', '1组')"), {"rev": REV})
        conn.execute(text(
            "INSERT INTO household (id, rev, changed_by, deleted, village_id, group_id, code, "
            "address, hh_type, risk_types, risk_eliminated, identified_on, helper_name, "
            "helper_unit, helper_phone) VALUES "
            "('h1', :rev, '第一书记', 0, 'v1', 'g1', '522727100200000001', '1组12号', "
            " '边缘易致贫户', '因病、因学', 0, '2025-03-01', '李四', '县教育局', '13800000000'),"
            "('h2', :rev, '第一书记', 1, 'v1', NULL, '522727100200000002', NULL, "
            " '一般户', NULL, NULL, NULL, NULL, NULL, NULL)"), {"rev": REV})
        for m in MEMBERS:
            conn.execute(text(
                "INSERT INTO member (id, rev, changed_by, deleted, household_id, name, id_number,"
                " relation, sex, birth_date, resident_insurance, phone) VALUES "
                "(:id, :rev, '第一书记', :deleted, :hh, :name, :idn, :rel, :sex, :birth, :ins,"
                " '13912345678')"),
                {"id": m[0], "rev": REV, "hh": m[1], "name": m[2], "idn": m[3], "rel": m[4],
                 "sex": m[5], "birth": m[6], "ins": m[7], "deleted": m[8]})
        conn.execute(text(
            "INSERT INTO journal (clock, actor, entity, entity_id, field, old, new) VALUES "
            "(:rev, '第一书记', 'member', 'm1', NULL, NULL, '{\"name\":\"韦德明\"}'),"
            "(:rev, '第一书记', 'member', 'm5', 'deleted', 'false', 'true')"), {"rev": REV})
    engine.dispose()


def dump(conn, table: str, columns: list[str] | None = None) -> list[dict]:
    """A table's rows as dicts; ``columns`` narrows them to those an older schema had
    (later migrations may add columns, e.g. to the journal)."""
    rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).mappings().all()
    return [{k: row[k] for k in columns or row.keys()} for row in rows]


# What 0008 makes of the one status word of older stores (户类型; 监测 fields: its test)
TYPE_0008 = {"脱贫不稳定户": "脱贫户", "边缘易致贫户": "一般农户", "突发严重困难户": "一般农户",
             "一般户": "一般农户"}


def before_0008(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Rows (of household, visit …) as a downgrade through 0009 and 0008 leaves them: no
    visit kind, and one status word a household again."""
    tables = {table: [dict(row) for row in rows] for table, rows in tables.items()}
    for row in tables.get("visit", []):
        del row["kind"], row["visitor_role"]
    for row in tables.get("household", []):
        monitored, category = row.pop("monitored"), row.pop("monitor_category")
        del row["risk_other"], row["poverty_cause"], row["note"]
        if monitored and category in TYPE_0008:
            row["hh_type"] = category
        elif row["hh_type"] == "一般农户":
            row["hh_type"] = "一般户"
    return tables


def unchanged(conn, before: dict[str, list[dict]], tables) -> None:
    """Every row of ``tables`` as ``before`` held it, as the later migrations leave it."""
    for table in tables:
        columns = list(before[table][0]) if before[table] else None
        expected = before[table]
        if table == "household" and columns and "monitored" not in columns:
            expected = [{**row, "hh_type": TYPE_0008.get(row["hh_type"], row["hh_type"])}
                        for row in expected]
        assert dump(conn, table, columns) == expected, table


def rows_of(path, tables) -> dict[str, list[dict]]:
    """Every row of ``tables`` in the database file at ``path``, read without a Store
    (opening one upgrades the file)."""
    raw = make_engine(f"sqlite:///{path}")
    with raw.connect() as conn:
        rows = {table: dump(conn, table) for table in tables}
    raw.dispose()
    return rows


def upgraded_intact(store: Store, before: dict[str, list[dict]], tables) -> None:
    """``store`` opened at the newest schema, ``tables`` row for row as ``before`` had
    them (in the columns they had), and the file sound."""
    assert migrate.current(store.engine) == migrate.HEAD
    with store.reading() as conn:
        unchanged(conn, before, tables)
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_upgrade_from_0001_keeps_every_row_and_backfills_search_keys(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0001_database(path)
    raw = make_engine(f"sqlite:///{path}")
    with raw.connect() as conn:
        before = {t: dump(conn, t) for t in ("county", "township", "village", "village_group",
                                             "household", "journal")}
        members_before = conn.execute(text("SELECT * FROM member ORDER BY id")).mappings().all()
    raw.dispose()

    store = Store.open(path, actor="测试员")
    try:
        assert migrate.current(store.engine) == migrate.HEAD
        head = ScriptDirectory.from_config(migrate.alembic_config(store.engine)).get_current_head()
        assert migrate.current(store.engine) == head
        assert store.device_id == "olddevice0000001"  # the laptop keeps its identity
        with store.reading() as conn:
            unchanged(conn, before, before)
            assert [tuple(r) for r in conn.execute(text(
                "SELECT monitored, monitor_category FROM household ORDER BY id"))] == [
                (1, "边缘易致贫户"), (0, None)]
            members = conn.execute(text("SELECT * FROM member ORDER BY id")).mappings().all()
            assert len(members) == len(members_before)
            for old, new in zip(members_before, members, strict=True):
                assert {k: new[k] for k in old} == dict(old)
                assert (new["name_pinyin"], new["name_initials"]) == EXPECTED_KEYS[new["id"]]
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        indexes = {i["name"] for i in inspect(store.engine).get_indexes("member")}
        assert {"ix_member_household", "ix_member_id_number"} <= indexes

        # the upgraded store carries on: its clock continues after the old one
        changes = store.write([Update("member", "m2", {"name": "王婷"})])
        assert changes.updated["member"] == ["m2"]
        with store.reading() as conn:
            row = conn.execute(text("SELECT name_pinyin, name_initials, rev FROM member "
                                    "WHERE id = 'm2'")).one()
        assert tuple(row[:2]) == ("wangting", "wt")
        assert row.rev > REV
    finally:
        store.close()


# (户编号 suffix, hh_type before 0008) -> (hh_type, monitored, monitor_category) after
STATUS_0008 = {
    ("01", "脱贫户"): ("脱贫户", 0, None),
    ("02", "脱贫不稳定户"): ("脱贫户", 1, "脱贫不稳定户"),
    ("03", "边缘易致贫户"): ("一般农户", 1, "边缘易致贫户"),
    ("04", "突发严重困难户"): ("一般农户", 1, "突发严重困难户"),
    ("05", "一般户"): ("一般农户", 0, None),
    ("06", "监测户"): ("监测户", 0, None),  # a word 0007 never wrote: left for the cadre
}


def test_0008_splits_the_status_word_and_0007_gets_it_back(tmp_path):
    """A store of the previous release (0007) keeps each household's status, split into
    the national system's separate fields; a downgrade gives 0007 its words back."""
    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO village (id, rev, changed_by, deleted, name) "
                          "VALUES ('v1', :rev, '县', 0, '平里河村')"), {"rev": REV})
        for suffix, old in STATUS_0008:
            conn.execute(text(
                "INSERT INTO household (id, rev, changed_by, deleted, village_id, code, hh_type,"
                " risk_types) VALUES (:id, :rev, '书记', 0, 'v1', :code, :type, '因病')"),
                {"id": f"h{suffix}", "rev": REV, "code": f"5227271002000000{suffix}",
                 "type": old})
    engine.dispose()
    store = Store.open(path)
    try:
        with store.reading() as conn:
            got = {r.id: (r.hh_type, r.monitored, r.monitor_category, r.risk_types)
                   for r in conn.execute(text("SELECT * FROM household"))}
        assert got == {f"h{suffix}": (*after, "因病")
                       for (suffix, _), after in STATUS_0008.items()}
        command.downgrade(migrate.alembic_config(store.engine), "0007")
        with store.reading() as conn:
            back = dict(conn.execute(text("SELECT id, hh_type FROM household")).all())
        assert back == {f"h{suffix}": old for suffix, old in STATUS_0008}
    finally:
        store.close()


def test_reopening_at_head_changes_nothing(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0001_database(path)
    Store.open(path).close()
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        first = {t: dump(conn, t) for t in ("member", "household", "journal", "meta")}
    engine.dispose()
    again = Store.open(path)
    try:
        with again.reading() as conn:
            assert {t: dump(conn, t) for t in first} == first
    finally:
        again.close()


def test_downgrade_to_0001_keeps_the_roster(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0001_database(path)
    store = Store.open(path)
    command.downgrade(migrate.alembic_config(store.engine), "0001")
    try:
        assert migrate.current(store.engine) == "0001"
        with store.reading() as conn:
            names = [r for r, in conn.execute(text("SELECT name FROM member ORDER BY id"))]
        assert names == [m[2] for m in MEMBERS]
    finally:
        store.close()


def test_fresh_store_is_at_head(store):
    head = ScriptDirectory.from_config(migrate.alembic_config(store.engine)).get_current_head()
    assert head == migrate.HEAD  # the newest script is the one the code knows
    assert migrate.current(store.engine) == head


def test_migrations_build_exactly_the_models(store):
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_only_known_server_default_noise(store):
    """0002 adds the search-key columns with DEFAULT '', 0008 household.monitored with
    DEFAULT false and 0009 visit.kind with DEFAULT '日常走访' (needed to add NOT NULL
    columns to existing rows); the models have no server default. Nothing else may
    differ."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True})
        diffs = compare_metadata(context, Base.metadata)
    # column-level differences come grouped in lists, table-level ones as bare tuples
    flat = [d for group in diffs for d in (group if isinstance(group, list) else [group])]
    found = {(d[0], d[2], d[3]) if d[0].startswith("modify_") else d[:2] for d in flat}
    assert found <= {("modify_default", "member", "name_pinyin"),
                     ("modify_default", "member", "name_initials"),
                     ("modify_default", "household", "monitored"),
                     ("modify_default", "visit", "kind")}


def test_upgraded_rows_read_back_as_python_types(tmp_path):
    path = tmp_path / "old.sqlite"
    make_0001_database(path)
    store = Store.open(path)
    try:
        with store.session() as session:
            from fieldvisit.store.models import Household, Member

            household = session.get(Household, "h1")
            assert household.identified_on == date(2025, 3, 1)
            assert household.risk_eliminated is False
            assert household.deleted is False
            assert session.get(Household, "h2").deleted is True
            member = session.get(Member, "m3")
            assert member.birth_date == date(2010, 1, 1)
            assert member.resident_insurance is False
            assert session.get(Member, "m4").birth_date is None
    finally:
        store.close()


def test_the_fast_start_check_knows_the_newest_migration(store):
    """Store.open skips Alembic when the database is at migrate.HEAD; a new migration
    that forgot to move HEAD would never run."""
    assert migrate.script_head(store.engine) == migrate.HEAD
