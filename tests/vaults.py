"""Opening a laptop's data folder in a test as the CLI does: as the tests' cadre, with the
password tests/conftest.py puts in the environment."""

from __future__ import annotations

import os
from pathlib import Path

from fieldvisit.store import Store
from fieldvisit.vault.folder import Login, Unlocked, open_folder

CADRE = os.environ["FIELDVISIT_CADRE"]
PASSWORD = os.environ["FIELDVISIT_PASSWORD"]


def unlocked(folder: Path, *, create: bool = False) -> Unlocked:
    return open_folder(Path(folder), Login(CADRE, PASSWORD), create=create)


def laptop_store(folder: Path) -> Store:
    """The store of a data folder a CLI run made (or encrypted)."""
    return unlocked(folder).store


def laptop(folder: Path | str) -> Store:
    """A laptop's store in ``folder``, made if new, as the CLI opens it."""
    return unlocked(Path(folder), create=True).store
