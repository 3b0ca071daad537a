"""Console users, sessions and counts in process (no server): the wrong-password waits by
name and by address, expiry, disabling, and the 总览's minute-long counts."""

from __future__ import annotations

import time
from datetime import date, timedelta

from sqlalchemy import select, update
from sync_parties import VILLAGE, make_county

from fieldvisit.county import console, users
from fieldvisit.county.devices import now
from fieldvisit.county.models import AuditEntry, ConsoleSession, LoginAttempt
from fieldvisit.county.scope import Scope
from fieldvisit.store import Update
from fieldvisit.store.models import Household

PASSWORD = "long-enough-1"


def test_logins_sessions_and_the_waits(tmp_path):
    county = make_county(tmp_path / "county", households=5)
    try:
        users.add_user(county, "甲", "county", PASSWORD)
        users.add_user(county, "乙", f"village:{VILLAGE}", PASSWORD)
        good = users.log_in(county, "甲", PASSWORD, "10.0.0.1")
        found = users.session(county, good.cookie)
        assert found is not None and found.user.name == "甲" and found.user.scope.is_county
        assert users.session(county, "not-a-cookie") is None
        for _ in range(users.MAX_TRIES):
            assert users.log_in(county, "乙", "wrong", "10.0.0.2").reason == "bad-login"
        locked = users.log_in(county, "乙", PASSWORD, "10.0.0.2")
        assert locked.reason == "locked" and 0 < locked.wait <= users.LOCK_SECONDS * 2
        assert users.log_in(county, "甲", PASSWORD, "10.0.0.2").cookie  # others go on
        with county.store.transaction() as tx:  # the window passes
            tx.conn.execute(update(LoginAttempt).values(at=now() - timedelta(hours=1)))
        assert users.log_in(county, "乙", PASSWORD, "10.0.0.2").cookie

        for n in range(users.MAX_ADDRESS_TRIES):  # one address trying many names
            users.log_in(county, f"猜{n}", "wrong", "10.0.0.9")
        assert users.log_in(county, "甲", PASSWORD, "10.0.0.9").reason == "locked"
        assert users.log_in(county, "甲", PASSWORD, "10.0.0.3").cookie

        with county.store.transaction() as tx:
            tx.conn.execute(update(ConsoleSession).values(expires_at=now()))
        assert users.session(county, good.cookie) is None  # expired
        fresh = users.log_in(county, "甲", PASSWORD).cookie
        users.disable_user(county, "甲")
        assert users.session(county, fresh) is None  # disabling ends every session
        with county.store.reading() as conn:
            actions = set(conn.execute(select(AuditEntry.action)).scalars())
        assert {"user-add", "login", "login-locked", "user-disable"} <= actions
    finally:
        county.close()


def test_the_overview_counts_are_kept_a_minute_and_recounted_behind(tmp_path):
    county = make_county(tmp_path / "county", households=5)
    try:
        cache = console.CountsCache(seconds=0.2)
        today = date.today()
        lines, first = cache.lines(county.store, today)
        assert lines[VILLAGE].households == 5 and lines[VILLAGE].monitored_total >= 0
        with county.store.reading() as conn:
            one = conn.execute(select(Household.id)).scalars().first()
        county.store.write([Update("household", one, {"deleted": True})])
        assert cache.lines(county.store, today)[0][VILLAGE].households == 5  # kept
        time.sleep(0.3)
        cache.lines(county.store, today)  # served stale, recounted behind
        deadline = time.monotonic() + 10
        while cache.lines(county.store, today)[1] == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.lines(county.store, today)[0][VILLAGE].households == 4
        cache.clear()
        assert cache.lines(county.store, today)[0][VILLAGE].households == 4
        with county.store.reading() as conn:
            [township] = console.township_counts(conn, Scope("township", VILLAGE[:9]), today,
                                                 lines=cache.lines(county.store, today)[0])
        assert township.total.households == 4
    finally:
        county.close()
