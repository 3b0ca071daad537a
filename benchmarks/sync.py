"""Sync benchmark: a village laptop's export and import, and the county's ingest.

    .venv/bin/python benchmarks/sync.py [--households 2500] [--rounds 3] [--photos 1000]
        [--uploads 50] [--keep DIR] [--postgres URL | --no-postgres] [--no-sqlite]
        [--breakdown] [--profile STEP ...]

The figures in docs/performance.md are from ``--households 10000`` (the issue's size;
the default is quicker), with 2,500 and 5,000 for the scaling.

For each county database (SQLite, and PostgreSQL in a database of its own that this
script drops and recreates, ``fieldvisit_bench`` by default), from scratch:

- a county whose demo roster has one village of ``--households`` households, a laptop
  enrolled for it (enrollment file written, then applied on the laptop);
- ``--rounds`` times: the cadre changes every household, three fields each (address and
  帮扶责任人 name and phone: three journal changes per household), through
  ``Store.write`` in batches of 1,000 households; then, timed, ``export_bundle`` on the
  laptop, ``ingest`` at the county (verify, decrypt, merge, journal), ``return_bundle``
  and ``import_return`` on the laptop. The machine is shared and noisy: the best round
  counts. Before the first return bundle the county's own roster entries are labelled
  with their village (once, timed apart);
- then ``--photos`` photos of 200 KB (random bytes behind a JPEG header) attached to
  draft visits, and one round trip with them.

The floor for ingest is the bare database work of the same effect: the journal rows the
last ingest wrote and the same row updates, into plain tables (same columns, primary
keys only) straight through the driver in one transaction, by COPY (PostgreSQL) or
executemany, whichever is faster, best of three; ratio = ingest / floor. The same on
tables carrying the store's own indexes is printed beside it. The last line is, per county
database, ingest_changes_per_s, ingest_ratio, ingest_ratio_indexed (against the floor on
tables with the store's indexes) and return_import_s (with photos: return_import_photos_s)
as one JSON object.

Then, when the HTTP server exists (fieldvisit/server/web.py), ``--uploads`` laptops of
one village sync at once (``sync_over_network``) with a server started as a subprocess
(on PostgreSQL unless --no-postgres); otherwise it prints "skipped: no server".

``--breakdown`` prints where each step's time goes (timers on the main functions);
``--profile ingest`` (or export, import, enroll, return, label, attach, …) runs that step
under cProfile. Targets (the sync issue): export ≤ 3 s without photos for 10,000 changed
households, ingest ≥ 5,000 changes/s and within 3x of the floor, no failed upload.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import (  # noqa: E402
    Column,
    Engine,
    Index,
    MetaData,
    Table,
    UniqueConstraint,
    create_engine,
    func,
    make_url,
    select,
    text,
)

from fieldvisit import demo  # noqa: E402
from fieldvisit.checklist.forms import bundled_forms_dir, load_forms  # noqa: E402
from fieldvisit.county import devices  # noqa: E402
from fieldvisit.county.ingest import ingest  # noqa: E402
from fieldvisit.county.office import County  # noqa: E402
from fieldvisit.county.returns import assign_scopes, return_bundle  # noqa: E402
from fieldvisit.store import Edit, Insert, Store, Update  # noqa: E402
from fieldvisit.store.models import Household, JournalEntry  # noqa: E402
from fieldvisit.sync import laptop  # noqa: E402
from fieldvisit.visits import photos, visit  # noqa: E402

TODAY = date(2026, 11, 1)
SEED = 2026
BATCH = 1000  # households per Store.write when the cadre's changes are made
CHANGED_FIELDS = ("address", "helper_name", "helper_phone")
PHOTOS_PER_VISIT = 10
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
T = TypeVar("T")


@dataclass
class Run:
    """One county database's figures, in seconds unless named otherwise."""

    backend: str
    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class Timer:
    def __init__(self, profile: set[str], breakdown: Breakdown | None) -> None:
        self.profile = profile
        self.breakdown = breakdown

    def __call__(self, name: str, run: Callable[[], T]) -> tuple[T, float]:
        gc.collect()
        if self.breakdown is not None:
            self.breakdown.take()
        profiler = cProfile.Profile() if name in self.profile else None
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        result = run()
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - started
        if profiler is not None:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(20)
            print(f"--- profile of {name} ({seconds:.2f} s) ---\n{out.getvalue()}")
        if self.breakdown is not None:
            print(f"  {name} {seconds:.3f} s: {self.breakdown.take()}")
        return result, seconds


# Where a step's time goes, without a profiler's overhead: these functions are wrapped
# with accumulating timers (nested ones count inside their callers too).
BREAKDOWN = {
    "fieldvisit.sync.bundle": ("file_hash", "read_header", "verify_file", "open_body",
                               "write", "_zip_members", "_encrypt"),
    "fieldvisit.county.ingest": ("_check", "_changes", "_refuse_outside_village", "_apply", "_keep",
                                 "_record"),
    "fieldvisit.store.foreign": ("apply_changes",),
    "fieldvisit.store.foreign._Batch": ("prefetch", "flush"),
    "fieldvisit.store.journal": ("own_changes",),
    "fieldvisit.visits.photos": ("keep_bundle_files", "bundle_files"),
    "fieldvisit.county.returns": ("assign_scopes",),
}


class Breakdown:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def install(self) -> None:
        import importlib

        for where, names in BREAKDOWN.items():
            module_name, _, class_name = where.partition("._")
            owner: Any = importlib.import_module(module_name if class_name else where)
            if class_name:
                owner = getattr(owner, "_" + class_name)
            for name in names:
                if not hasattr(owner, name):
                    continue  # renamed since: the breakdown is a diagnostic
                setattr(owner, name, self._wrap(f"{where.rsplit('.', 1)[-1]}.{name}",
                                                getattr(owner, name)))

    def _wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) \
                    + time.perf_counter() - started
                self.calls[label] = self.calls.get(label, 0) + 1
        return timed

    def take(self) -> str:
        parts = [f"{label} {seconds:.3f} s" + (f" ({self.calls[label]}x)"
                                               if self.calls[label] > 1 else "")
                 for label, seconds in self.seconds.items()]
        self.seconds.clear()
        self.calls.clear()
        return "; ".join(parts)


# ---- the data ----------------------------------------------------------------------------

def one_village(households: int) -> list[Edit]:
    """The demo roster with all ``households`` in the first village (the demo makes
    villages of 600): the laptop's village must hold them all."""
    edits = demo.demo_edits(households, SEED, TODAY)
    village = next(e for e in edits if e.entity == "village")
    assert isinstance(village, Insert)
    groups = [e.id for e in edits if e.entity == "village_group"
              and e.fields["village_id"] == village.id]
    dropped = {e.id for e in edits if e.entity in ("village", "village_group")
               and e.id != village.id and e.id not in groups}
    rng = random.Random(SEED)
    kept: list[Edit] = []
    number = 0
    for edit in edits:
        if edit.id in dropped:
            continue
        if edit.entity == "household":
            number += 1
            if edit.fields["village_id"] != village.id:
                edit.fields.update(village_id=village.id, group_id=rng.choice(groups))
            edit.fields["code"] = f"{village.fields['code']}{number:06d}"
        kept.append(edit)
    return kept


def photo_files(folder: Path, count: int, size: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    rng = random.Random(SEED)
    for n in range(count):
        path = folder / f"IMG_{n:04d}.jpg"
        if not path.exists() or path.stat().st_size != size:
            path.write_bytes(b"\xff\xd8\xff\xe0" + rng.randbytes(size - 4))
        paths.append(path)
    return paths


def change_households(store: Store, ids: list[str], round_: int) -> int:
    """Three fields of every household, 1,000 households per write; fields changed.
    Each round writes values no earlier round wrote."""
    changed = 0
    for start in range(0, len(ids), BATCH):
        edits: list[Edit] = []
        for n, household_id in enumerate(ids[start:start + BATCH], start):
            edits.append(Update("household", household_id, {
                "address": f"{n % 9 + 1}组{n % 150 + 1}号附{round_}-{n % 7 + 1}",
                "helper_name": "新" + "德明华建国平志强英秀"[(n + round_) % 10] + "同志"[n % 2],
                "helper_phone": f"19{round_ % 10}{n:08d}"}))
        changed += store.write(edits).fields_changed
    return changed


# ---- databases -----------------------------------------------------------------------------

def fresh_postgres(url: str) -> str:
    """Drop and recreate the benchmark's own database; never touches any other."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return url


def floor_tables(engine: Engine, source: Engine, schema: str | None, indexed: bool
                 ) -> tuple[Table, Table]:
    """Tables with the columns of the store's journal and household tables and their
    primary keys; ``indexed``: with the store's other indexes too (never foreign keys)."""
    metadata = MetaData(schema=schema)
    made = []
    for name in ("journal", "household"):
        real = Table(name, MetaData(), autoload_with=source)
        suffix = "_indexed" if indexed else ""
        columns = [Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
                   for c in real.columns]
        table = Table(f"floor_{name}{suffix}", metadata, *columns)
        if indexed:
            for index in real.indexes:
                Index(f"floor_{index.name}", *(table.c[c.name] for c in index.columns),
                      unique=bool(index.unique))
            for constraint in real.constraints:
                if isinstance(constraint, UniqueConstraint):
                    names = [column.name for column in constraint.columns]
                    Index(f"floor_{name}_{'_'.join(names)}_key",
                          *(table.c[c] for c in names), unique=True)
        made.append(table)
    with engine.begin() as conn:
        if schema:
            conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
        metadata.drop_all(conn)
        metadata.create_all(conn)
    return made[0], made[1]


def floor(county: County, device: str, after_seq: int, folder: Path) -> dict[str, float]:
    """The bare database work of the ingest just done: its journal rows and its row
    updates, into plain tables (and, for comparison, into tables with the store's
    indexes), in one transaction; each way best of three."""
    store = county.store
    j = JournalEntry
    cols = ("clock", "actor", "entity", "entity_id", "field", "old", "new", "origin", "scope")
    with store.reading() as conn:
        journal = [tuple(row) for row in conn.execute(
            select(*(j.__table__.c[c] for c in cols)).where(
                j.origin == device, j.seq > after_seq).order_by(j.seq))]
        households = [dict(row) for row in conn.execute(
            select(Household.__table__)).mappings()]
    updates = [(*(row[f] for f in CHANGED_FIELDS), row["rev"], row["changed_by"], row["id"])
               for row in households]
    if store.engine.dialect.name == "postgresql":
        engine, schema = store.engine, "floor"
    else:
        engine, schema = create_engine(f"sqlite:///{folder / 'floor.sqlite'}"), None
    prefix = f"{schema}." if schema else ""
    placeholder = "%s" if engine.dialect.name == "postgresql" else "?"
    best: dict[str, float] = {}
    for indexed in (False, True):
        journal_table, household_table = floor_tables(engine, store.engine, schema, indexed)
        with engine.begin() as conn:
            conn.execute(household_table.insert(), households)
        journal_name = prefix + journal_table.name
        household_name = prefix + household_table.name

        def executemany(journal_name: str = journal_name,
                        household_name: str = household_name) -> None:
            with engine.begin() as conn:
                cursor = conn.connection.cursor()
                cursor.executemany(
                    f"INSERT INTO {journal_name} ({', '.join(cols)}) VALUES "
                    f"({', '.join([placeholder] * len(cols))})", journal)
                cursor.executemany(
                    f"UPDATE {household_name} SET " + ", ".join(
                        f"{c} = {placeholder}" for c in (*CHANGED_FIELDS, "rev", "changed_by"))
                    + f" WHERE id = {placeholder}", updates)

        def copy(journal_name: str = journal_name,
                 household_name: str = household_name) -> None:
            with engine.begin() as conn:
                cursor = conn.connection.cursor()
                with cursor.copy(f"COPY {journal_name} ({', '.join(cols)}) FROM STDIN") as out:
                    for row in journal:
                        out.write_row(row)
                cursor.execute("CREATE TEMP TABLE floor_changed (address text, helper_name "
                               "text, helper_phone text, rev text, changed_by text, id text) "
                               "ON COMMIT DROP")
                with cursor.copy("COPY floor_changed FROM STDIN") as out:
                    for row in updates:
                        out.write_row(row)
                cursor.execute(
                    f"UPDATE {household_name} AS h SET address = c.address, helper_name = "
                    "c.helper_name, helper_phone = c.helper_phone, rev = c.rev, changed_by = "
                    "c.changed_by FROM floor_changed AS c WHERE h.id = c.id")

        ways: dict[str, Callable[[], None]] = {"executemany": executemany}
        if engine.dialect.name == "postgresql":
            ways["COPY"] = copy
        for name, way in ways.items():
            label = name + (" (store's indexes)" if indexed else "")
            for _attempt in range(3):
                gc.collect()
                started = time.perf_counter()
                way()
                best[label] = min(best.get(label, float("inf")),
                                  time.perf_counter() - started)
    if engine is not store.engine:
        engine.dispose()
    return best


# ---- one county database ---------------------------------------------------------------

def run_backend(backend: str, database_url: str | None, folder: Path, edits: list[Edit],
                photo_paths: list[Path], timer: Timer, rounds_wanted: int) -> Run:
    run = Run(backend)
    fig = run.figures
    if folder.exists():
        shutil.rmtree(folder)
    stick = folder / "stick"
    county = County.open(folder / "county", database_url=database_url)
    _, fig["county roster"] = timer("populate", lambda: county.store.write(edits))
    village = next(e for e in edits if e.entity == "village").fields["code"]
    enrolled, fig["enrollment file"] = timer(
        "enroll-file", lambda: devices.enroll(county, village, "王干部", stick / "enroll"))
    store = Store.open(folder / "laptop" / "fieldvisit.sqlite", actor="王干部")
    _, fig["laptop enroll"] = timer(
        "enroll", lambda: laptop.enroll(store, enrolled.path, enrolled.code))
    fig["households"] = enrolled.households
    with store.reading() as conn:
        ids = list(conn.execute(select(Household.id).order_by(Household.code)).scalars())
    # Rounds: the cadre changes every household, exports; the county ingests and
    # returns; the laptop imports. This machine is shared and noisy: the best round counts.
    rounds: dict[str, list[float]] = {}
    for round_ in range(rounds_wanted):
        def timed(name: str, run: Callable[[], T]) -> T:
            result, seconds = timer(name, run)
            rounds.setdefault(name, []).append(seconds)
            return result

        fig["changes made"] = timed(
            "edit", lambda r=round_: change_households(store, ids, r))
        exported = timed("export", lambda: laptop.export_bundle(store, stick))
        fig["changes"] = exported.changes
        fig["bundle MB"] = exported.path.stat().st_size / 1e6
        with county.store.reading() as conn:
            before = conn.execute(select(func.max(JournalEntry.seq))).scalar_one()
        verdict = timed("ingest", lambda path=exported.path: ingest(county, path))
        if not verdict.accepted:
            raise SystemExit(f"{backend}: ingest refused: {verdict.message}")
        fig["applied"] = verdict.changes
        if round_ == 0:
            with county.store.transaction() as tx:
                fig["labelled"], fig["label roster"] = timer(
                    "label", lambda: assign_scopes(tx.conn))
        back = timed("return", lambda r=round_: return_bundle(county, enrolled.device,
                                                              stick / f"back{r}"))
        imported = timed("import", lambda path=back: laptop.import_return(store, path))
        fig["returned"] = imported.applied.inserted + imported.applied.updated \
            + imported.applied.skipped
    for name, seconds in rounds.items():
        fig[name] = min(seconds)
        run.notes.append(f"{name}: " + ", ".join(f"{s:.2f}" for s in seconds) + " s")
    floors = floor(county, enrolled.device, before, folder)
    fig["floor"] = min(seconds for way, seconds in floors.items() if "index" not in way)
    fig["floor indexed"] = min(seconds for way, seconds in floors.items() if "index" in way)
    run.notes.append("floor: " + ", ".join(f"{way} {s:.3f} s" for way, s in floors.items())
                     + f" ({fig['applied']:,.0f} journal rows + {len(ids):,} row updates)")

    if photo_paths:
        formset = load_forms(bundled_forms_dir())
        visits = [visit.start(store, household_id, formset, "王干部", TODAY)
                  for household_id in ids[:max(1, len(photo_paths) // PHOTOS_PER_VISIT)]]

        def attach_all() -> None:
            for n, path in enumerate(photo_paths):
                photos.attach(store, path, visit_id=visits[n % len(visits)])

        _, fig["attach"] = timer("attach", attach_all)
        exported, fig["export photos"] = timer(
            "export-photos", lambda: laptop.export_bundle(store, stick))
        fig["photo bundle MB"] = exported.path.stat().st_size / 1e6
        fig["photo attachments"] = exported.attachments
        verdict, fig["ingest photos"] = timer("ingest-photos",
                                              lambda: ingest(county, exported.path))
        if not verdict.accepted:
            raise SystemExit(f"{backend}: photo bundle refused: {verdict.message}")
        back, fig["return photos"] = timer(
            "return-photos", lambda: return_bundle(county, enrolled.device, stick / "back2"))
        _, fig["import photos"] = timer("import-photos",
                                        lambda: laptop.import_return(store, back))
    store.close()
    county.close()
    return run


# ---- HTTP uploads ------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def uploads(count: int, database_url: str | None, folder: Path) -> str:
    """``count`` laptops of one village, each with 12 changed households, sync at once
    over HTTP with a county server started as a subprocess."""
    if not (ROOT / "fieldvisit" / "server" / "web.py").exists():
        return "skipped: no server"
    from fieldvisit.county.models import ReceivedBundle
    from fieldvisit.sync import network

    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    county = County.open(folder / "county", database_url=database_url)
    edits = one_village(count * 12)
    county.store.write(edits)
    village = next(e for e in edits if e.entity == "village").fields["code"]
    laptops: list[Store] = []
    for n in range(count):
        enrolled = devices.enroll(county, village, f"干部{n}", folder / "enroll")
        store = Store.open(folder / f"laptop{n}" / "fieldvisit.sqlite", actor=f"干部{n}")
        laptop.enroll(store, enrolled.path, enrolled.code)
        with store.reading() as conn:
            ids = list(conn.execute(select(Household.id).order_by(Household.code)).scalars())
        change_households(store, ids[n * 12:(n + 1) * 12], n)
        laptops.append(store)
    county.close()
    setup = time.perf_counter() - started

    port = free_port()
    command = [sys.executable, "-m", "fieldvisit.server.web", "--data-dir",
               str(folder / "county"), "--port", str(port)]
    if database_url:
        command += ["--database", database_url]
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    return f"failed: the server did not start (see {folder / 'server.log'})"
                time.sleep(0.2)
        gate = threading.Barrier(count)
        latencies: list[float] = []
        failures: list[str] = []
        applied: list[int] = []

        def sync(store: Store) -> None:
            gate.wait()
            begun = time.perf_counter()
            try:
                imported = network.sync_over_network(store, url)
            except Exception as error:  # every failure is counted
                failures.append(f"{type(error).__name__}: {error}"[:200])
                return
            latencies.append(time.perf_counter() - begun)
            applied.append(imported.acked)

        threads = [threading.Thread(target=sync, args=(store,)) for store in laptops]
        begun = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - begun
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        for store in laptops:
            store.close()
    county = County.open(folder / "county", database_url=database_url)
    with county.store.reading() as conn:
        accepted = conn.execute(select(func.count()).select_from(ReceivedBundle).where(
            ReceivedBundle.verdict == "accepted")).scalar_one()
    county.close()
    latencies.sort()
    line = (f"{len(latencies)} of {count} synced, {len(failures)} failed, {accepted} bundles "
            f"accepted by the county; all done in {wall:.1f} s; per laptop (export, upload, "
            f"ingest, return bundle, import) p50 {statistics.median(latencies or [0]):.1f} s, "
            f"p95 {latencies[int(len(latencies) * 0.95)] if latencies else 0:.1f} s, max "
            f"{max(latencies or [0]):.1f} s (setup {setup:.0f} s)")
    for failure in sorted(set(failures))[:5]:
        line += f"\n  failure: {failure}"
    return line


# ---- report ------------------------------------------------------------------------------

def report(runs: list[Run], upload_line: str) -> None:
    print()
    for run in runs:
        f = run.figures
        print(f"[{run.backend}] {f['households']:,.0f} households in the village; county "
              f"roster load {f['county roster']:.1f} s; enrollment file {f['enrollment file']:.1f}"
              f" s; laptop enroll {f['laptop enroll']:.1f} s; cadre's edits "
              f"{f['changes made']:,.0f} fields in {f['edit']:.1f} s a round")
    print()
    header = ("| county db | changes | export | bundle | ingest | changes/s | floor | ratio "
              "| label roster | return | import |")
    print(header)
    print("|---" * 11 + "|")
    for run in runs:
        f = run.figures
        print(f"| {run.backend} | {f['changes']:,.0f} | {f['export']:.2f} s | "
              f"{f['bundle MB']:.1f} MB | {f['ingest']:.2f} s | "
              f"{f['applied'] / f['ingest']:,.0f} | {f['floor']:.2f} s | "
              f"{f['ingest'] / f['floor']:.1f}x | {f['label roster']:.2f} s "
              f"({f['labelled']:,.0f}) | {f['return']:.2f} s | {f['import']:.2f} s |")
    for run in runs:
        for note in run.notes:
            print(f"  {run.backend} {note}")
    photo_runs = [run for run in runs if "export photos" in run.figures]
    if photo_runs:
        print()
        print("| county db | photos | attach | export | bundle | ingest | return | import |")
        print("|---" * 8 + "|")
        for run in photo_runs:
            f = run.figures
            print(f"| {run.backend} | {f['photo attachments']:,.0f} | {f['attach']:.1f} s | "
                  f"{f['export photos']:.2f} s | {f['photo bundle MB']:.0f} MB | "
                  f"{f['ingest photos']:.2f} s | {f['return photos']:.2f} s | "
                  f"{f['import photos']:.2f} s |")
    print()
    print(f"concurrent uploads over HTTP: {upload_line}")


def figures(run: Run) -> dict[str, float | None]:
    """One county database's machine-readable figures (the JSON last line)."""
    f = run.figures
    return {"ingest_changes_per_s": round(f["applied"] / f["ingest"]),
            "ingest_ratio": round(f["ingest"] / f["floor"], 2),
            "ingest_ratio_indexed": round(f["ingest"] / f["floor indexed"], 2),
            "return_import_s": round(f["import"], 2),
            "return_import_photos_s": round(f["import photos"], 2)
            if "import photos" in f else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=2500)
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3,
                        help="edit/export/ingest/return/import rounds; the best counts")
    parser.add_argument("--photo-kb", type=int, default=200)
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--postgres", default=str(make_url(ADMIN_URL).set(
        database="fieldvisit_bench").render_as_string(hide_password=False)),
        help="URL of a database this script may drop and recreate")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", type=Path, help="folder to keep (photo files are reused)")
    parser.add_argument("--profile", nargs="*", default=[], help="steps to run under cProfile")
    parser.add_argument("--breakdown", action="store_true",
                        help="print where each step's time goes (timers on key functions)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fv-sync-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {date.today()}")
    started = time.perf_counter()
    edits = one_village(args.households)
    photo_paths = photo_files(folder / "camera", args.photos, args.photo_kb * 1024)
    print(f"data: {args.households:,} households, {len(edits):,} rows, {len(photo_paths)} "
          f"photos of {args.photo_kb} KB (made in {time.perf_counter() - started:.1f} s)")
    breakdown = Breakdown() if args.breakdown else None
    if breakdown is not None:
        breakdown.install()
    timer = Timer(set(args.profile), breakdown)
    runs = []
    if not args.no_sqlite:
        runs.append(run_backend("SQLite", None, folder / "sqlite", edits, photo_paths, timer,
                                args.rounds))
    if not args.no_postgres:
        url = fresh_postgres(args.postgres)
        edits = one_village(args.households)  # fresh ids are not needed, fresh objects are
        runs.append(run_backend("PostgreSQL", url, folder / "postgres", edits, photo_paths,
                                timer, args.rounds))
    upload_url = None
    if not args.no_postgres:
        upload_url = fresh_postgres(str(make_url(args.postgres).set(
            database=make_url(args.postgres).database + "_http").render_as_string(
                hide_password=False)))
    upload_line = uploads(args.uploads, upload_url, folder / "uploads") if args.uploads \
        else "skipped: --uploads 0"
    report(runs, upload_line)
    print(json.dumps({run.backend.lower(): figures(run) for run in runs}))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
