"""A malicious insider with a real device key: hand-made bundles that are validly signed
get nothing applied, no county file out, and no other laptop's sync blocked; a stored bad
row from before the rules is quarantined; a kill at any point of an import leaves the
county as if it had never happened; bundles mutated field by field, and random bytes,
are each applied exactly or refused with nothing applied."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select
from test_sync import add_visit, address, first_household, forged, settle
from test_sync_cli import _env

from fieldvisit.county import quarantine
from fieldvisit.county.ingest import ingest
from fieldvisit.county.models import Conflict, Device, ReceivedBundle
from fieldvisit.county.returns import return_bundle
from fieldvisit.store import Update
from fieldvisit.store.journal import entry
from fieldvisit.store.models import DERIVED_FIELDS, JournalEntry, Member, Photo, table_of
from fieldvisit.sync import bundle
from fieldvisit.sync.errors import SyncError
from tests.sync_parties import VILLAGE, make_county, make_laptop, round_trip, snapshot
from tests.vaults import laptop_store

CLOCK = "9999999999990-00000-x"


@pytest.fixture
def trio(county, tmp_path):
    return [make_laptop(county, tmp_path / name, cadre) for name, cadre in
            (("a", "甲"), ("b", "乙"), ("c", "丙"))]


def acked(county, device: str) -> int:
    with county.store.reading() as conn:
        return conn.execute(select(Device.acked).where(Device.id == device)).scalar_one()


def crafted(party, county, folder: Path, changes: list[list], **members) -> Path:
    """A validly signed bundle from ``party`` holding exactly ``changes`` after its acked."""
    since = acked(county, party.device)
    wire = [[since + i + 1, CLOCK, "甲", *change] for i, change in enumerate(changes)]
    return forged(party, county, {"changes.json": json.dumps(wire).encode(), **members},
                  folder, since=since, upto=since + len(wire), changes=len(wire))


def visit_and_photo(household: str, sha256: str) -> tuple[list, list]:
    visit = ["visit", "v" * 32, None, None, json.dumps(
        {"household_id": household, "cadre": "甲", "started_on": "2026-11-20",
         "status": "draft"})]
    photo = ["photo", "p" * 32, None, None, json.dumps(
        {"visit_id": "v" * 32, "sha256": sha256, "file_name": "a.jpg",
         "media_type": "image/jpeg", "size": 4})]
    return visit, photo


def test_a_photo_row_naming_a_path_is_refused_whole_and_nothing_leaves_the_county(
        county, trio, tmp_path):
    a, b = trio[0], trio[1]
    settle(county, [a, b], tmp_path / "usb")
    secret = county.folder / "secret"
    secret.mkdir()
    (secret / "loot.jpg").write_bytes(b"\xff\xd8\xff county's own file")
    before = snapshot(county.store)
    path = crafted(a, county, tmp_path / "f", list(visit_and_photo(first_household(a),
                                                                  "../secret/loot")))
    verdict = ingest(county, path)
    assert not verdict.accepted and verdict.reason == "bad-change"
    assert "photo" in verdict.zh and "sha256" in verdict.en and "64" in verdict.en
    assert snapshot(county.store) == before
    back = return_bundle(county, b.device, tmp_path / "back")  # the village syncs on
    b.receive(back)
    opened = bundle.read_header(back)
    assert opened.header.attachments == 0


def test_forms_in_a_device_bundle_are_refused_by_name(county, trio, tmp_path):
    a = trio[0]
    assert round_trip(county, a, tmp_path / "usb").accepted
    path = crafted(a, county, tmp_path / "f", [], **{"forms/water.yaml": b"id: water\n"})
    verdict = ingest(county, path)
    assert verdict.reason == "bad-attachment" and "forms/water.yaml" in verdict.en


@pytest.mark.parametrize("field,value", [
    ("name", "张" * 65),                      # longer than the column
    ("name", "张\x00三"),                      # a control character
    ("name", ["张三"]),                        # not text
    ("birth_date", "2026-13-01"),             # not a date
    ("birth_date", 20261101),                 # not a date either
    ("resident_insurance", "否"),              # yes/no only
    ("household_id", "../x"),                 # not an id
    ("name_pinyin", "zhang"),                 # derived, never sent
    ("rev", "0"),                             # a system field
    ("id", "x"),                              # the row's id
])
def test_one_bad_field_refuses_the_bundle_whole_naming_it(county, trio, tmp_path, field,
                                                         value):
    a = trio[0]
    assert round_trip(county, a, tmp_path / "usb").accepted
    with a.store.reading() as conn:
        member = conn.execute(select(Member.id)).scalars().first()
    good = ["household", first_household(a), "address", json.dumps(None), json.dumps("好")]
    bad = ["member", member, field, json.dumps(None), json.dumps(value)]
    before = snapshot(county.store)
    verdict = ingest(county, crafted(a, county, tmp_path / "f", [good, bad]))
    assert not verdict.accepted and verdict.reason == "bad-change", verdict.message
    assert field in verdict.en and "change" in verdict.en
    assert snapshot(county.store) == before


def test_a_stored_bad_row_is_quarantined_and_the_village_syncs_on(county, trio, tmp_path):
    a, b = trio[0], trio[1]
    settle(county, [a, b], tmp_path / "usb")
    visit = add_visit(a, first_household(a))
    assert round_trip(county, a, tmp_path / "usb").accepted
    # as an older version might have stored it, around today's rules
    with county.store.transaction() as tx:
        tx.conn.execute(insert(table_of(Photo)).values(
            id="q" * 32, rev=CLOCK, changed_by="甲", deleted=False, visit_id=visit,
            sha256="../secret/loot", file_name="x.jpg", media_type="image/jpeg", size=4))
        tx.journal([entry(CLOCK, "甲", "photo", "q" * 32, None, None, json.dumps(
            {"visit_id": visit, "sha256": "../secret/loot", "file_name": "x.jpg",
             "media_type": "image/jpeg", "size": 4}), origin=a.device, scope=VILLAGE),
            entry(CLOCK, "甲", "photo", "q" * 32, "file_name", '"x.jpg"', '"y.jpg"',
                  origin=a.device, scope=VILLAGE)])
    a.store.write([Update("household", first_household(a), {"address": "照常同步"})])
    assert round_trip(county, a, tmp_path / "usb").accepted  # its return bundle imports
    b.receive(return_bundle(county, b.device, tmp_path / "back"))
    assert address(b.store, first_household(a)) == "照常同步"
    with b.store.reading() as conn:
        assert conn.execute(select(Photo.id).where(Photo.id == "q" * 32)).first() is None
    with county.store.reading() as conn:
        held = quarantine.listed(conn)
    assert [(h.entity, h.field, h.origin) for h in held] == [
        ("photo", None, a.device), ("photo", "file_name", a.device)]
    assert "sha256" in held[0].reason
    shown = subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir",
                            str(county.folder), "server", "bundles"], capture_output=True,
                           text=True, timeout=120, env=_env())
    assert shown.returncode == 0, shown.stderr
    assert "quarantined rows" in shown.stdout and a.device in shown.stdout
    assert "q" * 32 in shown.stdout


# ---- exactly once ------------------------------------------------------------------------

def county_state(county) -> dict:
    """Everything that must not differ: every synced row, the journal (its stamps and
    order), the devices, the conflicts and the accepted bundles."""
    county.store.engine.dispose()
    state: dict = {"rows": snapshot(county.store)}
    with county.store.reading() as conn:
        j = JournalEntry
        state["journal"] = [tuple(row) for row in conn.execute(
            select(j.actor, j.entity, j.entity_id, j.field, j.old, j.new, j.origin, j.scope)
            .order_by(j.seq))]
        state["devices"] = [tuple(row) for row in conn.execute(
            select(Device.id, Device.acked, Device.return_seq, Device.last_hash))]
        state["conflicts"] = [tuple(row) for row in conn.execute(
            select(Conflict.entity_id, Conflict.field, Conflict.base, Conflict.candidates,
                   Conflict.winner, Conflict.status).order_by(Conflict.id))]
        state["accepted"] = sorted(tuple(row) for row in conn.execute(
            select(ReceivedBundle.sha256, ReceivedBundle.changes, ReceivedBundle.conflicts)
            .where(ReceivedBundle.verdict == "accepted")))
    return state


def conflicting_bundles(county, parties, stick: Path) -> list[Path]:
    """Bundles from laptops that edited the same households' fields since one base."""
    settle(county, parties, stick)
    with parties[0].store.reading() as conn:
        from fieldvisit.roster import queries

        homes = [row.id for row in queries.household_rows(conn)]
    for n, party in enumerate(parties):
        party.store.write([Update("household", home, {"address": f"{party.device}-{n}"})
                           for home in homes])
    return [party.export(stick / f"out{n}") for n, party in enumerate(parties)]


def test_a_killed_server_import_then_a_re_import_equals_one_never_killed(tmp_path):
    seeds = random.Random(18)
    reference = make_county(tmp_path / "ref")
    parties = [make_laptop(reference, tmp_path / name) for name in ("a", "b")]
    paths = conflicting_bundles(reference, parties, tmp_path / "usb")
    pristine = tmp_path / "pristine"
    reference.close()
    subprocess.run(["cp", "-a", str(tmp_path / "ref"), str(pristine)], check=True)
    reference = make_county_at(tmp_path / "ref")
    for path in paths:
        assert ingest(reference, path).accepted
    expected = county_state(reference)
    assert expected["rows"] and expected["conflicts"]
    reference.close()
    for attempt in range(3):
        folder = tmp_path / f"killed{attempt}"
        subprocess.run(["cp", "-a", str(pristine), str(folder)], check=True)
        command = [sys.executable, "-m", "fieldvisit", "--data-dir", str(folder), "server",
                   "import", *map(str, paths)]
        process = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(seeds.uniform(0.3, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        county = make_county_at(folder)
        for path in paths:
            ingest(county, path)  # accepted, or refused as already received
        assert county_state(county) == expected, f"killed at attempt {attempt}"
        county.close()


def make_county_at(folder: Path):
    from fieldvisit.county.office import County

    return County.open(folder)


def test_a_laptop_killed_while_importing_a_return_bundle_gets_everything_on_re_import(
        county, trio, tmp_path):
    a, b = trio[0], trio[1]
    settle(county, [a, b], tmp_path / "usb")
    b.store.write([Update("household", first_household(b), {"address": "乙改"})])
    assert ingest(county, b.export(tmp_path / "usb")).accepted
    back = return_bundle(county, a.device, tmp_path / "back")
    a.store.close()
    script = (
        "import os, signal, sys\n"
        "from fieldvisit.checklist import installed\n"
        "from fieldvisit.sync import laptop\n"
        "from tests.vaults import laptop_store\n"
        "installed.Received.install = lambda self, folder: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"laptop.import_return(laptop_store({str(a.folder)!r}), {str(back)!r})\n")
    done = subprocess.run([sys.executable, "-c", script], env=_env(), timeout=120,
                          capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    store = laptop_store(a.folder)
    store.actor = "甲"
    a.store = store
    a.receive(back)  # not refused as replayed: the first import never committed
    with store.reading() as conn:
        from fieldvisit.store.models import Household

        assert conn.execute(select(Household.address).where(
            Household.id == first_household(b))).scalar_one() == "乙改"


# ---- fuzzing -----------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=4096))
def test_the_bundle_parser_refuses_random_bytes_plainly(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "x.fvb"
    path.write_bytes(bundle.MAGIC + data if data[:1] == b"{" else data)
    with pytest.raises(SyncError):
        bundle.read_header(path)


VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 2**40), st.text(max_size=80),
                   st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                       st.integers(),
                                                                       max_size=2))
FIELDS = st.sampled_from(["name", "id_number", "sex", "birth_date", "health", "phone",
                          "resident_insurance", "household_id", "relation", "deleted",
                          "schooling", "nonexistent"])


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=FIELDS, value=VALUES)
def test_a_mutated_field_is_applied_exactly_or_refused_with_nothing_applied(
        tmp_path_factory, field, value):
    root = tmp_path_factory.mktemp("mutate")
    county = make_county(root / "county", households=3)
    try:
        a = make_laptop(county, root / "a")
        assert round_trip(county, a, root / "usb").accepted
        with a.store.reading() as conn:
            member = conn.execute(select(Member.id)).scalars().first()
        before = snapshot(county.store)
        change = ["member", member, field, json.dumps(None), json.dumps(value)]
        verdict = ingest(county, crafted(a, county, root / "f", [change]))
        after = snapshot(county.store)
        if verdict.accepted:
            changed = {k for k, v in after["member"][member].items()
                       if before["member"][member][k] != v}
            assert changed <= {field, *DERIVED_FIELDS["member"]}
            assert {k: v for k, v in after.items() if k != "member"} == \
                {k: v for k, v in before.items() if k != "member"}
        else:
            assert verdict.reason in ("bad-change", "outside-village"), verdict.message
            assert after == before
    finally:
        county.close()


def test_a_flipped_byte_anywhere_is_refused_with_nothing_applied(county, trio, tmp_path):
    a = trio[0]
    assert round_trip(county, a, tmp_path / "usb").accepted
    a.store.write([Update("household", first_household(a), {"address": "翻转"})])
    path = a.export(tmp_path / "usb")
    data = path.read_bytes()
    before = snapshot(county.store)
    chooser = random.Random(7)
    for n in range(12):
        at = chooser.randrange(len(data))
        bad = tmp_path / f"flip{n}.fvb"
        bad.write_bytes(data[:at] + bytes([data[at] ^ (1 << chooser.randrange(8))])
                        + data[at + 1:])
        assert not ingest(county, bad).accepted
    assert snapshot(county.store) == before
    assert ingest(county, path).accepted
