"""Run the store's Alembic migrations at start, from the package (also when frozen).

Alembic itself takes a noticeable share of start-up to import, so an up-to-date store is
recognised with one query against ``alembic_version`` and Alembic loads only when there
is something to upgrade.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, MetaData, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0009"  # the newest revision in migrations/versions; a test keeps this true


def alembic_config(engine: Engine, migrations: Path = MIGRATIONS) -> Config:
    """Alembic's configuration for a folder of migrations, run on ``engine`` (the county
    server keeps its own tables' migrations beside the store's)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["engine"] = engine
    return config


def run_environment(metadata: MetaData, version_table: str = "alembic_version") -> None:
    """What an ``env.py`` does: migrate on the engine ``alembic_config`` handed over (never
    a URL from a file), altering tables in batch mode on SQLite."""
    from alembic import context

    engine = context.config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          version_table=version_table,
                          render_as_batch=engine.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and current(engine) == HEAD:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def script_head(engine: Engine) -> str | None:
    """The head revision according to the migration scripts themselves."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
