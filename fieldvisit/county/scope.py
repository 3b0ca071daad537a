"""A user's or token's scope: the whole county, one township or one village.

Light on purpose (no Argon2, no Alembic): the CLI's ``server token`` and the API read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from fieldvisit.store.models import Township, Village
from fieldvisit.sync.errors import SyncError

ROLES = ("county", "township", "village")


@dataclass(frozen=True)
class Scope:
    """What a user (or token) may see: the whole county, a township or one village."""

    role: str
    code: str = ""

    @classmethod
    def parse(cls, text: str) -> Scope:
        role, _, code = text.strip().partition(":")
        role, code = role.strip().lower(), code.strip()
        if role == "county" and not code:
            return cls("county")
        if role == "township" and len(code) == 9 and code.isdigit():
            return cls("township", code)
        if role == "village" and len(code) == 12 and code.isdigit():
            return cls("village", code)
        raise SyncError("bad-role", f"角色应为 county、township:9位乡镇代码 或 village:12位村代码，"
                        f"不是“{text}”", "the role is county, township:CODE (9 digits) or "
                        f"village:CODE (12 digits), not '{text}'")

    @property
    def text(self) -> str:
        return self.role if self.role == "county" else f"{self.role}:{self.code}"

    @property
    def is_county(self) -> bool:
        return self.role == "county"

    def villages(self, conn: Connection) -> dict[str, str]:
        """Code → name of every village in scope (villages without a code are the
        county's alone: they cannot be named in a URL)."""
        query = select(Village.code, Village.name).where(
            Village.deleted.is_(False), Village.code.is_not(None)).order_by(Village.code)
        if self.role == "township":
            query = query.join(Township, Township.id == Village.township_id).where(
                Township.code == self.code)
        elif self.role == "village":
            query = query.where(Village.code == self.code)
        return {code: name for code, name in conn.execute(query) if code}

    def village_ids(self, conn: Connection) -> list[str] | None:
        """Village row ids in scope; None for the county (no filter needed)."""
        if self.is_county:
            return None
        query = select(Village.id).where(Village.deleted.is_(False))
        if self.role == "township":
            query = query.join(Township, Township.id == Village.township_id).where(
                Township.code == self.code)
        else:
            query = query.where(Village.code == self.code)
        return list(conn.execute(query).scalars())

    def allows_village(self, code: str | None) -> bool:
        """A quick check on a 12-digit code; the township's villages are those whose
        township row has the code (``villages``), which a 12-digit code begins with."""
        if self.is_county:
            return True
        if not code:
            return False
        return code == self.code if self.role == "village" else code.startswith(self.code)

    def allows_township(self, code: str) -> bool:
        return self.is_county or (self.role == "township" and code == self.code)
