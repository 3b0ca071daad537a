"""Alembic environment for the county's own tables (engine from fieldvisit.county.migrate)."""

from alembic import context

from fieldvisit.county.models import CountyBase

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=CountyBase.metadata,
        version_table="county_alembic_version",
        render_as_batch=engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
