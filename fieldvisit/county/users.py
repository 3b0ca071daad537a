"""Web console users, their sessions, login attempts and the audit log.

A user has a role: ``county`` (everything, and alone approves 县级审批, manages devices and
users), ``township:CODE`` (the villages of one township, 乡镇审核) or ``village:CODE`` (one
village, read only). Passwords are kept as Argon2id hashes (argon2-cffi). A session is a
random cookie whose SHA-256 is stored with its CSRF token and expiry, so every server
process (``--workers N``, or several hosts on one PostgreSQL) knows every session; the
wrong-password counter and the audit log live in the database for the same reason.

Everything here writes the county's own tables through ``Store.transaction()`` (they are
not journaled: they never travel to a laptop).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, select, update

from fieldvisit.county.devices import now
from fieldvisit.county.models import AuditEntry, ConsoleSession, ConsoleUser, LoginAttempt
from fieldvisit.county.office import County
from fieldvisit.county.scope import Scope
from fieldvisit.store.models import table_of
from fieldvisit.sync.errors import SyncError

MIN_PASSWORD = 8
MAX_NAME = 64
SESSION_HOURS = 8
MAX_TRIES = 5  # wrong passwords in WINDOW before the account waits
MAX_ADDRESS_TRIES = 20  # wrong passwords from one address in WINDOW, whatever the names
WINDOW = timedelta(minutes=15)
LOCK_SECONDS = 60  # the first wait; each further wrong try doubles it, up to MAX_LOCK
MAX_LOCK = 900
_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile


class UserError(SyncError):
    """A refused user action (short password, unknown user, name taken)."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    scope: Scope
    disabled: bool
    created_at: datetime


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    expires_at: datetime


@dataclass(frozen=True)
class Login:
    """A login's outcome: the new session's cookie, or why not (``wait`` seconds)."""

    cookie: str | None
    reason: str = ""  # "" when logged in; bad-login, locked
    wait: int = 0
    user: User | None = None


def _user(row: Any) -> User:
    scope = Scope(row["role"], row["scope"] or "")
    return User(row["id"], row["name"], scope, bool(row["disabled"]), row["created_at"])


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError("bad-password", f"密码至少 {MIN_PASSWORD} 个字符",
                        f"a password has at least {MIN_PASSWORD} characters")


def add_user(county: County, name: str, role: str, password: str) -> User:
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(ch.isspace() for ch in name):
        raise UserError("bad-name", f"用户名须为 1–{MAX_NAME} 个字符，不含空格",
                        f"a user name has 1–{MAX_NAME} characters and no spaces")
    scope = Scope.parse(role)
    _check_password(password)
    table = table_of(ConsoleUser)
    with county.store.transaction() as tx:
        if tx.conn.execute(select(table.c.id).where(table.c.name == name)).first():
            raise UserError("user-exists", f"用户 {name} 已存在", f"user {name} exists")
        if not scope.is_county and not scope.villages(tx.conn):
            raise UserError("unknown-scope", f"县里的花名册中没有代码为 {scope.code} 的"
                            f"{'乡镇' if scope.role == 'township' else '村'}",
                            f"the county roster has no {scope.role} with code {scope.code}")
        stamp = now()
        tx.conn.execute(table.insert().values(
            name=name, role=scope.role, scope=scope.code, password_hash=_hasher.hash(password),
            disabled=False, created_at=stamp, password_changed_at=stamp))
        audit(tx.conn, "cli", "user-add", name, scope.text)
    found = find_user(county, name)
    assert found is not None
    return found


def find_user(county: County, name: str) -> User | None:
    table = table_of(ConsoleUser)
    with county.store.reading() as conn:
        row = conn.execute(select(table).where(table.c.name == name)).mappings().first()
    return _user(row) if row else None


def users(conn: Connection) -> list[User]:
    table = table_of(ConsoleUser)
    return [_user(row) for row in conn.execute(select(table).order_by(table.c.name)).mappings()]


def disable_user(county: County, name: str, disabled: bool = True) -> None:
    table = table_of(ConsoleUser)
    with county.store.transaction() as tx:
        row = tx.conn.execute(select(table.c.id).where(table.c.name == name)).first()
        if row is None:
            raise _unknown(name)
        tx.conn.execute(update(table).where(table.c.id == row.id).values(disabled=disabled))
        if disabled:
            tx.conn.execute(delete(ConsoleSession).where(ConsoleSession.user_id == row.id))
        audit(tx.conn, "cli", "user-disable" if disabled else "user-enable", name)


def set_password(county: County, name: str, password: str) -> None:
    """A new password; every session of the user ends."""
    _check_password(password)
    table = table_of(ConsoleUser)
    with county.store.transaction() as tx:
        row = tx.conn.execute(select(table.c.id).where(table.c.name == name)).first()
        if row is None:
            raise _unknown(name)
        tx.conn.execute(update(table).where(table.c.id == row.id).values(
            password_hash=_hasher.hash(password), password_changed_at=now()))
        tx.conn.execute(delete(ConsoleSession).where(ConsoleSession.user_id == row.id))
        audit(tx.conn, "cli", "user-passwd", name)


def _unknown(name: str) -> UserError:
    return UserError("unknown-user", f"没有用户 {name}", f"no user {name}")


# ---- logging in ----------------------------------------------------------------------

def log_in(county: County, name: str, password: str, address: str = "",
           hours: float = SESSION_HOURS) -> Login:
    """Check a password and open a session. After MAX_TRIES wrong passwords within WINDOW
    the account waits (LOCK_SECONDS, doubling with each further wrong try), whatever is
    typed, and the audit log says so; the password is not even checked while it waits.
    An address with MAX_ADDRESS_TRIES wrong passwords in WINDOW (trying many names) waits
    LOCK_SECONDS after its last."""
    name = name.strip()[:MAX_NAME]
    table = table_of(ConsoleUser)
    stamp = now()
    with county.store.reading() as conn:
        row = conn.execute(select(table).where(table.c.name == name)).mappings().first()
        wait = _wait(conn, name, stamp, address)
    if wait:
        with county.store.transaction() as tx:
            _attempt(tx.conn, name, False, address, stamp)
            audit(tx.conn, name, "login-locked", name, f"wait {wait} s", address)
        return Login(None, "locked", wait)
    ok = False
    if row is not None and not row["disabled"]:
        try:
            ok = _hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # the same time for an unknown name as for a wrong password
    with county.store.transaction() as tx:
        _attempt(tx.conn, name, ok, address, stamp)
        if not ok:
            failures = _failures(tx.conn, name, stamp)
            if failures >= MAX_TRIES:
                wait = _lock_for(failures)
                audit(tx.conn, name, "login-locked", name,
                      f"{failures} wrong passwords; wait {wait} s", address)
            return Login(None, "bad-login", wait)
        assert row is not None
        if _hasher.check_needs_rehash(row["password_hash"]):
            tx.conn.execute(update(table).where(table.c.id == row["id"]).values(
                password_hash=_hasher.hash(password)))
        cookie = secrets.token_urlsafe(32)
        tx.conn.execute(table_of(ConsoleSession).insert().values(
            token_hash=_digest(cookie), user_id=row["id"], csrf=secrets.token_urlsafe(24),
            created_at=stamp, expires_at=stamp + timedelta(hours=hours)))
        tx.conn.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < stamp))
        audit(tx.conn, name, "login", name, "", address)
    return Login(cookie, user=_user(row))


def _attempt(conn: Connection, name: str, ok: bool, address: str, stamp: datetime) -> None:
    conn.execute(table_of(LoginAttempt).insert().values(name=name, at=stamp, ok=ok,
                                                        address=address[:64]))


def _failures(conn: Connection, name: str, stamp: datetime) -> int:
    """Wrong tries in the window since the last good one."""
    last_ok = conn.execute(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.name == name, LoginAttempt.ok.is_(True))).scalar()
    since = max(d for d in (stamp - WINDOW, last_ok) if d is not None)
    return int(conn.execute(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.name == name, LoginAttempt.ok.is_(False),
        LoginAttempt.at > since)).scalar_one())


def _lock_for(failures: int) -> int:
    return int(min(MAX_LOCK, LOCK_SECONDS * 2 ** max(0, failures - MAX_TRIES)))


def _wait(conn: Connection, name: str, stamp: datetime, address: str = "") -> int:
    """Seconds the account (or, trying many names, the address) must still wait."""
    waits = [_name_wait(conn, name, stamp)]
    if address:
        last, failures = conn.execute(select(func.max(LoginAttempt.at), func.count()).where(
            LoginAttempt.address == address[:64], LoginAttempt.ok.is_(False),
            LoginAttempt.at > stamp - WINDOW)).one()
        if failures >= MAX_ADDRESS_TRIES and last is not None:
            left = (last + timedelta(seconds=LOCK_SECONDS) - stamp).total_seconds()
            waits.append(max(0, int(left + 0.999)))
    return max(waits)


def _name_wait(conn: Connection, name: str, stamp: datetime) -> int:
    failures = _failures(conn, name, stamp)
    if failures < MAX_TRIES:
        return 0
    last = conn.execute(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.name == name, LoginAttempt.ok.is_(False))).scalar()
    if last is None:
        return 0
    left = (last + timedelta(seconds=_lock_for(failures)) - stamp).total_seconds()
    return max(0, int(left + 0.999))


def session(county: County, cookie: str | None) -> Session | None:
    """The live session a cookie names, with its user (None: expired, unknown, disabled)."""
    if not cookie or len(cookie) > 200:
        return None
    s, u = table_of(ConsoleSession), table_of(ConsoleUser)
    with county.store.reading() as conn:
        row = conn.execute(select(u, s.c.csrf, s.c.expires_at).join(s, s.c.user_id == u.c.id)
                           .where(s.c.token_hash == _digest(cookie))).mappings().first()
    if row is None or row["disabled"] or row["expires_at"] <= now():
        return None
    return Session(_user(row), row["csrf"], row["expires_at"])


def log_out(county: County, cookie: str, actor: str, address: str = "") -> None:
    with county.store.transaction() as tx:
        tx.conn.execute(delete(ConsoleSession).where(
            ConsoleSession.token_hash == _digest(cookie)))
        audit(tx.conn, actor, "logout", actor, "", address)


def _digest(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


# ---- the audit log --------------------------------------------------------------------

def audit(conn: Connection, actor: str, action: str, target: str = "", detail: str = "",
          address: str = "") -> None:
    """One audit entry, in the caller's transaction."""
    conn.execute(table_of(AuditEntry).insert().values(
        at=now(), actor=actor[:64], action=action[:32], target=target[:128],
        detail=detail, address=address[:64]))


def record(county: County, actor: str, action: str, target: str = "", detail: str = "",
           address: str = "") -> None:
    """One audit entry in a transaction of its own."""
    with county.store.transaction() as tx:
        audit(tx.conn, actor, action, target, detail, address)


def audit_entries(conn: Connection, limit: int = 200, actions: Iterable[str] = ()
                  ) -> list[Any]:
    table = table_of(AuditEntry)
    query = select(table).order_by(table.c.id.desc()).limit(limit)
    wanted = list(actions)
    if wanted:
        query = query.where(table.c.action.in_(wanted))
    return list(conn.execute(query).mappings())
