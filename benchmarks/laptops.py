"""A laptop's data folder in a benchmark, opened as the app and the CLI open it: encrypted
at rest (fieldvisit.vault), the benchmark's cadre logged in. Issue 15 measures the
laptop's real configuration; a benchmark that runs the CLI on the folder passes ``ENV``
so that the CLI logs in the same way."""

from __future__ import annotations

from pathlib import Path

from fieldvisit.store import Store

CADRE = "bench"
PASSWORD = "bench-password"  # the vault wants at least 8 characters
ENV = {"FIELDVISIT_CADRE": CADRE, "FIELDVISIT_PASSWORD": PASSWORD}


def laptop_store(folder: Path) -> Store:
    """The store of the laptop data folder ``folder``, made (encrypted) if new."""
    from fieldvisit.vault.folder import Login, open_folder

    return open_folder(Path(folder), Login(CADRE, PASSWORD), create=True).store
