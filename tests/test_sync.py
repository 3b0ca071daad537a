"""Sync end to end on real stores and real bundle files: enrollment, convergence of three
laptops whatever the order, every rejection with its reason, kills mid-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from itertools import permutations
from pathlib import Path

import pytest
from conftest import needs_postgres
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from fieldvisit.county import devices
from fieldvisit.county.conflicts import conflicts, resolve
from fieldvisit.county.ingest import ingest
from fieldvisit.county.models import Device
from fieldvisit.county.returns import return_bundle
from fieldvisit.roster import queries
from fieldvisit.store import Insert, Store, Update
from fieldvisit.store.clock import Timestamp
from fieldvisit.store.models import Household, Village
from fieldvisit.sync import bundle, laptop
from fieldvisit.sync.errors import SyncError
from fieldvisit.sync.keys import b64, box_public
from fieldvisit.visits import photos
from tests.sync_parties import (
    VILLAGE,
    Laptop,
    make_county,
    make_laptop,
    round_trip,
    snapshot,
)


@pytest.fixture
def trio(county, tmp_path):
    return [make_laptop(county, tmp_path / name, cadre) for name, cadre in
            (("a", "甲"), ("b", "乙"), ("c", "丙"))]


def first_household(party: Laptop) -> str:
    with party.store.reading() as conn:
        return queries.household_rows(conn)[0].id


def address(store: Store, household_id: str) -> str:
    with store.reading() as conn:
        return conn.execute(select(Household.address).where(Household.id == household_id)
                            ).scalar_one()


def settle(county, parties, stick: Path) -> None:
    """Two full rounds: after them every laptop has applied everything the county has."""
    for _ in range(2):
        for party in parties:
            assert round_trip(county, party, stick).accepted


def add_visit(party: Laptop, household_id: str) -> str:
    visit = Insert("visit", {"household_id": household_id, "cadre": "丙",
                             "started_on": "2026-11-20", "status": "draft"})
    answer = Insert("visit_answer", {"visit_id": visit.id, "form_id": "两不愁",
                                     "question_id": "food", "value": '"是"'})
    party.store.write([visit, answer])
    return visit.id


# ---- enrollment ------------------------------------------------------------------------

def test_enrollment_gives_the_laptop_the_village_and_needs_the_code(county, tmp_path):
    enrolled = devices.enroll(county, VILLAGE, "王干部", tmp_path / "usb")
    assert enrolled.households == 12
    thief = Store.open(tmp_path / "thief" / "fieldvisit.sqlite")
    with pytest.raises(SyncError) as refused:
        laptop.enroll(thief, enrolled.path, "AAAA-BBBB-CCCC-DDDD")
    assert refused.value.reason == "bad-code" and "激活码不对" in refused.value.zh
    assert laptop.enrollment(thief.meta) is None
    with thief.reading() as conn:
        assert queries.household_count(conn) == 0
    good = Store.open(tmp_path / "good" / "fieldvisit.sqlite")
    state = laptop.enroll(good, enrolled.path, enrolled.code.lower().replace("-", " "))
    assert (state.device, state.village) == (enrolled.device, VILLAGE)
    assert snapshot(good)["household"] == snapshot(county.store)["household"]


def test_the_first_bundle_registers_the_laptops_own_key(county, tmp_path):
    party = make_laptop(county, tmp_path / "a")
    with county.store.reading() as conn:
        assert conn.execute(select(Device.status)).scalar_one() == "pending"
    assert round_trip(county, party, tmp_path / "usb").accepted
    with county.store.reading() as conn:
        device = conn.execute(select(Device.status, Device.public_key)).one()
    assert device.status == "active"
    assert device.public_key == b64(bytes(party.store.device_key().verify_key))


def test_a_stolen_enrollment_file_cannot_register_another_key(county, tmp_path):
    party = make_laptop(county, tmp_path / "a")
    party.store.meta.sync_activation = b64(b"\x00" * 32)  # the thief has the file, not the code
    verdict = ingest(county, party.export(tmp_path / "usb"))
    assert (verdict.accepted, verdict.reason) == (False, "bad-activation")


# ---- convergence -----------------------------------------------------------------------

@pytest.mark.parametrize("order", list(permutations("abc")))
def test_three_laptops_converge_whatever_the_order(county, trio, tmp_path, order):
    a, b, c = trio
    home = first_household(a)
    a.store.write([Update("household", home, {"address": "甲改的地址", "helper_phone":
                                              "13900000001"})])
    b.store.write([Update("household", home, {"address": "乙改的地址"})])
    visit = add_visit(c, home)
    parties = {"a": a, "b": b, "c": c}
    stick = tmp_path / "usb"
    bundles = {name: parties[name].export(stick) for name in order}
    for name in order:
        assert ingest(county, bundles[name]).accepted
    settle(county, trio, stick)
    final = snapshot(county.store)
    for party in trio:
        assert snapshot(party.store) == final
    assert visit in final["visit"]
    assert final["household"][home]["helper_phone"] == "13900000001"
    with county.store.reading() as conn:
        [conflict] = conflicts(conn)
    values = {candidate["value"] for candidate in conflict.candidates}
    assert values == {"甲改的地址", "乙改的地址"}  # the losing value is kept, not lost
    assert final["household"][home]["address"] == conflict.winner


def test_a_decision_reaches_every_laptop(county, trio, tmp_path):
    a, b, _c = trio
    home = first_household(a)
    a.store.write([Update("household", home, {"address": "甲"})])
    b.store.write([Update("household", home, {"address": "乙"})])
    settle(county, trio, tmp_path / "usb")
    with county.store.reading() as conn:
        [conflict] = conflicts(conn)
    with a.store.reading() as conn:
        code = queries.household_rows(conn)[0].code
    assert conflict.label.startswith(f"户 {code}")  # what a clerk recognises
    loser = next(c["value"] for c in conflict.candidates if c["value"] != conflict.winner)
    resolve(county, conflict.id, loser, by="县审核员")
    settle(county, trio, tmp_path / "usb")
    assert {address(p.store, home) for p in trio} == {loser}
    with county.store.reading() as conn:
        assert conflicts(conn) == []


def test_unacknowledged_local_edits_win_locally_until_the_county_decides(county, trio,
                                                                         tmp_path):
    a, b, _c = trio
    home = first_household(a)
    assert round_trip(county, a, tmp_path / "usb").accepted  # a is enrolled and active
    b.store.write([Update("household", home, {"address": "乙"})])
    assert round_trip(county, b, tmp_path / "usb").accepted
    a.store.write([Update("household", home, {"address": "甲（未同步）"})])
    back = return_bundle(county, a.device, tmp_path / "back")  # a's edit not sent yet
    imported = a.receive(back)
    assert imported.kept_local == 1
    assert address(a.store, home) == "甲（未同步）"


def test_a_later_edit_in_the_same_bundle_outlives_a_conflict_it_lost(county, trio, tmp_path):
    """Found by the schedule test below: b's first edit loses to a's, its second wins;
    the county entry carrying a's value back to b must not be journaled after b's win."""
    a, b, _c = trio
    home = first_household(a)
    b.store.write([Update("household", home, {"address": "乙1"})])
    a.store.write([Update("household", home, {"address": "甲2"})])
    b.store.write([Update("household", home, {"address": "乙3"})])
    settle(county, trio, tmp_path / "usb")
    assert {address(p.store, home) for p in trio} == {address(county.store, home)} == {"乙3"}


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["edit", "export", "ingest", "return", "lose"]),
                          st.integers(0, 2), st.integers(0, 3)), min_size=4, max_size=18))
# a value carried back to its loser is no later edit than a third device's (it once won)
@example(schedule=[("edit", 0, 0), ("edit", 1, 0), ("edit", 0, 0), ("edit", 2, 0)])
# a value fast-forwarded on top of a conflict's candidate is kept when the conflict grows
@example(schedule=[("edit", 0, 0), ("edit", 1, 0), ("edit", 1, 0), ("edit", 2, 0)])
def test_any_schedule_converges_without_losing_a_value(tmp_path_factory, schedule):
    """Random edits, exports, lost sticks, ingests in any order and return bundles:
    afterwards every laptop equals the county, the latest edit (by its clock stamp)
    is the final value, and every value any laptop wrote is the final value, kept in a
    conflict record, or was replaced by an edit made on top of it."""
    root = tmp_path_factory.mktemp("schedule")
    county = make_county(root / "county", households=4)
    parties = [make_laptop(county, root / name) for name in "abc"]
    with county.store.reading() as conn:
        homes = [row.id for row in queries.household_rows(conn)]
    written: dict[tuple[str, str], set[str]] = {}
    stamps: dict[str, Timestamp] = {}  # value -> the clock stamp of its edit
    replaced: set[str] = set()  # values some edit was made on top of
    sticks: list[Path] = []
    for step, (action, who, which) in enumerate(schedule):
        party = parties[who]
        if action == "edit":
            value = f"{'甲乙丙'[who]}{step}"
            home = homes[which]
            replaced.add(address(party.store, home))
            party.store.write([Update("household", home, {"address": value})])
            written.setdefault((home, "address"), set()).add(value)
            with party.store.reading() as conn:
                stamps[value] = Timestamp.parse(conn.execute(
                    select(Household.rev).where(Household.id == home)).scalar_one())
        elif action == "export":
            sticks.append(party.export(root / "usb" / str(step)))
        elif action == "lose" and sticks:
            sticks.pop(which % len(sticks))
        elif action == "ingest" and sticks:
            ingest(county, sticks.pop(which % len(sticks)))  # stale ones are refused
        elif action == "return":
            try:
                party.receive(return_bundle(county, party.device, root / "back" / str(step)))
            except SyncError as error:  # never synced yet, or nothing new since the last
                assert error.reason in ("not-active", "replayed")
    settle(county, parties, root / "final")
    final = snapshot(county.store)
    for party in parties:
        assert snapshot(party.store) == final
    kept: dict[tuple[str, str], set[str]] = {}
    with county.store.reading() as conn:
        for c in conflicts(conn, status=None):
            kept.setdefault((c.entity_id, c.field), set()).update(x["value"] for x in c.candidates)
    for (home, field), values in written.items():
        assert final["household"][home][field] == max(values, key=stamps.__getitem__)
        survivors = {final["household"][home][field]} | kept.get((home, field), set())
        assert values - survivors <= replaced, "a value was lost"


def test_a_laptop_with_a_wrong_clock_orders_its_edit_after_what_it_has_seen(county, trio,
                                                                            tmp_path):
    a, b, _c = trio
    home = first_household(a)
    b.store.write([Update("household", home, {"address": "乙"})])
    assert round_trip(county, b, tmp_path / "usb").accepted
    assert round_trip(county, a, tmp_path / "usb").accepted
    a.store.clock._wall = lambda: 1_546_300_800.0  # 2019-01-01: a village laptop's clock
    a.store.write([Update("household", home, {"address": "甲，见过乙之后"})])
    with a.store.reading() as conn:
        rev = conn.execute(select(Household.rev).where(Household.id == home)).scalar_one()
    with b.store.reading() as conn:
        seen = conn.execute(select(Household.rev).where(Household.id == home)).scalar_one()
    assert Timestamp.parse(rev) > Timestamp.parse(seen)
    settle(county, trio, tmp_path / "usb")
    assert address(county.store, home) == "甲，见过乙之后"


def test_a_visit_photo_travels_to_the_county_and_the_other_laptops(county, trio, tmp_path):
    a, b, _c = trio
    visit = add_visit(a, first_household(a))
    jpeg = tmp_path / "灶房.jpg"
    jpeg.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(50_000))
    photos.attach(a.store, jpeg, visit_id=visit, question_id="food")
    settle(county, trio, tmp_path / "usb")
    with b.store.reading() as conn:
        [row] = photos.photos_of(conn, visit_id=visit)
    assert row.file_name == "灶房.jpg"
    for files in (county.store.files, b.store.files):  # sealed on the laptop, plain at county
        assert photos.read_photo(files, row.sha256, row.media_type) == jpeg.read_bytes()
    sealed = photos.photo_path(b.store.folder, row.sha256, row.media_type).read_bytes()
    assert jpeg.read_bytes()[:4096] not in sealed


def test_a_photo_that_is_not_what_its_name_says_is_refused(county, trio, tmp_path):
    a = trio[0]
    assert round_trip(county, a, tmp_path / "usb").accepted
    fake = b"\xff\xd8\xff" + os.urandom(1000)
    path = forged(a, county, {"changes.json": b"[]", "photos/" + "0" * 64: fake},
                  tmp_path / "f", changes=0, upto=0)
    assert reason(county, path) == "bad-attachment"


# ---- nothing lost ----------------------------------------------------------------------

def test_a_lost_stick_loses_nothing(county, trio, tmp_path):
    a = trio[0]
    home = first_household(a)
    a.store.write([Update("household", home, {"address": "第一次"})])
    a.export(tmp_path / "lost")  # never reaches the county
    a.store.write([Update("household", home, {"helper_phone": "13900000002"})])
    assert ingest(county, a.export(tmp_path / "usb")).accepted
    final = snapshot(county.store)["household"][home]
    assert (final["address"], final["helper_phone"]) == ("第一次", "13900000002")


def test_applying_overlapping_bundles_is_idempotent(county, trio, tmp_path):
    a = trio[0]
    home = first_household(a)
    a.store.write([Update("household", home, {"address": "一"})])
    first = a.export(tmp_path / "one")
    a.store.write([Update("household", home, {"address": "二"})])
    second = a.export(tmp_path / "two")  # holds the first one's change again
    assert ingest(county, first).accepted
    verdict = ingest(county, second)
    assert verdict.accepted and verdict.changes == 1
    assert address(county.store, home) == "二"


# ---- rejections ------------------------------------------------------------------------

def reason(county, path: Path) -> str:
    verdict = ingest(county, path)
    assert not verdict.accepted and verdict.zh and verdict.en
    return verdict.reason


def edited_bundle(party: Laptop, folder: Path) -> Path:
    home = first_household(party)
    party.store.write([Update("household", home, {"address": "改过"})])
    return party.export(folder)


def test_tampered_truncated_and_foreign_files_are_refused(county, trio, tmp_path):
    path = edited_bundle(trio[0], tmp_path / "usb")
    data = path.read_bytes()
    tampered = tmp_path / "tampered.fvb"
    at = len(data) - bundle.SIGNATURE_BYTES - 10  # inside the encrypted body
    tampered.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    truncated = tmp_path / "truncated.fvb"
    truncated.write_bytes(data[:-100])
    foreign = tmp_path / "foreign.fvb"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("changes.json", "[]")
    assert reason(county, tampered) == "tampered"
    assert reason(county, truncated) == "truncated"
    assert reason(county, foreign) == "foreign-format"
    assert ingest(county, path).accepted  # the original is still good
    assert address(county.store, first_household(trio[0])) == "改过"


def test_unknown_and_revoked_devices_are_refused(county, trio, tmp_path):
    other = make_county(tmp_path / "other", households=2)  # the same county code
    stranger = make_laptop(other, tmp_path / "stranger")
    assert reason(county, edited_bundle(stranger, tmp_path / "s")) == "unknown-device"
    other.store.meta.county_code = "520102"  # another county altogether
    far = make_laptop(other, tmp_path / "far")
    assert reason(county, edited_bundle(far, tmp_path / "f")) == "wrong-recipient"
    devices.revoke(county, trio[1].device)
    assert reason(county, edited_bundle(trio[1], tmp_path / "r")) == "revoked"


def test_replayed_and_out_of_order_bundles_are_refused(county, trio, tmp_path):
    a = trio[0]
    older = edited_bundle(a, tmp_path / "one")
    newer = edited_bundle(a, tmp_path / "two")
    assert ingest(county, newer).accepted
    assert reason(county, newer) == "replayed"
    assert reason(county, older) == "out-of-order"
    with county.store.reading() as conn:
        verdicts = [row.verdict for row in conn.execute(
            select(bundle_table().c.verdict))]
    assert verdicts.count("rejected") == 2
    kept = list((county.folder / "bundles").glob("*.fvb"))
    assert len(kept) == 2  # every received bundle is kept, accepted or not


def bundle_table():
    from fieldvisit.county.models import ReceivedBundle

    return ReceivedBundle.__table__


def forged(party: Laptop, county, members: dict, folder: Path, **header) -> Path:
    """A bundle signed with the laptop's real key but with a crafted body."""
    key = party.store.device_key()
    state = laptop.enrollment(party.store.meta)
    # the header is the enrolled laptop's own, so a refusal can only come from the body
    assert state is not None
    assert (state.device, state.county, state.village) == (party.device, county.code, VILLAGE)
    fields = {"kind": "device", "bundle_id": os.urandom(8).hex(), "sender": party.device,
              "recipient": f"county:{county.code}", "county": county.code,
              "village": VILLAGE, "since": 0, "upto": 1, "changes": 1, "attachments": 0,
              "prev_hash": "", "created": "9999999999999-00000-x",
              "sender_key": b64(bytes(key.verify_key)), "body_size": 0, **header}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crafted.fvb"
    bundle.write(path, bundle.Header(**fields), members, key,
                 recipient=box_public(county.public_key))
    return path


def test_changes_outside_the_devices_village_are_refused_whole(county, trio, tmp_path):
    a = trio[0]
    assert round_trip(county, a, tmp_path / "usb").accepted
    with county.store.reading() as conn:
        township = conn.execute(select(Village.township_id)).scalar()
    other = Insert("village", {"township_id": township, "code": "522727100299",
                               "name": "邻村"})
    county.store.write([other])
    home = Insert("household", {"village_id": other.id, "code": "X-1"})
    change = [1, "2026000000000-00000-x", "甲", "household", home.id, None, None,
              json.dumps({"village_id": other.id, "code": "X-1"})]
    before = snapshot(county.store)
    path = forged(a, county, {"changes.json": json.dumps([change]).encode()},
                  tmp_path / "f", since=0, upto=1)
    with county.store.transaction() as tx:
        tx.conn.execute(Device.__table__.update().values(acked=0))
    assert reason(county, path) == "outside-village"
    assert snapshot(county.store) == before


@pytest.mark.parametrize("name", ["../../etc/passwd", "photos/../../x", "/abs", "x.py"])
def test_attachment_paths_outside_the_bundle_are_refused(county, trio, tmp_path, name):
    a = trio[0]
    assert round_trip(county, a, tmp_path / "usb").accepted
    path = forged(a, county, {"changes.json": b"[]", name: b"x"}, tmp_path / "f",
                  changes=0, upto=0)
    assert reason(county, path) == "bad-attachment"


def test_zip_bombs_and_oversized_attachments_are_refused(county, trio, tmp_path,
                                                         monkeypatch):
    a = trio[0]
    assert round_trip(county, a, tmp_path / "usb").accepted
    bomb = forged(a, county, {"changes.json": b"[" + b" " * (30 * 1024 * 1024) + b"]"},
                  tmp_path / "bomb", changes=0, upto=0)
    assert reason(county, bomb) == "bad-attachment"
    monkeypatch.setattr(bundle, "MAX_MEMBER", 100_000)
    big = forged(a, county, {"changes.json": b"[]",
                             "photos/" + "a" * 64: b"\xff\xd8\xff" + os.urandom(200_000)},
                 tmp_path / "big", changes=0, upto=0)
    assert reason(county, big) == "bad-attachment"


# ---- killed mid-way --------------------------------------------------------------------

def run_and_kill(script: str) -> None:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)],
                          capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_a_laptop_killed_during_export_leaves_no_half_file(county, trio, tmp_path):
    a = trio[0]
    home = first_household(a)
    a.store.write([Update("household", home, {"address": "导出时断电"})])
    stick = tmp_path / "usb"
    folder = str(a.store.folder)
    run_and_kill(f"""
        import os, signal
        from fieldvisit.sync import laptop
        from tests.vaults import laptop_store
        store = laptop_store({folder!r})
        laptop.export_bundle(store, {str(stick)!r},
                             progress=lambda done, total: os.kill(os.getpid(), signal.SIGKILL))
    """)
    assert list(stick.glob("*.fvb")) == []
    path = a.export(stick)  # nothing was lost: the next export carries the edit
    assert [p.name for p in stick.iterdir()] == [path.name]
    assert ingest(county, path).accepted
    assert address(county.store, home) == "导出时断电"


def test_an_export_clears_only_its_own_half_files_from_a_shared_stick(trio, tmp_path):
    """Two laptops may write to one stick at once: neither removes the other's bundle
    while it is being written, only its own leftovers of a killed export."""
    a, b = trio[0], trio[1]
    stick = tmp_path / "usb"
    stick.mkdir()
    ours = stick / f".{VILLAGE}_{a.device}_20261101-080000.fvb.k1x.part"
    theirs = stick / f".{VILLAGE}_{b.device}_20261101-080500.fvb.w2y.part"
    for half in (ours, theirs):
        half.write_bytes(b"half a bundle")
    path = a.export(stick)
    assert sorted(p.name for p in stick.iterdir()) == sorted([path.name, theirs.name])


def test_a_server_killed_during_apply_leaves_its_database_as_before(county, trio, tmp_path):
    path = edited_bundle(trio[0], tmp_path / "usb")
    before = snapshot(county.store)
    run_and_kill(f"""
        import os, signal
        from fieldvisit.county import ingest
        from fieldvisit.county.office import County
        from fieldvisit.store import Transaction
        # after the merge has written every row, before its transaction commits
        Transaction.journal = lambda self, entries: os.kill(os.getpid(), signal.SIGKILL)
        ingest.ingest(County.open({str(county.folder)!r}), {str(path)!r})
    """)
    county.store.engine.dispose()
    assert snapshot(county.store) == before
    with county.store.reading() as conn:
        assert conn.execute(select(Device.acked).where(Device.id == trio[0].device)
                            ).scalar_one() == 0
    assert ingest(county, path).accepted


# ---- PostgreSQL ------------------------------------------------------------------------

@needs_postgres
def test_laptops_converge_through_a_county_on_postgres(pg_url, tmp_path):
    county = make_county(tmp_path / "county", database_url=pg_url)
    try:
        a, b = (make_laptop(county, tmp_path / name) for name in "ab")
        home = first_household(a)
        a.store.write([Update("household", home, {"address": "甲"})])
        b.store.write([Update("household", home, {"address": "乙"})])
        settle(county, [a, b], tmp_path / "usb")
        final = snapshot(county.store)
        assert snapshot(a.store) == final == snapshot(b.store)
        with county.store.reading() as conn:
            [conflict] = conflicts(conn)
        resolve(county, conflict.id, "县定的地址", by="县审核员")
        settle(county, [a, b], tmp_path / "usb")
        assert address(a.store, home) == address(b.store, home) == "县定的地址"
    finally:
        county.close()
