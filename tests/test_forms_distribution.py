"""The county's checklists and thresholds travel to the villages in return bundles and
enrollment files; a bad set is refused whole and the laptop keeps the forms it had."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fieldvisit.checklist import installed
from fieldvisit.checklist.forms import bundled_forms_dir
from fieldvisit.county.ingest import ingest
from fieldvisit.county.returns import return_bundle
from fieldvisit.store import Update
from fieldvisit.sync.errors import SyncError
from tests.sync_parties import make_county, make_laptop


def county_forms(tmp_path, title: str, *, settings: str = "") -> Path:
    """A copy of the bundled forms with the 两不愁 title changed, as a county edits it."""
    folder = tmp_path / "county-forms"
    shutil.copytree(bundled_forms_dir(), folder, ignore=shutil.ignore_patterns("*.md"))
    form = folder / "basic_needs.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace(
        "title: 两不愁（吃、穿）", f"title: {title}", 1), encoding="utf-8")
    if settings:
        (folder / "settings.yaml").write_text(settings, encoding="utf-8")
    return folder


def publish(county, folder) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(county.folder), "server",
         "forms", str(folder)], capture_output=True, text=True, timeout=120)


def test_published_forms_reach_a_laptop_through_its_return_bundle(tmp_path):
    county = make_county(tmp_path / "county", households=3)
    party = make_laptop(county, tmp_path / "a")
    before, _ = installed.for_store(party.store)
    assert before["basic_needs"].title == "两不愁（吃、穿）"
    done = publish(county, county_forms(tmp_path, "两不愁（县里修订版）",
                                        settings="income_line: 7500\n"))
    assert done.returncode == 0, done.stderr
    with party.store.reading() as conn:
        from fieldvisit.roster import queries
        home = queries.household_rows(conn)[0].id
    party.store.write([Update("household", home, {"address": "新址"})])
    assert ingest(county, party.export(tmp_path / "usb")).accepted
    party.receive(return_bundle(county, party.device, tmp_path / "back"))
    formset, settings = installed.for_store(party.store)
    assert formset["basic_needs"].title == "两不愁（县里修订版）"
    assert settings["income_line"] == 7500
    later = make_laptop(county, tmp_path / "b")  # a laptop enrolled now gets them at once
    assert installed.for_store(later.store)[0]["basic_needs"].title == "两不愁（县里修订版）"


def test_a_bad_form_set_is_refused_whole(tmp_path):
    folder = county_forms(tmp_path, "坏表")
    (folder / "water.yaml").write_text("id: water\nversion: x\nquestions: 1\n",
                                       encoding="utf-8")
    county = make_county(tmp_path / "county", households=2)
    done = publish(county, folder)
    assert done.returncode == 1 and "走访表有误" in done.stderr
    assert not (county.folder / "forms").exists()
    files = {f"forms/{p.name}": p.read_bytes() for p in folder.glob("*.yaml")}
    with pytest.raises(installed.FormsRejected):
        installed.receive(files)


def test_a_laptop_refuses_a_return_bundle_with_bad_forms_and_applies_nothing(tmp_path):
    county = make_county(tmp_path / "county", households=2)
    party = make_laptop(county, tmp_path / "a")
    assert ingest(county, party.export(tmp_path / "usb")).accepted
    forms = county.folder / "forms"  # a county folder edited by hand, past the checks
    forms.mkdir()
    (forms / "water.yaml").write_text("id: water\nquestions: 1\n", encoding="utf-8")
    with pytest.raises(SyncError) as refused:
        party.receive(return_bundle(county, party.device, tmp_path / "back"))
    assert refused.value.reason == "bad-forms"
    assert installed.for_store(party.store)[0]["basic_needs"].title == "两不愁（吃、穿）"
