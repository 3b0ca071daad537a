"""Printing from the desktop app on the demo village: the preview (QtPdf) of a card, a
visit record and the village report, the batch dialog (one PDF, one per household,
cancelled halfway), and printing itself onto a QPrinter writing a PDF. Every PDF is read
back with pypdf. Screenshots of both dialogs: see the ``screenshots`` fixture."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import DEMO_DAY
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageRanges, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from fieldvisit.cards.documents import card_writer, safe_file_name
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.qt.print_batch import BatchDialog
from fieldvisit.qt.print_preview import PrintPreview, pages_to_print, print_pdf
from fieldvisit.roster import queries
from fieldvisit.store.models import Household
from fieldvisit.visits import visit

TIMEOUT = 60_000


def pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def leftovers(folder: Path) -> list[str]:
    """Temporary files a crash-safe write would leave if it were not crash-safe."""
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def ready(qtbot, preview: PrintPreview) -> PrintPreview:
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: not preview.job.is_busy() and preview.page_count() > 0,
                    timeout=TIMEOUT)
    return preview


def run_batch(qtbot, dialog: BatchDialog, expected: str) -> None:
    with qtbot.waitSignal(dialog.finished_step, timeout=TIMEOUT) as step:
        dialog.start_button.click()
    assert step.args == [expected], dialog.job.message.text()


def cancel_after_first_step(dialog: BatchDialog) -> None:
    """Press 取消 as soon as the bar has moved, the job waiting for it after its first
    step: the batch is then under way, however busy the machine (unheld, a loaded
    machine's UI thread could see the bar move only after the last card)."""
    dialog.job.bar.valueChanged.connect(
        lambda value: dialog.job.cancel() if value >= 1 else None)
    run = dialog.job.run

    def run_held(job, *args, **kwargs):
        def held(progress, cancelled):
            def report(done: int, total: int) -> None:
                progress(done, total)
                deadline = time.monotonic() + 10
                while done >= 1 and not cancelled() and time.monotonic() < deadline:
                    progress(done, total)  # the worker lets one report through per 40 ms
                    time.sleep(0.01)
            return job(report, cancelled)

        run(held, *args, **kwargs)

    dialog.job.run = run_held


def first_households(store, count: int) -> list[str]:
    with store.reading() as conn:
        return [row.id for row in queries.household_rows(conn)[:count]]


def completed_visit(store, formset, household_id: str) -> str:
    visit_id = visit.start(store, household_id, formset, "李干部", DEMO_DAY)
    visit.save_answer(store, visit_id, "water", "", "litres_household", 20)
    visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, "李干部", "户主签字", "户主",
                   DEMO_DAY)
    return visit_id


@pytest.fixture
def three_cards(demo_store, tmp_path) -> Path:
    path = tmp_path / "three.pdf"
    card_writer(demo_store, first_households(demo_store, 3))(
        path, lambda _d, _t: None, lambda: False)
    return path


@pytest.fixture
def batch(qtbot, window) -> BatchDialog:
    dialog = window.open_batch_print()
    qtbot.addWidget(dialog)
    return dialog


# The preview -------------------------------------------------------------------------------

def test_the_panel_button_previews_the_households_card(qtbot, window, demo_store, tmp_path):
    window.table.selectRow(0)
    household_id = window.roster.household_id(0)
    assert window.panel.card_button.isEnabled()
    window.panel.card_button.click()
    preview = ready(qtbot, window.findChild(PrintPreview))

    assert preview.document.status() == QPdfDocument.Status.Ready
    assert preview.page_count() == pages(preview.pdf_path()) >= 1
    assert f"共 {preview.page_count()} 页" in preview.page_label.text()
    with demo_store.reading() as conn:
        row = queries.household_rows(conn, [household_id])[0]
    assert preview.pdf_path().name == f"{row.code}_{row.head}.pdf"
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()

    saved = preview.save_copy(tmp_path / "copy")
    assert saved == tmp_path / "copy.pdf"
    assert saved.read_bytes() == preview.pdf_path().read_bytes()
    assert leftovers(tmp_path) == []

    temporary = preview.pdf_path().parent
    preview.reject()
    assert not temporary.exists()  # the generated PDF goes with the preview


def test_a_completed_visit_prints_its_record_a_draft_cannot(qtbot, window, demo_store,
                                                            formset):
    window.table.selectRow(0)
    household_id = window.roster.household_id(0)
    done_id = completed_visit(demo_store, formset, household_id)
    window.ops.write(lambda: visit.start(demo_store, household_id, formset, "李干部",
                                         DEMO_DAY))  # a draft, newest
    history = window.panel.visits_view
    assert history.rowCount() == 2

    history.selectRow(0)
    assert "草稿" in window.panel.visit_line(0)
    assert not window.panel.visit_print_button.isEnabled()
    history.selectRow(1)
    assert window.panel.visit_print_button.isEnabled()
    window.panel.visit_print_button.click()
    preview = ready(qtbot, window.findChild(PrintPreview))
    assert preview.page_count() == pages(preview.pdf_path()) >= 1
    assert preview.pdf_path().name.startswith("走访记录_")
    assert visit.load(demo_store, done_id).completed


def test_the_village_report_of_the_chosen_village(qtbot, window, demo_store):
    village = window.tree.villages()[0]
    window.tree.select(("village", village.id))
    preview = ready(qtbot, window.print_village_report())
    assert preview.page_count() == pages(preview.pdf_path()) >= 1
    assert village.name in preview.pdf_path().name


# Printing ----------------------------------------------------------------------------------

def pdf_printer(path: Path) -> QPrinter:
    """A printer writing a PDF, at a low resolution so the test stays quick."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(96)
    return printer


def test_printing_renders_every_page_onto_the_printer(qtbot, three_cards, tmp_path):
    count = pages(three_cards)
    printed = tmp_path / "printed.pdf"
    assert print_pdf(three_cards, pdf_printer(printed), list(range(count))) == count
    assert pages(printed) == count >= 3


def test_printing_follows_the_page_range_of_the_print_dialog(qtbot, three_cards, tmp_path):
    printed = tmp_path / "range.pdf"
    printer = pdf_printer(printed)
    assert pages_to_print(printer, 3, current=1) == [0, 1, 2]
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    ranges = QPageRanges()
    ranges.addRange(2, 3)
    printer.setPageRanges(ranges)
    assert pages_to_print(printer, 3, current=0) == [1, 2]
    assert print_pdf(three_cards, printer, [1, 2]) == 2
    assert pages(printed) == 2
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert pages_to_print(printer, 3, current=1) == [1]


def test_the_preview_prints_in_a_worker(qtbot, three_cards, tmp_path):
    preview = PrintPreview("预览", three_cards.name)
    qtbot.addWidget(preview)
    preview.show()
    count = pages(three_cards)
    assert preview.show_pdf(three_cards) and preview.page_count() == count
    printed = tmp_path / "printed.pdf"
    with qtbot.waitSignal(preview.finished_step, timeout=TIMEOUT) as step:
        preview.start_print(pdf_printer(printed))
    assert step.args == ["printed"], preview.job.message.text()
    assert pages(printed) == count
    assert f"{count} 页" in preview.job.message.text()


def test_the_print_dialog_offers_the_documents_paper_and_pages(qtbot, demo_store, tmp_path):
    a5 = tmp_path / "a5.pdf"
    card_writer(demo_store, first_households(demo_store, 2), paper="A5")(
        a5, lambda _d, _t: None, lambda: False)
    preview = PrintPreview("预览", a5.name)
    qtbot.addWidget(preview)
    preview.show()
    preview.show_pdf(a5)
    dialog = preview.open_print_dialog()
    assert dialog.printer().pageLayout().pageSize().id() == QPageSize.PageSizeId.A5
    assert (dialog.minPage(), dialog.maxPage()) == (1, preview.page_count())
    dialog.reject()


def test_a_printer_that_does_not_start_is_reported(qtbot, three_cards, tmp_path):
    printer = pdf_printer(tmp_path / "no-such-folder" / "out.pdf")
    preview = PrintPreview("预览", three_cards.name)
    qtbot.addWidget(preview)
    preview.show_pdf(three_cards)
    with qtbot.waitSignal(preview.finished_step, timeout=TIMEOUT) as step:
        preview.start_print(printer)
    assert step.args == ["failed"]
    assert "打印机" in preview.job.message.text() and preview.print_button.isEnabled()


# The batch dialog --------------------------------------------------------------------------

def test_a_whole_village_into_one_pdf_then_its_preview(qtbot, batch, tmp_path):
    assert batch.village_option.isChecked() and not batch.whole_ids.isChecked()
    out = tmp_path / "村" / "明白卡.pdf"
    batch.file_edit.setText(str(out))
    run_batch(qtbot, batch, "written")

    result = batch.batch
    assert result.written == result.total == 60
    assert pages(out) == result.pages >= 60  # each card starts a page
    assert str(out) in batch.job.message.text()
    assert batch.preview_button.isVisible()
    preview = ready(qtbot, batch.open_preview())
    assert preview.document.status() == QPdfDocument.Status.Ready
    assert preview.page_count() == result.pages


def test_one_pdf_per_household_of_the_chosen_group(qtbot, window, demo_store, tmp_path):
    village = window.tree.villages()[0]
    group = max(village.groups, key=lambda g: g.households)
    window.tree.select(("group", group.id))
    dialog = window.open_batch_print()
    qtbot.addWidget(dialog)
    assert dialog.group_option.isChecked() and group.name in dialog.group_option.text()

    dialog.each_file_option.setChecked(True)
    dialog.a5_option.setChecked(True)
    dialog.folder_edit.setText(str(tmp_path / "cards"))
    run_batch(qtbot, dialog, "written")

    with demo_store.reading() as conn:
        ids = conn.execute(select(Household.id).where(
            Household.group_id == group.id)).scalars().all()
        expected = {safe_file_name(row.code, row.head)
                    for row in queries.household_rows(conn, ids)}
    written = {p.name for p in (tmp_path / "cards").iterdir()}
    assert written == expected and len(written) == group.households > 1
    assert dialog.batch.written == group.households
    assert not dialog.preview_button.isVisible()
    assert str(tmp_path / "cards") in dialog.job.message.text()


def test_the_current_filter_prints_what_the_roster_shows(qtbot, window):
    window.search_box.setText("52272710020000001")  # 户编号 …010 to …019
    qtbot.waitUntil(lambda: window.roster.rowCount() == 10)
    window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    shown = [window.roster.household_id(r) for r in range(window.roster.rowCount())]
    dialog = window.open_batch_print()
    qtbot.addWidget(dialog)
    dialog.shown_option.setChecked(True)
    assert dialog.household_ids() == shown  # in the order the roster shows them
    assert "10 户" in dialog.shown_option.text()


def test_cancelling_one_pdf_leaves_no_file(qtbot, batch, tmp_path):
    out = tmp_path / "明白卡.pdf"
    batch.file_edit.setText(str(out))
    cancel_after_first_step(batch)
    run_batch(qtbot, batch, "cancelled")
    assert not out.exists() and leftovers(tmp_path) == []
    assert "没有生成文件" in batch.job.message.text()
    assert batch.start_button.isEnabled() and not batch.preview_button.isVisible()


def test_cancelling_one_per_household_keeps_the_finished_files(qtbot, batch, tmp_path):
    folder = tmp_path / "cards"
    batch.each_file_option.setChecked(True)
    batch.folder_edit.setText(str(folder))
    cancel_after_first_step(batch)
    run_batch(qtbot, batch, "cancelled")
    result = batch.batch
    assert 0 < result.written < result.total == 60
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in result.files)
    assert all(pages(p) >= 1 for p in result.files)  # each finished file is whole
    assert f"已生成 {result.written} 个文件" in batch.job.message.text()


def test_an_empty_roster_has_nothing_to_print(qtbot, store):
    from fieldvisit.qt.main_window import MainWindow

    window = MainWindow(store)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=10_000)
    dialog = window.open_batch_print()
    qtbot.addWidget(dialog)
    assert not dialog.village_option.isEnabled() and not dialog.shown_option.isEnabled()
    dialog.start_button.click()
    assert not dialog.job.is_busy() and "没有农户" in dialog.job.message.text()


def test_whole_ids_come_with_a_privacy_warning(qtbot, batch):
    assert batch.privacy_warning.isHidden()
    batch.whole_ids.setChecked(True)
    assert not batch.privacy_warning.isHidden()
    assert "隐私" in batch.privacy_warning.text()


# Screenshots -------------------------------------------------------------------------------

def test_screenshots_of_the_preview_and_the_batch_dialog(qtbot, qapp, window, three_cards,
                                                          screenshots):
    from fieldvisit.qt import app, fonts

    fonts.apply_application_font(qapp)
    app.apply_style(qapp)
    preview = PrintPreview("明白卡预览", three_cards.name, window)
    qtbot.addWidget(preview)
    preview.show()
    preview.show_pdf(three_cards)
    qtbot.wait(300)  # QtPdf renders the visible pages asynchronously
    assert preview.grab().save(str(screenshots / "print-preview.png"))

    batch = window.open_batch_print()
    qtbot.addWidget(batch)
    batch.whole_ids.setChecked(True)
    qtbot.wait(50)
    assert batch.grab().save(str(screenshots / "print-batch.png"))
