"""Household risk colours (红/黄/绿) and last completed visits, read for screens and reports.

Plain functions over the store, shared by the app (inside a worker) and printed reports.
Both are one or two aggregate selects, a fraction of a second for 30,000 households.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import Connection, func, select

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.quality.colours import household_colours
from fieldvisit.store import Store
from fieldvisit.store.models import Visit
from fieldvisit.visits import ledger
from fieldvisit.visits.visit import COMPLETED


def load_colours(store: Store, settings: Mapping[str, float] = DEFAULT_SETTINGS
                 ) -> dict[str, str]:
    """Live household id -> 红 | 黄 | 绿 (quality.colours over the open ledger problems)."""
    with store.reading() as conn:
        return colours_of(conn, settings)


def colours_of(conn: Connection, settings: Mapping[str, float] = DEFAULT_SETTINGS
               ) -> dict[str, str]:
    return household_colours(conn, ledger.open_problems_by_household(conn), settings)


def last_completed_visits(conn: Connection) -> dict[str, date]:
    """Household id -> the date of its last completed visit (households never visited
    are absent)."""
    return {
        household_id: last
        for household_id, last in conn.execute(
            select(Visit.household_id, func.max(Visit.completed_on))
            .where(Visit.deleted.is_(False), Visit.status == COMPLETED,
                   Visit.completed_on.is_not(None))
            .group_by(Visit.household_id))
        if last is not None  # never: completed_on IS NOT NULL above; narrows max()'s type
    }
