"""`fieldvisit app FILE` (a double-clicked .fve or .fvb, fieldvisit.qt.app.opened_file):
on a laptop already set up, a .fve opens the sync dialog's enrollment with the file
chosen, a county return bundle opens the return import with it, a laptop's own device
bundle is said to be for the county, and any other file is refused in Chinese and English.
(On an empty folder a .fve starts the first-run wizard on 从U盘注册: test_qt_first_run.)"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldvisit.county import devices
from fieldvisit.county.ingest import ingest
from fieldvisit.county.returns import return_bundle
from fieldvisit.qt import fonts
from fieldvisit.qt.app import opened_file
from fieldvisit.qt.first_run import STICK_PAGE, FirstRunWizard
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.qt.sync_dialog import EnrollDialog, ReturnImportDialog
from tests.sync_parties import VILLAGE, make_laptop
from tests.vaults import CADRE, laptop

TIMEOUT = 30_000


@pytest.fixture
def party(county, tmp_path):
    enrolled = make_laptop(county, tmp_path / "laptop")
    yield enrolled
    enrolled.store.close()


def window_on(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.roster_loaded, timeout=TIMEOUT):
        window.show()
    return window


def test_a_fve_opens_the_enrollment_with_the_file(qtbot, county, tmp_path):
    store = laptop(tmp_path / "new")
    try:
        enrolled = devices.enroll(county, VILLAGE, CADRE, tmp_path / "stick")
        window = window_on(qtbot, store)
        dialog = opened_file(enrolled.path)(window)
        assert isinstance(dialog, EnrollDialog) and dialog.isVisible()
        assert dialog.path_edit.text() == str(enrolled.path)
        dialog.reject()
    finally:
        store.close()


def test_a_return_bundle_opens_the_import_and_a_device_bundle_is_explained(
        qtbot, county, party, tmp_path):
    own = party.export(tmp_path / "stick")
    assert ingest(county, own).accepted
    back = return_bundle(county, party.device, tmp_path / "back")
    window = window_on(qtbot, party.store)
    dialog = opened_file(back)(window)
    assert isinstance(dialog, ReturnImportDialog)
    assert dialog.path_edit.text() == str(back)
    dialog.reject()
    box = opened_file(own)(window)
    assert isinstance(box, QMessageBox) and "交给县里" in box.text()
    box.close()


def test_another_file_is_refused_plainly(qtbot, tmp_path, screenshots):
    fonts.apply_application_font(QApplication.instance())
    store = laptop(tmp_path / "new")
    try:
        window = window_on(qtbot, store)
        box = opened_file(tmp_path / "花名册.xlsx")(window)
        assert isinstance(box, QMessageBox)
        assert "打不开这个文件：花名册.xlsx" in box.text() and "cannot open" in box.text()
        box.grab().save(str(screenshots / "opened_other_file.png"))
        box.close()
    finally:
        store.close()


def test_a_fve_on_an_empty_folder_starts_the_wizard_on_its_page(qtbot, tmp_path):
    wizard = FirstRunWizard(tmp_path / "data", lambda: None, roots=lambda: [])
    qtbot.addWidget(wizard)
    wizard.open_enrollment(tmp_path / "522727100200_x.fve")
    wizard.show()
    assert wizard.currentId() == STICK_PAGE
    assert wizard.stick.chosen() == tmp_path / "522727100200_x.fve"
