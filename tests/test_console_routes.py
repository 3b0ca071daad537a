"""The county web console over real HTTP: a real server process (``python -m
fieldvisit.server.web``), on SQLite and again on PostgreSQL when
FIELDVISIT_TEST_DATABASE_URL names one (skipped, saying why, elsewhere).

Every page for every role: allowed, 404 outside the scope, 403 for what the role may not
do, the login redirect, CSRF refused, session expiry, the wrong-password wait; and the
issue's measure: a township user approves a case a laptop opened and the laptop gets the
decision in its next sync; a county user resolves a conflict and downloads the roster.
"""

from __future__ import annotations

import http.client
import io
import re
import subprocess
import sys
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import create_engine, select, text, update
from sync_parties import VILLAGE, make_county, make_laptop, round_trip
from test_server_http import BACKENDS, POSTGRES, _start, _stop, web_command

from fieldvisit.county import users
from fieldvisit.county.devices import now
from fieldvisit.county.models import AuditEntry, Conflict, ConsoleSession, ConsoleUser
from fieldvisit.county.office import County
from fieldvisit.county.returns import return_bundle
from fieldvisit.county.tokens import create_token
from fieldvisit.monitoring import cases
from fieldvisit.monitoring.cases import StepInput
from fieldvisit.store import Insert, Update
from fieldvisit.store.models import County as CountyRow
from fieldvisit.store.models import Household, Member, table_of
from fieldvisit.sync.network import sync_over_network

OTHER_TOWNSHIP = "522727101"
OTHER_VILLAGE = "522727101200"
OTHER_HOUSEHOLD = "522727101200000001"
OWN_HOUSEHOLD = VILLAGE + "000001"
PASSWORD = "correct-horse-1"
PEOPLE = {  # name → role
    "县里李科长": "county",
    "平舟镇王": f"township:{VILLAGE[:9]}",
    "新塘乡赵": f"township:{OTHER_TOWNSHIP}",
    "平里河村": f"village:{VILLAGE}",
}
COUNTY_USER, TOWNSHIP_USER, OTHER_USER, VILLAGE_USER = PEOPLE

CLIENT_TIMEOUT = 60.0
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    url: str
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        parsed = urllib.parse.urlsplit(self.url)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=CLIENT_TIMEOUT)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            conn.close()
        for raw in answer.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(raw)
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value or morsel.value == '""':
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str], *, csrf: str | None = None,
             token_from: str | None = None) -> Answer:
        """POST a form; ``csrf`` as given, or read from the page ``token_from`` (or "/")."""
        if csrf is None:
            page = self.get(token_from or "/")
            found = CSRF.search(page.text)
            csrf = found.group(1) if found else ""
        data = dict(fields)
        if csrf:
            data["csrf_token"] = csrf
        return self.request("POST", path, urllib.parse.urlencode(data).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path: str, fields: dict[str, str], name: str, filename: str,
               content: bytes, *, token_from: str) -> Answer:
        """POST a multipart form with one file, the CSRF token read from ``token_from``."""
        found = CSRF.search(self.get(token_from).text)
        data = {**fields, "csrf_token": found.group(1) if found else ""}
        boundary = "----fv" + uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                 .encode() for k, v in data.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: application/octet-stream'
                     f'\r\n\r\n'.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body,
                            {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def log_in(self, name: str, password: str, next_page: str = "/") -> Answer:
        return self.post("/login", {"username": name, "password": password,
                                    "next": next_page}, token_from="/login")


# ---- the server ------------------------------------------------------------------------

@dataclass
class Console:
    url: str
    county: County
    folder: Path
    case_other: str  # a case of the other township, waiting for 乡镇审核
    database: str | None = None  # the server's --database (None: SQLite in the folder)

    def browser(self, name: str | None = None) -> Browser:
        browser = Browser(self.url)
        if name is not None:
            answer = browser.log_in(name, PASSWORD)
            assert answer.status == 303, answer.text[-2000:]
        return browser


def add_other_township(county: County) -> None:
    """A second township with one village and two households (the demo has one)."""
    with county.store.reading() as conn:
        county_id = conn.execute(select(CountyRow.id)).scalar_one()
    township = Insert("township", {"code": OTHER_TOWNSHIP, "name": "新塘乡",
                                   "county_id": county_id})
    village = Insert("village", {"code": OTHER_VILLAGE, "name": "新塘村",
                                 "township_id": township.id})
    edits = [township, village]
    for n, head in ((1, "赵外乡"), (2, "钱外乡")):
        household = Insert("household", {"code": f"{OTHER_VILLAGE}{n:06d}",
                                         "village_id": village.id, "hh_type": "一般农户"})
        edits += [household, Insert("member", {"household_id": household.id, "name": head,
                                               "relation": "户主", "sex": "男"})]
    county.store.write(edits)


def household_id(county: County, code: str) -> str:
    with county.store.reading() as conn:
        return conn.execute(select(Household.id).where(Household.code == code)).scalar_one()


def through_village(store, case_id: str, day: date) -> None:
    steps = (StepInput("入户核实", day, "王干部", authorised=True),
             StepInput("信息比对", day, "王干部"),
             StepInput("民主评议", day, "王干部", attendance=31),
             StepInput("村级公示", day, "王干部", publicity_from=day - timedelta(days=6),
                       publicity_to=day - timedelta(days=1)))
    for step in steps:
        cases.record_step(store, case_id, step, at_county=False)


def waiting_case(county: County, code: str) -> str:
    """A case opened ten days ago at ``code``, through the village steps yesterday."""
    today = date.today()
    case_id = cases.open_case(county.store, household_id(county, code), source="干部排查",
                              risks=["因病"], today=today - timedelta(days=10))
    through_village(county.store, case_id, today - timedelta(days=1))
    return case_id


@pytest.fixture(scope="module", params=BACKENDS)
def console(request, tmp_path_factory) -> Iterator[Console]:
    backend = request.param
    folder = tmp_path_factory.mktemp(f"console-{backend}")
    database = schema = admin = None
    if backend == "postgresql":
        schema = f"fv_console_{uuid.uuid4().hex[:12]}"
        base = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        database = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    county = process = None
    log = folder / "server.log"
    try:
        county = make_county(folder / "county", households=30, database_url=database)
        county.store.meta.county_code = VILLAGE[:6]
        add_other_township(county)
        for name, role in PEOPLE.items():
            users.add_user(county, name, role, PASSWORD)
        case_other = waiting_case(county, OTHER_HOUSEHOLD)
        process, url = _start(lambda port: web_command(folder / "county", database, port), log)
        yield Console(url, county, folder, case_other, database)
    finally:
        if process is not None:
            _stop(process)
        if county is not None:
            county.close()
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


PAGES = ("/", f"/townships/{VILLAGE[:9]}", f"/villages/{VILLAGE}",
         f"/households/{OWN_HOUSEHOLD}", "/search?q=wang", "/cases", "/conflicts",
         "/devices", "/bundles", "/exports", "/audit")


# ---- logging in --------------------------------------------------------------------------

def test_every_page_redirects_to_the_login_without_a_session(console):
    browser = console.browser()
    for page in PAGES:
        answer = browser.get(page)
        assert answer.status == 303, page
        assert answer.location.startswith("/login?next="), page
    answer = browser.get("/login")
    assert answer.status == 200 and 'name="username"' in answer.text
    assert 'name="password"' in answer.text and 'name="csrf_token"' in answer.text


def test_login_sets_an_httponly_samesite_cookie_and_returns_to_the_page(console):
    browser = console.browser()
    answer = browser.log_in(COUNTY_USER, PASSWORD, next_page="/cases")
    assert (answer.status, answer.location) == (303, "/cases")
    cookie = next(c for c in browser.set_cookies if c.startswith("fv_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    assert browser.get("/cases").status == 200
    assert browser.log_in(COUNTY_USER, PASSWORD, "//evil.example/").location == "/"


def test_wrong_passwords_are_refused_and_logout_ends_the_session(console):
    browser = console.browser()
    answer = browser.log_in(COUNTY_USER, "wrong-password")
    assert answer.status == 401 and "用户名或密码不对" in answer.text
    assert "fv_session" not in browser.cookies
    browser = console.browser(COUNTY_USER)
    stolen = dict(browser.cookies)
    assert browser.post("/logout", {}).status == 303
    assert browser.get("/").status == 303
    thief = Browser(console.url, stolen)  # the old cookie is dead in the database
    assert thief.get("/").status == 303


def test_the_login_form_and_every_post_need_the_csrf_token(console):
    browser = console.browser()
    browser.get("/login")
    answer = browser.post("/login", {"username": COUNTY_USER, "password": PASSWORD},
                          csrf="")
    assert answer.status == 403
    browser = console.browser(COUNTY_USER)
    for path in ("/logout", f"/cases/{console.case_other}/decide", "/conflicts/1/resolve",
                 "/devices/enroll", "/devices/x/revoke"):
        for token in ("", "forged-token"):
            answer = browser.post(path, {"decision": "approve"}, csrf=token)
            assert answer.status == 403, (path, token)
            assert "防伪令牌" in answer.text
    assert browser.get("/").status == 200  # still logged in: the refused logout did nothing


def test_an_expired_session_goes_back_to_the_login(console):
    browser = console.browser(VILLAGE_USER)
    assert browser.get("/").status == 200
    with console.county.store.transaction() as tx:
        tx.conn.execute(update(ConsoleSession).values(
            expires_at=now() - timedelta(seconds=1)).where(
            ConsoleSession.user_id.in_(select(table_of(ConsoleUser).c.id).where(
                table_of(ConsoleUser).c.name == VILLAGE_USER))))
    answer = browser.get(f"/villages/{VILLAGE}")
    assert answer.status == 303 and answer.location.startswith("/login?next=/villages/")


def test_five_wrong_passwords_make_the_account_wait_and_are_audited(console):
    name = "试错用户"
    users.add_user(console.county, name, "county", PASSWORD)
    browser = console.browser()
    for _ in range(users.MAX_TRIES):
        assert browser.log_in(name, "not-the-password").status == 401
    answer = browser.log_in(name, PASSWORD)  # right, but it must wait now
    assert answer.status == 429
    assert "秒后再试" in answer.text
    with console.county.store.reading() as conn:
        actions = conn.execute(select(AuditEntry.action).where(
            AuditEntry.target == name)).scalars().all()
    assert "login-locked" in actions and "login" not in actions
    assert console.browser(COUNTY_USER).get("/").status == 200  # others are not held up


# ---- scopes ------------------------------------------------------------------------------

EXPECTED = {  # page → status for county, own township, other township, village user
    "/": (200, 200, 200, 200),
    f"/townships/{VILLAGE[:9]}": (200, 200, 404, 404),
    f"/townships/{OTHER_TOWNSHIP}": (200, 404, 200, 404),
    f"/villages/{VILLAGE}": (200, 200, 404, 200),
    f"/villages/{OTHER_VILLAGE}": (200, 404, 200, 404),
    f"/households/{OWN_HOUSEHOLD}": (200, 200, 404, 200),
    f"/households/{OTHER_HOUSEHOLD}": (200, 404, 200, 404),
    "/households/999999999999999999": (404, 404, 404, 404),
    "/search?q=%E5%A4%96%E4%B9%A1": (200, 200, 200, 200),
    "/cases": (200, 200, 200, 200),
    "/conflicts": (200, 200, 200, 200),
    "/devices": (200, 200, 200, 200),
    "/bundles": (200, 200, 200, 200),
    "/exports": (200, 200, 200, 200),
    "/exports/roster.xlsx": (200, 200, 200, 200),
    "/exports/nothing.xlsx": (404, 404, 404, 404),
    "/audit": (200, 403, 403, 403),
}


def test_every_page_for_every_role(console):
    for column, name in enumerate((COUNTY_USER, TOWNSHIP_USER, OTHER_USER, VILLAGE_USER)):
        browser = console.browser(name)
        for page, statuses in EXPECTED.items():
            answer = browser.get(page)
            assert answer.status == statuses[column], (name, page, answer.text[-500:])
            if answer.headers.get("Content-Type", "").startswith("text/html"):
                assert "Content-Security-Policy" in answer.headers
                assert re.search(r'(src|href)="https?://', answer.text) is None, page


def test_another_townships_data_is_in_no_list_search_or_export(console):
    own = console.browser(TOWNSHIP_USER)
    other = console.browser(OTHER_USER)
    assert "新塘村" not in own.get("/").text and "平里河村" in own.get("/").text
    assert "新塘村" in other.get("/").text and "平里河村" not in other.get("/").text
    assert OTHER_HOUSEHOLD not in own.get("/search?q=%E5%A4%96%E4%B9%A1").text  # 外乡
    assert OTHER_HOUSEHOLD in other.get("/search?q=%E5%A4%96%E4%B9%A1").text
    assert OTHER_HOUSEHOLD in other.get(f"/search?q={OTHER_HOUSEHOLD[-8:]}").text
    with console.county.store.reading() as conn:  # a change after the index was built
        head = conn.execute(select(Member.id).join(Household).where(
            Household.code == OTHER_HOUSEHOLD)).scalar_one()
    console.county.store.write([Update("member", head, {"phone": "13755501234"})])
    found = other.get("/search?q=1375550").text
    assert OTHER_HOUSEHOLD in found and "赵外乡" in found
    assert OTHER_HOUSEHOLD not in own.get("/search?q=1375550").text
    assert "没有找到" in own.get("/search?q=1375550").text
    assert console.case_other not in own.get("/cases").text
    assert console.case_other in other.get("/cases").text
    rows = xlsx_rows(other.get("/exports/roster.xlsx").body)
    assert rows[0][0] == "户编号"
    assert sorted(r[0] for r in rows[1:]) == [OTHER_HOUSEHOLD, f"{OTHER_VILLAGE}000002"]
    own_rows = xlsx_rows(own.get("/exports/roster.xlsx").body)
    assert own_rows[1:] and all(r[0].startswith(VILLAGE) for r in own_rows[1:])
    with console.county.store.reading() as conn:
        audited = conn.execute(select(AuditEntry.actor).where(
            AuditEntry.action == "export")).scalars().all()
    assert OTHER_USER in audited and TOWNSHIP_USER in audited


def xlsx_rows(body: bytes) -> list[list[str]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(body))
    return [[str(c) for c in row] for row in book.get_sheet_by_index(0).to_python()]


def test_the_bearer_api_keeps_its_scopes(console):
    import json
    import urllib.error
    import urllib.request

    def call(token: str, path: str, body=None) -> tuple[int, object]:
        request = urllib.request.Request(
            console.url + path, data=json.dumps(body).encode() if body is not None else None,
            method="POST" if body is not None else "GET",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read())

    laptop_folder = console.folder / "api-laptop"
    make_laptop(console.county, laptop_folder)  # a device of VILLAGE (the first township)
    county_token = create_token(console.county, "县API")
    other_token = create_token(console.county, "乡API", f"township:{OTHER_TOWNSHIP}")
    own_token = create_token(console.county, "镇API", f"township:{VILLAGE[:9]}")
    status, listed = call(county_token, "/api/v1/devices")
    assert status == 200 and any(d["village"] == VILLAGE for d in listed)
    assert call(other_token, "/api/v1/devices") == (200, [])
    status, listed = call(own_token, "/api/v1/devices")
    assert listed and all(d["village"] == VILLAGE for d in listed)
    status, received = call(other_token, "/api/v1/bundles")
    assert status == 200 and all(b["device"] is None for b in received) is not None
    conflict = fake_conflict(console.county, VILLAGE)
    assert conflict not in [c["id"] for c in call(other_token, "/api/v1/conflicts")[1]]
    assert conflict in [c["id"] for c in call(own_token, "/api/v1/conflicts")[1]]
    assert call(other_token, f"/api/v1/conflicts/{conflict}/resolve", {"pick": 1})[0] == 404


def fake_conflict(county: County, village: str) -> int:
    """An open conflict on a member's phone, as ingest records one."""
    import json

    with county.store.reading() as conn:
        member = conn.execute(select(Member.id).join(Household).where(
            Household.code.like(f"{village}%")).limit(1)).scalar_one()
    candidates = [{"value": json.dumps(v), "clock": c, "device": d} for v, c, d in (
        ("13900000001", "0000000000001-0000-a", "dA"),
        ("13900000002", "0000000000002-0000-b", "dB"))]
    with county.store.transaction() as tx:
        return tx.conn.execute(table_of(Conflict).insert().values(
            village=village, entity="member", entity_id=member, field="phone",
            base=json.dumps("13900000000"), candidates=json.dumps(candidates),
            winner=json.dumps("13900000002"), status="open", opened_at=now())
        ).inserted_primary_key[0]


# ---- the measure ------------------------------------------------------------------

def test_a_township_approves_a_laptops_case_and_the_laptop_gets_it(console, tmp_path,
                                                                    formset):
    """A visit on the laptop suggests monitoring; the cadre accepts the proposal and does
    the village steps; the township and the county decide in the browser."""
    from test_monitoring import low_income_visit

    county = console.county
    party = make_laptop(county, tmp_path / "laptop", "王干部")
    with party.store.reading() as conn:
        hid, _code = conn.execute(select(Household.id, Household.code).where(
            Household.monitored.is_(False), Household.code.like(f"{VILLAGE}%"))
            .order_by(Household.code.desc())).first()
    today = date.today()
    low_income_visit(party.store, formset, hid, today - timedelta(days=9), wage=3000)
    with party.store.reading() as conn:
        [proposal] = cases.cases(conn, household_id=hid)
    case_id = proposal.id
    cases.decide_proposal(party.store, case_id, True, today - timedelta(days=9))
    through_village(party.store, case_id, today - timedelta(days=1))
    assert round_trip(county, party, tmp_path / "usb").accepted

    township = console.browser(TOWNSHIP_USER)
    page = township.get("/cases").text
    assert case_id in page and "乡镇审核" in page and "参会人数" in page
    assert "建议纳入监测" in page  # the visit's snapshot, as evidence
    assert case_id not in console.browser(OTHER_USER).get("/cases").text
    decide = f"/cases/{case_id}/decide"
    county_user = console.browser(COUNTY_USER)
    assert county_user.post(decide, {"decision": "approve"}).status == 403  # 乡镇审核
    assert console.browser(OTHER_USER).post(decide, {"decision": "approve"}).status == 404
    answer = township.post(decide, {"decision": "approve", "reason": "情况属实"})
    assert (answer.status, answer.location) == (303, "/cases?ok=case")
    assert township.post(decide, {"decision": "approve"}).status == 403  # now 县级审批

    answer = county_user.post(decide, {"decision": "reject"})  # a rejection needs a reason
    assert answer.status == 422 and "写明原因" in answer.text
    answer = county_user.post(decide, {"decision": "approve", "category": "边缘易致贫户"})
    assert answer.status == 303

    party.receive(return_bundle(county, party.device, tmp_path / "back"))
    with party.store.reading() as conn:
        view = cases.case(conn, case_id)
        monitored = conn.execute(select(Household.monitored, Household.monitor_category)
                                 .where(Household.id == hid)).one()
    assert view.status == "已纳入" or not view.open
    assert [s.step for s in view.steps][-2:] == ["乡镇审核", "县级审批"]
    assert view.steps[-2].actor == TOWNSHIP_USER and view.steps[-2].note == "情况属实"
    assert tuple(monitored) == (True, "边缘易致贫户")
    audit = county_user.get("/audit").text
    assert "case-approve" in audit and TOWNSHIP_USER in audit


def test_a_township_rejects_a_case_with_its_reason(console):
    township = console.browser(OTHER_USER)
    answer = township.post(f"/cases/{console.case_other}/decide",
                           {"decision": "reject", "reason": "收入高于监测线"})
    assert answer.status == 303
    with console.county.store.reading() as conn:
        view = cases.case(conn, console.case_other)
    assert not view.open and view.steps[-1].note == "收入高于监测线"


def test_a_county_user_resolves_a_conflict_and_downloads_the_roster(console, tmp_path):
    county = console.county
    first = make_laptop(county, tmp_path / "c1", "甲")
    second = make_laptop(county, tmp_path / "c2", "乙")
    for party in (first, second):
        sync_over_network(party.store, console.url, CLIENT_TIMEOUT)
    with county.store.reading() as conn:
        member = conn.execute(select(Member.id).join(Household).where(
            Household.code == f"{VILLAGE}000003", Member.relation == "户主")).scalar_one()
    for party, phone in ((first, "13912340011"), (second, "13912340022")):
        party.store.write([Update("member", member, {"phone": phone})])
    for party in (first, second):
        sync_over_network(party.store, console.url, CLIENT_TIMEOUT)
    with county.store.reading() as conn:
        conflict = conn.execute(select(Conflict.id).where(
            Conflict.entity_id == member, Conflict.status == "open")).scalar_one()

    village_user = console.browser(VILLAGE_USER)
    assert f"conflict-{conflict}" in village_user.get("/conflicts").text
    resolve = f"/conflicts/{conflict}/resolve"
    assert village_user.post(resolve, {"pick": "1"}, token_from="/conflicts").status == 403
    assert console.browser(OTHER_USER).post(resolve, {"pick": "1"}).status == 404
    browser = console.browser(COUNTY_USER)
    page = browser.get("/conflicts").text
    assert "13912340011" in page and "13912340022" in page and first.device in page
    answer = browser.post(resolve, {"pick": "9"})
    assert answer.status == 422 and "1 到 2" in answer.text
    answer = browser.post(resolve, {"pick": "1"})
    assert (answer.status, answer.location) == (303, "/conflicts?ok=conflict")
    with county.store.reading() as conn:
        decided = conn.execute(select(Conflict.status, Conflict.decided_by).where(
            Conflict.id == conflict)).one()
    assert tuple(decided) == ("decided", COUNTY_USER)
    for party in (first, second):
        sync_over_network(party.store, console.url, CLIENT_TIMEOUT)
        with party.store.reading() as conn:
            assert conn.execute(select(Member.phone).where(Member.id == member)
                                ).scalar_one() == "13912340011"

    download = browser.get("/exports/roster.xlsx")
    assert download.status == 200
    assert "attachment" in download.headers["Content-Disposition"]
    rows = xlsx_rows(download.body)
    with county.store.reading() as conn:
        persons = conn.execute(select(Member.id).where(
            Member.deleted.is_(False), Member.left_on.is_(None))).all()
    assert len(rows) - 1 == len(persons)
    assert {OTHER_HOUSEHOLD, OWN_HOUSEHOLD} <= {r[0] for r in rows}


def test_a_county_user_compares_a_department_list(console):
    with console.county.store.reading() as conn:
        name, number, code = conn.execute(
            select(Member.name, Member.id_number, Household.code).join(Household)
            .where(Household.monitored.is_(False), Member.id_number.is_not(None),
                   Household.code.like(f"{VILLAGE}%"), Household.code > f"{VILLAGE}000020")
            .order_by(Household.code)).first()
    listed = ("序号,残疾人姓名,公民身份号码,残疾类别,残疾等级\n"
              f"1,{name},{number},肢体,二级\n2,陌生人,110101199001011237,视力,一级\n")
    content = listed.encode("utf-8-sig")
    county_user = console.browser(COUNTY_USER)
    answer = county_user.upload("/exports/compare", {"source": "残联", "dry_run": "1"},
                                "file", "残联名单.csv", content, token_from="/exports")
    assert answer.status == 200, answer.text[-1500:]
    assert "建议立案 1 户" in answer.text and code in answer.text and "未匹配 1 行" in answer.text
    assert "试运行" in answer.text
    answer = county_user.upload("/exports/compare", {"source": "残联"}, "file", "残联名单.csv",
                                content, token_from="/exports")
    assert answer.status == 200 and "已写入 1 条" in answer.text
    with console.county.store.reading() as conn:
        proposed = [c for c in cases.cases(conn, household_id=household_id(console.county, code))
                    if c.status == "待确认"]
    assert len(proposed) == 1 and proposed[0].department == "残联"
    township = console.browser(TOWNSHIP_USER)
    assert township.upload("/exports/compare", {"source": "残联"}, "file", "x.csv", content,
                           token_from="/exports").status == 403
    answer = county_user.upload("/exports/compare", {"source": "税务"}, "file", "x.csv",
                                content, token_from="/exports")
    assert answer.status == 422 and "残联" in answer.text


def test_a_bundle_uploaded_from_the_browser_and_its_return_bundle(console, tmp_path):
    party = make_laptop(console.county, tmp_path / "stick-laptop", "刘干部")
    with party.store.reading() as conn:
        member = conn.execute(select(Member.id).join(Household).where(
            Household.code == f"{VILLAGE}000011")).scalars().first()
    party.store.write([Update("member", member, {"phone": "13766601234"})])
    content = party.export(tmp_path / "usb").read_bytes()
    for name in (OTHER_USER, VILLAGE_USER):  # not theirs / read only
        answer = console.browser(name).upload("/bundles/upload", {}, "file", "a.fvb", content,
                                              token_from="/bundles")
        assert answer.status == 403, name
    township = console.browser(TOWNSHIP_USER)
    answer = township.upload("/bundles/upload", {}, "file", "a.fvb", content,
                             token_from="/bundles")
    assert answer.status == 200, answer.text[-1500:]
    assert f"/devices/{party.device}/return" in answer.text
    with console.county.store.reading() as conn:
        assert conn.execute(select(Member.phone).where(Member.id == member)
                            ).scalar_one() == "13766601234"
    answer = township.upload("/bundles/upload", {}, "file", "a.fvb", content,
                             token_from="/bundles")  # the same again: replayed
    assert answer.status == 422 and "拒收" in answer.text
    assert console.browser(OTHER_USER).get(f"/devices/{party.device}/return").status == 404
    assert console.browser(VILLAGE_USER).get(f"/devices/{party.device}/return").status == 403
    returned = township.get(f"/devices/{party.device}/return")
    assert returned.status == 200 and "attachment" in returned.headers["Content-Disposition"]
    back = tmp_path / "back.fvb"
    back.write_bytes(returned.body)
    assert party.receive(back).acked > 0  # the laptop takes its receipt from the stick
    assert "bundle-upload" in console.browser(COUNTY_USER).get("/audit").text


def test_a_county_user_enrolls_and_revokes_a_laptop(console):
    browser = console.browser(COUNTY_USER)
    answer = browser.post("/devices/enroll", {"village": OTHER_VILLAGE, "cadre": "孙干部"},
                          token_from="/devices")
    assert answer.status == 200 and "激活码" in answer.text
    device = re.search(r"/devices/(d[0-9a-f]+)/enrollment", answer.text).group(1)
    download = browser.get(f"/devices/{device}/enrollment")
    assert download.status == 200 and len(download.body) > 100
    assert console.browser(OTHER_USER).get(f"/devices/{device}/enrollment").status == 403
    assert console.browser(OTHER_USER).post(f"/devices/{device}/revoke", {}).status == 403
    assert browser.post(f"/devices/{device}/revoke", {}).status == 303
    assert "已停用" in browser.get("/devices").text


def test_english_switch_and_every_template_string_has_english(console):
    from fieldvisit.server import console as pages

    browser = console.browser(COUNTY_USER)
    assert "监测审批" in browser.get("/").text
    answer = browser.get("/lang/en?next=/cases")
    assert (answer.status, answer.location) == (303, "/cases")
    page = browser.get("/cases").text
    assert "Case approval" in page and 'lang="en"' in page
    browser.get("/lang/zh")
    assert "监测审批" in browser.get("/").text
    templates = Path(pages.HERE / "templates")
    texts = [m.group(2) for p in templates.glob("*.html")
             for m in re.finditer(r'_\(\s*(["\'])(.*?)\1\s*\)', p.read_text("utf-8"))]
    assert texts and pages.missing_english(texts) == []


def test_the_wheel_takes_every_template_and_static_file():
    import fnmatch
    import tomllib

    from fieldvisit.server import console as pages

    root = pages.HERE.parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    patterns = config["package-data"]["fieldvisit.server"]
    files = [p.relative_to(pages.HERE).as_posix() for folder in ("templates", "static")
             for p in (pages.HERE / folder).rglob("*") if p.is_file()]
    assert files and all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns)
                         for f in files)


def test_static_assets_are_served_locally(console):
    answer = console.browser().get("/static/console.css")
    assert answer.status == 200 and "text/css" in answer.headers["Content-Type"]
    assert "@media (max-width" in answer.text and "http" not in answer.text


def test_a_session_from_one_worker_is_served_by_another(console):
    """``--workers 2``: two processes on the same database; a login through either is
    honoured by both (sessions live in the database)."""
    command = lambda port: [*web_command(console.folder / "county", console.database, port),  # noqa: E731
                            "--workers", "2"]
    process, url = _start(command, console.folder / "workers.log")
    try:
        browser = Browser(url)
        answer = browser.log_in(COUNTY_USER, PASSWORD)
        assert answer.status == 303
        first = answer.headers["X-FieldVisit-Worker"]
        seen = {first}
        for _ in range(200):  # each request on a new connection: the kernel spreads them
            page = browser.get("/cases")
            assert page.status == 200
            seen.add(page.headers["X-FieldVisit-Worker"])
            if len(seen) > 1:
                break
        assert len(seen) == 2, "every request went to one worker"
    finally:
        _stop(process)


# ---- the user commands ---------------------------------------------------------------------

def run_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("FIELDVISIT_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir", str(folder),
                           "server", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def test_the_user_commands(tmp_path):
    county = make_county(tmp_path / "county", households=5)
    county.close()
    secret = tmp_path / "pw"
    secret.write_text("long-enough-1\n", encoding="utf-8")
    folder = tmp_path / "county"
    done = run_cli(folder, "user", "add", "张科员", "--role", f"township:{VILLAGE[:9]}",
                   "--password-file", str(secret))
    assert done.returncode == 0, done.stderr
    assert run_cli(folder, "user", "add", "张科员", "--role", "county", "--password-file",
                   str(secret)).returncode == 1  # taken
    bad = run_cli(folder, "user", "add", "李", "--role", "township:12", "--password-file",
                  str(secret))
    assert bad.returncode == 2 and "township:CODE" in bad.stderr
    short = tmp_path / "short"
    short.write_text("abc\n", encoding="utf-8")
    assert run_cli(folder, "user", "add", "李", "--role", "county", "--password-file",
                   str(short)).returncode == 2
    listed = run_cli(folder, "user", "list")
    assert "张科员" in listed.stdout and f"township:{VILLAGE[:9]}" in listed.stdout
    assert run_cli(folder, "user", "disable", "张科员").returncode == 0
    assert "已停用" in run_cli(folder, "user", "list").stdout
    secret.write_text("another-one-2\n", encoding="utf-8")
    assert run_cli(folder, "user", "passwd", "张科员", "--password-file",
                   str(secret)).returncode == 0
    assert run_cli(folder, "user", "passwd", "无此人", "--password-file",
                   str(secret)).returncode == 2
    county = County.open(folder)
    try:
        assert users.log_in(county, "张科员", "another-one-2").reason == "bad-login"  # off
        users.disable_user(county, "张科员", disabled=False)
        assert users.log_in(county, "张科员", "long-enough-1").cookie is None
        assert users.log_in(county, "张科员", "another-one-2").cookie
        stored = users.find_user(county, "张科员")
        assert stored is not None
        with county.store.reading() as conn:
            digest = conn.execute(select(table_of(ConsoleUser).c.password_hash)).scalar()
        assert digest.startswith("$argon2id$")
    finally:
        county.close()
