"""UI language: Simplified Chinese by default (the source strings), English from a .qm.

The choice is the ``lang`` argument, else the saved setting, else zh_CN. A change made
in the menu is saved and applies at the next start, so no screen has to re-label itself.
The language installed is the one place screens ask (``current``, ``english``) when
they show the core's own zh/en texts: no constructor takes it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QTranslator

from fieldvisit import paths

DEFAULT = "zh_CN"
LANGUAGES = {"zh_CN": "中文", "en": "English"}
_SETTING = "ui/language"
_current = DEFAULT


def settings() -> QSettings:
    return QSettings("FieldVisit", "FieldVisit")


def saved_language() -> str | None:
    value = settings().value(_SETTING)
    return value if value in LANGUAGES else None


def save_language(lang: str) -> None:
    settings().setValue(_SETTING, lang)


def choose(lang: str | None) -> str:
    if lang in LANGUAGES:
        return lang
    return saved_language() or DEFAULT


def current() -> str:
    """The language the interface is in (the last ``install``ed)."""
    return _current


def english() -> bool:
    """Whether to show the English of the core's zh/en texts (errors, rule titles)."""
    return _current != DEFAULT


def install(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install the app's and Qt's own translators for ``lang`` and make it the current
    language; returns them (keep them alive, hand them to ``remove``).

    Chinese needs no app translator (the sources are Chinese) but does need Qt's own
    catalogue so standard buttons and dialogs read 确定/取消 rather than OK/Cancel.
    """
    global _current
    _current = lang
    installed = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_name = "qtbase_zh_CN" if lang == "zh_CN" else "qtbase_en"
    candidates = [(qt_name, qt_dir)]
    if lang != DEFAULT:
        candidates.append((f"fieldvisit_{lang}", str(paths.resource("translations"))))
    for name, folder in candidates:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def remove(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Take ``install``'s translators off again; the interface is Chinese once more."""
    global _current
    for translator in translators:
        app.removeTranslator(translator)
    _current = DEFAULT
