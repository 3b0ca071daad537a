"""The county office: its store, its key and its own tables, opened once.

The county's store is an ordinary FieldVisit store (the same migrations, the same write
path and journal) on PostgreSQL in production or SQLite by default, so the county's
roster is imported with the same ``fieldvisit roster import``. Its signing key lives in
the data folder as ``county_key`` (0600); received bundles are kept under ``bundles/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nacl.signing import SigningKey

from fieldvisit import paths
from fieldvisit.store import Store, migrate
from fieldvisit.store.device import key_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "c004"  # the newest revision in migrations/versions; a test keeps this true
HISTORY = migrate.History(MIGRATIONS, HEAD, "county_alembic_version")
KEY_FILE = "county_key"
DATABASE_ENV = "FIELDVISIT_DATABASE_URL"


@dataclass
class County:
    store: Store
    key: SigningKey

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None,
             database_url: str | None = None, code: str | None = None) -> County:
        folder = paths.data_dir(data_dir)
        url = database_url or os.environ.get(DATABASE_ENV) \
            or f"sqlite:///{paths.database_path(data_dir)}"
        store = Store.connect(url, folder, actor="county")
        migrate.upgrade(store.engine, history=HISTORY)
        county = cls(store, key_file(store.folder / KEY_FILE))
        if code:
            store.meta.county_code = code
        return county

    @property
    def folder(self) -> Path:
        return self.store.folder

    @property
    def code(self) -> str:
        return self.store.meta.county_code

    @property
    def bundles_folder(self) -> Path:
        folder = self.folder / "bundles"
        folder.mkdir(exist_ok=True)
        return folder

    @property
    def public_key(self) -> bytes:
        return bytes(self.key.verify_key)

    def close(self) -> None:
        self.store.close()
