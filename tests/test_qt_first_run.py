"""The first start on an empty data folder (fieldvisit.qt.first_run): each of 从U盘注册,
独立使用 and 演示 ends with the main window showing the roster; a .fve dropped on the
(fake) stick while the page is open appears by itself; a wrong activation code is said
and leaves the folder empty. Real encrypted folders, a real county and its .fve."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fieldvisit.county import devices
from fieldvisit.qt import app as app_module
from fieldvisit.qt import first_run, fonts
from fieldvisit.qt.first_run import FirstRunWizard
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.roster import queries
from fieldvisit.sync import laptop
from fieldvisit.vault import folder as vault_folder
from fieldvisit.vault.folder import Login, open_folder
from tests.sync_parties import VILLAGE
from tests.vaults import CADRE, PASSWORD

TIMEOUT = 60_000


@pytest.fixture
def stick(tmp_path) -> Path:
    root = tmp_path / "media" / "测试员" / "U盘"
    root.mkdir(parents=True)
    return root


@pytest.fixture
def demo_maker(tmp_path):
    def make():
        from fieldvisit import demo

        made = open_folder(tmp_path / "demo", Login("演示干部", "demo-village-2026"))
        demo.populate(made.store, 15, 7)
        return made
    return make


def wizard_on(qtbot, folder: Path, stick: Path, make_demo) -> FirstRunWizard:
    fonts.apply_application_font(QApplication.instance())  # the shots show real Chinese
    wizard = FirstRunWizard(folder, make_demo, roots=lambda: [stick])
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def fill_cadre(wizard: FirstRunWizard) -> None:
    form = wizard.cadre.form
    form.name.setText(CADRE)
    form.phone.setText("13800000000")
    form.password.setText(PASSWORD)
    form.again.setText(PASSWORD)


def finish(qtbot, wizard: FirstRunWizard) -> None:
    with qtbot.waitSignal(wizard.accepted, timeout=TIMEOUT):
        qtbot.mouseClick(wizard.button(wizard.WizardButton.FinishButton),
                         Qt.MouseButton.LeftButton)


def roster_shown(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.roster_loaded, timeout=TIMEOUT) as loaded:
        window.show()
    assert loaded.args[0] > 0
    return window


def test_enroll_from_a_stick_put_in_while_the_page_shows(qtbot, county, tmp_path, stick,
                                                         demo_maker, screenshots):
    folder = tmp_path / "data"
    wizard = wizard_on(qtbot, folder, stick, demo_maker)
    wizard.grab().save(str(screenshots / "first_run_choice.png"))
    wizard.choice.buttons[first_run.ENROLL].setChecked(True)
    wizard.next()
    assert wizard.currentId() == first_run.STICK_PAGE
    assert wizard.stick.files.count() == 0 and not wizard.stick.isComplete()
    enrolled = devices.enroll(county, VILLAGE, CADRE, stick)  # the stick goes in
    qtbot.waitUntil(lambda: wizard.stick.files.count() == 1, timeout=first_run.POLL_MS * 3)
    assert wizard.stick.chosen() == enrolled.path
    wizard.stick.code.setText(enrolled.code)
    wizard.grab().save(str(screenshots / "first_run_stick.png"))
    wizard.next()
    fill_cadre(wizard)
    wizard.grab().save(str(screenshots / "first_run_cadre.png"))
    finish(qtbot, wizard)
    store = wizard.unlocked.store
    try:
        assert vault_folder.state(folder) == vault_folder.LOCKED
        assert laptop.enrollment(store.meta).village == VILLAGE
        assert wizard.unlocked.slots.recovery_key  # sealed to the county at once
        roster_shown(qtbot, store)
    finally:
        store.close()


def test_a_wrong_code_is_said_and_the_folder_stays_empty(qtbot, county, tmp_path, stick,
                                                        demo_maker, screenshots):
    folder = tmp_path / "data"
    enrolled = devices.enroll(county, VILLAGE, CADRE, stick)
    wizard = wizard_on(qtbot, folder, stick, demo_maker)
    wizard.next()
    assert wizard.stick.chosen() == enrolled.path
    wizard.stick.code.setText("AAAA-BBBB-CCCC-DDDD")
    wizard.next()
    fill_cadre(wizard)
    qtbot.mouseClick(wizard.button(wizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.cadre.error.isVisible(), timeout=TIMEOUT)
    assert "激活码不对" in wizard.cadre.error.text()
    wizard.grab().save(str(screenshots / "first_run_wrong_code.png"))
    assert wizard.unlocked is None
    assert vault_folder.state(folder) == vault_folder.NEW
    assert not any(folder.iterdir())
    wizard.back()  # the right code: it works now
    wizard.stick.code.setText(enrolled.code)
    wizard.next()
    finish(qtbot, wizard)
    wizard.unlocked.store.close()


def test_standalone_checks_the_village_code_then_opens_the_import(qtbot, tmp_path, stick,
                                                                 demo_maker, screenshots):
    folder = tmp_path / "data"
    wizard = wizard_on(qtbot, folder, stick, demo_maker)
    wizard.choice.buttons[first_run.STANDALONE].setChecked(True)
    wizard.next()
    wizard.village_page.code.setText("12345")
    wizard.village_page.name.setText("红旗村")
    wizard.next()
    assert wizard.currentId() == first_run.VILLAGE_PAGE
    assert "12位数字" in wizard.village_page.error.text()
    wizard.grab().save(str(screenshots / "first_run_village.png"))
    wizard.village_page.code.setText("522727100200")
    wizard.next()
    assert wizard.currentId() == first_run.CADRE_PAGE
    fill_cadre(wizard)
    finish(qtbot, wizard)
    assert wizard.village == ("522727100200", "红旗村")
    store = wizard.unlocked.store
    try:
        window = MainWindow(store)
        qtbot.addWidget(window)
        window.show()
        dialog = app_module.import_into(*wizard.village)(window)  # start()'s next step
        assert dialog.isVisible() and dialog.village_combo.currentData() == "522727100200"
        dialog.reject()
    finally:
        store.close()


def test_demo_opens_the_demo_village_and_leaves_the_folder_empty(qtbot, tmp_path, stick,
                                                                demo_maker, screenshots):
    folder = tmp_path / "data"
    wizard = wizard_on(qtbot, folder, stick, demo_maker)
    wizard.choice.buttons[first_run.DEMO].setChecked(True)
    wizard.next()
    wizard.grab().save(str(screenshots / "first_run_demo.png"))
    finish(qtbot, wizard)
    store = wizard.unlocked.store
    try:
        assert store.folder == (tmp_path / "demo").resolve()
        assert vault_folder.state(folder) == vault_folder.NEW
        with store.reading() as conn:
            assert queries.household_count(conn) == 15
        roster_shown(qtbot, store)
    finally:
        store.close()


@pytest.mark.parametrize("size", [(1024, 600), (1280, 800)])
def test_the_wizard_fits_small_screens(qtbot, tmp_path, stick, demo_maker, size):
    wizard = wizard_on(qtbot, tmp_path / "data", stick, demo_maker)
    for page in (first_run.CHOICE_PAGE, first_run.STICK_PAGE, first_run.VILLAGE_PAGE,
                 first_run.CADRE_PAGE, first_run.DEMO_PAGE):
        wizard.setStartId(page)
        wizard.restart()
        hint = wizard.sizeHint()
        assert hint.width() <= size[0] and hint.height() <= size[1] - 40, (page, hint)
