"""The console under load, on PostgreSQL (the issue's measure): 200 concurrent logged-in
page requests and, at the same moment, 50 laptops uploading bundles, against a real
server process with two workers; no error, and the page times' p50/p95 printed (and
written to ``console_load.json`` in the test's folder) for docs/performance.md.

Skipped, saying why, without FIELDVISIT_TEST_DATABASE_URL.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, select, text
from sync_parties import VILLAGE, make_county, make_laptop
from test_console_routes import PASSWORD, Browser
from test_server_http import (
    POSTGRES,
    TIMEOUT,
    _start,
    _stop,
    quick_activation_key,
    web_command,
)

from fieldvisit.county import devices, users
from fieldvisit.store import Update
from fieldvisit.store.models import Household, Member
from fieldvisit.sync import laptop
from fieldvisit.sync.network import sync_over_network

pytestmark = pytest.mark.skipif(
    not POSTGRES.startswith("postgresql"),
    reason="FIELDVISIT_TEST_DATABASE_URL does not name a PostgreSQL database")
PAGES_AT_ONCE = 200
UPLOADS_AT_ONCE = 50
SESSIONS = 20
HOUSEHOLDS = 600


def test_200_pages_and_50_uploads_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(devices, "activation_key", quick_activation_key)
    monkeypatch.setattr(laptop, "activation_key", quick_activation_key)
    schema = f"fv_load_{uuid.uuid4().hex[:12]}"
    base = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    county = process = None
    try:
        county = make_county(tmp_path / "county", households=HOUSEHOLDS, database_url=database)
        county.store.meta.county_code = VILLAGE[:6]
        users.add_user(county, "县里", "county", PASSWORD)
        users.add_user(county, "乡镇", f"township:{VILLAGE[:9]}", PASSWORD)
        with county.store.reading() as conn:
            codes = conn.execute(select(Household.code).order_by(Household.code)
                                 .limit(50)).scalars().all()
            members = conn.execute(select(Member.id).order_by(Member.id)
                                   .limit(UPLOADS_AT_ONCE)).scalars().all()
        parties = [make_laptop(county, tmp_path / f"p{i}", f"干部{i}")
                   for i in range(UPLOADS_AT_ONCE)]
        for i, (party, member) in enumerate(zip(parties, members, strict=True)):
            party.store.write([Update("member", member, {"phone": f"1370000{i:04d}"})])
        command = lambda port: [*web_command(tmp_path / "county", database, port),  # noqa: E731
                                "--workers", "2"]
        process, url = _start(command, tmp_path / "server.log")
        browsers = []
        for i in range(SESSIONS):
            browser = Browser(url)
            assert browser.log_in("县里" if i % 2 else "乡镇", PASSWORD).status == 303
            browsers.append(browser)
        pages = ["/", f"/villages/{VILLAGE}", "/cases", "/conflicts", "/devices", "/bundles",
                 "/search?q=wang", *(f"/households/{code}" for code in codes)]
        calm = {}
        for path in pages[:8]:  # one at a time first: each page's own time
            browsers[0].get(path)
            begun = time.monotonic()
            assert browsers[0].get(path).status == 200
            calm[path] = round((time.monotonic() - begun) * 1000)

        def burst(uploads: int) -> tuple[list[tuple[str, int, float]], float]:
            gate = threading.Barrier(PAGES_AT_ONCE + uploads, timeout=TIMEOUT * 2)

            def page(i: int) -> tuple[str, int, float]:
                browser, path = browsers[i % SESSIONS], pages[i % len(pages)]
                gate.wait()
                begun = time.monotonic()
                answer = browser.get(path)
                return path, answer.status, time.monotonic() - begun

            def upload(i: int) -> tuple[str, int, float]:
                gate.wait()
                begun = time.monotonic()
                imported = sync_over_network(parties[i].store, url, TIMEOUT * 5)
                return "upload", 200 if imported.acked > 0 else 0, time.monotonic() - begun

            begun = time.monotonic()
            with ThreadPoolExecutor(PAGES_AT_ONCE + uploads) as pool:
                futures = [pool.submit(page, i) for i in range(PAGES_AT_ONCE)]
                futures += [pool.submit(upload, i) for i in range(uploads)]
                results = [future.result(timeout=TIMEOUT * 10) for future in futures]
            return results, time.monotonic() - begun

        def p95(values: list[float]) -> int:
            return round(sorted(values)[int(len(values) * 0.95) - 1] * 1000)

        alone, alone_wall = burst(0)
        results, wall = burst(UPLOADS_AT_ONCE)
        failed = [r for r in alone + results if r[1] != 200]
        assert failed == []
        times = sorted(seconds for path, _, seconds in results if path != "upload")
        uploads = sorted(seconds for path, _, seconds in results if path == "upload")
        figures = {
            "calm_ms": calm,
            "pages_alone_p50_ms": round(statistics.median(r[2] for r in alone) * 1000),
            "pages_alone_p95_ms": p95([r[2] for r in alone]),
            "pages_alone_wall_s": round(alone_wall, 2),
            "pages": len(times), "uploads": len(uploads), "wall_s": round(wall, 2),
            "page_p50_ms": round(statistics.median(times) * 1000),
            "page_p95_ms": p95(times), "page_max_ms": round(times[-1] * 1000),
            "upload_p50_s": round(statistics.median(uploads), 2),
            "upload_max_s": round(uploads[-1], 2), "households": HOUSEHOLDS, "workers": 2}
        (tmp_path / "console_load.json").write_text(json.dumps(figures))
        print("\nconsole load:", json.dumps(figures))
        for i, (party, member) in enumerate(zip(parties, members, strict=True)):
            with county.store.reading() as conn:
                assert conn.execute(select(Member.phone).where(Member.id == member)
                                    ).scalar_one() == f"1370000{i:04d}"
            party.store.close()
    finally:
        if process is not None:
            _stop(process)
        if county is not None:
            county.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
