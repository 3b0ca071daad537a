"""The county console in a real browser: Debian's chromium driven by selenium (skipped,
saying why, where chromium or chromium-driver is not installed). A township user logs
in, drills down county → township → village → household and approves a case; a county
user approves it at county level, resolves a conflict and downloads the roster. Every
page is saved as a screenshot in the test's temporary folder (1366×768, and at phone
width), so a person can look at them.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sync_parties import VILLAGE, make_county
from test_console_routes import (
    COUNTY_USER,
    OTHER_VILLAGE,
    PASSWORD,
    PEOPLE,
    TOWNSHIP_USER,
    Console,
    add_other_township,
    fake_conflict,
    waiting_case,
)
from test_server_http import _start, _stop, web_command

from fieldvisit.county import users
from fieldvisit.monitoring import cases

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="chromium and chromium-driver are not installed (apt-get install chromium "
           "chromium-driver)")
WAIT = 20.0


@pytest.fixture
def console(tmp_path) -> Iterator[Console]:
    folder = tmp_path / "server"
    county = make_county(folder / "county", households=30)
    county.store.meta.county_code = VILLAGE[:6]
    add_other_township(county)
    for name, role in PEOPLE.items():
        users.add_user(county, name, role, PASSWORD)
    case_other = waiting_case(county, f"{OTHER_VILLAGE}000001")
    process = None
    try:
        process, url = _start(lambda port: web_command(folder / "county", None, port),
                              folder / "server.log")
        yield Console(url, county, folder, case_other)
    finally:
        if process is not None:
            _stop(process)
        county.close()


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1366,768", "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "safebrowsing.enabled": True})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(WAIT)
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


class Pages:
    def __init__(self, driver, url: str, folder: Path, docs: Path) -> None:
        self.driver, self.url, self.folder, self.docs = driver, url, folder, docs
        folder.mkdir(parents=True, exist_ok=True)
        self.shots: list[Path] = []

    def open(self, path: str) -> None:
        self.driver.get(self.url + path)

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def click_link(self, text: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.LINK_TEXT, text).click()

    def shot(self, name: str, doc: str | None = None) -> Path:
        """Every page into the test's folder; ``doc``: also as the README's image of that
        name (``screenshots``: docs/screenshots with ``build/dev.py screenshots``)."""
        path = self.folder / f"{len(self.shots) + 1:02d}_{name}.png"
        height = self.driver.execute_script("return document.body.scrollHeight")
        width = self.driver.get_window_size()["width"]
        self.driver.set_window_size(width, max(768 if width > 1000 else 844,
                                               min(int(height) + 140, 3000)))
        self.driver.save_screenshot(str(path))
        if doc is not None:
            shutil.copyfile(path, self.docs / doc)
        self.shots.append(path)
        return path

    def size(self, width: int, height: int) -> None:
        self.driver.set_window_size(width, height)

    def log_in(self, name: str) -> None:
        if "/login" not in self.driver.current_url:
            self.open("/login")
        self.find("input[name=username]").send_keys(name)
        self.find("input[name=password]").send_keys(PASSWORD)
        self.find("form[action='/login'] button").click()

    def log_out(self) -> None:
        self.find("form[action='/logout'] button").click()
        self.wait_text("密码")

    @property
    def text(self) -> str:
        return self.driver.find_element("tag name", "body").text

    def wait_text(self, text: str) -> None:
        """Wait until the page (after a click's navigation) shows ``text``."""
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, WAIT, ignored_exceptions=(
            StaleElementReferenceException,)).until(lambda _driver: text in self.text)


def test_log_in_drill_down_approve_resolve_and_export(console, browser, tmp_path, screenshots,
                                                      formset):
    from datetime import date, timedelta

    from test_console_routes import household_id, through_village
    from test_monitoring import low_income_visit

    store, home = console.county.store, household_id(console.county, f"{VILLAGE}000002")
    day = date.today() - timedelta(days=8)
    low_income_visit(store, formset, home, day, wage=3000)  # its snapshot is the evidence
    with store.reading() as conn:
        [own_case] = [c.id for c in cases.cases(conn, household_id=home) if c.open]
    cases.decide_proposal(store, own_case, True, day)
    through_village(store, own_case, date.today() - timedelta(days=1))
    conflict = fake_conflict(console.county, VILLAGE)
    pages = Pages(browser, console.url, tmp_path / "console-pages", screenshots)

    pages.open("/cases")  # not logged in: the login page
    assert browser.current_url.startswith(console.url + "/login")
    pages.shot("login")
    pages.log_in(TOWNSHIP_USER)
    pages.wait_text("监测审批")
    assert browser.current_url == console.url + "/cases"
    pages.open("/")
    assert "平里河村" in pages.text and "新塘村" not in pages.text
    pages.shot("township_overview")
    pages.click_link("平舟镇")
    pages.wait_text("各村")
    assert browser.current_url.endswith(f"/townships/{VILLAGE[:9]}")
    pages.click_link("平里河村")
    pages.wait_text("户编号")
    assert browser.current_url.endswith(f"/villages/{VILLAGE}")
    pages.shot("village")
    pages.click_link(f"{VILLAGE}000002")
    pages.wait_text("家庭成员")
    assert "监测程序" in pages.text
    pages.shot("household")

    pages.open("/cases")
    card = pages.find(f"#case-{own_case}")
    pages.shot("cases_township", doc="console_cases.png")
    card.find_element("css selector", "input[name=reason]").send_keys("情况属实，同意")
    card.find_element("css selector", "button[value=approve]").click()
    pages.wait_text("已办理")
    pages.shot("case_approved")
    pages.log_out()

    pages.log_in(COUNTY_USER)
    pages.wait_text("审计日志")
    pages.open("/")
    assert "新塘乡" in pages.text and "平舟镇" in pages.text
    pages.shot("county_overview", doc="console_overview.png")
    pages.open("/cases")
    card = pages.find(f"#case-{own_case}")
    assert "县级审批" in card.text
    card.find_element("css selector", "button[value=approve]").click()
    pages.wait_text("已办理")
    with console.county.store.reading() as conn:
        assert not cases.case(conn, own_case).open

    pages.open("/conflicts")
    form = pages.find(f"#conflict-{conflict}")
    pages.shot("conflicts")
    form.find_element("css selector", "input[name=pick][value='1']").click()
    form.find_element("css selector", "button[type=submit]").click()
    pages.wait_text("冲突已裁定")
    pages.shot("conflict_resolved")

    pages.open("/exports")
    pages.shot("exports")
    pages.click_link("花名册 (.xlsx)")
    deadline = time.monotonic() + WAIT
    found: list[Path] = []
    while time.monotonic() < deadline and not found:
        found = [p for p in browser.downloads.glob("*.xlsx")]
        time.sleep(0.2)
    assert found, "the roster did not download"
    time.sleep(0.5)
    rows = CalamineWorkbook.from_path(str(found[0])).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "户编号" and len(rows) > 30

    for page in ("/devices", "/bundles", "/audit"):
        pages.open(page)
        pages.shot(page.strip("/"))
    assert "case-approve" in pages.text and "export" in pages.text

    pages.size(390, 844)  # a phone
    pages.open("/")
    pages.shot("phone_overview")
    pages.open(f"/households/{VILLAGE}000002")
    pages.shot("phone_household", doc="console_phone_household.png")
    pages.size(1366, 768)
    pages.open("/lang/en?next=/")
    assert "Overview" in pages.text and "Case approval" in pages.text
    pages.shot("english_overview")
    assert len(pages.shots) >= 12 and all(p.stat().st_size > 5000 for p in pages.shots)
