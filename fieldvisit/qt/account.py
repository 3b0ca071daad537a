"""The 账户 menu of a logged-in cadre: lock now, change the password, add a cadre of the
工作队, and write an encrypted backup (to the USB stick or any folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.errors import FieldVisitError
from fieldvisit.qt.dialog_parts import error_label, ok_cancel
from fieldvisit.qt.lock import Locker
from fieldvisit.qt.login_dialog import password_edit
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.qt.workers import Worker
from fieldvisit.vault import backup
from fieldvisit.vault.folder import Unlocked, seal_for_county


def add_account_menu(window: MainWindow, locker: Locker, unlocked: Unlocked) -> None:
    menu = window.menuBar().addMenu(window.tr("账户"))
    lock = menu.addAction(window.tr("锁定"))
    lock.setShortcut(QKeySequence("Ctrl+L"))
    lock.triggered.connect(locker.lock)
    menu.addAction(window.tr("更改密码…")).triggered.connect(
        lambda: CadreDialog(unlocked, window, new_cadre=False).exec())
    menu.addAction(window.tr("添加干部…")).triggered.connect(
        lambda: CadreDialog(unlocked, window, new_cadre=True).exec())
    menu.addSeparator()
    menu.addAction(window.tr("备份到…")).triggered.connect(
        lambda: back_up(window, unlocked))
    window.sync_exported.connect(lambda stick: after_sync_export(window, unlocked, stick))
    # the county's key arrives with enrollment: seal the data key to it now, not next start
    window.enrolled.connect(lambda: seal_for_county(unlocked))


def after_sync_export(window: QWidget, unlocked: Unlocked, stick: Path) -> None:
    """After each sync export: a local backup (the last few kept in the data folder), and
    the offer of one on the stick that carries the bundle."""
    local = unlocked.store.folder / backup.LOCAL_FOLDER
    worker = Worker(lambda _p, _c: backup.create(unlocked, local, keep=backup.KEEP_LOCAL), window)
    worker.start()
    asked = QMessageBox.question(
        window, window.tr("备份"),
        window.tr("同步包已写好。要不要同时在U盘上存一份加密备份？（只有干部密码或县里能打开）"))
    if asked == QMessageBox.StandardButton.Yes:
        back_up(window, unlocked, stick)


class CadreDialog(QDialog):
    """A new password for the cadre logged in, or a new cadre with their own."""

    def __init__(self, unlocked: Unlocked, parent: QWidget | None, *, new_cadre: bool) -> None:
        super().__init__(parent)
        self.unlocked = unlocked
        self.new_cadre = new_cadre
        self.setWindowTitle(self.tr("添加干部") if new_cadre else self.tr("更改密码"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.password = password_edit()
        self.again = password_edit()
        if new_cadre:
            form.addRow(self.tr("干部姓名"), self.name)
            form.addRow(self.tr("手机号"), self.phone)
        form.addRow(self.tr("新密码"), self.password)
        form.addRow(self.tr("再输一遍"), self.again)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self))

    def accept(self) -> None:
        if self.password.text() != self.again.text():
            self._refuse(self.tr("两次输入的密码不一样"))
            return
        try:
            if self.new_cadre:
                self.unlocked.put_cadre(self.name.text(), self.phone.text().strip(),
                                        self.password.text())
            else:
                self.unlocked.change_password(self.unlocked.cadre.id, self.password.text())
        except FieldVisitError as error:
            self._refuse(error.zh)
            return
        super().accept()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def back_up(window: QWidget, unlocked: Unlocked, folder: Path | None = None) -> None:
    """Write a backup into a folder the cadre picks (off the UI thread)."""
    if folder is None:
        chosen = QFileDialog.getExistingDirectory(window, window.tr("备份到哪个文件夹（如U盘）"))
        if not chosen:
            return
        folder = Path(chosen)
    worker = Worker(lambda _p, _c: backup.create(unlocked, folder), window)
    worker.succeeded.connect(lambda path: QMessageBox.information(
        window, window.tr("备份"), window.tr("备份已写出并核对：{path}").format(path=path)))
    worker.failed.connect(lambda error: QMessageBox.warning(
        window, window.tr("备份"), getattr(error, "zh", str(error))))
    worker.start()
