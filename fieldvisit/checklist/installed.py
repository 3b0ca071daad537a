"""The checklists and thresholds in force for a data folder: the county's, once a return
bundle has brought them (``<data>/forms/*.yaml``, ``<data>/settings.yaml``), else the
ones bundled with the app.

Forms from a county are untrusted data like any other: they are validated as a whole in
a scratch folder before any file replaces the ones in force, so a bad form set never
leaves a laptop with half old, half new checklists.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fieldvisit.checklist.forms import FormSet, bundled_forms_dir, check_forms, load_forms
from fieldvisit.checklist.settings import Settings, SettingsError, load_settings
from fieldvisit.errors import FieldVisitError
from fieldvisit.files import replacing
from fieldvisit.store import Store

FORMS = "forms"
SETTINGS = "settings.yaml"
_FORM_NAME = re.compile(r"forms/([A-Za-z0-9_\-]{1,64}\.yaml)")


class FormsRejected(FieldVisitError):
    """Forms or settings from the county that fail validation: none of them is installed."""


def forms_dir(data_dir: Path | None) -> Path:
    folder = Path(data_dir) / FORMS if data_dir else None
    return folder if folder and any(folder.glob("*.yaml")) else bundled_forms_dir()


def settings_path(data_dir: Path | None) -> Path | None:
    path = Path(data_dir) / SETTINGS if data_dir else None
    return path if path and path.is_file() else None


def load(data_dir: Path | None) -> tuple[FormSet, Settings]:
    settings = load_settings(settings_path(data_dir))
    return load_forms(forms_dir(data_dir), settings), settings


def for_store(store: Store) -> tuple[FormSet, Settings]:
    """The forms and settings in force beside ``store``'s database file."""
    return load(store.folder)


def files_for_bundle(data_dir: Path) -> dict[str, Path]:
    """The county's forms and settings as bundle members (none: the laptops keep theirs)."""
    members = {f"{FORMS}/{path.name}": path
               for path in sorted((Path(data_dir) / FORMS).glob("*.yaml"))}
    if (path := settings_path(data_dir)) is not None:
        members[SETTINGS] = path
    return members


@dataclass(frozen=True)
class Received:
    """Forms and settings from a bundle, already validated as a whole."""

    forms: dict[str, bytes]
    settings: bytes | None

    def install(self, data_dir: Path) -> int:
        """Put them in force (each file crash-safe); how many files were installed."""
        data_dir = Path(data_dir)
        if self.forms:
            folder = data_dir / FORMS
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in self.forms.items():
                _write(folder / name, data)
            for old in folder.glob("*.yaml"):
                if old.name not in self.forms:
                    old.unlink()
        if self.settings is not None:
            _write(data_dir / SETTINGS, self.settings)
        return len(self.forms) + (self.settings is not None)


def receive(files: Mapping[str, bytes]) -> Received:
    """The forms and settings among a bundle's ``files``, validated in a scratch folder
    (raises FormsRejected); nothing is in force until ``install``."""
    forms = {m.group(1): data for name, data in files.items()
             if (m := _FORM_NAME.fullmatch(name))}
    settings = files.get(SETTINGS)
    if forms or settings is not None:
        with tempfile.TemporaryDirectory() as scratch:
            _check(Path(scratch), forms, settings)
    return Received(forms, settings)


def _check(scratch: Path, forms: dict[str, bytes], settings: bytes | None) -> None:
    parsed = None
    if settings is not None:
        (scratch / SETTINGS).write_bytes(settings)
        try:
            parsed = load_settings(scratch / SETTINGS)
        except SettingsError as error:
            raise FormsRejected(f"县里发来的设置文件有误：{error.zh}",
                                f"the county's settings file is invalid: {error.en}") from None
    if forms:
        (scratch / FORMS).mkdir()
        for name, data in forms.items():
            (scratch / FORMS / name).write_bytes(data)
        errors = check_forms(scratch / FORMS, parsed if parsed is not None else load_settings(None))
        if errors:
            raise FormsRejected(f"县里发来的走访表有误：{errors[0]}",
                                f"the county's checklists are invalid: {errors[0]}")


def _write(path: Path, data: bytes) -> None:
    with replacing(path) as partial:
        partial.write_bytes(data)
