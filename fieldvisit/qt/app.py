"""Start the desktop app: Qt application, bundled font, language, stylesheet, main window.

``smoke=True`` is the frozen build's self-test (CI runs it on the PyInstaller output): it
proves that Qt, the font, the translations, the migrations and the roster all load from
the bundle, then exits. Every resource path therefore goes through ``fieldvisit.paths``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from fieldvisit import paths
from fieldvisit.qt import fonts, i18n
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.store import Store

SMOKE_TIMEOUT_MS = 120_000
STYLESHEET = ("styles", "fieldvisit.qss")
ICON = ("icons", "fieldvisit.svg")


def application() -> QApplication:
    """The process's QApplication: the running one (tests, embedding) or a new one."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName("FieldVisit")
    QCoreApplication.setApplicationName("FieldVisit")
    return QApplication(sys.argv)


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")  # the same look on Windows 7 to 11, Kylin/UOS and macOS
    sheet = paths.resource(*STYLESHEET)
    if sheet.exists():
        app.setStyleSheet(sheet.read_text(encoding="utf-8"))
    icon = paths.resource(*ICON)
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))


def run(store: Store, lang: str | None = None, smoke: bool = False) -> int:
    """Show the main window on ``store`` until it is closed; the process exit code.

    With a QApplication already running (tests, embedding) the window gets its own event
    loop: ``QApplication.exec`` and ``quit`` would end every later event loop of the host.
    """
    owned = QApplication.instance() is None
    app = application()
    fonts.apply_application_font(app)
    apply_style(app)
    chosen = i18n.choose(lang)
    translators = i18n.install(app, chosen)
    window = MainWindow(store, chosen)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    outcome: list[int] = []

    def finish(code: int) -> None:
        outcome.append(code)
        window.close()

    if smoke:
        _arm_smoke_test(window, finish)
    window.show()
    try:
        if owned:
            code = app.exec()  # closing the window (the last one) quits
        else:
            loop = QEventLoop()
            window.destroyed.connect(loop.quit)
            code = loop.exec()
    finally:
        for translator in translators:
            app.removeTranslator(translator)
    return outcome[0] if outcome else code


def _arm_smoke_test(window: MainWindow, finish: Callable[[int], None]) -> None:
    def loaded(shown: int) -> None:
        print(f"smoke ok: {shown} households shown", flush=True)
        finish(0)

    def failed(message: str) -> None:
        print(f"smoke failed: {message}", file=sys.stderr, flush=True)
        finish(1)

    window.roster_loaded.connect(loaded)
    window.load_failed.connect(failed)
    QTimer.singleShot(SMOKE_TIMEOUT_MS, window, lambda: failed("the roster did not load in time"))
