"""What encryption at rest costs: the same work on a plain store and on an encrypted one.

    .venv/bin/python benchmarks/encryption.py [--households 30000] [--cards 300]

For each of import (plan + apply of a county xlsx), search p95, start (open the store and
read the roster the way the main window's first screen does, after the password is
stretched: that is ``unlock_s``, timed on its own) and card printing, the
plain and the encrypted run alternate in fresh processes, best of ``--repeat``; each row
prints both and their ratio (issue 13: search and start within 1.2x, import and cards
within 1.5x). Then the unlock time with the Argon2id cost new key slots get. The last
line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.laptops import CADRE, PASSWORD
from fieldvisit.sealing import StoreKey


def key_for(folder: Path, encrypted: bool) -> StoreKey | None:
    """The store key after the password is stretched (timed apart: ``unlock_s``)."""
    from fieldvisit.vault.folder import Login, open_folder
    from fieldvisit.vault.slots import KeySlots

    if not encrypted:
        return None
    slots = KeySlots.load(folder)
    if slots is None:
        open_folder(folder, Login(CADRE, PASSWORD), create=True).store.close()
        slots = KeySlots.load(folder)
    assert slots is not None
    return StoreKey.derive(slots.unlock(CADRE, PASSWORD)[1])


def step(kind: str, folder: str, encrypted: str, source: str, cards: str) -> None:
    from fieldvisit.cards.documents import card_writer
    from fieldvisit.roster import queries
    from fieldvisit.roster.importer import apply_import, plan_import
    from fieldvisit.roster.search import SearchIndex
    from fieldvisit.store import Store

    key = key_for(Path(folder), encrypted == "1")
    started = time.perf_counter()
    store = Store.open(Path(folder) / "fieldvisit.sqlite", actor=CADRE, key=key)
    opened = time.perf_counter()
    if kind == "import":
        apply_import(store, plan_import(Path(source), store))
        seconds = time.perf_counter() - opened
    elif kind == "start":
        with store.reading() as conn:
            queries.village_tree(conn)
            rows = queries.household_rows(conn)
        seconds = time.perf_counter() - started
        assert rows
    elif kind == "search":
        with store.reading() as conn:
            index = SearchIndex.build(conn)
        timings = []
        for query in ["王", "wang", "5227", "1380", "张三", "li", "0001", "zhang"] * 25:
            began = time.perf_counter()
            index.matches(query)
            timings.append(time.perf_counter() - began)
        timings.sort()
        seconds = timings[int(len(timings) * 0.95)]
    else:
        with store.reading() as conn:
            ids = [row.id for row in queries.household_rows(conn)][:int(cards)]
        began = time.perf_counter()
        card_writer(store, ids)(Path(folder) / "cards.pdf", lambda _d, _t: None, lambda: False)
        seconds = time.perf_counter() - began
    store.close()
    print(json.dumps({"seconds": seconds}))


def run(*args: str) -> float:
    done = subprocess.run([sys.executable, __file__, "--step", *args], capture_output=True,
                          text=True, check=True)
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def unlock_seconds() -> float:
    from fieldvisit.vault.slots import KDF_ENV, KeySlots

    os.environ.pop(KDF_ENV, None)
    with tempfile.TemporaryDirectory() as scratch:
        slots = KeySlots.new(Path(scratch))
        slots.put_cadre(os.urandom(32), CADRE, "", PASSWORD)
        slots.save()
        began = time.perf_counter()
        KeySlots.load(Path(scratch)).unlock(CADRE, PASSWORD)
        return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=30000)
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--step", nargs=5)
    args = parser.parse_args()
    if args.step:
        step(*args.step)
        return
    from benchmarks.roster import make_file

    work = Path(tempfile.mkdtemp(prefix="fv-encryption-"))
    source = make_file(work, args.households)
    folders = {on: work / f"store-{on}" for on in ("0", "1")}
    figures: dict[str, float] = {"households": args.households}
    for on, folder in folders.items():
        run("import", str(folder), on, str(source), "0")  # both stores hold the roster
    for kind in ("import", "start", "search", "cards"):
        best = {"0": float("inf"), "1": float("inf")}
        for _ in range(args.repeat):
            for on in ("0", "1"):
                folder = folders[on] if kind != "import" else work / f"fresh-{on}-{time.time()}"
                best[on] = min(best[on], run(kind, str(folder), on, str(source),
                                             str(args.cards)))
        ratio = best["1"] / best["0"]
        unit = 1000 if kind == "search" else 1
        label = "ms" if kind == "search" else "s"
        print(f"{kind:7} plain {best['0'] * unit:8.3f} {label}  encrypted "
              f"{best['1'] * unit:8.3f} {label}  ratio {ratio:.2f}x", flush=True)
        figures[f"{kind}_plain"] = best["0"]
        figures[f"{kind}_encrypted"] = best["1"]
        figures[f"{kind}_ratio"] = round(ratio, 3)
    figures["unlock_s"] = unlock_seconds()
    print(f"unlock  {figures['unlock_s']:.3f} s (Argon2id, the default cost for new slots)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
