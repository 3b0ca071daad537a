"""诊断信息 (fieldvisit.diagnostics): the zip for the county's IT staff holds the schema
revision, the counts and the scrubbed logs, and nothing personal: no demo name, ID
number or phone appears in any of its bytes, compressed or not. The CLI writes the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sqlalchemy import select

from fieldvisit import crashlog, demo, diagnostics
from fieldvisit.store import migrate
from fieldvisit.store.models import Member
from tests.vaults import laptop

ROOT = Path(__file__).resolve().parent.parent


def personal(store) -> list[str]:
    with store.reading() as conn:
        rows = conn.execute(select(Member.name, Member.id_number, Member.phone)).all()
    return [value for row in rows for value in row if value]


def contents(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return path.read_bytes() + b"".join(archive.read(n) for n in archive.namelist())


def test_the_zip_has_the_schema_and_counts_and_no_personal_data(tmp_path):
    store = laptop(tmp_path / "laptop")
    demo.populate(store, 20, 7)
    secrets = personal(store)
    assert len(secrets) > 40
    numbers = [s for s in secrets if s.isascii()]  # ID numbers and phones
    # An older version's log line that quoted numbers outright: scrubbed on export.
    crashlog.error_log(store.folder).write_text(f"old {' '.join(numbers)}\n", encoding="utf-8")
    try:  # a bug whose message quotes a person: name, ID number, phone
        crashlog.record(store.folder, KeyError(" ".join(secrets)))
    finally:
        crashlog.close(store.folder)
    written = diagnostics.write(store, tmp_path / "诊断.zip", qt="Qt test")
    with zipfile.ZipFile(written) as archive:
        report = json.loads(archive.read(diagnostics.REPORT))
        assert f"{diagnostics.LOGS}{crashlog.ERROR_LOG}" in archive.namelist()
    assert report["schema"] == {"current": migrate.HEAD, "expected": migrate.HEAD}
    assert report["counts"]["household"] == 20
    assert report["counts"]["member"] > 20
    assert report["versions"]["qt"] == "Qt test" and report["versions"]["sqlcipher"]
    assert report["device"] == store.device_id and report["enrollment"] is None
    assert report["folder_bytes"] > 0
    raw = contents(written)
    assert b"KeyError" in raw
    for secret in secrets:
        assert secret.encode() not in raw, secret
    store.close()


def test_the_cli_writes_the_zip(tmp_path):
    store = laptop(tmp_path / "laptop")
    demo.populate(store, 5, 3)
    store.close()
    out = tmp_path / "d.zip"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("FIELDVISIT_HOME", None)
    done = subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir",
                           str(tmp_path / "laptop"), "diagnostics", "-o", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read(diagnostics.REPORT))["counts"]["household"] == 5


def test_the_app_writes_it_on_a_worker_and_says_where(qtbot, tmp_path):
    from fieldvisit.qt.diagnostics_dialog import DiagnosticsDialog

    store = laptop(tmp_path / "laptop")
    try:
        out = tmp_path / "stick" / "诊断.zip"
        out.parent.mkdir()
        dialog = DiagnosticsDialog(store, out)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: out.is_file(), timeout=30_000)
        qtbot.waitUntil(lambda: str(out) in dialog.progress.message.text(), timeout=30_000)
        with zipfile.ZipFile(out) as archive:
            assert "Qt " in json.loads(archive.read(diagnostics.REPORT))["versions"]["qt"]
    finally:
        store.close()
