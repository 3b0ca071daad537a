"""Alembic environment: the engine comes from ``fieldvisit.store.migrate``, not a URL."""

from fieldvisit.store.migrate import run_environment
from fieldvisit.store.models import Base

run_environment(Base.metadata)
