"""A data folder made by any earlier release opens with the current code with nothing
lost (issue 16 §3): tests/fixtures/releases/<version>/ holds what that release made
(tests/fixtures/releases/make_release.py); each is opened here on a copy, upgraded, and
checked row by row, photo by photo and key by key; then the app shows its roster and the
upgraded laptop syncs with the upgraded county."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from fieldvisit.county.ingest import ingest
from fieldvisit.county.office import HEAD as COUNTY_HEAD
from fieldvisit.county.office import County
from fieldvisit.county.returns import return_bundle
from fieldvisit.store import Store, Update, migrate
from fieldvisit.store.models import Household
from fieldvisit.sync import laptop
from fieldvisit.vault.folder import Login, open_folder
from fieldvisit.visits import photos, visit
from tests.releases import manifest, released, tables

RELEASES = released()


def test_every_release_has_its_folder_and_databases():
    assert [r.name for r in RELEASES][:1] == ["0.1.0"]  # the first release with fixtures
    for release in RELEASES:  # a database left out of git would open as an empty store
        for part in ("laptop", "county"):
            assert (release / part / "fieldvisit.sqlite").stat().st_size > 0, release


@pytest.fixture(params=RELEASES, ids=[r.name for r in RELEASES])
def release(request, tmp_path) -> tuple[Path, dict]:
    """A copy of one release's folders (tests never change the committed ones)."""
    for part in ("laptop", "county"):
        shutil.copytree(request.param / part, tmp_path / part)
    return tmp_path, manifest(request.param)


def upgraded_laptop(folder: Path, said: dict) -> Store:
    """The release's laptop opened by the current code, as its cadre logs in."""
    return open_folder(folder / "laptop", Login(said["cadre"], said["password"]),
                       create=False).store


def test_a_release_laptop_opens_with_every_row_photo_and_key(release):
    folder, said = release
    store = upgraded_laptop(folder, said)
    try:
        assert migrate.current(store.engine) == migrate.HEAD
        before = said["laptop"]
        _, now = tables(store.engine, before["columns"])
        for name, rows in before["tables"].items():
            assert now[name] == rows, f"{said['version']}: table {name}"
        with store.reading() as conn:
            kept = sorted([p.sha256, p.media_type] for p in photos.photos_of(conn))
        assert kept == before["photos"] and kept
        for digest, media_type in kept:
            data = photos.read_photo(store.files, digest, media_type)
            assert hashlib.sha256(data).hexdigest() == digest
        assert store.device_id == before["device"]
        assert bytes(store.device_key().verify_key).hex() == before["device_key"]
        draft = visit.load(store, before["draft_visit"])
        assert draft.completed_on is None
        assert draft.answers_by_form["basic_needs"]["note"] == "下次再来核实口粮"
    finally:
        store.close()


def test_a_release_county_opens_with_every_row_and_its_key(release):
    folder, said = release
    county = County.open(folder / "county")
    try:
        engine = county.store.engine
        assert migrate.current(engine) == migrate.HEAD
        assert migrate.current(engine, "county_alembic_version") == COUNTY_HEAD
        before = said["county"]
        _, now = tables(engine, before["columns"])
        for name, rows in before["tables"].items():
            assert now[name] == rows, f"{said['version']}: county table {name}"
        assert county.public_key.hex() == before["county_key"]
    finally:
        county.close()


def test_the_upgraded_app_shows_the_roster(release, qtbot):
    from fieldvisit.qt.main_window import MainWindow

    folder, said = release
    store = upgraded_laptop(folder, said)
    try:
        households = sum(1 for row in said["laptop"]["tables"]["household"]
                         if not row["deleted"])
        shown = MainWindow(store)
        qtbot.addWidget(shown)
        with qtbot.waitSignal(shown.roster_loaded, timeout=20_000) as loaded:
            shown.show()
        qtbot.waitUntil(lambda: not shown.is_loading(), timeout=10_000)
        assert loaded.args == [households]
        shown.close()
    finally:
        store.close()


def test_an_upgraded_laptop_and_an_upgraded_county_sync(release, tmp_path):
    folder, said = release
    store = upgraded_laptop(folder, said)
    county = County.open(folder / "county")
    try:
        with store.reading() as conn:
            home = conn.execute(select(Household.id, Household.code)).first()
        store.write([Update("household", home.id, {"address": "升级后改的地址"})])
        verdict = ingest(county, laptop.export_bundle(store, tmp_path / "stick").path)
        assert verdict.accepted, verdict
        with county.store.reading() as conn:
            assert conn.execute(select(Household.address).where(
                Household.id == home.id)).scalar() == "升级后改的地址"
        back = return_bundle(county, laptop.required(store.meta).device, tmp_path / "back")
        laptop.import_return(store, back)
        assert laptop.unacknowledged(store) == 0
    finally:
        county.close()
        store.close()
