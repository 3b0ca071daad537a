"""Start the desktop app: Qt application, bundled font, language, stylesheet, main window.

``smoke=True`` is the frozen build's self-test (CI runs it on the PyInstaller output): it
proves that Qt, the font, the translations, the migrations and the roster all load from
the bundle, then exits. Every resource path therefore goes through ``fieldvisit.paths``.

While the window runs, ``ErrorReporter`` is ``sys.excepthook``: the one place where a
failure that escaped a screen reaches the cadre, as a message box instead of nothing.

The screens (and with them the store and SQLAlchemy) are imported by ``start`` and
``run``, not here: a start with the password given stretches it (Argon2id, in a thread:
``vault.folder.opening``) while they import (issue 15, docs/performance.md "Roster").
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldvisit import crashlog, paths
from fieldvisit.errors import FieldVisitError
from fieldvisit.qt import fonts, i18n
from fieldvisit.vault import folder as vault_folder
from fieldvisit.vault.folder import Login, Unlocked

if TYPE_CHECKING:
    from fieldvisit.qt.main_window import MainWindow
    from fieldvisit.store import Store

SMOKE_TIMEOUT_MS = 120_000
STYLESHEET = ("styles", "fieldvisit.qss")
ICON = ("icons", "fieldvisit.svg")


class ErrorReporter(QObject):
    """Shows what escaped a screen's own handling, instead of letting it vanish.

    PySide6 hands an exception raised in a slot to ``sys.excepthook`` and carries on, so
    without this the cadre sees nothing happen; a plain ``threading.Thread`` hands its
    exception to ``threading.excepthook``; a ``Worker`` reports its failure through a
    signal, and a screen re-raises what it does not expect, which lands here too. A
    ``FieldVisitError`` is an expected refusal: its Chinese and English are the message,
    and no traceback is kept. Anything else is a bug: the traceback (without local values
    or personal data, ``fieldvisit.crashlog``) goes to the data folder's rotating log and
    to stderr, and the box says what happened, that saved answers are kept (every answer
    is saved as it changes, ``visit_wizard``) and what to do. The box always opens on the
    UI thread: a signal carries what another thread raised there.
    """

    caught = Signal(object, str)

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.log = crashlog.error_log(folder)
        self.caught.connect(self._show)  # queued to the UI thread when raised elsewhere

    def hook(self, kind: type[BaseException], error: BaseException,
             trace: TracebackType | None) -> None:
        if isinstance(error, FieldVisitError):
            self.caught.emit(error, "")
            return
        if error.__traceback__ is None:
            error = error.with_traceback(trace)
        try:
            details = crashlog.record(self.folder, error)
        except OSError as failed:  # a full or read-only disk must not hide the error
            details = crashlog.describe(error) + f"\n(the log could not be written: {failed})"
        print(details, file=sys.stderr, end="")
        self.caught.emit(error, details)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not isinstance(args.exc_value, SystemExit):
            self.hook(args.exc_type, args.exc_value, args.exc_traceback)

    def install(self) -> Callable[[], None]:
        """Become both hooks; the function that puts the previous ones back."""
        previous, previous_thread = sys.excepthook, threading.excepthook
        sys.excepthook, threading.excepthook = self.hook, self.thread_hook

        def restore() -> None:
            sys.excepthook, threading.excepthook = previous, previous_thread
        return restore

    def _show(self, error: BaseException, details: str) -> None:
        box = QMessageBox(QApplication.activeWindow())
        box.setObjectName("error_box")
        box.setWindowTitle("FieldVisit 驻村走访")
        if isinstance(error, FieldVisitError):
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(error.zh)
            box.setInformativeText(error.en)
        else:
            box.setIcon(QMessageBox.Icon.Critical)
            box.setText(self.tr(
                "程序出了意外的错误，刚才的操作可能没有完成。\n\n"
                "已经保存的内容都还在：走访的每个答案在填写时就已保存。\n\n"
                "请这样做：关闭程序后重新打开，再试一次；如果又出现，请点 帮助 → 导出诊断信息…，"
                "把导出的文件交给县里的管理员。"))
            box.setInformativeText(self.tr(
                "An unexpected error occurred; the last action may not have finished. "
                "Everything saved is kept: each visit answer is saved as it is entered. "
                "Close and reopen the app and try again; if it happens again, use "
                "帮助 → 导出诊断信息… (Help → Export diagnostics) and send the file to the "
                "county's administrator. The details are in %1.").replace("%1", str(self.log)))
            box.setDetailedText(details)
        box.exec()


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


def start(folder: Path, login: Login | None = None, *, demo: Login | None = None,
          lang: str | None = None, smoke: bool = False,
          make_demo: Callable[[], Unlocked] | None = None, opened: Path | None = None) -> int:
    """Log in to the data folder (the login dialog unless ``login`` is given, as scripts
    and the smoke test do), then run the main window on it. An empty folder gets the
    first-run wizard instead (``first_run``; ``make_demo`` opens the demo village).

    ``demo`` is the demo village's login: its password is filled in for the cadre.
    ``opened`` is the file the app was opened with (``fieldvisit app FILE``, a double
    click): a .fve starts the wizard on 从U盘注册 with it; see ``opened_file``.
    """
    opened_with = None if login is None else vault_folder.opening(folder, login)
    app = application()
    fonts.apply_application_font(app)
    apply_style(app)
    translators = i18n.install(app, i18n.choose(lang))
    after: Callable[[MainWindow], object] | None = None
    try:
        if opened_with is not None:
            import fieldvisit.qt.main_window  # noqa: F401  imported while the password stretches

            unlocked = opened_with()
        elif make_demo is not None and vault_folder.state(folder) == vault_folder.NEW:
            from fieldvisit.qt.first_run import FirstRunWizard

            wizard = FirstRunWizard(folder, make_demo)
            if opened is not None and opened.suffix.lower() == ".fve":
                wizard.open_enrollment(opened)
            if wizard.exec() != FirstRunWizard.DialogCode.Accepted or wizard.unlocked is None:
                return 0
            unlocked = wizard.unlocked
            # 独立使用: the roster next; the file opened with, if any, the wizard has used
            after = _nothing if wizard.village is None else import_into(*wizard.village)
        else:
            from fieldvisit.qt.login_dialog import LoginDialog

            dialog = LoginDialog(folder, demo)
            if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.unlocked is None:
                return 0
            unlocked = dialog.unlocked
    finally:
        i18n.remove(app, translators)
    if after is None and opened is not None:
        after = opened_file(opened)
    try:
        return run(unlocked.store, lang, smoke, unlocked=unlocked, after=after)
    finally:
        unlocked.store.close()


def _nothing(_window: MainWindow) -> None:
    """Nothing to do first."""


def import_into(code: str, name: str) -> Callable[[MainWindow], object]:
    """独立使用's next step: the roster import, into the village the wizard was told (a
    new 12-digit code makes the importer create it for rows that name no village)."""
    def show(window: MainWindow) -> object:
        dialog = window.open_import()
        combo = dialog.village_combo  # type: ignore[attr-defined]
        combo.addItem(f"{name}（{code}）", code)
        combo.setCurrentIndex(combo.count() - 1)
        return dialog
    return show


def opened_file(path: Path) -> Callable[[MainWindow], object]:
    """What the window does first with the file it was opened with: a .fve enrolls (the
    sync dialog's enroll page, which asks the code), a .fvb return bundle is imported
    (the sync dialog's import); a laptop's own device bundle is for the county, and
    anything else is not ours: both are said plainly, in both languages at once (as a
    FieldVisitError is), whatever the interface language."""
    def show(window: MainWindow) -> object:
        suffix = path.suffix.lower()
        if suffix == ".fve":
            dialog = window.open_enroll()
            dialog.path_edit.setText(str(path))  # type: ignore[attr-defined]
            return dialog
        if suffix == ".fvb" and "_return_" in path.name:
            dialog = window.open_sync_import()
            dialog.path_edit.setText(str(path))  # type: ignore[attr-defined]
            return dialog
        box = QMessageBox(QMessageBox.Icon.Information, "FieldVisit 驻村走访",
                          "这是本机导出的同步包，是交给县里导入的，不能在本机打开。\n"
                          "This is a laptop's own sync bundle: it is for the county to "
                          "import, not to open here." if suffix == ".fvb" else
                          f"驻村走访打不开这个文件：{path.name}\n只能打开县里的注册文件（.fve）"
                          "和回执包（.fvb）。\nFieldVisit cannot open this file; it opens "
                          "the county's enrollment files (.fve) and return bundles (.fvb).",
                          parent=window)
        box.setObjectName("opened_file")
        box.open()
        return box
    return show


def run(store: Store, lang: str | None = None, smoke: bool = False,
        unlocked: Unlocked | None = None,
        after: Callable[[MainWindow], object] | None = None) -> int:
    """Show the main window on ``store`` until it is closed; the process exit code. With
    ``unlocked`` (a cadre logged in) the app locks when left idle.

    With a QApplication already running (tests, embedding) the window gets its own event
    loop: ``QApplication.exec`` and ``quit`` would end every later event loop of the host.
    """
    from fieldvisit.qt.account import add_account_menu
    from fieldvisit.qt.lock import Locker
    from fieldvisit.qt.main_window import MainWindow

    owned = QApplication.instance() is None
    app = application()
    fonts.apply_application_font(app)
    apply_style(app)
    chosen = i18n.choose(lang)
    translators = i18n.install(app, chosen)
    window = MainWindow(store)
    if unlocked is not None:  # the window owns its locker
        add_account_menu(window, Locker(unlocked, parent=window), unlocked)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    outcome: list[int] = []

    def finish(code: int) -> None:
        outcome.append(code)
        window.close()

    if smoke:
        _arm_smoke_test(window, finish)
    reporter = ErrorReporter(store.folder, app)
    restore_hooks = reporter.install()
    try:
        window.show()
        if after is not None:
            QTimer.singleShot(0, window, lambda: after(window))
        if owned:
            code = app.exec()  # closing the window (the last one) quits
        else:
            loop = QEventLoop()
            window.destroyed.connect(loop.quit)
            code = loop.exec()
    finally:
        restore_hooks()
        reporter.deleteLater()
        i18n.remove(app, translators)
    return outcome[0] if outcome else code


def _arm_smoke_test(window: MainWindow, finish: Callable[[int], None]) -> None:
    """Print when the table shows (what benchmarks/roster.py times as the start) and
    exit once the roster has loaded whole, its search texts too."""
    window.roster_shown.connect(
        lambda shown: print(f"smoke: roster shown, {shown} households", flush=True))

    def loaded(shown: int) -> None:
        print(f"smoke ok: {shown} households shown", flush=True)
        finish(0)

    def failed(message: str) -> None:
        print(f"smoke failed: {message}", file=sys.stderr, flush=True)
        finish(1)

    window.roster_loaded.connect(loaded)
    window.load_failed.connect(failed)
    QTimer.singleShot(SMOKE_TIMEOUT_MS, window, lambda: failed("the roster did not load in time"))
