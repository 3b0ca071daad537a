"""The county server over real HTTP: a real server process (``python -m
fieldvisit.server.web``) on a free port, real laptops syncing with
``sync_over_network``, county staff calling the API with a token.

Every test runs on SQLite, and again on PostgreSQL when FIELDVISIT_TEST_DATABASE_URL
names one (CI sets it; the county works in a schema of its own, dropped afterwards).
The server is killed in the fixture's teardown whatever happens; every wait has a
timeout, so a broken server fails the tests instead of hanging them.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from nacl.pwhash import argon2id
from sqlalchemy import create_engine, select, text
from sync_parties import VILLAGE, Laptop, make_county, make_laptop

from fieldvisit.codes import normalise_code
from fieldvisit.county import devices
from fieldvisit.county.devices import revoke
from fieldvisit.county.models import Conflict
from fieldvisit.county.office import County
from fieldvisit.county.tokens import create_token
from fieldvisit.store import Update
from fieldvisit.store.models import Member
from fieldvisit.sync import bundle, laptop
from fieldvisit.sync.errors import SyncError
from fieldvisit.sync.network import sync_over_network

POSTGRES = os.environ.get("FIELDVISIT_TEST_DATABASE_URL", "")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.skipif(
        not POSTGRES.startswith("postgresql"),
        reason="FIELDVISIT_TEST_DATABASE_URL does not name a PostgreSQL database")),
]
MAX_BUNDLE_MB = 4  # the test server's upload limit (the default is 512 MB)
TIMEOUT = 60.0  # any single network wait
CONCURRENT = 50


@dataclass
class Server:
    url: str
    county: County  # the test's own handle on the server's data folder and database
    token: str
    folder: Path
    log: Path
    members: list[str] = field(default_factory=list)  # not yet used by any test

    def take_member(self) -> str:
        return self.members.pop()

    def laptop(self, folder: Path, cadre: str = "王干部") -> Laptop:
        return make_laptop(self.county, folder, cadre)

    def call(self, method: str, path: str, body: Any = None, token: str | None = "",
             headers: dict[str, str] | None = None) -> tuple[int, Any, Any]:
        """One request; status, decoded JSON (or bytes) and headers, errors included."""
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token or self.token}"
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status, _decoded(response), response.headers
        except urllib.error.HTTPError as error:
            with error:
                return error.code, _decoded(error), error.headers

    def post_bundle(self, path: Path, device: str) -> tuple[int, Any, Any]:
        return _post_file(self.url, path, device)


def _decoded(response: Any) -> Any:
    raw = response.read()
    if response.headers.get("Content-Type", "").startswith("application/json"):
        return json.loads(raw)
    return raw


def _post_file(url: str, path: Path, device: str) -> tuple[int, Any, Any]:
    request = urllib.request.Request(url + "/api/v1/bundles", data=path.read_bytes(),
                                     method="POST", headers={
                                         "Content-Type": "application/octet-stream",
                                         "X-FieldVisit-Device": device})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, _decoded(response), response.headers
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _decoded(error), error.headers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def web_command(folder: Path, database: str | None, port: int) -> list[str]:
    command = [sys.executable, "-m", "fieldvisit.server.web", "--data-dir", str(folder),
               "--port", str(port), "--max-bundle-mb", str(MAX_BUNDLE_MB)]
    return command + (["--database", database] if database else [])


def _start(command: Callable[[int], list[str]], log: Path) -> tuple[subprocess.Popen, str]:
    """The server as its own process; its address once /api/v1/health answers."""
    for _attempt in range(3):  # a free port can be taken between probing and binding
        port = _free_port()
        with open(log, "ab") as out:
            process = subprocess.Popen(command(port), stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url + "/api/v1/health", timeout=2) as answer:
                    assert json.loads(answer.read()) == {"ok": True}
                    return process, url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        _stop(process)
    raise AssertionError("the server did not start:\n" + log.read_text(errors="replace")[-4000:])


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory) -> Iterator[Server]:
    backend = request.param
    folder = tmp_path_factory.mktemp(f"county-{backend}")
    database = schema = admin = None
    if backend == "postgresql":
        schema = f"fv_http_{uuid.uuid4().hex[:12]}"
        base = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        database = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    county = process = None
    log = folder / "server.log"
    try:
        county = make_county(folder / "county", households=30, database_url=database)
        county.store.meta.county_code = VILLAGE[:6]  # before laptops enroll from threads
        with county.store.reading() as conn:
            members = list(conn.execute(select(Member.id).order_by(Member.id)).scalars())
        token = create_token(county, "李科长")
        process, url = _start(lambda port: web_command(folder / "county", database, port), log)
        yield Server(url, county, token, folder, log, members)
    finally:
        if process is not None:
            _stop(process)
        if county is not None:
            county.close()
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def phone_of(store, member: str) -> str:
    with store.reading() as conn:
        return conn.execute(select(Member.phone).where(Member.id == member)).scalar_one()


def set_phone(party: Laptop, member: str, phone: str) -> None:
    party.store.write([Update("member", member, {"phone": phone})])


def quick_activation_key(code: str, salt: bytes) -> bytes:
    return argon2id.kdf(32, normalise_code(code).encode("ascii"), salt,
                        opslimit=argon2id.OPSLIMIT_MIN, memlimit=argon2id.MEMLIMIT_MIN)


# ---- tests -----------------------------------------------------------------------------

def test_health_is_open_and_says_nothing_else(server):
    assert server.call("GET", "/api/v1/health", token=None)[:2] == (200, {"ok": True})


def test_staff_routes_need_a_token(server):
    for path in ("/api/v1/devices", "/api/v1/conflicts", "/api/v1/bundles"):
        status, body, headers = server.call("GET", path, token=None)
        assert status == 401, path
        assert body["reason"] == "unauthorized"
        assert (body["message_zh"], body["message_en"]) == (
            "需要县里工作人员的访问令牌", "a county staff access token is required")
        assert headers["WWW-Authenticate"] == "Bearer"
        assert server.call("GET", path, token="fvt_not-a-real-token")[0] == 401
        assert server.call("GET", path)[0] == 200
    status, body, _ = server.call("POST", "/api/v1/conflicts/1/resolve", {"pick": 1},
                                  token=None)
    assert status == 401


def test_unknown_paths_are_404_in_json(server):
    for path in ("/docs", "/openapi.json", "/api/v1/nothing", "/api/v2/health"):  # /: console
        status, body, _ = server.call("GET", path)
        assert status == 404, path
        assert body["reason"] == "not-found" and body["message_zh"] and body["message_en"]


def test_a_laptop_syncs_over_the_network_and_gets_its_return(server, tmp_path):
    party = server.laptop(tmp_path / "a")
    member, county_member = server.take_member(), server.take_member()
    set_phone(party, member, "13912340001")
    imported = sync_over_network(party.store, server.url, TIMEOUT)
    assert imported.acked > 0  # the receipt: the county applied the laptop's change
    assert laptop.unacknowledged(party.store) == 0
    assert phone_of(server.county.store, member) == "13912340001"
    assert laptop.enrollment(party.store.meta).activated

    server.county.store.write([Update("member", county_member, {"phone": "13812340002"})])
    imported = sync_over_network(party.store, server.url + "/", TIMEOUT)
    assert imported.applied.updated == 1  # the county's own edit came back
    assert phone_of(party.store, county_member) == "13812340002"

    status, listed, _ = server.call("GET", "/api/v1/devices")
    assert status == 200
    mine = next(d for d in listed if d["id"] == party.device)
    assert (mine["status"], mine["village"], mine["cadre"]) == ("active", VILLAGE, "王干部")
    assert "activation_key" not in mine
    status, received, _ = server.call("GET", f"/api/v1/bundles?device={party.device}")
    assert status == 200 and len(received) == 2
    assert all(b["verdict"] == "accepted" for b in received)
    assert received[1]["changes"] == 1 and received[0]["header"]["sender"] == party.device


def test_a_lost_answer_costs_nothing(server, tmp_path):
    """The county applied a bundle but the laptop never got the return bundle: the next
    sync sends the same changes again and gets its receipt."""
    party = server.laptop(tmp_path / "b")
    member = server.take_member()
    set_phone(party, member, "13912340003")
    sent = laptop.export_bundle(party.store, tmp_path / "lost").path
    status, _, headers = server.post_bundle(sent, party.device)
    assert status == 200  # … and the answer is dropped
    assert json.loads(headers["X-FieldVisit-Verdict"])["accepted"] is True
    imported = sync_over_network(party.store, server.url, TIMEOUT)
    assert imported.acked > 0 and laptop.unacknowledged(party.store) == 0
    assert phone_of(server.county.store, member) == "13912340003"


def test_two_laptops_conflict_and_staff_resolve_over_http(server, tmp_path):
    first, second = server.laptop(tmp_path / "c1", "甲"), server.laptop(tmp_path / "c2", "乙")
    member = server.take_member()
    for party in (first, second):
        sync_over_network(party.store, server.url, TIMEOUT)
    set_phone(first, member, "13912340011")
    set_phone(second, member, "13912340022")
    sync_over_network(first.store, server.url, TIMEOUT)
    sync_over_network(second.store, server.url, TIMEOUT)

    status, found, _ = server.call("GET", "/api/v1/conflicts")
    assert status == 200
    conflict = next(c for c in found if c["entity_id"] == member and c["field"] == "phone")
    values = [c["value"] for c in conflict["candidates"]]
    assert sorted(values) == ["13912340011", "13912340022"]
    assert {c["device"] for c in conflict["candidates"]} == {first.device, second.device}
    assert conflict["status"] == "open" and conflict["winner"] == "13912340022"  # later

    path = f"/api/v1/conflicts/{conflict['id']}/resolve"
    for pick in (0, len(values) + 1, -1, True, "1"):  # picks count from 1, as the CLI's
        status, body, _ = server.call("POST", path, {"pick": pick})
        assert (status, body["reason"]) == (422, "bad-pick"), pick
        assert "1 到 2" in body["message_zh"] and "from 1 to 2" in body["message_en"]
    assert server.call("POST", path, {"pick": 1, "value": "x"})[0] == 422
    assert server.call("POST", path, ["pick"])[0] == 422
    assert server.call("POST", "/api/v1/conflicts/999999/resolve", {"pick": 1})[0] == 404

    pick = values.index("13912340011") + 1
    status, decided, _ = server.call("POST", path, {"pick": pick})
    assert status == 200
    assert (decided["status"], decided["winner"]) == ("decided", "13912340011")
    with server.county.store.reading() as conn:
        assert conn.execute(select(Conflict.decided_by).where(
            Conflict.id == conflict["id"])).scalar_one() == "李科长"
    status, still_open, _ = server.call("GET", "/api/v1/conflicts")
    assert conflict["id"] not in {c["id"] for c in still_open}
    status, everything, _ = server.call("GET", "/api/v1/conflicts?status=all")
    assert conflict["id"] in {c["id"] for c in everything}

    for party in (first, second):  # the next sync brings the decision to both laptops
        sync_over_network(party.store, server.url, TIMEOUT)
        assert phone_of(party.store, member) == "13912340011"


def test_a_tampered_bundle_is_refused_with_its_verdict(server, tmp_path):
    party = server.laptop(tmp_path / "t")
    member = server.take_member()
    set_phone(party, member, "13912340033")
    path = laptop.export_bundle(party.store, tmp_path / "stick").path
    opened = bundle.read_header(path)
    data = bytearray(path.read_bytes())
    data[opened.body_offset + opened.header.body_size // 2] ^= 0x01  # one bit of the body
    tampered = tmp_path / "tampered.fvb"
    tampered.write_bytes(bytes(data))

    status, body, headers = server.post_bundle(tampered, party.device)
    assert status == 422
    assert body["reason"] == "tampered" and body["verdict"]["accepted"] is False
    assert "签名" in body["message_zh"] and "signature" in body["message_en"]
    verdict = headers["X-FieldVisit-Verdict"]
    assert verdict.isascii() and json.loads(verdict)["reason"] == "tampered"
    status, received, _ = server.call("GET", "/api/v1/bundles?verdict=rejected")
    assert any(b["device"] == party.device and b["reason"] == "tampered" for b in received)

    # the laptop's own sync of the same change is not hindered by the forgery
    assert sync_over_network(party.store, server.url, TIMEOUT).acked > 0
    assert phone_of(server.county.store, member) == "13912340033"


def test_uploads_must_name_their_sending_device(server, tmp_path):
    party, other = server.laptop(tmp_path / "m1"), server.laptop(tmp_path / "m2")
    path = laptop.export_bundle(party.store, tmp_path / "stick").path
    status, body, _ = server.post_bundle(path, other.device)
    assert (status, body["reason"]) == (400, "device-mismatch")
    status, body, _ = server.post_bundle(path, "dnosuchdevice00")
    assert (status, body["reason"]) == (403, "unknown-device")
    status, body, _ = server.call("POST", "/api/v1/bundles", token=None, headers={
        "Content-Type": "application/octet-stream"})
    assert (status, body["reason"]) == (400, "no-device")


def test_too_large_bundles_get_413(server, tmp_path):
    party = server.laptop(tmp_path / "big")
    host, port = server.url.removeprefix("http://").split(":")
    # announced too large: refused before a byte of the body is read
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
    try:
        connection.putrequest("POST", "/api/v1/bundles")
        connection.putheader("X-FieldVisit-Device", party.device)
        connection.putheader("Content-Length", str(600 * 1024 * 1024))
        connection.endheaders()
        answer = connection.getresponse()
        assert answer.status == 413
        assert json.loads(answer.read())["reason"] == "too-large"
    finally:
        connection.close()
    # sent in chunks without a length: refused once past the limit
    block = b"\0" * (256 * 1024)
    chunks = iter([block] * (MAX_BUNDLE_MB * 4 + 8))
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
    try:
        # the server stops reading past the limit; its answer is still there to read
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request("POST", "/api/v1/bundles", body=chunks, encode_chunked=True,
                               headers={"X-FieldVisit-Device": party.device,
                                        "Transfer-Encoding": "chunked"})
        answer = connection.getresponse()
        assert answer.status == 413
        assert json.loads(answer.read())["reason"] == "too-large"
    finally:
        connection.close()


def test_network_errors_are_explained(server, tmp_path):
    party = server.laptop(tmp_path / "n")
    with pytest.raises(SyncError) as refused:
        sync_over_network(party.store, f"http://127.0.0.1:{_free_port()}", 5)
    assert refused.value.reason == "no-network"
    assert "网络" in refused.value.zh and "network" in refused.value.en
    with pytest.raises(SyncError) as refused:
        sync_over_network(party.store, "ftp://county/", 5)
    assert refused.value.reason == "bad-url"
    revoke(server.county, party.device)
    with pytest.raises(SyncError) as refused:
        sync_over_network(party.store, server.url, TIMEOUT)
    assert refused.value.reason == "revoked"
    assert "停用" in refused.value.zh and "revoked" in refused.value.en


def test_fifty_laptops_upload_at_once(server, tmp_path, monkeypatch):
    """50 laptops of one village, each with its own change and all with one to the same
    field, post at the same moment: every upload succeeds, no change is lost, the shared
    field's conflict holds all 50 values (writers serialised, none overwrote another),
    and every laptop gets the county's own edit back."""
    # Enrollment's Argon2id (about 0.25 s, twice per laptop) is what makes the activation
    # code expensive to guess, not what is tested here: both ends use a cheap setting.
    monkeypatch.setattr(devices, "activation_key", quick_activation_key)
    monkeypatch.setattr(laptop, "activation_key", quick_activation_key)
    started = time.monotonic()
    parties = [server.laptop(tmp_path / f"p{i}", f"干部{i}") for i in range(CONCURRENT)]
    enrolled = time.monotonic() - started
    own = [server.take_member() for _ in parties]
    shared = server.take_member()
    for i, (party, member) in enumerate(zip(parties, own, strict=True)):
        set_phone(party, member, f"1370000{i:04d}")
        set_phone(party, shared, f"1360000{i:04d}")

    county_member = server.take_member()  # every return bundle carries the county's edit
    server.county.store.write([Update("member", county_member, {"phone": "13812349999"})])

    gate = threading.Barrier(CONCURRENT, timeout=TIMEOUT)

    def upload(party: Laptop) -> tuple[laptop.Imported, float]:
        gate.wait()
        begun = time.monotonic()
        return sync_over_network(party.store, server.url, TIMEOUT), time.monotonic() - begun

    begun = time.monotonic()
    with ThreadPoolExecutor(CONCURRENT) as pool:
        futures = [pool.submit(upload, party) for party in parties]
        results = [future.result(timeout=10 * TIMEOUT) for future in futures]
    wall = time.monotonic() - begun
    slowest = max(seconds for _, seconds in results)
    print(f"\n{CONCURRENT} concurrent uploads ({server.county.store.engine.dialect.name}): "
          f"{wall:.2f} s wall, slowest {slowest:.2f} s; enrollment {enrolled:.1f} s")

    assert all(imported.acked > 0 for imported, _ in results)
    for i, member in enumerate(own):
        assert phone_of(server.county.store, member) == f"1370000{i:04d}"
    found = server.call("GET", "/api/v1/conflicts")[1]
    conflict = next(c for c in found if c["entity_id"] == shared)
    assert len(conflict["candidates"]) == CONCURRENT
    assert {c["value"] for c in conflict["candidates"]} == {
        f"1360000{i:04d}" for i in range(CONCURRENT)}  # every laptop's value, none lost
    assert {c["device"] for c in conflict["candidates"]} == {p.device for p in parties}
    assert phone_of(server.county.store, shared) == conflict["winner"]
    listed = server.call("GET", "/api/v1/devices")[1]
    active = {d["id"] for d in listed if d["status"] == "active"}
    assert {p.device for p in parties} <= active
    for party in parties:
        assert phone_of(party.store, county_member) == "13812349999"
        party.store.close()


def test_fieldvisit_server_run_and_token_commands(tmp_path):
    """The same server from the county's CLI, with a token made by the CLI (SQLite)."""
    folder = tmp_path / "county"
    make_county(folder).close()
    fieldvisit = [sys.executable, "-m", "fieldvisit", "--data-dir", str(folder), "server"]
    made = subprocess.run([*fieldvisit, "token", "县里管理员"], capture_output=True, text=True,
                          timeout=TIMEOUT, check=True)
    token = made.stdout.strip()
    assert token.startswith("fvt_") and "Bearer" in made.stderr
    process, url = _start(lambda port: [*fieldvisit, "run", "--port", str(port)],
                          tmp_path / "server.log")
    try:
        def devices() -> int:
            request = urllib.request.Request(url + "/api/v1/devices",
                                             headers={"Authorization": f"Bearer {token}"})
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                    return answer.status
            except urllib.error.HTTPError as error:
                error.close()
                return error.code

        assert devices() == 200
        subprocess.run([*fieldvisit, "token", "县里管理员", "--revoke"], capture_output=True,
                       timeout=TIMEOUT, check=True)
        assert devices() == 401
    finally:
        _stop(process)


def test_the_sync_online_command_syncs_a_laptop(server, tmp_path):
    party = server.laptop(tmp_path / "cli")
    member = server.take_member()
    set_phone(party, member, "13912340009")
    data_dir = party.store.folder
    done = subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(data_dir), "sync", "online",
         "--server", server.url], capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert "已与县里服务器同步" in done.stdout
    assert phone_of(server.county.store, member) == "13912340009"
    refused = subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(data_dir), "sync", "online",
         "--server", f"http://127.0.0.1:{_free_port()}"], capture_output=True, text=True,
        timeout=TIMEOUT)
    assert refused.returncode == 1 and refused.stderr.strip()


def test_the_apps_online_dialog_syncs_and_remembers_the_server(server, tmp_path, qtbot):
    from fieldvisit.qt.ops import Ops
    from fieldvisit.qt.sync_dialog import OnlineDialog
    from fieldvisit.sync import network

    party = server.laptop(tmp_path / "qt")
    member = server.take_member()
    set_phone(party, member, "13912340010")
    dialog = OnlineDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.sync_button.isEnabled()  # no address yet
    dialog.url_edit.setText(server.url)
    with qtbot.waitSignal(dialog.finished_step, timeout=TIMEOUT * 1000) as step:
        dialog.start()
    assert step.args == ["imported"], dialog.job.message.text()
    assert "本机的修改县里已全部确认" in dialog.summary.text()
    assert phone_of(server.county.store, member) == "13912340010"
    assert network.remembered_url(party.store) == server.url
    again = OnlineDialog(Ops(party.store))
    qtbot.addWidget(again)
    assert again.url_edit.text() == server.url and again.sync_button.isEnabled()
