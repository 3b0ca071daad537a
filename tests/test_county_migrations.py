"""The county's own Alembic history: a county database made before the quarantine
(c001, with its devices and bundles) upgrades keeping every row, and downgrades again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select

from fieldvisit.county.models import Device
from fieldvisit.county.office import MIGRATIONS, County
from fieldvisit.store import make_engine
from fieldvisit.store.migrate import alembic_config
from tests.sync_parties import make_county, make_laptop


def test_a_c001_county_upgrades_to_the_quarantine_keeping_its_devices(tmp_path):
    county = make_county(tmp_path / "county")
    device = make_laptop(county, tmp_path / "a").device
    url = str(county.store.engine.url)
    county.close()
    engine = make_engine(url)
    config = alembic_config(engine, MIGRATIONS)
    command.downgrade(config, "c001")
    assert "county_quarantine" not in inspect(engine).get_table_names()
    engine.dispose()
    reopened = County.open(tmp_path / "county")  # upgrades at open
    try:
        with reopened.store.reading() as conn:
            assert conn.execute(select(Device.id)).scalars().all() == [device]
        assert "county_quarantine" in inspect(reopened.store.engine).get_table_names()
    finally:
        reopened.close()
