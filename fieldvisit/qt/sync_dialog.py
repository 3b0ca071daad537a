"""同步: enrolling this laptop with the county, exporting a sync bundle onto a USB stick, and
importing the county's return bundle.

Three small dialogs over ``fieldvisit.sync.laptop``; each runs its step in a Worker (the
Argon2id of enrollment, encrypting and reading back a bundle, applying a return bundle in
one transaction) and ends by saying plainly what happened and what to do next. A laptop
that is not enrolled keeps working on its own; the export and import dialogs then say that
enrollment comes first and offer it (``enroll_requested``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QStorageInfo, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from fieldvisit.qt.workers import Cancelled, JobFunction, Progress, Worker
from fieldvisit.roster import queries
from fieldvisit.store import Store
from fieldvisit.store.models import Village
from fieldvisit.sync import laptop
from fieldvisit.sync.errors import SyncError
from fieldvisit.sync.laptop import Enrollment, Exported, Imported

# Where Linux desktops and macOS mount USB sticks; Windows says so per drive letter.
REMOVABLE_ROOTS = ("/media/", "/run/media/", "/Volumes/")
_DRIVE_REMOVABLE = 2  # GetDriveTypeW


def _fill(text: str, *values: object) -> str:
    """Put values into a translated text's %1, %2 … (Qt's own arg() is not in PySide6)."""
    for number in range(len(values), 0, -1):  # %10 before %1
        text = text.replace(f"%{number}", str(values[number - 1]))
    return text


def size_text(size: int) -> str:
    if size >= 1024 ** 3:
        return f"{size / 1024 ** 3:.1f} GB"
    if size >= 1024 ** 2:
        return f"{size / 1024 ** 2:.0f} MB"
    return f"{max(size, 0) / 1024:.0f} KB"


# What the laptop knows about sync --------------------------------------------------------------

@dataclass(frozen=True)
class SyncState:
    enrollment: Enrollment | None
    village_name: str
    pending: int  # own changes the county has not acknowledged yet


def sync_state(store: Store) -> SyncState:
    with store.reading() as conn:
        state = laptop.enrollment(conn)
        if state is None:
            return SyncState(None, "", 0)
        name = conn.execute(select(Village.name).where(Village.code == state.village)
                            ).scalar_one_or_none() or ""
        pending = laptop.unacknowledged(conn)
    return SyncState(state, name, pending)


def status_text(state: SyncState) -> str:
    """One line: 已注册 村 / 设备 / 待县里确认的修改 N 条, or 未注册."""
    if state.enrollment is None:
        return QCoreApplication.translate("SyncStatus", "未注册到县里（单机使用）")
    village = state.enrollment.village
    place = f"{state.village_name}（{village}）" if state.village_name else village
    text = _fill(QCoreApplication.translate(
        "SyncStatus", "已注册：%1 · 设备 %2 · 待县里确认的修改 %3 条"),
        place, state.enrollment.device, state.pending)
    if not state.enrollment.activated:
        text += QCoreApplication.translate("SyncStatus", " · 待县里激活")
    return text


# USB sticks ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Drive:
    """A place to write a bundle: a USB stick found by the system, or a folder chosen."""

    name: str
    root: Path
    free: int
    removable: bool


class _Volume(Protocol):  # what QStorageInfo answers (tests pass stand-ins)
    def rootPath(self) -> str: ...
    def displayName(self) -> str: ...
    def isReady(self) -> bool: ...
    def isValid(self) -> bool: ...
    def isReadOnly(self) -> bool: ...
    def bytesAvailable(self) -> int: ...


def is_removable(root: str) -> bool:
    if sys.platform == "win32":
        import ctypes

        return ctypes.windll.kernel32.GetDriveTypeW(root) == _DRIVE_REMOVABLE  # type: ignore[attr-defined]
    return root.startswith(REMOVABLE_ROOTS)


def removable_drives(volumes: Iterable[_Volume] | None = None,
                     removable: Callable[[str], bool] = is_removable) -> list[Drive]:
    """Mounted, writable USB sticks (and card readers), by name."""
    found = []
    for volume in QStorageInfo.mountedVolumes() if volumes is None else volumes:
        root = volume.rootPath()
        if (volume.isValid() and volume.isReady() and not volume.isReadOnly()
                and removable(root)):
            found.append(Drive(volume.displayName() or root, Path(root),
                               volume.bytesAvailable(), True))
    return sorted(found, key=lambda drive: (drive.name.lower(), str(drive.root)))


def chosen_folder(path: str | Path) -> Drive:
    folder = Path(path)
    return Drive(folder.name or str(folder), folder, QStorageInfo(str(folder)).bytesAvailable(),
                 False)


def find_return_bundles(device: str, folders: Iterable[Path]) -> list[Path]:
    """This laptop's return bundles in ``folders`` and their subfolders one level down,
    oldest first (their names end with the time the county wrote them)."""
    pattern = f"*_{device}_return_*.fvb"
    found: list[Path] = []
    for folder in folders:
        try:
            places = [folder, *(p for p in folder.iterdir() if p.is_dir())]
            for place in places:
                found.extend(p for p in place.glob(pattern) if p.is_file())
        except OSError:  # a stick pulled out, a folder we may not read
            continue
    return sorted(set(found), key=lambda p: p.name)


def _start_folder() -> str:
    drives = removable_drives()
    return str(drives[0].root) if drives else str(Path.home())


# Running a step ----------------------------------------------------------------------------------

class SyncJob(QWidget):
    """The step a sync dialog runs: what is happening, a progress bar, and the outcome.

    ``finished_step`` fires after the worker's thread has ended, with "succeeded", "failed"
    or "cancelled"; ``succeeded`` hands the job's result over before that.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    finished_step = Signal(str)

    def __init__(self, english: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._english = english
        self._worker: Worker | None = None
        self._outcome = ""
        self.message = QLabel()
        self.message.setObjectName("stage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)

    def run(self, job: JobFunction, text: str) -> None:
        assert self._worker is None, "one step at a time"
        self.message.setText(text)
        self.bar.setRange(0, 0)  # busy until the job reports a total
        self.bar.setVisible(True)
        self._worker = Worker(job, self)
        self._worker.progress.connect(self._progressed)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        self._worker.cancelled.connect(self._cancelled)
        self._worker.done.connect(self._worker_done)
        self._worker.start()

    def is_busy(self) -> bool:
        return self._worker is not None

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self.message.setText(self.tr("正在取消…"))

    def stop(self) -> None:
        """Wait for a running step (cancelling it if it can be): a closing dialog must not
        leave a thread behind, nor cut an import's transaction short."""
        if self._worker is not None:
            self._worker.cancel()
            self._worker.wait()

    def explain(self, error: BaseException) -> str:
        if isinstance(error, SyncError):
            return error.en if self._english else error.zh
        if isinstance(error, OSError):
            return _fill(self.tr("无法读写文件：%1（U 盘是否已拔出或写满？）"),
                         error.strerror or str(error))
        return _fill(self.tr("出错了：%1"), str(error))

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.progressed.emit(done, total)

    def _succeeded(self, result: Any) -> None:
        self._outcome = "succeeded"
        if self.bar.maximum() == 0:
            self.bar.setRange(0, 1)
        self.bar.setValue(self.bar.maximum())
        self.succeeded.emit(result)

    def _failed(self, error: Exception) -> None:
        self._outcome = "failed"
        self.message.setText(self.explain(error))
        self.message.setProperty("severity", "error")
        self._restyle()

    def _cancelled(self) -> None:
        self._outcome = "cancelled"
        self.message.setText(self.tr("已取消，没有写入任何文件。"))

    def _worker_done(self) -> None:
        if self._worker is not None:
            self._worker.wait()
            self._worker.deleteLater()
        self._worker = None
        if self._outcome != "succeeded":
            self.bar.setVisible(False)
        self.finished_step.emit(self._outcome)

    def clear_severity(self) -> None:
        self.message.setProperty("severity", None)
        self._restyle()

    def _restyle(self) -> None:
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)


def _grow_to_fit(dialog: QDialog) -> None:
    """Make room for a summary that just appeared: wrapped labels need height for the
    dialog's width, which Qt does not grow a shown dialog by on its own."""
    layout = dialog.layout()
    layout.activate()
    needed = (layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


def _result_label() -> QLabel:
    label = QLabel()
    label.setObjectName("import_summary")  # the white summary box of the import dialog
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setVisible(False)
    return label


class _Stopped(Exception):
    """Raised from the progress callback when the user cancels an export."""


# 注册到县里 ------------------------------------------------------------------------------------

class EnrollDialog(QDialog):
    """The county's enrollment file (.fve) and the activation code read out by phone →
    ``laptop.enroll`` in a worker → this laptop holds the village roster and its identity.

    ``enrolled`` fires once it is done (the main window reloads); ``finished_step`` after
    each attempt: "enrolled" or "failed".
    """

    enrolled = Signal()
    finished_step = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None,
                 english: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("注册到县里"))
        self.resize(640, 0)
        self._store = store
        self.result: Enrollment | None = None

        intro = QLabel(self.tr(
            "县里为本机生成注册文件（.fve）后，会电话告知 16 位激活码。"
            "选择注册文件、输入激活码，然后点“注册”。注册后本机会收到本村的花名册，"
            "以后的修改通过 U 盘上的同步包交给县里。"))
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("县里发的注册文件（.fve）"))
        self.path_edit.textChanged.connect(self._update_buttons)
        browse = QPushButton(self.tr("选择文件…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        self.code_edit.setMaxLength(24)
        self.code_edit.textEdited.connect(self._code_edited)
        self.code_hint = QLabel(self.tr("激活码由数字 2–9 和字母组成（没有 0、1、I、O），"
                                        "不分大小写，短横线可不输。"))
        self.code_hint.setObjectName("hint")
        self.code_hint.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("注册文件：")), 0, 0)
        grid.addWidget(self.path_edit, 0, 1)
        grid.addWidget(browse, 0, 2)
        grid.addWidget(QLabel(self.tr("激活码：")), 1, 0)
        grid.addWidget(self.code_edit, 1, 1, 1, 2)
        grid.addWidget(self.code_hint, 2, 1, 1, 2)
        grid.setColumnStretch(1, 1)

        self.job = SyncJob(english, self)
        self.job.succeeded.connect(self._enrolled)
        self.job.finished_step.connect(self._step_done)
        self.summary = _result_label()
        self.enroll_button = QPushButton(self.tr("注册"))
        self.enroll_button.setObjectName("primary")
        self.enroll_button.setDefault(True)
        self.enroll_button.clicked.connect(self.start)
        self.close_button = QPushButton(self.tr("取消"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.enroll_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.job)
        layout.addWidget(self.summary)
        layout.addStretch()
        layout.addLayout(buttons)

        state = sync_state(store)
        self._already = state.enrollment is not None
        if self._already:
            self.job.message.setText(_fill(self.tr("本机已经注册：%1"), status_text(state)))
        self._update_buttons()

    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))

    def set_code(self, code: str) -> None:
        self.code_edit.setText(code)
        self._update_buttons()

    def code_complete(self) -> bool:
        return sum(ch.isalnum() for ch in self.code_edit.text()) == 16

    def start(self) -> None:
        if not self.enroll_button.isEnabled():
            return
        store = self._store
        path = Path(self.path_edit.text().strip())
        code = self.code_edit.text()

        def enroll(_progress: Progress, _cancelled: Cancelled) -> tuple[Enrollment, int]:
            state = laptop.enroll(store, path, code)
            with store.reading() as conn:
                return state, queries.household_count(conn)

        self.job.clear_severity()
        self.summary.setVisible(False)
        self.job.run(enroll, self.tr("正在核对激活码并载入本村花名册…"))
        self._update_buttons()

    def _enrolled(self, result: tuple[Enrollment, int]) -> None:
        self.result, households = result
        state = sync_state(self._store)
        place = (f"{state.village_name}（{self.result.village}）" if state.village_name
                 else self.result.village)
        self.job.message.setText(self.tr("注册完成。"))
        self.summary.setText(_fill(self.tr(
            "本机已注册到 %1，设备编号 %2；本村花名册已载入，共 %3 户。\n\n"
            "下一步：照常走访、修改；需要交给县里时，用“同步 → 导出同步包…”写到 U 盘。"
            "县里收到本机第一个同步包后，本机即激活。"), place, self.result.device, households))
        self.summary.setVisible(True)
        _grow_to_fit(self)
        self.enrolled.emit()

    def _step_done(self, outcome: str) -> None:
        self._update_buttons()
        _grow_to_fit(self)
        self.finished_step.emit("enrolled" if outcome == "succeeded" else "failed")

    def _code_edited(self, text: str) -> None:
        upper = text.upper()
        if upper != text:
            position = self.code_edit.cursorPosition()
            self.code_edit.setText(upper)
            self.code_edit.setCursorPosition(position)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job.is_busy()
        done = self.result is not None or self._already
        self.enroll_button.setEnabled(not busy and not done and self.code_complete()
                                      and bool(self.path_edit.text().strip()))
        self.path_edit.setEnabled(not busy and not done)
        self.code_edit.setEnabled(not busy and not done)
        self.close_button.setEnabled(not busy)  # Argon2id takes a moment; it cannot stop
        self.close_button.setText(self.tr("关闭") if done else self.tr("取消"))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择注册文件"), self.path_edit.text() or _start_folder(),
            self.tr("注册文件 (*.fve);;所有文件 (*)"))
        if path:
            self.set_path(path)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        _grow_to_fit(self)

    def reject(self) -> None:
        self.job.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.job.stop()
        super().closeEvent(event)


# 导出同步包 --------------------------------------------------------------------------------------

class ExportDialog(QDialog):
    """Choose a USB stick (or a folder) → ``laptop.export_bundle`` in a worker, with progress
    and 取消 → where the bundle is, what it holds, and what to do with the stick.

    ``finished_step``: "exported", "failed" or "cancelled". ``enroll_requested`` when a
    laptop that is not enrolled asks to enroll first.
    """

    finished_step = Signal(str)
    enroll_requested = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None,
                 english: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出同步包"))
        self.resize(760, 0)
        self._store = store
        self._state = sync_state(store)
        self._destinations: list[Drive] = []
        self._chosen: Drive | None = None
        self._target: Drive | None = None
        self.result: Exported | None = None
        self.pending_after = 0

        self.status = QLabel(status_text(self._state))
        self.status.setWordWrap(True)
        intro = QLabel(self.tr(
            "同步包里有本机所有县里还没确认的修改和照片，已签名并加密，只有县里能打开。"))
        intro.setObjectName("hint")
        intro.setWordWrap(True)

        self.place_box = QGroupBox(self.tr("写到哪里"))
        self.drive_list = QListWidget()
        self.drive_list.setObjectName("drives")
        self.drive_list.setMinimumHeight(96)
        self.drive_list.setMaximumHeight(112)  # a few sticks; the summary gets the room
        self.drive_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(lambda: self.refresh_drives())
        other = QPushButton(self.tr("选择其他文件夹…"))
        other.clicked.connect(self._browse)
        for button in (refresh, other):
            button.setAutoDefault(False)
        side = QVBoxLayout()
        side.addWidget(refresh)
        side.addWidget(other)
        side.addStretch()
        place = QHBoxLayout(self.place_box)
        place.addWidget(self.drive_list, 1)
        place.addLayout(side)

        self.job = SyncJob(english, self)
        self.job.succeeded.connect(self._exported)
        self.job.progressed.connect(self._written)
        self.job.finished_step.connect(self._step_done)
        self.job.bar.setFormat("%p%")
        self.summary = _result_label()

        self.export_button = QPushButton(self.tr("导出同步包"))
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.start)
        self.enroll_button = QPushButton(self.tr("注册到县里…"))
        self.enroll_button.setObjectName("primary")
        self.enroll_button.clicked.connect(self._enroll_first)
        self.close_button = QPushButton(self.tr("取消"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.enroll_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(intro)
        layout.addWidget(self.place_box)
        layout.addWidget(self.job)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

        enrolled = self._state.enrollment is not None
        self.enroll_button.setVisible(not enrolled)
        self.export_button.setVisible(enrolled)
        (self.export_button if enrolled else self.enroll_button).setDefault(True)
        if enrolled:
            self.refresh_drives()
        else:
            intro.setVisible(False)
            self.place_box.setVisible(False)
            self.job.message.setText(self.tr(
                "本机还没有注册到县里，所以还不能导出同步包。单机使用不受影响；"
                "要与县里同步，请先用县里发的注册文件（.fve）和电话告知的激活码注册。"))
        self._update_buttons()

    # Destinations -------------------------------------------------------------------------

    def refresh_drives(self, drives: list[Drive] | None = None) -> None:
        """List the USB sticks now (and a folder chosen before); keep the choice."""
        previous = self.destination()
        found = removable_drives() if drives is None else drives
        self._destinations = list(found)
        if self._chosen is not None:
            self._destinations.append(self._chosen)
        self.drive_list.clear()
        for drive in self._destinations:
            QListWidgetItem(self._drive_text(drive), self.drive_list)
        if not found:
            hint = QListWidgetItem(self.tr("没有找到 U 盘：请插入 U 盘后点“刷新”，"
                                           "或选择其他文件夹。"))
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.drive_list.insertItem(0, hint)
            self._destinations.insert(0, Drive("", Path(), 0, False))
        rows = [i for i, d in enumerate(self._destinations) if d.name]
        keep = [i for i in rows if previous and self._destinations[i].root == previous.root]
        if keep or rows:
            self.drive_list.setCurrentRow((keep or rows)[0])
        self._update_buttons()

    def set_folder(self, folder: str | Path) -> None:
        """Write into ``folder`` (what 选择其他文件夹… does)."""
        self._chosen = chosen_folder(folder)
        self.refresh_drives([d for d in self._destinations if d.removable])
        self.drive_list.setCurrentRow(len(self._destinations) - 1)

    def destination(self) -> Drive | None:
        row = self.drive_list.currentRow()
        if 0 <= row < len(self._destinations) and self._destinations[row].name:
            return self._destinations[row]
        return None

    def _drive_text(self, drive: Drive) -> str:
        if not drive.removable:
            return _fill(self.tr("文件夹 %1（剩余 %2）"), drive.root, size_text(drive.free))
        return _fill(self.tr("U 盘 %1 — %2（剩余 %3）"), drive.name, drive.root,
                     size_text(drive.free))

    # Export -------------------------------------------------------------------------------

    def start(self) -> None:
        target = self.destination()
        if target is None or self.job.is_busy():
            return
        store = self._store

        def export(progress: Progress, cancelled: Cancelled) -> tuple[Exported, int]:
            def report(done: int, total: int) -> None:
                if cancelled():
                    raise _Stopped  # leaves no file: the bundle is written crash-safe
                progress(done, total)

            exported = laptop.export_bundle(store, target.root, report)
            return exported, sync_state(store).pending

        self._target = target
        self.job.clear_severity()
        self.summary.setVisible(False)
        self.job.run(export, _fill(self.tr("正在写入同步包到 %1 …"), target.root))
        self._update_buttons()

    def cancel(self) -> None:
        if self.job.is_busy():
            self.job.cancel()
        else:
            self.reject()

    def _written(self, done: int, total: int) -> None:
        if total and done >= total:
            self.job.message.setText(self.tr("正在读回校验写入的文件…"))

    def _exported(self, result: tuple[Exported, int]) -> None:
        self.result, self.pending_after = result
        exported, target = self.result, self._target
        assert target is not None
        self.job.message.setText(self.tr("导出完成，已校验。"))
        if target.removable:
            where = _fill(self.tr("同步包已写入 U 盘 %1（%2）：\n%3"), target.name, target.root,
                          exported.path.name)
            next_step = self.tr("请安全弹出 U 盘，交到乡镇/县里导入；县里返回回执包后，"
                                "用“同步 → 导入回执包…”导入。")
        else:
            where = _fill(self.tr("同步包已写入文件夹 %1：\n%2"), exported.path.parent,
                          exported.path.name)
            next_step = self.tr("请把这个文件复制到 U 盘，交到乡镇/县里导入；县里返回回执包后，"
                                "用“同步 → 导入回执包…”导入。")
        lines = [where,
                 _fill(self.tr("共 %1 条修改、%2 张照片；文件已读回校验无误（SHA-256 %3…）。"),
                       exported.changes, exported.attachments, exported.sha256[:12]),
                 "", next_step, ""]
        if self._state.enrollment is not None and not self._state.enrollment.activated:
            lines.append(self.tr("这是本机交给县里的第一个同步包：县里导入后，本机即激活。"))
        lines.append(_fill(self.tr("本机现有 %1 条修改待县里确认；"
                                   "县里导入后返回的回执包会确认它们。"), self.pending_after))
        self.summary.setText("\n".join(lines))
        self.summary.setVisible(True)
        _grow_to_fit(self)
        self._state = sync_state(self._store)
        self.status.setText(status_text(self._state))

    def _step_done(self, outcome: str) -> None:
        self._update_buttons()
        _grow_to_fit(self)
        self.finished_step.emit({"succeeded": "exported"}.get(outcome, outcome))

    def _update_buttons(self) -> None:
        busy = self.job.is_busy()
        self.export_button.setEnabled(not busy and self.result is None
                                      and self.destination() is not None)
        self.place_box.setEnabled(not busy)
        self.close_button.setText(self.tr("取消") if busy or self.result is None
                                  else self.tr("关闭"))

    def _browse(self) -> None:
        current = self.destination()
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("选择保存同步包的文件夹"),
            str(current.root) if current else str(Path.home()))
        if folder:
            self.set_folder(folder)

    def _enroll_first(self) -> None:
        self.accept()
        self.enroll_requested.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        _grow_to_fit(self)

    def reject(self) -> None:
        self.job.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.job.stop()
        super().closeEvent(event)


# 导入回执包 --------------------------------------------------------------------------------------

class ReturnImportDialog(QDialog):
    """The county's return bundle (found on a USB stick, or chosen) → ``laptop.import_return``
    in a worker → what changed here, and which own edits wait for the county's decision.

    ``imported`` fires after changes were applied (the main window reloads);
    ``finished_step``: "imported" or "failed". ``enroll_requested`` as in ExportDialog.
    """

    imported = Signal()
    finished_step = Signal(str)
    enroll_requested = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None,
                 english: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入回执包"))
        self.resize(760, 0)
        self._store = store
        self._state = sync_state(store)
        self.result: Imported | None = None
        self.pending_after = 0

        self.status = QLabel(status_text(self._state))
        self.status.setWordWrap(True)
        intro = QLabel(self.tr(
            "回执包是县里导入本机同步包后返回的文件（.fvb），带回县里的确认、"
            "县里和其他人对本村的修改。"))
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("县里返回的回执包（.fvb）"))
        self.path_edit.textChanged.connect(self._path_changed)
        self.browse_button = QPushButton(self.tr("选择文件…"))
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self._browse)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("回执包：")))
        chooser.addWidget(self.path_edit, 1)
        chooser.addWidget(self.browse_button)

        self.job = SyncJob(english, self)
        self.job.succeeded.connect(self._imported)
        self.job.finished_step.connect(self._step_done)
        self.summary = _result_label()
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.start)
        self.enroll_button = QPushButton(self.tr("注册到县里…"))
        self.enroll_button.setObjectName("primary")
        self.enroll_button.clicked.connect(self._enroll_first)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.enroll_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(intro)
        layout.addLayout(chooser)
        layout.addWidget(self.job)
        layout.addWidget(self.summary)
        layout.addStretch()
        layout.addLayout(buttons)

        enrolled = self._state.enrollment
        self.enroll_button.setVisible(enrolled is None)
        self.import_button.setVisible(enrolled is not None)
        (self.enroll_button if enrolled is None else self.import_button).setDefault(True)
        if enrolled is None:
            for widget in (intro, self.path_edit, self.browse_button):
                widget.setVisible(False)
            chooser.itemAt(0).widget().setVisible(False)
            self.job.message.setText(self.tr(
                "本机还没有注册到县里，所以没有回执包可导入。单机使用不受影响；"
                "要与县里同步，请先用县里发的注册文件（.fve）和电话告知的激活码注册。"))
        else:
            self._look_on_drives(enrolled.device)
        self._update_buttons()

    def _look_on_drives(self, device: str) -> None:
        found = find_return_bundles(device, [d.root for d in removable_drives()])
        if found:
            self.set_path(found[-1])
            self.job.message.setText(_fill(self.tr("在 U 盘上找到本机的回执包：%1"),
                                           found[-1].name))
        else:
            self.job.message.setText(self.tr("请插入带回执包的 U 盘，然后点“选择文件…”。"))

    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))

    def start(self) -> None:
        if not self.import_button.isEnabled():
            return
        store = self._store
        path = Path(self.path_edit.text().strip())

        def receive(_progress: Progress, _cancelled: Cancelled) -> tuple[Imported, int]:
            imported = laptop.import_return(store, path)
            return imported, sync_state(store).pending

        self.job.clear_severity()
        self.summary.setVisible(False)
        self.job.run(receive, _fill(self.tr("正在核对并导入“%1”…请不要拔出 U 盘。"), path.name))
        self._update_buttons()

    def _imported(self, result: tuple[Imported, int]) -> None:
        self.result, self.pending_after = result
        applied = self.result.applied
        self.job.message.setText(self.tr("回执包已导入。"))
        lines = []
        received = [_fill(self.tr("新增 %1 条记录"), applied.inserted)] if applied.inserted else []
        if applied.updated:
            received.append(_fill(self.tr("更新 %1 项内容"), applied.updated))
        lines.append(_fill(self.tr("收到县里的修改：%1（包括县里和其他人对本村的修改）。"),
                           self.tr("，").join(received)) if received
                     else self.tr("县里没有新的修改。"))
        if self.result.kept_local:
            lines.append(_fill(self.tr(
                "有 %1 项本机的修改县里还没确认，这些内容保留本机填写的，"
                "等县里决定后随以后的回执包送回。"), self.result.kept_local))
        lines.append(self.tr("本机的修改县里已全部确认。") if self.pending_after == 0 else
                     _fill(self.tr("本机还有 %1 条修改待县里确认：下次导出同步包时会一并带上。"),
                           self.pending_after))
        self.summary.setText("\n".join(lines))
        self.summary.setVisible(True)
        _grow_to_fit(self)
        self._state = sync_state(self._store)
        self.status.setText(status_text(self._state))
        self.imported.emit()

    def _step_done(self, outcome: str) -> None:
        self._update_buttons()
        _grow_to_fit(self)
        self.finished_step.emit("imported" if outcome == "succeeded" else "failed")

    def _path_changed(self) -> None:
        if not self.job.is_busy():
            self.result = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job.is_busy()
        self.import_button.setEnabled(not busy and self.result is None
                                      and bool(self.path_edit.text().strip()))
        self.path_edit.setEnabled(not busy)
        self.browse_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)  # one transaction: it finishes or not at all

    def _browse(self) -> None:
        current = self.path_edit.text().strip()
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择回执包"), str(Path(current).parent) if current else _start_folder(),
            self.tr("回执包 (*.fvb);;所有文件 (*)"))
        if path:
            self.set_path(path)

    def _enroll_first(self) -> None:
        self.accept()
        self.enroll_requested.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        _grow_to_fit(self)

    def reject(self) -> None:
        self.job.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.job.stop()
        super().closeEvent(event)
