"""Every screen at 1280×800 (the village laptop), with the bundled font and the app's style:
a screenshot of each (into the screenshots folder's screens/), and every label, button,
column title and table cell on it checked to fit (tests/fitcheck.py); the main window's
tables also at 1366×768, and the main screens in English too. Screenshots looked at.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import DEMO_DAY
from fitcheck import assert_fits
from PySide6.QtWidgets import QDialog, QWidget
from test_qt_visit_wizard import a_household, answer, many_findings, page_index

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.qt.main_window import CASES_TAB, DASHBOARD_TAB, LEDGER_TAB, MainWindow
from fieldvisit.qt.ops import Ops
from fieldvisit.qt.visit_wizard import VisitWizard
from fieldvisit.visits import visit

SCREEN = (1280, 800)


@pytest.fixture(autouse=True)
def styled(qapp):
    """As the app starts: the bundled font, the style, and Qt's own Chinese (确定, 保存 on
    the standard buttons)."""
    from fieldvisit.qt import app, fonts, i18n

    fonts.apply_application_font(qapp)
    app.apply_style(qapp)
    translators = i18n.install(qapp, i18n.DEFAULT)
    yield
    i18n.remove(qapp, translators)


def shoot(qtbot, widget: QWidget, screenshots, name: str,
          size: tuple[int, int] = SCREEN) -> None:
    qtbot.wait(30)
    folder = screenshots / "screens"  # apart from the images the docs show
    folder.mkdir(exist_ok=True)
    assert widget.grab().save(str(folder / f"{name}.png"))
    assert_fits(widget, size)


def big_window(qtbot, window: MainWindow, size: tuple[int, int] = SCREEN) -> MainWindow:
    window.resize(*size)
    qtbot.wait(30)
    window.select_household(window.roster.household_id(0))
    return window


# the whole screen, and what a maximised window has of a 1280×800 one below its title
# bar and taskbar
@pytest.mark.parametrize("size", [SCREEN, (1366, 768), (1280, 730)])
def test_the_roster_and_the_household_panel(qtbot, window, screenshots, size):
    big_window(qtbot, window, size)
    shoot(qtbot, window, screenshots, f"screen_roster_{size[0]}x{size[1]}", size)
    members = window.panel.members_view
    assert members.isVisible()
    rows_shown = members.viewport().height() // members.rowHeight(0)
    assert rows_shown >= 5, f"the member table shows {rows_shown} rows"


@pytest.mark.parametrize("tab", range(5))  # 家庭成员 … 走访记录
def test_each_tab_of_the_household_panel(qtbot, window, formset, screenshots, tab):
    household = window.roster.household_id(0)
    done = visit.start(window.store, household, formset, "测试员", DEMO_DAY)
    window.ops.write(lambda: visit.complete(window.store, done, formset, DEFAULT_SETTINGS,
                                            "测试员", "户主签字", "户主本人", DEMO_DAY))
    window.ops.write(lambda: visit.start(window.store, household, formset, "测试员",
                                         date.today()))  # a draft too
    big_window(qtbot, window)
    window.panel.details.setCurrentIndex(tab)
    shoot(qtbot, window, screenshots, f"screen_household_tab{tab}")


def unmonitored(store) -> list[str]:
    from sqlalchemy import select

    from fieldvisit.store.models import Household

    with store.reading() as conn:
        return list(conn.execute(select(Household.id).where(
            Household.monitored.is_not(True)).order_by(Household.code)).scalars())


@pytest.mark.parametrize("size", [SCREEN, (1366, 768)])
@pytest.mark.parametrize("tab, name", [(LEDGER_TAB, "ledger"), (CASES_TAB, "cases"),
                                       (DASHBOARD_TAB, "dashboard")])
def test_the_ledger_the_cases_and_the_dashboard(qtbot, window, demo_store, formset,
                                                 screenshots, tab, name, size):
    from fieldvisit.monitoring import cases

    late, proposed = unmonitored(demo_store)[:2]  # dates, sources and steps in the list
    cases.open_case(demo_store, late, source="干部排查", risks=["因学"],
                    today=date.today() - timedelta(days=30))
    cases.open_case(demo_store, proposed, source="部门预警", risks=["因残"],
                    today=date.today(), department="残联", proposed=True)
    household = a_household(demo_store)
    visit_id = visit.start(demo_store, household, formset, "测试员", DEMO_DAY)
    wizard = VisitWizard(window.ops, formset, visit_id, today=DEMO_DAY)
    qtbot.addWidget(wizard)
    many_findings(wizard)
    wizard.choose_confirmation("户主签字")
    wizard.accept_missing.setChecked(True)
    assert wizard.complete()
    big_window(qtbot, window, size)
    window.reload()  # the cases written beside the window
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=10_000)
    window.tabs.setCurrentIndex(tab)
    view = {LEDGER_TAB: lambda: window.ledger_view, CASES_TAB: lambda: window.cases_view,
            DASHBOARD_TAB: lambda: window.dashboard}[tab]
    qtbot.waitUntil(lambda: view() is not None and not _loading(view()), timeout=20_000)
    qtbot.wait(100)
    shoot(qtbot, window, screenshots, f"screen_{name}_{size[0]}", size)


def _loading(widget: QWidget) -> bool:
    busy = getattr(widget, "is_loading", None)
    return bool(busy()) if busy is not None else False


def wizard_on(qtbot, store, formset) -> VisitWizard:
    visit_id = visit.start(store, a_household(store), formset, "测试员", DEMO_DAY)
    wizard = VisitWizard(Ops(store), formset, visit_id, today=DEMO_DAY)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def test_the_visit_wizard_pages(qtbot, demo_store, formset, screenshots):
    wizard = wizard_on(qtbot, demo_store, formset)
    wizard.go_to(0)
    shoot(qtbot, wizard, screenshots, "screen_visit_arrival")
    wizard.choose_confirmation("户主不在家")
    shoot(qtbot, wizard, screenshots, "screen_visit_arrival_absent")
    wizard.go_to(page_index(wizard, "water", "用水方便程度"))
    answer(wizard, "water", "tap_in_yard", False)
    shoot(qtbot, wizard, screenshots, "screen_visit_page")
    wizard.go_to(page_index(wizard, "medical", "看病"))
    shoot(qtbot, wizard, screenshots, "screen_visit_member")
    many_findings(wizard)
    wizard.go_to(wizard.summary_index)
    shoot(qtbot, wizard, screenshots, "screen_visit_summary")
    assert not wizard.complete()
    shoot(qtbot, wizard, screenshots, "screen_visit_refused")


def test_a_completed_visit_read_only(qtbot, demo_store, formset, screenshots):
    wizard = wizard_on(qtbot, demo_store, formset)
    wizard.choose_confirmation("户主签字")
    wizard.go_to(wizard.summary_index)
    wizard.accept_missing.setChecked(True)
    assert wizard.complete()
    shoot(qtbot, wizard, screenshots, "screen_visit_done")


def open_dialog(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_sync_dialogs_on_a_laptop_not_enrolled(qtbot, store, screenshots):
    from fieldvisit.qt.sync_dialog import EnrollDialog, ExportDialog, OnlineDialog

    for name, kind in (("enroll", EnrollDialog), ("export", ExportDialog),
                       ("online", OnlineDialog)):
        dialog = open_dialog(qtbot, kind(Ops(store)))
        shoot(qtbot, dialog, screenshots, f"screen_sync_{name}")


def test_the_import_dialog_with_its_report(qtbot, store, tmp_path, screenshots):
    from rosterfiles import write_defects_xlsx

    from fieldvisit.qt.import_dialog import ImportDialog

    dialog = open_dialog(qtbot, ImportDialog(Ops(store), []))
    shoot(qtbot, dialog, screenshots, "screen_import_empty")
    dialog.set_path(write_defects_xlsx(tmp_path / "缺陷.xlsx"))
    with qtbot.waitSignal(dialog.finished_step, timeout=60_000):
        dialog.check_button.click()
    shoot(qtbot, dialog, screenshots, "screen_import_report")


def test_the_settings_dialog(qtbot, store, screenshots):
    from fieldvisit.qt.settings_dialog import SettingsDialog

    dialog = open_dialog(qtbot, SettingsDialog(Ops(store)))
    shoot(qtbot, dialog, screenshots, "screen_settings")
    dialog.tabs.setCurrentIndex(1)
    shoot(qtbot, dialog, screenshots, "screen_settings_county")


def test_the_editing_dialogs(qtbot, window, screenshots):
    from fieldvisit.qt.household_dialog import HouseholdDialog
    from fieldvisit.qt.member_dialog import MemberDialog
    from fieldvisit.roster import queries

    big_window(qtbot, window)
    household = window.roster.household_id(0)
    with window.store.reading() as conn:
        members = queries.members(conn, household, date.today())
        facts = queries.household(conn, household)
    member = open_dialog(qtbot, MemberDialog(members[0], date.today(), window))
    shoot(qtbot, member, screenshots, "screen_member_dialog")
    member.reject()
    edit = open_dialog(qtbot, HouseholdDialog(window.ops, facts, date.today(), window))
    shoot(qtbot, edit, screenshots, "screen_household_dialog")


def test_the_population_merge_and_measure_dialogs(qtbot, window, screenshots):
    from fieldvisit.qt.measures_view import MeasureDialog
    from fieldvisit.qt.population_dialog import JoinDialog, LeaveDialog, SplitDialog
    from fieldvisit.roster import queries

    big_window(qtbot, window)
    household = window.roster.household_id(0)
    with window.store.reading() as conn:
        members = queries.members(conn, household, date.today())
    today = date.today()
    for name, dialog in (
            ("join", JoinDialog(window.ops, household, today, window)),
            ("leave", LeaveDialog(window.ops, members[-1], today, window)),
            ("split", SplitDialog(window.ops, household, members, "522727100200009999", today,
                                  window)),
            ("measure", MeasureDialog("新增帮扶措施", None, today, lambda _f: None, window))):
        open_dialog(qtbot, dialog)
        shoot(qtbot, dialog, screenshots, f"screen_{name}_dialog")
        dialog.reject()


def test_the_case_ledger_and_dismissal_dialogs(qtbot, window, screenshots):
    from fieldvisit.checklist.settings import DEFAULT_SETTINGS
    from fieldvisit.qt.case_dialogs import OpenCaseDialog, StepDialog
    from fieldvisit.qt.dismiss_dialog import DismissDialog

    big_window(qtbot, window)
    today = date.today()
    summary = "522727100200000001 付子 · 纳入监测 · 办理中"
    for name, dialog in (
            ("open_case", OpenCaseDialog("522727100200000001 付子",
                                         lambda *_a: None, window)),
            ("step_survey", StepDialog("入户核实", summary, today, "测试员", DEFAULT_SETTINGS,
                                       lambda _s: None, window)),
            ("step_publicity", StepDialog("村级公示", summary, today, "测试员",
                                          DEFAULT_SETTINGS, lambda _s: None, window)),
            ("dismiss", DismissDialog("522727100200000001 付子 · 户主年龄过小", "测试员",
                                      lambda _n, _w: None, window))):
        open_dialog(qtbot, dialog)
        shoot(qtbot, dialog, screenshots, f"screen_{name}_dialog")
        dialog.reject()


def test_the_print_dialogs(qtbot, window, screenshots):
    from fieldvisit.qt.print_batch import BatchDialog

    big_window(qtbot, window)
    household = window.roster.household_id(0)
    preview = window.print_card(household)
    qtbot.waitUntil(lambda: preview.pdf_path() is not None, timeout=30_000)
    shoot(qtbot, preview, screenshots, "screen_print_preview")
    preview.reject()
    batch = open_dialog(qtbot, BatchDialog(window.store, window.tree.villages(), None,
                                           [household], window))
    batch.whole_ids.setChecked(True)  # its privacy warning shown
    shoot(qtbot, batch, screenshots, "screen_print_batch")


@pytest.fixture
def english(qapp):
    """The interface in English (the .qm shipped in resources), as 视图 → 语言 makes it."""
    from fieldvisit.qt import i18n

    translators = i18n.install(qapp, "en")
    yield
    i18n.remove(qapp, translators)


def test_in_english_the_roster_the_wizard_and_the_settings_fit_too(
        qtbot, english, demo_store, formset, screenshots):
    from fieldvisit.qt.settings_dialog import SettingsDialog

    shown = MainWindow(demo_store)
    qtbot.addWidget(shown)
    with qtbot.waitSignal(shown.roster_loaded, timeout=10_000):
        shown.show()
    qtbot.waitUntil(lambda: not shown.is_loading(), timeout=10_000)
    big_window(qtbot, shown)
    shoot(qtbot, shown, screenshots, "screen_en_roster")
    wizard = wizard_on(qtbot, demo_store, formset)
    wizard.go_to(0)
    shoot(qtbot, wizard, screenshots, "screen_en_visit_arrival")
    many_findings(wizard)
    wizard.go_to(wizard.summary_index)
    assert not wizard.complete()
    shoot(qtbot, wizard, screenshots, "screen_en_visit_refused")
    settings = open_dialog(qtbot, SettingsDialog(Ops(demo_store)))
    shoot(qtbot, settings, screenshots, "screen_en_settings")
    settings.tabs.setCurrentIndex(1)
    shoot(qtbot, settings, screenshots, "screen_en_settings_county")


def test_the_sync_dialogs_of_an_enrolled_laptop(qtbot, county, tmp_path, screenshots):
    import shutil
    import tempfile
    from pathlib import Path

    from sync_parties import make_laptop
    from test_qt_sync import households, set_helper, step

    from fieldvisit.county.ingest import ingest
    from fieldvisit.county.returns import return_bundle
    from fieldvisit.qt.sync_dialog import Drive, ExportDialog, OnlineDialog, ReturnImportDialog

    party = make_laptop(county, tmp_path / "laptop")
    try:
        for row in households(party.store)[:3]:
            set_helper(party.store, row.id, "周帮扶")
        export = open_dialog(qtbot, ExportDialog(Ops(party.store)))
        shoot(qtbot, export, screenshots, "screen_sync_export_no_stick")
        stick = Path(tempfile.mkdtemp(prefix="KINGSTON-"))
        export.refresh_drives([Drive("KINGSTON", stick, int(7.4 * 1024 ** 3), True)])
        shoot(qtbot, export, screenshots, "screen_sync_export_stick")
        step(qtbot, export, export.export_button, "exported")
        shoot(qtbot, export, screenshots, "screen_sync_exported")
        shutil.move(export.exported.path, tmp_path)
        stick.rmdir()
        assert ingest(county, tmp_path / export.exported.path.name).accepted
        back = return_bundle(county, party.device, tmp_path / "back")
        returned = open_dialog(qtbot, ReturnImportDialog(Ops(party.store)))
        returned.set_path(back)
        step(qtbot, returned, returned.import_button, "imported")
        # the receipt acknowledged the three changes: the status line says so at once
        assert "待县里确认的修改 0 条" in returned.status.text(), returned.status.text()
        shoot(qtbot, returned, screenshots, "screen_sync_imported")
        online = open_dialog(qtbot, OnlineDialog(Ops(party.store)))
        shoot(qtbot, online, screenshots, "screen_sync_online_enrolled")
        for dialog in (export, returned, online):
            dialog.reject()
    finally:
        party.store.close()


def test_the_dashboards_quality_tab(qtbot, window, screenshots):
    big_window(qtbot, window)
    window.tabs.setCurrentIndex(DASHBOARD_TAB)
    board = window.dashboard
    assert board is not None
    qtbot.waitUntil(lambda: not board.is_loading(), timeout=20_000)
    with qtbot.waitSignal(board.quality_loaded, timeout=20_000):
        board.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not board.is_loading(), timeout=10_000)
    board.quality_table.selectRow(0)
    shoot(qtbot, window, screenshots, "screen_dashboard_quality")


@pytest.mark.parametrize("tab, name", [(LEDGER_TAB, "ledger"), (CASES_TAB, "cases"),
                                       (DASHBOARD_TAB, "dashboard")])
def test_in_english_the_ledger_the_cases_and_the_dashboard_fit(
        qtbot, english, demo_store, formset, screenshots, tab, name):
    household = a_household(demo_store)
    visit_id = visit.start(demo_store, household, formset, "测试员", DEMO_DAY)
    wizard = VisitWizard(Ops(demo_store), formset, visit_id, today=DEMO_DAY)
    qtbot.addWidget(wizard)
    many_findings(wizard)
    wizard.choose_confirmation("户主签字")
    wizard.accept_missing.setChecked(True)
    assert wizard.complete()
    shown = MainWindow(demo_store)
    qtbot.addWidget(shown)
    with qtbot.waitSignal(shown.roster_loaded, timeout=10_000):
        shown.show()
    qtbot.waitUntil(lambda: not shown.is_loading(), timeout=10_000)
    big_window(qtbot, shown)
    shown.tabs.setCurrentIndex(tab)
    view = {LEDGER_TAB: lambda: shown.ledger_view, CASES_TAB: lambda: shown.cases_view,
            DASHBOARD_TAB: lambda: shown.dashboard}[tab]
    qtbot.waitUntil(lambda: view() is not None and not _loading(view()), timeout=20_000)
    qtbot.wait(100)
    shoot(qtbot, shown, screenshots, f"screen_en_{name}")
