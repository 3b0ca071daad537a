"""Where FieldVisit keeps its data and finds its bundled resources.

The data folder follows the platform's convention (platformdirs) so a cadre's roster
survives reinstalls; ``--data-dir`` and ``FIELDVISIT_HOME`` override it for tests,
portable USB installs and the demo.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "FieldVisit"
DB_FILENAME = "fieldvisit.sqlite"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the database: argument, then FIELDVISIT_HOME, then the platform's."""
    chosen = override or os.environ.get("FIELDVISIT_HOME")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / DB_FILENAME


def resources_dir() -> Path:
    """The ``resources/`` folder, in a source checkout and in the frozen (PyInstaller) app."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
