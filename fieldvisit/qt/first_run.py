"""The first start on an empty data folder: 从U盘注册, 独立使用 or 演示, then the main window.

从U盘注册 lists the county's enrollment files (.fve) on USB sticks, looking again every
2 s while the page shows so a stick put in later appears by itself (the sticks are the
sync dialog's ``removable_drives``; ``roots`` is injectable so a test can point it at a
folder), asks the activation code and the cadre (``login_dialog.CadreForm``), then makes
the encrypted folder and enrolls it; a wrong code leaves the folder as empty as it was.
独立使用 asks the village's 12-digit code and name and the cadre; the roster import opens
after the main window. 演示 opens the demo village with its demo cadre, in its own folder
(``make_demo``, what ``fieldvisit app --demo`` does), so the real folder stays empty.
The work (Argon2id, the enrollment, the demo's generation) runs on a worker thread.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from fieldvisit.errors import FieldVisitError
from fieldvisit.qt.dialog_parts import error_label
from fieldvisit.qt.login_dialog import CadreForm
from fieldvisit.qt.sync_dialog import removable_drives
from fieldvisit.qt.workers import Worker
from fieldvisit.sync import laptop
from fieldvisit.vault import folder as vault_folder
from fieldvisit.vault.folder import Login, Unlocked

POLL_MS = 2_000
ENROLL, STANDALONE, DEMO = "enroll", "standalone", "demo"
CHOICE_PAGE, STICK_PAGE, VILLAGE_PAGE, CADRE_PAGE, DEMO_PAGE = range(5)
_VILLAGE_CODE = re.compile(r"[0-9]{12}")


def stick_roots() -> list[Path]:
    """Where USB sticks are mounted now (the sync dialog's finder)."""
    return [drive.root for drive in removable_drives()]


def enrollment_files(roots: list[Path]) -> list[Path]:
    """The .fve files at the top of each root and one folder down."""
    found: set[Path] = set()
    for root in roots:
        try:
            places = [root, *(p for p in root.iterdir() if p.is_dir())]
            for place in places:
                found.update(p for p in place.glob("*.fve") if p.is_file())
        except OSError:  # a stick pulled out while we looked
            continue
    return sorted(found)


@dataclass(frozen=True)
class Choice:
    """What the wizard was asked to do, for the job."""

    how: str
    login: Login | None = None
    enrollment: Path | None = None
    code: str = ""


def set_up(folder: Path, choice: Choice, make_demo: Callable[[], Unlocked]) -> Unlocked:
    """The job: make the folder as chosen. An enrollment that fails removes what it made
    (the folder was empty), so the cadre can try again with the right code."""
    if choice.how == DEMO:
        return make_demo()
    assert choice.login is not None
    before = set(folder.iterdir()) if folder.is_dir() else set()
    unlocked = vault_folder.open_folder(folder, choice.login)
    if choice.how != ENROLL or choice.enrollment is None:
        return unlocked
    try:
        laptop.enroll(unlocked.store, choice.enrollment, choice.code)
    except BaseException:
        unlocked.store.close()
        for made in set(folder.iterdir()) - before:
            if made.is_dir():
                shutil.rmtree(made, ignore_errors=True)
            else:
                made.unlink(missing_ok=True)
        raise
    vault_folder.seal_for_county(unlocked)
    return unlocked


class ChoicePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("欢迎使用驻村走访"))
        self.setSubTitle(self.tr("本机还没有数据。请选择怎样开始："))
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for how, text, about in (
                (ENROLL, self.tr("从U盘注册"), self.tr(
                    "县里发了注册文件（.fve）和激活码：插入U盘，本机注册到县里，村和花名册随之而来。")),
                (STANDALONE, self.tr("独立使用"), self.tr(
                    "暂不注册到县里：填写本村的代码和名称，再导入花名册。")),
                (DEMO, self.tr("演示"), self.tr(
                    "先看看：打开一个虚构的演示村（人员都是编的），本机的数据目录保持为空。"))):
            button = QRadioButton(text)
            button.setObjectName(f"choice_{how}")
            self.group.addButton(button)
            self.buttons[how] = button
            note = QLabel(about)
            note.setWordWrap(True)
            note.setIndent(24)
            layout.addWidget(button)
            layout.addWidget(note)
        self.buttons[ENROLL].setChecked(True)
        layout.addStretch(1)

    def how(self) -> str:
        return next(how for how, button in self.buttons.items() if button.isChecked())

    def nextId(self) -> int:
        return {ENROLL: STICK_PAGE, STANDALONE: VILLAGE_PAGE, DEMO: DEMO_PAGE}[self.how()]


class StickPage(QWizardPage):
    """The county's enrollment files on sticks, looked for again every ``POLL_MS``."""

    def __init__(self, roots: Callable[[], list[Path]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roots = roots
        self.setTitle(self.tr("从U盘注册"))
        self.setSubTitle(self.tr("插入装有县里注册文件（.fve）的U盘，文件会自动出现在下面。"))
        layout = QVBoxLayout(self)
        self.files = QListWidget()
        self.files.setObjectName("enrollment_files")
        self.files.currentItemChanged.connect(lambda *_: self.completeChanged.emit())
        layout.addWidget(self.files, 1)
        self.empty = QLabel(self.tr("还没有找到注册文件。请插入U盘，或点“选择文件…”。"))
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        choose = QPushButton(self.tr("选择文件…"))
        choose.clicked.connect(self._choose)
        layout.addWidget(choose, 0, Qt.AlignmentFlag.AlignLeft)
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        self.code.textChanged.connect(lambda *_: self.completeChanged.emit())
        form.addRow(self.tr("激活码（县里电话告知）"), self.code)
        layout.addLayout(form)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.look)

    def initializePage(self) -> None:
        self.look()
        self.timer.start()

    def cleanupPage(self) -> None:
        self.timer.stop()

    def look(self) -> None:
        """Add the files found now (a chosen one stays; a pulled stick's ones go)."""
        found = enrollment_files(self.roots())
        chosen = self.chosen()
        for row in reversed(range(self.files.count())):
            item = self.files.item(row)
            path = item.data(Qt.ItemDataRole.UserRole)
            if path not in found and not item.data(Qt.ItemDataRole.UserRole + 1):
                self.files.takeItem(row)
        shown = {self.files.item(r).data(Qt.ItemDataRole.UserRole)
                 for r in range(self.files.count())}
        for path in found:
            if path not in shown:
                self.add(path)
        if chosen is None and self.files.count():
            self.files.setCurrentRow(0)
        self.empty.setVisible(not self.files.count())

    def add(self, path: Path, picked: bool = False) -> None:
        item = QListWidgetItem(path.name)
        item.setToolTip(str(path))
        item.setData(Qt.ItemDataRole.UserRole, path)
        item.setData(Qt.ItemDataRole.UserRole + 1, picked)
        self.files.addItem(item)
        if picked:
            self.files.setCurrentItem(item)
        self.empty.hide()

    def choose(self, path: Path) -> None:
        """``path`` chosen outright (选择文件…, or ``fieldvisit app FILE.fve``)."""
        self.add(Path(path), picked=True)

    def chosen(self) -> Path | None:
        item = self.files.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def isComplete(self) -> bool:
        return self.chosen() is not None and bool(self.code.text().strip())

    def _choose(self) -> None:
        start = self.roots()
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择注册文件"), str(start[0] if start else Path.home()),
            self.tr("注册文件 (*.fve);;所有文件 (*)"))
        if name:
            self.choose(Path(name))

    def nextId(self) -> int:
        return CADRE_PAGE


class VillagePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("独立使用"))
        self.setSubTitle(self.tr("填写本村的行政区划代码（12位数字）和村名。"))
        form = QFormLayout(self)
        self.code = QLineEdit()
        self.code.setPlaceholderText("110105001001")
        self.name = QLineEdit()
        form.addRow(self.tr("村代码"), self.code)
        form.addRow(self.tr("村名"), self.name)
        self.error = error_label()
        form.addRow(self.error)

    def validatePage(self) -> bool:
        if not _VILLAGE_CODE.fullmatch(self.code.text().strip()):
            self.error.setText(self.tr("村代码应为12位数字（行政区划代码）"))
        elif not self.name.text().strip():
            self.error.setText(self.tr("请填写村名"))
        else:
            self.error.hide()
            return True
        self.error.show()
        return False

    def nextId(self) -> int:
        return CADRE_PAGE


class LastPage(QWizardPage):
    """A page the wizard ends on: its work runs on a worker, so below what the page shows
    come a line for a refusal and a busy bar."""

    def end_with(self, layout: QVBoxLayout) -> None:
        self.error = error_label()
        layout.addWidget(self.error)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        layout.addWidget(self.busy)
        layout.addStretch(1)

    def nextId(self) -> int:
        return -1


class CadrePage(LastPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("使用本机的干部"))
        self.setSubTitle(self.tr("本机的数据将加密保存，登录时要输入这个密码。"))
        layout = QVBoxLayout(self)
        self.form = CadreForm()
        layout.addWidget(self.form)
        self.end_with(layout)


class DemoPage(LastPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("演示"))
        self.setSubTitle(self.tr("演示村的农户和人员都是虚构的，可以随意试用。"))
        layout = QVBoxLayout(self)
        about = QLabel(self.tr(
            "演示村保存在单独的文件夹里，不会写入本机的数据目录。试完后关闭程序，"
            "下次打开时仍会显示这个向导，可以再选择“从U盘注册”或“独立使用”。\n\n"
            "生成演示村需要几秒钟。"))
        about.setWordWrap(True)
        layout.addWidget(about)
        self.end_with(layout)


class FirstRunWizard(QWizard):
    """Ends accepted with ``unlocked`` set (and ``how``), or rejected (the app quits)."""

    def __init__(self, folder: Path, make_demo: Callable[[], Unlocked],
                 roots: Callable[[], list[Path]] = stick_roots,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.make_demo = make_demo
        self.unlocked: Unlocked | None = None
        self.village: tuple[str, str] | None = None  # 独立使用: code and name
        self._worker: Worker | None = None
        self.setWindowTitle(self.tr("FieldVisit 驻村走访 — 开始使用"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("开始使用"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("退出"))
        self.choice = ChoicePage()
        self.stick = StickPage(roots)
        self.village_page = VillagePage()
        self.cadre = CadrePage()
        self.demo = DemoPage()
        for number, page in enumerate((self.choice, self.stick, self.village_page, self.cadre,
                                       self.demo)):
            self.setPage(number, page)
        self.setStartId(CHOICE_PAGE)
        self.resize(640, 480)
        self.setMinimumSize(560, 420)

    def open_enrollment(self, path: Path) -> None:
        """Start on 从U盘注册 with ``path`` chosen (the .fve the app was opened with)."""
        self.stick.choose(path)
        self.setStartId(STICK_PAGE)

    def accept(self) -> None:
        """开始使用: check the form, then do the work on a worker thread."""
        how = self.choice.how()
        if how == DEMO:
            choice = Choice(DEMO)
        else:
            problem = self.cadre.form.problem()
            if problem:
                self._refuse(problem)
                return
            choice = Choice(how, self.cadre.form.login(), self.stick.chosen(),
                            self.stick.code.text().strip())
            if how == STANDALONE:
                self.village = (self.village_page.code.text().strip(),
                                self.village_page.name.text().strip())
        self.how = how
        self._set_busy(True)
        worker = Worker(lambda _p, _c: set_up(self.folder, choice, self.make_demo), self)
        worker.succeeded.connect(self._done)
        worker.failed.connect(self._failed)
        worker.done.connect(lambda: self._set_busy(False))
        self._worker = worker
        worker.start()

    def _done(self, unlocked: Unlocked) -> None:
        self.unlocked = unlocked
        if self._worker is not None:
            self._worker.wait()
        self.stick.timer.stop()
        super().accept()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, FieldVisitError):
            raise error
        self._refuse(error.zh)

    def _refuse(self, text: str) -> None:
        page = self.currentPage()
        shown = page.error if isinstance(page, CadrePage | DemoPage) else self.cadre.error
        shown.setText(text)
        shown.show()

    def _set_busy(self, busy: bool) -> None:
        self.cadre.busy.setVisible(busy and self.currentId() == CADRE_PAGE)
        self.demo.busy.setVisible(busy and self.currentId() == DEMO_PAGE)
        for button in (QWizard.WizardButton.FinishButton, QWizard.WizardButton.BackButton,
                       QWizard.WizardButton.CancelButton):
            self.button(button).setEnabled(not busy)

    def reject(self) -> None:
        if self._worker is not None and self._worker.isRunning():
            return  # the folder is being made: let it finish
        self.stick.timer.stop()
        super().reject()
