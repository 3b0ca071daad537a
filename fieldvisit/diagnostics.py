"""诊断信息: one zip a cadre hands to the county's IT staff when something goes wrong.

It holds what helps find a bug and nothing about the people in the store: the error logs
(already scrubbed when written, scrubbed again here in case an older version wrote them,
``fieldvisit.crashlog``), the versions of the program and what it runs on, the schema
revision against the one this version expects, how many rows each table holds, the
device id and enrollment state, and the data folder's size. No names, ID numbers, phone
numbers or answers: rows are counted, never read. The app (帮助 → 导出诊断信息…) and the
CLI (``fieldvisit diagnostics -o FILE.zip``) both call ``write``.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, table

from fieldvisit import __version__, crashlog
from fieldvisit.files import replacing
from fieldvisit.store import Store, migrate
from fieldvisit.sync import laptop

REPORT = "diagnostics.json"
LOGS = "logs/"


def facts(store: Store, qt: str | None = None) -> dict[str, Any]:
    """What the zip's ``diagnostics.json`` says (``qt``: the Qt version, from the app)."""
    with store.reading() as conn:
        names = sorted(inspect(conn).get_table_names())
        counts = {name: conn.execute(select(func.count()).select_from(table(name)))
                  .scalar_one() for name in names}
        cipher = (conn.exec_driver_sql("PRAGMA cipher_version").scalar()
                  if conn.dialect.name == "sqlite" else None)
    enrolled = laptop.enrollment(store.meta)
    return {
        "written": datetime.now().isoformat(timespec="seconds"),
        "versions": {"fieldvisit": __version__, "python": platform.python_version(),
                     "qt": qt, "sqlite": sqlite3.sqlite_version, "sqlcipher": cipher,
                     "database": store.engine.dialect.name,
                     "os": platform.platform(), "frozen": bool(getattr(sys, "frozen", False))},
        "schema": {"current": migrate.current(store.engine), "expected": migrate.HEAD},
        "counts": counts,
        "device": store.device_id,
        "enrollment": None if enrolled is None else {
            "device": enrolled.device, "county": enrolled.county,
            "village": enrolled.village, "activated": enrolled.activated},
        "folder_bytes": folder_size(store.folder),
    }


def folder_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:  # a file removed while we walk
                continue
    return total


def write(store: Store, destination: Path, qt: str | None = None) -> Path:
    """Write the zip to ``destination`` crash-safe (a pulled stick leaves no half file)."""
    report = facts(store, qt)
    destination = Path(destination)
    # The zip is closed (the inner context) before its file is synced and renamed.
    with (replacing(destination) as partial,
          zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive):
        archive.writestr(REPORT, json.dumps(report, ensure_ascii=False, indent=2))
        for log in crashlog.log_files(store.folder):
            text = log.read_text(encoding="utf-8", errors="replace")
            archive.writestr(LOGS + log.name, crashlog.scrub(text))
    return destination


def default_name(store: Store) -> str:
    return f"诊断信息_{store.device_id}_{datetime.now():%Y%m%d-%H%M}.zip"
