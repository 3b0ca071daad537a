"""Where FieldVisit keeps its data and finds its bundled resources.

The data folder follows the platform's convention (platformdirs) so a cadre's roster
survives reinstalls; ``--data-dir`` and ``FIELDVISIT_HOME`` override it for tests,
portable USB installs and the demo.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "FieldVisit"
DB_FILENAME = "fieldvisit.sqlite"
_PACKAGE = Path(__file__).resolve().parent


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the database: argument, then FIELDVISIT_HOME, then the platform's."""
    chosen = override or os.environ.get("FIELDVISIT_HOME")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / DB_FILENAME


def bundled_dir(name: str) -> Path:
    """A folder shipped with the app, ``resources`` or ``forms``, wherever the app runs from.

    The source tree keeps them at its top, beside the package: a checkout and the editable
    install (which runs the checkout) find them there. A wheel and the frozen app carry
    them inside the package as ``_resources`` and ``_forms`` (pyproject.toml,
    build/fieldvisit.spec), because nothing outside the package travels with it.
    """
    packaged = _PACKAGE / f"_{name}"
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def resources_dir() -> Path:
    """Fonts, translations, styles, icons and the card layout."""
    return bundled_dir("resources")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
