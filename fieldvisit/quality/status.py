"""Household risk colours (红/黄/绿) and last completed visits, read for screens and reports.

Plain functions over the store, shared by the app (inside a worker) and printed reports.
Each is one or two aggregate selects, a fraction of a second for 30,000 households. Which
visits count for what is ``visits.kinds``': every kind is a contact, a signed one met the
household face to face, and a 遍访 counts for 遍访率 when a secretary made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.quality.colours import household_colours
from fieldvisit.store import Store
from fieldvisit.store.models import Visit
from fieldvisit.visits import kinds, ledger
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
    """Household id -> the date of its last completed visit of a kind that counts as a
    contact (households never visited are absent)."""
    return _last(conn, Visit.kind.in_(kinds.CONTACT_KINDS))


def last_face_to_face(conn: Connection) -> dict[str, date]:
    """Household id -> its last completed visit that met the household (户主签字)."""
    return _last(conn, Visit.kind.in_(kinds.CONTACT_KINDS),
                 Visit.confirmation == kinds.FACE_TO_FACE)


def surveyed_since(conn: Connection, day: date) -> set[str]:
    """Households a 遍访 by the village secretary or 第一书记 completed on or after ``day``
    (what 遍访率 counts)."""
    return set(_last(conn, Visit.kind == kinds.SURVEY,
                     Visit.visitor_role.in_(kinds.SECRETARY_ROLES), Visit.completed_on >= day))


def _last(conn: Connection, *where: Any) -> dict[str, date]:
    return {
        household_id: last
        for household_id, last in conn.execute(
            select(Visit.household_id, func.max(Visit.completed_on))
            .where(Visit.deleted.is_(False), Visit.status == COMPLETED,
                   Visit.completed_on.is_not(None), *where)
            .group_by(Visit.household_id))
        if last is not None  # never: completed_on IS NOT NULL above; narrows max()'s type
    }
