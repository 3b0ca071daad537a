"""Search benchmark: the key index against the plain scan, village to county scale.

    .venv/bin/python benchmarks/search.py [--households 300000] [--keep DIR]

Makes demo stores of 3,000 and 30,000 households (fieldvisit.demo) and a county store of
``--households`` (default 300,000): the 30,000-household demo replicated in SQL, each copy
with its own ids, 户编号, ID numbers and phones (names repeat, as they do in a county).
For each size it prints:
- the time to load the search texts and, on top, to build the key index, and the
  memory both keep (tracemalloc, a separate build);
- p50/p95 over 200 mixed queries (names, pinyin, initials, ID fragments, phones,
  户编号, as benchmarks/roster.py draws them) for what the app does at that size (the
  scan below `INDEX_FROM` households, the index from there on), for the scan and for
  the index forced on;
- that every query gave the same households both ways.
The last line is one JSON object with the figures (`county_search_p95_ms`: the county
store, as the app and the console's index search it; `build/dev.py bench` runs this).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE = 30_000  # demo households made by fieldvisit.demo; larger stores copy them
QUERIES = 200
SHORT = ["1", "13", "x", "a", "王", "wf", "138", "000", "1965"]  # typed first, large answers


def make_store(folder: Path, households: int) -> Path:
    """A store of ``households``: a demo village set, or copies of the 30,000 one."""
    from fieldvisit import demo
    from fieldvisit.store import Store

    path = folder / f"store_{households}.sqlite"
    if path.exists():
        return path
    if households <= BASE:
        store = Store.open(path)
        demo.populate(store, households, seed=2026, today=date(2026, 11, 1))
        store.close()
        return path
    base = make_store(folder, BASE)
    copies = -(-households // BASE)
    shutil.copy(base, path)
    db = sqlite3.connect(path)
    db.execute("create temp table h as select * from household")
    db.execute("create temp table m as select * from member")
    # Copy k: ids and household ids start with k (a demo's UUIDv7 ids start with 0), the
    # 户编号's sequence goes up by k thousand, the ID's first six digits by k, and the
    # phone's third digit becomes k: every key as unique as in the demo itself.
    changed = {
        "id": "'{k}' || substr(id, 2)",
        "household_id": "'{k}' || substr(household_id, 2)",
        "code": "substr(code, 1, 12) || printf('%06d', {k} * 1000 + cast(substr(code, 13) as int))",
        "id_number": "printf('%06d', cast(substr(id_number, 1, 6) as int) + {k})"
                     " || substr(id_number, 7)",
        "phone": "case when phone is null then null"
                 " else substr(phone, 1, 2) || '{k}' || substr(phone, 4) end",
    }
    for k in range(1, copies):
        for table, temp, only in (
            ("household", "h", f"limit {min(BASE, households - k * BASE)}"),
            ("member", "m",
             f"where '{k}' || substr(household_id, 2) in (select id from household)"),
        ):
            columns = [row[1] for row in db.execute(f"pragma table_info({table})")]
            picked = ", ".join(changed[c].format(k=k) if c in changed else c for c in columns)
            db.execute(f"insert into {table} select {picked} from temp.{temp} {only}")
    db.commit()
    db.close()
    return path


def queries_for(conn) -> list[str]:
    """200 mixed queries drawn as benchmarks/roster.py draws them."""
    from sqlalchemy import select

    from fieldvisit.store.models import Household, Member

    people = conn.execute(select(Member.name, Member.name_pinyin, Member.name_initials,
                                 Member.id_number, Member.phone)).all()
    codes = conn.execute(select(Household.code)).scalars().all()
    rng = random.Random(1)
    queries = []
    for n in range(QUERIES):
        person = rng.choice(people)
        kind = n % 6
        queries.append(
            person.name if kind == 0 else person.name_pinyin[:6] if kind == 1
            else person.name_initials if kind == 2 else person.id_number[6:14] if kind == 3
            else (person.phone or "138")[-6:] if kind == 4 else rng.choice(codes)[-7:]
        )
    return queries


def timed(search, queries: list[str]) -> tuple[list[float], list[set[str]]]:
    timings, answers = [], []
    for query in queries:
        started = time.perf_counter()
        answers.append(search(query))
        timings.append((time.perf_counter() - started) * 1000)
    return timings, answers


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95)]


def kept_mb(store, index_from: int) -> tuple[float, float]:
    """(MB kept, MB at peak) by a search index built with ``index_from``."""
    from fieldvisit.roster.search import SearchIndex

    with store.reading() as conn:
        tracemalloc.start()
        index = SearchIndex.build(conn, index_from=index_from)
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    del index
    return kept / 1e6, peak / 1e6


def measure(path: Path) -> dict:
    from fieldvisit.roster.search import INDEX_FROM, SearchIndex
    from fieldvisit.store import Store

    store = Store.open(path)
    with store.reading() as conn:
        queries = queries_for(conn)
        texts_s = index_s = float("inf")
        for _ in range(2):  # the better of two: the machine is shared
            started = time.perf_counter()
            SearchIndex.build(conn, index_from=sys.maxsize)
            texts_s = min(texts_s, time.perf_counter() - started)
            started = time.perf_counter()
            indexed = SearchIndex.build(conn, index_from=0)
            index_s = min(index_s, time.perf_counter() - started - texts_s)
        app = SearchIndex.build(conn)
    households = len(indexed)
    app_ms, app_answers = timed(app.matches, queries)
    index_ms, index_answers = timed(indexed.matches, queries)
    scan_ms, scan_answers = timed(indexed.scan, queries)
    short_index, short_answers = timed(indexed.matches, SHORT)
    short_scan, short_scanned = timed(indexed.scan, SHORT)
    same = app_answers == index_answers == scan_answers and short_answers == short_scanned
    texts_mb, texts_peak = kept_mb(store, sys.maxsize)
    both_mb, both_peak = kept_mb(store, 0)
    store.close()
    return {
        "households": households, "app_indexed": households >= INDEX_FROM,
        "texts_s": texts_s, "index_build_s": index_s,
        "texts_mb": texts_mb, "index_mb": both_mb - texts_mb, "build_peak_mb": both_peak,
        "app_p50_ms": percentiles(app_ms)[0], "app_p95_ms": percentiles(app_ms)[1],
        "index_p50_ms": percentiles(index_ms)[0], "index_p95_ms": percentiles(index_ms)[1],
        "scan_p50_ms": percentiles(scan_ms)[0], "scan_p95_ms": percentiles(scan_ms)[1],
        "short": {query: (round(a, 1), round(b, 1))
                  for query, a, b in zip(SHORT, short_index, short_scan, strict=True)},
        "same_answers": same, "texts_peak_mb": texts_peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the stores")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fv-search-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {date.today()}, load average "
          f"{os.getloadavg()[0]:.1f} (the machine is shared: compare with the scan's figures)")
    figures = {}
    for households in (3_000, BASE, args.households):
        started = time.perf_counter()
        path = make_store(folder, households)
        made = time.perf_counter() - started
        result = measure(path)
        figures[households] = result
        print(f"{result['households']:,} households (store made in {made:.0f} s): "
              f"texts {result['texts_s']:.2f} s / {result['texts_mb']:.0f} MB; key index "
              f"+{result['index_build_s']:.2f} s / +{result['index_mb']:.0f} MB "
              f"(peak {result['build_peak_mb']:.0f} MB while building)")
        print(f"  app ({'index' if result['app_indexed'] else 'scan'}): p50 "
              f"{result['app_p50_ms']:.1f} ms, p95 {result['app_p95_ms']:.1f} ms | index: "
              f"p50 {result['index_p50_ms']:.1f}, p95 {result['index_p95_ms']:.1f} | scan: "
              f"p50 {result['scan_p50_ms']:.1f}, p95 {result['scan_p95_ms']:.1f} "
              f"({QUERIES} mixed queries); same answers: {result['same_answers']}")
        print("  short queries, index / scan ms: " + ", ".join(
            f"{query} {a}/{b}" for query, (a, b) in result["short"].items()))
    county = figures[args.households]
    print(json.dumps({"households": county["households"],
                      "county_search_p95_ms": round(county["app_p95_ms"], 1),
                      "county_search_p50_ms": round(county["app_p50_ms"], 1),
                      "scan_p95_ms": round(county["scan_p95_ms"], 1),
                      "index_build_s": round(county["index_build_s"], 2),
                      "index_mb": round(county["index_mb"]),
                      "village_p95_ms": round(figures[3_000]["app_p95_ms"], 1),
                      "same_answers": all(f["same_answers"] for f in figures.values())}))


if __name__ == "__main__":
    main()
