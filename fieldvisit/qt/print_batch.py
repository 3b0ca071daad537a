"""批量打印明白卡: the cards of a whole village, one 村民小组 or what the roster shows now.

Into one PDF (to print at once) or one PDF per household in a folder (to send on, or to
reprint one card later). It runs in a worker with n / total and 取消. Every file is
written crash-safe, so a cancel or a pulled USB stick never leaves half a PDF: a single
file is there complete or not at all, and of one-file-per-household the finished files
stay and the dialog says how many. What is written is ``cards.documents``'; the dialog
only asks and shows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.cards.documents import (
    BatchResult,
    PdfWriter,
    card_writer,
    households_of,
    village_of,
    write_each,
    write_one,
)
from fieldvisit.qt import preferences
from fieldvisit.qt.job_progress import JobProgress
from fieldvisit.qt.print_preview import PrintPreview
from fieldvisit.qt.workers import Cancelled, Progress
from fieldvisit.roster.queries import VillageNode
from fieldvisit.store import Store


class BatchDialog(QDialog):
    """Scope, paper, ID masking and output → generate (worker) → where the files are.

    ``finished_step`` fires when a run ends: "written", "cancelled" or "failed".
    """

    finished_step = Signal(str)

    def __init__(self, store: Store, villages: list[VillageNode],
                 scope: tuple[str, str] | None, shown_ids: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("批量打印明白卡"))
        self.resize(720, 0)
        self._store = store
        self.preferences = preferences.load(store)  # the paper and margins of 设置
        self._shown_ids = list(shown_ids)
        self.batch: BatchResult | None = None
        today = date.today().strftime("%Y%m%d")
        documents = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_scope(villages, scope))
        layout.addWidget(self._build_options())
        layout.addWidget(self._build_output(documents / f"明白卡_{today}.pdf",
                                            documents / f"明白卡_{today}"))
        self.job = JobProgress(
            self, cancelled_text=self.tr("已取消，没有生成文件（原有同名文件保持不变）。"))
        self.job.done.connect(self._job_done)
        layout.addWidget(self.job)
        layout.addLayout(self._build_buttons())
        self._update_controls()

    # Building ---------------------------------------------------------------------------------

    def _build_scope(self, villages: list[VillageNode],
                     scope: tuple[str, str] | None) -> QGroupBox:
        box = QGroupBox(self.tr("打印范围"))
        self.village_option = QRadioButton(self.tr("整个行政村："))
        self.village_combo = QComboBox()
        for village in villages:
            self.village_combo.addItem(self.tr("%1（%n 户）", "", village.households)
                                       .replace("%1", village.name), village.id)
        group = _group_named(villages, scope)
        self.group_option = QRadioButton(
            self.tr("所选村民小组：%1（%n 户）", "", group[2]).replace("%1", group[1])
            if group else self.tr("所选村民小组（请先在左侧选择一个小组）"))
        self.group_option.setEnabled(group is not None)
        self._group_id = group[0] if group else None
        self.shown_option = QRadioButton(
            self.tr("花名册当前显示的农户（按查找和筛选，%n 户）", "", len(self._shown_ids)))
        self.shown_option.setEnabled(bool(self._shown_ids))
        self._select_village(villages, scope)
        (self.group_option if group else self.village_option).setChecked(True)
        grid = QGridLayout(box)
        grid.addWidget(self.village_option, 0, 0)
        grid.addWidget(self.village_combo, 0, 1)
        grid.addWidget(self.group_option, 1, 0, 1, 2)
        grid.addWidget(self.shown_option, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        return box

    def _select_village(self, villages: list[VillageNode],
                        scope: tuple[str, str] | None) -> None:
        """Start on the village chosen in the tree (or the one holding the chosen group)."""
        chosen = village_of(villages, scope)
        if chosen is not None:
            self.village_combo.setCurrentIndex(villages.index(chosen))

    def _build_options(self) -> QGroupBox:
        box = QGroupBox(self.tr("选项"))
        self.a4_option = QRadioButton(self.tr("A4"))
        self.a5_option = QRadioButton(self.tr("A5（半张 A4）"))
        (self.a5_option if self.preferences.paper == "A5" else self.a4_option).setChecked(True)
        self.whole_ids = QCheckBox(self.tr("完整打印身份证号和联系电话（默认只印部分号码）"))
        self.privacy_warning = QLabel(self.tr(
            "⚠ 完整的身份证号和电话属于个人隐私：打印件只交给本户并妥善保管，"
            "不得张贴或外传。"))
        self.privacy_warning.setProperty("severity", "warning")
        self.privacy_warning.setWordWrap(True)
        self.whole_ids.toggled.connect(self.privacy_warning.setVisible)
        self.privacy_warning.setVisible(False)
        paper = QHBoxLayout()
        paper.addWidget(QLabel(self.tr("纸张：")))
        paper.addWidget(self.a4_option)
        paper.addWidget(self.a5_option)
        paper.addStretch()
        layout = QVBoxLayout(box)
        layout.addLayout(paper)
        layout.addWidget(self.whole_ids)
        layout.addWidget(self.privacy_warning)
        return box

    def _build_output(self, file: Path, folder: Path) -> QGroupBox:
        box = QGroupBox(self.tr("输出"))
        self.one_file_option = QRadioButton(self.tr("合并为一个 PDF 文件（便于一次打印）："))
        self.each_file_option = QRadioButton(self.tr("每户一个 PDF 文件，存入文件夹："))
        self.one_file_option.setChecked(True)
        self.one_file_option.toggled.connect(self._update_controls)
        self.file_edit = QLineEdit(str(file))
        self.folder_edit = QLineEdit(str(folder))
        for edit in (self.file_edit, self.folder_edit):
            edit.textChanged.connect(self._update_controls)
        self.file_browse = QPushButton(self.tr("选择…"))
        self.file_browse.clicked.connect(self._choose_file)
        self.folder_browse = QPushButton(self.tr("选择…"))
        self.folder_browse.clicked.connect(self._choose_folder)
        names = QLabel(self.tr("文件名为“户编号_户主姓名.pdf”，同名文件会被替换。"))
        names.setObjectName("hint")
        grid = QGridLayout(box)  # each choice above its own full-width path
        grid.setVerticalSpacing(8)
        grid.addWidget(self.one_file_option, 0, 0, 1, 2)
        grid.addWidget(self.file_edit, 1, 0)
        grid.addWidget(self.file_browse, 1, 1)
        grid.addWidget(self.each_file_option, 2, 0, 1, 2)
        grid.addWidget(self.folder_edit, 3, 0)
        grid.addWidget(self.folder_browse, 3, 1)
        grid.addWidget(names, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        return box

    def _build_buttons(self) -> QHBoxLayout:
        self.preview_button = QPushButton(self.tr("打开预览"))
        self.preview_button.clicked.connect(self.open_preview)
        self.preview_button.hide()
        self.start_button = QPushButton(self.tr("开始生成"))
        self.start_button.setObjectName("primary")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)
        return buttons

    # Running ----------------------------------------------------------------------------------

    def household_ids(self) -> list[str]:
        """The households the chosen scope covers (reads the store for a village or group)."""
        if self.shown_option.isChecked():
            return list(self._shown_ids)
        if self.group_option.isChecked() and self._group_id is not None:
            return households_of(self._store, ("group", self._group_id))
        return households_of(self._store, ("village", self.village_combo.currentData()))

    def start(self) -> None:
        store, ids = self._store, self.household_ids()
        if not ids:
            self.job.show_message(self.tr("所选范围内没有农户。"))
            return
        paper = "A5" if self.a5_option.isChecked() else "A4"
        whole_ids = self.whole_ids.isChecked()
        self.batch = None
        self.preview_button.hide()

        def writer_for(chosen: list[str]) -> PdfWriter:
            return card_writer(store, chosen, paper=paper, whole_ids=whole_ids)

        if self.each_file_option.isChecked():
            folder = Path(self.folder_edit.text().strip())

            def job(progress: Progress, cancelled: Cancelled) -> BatchResult:
                return write_each(store, ids, folder, writer_for, progress, cancelled)
        else:
            path = Path(self.file_edit.text().strip())

            def job(progress: Progress, cancelled: Cancelled) -> BatchResult:
                return write_one(ids, path, writer_for, progress, cancelled)

        self.job.run(job, self.tr("正在生成 %n 户的明白卡…", "", len(ids)), self._written,
                     self.tr("%v / %m 户"))
        self._update_controls()

    def _written(self, result: BatchResult) -> str:
        self.batch = result
        self.job.show_message(self._result_text(result))
        self.preview_button.setVisible(result.complete and self.one_file_option.isChecked())
        return "written" if result.complete else "cancelled"

    def _result_text(self, result: BatchResult) -> str:
        if self.one_file_option.isChecked():
            return (self.tr("已生成 %1 户的明白卡，共 %2 页，保存在：\n%3")
                    .replace("%1", str(result.written)).replace("%2", str(result.pages))
                    .replace("%3", str(result.files[0])))
        folder = self.folder_edit.text().strip()
        if result.complete:
            return (self.tr("已生成 %1 个文件（每户一个），保存在文件夹：\n%2")
                    .replace("%1", str(result.written)).replace("%2", folder))
        return (self.tr("已取消：已生成 %1 个文件（共 %2 户），保存在文件夹：\n%3\n"
                        "其余农户没有生成。")
                .replace("%1", str(result.written)).replace("%2", str(result.total))
                .replace("%3", folder))

    def _job_done(self, outcome: str) -> None:
        self._update_controls()
        self.finished_step.emit(outcome)

    def open_preview(self) -> PrintPreview | None:
        """The single PDF just written, in the preview (owned by the main window, so it
        stays open when this dialog closes)."""
        if self.batch is None or not self.one_file_option.isChecked():
            return None
        path = self.batch.files[0]
        preview = PrintPreview.opened(self.parentWidget() or self, self.tr("明白卡预览"),
                                      path.name, margin_mm=self.preferences.margin_mm)
        preview.show_pdf(path)
        return preview

    # Small things -----------------------------------------------------------------------------

    def _update_controls(self) -> None:
        busy = self.job.is_busy()
        one_file = self.one_file_option.isChecked()
        target = (self.file_edit if one_file else self.folder_edit).text().strip()
        widget: QWidget
        for widget in (self.a4_option, self.a5_option, self.whole_ids, self.one_file_option,
                       self.each_file_option):
            widget.setEnabled(not busy)
        for widget in (self.village_option, self.village_combo):
            widget.setEnabled(not busy and self.village_combo.count() > 0)
        self.group_option.setEnabled(not busy and self._group_id is not None)
        self.shown_option.setEnabled(not busy and bool(self._shown_ids))
        for widget in (self.file_edit, self.file_browse):
            widget.setEnabled(not busy and one_file)
        for widget in (self.folder_edit, self.folder_browse):
            widget.setEnabled(not busy and not one_file)
        self.start_button.setEnabled(not busy and bool(target))
        self.close_button.setEnabled(not busy)

    def _choose_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("保存明白卡"), self.file_edit.text(), self.tr("PDF 文件 (*.pdf)"))
        if path:
            self.file_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择文件夹"),
                                                  self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def done(self, result: int) -> None:
        """Closing while a batch runs cancels it and waits (finished files stay)."""
        self.job.stop()
        super().done(result)


def _group_named(villages: list[VillageNode],
                 scope: tuple[str, str] | None) -> tuple[str, str, int] | None:
    """(id, name, households) of the 村民小组 chosen in the tree, or None."""
    for village in villages:
        for group in village.groups:
            if scope == ("group", group.id):
                return group.id, f"{village.name} {group.name}", group.households
    return None
