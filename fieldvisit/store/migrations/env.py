"""Alembic environment: the engine comes from ``fieldvisit.store.migrate``, not a URL."""

from alembic import context

from fieldvisit.store.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
