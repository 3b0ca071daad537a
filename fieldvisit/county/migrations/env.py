"""Alembic environment for the county's own tables, beside the store's (own version table)."""

from fieldvisit.county.models import CountyBase
from fieldvisit.store.migrate import run_environment

run_environment(CountyBase.metadata, version_table="county_alembic_version")
