"""The checklists, thresholds and status words in force for a data folder: the county's,
once a return bundle has brought them (``<data>/forms/*.yaml``, ``<data>/settings.yaml``,
``<data>/vocabulary.yaml``), else the ones bundled with the app.

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
from fieldvisit.roster import aliases
from fieldvisit.store import Store

FORMS = "forms"
SETTINGS = "settings.yaml"
VOCABULARY = aliases.FILENAME  # 户类型 / 监测对象类别 words (fieldvisit.roster.aliases)
SINGLES = (SETTINGS, VOCABULARY)  # the county's files beside its forms
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
    """The county's forms, settings and vocabulary as bundle members (none: the laptops
    keep theirs)."""
    members = {f"{FORMS}/{path.name}": path
               for path in sorted((Path(data_dir) / FORMS).glob("*.yaml"))}
    for name in SINGLES:
        if (path := Path(data_dir) / name).is_file():
            members[name] = path
    return members


@dataclass(frozen=True)
class Received:
    """Forms, settings and vocabulary from a bundle, already validated as a whole."""

    forms: dict[str, bytes]
    singles: dict[str, bytes]  # SINGLES the bundle carries

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
        for name, data in self.singles.items():
            _write(data_dir / name, data)
        return len(self.forms) + len(self.singles)


def receive(files: Mapping[str, bytes]) -> Received:
    """The forms, settings and vocabulary among a bundle's ``files``, validated in a
    scratch folder (raises FormsRejected); nothing is in force until ``install``."""
    forms = {m.group(1): data for name, data in files.items()
             if (m := _FORM_NAME.fullmatch(name))}
    singles = {name: files[name] for name in SINGLES if name in files}
    if forms or singles:
        with tempfile.TemporaryDirectory() as scratch:
            _check(Path(scratch), forms, singles.get(SETTINGS))
        if VOCABULARY in singles:
            _check_vocabulary(singles[VOCABULARY])
    return Received(forms, singles)


def _check_vocabulary(data: bytes) -> None:
    if len(data) > aliases.MAX_FILE_BYTES:
        raise FormsRejected("县里发来的户类型词表太大", "the county's vocabulary is too large")
    try:
        aliases.parse(data.decode("utf-8"), Path(VOCABULARY))
    except UnicodeDecodeError:
        raise FormsRejected("县里发来的户类型词表不是 UTF-8 文字",
                            "the county's vocabulary is not UTF-8 text") from None
    except aliases.VocabularyError as error:
        raise FormsRejected(f"县里发来的户类型词表有误：{error.zh}",
                            f"the county's vocabulary is invalid: {error.en}") from None


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
