"""Locking the app when the cadre walks away: after an idle time, and on suspend.

Every open window gets an opaque cover over its whole area, so neither the roster nor an
open visit shows through; the cover on the window in front asks for the password. The
windows themselves stay as they are underneath (an open visit keeps its answers, which
were saved as they were given), so unlocking puts the cadre back where they were.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.errors import FieldVisitError
from fieldvisit.qt import preferences
from fieldvisit.qt.dialog_parts import error_label
from fieldvisit.qt.login_dialog import password_edit
from fieldvisit.qt.workers import Worker
from fieldvisit.vault.folder import Unlocked

CHECK_MS = 15_000  # how often the idle time is looked at
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
          QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class Cover(QWidget):
    """An opaque sheet over one window; the one in front carries the password box."""

    def __init__(self, window: QWidget, locker: Locker, asks: bool) -> None:
        super().__init__(window)
        self.asks = asks
        self.setObjectName("lock_cover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # paint it, opaque
        self.setStyleSheet("#lock_cover { background: #2c3e50; } QLabel { color: white; }")
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(self.tr("已锁定"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 20pt;")
        layout.addWidget(self.title)
        self.password = password_edit()
        self.error = error_label()
        if asks:
            who = QLabel(self.tr("{name}，请输入密码解锁").format(name=locker.unlocked.cadre.name))
            who.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(who)
            row = QHBoxLayout()
            row.addStretch(1)
            self.password.setFixedWidth(260)
            row.addWidget(self.password)
            self.go = QPushButton(self.tr("解锁"))
            self.go.clicked.connect(locker.try_unlock)
            self.password.returnPressed.connect(locker.try_unlock)
            row.addWidget(self.go)
            row.addStretch(1)
            layout.addLayout(row)
            layout.addWidget(self.error, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self.show()
        self.raise_()
        if asks:
            self.password.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


class Locker(QObject):
    """Watches the application's input; locks after ``idle_ms`` without any (default:
    设置 → 无操作自动锁定, read at every check, so a change applies at once)."""

    def __init__(self, unlocked: Unlocked, idle_ms: int | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.unlocked = unlocked
        self.idle_ms = idle_ms
        self.covers: list[Cover] = []
        self.last_input = time.monotonic()
        self.timer = QTimer(self)
        self.timer.setInterval(min(idle_ms or CHECK_MS, CHECK_MS))
        self.timer.timeout.connect(self._check)
        self._worker: Worker | None = None
        app = QApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.installEventFilter(self)
        app.applicationStateChanged.connect(self._state_changed)
        self.timer.start()

    @property
    def locked(self) -> bool:
        return bool(self.covers)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self.last_input = time.monotonic()
        return False

    def limit_ms(self) -> int:
        if self.idle_ms is not None:
            return self.idle_ms
        return preferences.load(self.unlocked.store).lock_minutes * 60_000

    def _check(self) -> None:
        if not self.locked and (time.monotonic() - self.last_input) * 1000 >= self.limit_ms():
            self.lock()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            self.lock()

    def lock(self) -> None:
        if self.locked:
            return
        front = QApplication.activeModalWidget() or QApplication.activeWindow()
        windows = [w for w in QApplication.topLevelWidgets()
                   if w.isVisible() and w.isWindow() and not isinstance(w, Cover)]
        if front is None and windows:
            front = windows[0]
        self.covers = [Cover(window, self, window is front) for window in windows]

    def try_unlock(self) -> None:
        cover = next(c for c in self.covers if c.asks)
        password = cover.password.text()
        cover.go.setEnabled(False)
        cadre = self.unlocked.cadre.id
        worker = Worker(lambda _p, _c: self.unlocked.slots.unlock(cadre, password), self)
        worker.succeeded.connect(lambda _result: self.unlock())
        worker.failed.connect(lambda error: self._refused(cover, error))
        worker.done.connect(lambda: cover.go.setEnabled(True))
        self._worker = worker
        worker.start()

    def _refused(self, cover: Cover, error: BaseException) -> None:
        if not isinstance(error, FieldVisitError):
            raise error
        cover.error.setText(error.zh)
        cover.error.show()
        cover.password.selectAll()

    def unlock(self) -> None:
        if self._worker is not None:
            self._worker.wait()  # it has reported; its thread ends at once
        for cover in self.covers:
            cover.deleteLater()
        self.covers = []
        self.last_input = time.monotonic()
