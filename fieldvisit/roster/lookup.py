"""A household as a cadre names it on the command line: its 户编号 or its head's ID number.

Cadres know a household by the 户编号 on its card or by the head's 身份证号 they read off
the card or the ID itself; the row id is accepted too (scripts print it). An ID is read
as a person types it (full-width digits, a lower-case x) and matched only against current
户主, so a former member's ID never names the household they left.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from fieldvisit import idcard
from fieldvisit.errors import FieldVisitError
from fieldvisit.roster.membership import CURRENT
from fieldvisit.roster.vocab import HEAD
from fieldvisit.store.models import Household, Member


class UnknownHouseholdError(FieldVisitError):
    reason = "unknown-household"


@dataclass(frozen=True, slots=True)
class HouseholdRef:
    id: str
    code: str
    village_id: str


def find_household(conn: Connection, text: str) -> HouseholdRef:
    """The live household whose 户编号, id or current head's ID number is ``text``."""
    wanted = text.strip()
    live = select(Household.id, Household.code, Household.village_id).where(
        Household.deleted.is_(False))
    row = conn.execute(live.where(or_(Household.code == wanted, Household.id == wanted))
                       ).first()
    if row is None:
        try:
            number = idcard.normalise(wanted)
        except FieldVisitError:  # e.g. 5.2E+17: not an ID anyone could hold
            number = ""
        if number:
            row = conn.execute(live.join(Member, Member.household_id == Household.id).where(
                CURRENT, Member.relation == HEAD, Member.id_number == number).limit(1)).first()
    if row is None:
        raise UnknownHouseholdError(
            f"没有户编号或户主身份证号为“{wanted}”的农户",
            f"no household with the 户编号 or head's ID number {wanted!r}")
    return HouseholdRef(row.id, row.code, row.village_id)
