"""帮助 → 导出诊断信息…: where to save the zip (a USB stick when one is in), then it is
written on a worker thread (counting every table of a large store takes a moment) with
its progress and outcome shown. The zip's content is ``fieldvisit.diagnostics``'s.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldvisit import diagnostics
from fieldvisit.qt.job_progress import JobProgress
from fieldvisit.qt.sync_dialog import removable_drives
from fieldvisit.store import Store


def qt_version() -> str:
    return f"Qt {qVersion()}, PySide6 {pyside_version}"


class DiagnosticsDialog(QDialog):
    """Writes the diagnostics zip to ``destination`` as soon as it opens."""

    def __init__(self, store: Store, destination: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.destination = destination
        self.setWindowTitle(self.tr("导出诊断信息"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        about = QLabel(self.tr("诊断信息包括错误记录、软件版本、数据库版本和各表的条数，"
                               "不含姓名、身份证号、电话和走访答案。请把文件交给县里的管理员。"))
        about.setWordWrap(True)
        layout.addWidget(about)
        self.progress = JobProgress(self, cancelled_text=self.tr("已取消"), cancellable=False,
                                    idle_bar="after_success", mark_errors=True)
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.progress.run(lambda _progress, _cancelled: diagnostics.write(
            store, destination, qt_version()), self.tr("正在写出诊断信息…"), self._written)

    def _written(self, path: Path) -> str:
        self.progress.message.setText(self.tr("诊断信息已写出：%1").replace("%1", str(path)))
        return "written"


def ask_and_export(store: Store, parent: QWidget) -> DiagnosticsDialog | None:
    """Ask where to save (the first USB stick, else the home folder), then export."""
    drives = removable_drives()
    start = drives[0].root if drives else Path.home()
    name, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("DiagnosticsDialog", "导出诊断信息"),
        str(start / diagnostics.default_name(store)),
        QCoreApplication.translate("DiagnosticsDialog", "诊断信息 (*.zip)"))
    if not name:
        return None
    dialog = DiagnosticsDialog(store, Path(name), parent)
    dialog.open()
    return dialog
