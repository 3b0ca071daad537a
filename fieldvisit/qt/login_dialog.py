"""The first thing the app shows: the cadre logs in, or sets up the first login.

Three cases, told apart by ``fieldvisit.vault.folder.state``: a new data folder (who is the
cadre, phone, a password with its strength said as it is typed), an old plain one (the
same, and it is encrypted before the roster opens), or an encrypted one (choose the cadre,
type the password). Unlocking stretches the password with Argon2id and may encrypt a
whole store, so it runs on a worker thread; the dialog shows it is busy meanwhile.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.errors import FieldVisitError
from fieldvisit.qt.dialog_parts import error_label
from fieldvisit.qt.workers import Worker
from fieldvisit.vault import folder as vault_folder
from fieldvisit.vault import recovery
from fieldvisit.vault.folder import Login, Unlocked
from fieldvisit.vault.password import problem
from fieldvisit.vault.slots import KeySlots, TooSoon, WrongPassword


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class CadreForm(QWidget):
    """The first cadre of a new folder: name, phone, password twice, its strength said as
    it is typed (the login dialog's and the first-run wizard's)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.password = password_edit()
        self.again = password_edit()
        self.strength = QLabel()
        self.strength.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("干部姓名"), self.name)
        form.addRow(self.tr("手机号"), self.phone)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("再输一遍"), self.again)
        form.addRow("", self.strength)
        self.password.textChanged.connect(self._say_strength)

    def problem(self) -> str | None:
        """What is wrong with the form, in the cadre's words (None: nothing)."""
        if not self.name.text().strip():
            return self.tr("请填写干部姓名")
        found = problem(self.password.text(), self.phone.text())
        if found:
            return found[0]
        if self.password.text() != self.again.text():
            return self.tr("两次输入的密码不一样")
        return None

    def login(self) -> Login:
        return Login(self.name.text().strip(), self.password.text(), self.phone.text().strip())

    def _say_strength(self, text: str) -> None:
        found = problem(text, self.phone.text())
        self.strength.setText(found[0] if found else self.tr("密码强度可以"))


class LoginDialog(QDialog):
    """Ends accepted with ``unlocked`` set, or rejected (the app then quits)."""

    def __init__(self, folder: Path, hint: Login | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.unlocked: Unlocked | None = None
        self._worker: Worker | None = None
        self.state = vault_folder.state(self.folder)
        self.setWindowTitle(self.tr("FieldVisit 驻村走访 — 登录"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setObjectName("login_title")
        layout.addWidget(self.title)
        form = QFormLayout()
        self.cadre = QComboBox()
        self.new_cadre = CadreForm()
        self.name, self.phone = self.new_cadre.name, self.new_cadre.phone
        self.again, self.strength = self.new_cadre.again, self.new_cadre.strength
        self.password = password_edit()
        if self.state == vault_folder.LOCKED:
            slots = KeySlots.load(self.folder)
            for cadre in slots.cadres() if slots else []:
                self.cadre.addItem(cadre.name, cadre.id)
            self.title.setText(self.tr("请登录。本机数据已加密，输入密码后才能查看。"))
            form.addRow(self.tr("干部"), self.cadre)
            form.addRow(self.tr("密码"), self.password)
        else:
            self.title.setText(
                self.tr("首次使用：请填写使用本机的干部和登录密码。")
                if self.state == vault_folder.NEW else
                self.tr("本机的数据将加密保存：请设置干部和登录密码。加密后，即使电脑或数据目录"
                        "被拿走，别人也读不到农户信息。"))
            self.password = self.new_cadre.password
            form.addRow(self.new_cadre)
        layout.addLayout(form)
        self.error = error_label()
        self.password.textChanged.connect(self.error.hide)
        layout.addWidget(self.error)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        layout.addWidget(self.busy)
        row = QHBoxLayout()
        self.forgot = QPushButton(self.tr("忘记密码…"))
        self.forgot.setVisible(self.state == vault_folder.LOCKED)
        self.forgot.clicked.connect(self._recover)
        row.addWidget(self.forgot)
        row.addStretch(1)
        self.quit = QPushButton(self.tr("退出"))
        self.quit.clicked.connect(self.reject)
        self.go = QPushButton(self.tr("登录") if self.state == vault_folder.LOCKED
                              else self.tr("开始使用"))
        self.go.setDefault(True)
        self.go.clicked.connect(self.submit)
        row.addWidget(self.quit)
        row.addWidget(self.go)
        layout.addLayout(row)
        if hint is not None:  # the demo village: its cadre and password are no secret
            self.password.setText(hint.password)
            self.title.setText(self.title.text() + "\n" + self.tr(
                "演示村：密码已填好（{password}）。").format(password=hint.password))

    def submit(self) -> None:
        problem_found = self._form_problem()
        if problem_found:
            self._refuse(problem_found)
            return
        login = self._login()
        self._set_busy(True)
        worker = Worker(lambda _progress, _cancelled: vault_folder.open_folder(
            self.folder, login), self)
        worker.succeeded.connect(self._unlocked)
        worker.failed.connect(self._failed)
        worker.done.connect(lambda: self._set_busy(False))
        self._worker = worker
        worker.start()

    def _login(self) -> Login:
        if self.state == vault_folder.LOCKED:
            return Login(self.cadre.currentData(), self.password.text())
        return self.new_cadre.login()

    def _form_problem(self) -> str | None:
        if self.state == vault_folder.LOCKED:
            return None if self.password.text() else self.tr("请输入密码")
        return self.new_cadre.problem()

    def _unlocked(self, unlocked: Unlocked) -> None:
        self.unlocked = unlocked
        if self._worker is not None:
            self._worker.wait()  # it has reported; its thread ends at once
        self.busy.hide()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, FieldVisitError):
            raise error
        self._refuse(error.zh)
        wait = error.wait_s if isinstance(error, WrongPassword | TooSoon) else 0
        if wait:
            self.go.setEnabled(False)
            QTimer.singleShot(wait * 1000, self, lambda: self.go.setEnabled(True))
        self.password.selectAll()
        self.password.setFocus()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.go, self.forgot, self.password, self.again, self.name, self.phone,
                       self.cadre):
            widget.setEnabled(not busy)

    def _recover(self) -> None:
        dialog = RecoveryDialog(self.folder, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.unlocked is not None:
            self._unlocked(dialog.unlocked)

    def reject(self) -> None:
        if self.busy.isVisible():
            return  # an unlock is running (a store may be being encrypted): let it finish
        super().reject()


class RecoveryDialog(QDialog):
    """Forgot the password: a request for the county, then its answer and the code."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.unlocked: Unlocked | None = None
        self.setWindowTitle(self.tr("忘记密码"))
        layout = QVBoxLayout(self)
        steps = QLabel(self.tr(
            "1. 写出“找回申请”文件，用U盘交给县里；\n"
            "2. 县里回一个“答复”文件，并电话告知找回码；\n"
            "3. 选择答复文件，填写找回码，设置新密码。"))
        steps.setWordWrap(True)
        layout.addWidget(steps)
        write = QPushButton(self.tr("写出找回申请…"))
        write.clicked.connect(self._write_request)
        layout.addWidget(write)
        form = QFormLayout()
        pick = QHBoxLayout()
        self.answer = QLineEdit()
        choose = QPushButton(self.tr("选择…"))
        choose.clicked.connect(self._choose_answer)
        pick.addWidget(self.answer, 1)
        pick.addWidget(choose)
        form.addRow(self.tr("县里的答复"), pick)
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        form.addRow(self.tr("找回码"), self.code)
        self.cadre = QComboBox()
        slots = KeySlots.load(folder)
        for cadre in slots.cadres() if slots else []:
            self.cadre.addItem(cadre.name, cadre.id)
        form.addRow(self.tr("干部"), self.cadre)
        self.password = password_edit()
        self.again = password_edit()
        form.addRow(self.tr("新密码"), self.password)
        form.addRow(self.tr("再输一遍"), self.again)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        self.go = QPushButton(self.tr("找回并登录"))
        self.go.clicked.connect(self.submit)
        row.addWidget(cancel)
        row.addWidget(self.go)
        layout.addLayout(row)

    def _write_request(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("写出找回申请"), str(Path.home() / "找回申请.fvr"),
            self.tr("找回申请 (*.fvr)"))
        if name:
            self.write_request(Path(name))

    def write_request(self, path: Path) -> None:
        try:
            path.write_bytes(recovery.request(KeySlots.required(self.folder)))
        except FieldVisitError as error:
            self._refuse(error.zh)

    def _choose_answer(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, self.tr("县里的答复"), "",
                                                    self.tr("答复 (*.fva);;所有文件 (*)"))
        if name:
            self.answer.setText(name)

    def submit(self) -> None:
        if self.password.text() != self.again.text():
            self._refuse(self.tr("两次输入的密码不一样"))
            return
        try:
            slots = KeySlots.required(self.folder)
            data_key = recovery.accept(slots, recovery.read_file(Path(self.answer.text())),
                                       self.code.text())
            unlocked = vault_folder.recovered(self.folder, slots, data_key,
                                              self.cadre.currentData())
            unlocked.change_password(unlocked.cadre.id, self.password.text())
        except FieldVisitError as error:
            self._refuse(error.zh)
            return
        self.unlocked = unlocked
        self.accept()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
