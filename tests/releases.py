"""The data folders that released versions made (tests/fixtures/releases/), and the one
way their rows are written down and compared: by the generator when a release is made,
by the upgrade test when the current code opens them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, inspect, text

RELEASES = Path(__file__).resolve().parent / "fixtures" / "releases"
VERSION_TABLES = ("alembic_version", "county_alembic_version")  # they change on upgrade


def released() -> list[Path]:
    """Each release's folder, oldest first."""
    return sorted((p.parent for p in RELEASES.glob("*/manifest.json")),
                  key=lambda p: tuple(int(part) for part in p.name.split(".")))


def manifest(release: Path) -> dict:
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))


def tables(engine: Engine, columns: dict[str, list[str]] | None = None
           ) -> tuple[dict[str, list[str]], dict[str, list[dict]]]:
    """Every table's columns, and its rows as JSON values in a stable order. With
    ``columns``, only those tables and columns (what an older release had: later
    migrations may add more)."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        wanted = columns or {name: [c["name"] for c in inspector.get_columns(name)]
                             for name in inspector.get_table_names()
                             if name not in VERSION_TABLES}
        found = {}
        for name, names in sorted(wanted.items()):
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).mappings()
            kept = [json_row(dict(row), names) for row in rows]
            found[name] = sorted(kept, key=lambda r: json.dumps(r, ensure_ascii=False,
                                                                sort_keys=True))
    return wanted, found


def json_row(row: dict, columns: list[str]) -> dict:
    return {key: value if value is None or isinstance(value, int | float | str)
            else value.hex() if isinstance(value, bytes) else str(value)
            for key, value in row.items() if key in columns}
