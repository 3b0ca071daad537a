"""设置: what a cadre sets is stored in the store, journaled, kept out of sync bundles, and
used (the printing margins and paper, the server address of 通过网络同步); the county's
schedule and thresholds are shown as the county set them. Screenshot looked at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fitcheck import assert_fits
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QTableWidget

from fieldvisit.qt import preferences
from fieldvisit.qt.ops import Changed, Ops
from fieldvisit.qt.preferences import PreferenceError, Preferences
from fieldvisit.qt.print_preview import printable_area
from fieldvisit.qt.settings_dialog import SettingsDialog
from fieldvisit.store.journal import own_changes


@pytest.fixture(autouse=True)
def keep_language(monkeypatch):
    """The language is also saved where the app reads it at start (QSettings): never the
    real user's file."""
    saved: list[str] = []
    monkeypatch.setattr("fieldvisit.qt.i18n.save_language", saved.append)
    return saved


def dialog_on(qtbot, store) -> SettingsDialog:
    dialog = SettingsDialog(Ops(store))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def table_texts(table: QTableWidget) -> list[list[str]]:
    return [[table.item(row, column).text() for column in range(table.columnCount())]
            for row in range(table.rowCount())]


def test_saved_settings_are_stored_journaled_and_not_synced(qtbot, store, keep_language):
    dialog = dialog_on(qtbot, store)
    broadcasts: list[Changed] = []
    dialog.ops.changed.connect(broadcasts.append)
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData("A5"))
    dialog.margin_spin.setValue(8)
    dialog.url_edit.setText("  http://county.example:8000  ")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.accept()

    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert preferences.load(store) == Preferences("A5", 8, "http://county.example:8000", "en")
    assert keep_language == ["en"]
    # journaled: who set what, old and new; a broadcast screens can follow
    with store.reading() as conn:
        assert own_changes(conn, 0) == []  # nothing of it goes into a sync bundle
    assert broadcasts and broadcasts[0].changes.touches(preferences.ENTITY)
    reopened = dialog_on(qtbot, store)  # a new dialog starts from what was saved
    assert reopened.paper_combo.currentData() == "A5"
    assert reopened.margin_spin.value() == 8
    assert reopened.url_edit.text() == "http://county.example:8000"


def test_the_journal_says_who_changed_a_setting_and_from_what(store):
    preferences.save(store, Preferences(margin_mm=5))
    preferences.save(store, Preferences(margin_mm=12))
    from sqlalchemy import select

    from fieldvisit.store.models import JournalEntry

    with store.reading() as conn:
        rows = conn.execute(select(JournalEntry.actor, JournalEntry.entity_id,
                                   JournalEntry.old, JournalEntry.new, JournalEntry.origin)
                            .where(JournalEntry.entity == "meta")
                            .order_by(JournalEntry.seq)).all()
    assert [(r.actor, r.entity_id, json.loads(r.old), json.loads(r.new), r.origin)
            for r in rows] == [("测试员", "prefs.margin_mm", 0, 5, "local"),
                               ("测试员", "prefs.margin_mm", 5, 12, "local")]
    assert preferences.save(store, Preferences(margin_mm=12)) == []  # unchanged: no row


def test_a_bad_server_address_keeps_the_dialog_open_and_says_why(qtbot, store):
    dialog = dialog_on(qtbot, store)
    dialog.tabs.setCurrentIndex(1)
    dialog.url_edit.setText("county server")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error.isVisible() and "服务器地址不对" in dialog.error.text()
    assert dialog.tabs.currentIndex() == 0  # back where the address is typed
    assert preferences.load(store).server_url == ""
    with pytest.raises(PreferenceError):
        preferences.save(store, Preferences(margin_mm=99))


def test_online_sync_starts_from_the_address_of_the_settings(qtbot, store):
    from fieldvisit.qt.sync_dialog import OnlineDialog

    preferences.save(store, Preferences(server_url="http://10.1.2.3:8000"))
    dialog = OnlineDialog(Ops(store))
    qtbot.addWidget(dialog)
    assert dialog.url_edit.text() == "http://10.1.2.3:8000"


def test_printing_keeps_the_margins_of_the_settings_clear(qapp, tmp_path):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    printer.setResolution(300)
    sheet = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
    assert printable_area(printer, 0) == sheet
    inset = round(10 / 25.4 * 300)  # 10 mm at 300 dpi
    assert printable_area(printer, 10) == QRect(sheet.x() + inset, sheet.y() + inset,
                                                sheet.width() - 2 * inset,
                                                sheet.height() - 2 * inset)


def test_the_household_card_and_the_batch_dialog_use_the_paper_of_the_settings(
        qtbot, window, tmp_path):
    from pypdf import PdfReader

    from fieldvisit.qt.print_batch import BatchDialog

    preferences.save(window.store, Preferences(paper="A5", margin_mm=7))
    household = window.roster.household_id(0)
    preview = window.print_card(household)
    qtbot.waitUntil(lambda: preview.pdf_path() is not None, timeout=30_000)
    assert preview.margin_mm == 7
    page = PdfReader(str(preview.pdf_path())).pages[0]
    width, height = sorted((float(page.mediabox.width), float(page.mediabox.height)))
    assert (round(width), round(height)) == (420, 595)  # A5 in points
    preview.reject()
    batch = BatchDialog(window.store, window.tree.villages(), None, [household], window)
    qtbot.addWidget(batch)
    assert batch.a5_option.isChecked()


def test_the_county_schedule_and_thresholds_are_shown_as_the_county_set_them(qtbot, store):
    Path(store.folder, "settings.yaml").write_text(
        "income_line: 8050\nvisit_days_monitored: 15\nscreening_month: 11\n", encoding="utf-8")
    dialog = dialog_on(qtbot, store)
    assert "县里下发" in dialog.findChild(object, "settings_source").text()
    schedule = table_texts(dialog.schedule_table)
    assert schedule[0][:3] == ["监测对象", "每 15 天联系、每季度入户", "15 天"]
    assert schedule[2][1] == "每年集中排查（11月底前）"
    table = dialog.threshold_table
    thresholds = {table.item(row, 0).data(Qt.ItemDataRole.UserRole): texts
                  for row, texts in enumerate(table_texts(table))}
    assert thresholds["income_line"] == ["防返贫监测收入线", "8,050", "元/人/年"]
    assert "income_line" in table.item(0, 0).toolTip()  # the name settings.yaml uses
    assert "visit_days_monitored" not in thresholds  # shown in the schedule instead
    assert not dialog.url_edit.isReadOnly() and dialog.threshold_table.editTriggers() == (
        QTableWidget.EditTrigger.NoEditTriggers)


def test_without_county_settings_the_defaults_are_named_so(qtbot, store):
    dialog = dialog_on(qtbot, store)
    assert "默认值" in dialog.findChild(object, "settings_source").text()


def test_screenshot_of_the_settings_dialog(qtbot, store, screenshots):
    from fieldvisit.qt.app import apply_style
    from fieldvisit.qt.fonts import apply_application_font

    app = QApplication.instance()
    apply_application_font(app)
    apply_style(app)
    dialog = dialog_on(qtbot, store)
    qtbot.wait(20)
    assert_fits(dialog, (1280, 800))
    assert dialog.grab().save(str(screenshots / "settings_general.png"))
    dialog.tabs.setCurrentIndex(1)
    qtbot.wait(20)
    assert_fits(dialog, (1280, 800))
    assert dialog.grab().save(str(screenshots / "settings_county.png"))


def test_the_language_menu_keeps_the_choice_in_the_store_too(qtbot, window, keep_language,
                                                             monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *_a, **_k: None)
    english = next(a for a in window.findChildren(QAction) if a.data() == "en")
    english.trigger()
    assert keep_language == ["en"]
    assert preferences.load(window.store).language == "en"
    opened = window.open_settings()  # 文件 → 设置… shows it
    assert opened.language_combo.currentData() == "en"
    opened.reject()


def test_every_threshold_of_the_defaults_is_named_in_words(qtbot, store):
    """A setting added to checklist.settings needs its words here, or the cadre reads a
    code name."""
    from fieldvisit.checklist.settings import DEFAULTS
    from fieldvisit.qt.settings_dialog import SCHEDULE_SETTINGS

    dialog = dialog_on(qtbot, store)
    assert set(DEFAULTS) - set(SCHEDULE_SETTINGS) == set(dialog.threshold_words())
