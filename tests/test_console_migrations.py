"""County migration c003 (the console's users, sessions, login attempts, audit log): a
county database from before it upgrades keeping its devices, and downgrades again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select
from sync_parties import make_county, make_laptop

from fieldvisit.county import users
from fieldvisit.county.models import Device
from fieldvisit.county.office import MIGRATIONS, County
from fieldvisit.store import make_engine
from fieldvisit.store.migrate import alembic_config

TABLES = {"county_user", "county_session", "county_login_attempt", "county_audit"}


def test_a_c002_county_upgrades_to_the_console_tables_and_back(tmp_path):
    county = make_county(tmp_path / "county")
    device = make_laptop(county, tmp_path / "a").device
    users.add_user(county, "李科长", "county", "long-enough-1")
    url = str(county.store.engine.url)
    county.close()
    engine = make_engine(url)
    config = alembic_config(engine, MIGRATIONS)
    command.downgrade(config, "c002")
    assert TABLES.isdisjoint(inspect(engine).get_table_names())
    engine.dispose()
    reopened = County.open(tmp_path / "county")  # upgrades at open
    try:
        with reopened.store.reading() as conn:
            assert conn.execute(select(Device.id)).scalars().all() == [device]
            assert users.users(conn) == []
        assert set(inspect(reopened.store.engine).get_table_names()) >= TABLES
        users.add_user(reopened, "李科长", "county", "long-enough-1")
        assert users.log_in(reopened, "李科长", "long-enough-1").cookie
    finally:
        reopened.close()


def test_the_console_models_match_the_migration(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from fieldvisit.county.models import CountyBase

    county = County.open(tmp_path / "county")
    try:
        with county.store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            ours = {t.name for t in CountyBase.metadata.sorted_tables}
            diffs = [d for d in compare_metadata(context, CountyBase.metadata)
                     if _table_of(d) in ours]  # the store's own tables are not ours
        assert diffs == []
    finally:
        county.close()


def _table_of(diff) -> str:
    item = diff[0] if isinstance(diff, list) else diff
    thing = item[1] if len(item) > 1 else None
    table = getattr(thing, "table", thing)
    name = getattr(table, "name", None)
    return name if isinstance(name, str) else str(item[2] if len(item) > 2 else "")
