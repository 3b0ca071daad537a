"""Print preview: a generated PDF on screen (QtPdf), then 打印… or 另存为….

Cards, visit records and the village report are PDFs from the core (reportlab), each a
``cards.documents.Printable``. The dialog writes one into a temporary folder in a
worker, shows it multipage at page width, and prints it by rendering each page with
QtPdf onto the printer: the same pixels the cadre saw, on any printer Qt knows, with no
PDF reader installed on the laptop. Printing runs in a worker too: a village's cards at
600 dpi take minutes.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRect, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldvisit import files
from fieldvisit.cards.documents import PdfWriter, Printable
from fieldvisit.cards.typeset import Cancelled as PrintCancelled
from fieldvisit.qt import i18n
from fieldvisit.qt.fit import fit_to_screen
from fieldvisit.qt.job_progress import JobProgress
from fieldvisit.qt.workers import Cancelled, Progress
from fieldvisit.sealing import overwrite_and_remove, private_temp_dir

# The finest a page is rendered for a printer: a 1200-dpi A4 page would be a 560 MB
# image; at 600 dpi (140 MB, one page at a time) print is finer than the eye reads.
MAX_PRINT_DPI = 600


# Printing ------------------------------------------------------------------------------------

def pages_to_print(printer: QPrinter, page_count: int, current: int) -> list[int]:
    """The 0-based pages the print dialog asked for: all, the page range typed (``2-3,5``)
    or the page on screen."""
    chosen = printer.printRange()
    if chosen == QPrinter.PrintRange.CurrentPage:
        return [current]
    ranges = printer.pageRanges()
    if chosen == QPrinter.PrintRange.PageRange and not ranges.isEmpty():
        return [page for page in range(page_count) if ranges.contains(page + 1)]
    return list(range(page_count))


def match_paper(printer: QPrinter, page_points: QSizeF) -> None:
    """Offer the document's own paper (A4 or A5, upright or across) in the print dialog."""
    upright = QSizeF(min(page_points.width(), page_points.height()),
                     max(page_points.width(), page_points.height()))
    orientation = (QPageLayout.Orientation.Landscape
                   if page_points.width() > page_points.height()
                   else QPageLayout.Orientation.Portrait)
    size = QPageSize(upright, QPageSize.Unit.Point, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)
    printer.setPageLayout(QPageLayout(size, orientation, QMarginsF()))


def print_pdf(pdf: Path, printer: QPrinter, pages: list[int],
              progress: Progress | None = None, cancelled: Cancelled | None = None,
              margin_mm: float = 0) -> int:
    """Print ``pages`` (0-based) of ``pdf`` on ``printer``; the number printed.

    Each page is rendered at the printer's resolution (at most MAX_PRINT_DPI) and laid
    over the whole sheet, scaled to fit: the PDF carries its own margins. ``margin_mm``
    (设置 → 打印页边距) keeps that much clear on every side besides, for a printer that
    cannot print near the paper's edge (the page shrinks to fit inside). Runs in a
    worker (QPainter on a QPrinter may), with its own QPdfDocument. Cancelling aborts
    the print job and raises ``Cancelled``.
    """
    document = QPdfDocument()
    if document.load(str(pdf)) != QPdfDocument.Error.None_:
        raise OSError(QCoreApplication.translate("PrintPreview", "无法打开 PDF：%1")
                      .replace("%1", str(pdf)))
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        raise OSError(QCoreApplication.translate(
            "PrintPreview", "打印机未能开始打印，请检查打印机或输出文件。"))
    scale = min(1.0, MAX_PRINT_DPI / printer.resolution())
    try:
        for n, page in enumerate(pages):
            if cancelled is not None and cancelled():
                printer.abort()
                raise PrintCancelled()
            if n:
                printer.newPage()
            _draw_page(painter, printer, document, page, scale, margin_mm)
            if progress is not None:
                progress(n + 1, len(pages))
    finally:
        painter.end()
        document.close()
    return len(pages)


def _draw_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, page: int,
               scale: float, margin_mm: float = 0) -> None:
    """One page fitted to the sheet less ``margin_mm`` on each side, centred, rendered at
    ``scale`` of the printer's pixels (the paint engine stretches it the rest of the way)."""
    sheet = printable_area(printer, margin_mm)
    fitted = document.pagePointSize(page).toSize().scaled(
        sheet.size(), Qt.AspectRatioMode.KeepAspectRatio)
    target = QRect(sheet.x() + (sheet.width() - fitted.width()) // 2,
                   sheet.y() + (sheet.height() - fitted.height()) // 2,
                   fitted.width(), fitted.height())
    image = document.render(page, QSize(round(fitted.width() * scale),
                                        round(fitted.height() * scale)))
    painter.drawImage(target, _on_white(image))


def printable_area(printer: QPrinter, margin_mm: float) -> QRect:
    """The sheet in device pixels with ``margin_mm`` taken off every side."""
    sheet = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
    inset = round(margin_mm / 25.4 * printer.resolution())
    inset = min(inset, sheet.width() // 4, sheet.height() // 4)  # never nothing left
    return sheet.adjusted(inset, inset, -inset, -inset)


def _on_white(image: QImage) -> QImage:
    """QtPdf renders onto a transparent page; printers (Windows GDI drivers above all)
    handle an opaque image better, so the page is laid on white, in place."""
    image.convertTo(QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationOver)
    painter.fillRect(image.rect(), Qt.GlobalColor.white)
    painter.end()
    image.convertTo(QImage.Format.Format_RGB32)
    return image


# The dialog ----------------------------------------------------------------------------------

class PrintPreview(QDialog):
    """Generate (worker) → preview → 打印… / 另存为…; closing removes the temporary PDF.

    ``finished_step`` says each time the dialog is ready for the user again: "ready",
    "printed", "cancelled" or "failed" (tests and scripted use wait on it).
    """

    finished_step = Signal(str)

    @classmethod
    def opened(cls, parent: QWidget, title: str, file_name: str, *,
               margin_mm: float = 0) -> PrintPreview:
        """A preview on screen (not blocking) that frees itself when closed; then
        ``generate(writer)`` or ``show_pdf(path)``. ``margin_mm``: the printing margin
        of the cadre's settings (``preferences``)."""
        preview = cls(title, file_name, parent, margin_mm=margin_mm)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.open()
        return preview

    @classmethod
    def generating(cls, parent: QWidget, printable: Printable, *,
                   margin_mm: float = 0) -> PrintPreview:
        """The usual way in: open a preview and write the document for it."""
        title = printable.title_en if i18n.english() else printable.title
        preview = cls.opened(parent, title, printable.file_name, margin_mm=margin_mm)
        preview.generate(printable.writer)
        return preview

    def __init__(self, title: str, file_name: str, parent: QWidget | None = None, *,
                 margin_mm: float = 0) -> None:
        super().__init__(parent)
        self.margin_mm = margin_mm
        self.setWindowTitle(title)
        self.resize(900, 860)
        fit_to_screen(self)  # 打印… stays on a 1280×800 screen
        self._file_name = file_name
        self._pdf: Path | None = None
        self._temporary: tempfile.TemporaryDirectory | None = None
        self._printer: QPrinter | None = None

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_label)
        self.page_label = QLabel()
        self.page_label.setObjectName("page_count")
        self.job = JobProgress(self, cancelled_text=self.tr("已取消。"))
        self.job.done.connect(self._job_done)

        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setObjectName("primary")
        self.print_button.clicked.connect(self.open_print_dialog)
        self.save_button = QPushButton(self.tr("另存为…"))
        self.save_button.clicked.connect(self.save_as)
        close_button = QPushButton(self.tr("关闭"))
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.page_label)
        buttons.addStretch()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.job)
        layout.addLayout(buttons)
        self._update_buttons()

    # Showing a PDF ----------------------------------------------------------------------------

    def generate(self, writer: PdfWriter) -> None:
        """Write the PDF into a fresh temporary folder in a worker, then show it."""
        self._temporary = tempfile.TemporaryDirectory(prefix="fieldvisit-print-",
                                                      dir=private_temp_dir(),
                                                      ignore_cleanup_errors=True)
        path = Path(self._temporary.name) / self._file_name

        def job(progress: Progress, cancelled: Cancelled) -> Path:
            writer(path, progress, cancelled)
            return path

        self.job.run(job, self.tr("正在生成 PDF…"), self._generated, "%v / %m")
        self._update_buttons()

    def show_pdf(self, path: Path) -> bool:
        """Show an existing PDF (a batch's file); False when QtPdf cannot read it."""
        self._pdf = None
        if self.document.load(str(path)) != QPdfDocument.Error.None_:
            self.job.show_message(self.tr("无法打开 PDF：%1").replace("%1", str(path)))
            self._update_buttons()
            return False
        self._pdf = Path(path)
        self.job.show_message("")
        self._update_page_label()
        self._update_buttons()
        return True

    def page_count(self) -> int:
        return self.document.pageCount() if self._pdf is not None else 0

    def pdf_path(self) -> Path | None:
        return self._pdf

    def _generated(self, path: Path) -> str:
        return "ready" if self.show_pdf(path) else "failed"

    # Saving and printing ----------------------------------------------------------------------

    def save_as(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("另存为"), self._file_name, self.tr("PDF 文件 (*.pdf)"))
        if not path:
            return
        try:
            self.save_copy(Path(path))
        except OSError as error:  # a full or pulled USB stick: say so, keep the preview
            QMessageBox.critical(self, self.tr("保存失败"), str(error))

    def save_copy(self, destination: Path) -> Path:
        """Copy the PDF to ``destination`` (``.pdf`` added when missing), crash-safe: a
        stick pulled mid-copy leaves the old file or none, never half a PDF."""
        assert self._pdf is not None
        if destination.suffix.lower() != ".pdf":
            destination = destination.with_name(destination.name + ".pdf")
        with files.replacing(destination) as partial:
            shutil.copyfile(self._pdf, partial)
        self.job.show_message(self.tr("已保存到 %1").replace("%1", str(destination)))
        return destination

    def open_print_dialog(self) -> QPrintDialog:
        """Qt's print dialog, pages 1 … n, first on the document's paper; printing follows
        it. The printer is kept, so a second print starts from the choices made."""
        if self._printer is None:
            self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            match_paper(self._printer, self.document.pagePointSize(0))
            self._printer.setDocName(self._file_name)
        dialog = QPrintDialog(self._printer, self)  # must not outlive the printer it edits
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setMinMax(1, self.page_count())
        dialog.accepted.connect(self._print_accepted)
        dialog.finished.connect(dialog.deleteLater)
        QDialog.open(dialog)  # QPrintDialog.open(receiver, member) hides the plain one
        return dialog

    def _print_accepted(self) -> None:
        if self._printer is not None:
            self.start_print(self._printer)

    def start_print(self, printer: QPrinter) -> None:
        """Print the pages the printer's settings ask for, in a worker."""
        assert self._pdf is not None
        pdf = self._pdf
        pages = pages_to_print(printer, self.page_count(),
                               self.view.pageNavigator().currentPage())
        margin_mm = self.margin_mm

        def job(progress: Progress, cancelled: Cancelled) -> int:
            return print_pdf(pdf, printer, pages, progress, cancelled, margin_mm)

        self.job.run(job, self.tr("正在打印…"), self._printed, self.tr("%v / %m 页"))
        self._update_buttons()

    def _printed(self, pages: int) -> str:
        self.job.show_message(self.tr("已发送到打印机：%n 页", "", pages))
        return "printed"

    def _job_done(self, outcome: str) -> None:
        self._update_buttons()
        self.finished_step.emit(outcome)

    def _update_buttons(self) -> None:
        ready = self._pdf is not None and not self.job.is_busy()
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def _update_page_label(self) -> None:
        count = self.page_count()
        current = self.view.pageNavigator().currentPage() + 1
        self.page_label.setText(self.tr("第 %1 页，共 %2 页").replace("%1", str(current))
                                .replace("%2", str(count)) if count else "")

    def done(self, result: int) -> None:
        """However the dialog closes: stop the worker, release and delete the temporary PDF
        (Windows cannot delete a file QtPdf still holds open)."""
        self.job.stop()
        self.document.close()
        if self._temporary is not None:
            for written in Path(self._temporary.name).iterdir():
                overwrite_and_remove(written)  # names and addresses: not left in free blocks
            self._temporary.cleanup()
            self._temporary = None
        super().done(result)
