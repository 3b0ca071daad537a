"""A whole app session for tests/test_qt_exit.py, run as its own process: the window
``app.run`` shows, every screen open, every long job started, the window closed while
they run, then an ordinary interpreter exit (no os._exit). Run as
``python tests/qt_exit_session.py FOLDER``."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication
from rosterfiles import write_county_export
from sync_parties import make_county, make_laptop

from fieldvisit.qt import app
from fieldvisit.qt.main_window import CASES_TAB, DASHBOARD_TAB, LEDGER_TAB, MainWindow

LONG_SESSION_EMITS = 200_000  # far more than Python 3.11's True has references to lose


class _Chatter(QObject):
    said = Signal(int)


def wait_for(signal: object, timeout_ms: int = 30_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def use_every_screen(folder: Path, roster_file: Path) -> None:
    """In the app's window (as ``app.run`` shows it): every screen, every long job, then
    close the window while they run."""
    [window] = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    wait_for(window.roster_loaded)
    chatter = _Chatter()
    for n in range(LONG_SESSION_EMITS):  # a long session's progress reports
        chatter.said.emit(n)

    window.tabs.setCurrentIndex(LEDGER_TAB)  # the ledger's load starts
    window.tabs.setCurrentIndex(CASES_TAB)  # the open monitoring cases
    window.tabs.setCurrentIndex(DASHBOARD_TAB)  # the dashboard's figures …
    assert window.dashboard is not None
    window.dashboard.tabs.setCurrentIndex(1)  # … and its data-quality check
    window.tabs.setCurrentIndex(0)
    window.table.selectRow(0)

    importing = window.open_import()
    importing.set_path(roster_file)  # type: ignore[attr-defined]
    importing.start_plan()  # type: ignore[attr-defined]
    window.print_card(window.roster.household_id(0))
    batch = window.open_batch_print()
    batch.folder_edit.setText(str(folder / "cards"))  # type: ignore[attr-defined]
    batch.each_file_option.setChecked(True)  # type: ignore[attr-defined]
    batch.start()  # type: ignore[attr-defined]
    window.print_village_report()
    export = window.open_sync_export()
    export.set_folder(folder / "stick")  # type: ignore[attr-defined]
    export.start()  # type: ignore[attr-defined]
    window.start_visit(window.roster.household_id(0))  # the visit wizard
    window.panel.measures.open_add()
    for open_dialog in (window.open_enroll, window.open_sync_import, window.open_sync_online):
        open_dialog()
    window.reload()
    window.close()  # mid-job: every job is asked to stop and waited for


def main(folder: Path) -> int:
    county = make_county(folder / "county")
    party = make_laptop(county, folder / "laptop")
    roster_file = write_county_export(folder / "county-roster.xlsx")
    qt_app = app.application()
    QTimer.singleShot(0, lambda: use_every_screen(folder, roster_file))
    code = app.run(party.store)  # returns once the window has closed and gone
    del qt_app
    party.store.close()
    county.close()
    print("session closed", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
