"""The county server's own tables, beside the store's (households, journal …).

They have their own Alembic history (fieldvisit/county/migrations, version table
``county_alembic_version``), so a laptop's database never carries them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class CountyBase(DeclarativeBase):
    pass


class Device(CountyBase):
    """A laptop enrolled for one village. ``pending`` until its first bundle proves the
    activation code and registers its public key; ``revoked`` devices are refused."""

    __tablename__ = "county_device"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    village: Mapped[str] = mapped_column(String(12), nullable=False)
    cadre: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False)  # pending/active/revoked
    activation_key: Mapped[str] = mapped_column(String(64), nullable=False)
    public_key: Mapped[str | None] = mapped_column(String(64))
    acked: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    return_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_created: Mapped[str] = mapped_column(String(48), nullable=False, default="")
    last_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    enrolled_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class ReceivedBundle(CountyBase):
    """Every bundle that reached the county, accepted or not, with its verdict."""

    __tablename__ = "county_bundle"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_id: Mapped[str | None] = mapped_column(String(32), index=True)
    device: Mapped[str | None] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    verdict: Mapped[str] = mapped_column(String(8), nullable=False)  # accepted / rejected
    reason: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    header: Mapped[str] = mapped_column(Text, nullable=False, default="")
    changes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Conflict(CountyBase):
    """Two devices changed one field since a common base. Every value is kept
    (``candidates``, JSON list of {value, clock, device}); ``winner`` is the provisional
    or decided value (JSON text) that the village's laptops receive."""

    __tablename__ = "county_conflict"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    village: Mapped[str] = mapped_column(String(12), nullable=False)
    entity: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(32), nullable=False)
    field: Mapped[str] = mapped_column(String(64), nullable=False)
    base: Mapped[str | None] = mapped_column(Text)
    candidates: Mapped[str] = mapped_column(Text, nullable=False)
    winner: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), nullable=False)  # open / decided
    decided_by: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)


class Quarantined(CountyBase):
    """A stored journal entry that fails today's field rules (written by an older version,
    or before a rule existed): left out of return bundles and enrollment files, so one bad
    row never stops a village's sync, and listed by ``server bundles`` with its device."""

    __tablename__ = "county_quarantine"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    village: Mapped[str] = mapped_column(String(12), nullable=False)
    entity: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(32), nullable=False)
    field: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(64), nullable=False)  # device, or "county"
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    found_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class ConsoleUser(CountyBase):
    """A person using the web console: ``role`` county, township or village, ``scope`` the
    township's 9-digit or the village's 12-digit code (empty for county users); the
    password only as its Argon2id hash."""

    __tablename__ = "county_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)  # county/township/village
    scope: Mapped[str] = mapped_column(String(12), nullable=False, default="")
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class ConsoleSession(CountyBase):
    """A logged-in browser: the cookie's SHA-256 (never the cookie), its CSRF token and
    when it expires. In the database, so any server process serves any session."""

    __tablename__ = "county_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    csrf: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class LoginAttempt(CountyBase):
    """Every login try, so the wrong-password counter holds across processes."""

    __tablename__ = "county_login_attempt"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    address: Mapped[str] = mapped_column(String(64), nullable=False, default="")


class AuditEntry(CountyBase):
    """Who did what and when: every decision, export, login lockout and user change."""

    __tablename__ = "county_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    target: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    address: Mapped[str] = mapped_column(String(64), nullable=False, default="")
