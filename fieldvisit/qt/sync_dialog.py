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
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.qt import i18n
from fieldvisit.qt.job_progress import JobProgress, failure_text
from fieldvisit.qt.ops import Ops
from fieldvisit.qt.workers import Cancelled, JobFunction, Progress
from fieldvisit.roster import queries
from fieldvisit.store import Store
from fieldvisit.sync import laptop, network
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
    county_name: str = ""  # as the enrollment file named it ('' from older files)


def sync_state(store: Store) -> SyncState:
    state = laptop.enrollment(store.meta)
    if state is None:
        return SyncState(None, "", 0)
    with store.reading() as conn:
        name = queries.village_name(conn, state.village)
    return SyncState(state, name, laptop.unacknowledged(store), store.meta.sync_county_name)


def status_text(state: SyncState) -> str:
    """One line a cadre can read: 已注册到 县：村 · 待县里确认的修改 N 条, or 未注册. The
    device id means nothing to the cadre; ``device_text`` says it where the county asks."""
    if state.enrollment is None:
        return QCoreApplication.translate("SyncStatus", "未注册到县里（单机使用）")
    village = state.enrollment.village
    place = f"{state.village_name}（{village}）" if state.village_name else village
    county = state.county_name or QCoreApplication.translate("SyncStatus", "县里")
    text = _fill(QCoreApplication.translate(
        "SyncStatus", "已注册到%1：%2 · 待县里确认的修改 %3 条"),
        county, place, state.pending)
    if not state.enrollment.activated:
        text += QCoreApplication.translate("SyncStatus", " · 待县里激活")
    return text


def device_text(state: SyncState) -> str:
    """This laptop's device id, for when the county asks which laptop this is."""
    if state.enrollment is None:
        return ""
    return _fill(QCoreApplication.translate(
        "SyncStatus", "本机的设备编号：%1（县里核对、回执包的文件名用它）"),
        state.enrollment.device)


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


# What the sync dialogs share ---------------------------------------------------------------------

def _explain(error: Exception) -> str:
    """A failed step in the user's words: sync's own reasons, a USB stick's troubles."""
    if isinstance(error, SyncError):
        return error.en if i18n.english() else error.zh
    if isinstance(error, OSError):
        return _fill(QCoreApplication.translate(
            "SyncJob", "无法读写文件：%1（U 盘是否已拔出或写满？）"), error.strerror or str(error))
    return failure_text(error)


def _grow_to_fit(dialog: QDialog) -> None:
    """Make room for a summary that just appeared: wrapped labels need height for the
    dialog's width, which Qt does not grow a shown dialog by on its own."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = (layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


def _label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def _button(text: str, slot: Callable[[], Any], primary: bool = False) -> QPushButton:
    """A dialog's button; Enter presses only the primary ones."""
    button = QPushButton(text)
    if primary:
        button.setObjectName("primary")
    else:
        button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


class _SyncDialog(QDialog):
    """A sync dialog: its step (``job``, which 取消 only through the dialog's own button),
    the summary it ends with, a row of buttons, and closing only once the step stopped.

    ``finished_step`` fires after each attempt: the success's own word ("enrolled" …),
    "failed" or "cancelled".
    """

    finished_step = Signal(str)

    def __init__(self, ops: Ops, parent: QWidget | None, width: int) -> None:
        super().__init__(parent)
        self.resize(width, 0)
        self._ops = ops
        self._store = ops.store
        cancelled = QCoreApplication.translate("SyncJob", "已取消，没有写入任何文件。")
        self.job = JobProgress(self, cancelled_text=cancelled,
                               explain=_explain,
                               cancellable=False, idle_bar="after_success", mark_errors=True)
        self.job.done.connect(self._step_done)
        self.summary = _label(name="import_summary")  # the import dialog's white box
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setVisible(False)

    def _lay_out(self, parts: Iterable[QWidget | QLayout], buttons: Iterable[QPushButton],
                 stretch: bool = True) -> None:
        """``parts`` from the top, then the step and its summary, the buttons at the right."""
        layout = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        layout.addWidget(self.job)
        layout.addWidget(self.summary)
        if stretch:
            layout.addStretch()
        row = QHBoxLayout()
        row.addStretch()
        for button in buttons:
            row.addWidget(button)
        layout.addLayout(row)

    def _run(self, job: JobFunction, text: str, on_success: Callable[[Any], str]) -> None:
        self.summary.setVisible(False)
        self._ops.run(self.job, job, text, on_success)  # each step writes (meta at least)
        self._update_buttons()

    def _show_summary(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.setVisible(True)
        _grow_to_fit(self)

    def _step_done(self, outcome: str) -> None:
        self._update_buttons()
        _grow_to_fit(self)
        self.finished_step.emit(outcome)

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        _grow_to_fit(self)

    def reject(self) -> None:
        self.job.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.job.stop()
        super().closeEvent(event)


class _BundleDialog(_SyncDialog):
    """The export and import dialogs: the laptop's sync status on top, and on a laptop
    not enrolled yet 注册到县里… in place of the dialog's action (``enroll_requested``)."""

    enroll_requested = Signal()

    def __init__(self, ops: Ops, parent: QWidget | None) -> None:
        super().__init__(ops, parent, 760)
        self.received: Imported | None = None
        self._state = sync_state(ops.store)
        self.pending_after = 0
        self.status = _label(status_text(self._state), "sync_status")
        self.status.setToolTip(device_text(self._state))
        ops.changed.connect(self._refresh_status)  # the status line follows every write
        self.enroll_button = _button(self.tr("注册到县里…"), self._enroll_first, primary=True)

    def _offer_enrollment(self, action: QPushButton, hidden: Iterable[QWidget],
                          why: str) -> Enrollment | None:
        """The laptop's enrollment; without one, 注册到县里… stands in for ``action``,
        ``hidden`` is hidden and the step says ``why``."""
        enrolled = self._state.enrollment
        self.enroll_button.setVisible(enrolled is None)
        action.setVisible(enrolled is not None)
        (self.enroll_button if enrolled is None else action).setDefault(True)
        if enrolled is None:
            for widget in hidden:
                widget.setVisible(False)
            self.job.show_message(why)
        return enrolled

    def _imported(self, result: tuple[Imported, int]) -> str:
        """What a return bundle brought (from a USB stick or over the network)."""
        self.received, self.pending_after = result
        applied = self.received.applied
        self.job.show_message(self.tr("回执包已导入。"))
        lines = []
        received = [_fill(self.tr("新增 %1 条记录"), applied.inserted)] if applied.inserted else []
        if applied.updated:
            received.append(_fill(self.tr("更新 %1 项内容"), applied.updated))
        lines.append(_fill(self.tr("收到县里的修改：%1（包括县里和其他人对本村的修改）。"),
                           self.tr("，").join(received)) if received
                     else self.tr("县里没有新的修改。"))
        if self.received.kept_local:
            lines.append(_fill(self.tr(
                "有 %1 项本机的修改县里还没确认，这些内容保留本机填写的，"
                "等县里决定后随以后的回执包送回。"), self.received.kept_local))
        lines.append(self.tr("本机的修改县里已全部确认。") if self.pending_after == 0 else
                     _fill(self.tr("本机还有 %1 条修改待县里确认：下次导出同步包时会一并带上。"),
                           self.pending_after))
        self._show_summary("\n".join(lines))
        # a receipt alone writes no journal entry, so no broadcast says the count changed
        self._refresh_status()
        return "imported"

    def _refresh_status(self, _changed: object = None) -> None:
        self._state = sync_state(self._store)
        self.status.setText(status_text(self._state))
        self.status.setToolTip(device_text(self._state))

    def _enroll_first(self) -> None:
        self.accept()
        self.enroll_requested.emit()


class _Stopped(Exception):
    """Raised from the progress callback when the user cancels an export."""


# 注册到县里 ------------------------------------------------------------------------------------

class EnrollDialog(_SyncDialog):
    """The county's enrollment file (.fve) and the activation code read out by phone →
    ``laptop.enroll`` in a worker → this laptop holds the village roster and its identity.

    ``finished_step`` after each attempt: "enrolled" or "failed"; the village roster it
    brings reaches the screens by the op runner's broadcast.
    """

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent, 640)
        self.setWindowTitle(self.tr("注册到县里"))
        self.enrollment: Enrollment | None = None

        intro = _label(self.tr(
            "县里为本机生成注册文件（.fve）后，会电话告知 16 位激活码。"
            "选择注册文件、输入激活码，然后点“注册”。注册后本机会收到本村的花名册，"
            "以后的修改通过 U 盘上的同步包交给县里。"))
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("县里发的注册文件（.fve）"))
        self.path_edit.textChanged.connect(self._update_buttons)
        browse = _button(self.tr("选择文件…"), self._browse)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        self.code_edit.setMaxLength(24)
        self.code_edit.textEdited.connect(self._code_edited)
        self.code_hint = _label(self.tr("激活码由数字 2–9 和字母组成（没有 0、1、I、O），"
                                        "不分大小写，短横线可不输。"), "hint")
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("注册文件：")), 0, 0)
        grid.addWidget(self.path_edit, 0, 1)
        grid.addWidget(browse, 0, 2)
        grid.addWidget(QLabel(self.tr("激活码：")), 1, 0)
        grid.addWidget(self.code_edit, 1, 1, 1, 2)
        grid.addWidget(self.code_hint, 2, 1, 1, 2)
        grid.setColumnStretch(1, 1)

        self.enroll_button = _button(self.tr("注册"), self.start, primary=True)
        self.enroll_button.setDefault(True)
        self.close_button = _button(self.tr("取消"), self.reject)
        self._lay_out((intro, grid), (self.enroll_button, self.close_button))

        state = sync_state(ops.store)
        self._already = state.enrollment is not None
        if self._already:
            self.job.show_message(_fill(self.tr("本机已经注册：%1"), status_text(state)))
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

        self._run(enroll, self.tr("正在核对激活码并载入本村花名册…"), self._enrolled)

    def _enrolled(self, result: tuple[Enrollment, int]) -> str:
        self.enrollment, households = result
        state = sync_state(self._store)
        place = (f"{state.village_name}（{self.enrollment.village}）" if state.village_name
                 else self.enrollment.village)
        self.job.show_message(self.tr("注册完成。"))
        self._show_summary(_fill(self.tr(
            "本机已注册到 %1，设备编号 %2；本村花名册已载入，共 %3 户。\n\n"
            "下一步：照常走访、修改；需要交给县里时，用“同步 → 导出同步包…”写到 U 盘。"
            "县里收到本机第一个同步包后，本机即激活。"), place, self.enrollment.device, households))
        return "enrolled"

    def _code_edited(self, text: str) -> None:
        upper = text.upper()
        if upper != text:
            position = self.code_edit.cursorPosition()
            self.code_edit.setText(upper)
            self.code_edit.setCursorPosition(position)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job.is_busy()
        done = self.enrollment is not None or self._already
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


# 导出同步包 --------------------------------------------------------------------------------------

class ExportDialog(_BundleDialog):
    """Choose a USB stick (or a folder) → ``laptop.export_bundle`` in a worker, with progress
    and 取消 → where the bundle is, what it holds, and what to do with the stick.

    ``finished_step``: "exported", "failed" or "cancelled". ``enroll_requested`` when a
    laptop that is not enrolled asks to enroll first.
    """

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.setWindowTitle(self.tr("导出同步包"))
        self._destinations: list[Drive] = []
        self._chosen: Drive | None = None
        self._target: Drive | None = None
        self.exported: Exported | None = None

        intro = _label(self.tr(
            "同步包里有本机所有县里还没确认的修改和照片，已签名并加密，只有县里能打开。"),
            "hint")
        self.place_box = QGroupBox(self.tr("写到哪里"))
        self.drive_list = QListWidget()
        self.drive_list.setObjectName("drives")
        self.drive_list.setMinimumHeight(96)
        self.drive_list.setMaximumHeight(112)  # a few sticks; the summary gets the room
        self.drive_list.setWordWrap(True)  # a long folder path or the hint, whole
        self.drive_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.drive_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        side = QVBoxLayout()
        side.addWidget(_button(self.tr("刷新"), lambda: self.refresh_drives()))
        side.addWidget(_button(self.tr("选择其他文件夹…"), self._browse))
        side.addStretch()
        place = QHBoxLayout(self.place_box)
        place.addWidget(self.drive_list, 1)
        place.addLayout(side)

        self.job.progressed.connect(self._written)
        self.export_button = _button(self.tr("导出同步包"), self.start, primary=True)
        self.close_button = _button(self.tr("取消"), self.cancel)
        self._lay_out((self.status, intro, self.place_box),
                      (self.export_button, self.enroll_button, self.close_button),
                      stretch=False)

        enrolled = self._offer_enrollment(self.export_button, (intro, self.place_box), self.tr(
            "本机还没有注册到县里，所以还不能导出同步包。单机使用不受影响；"
            "要与县里同步，请先用县里发的注册文件（.fve）和电话告知的激活码注册。"))
        if enrolled is not None:
            self.refresh_drives()
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
            item = QListWidgetItem(self._drive_text(drive), self.drive_list)
            item.setToolTip(item.text())
        if not found:
            hint = QListWidgetItem(self.tr("没有找到 U 盘。请插入 U 盘后点“刷新”，或点“导出到"
                                           "文件夹…”先存到电脑上，以后再复制到 U 盘。"))
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            hint.setToolTip(hint.text())
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
        """Export to the stick or folder chosen; with none (no stick found), ask for a
        folder first and export there."""
        if self.job.is_busy() or self.exported is not None:
            return
        if self.destination() is None and not self._browse():
            return
        target = self.destination()
        if target is None:
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
        self._run(export, _fill(self.tr("正在写入同步包到 %1 …"), target.root), self._exported)

    def cancel(self) -> None:
        if self.job.is_busy():
            self.job.cancel()
        else:
            self.reject()

    def _written(self, done: int, total: int) -> None:
        if total and done >= total:
            self.job.show_message(self.tr("正在读回校验写入的文件…"))

    def _exported(self, result: tuple[Exported, int]) -> str:
        self.exported, self.pending_after = result
        exported, target = self.exported, self._target
        assert target is not None
        self.job.show_message(self.tr("导出完成，已校验。"))
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
        self._show_summary("\n".join(lines))
        return "exported"

    def _update_buttons(self) -> None:
        busy = self.job.is_busy()
        self.export_button.setEnabled(not busy and self.exported is None)
        self.export_button.setText(self.tr("导出同步包") if self.destination() is not None
                                   else self.tr("导出到文件夹…"))
        self.place_box.setEnabled(not busy)
        self.close_button.setText(self.tr("取消") if busy or self.exported is None
                                  else self.tr("关闭"))

    def _browse(self) -> bool:
        """选择其他文件夹…: True when a folder was chosen."""
        current = self.destination()
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("选择保存同步包的文件夹"),
            str(current.root) if current else str(Path.home()))
        if folder:
            self.set_folder(folder)
        return bool(folder)


# 导入回执包 --------------------------------------------------------------------------------------

class ReturnImportDialog(_BundleDialog):
    """The county's return bundle (found on a USB stick, or chosen) → ``laptop.import_return``
    in a worker → what changed here, and which own edits wait for the county's decision.

    ``finished_step``: "imported" or "failed". ``enroll_requested`` as in ExportDialog.
    """

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.setWindowTitle(self.tr("导入回执包"))

        intro = _label(self.tr(
            "回执包是县里导入本机同步包后返回的文件（.fvb），带回县里的确认、"
            "县里和其他人对本村的修改。"), "hint")
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("县里返回的回执包（.fvb）"))
        self.path_edit.textChanged.connect(self._path_changed)
        self.browse_button = _button(self.tr("选择文件…"), self._browse)
        label = QLabel(self.tr("回执包："))
        chooser = QHBoxLayout()
        chooser.addWidget(label)
        chooser.addWidget(self.path_edit, 1)
        chooser.addWidget(self.browse_button)

        self.import_button = _button(self.tr("导入"), self.start, primary=True)
        self.close_button = _button(self.tr("关闭"), self.reject)
        self._lay_out((self.status, intro, chooser),
                      (self.import_button, self.enroll_button, self.close_button))

        enrolled = self._offer_enrollment(
            self.import_button, (intro, label, self.path_edit, self.browse_button),
            self.tr("本机还没有注册到县里，所以没有回执包可导入。单机使用不受影响；"
                    "要与县里同步，请先用县里发的注册文件（.fve）和电话告知的激活码注册。"))
        if enrolled is not None:
            self._look_on_drives(enrolled.device)
        self._update_buttons()

    def _look_on_drives(self, device: str) -> None:
        found = find_return_bundles(device, [d.root for d in removable_drives()])
        if found:
            self.set_path(found[-1])
            self.job.show_message(_fill(self.tr("在 U 盘上找到本机的回执包：%1"),
                                        found[-1].name))
        else:
            self.job.show_message(self.tr("请插入带回执包的 U 盘，然后点“选择文件…”。"))

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

        self._run(receive, _fill(self.tr("正在核对并导入“%1”…请不要拔出 U 盘。"), path.name),
                  self._imported)

    def _path_changed(self) -> None:
        if not self.job.is_busy():
            self.received = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job.is_busy()
        self.import_button.setEnabled(not busy and self.received is None
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


# 通过网络同步 ------------------------------------------------------------------------------------

class OnlineDialog(_BundleDialog):
    """With a network: the same bundle POSTed to the county server, whose answer is the
    return bundle, applied at once (``network.sync_over_network`` in a worker). The
    server's address is remembered for next time."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, parent)
        self.setWindowTitle(self.tr("通过网络同步"))
        intro = _label(self.tr(
            "有网络时，可以不用 U 盘：本机的同步包直接发给县里服务器，县里的回执包随即取回并导入。"
            "同步包已签名并加密，只有县里能打开。"), "hint")
        self.url_edit = QLineEdit(network.remembered_url(ops.store))
        self.url_edit.setPlaceholderText("https://…")
        self.url_edit.textChanged.connect(self._update_buttons)
        label = QLabel(self.tr("县里服务器："))
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.url_edit, 1)
        self.sync_button = _button(self.tr("同步"), self.start, primary=True)
        self.close_button = _button(self.tr("关闭"), self.reject)
        self._lay_out((self.status, intro, row),
                      (self.sync_button, self.enroll_button, self.close_button))
        self._offer_enrollment(
            self.sync_button, (intro, label, self.url_edit),
            self.tr("本机还没有注册到县里，所以还不能同步。单机使用不受影响；"
                    "要与县里同步，请先用县里发的注册文件（.fve）和电话告知的激活码注册。"))
        self._update_buttons()

    def start(self) -> None:
        if not self.sync_button.isEnabled():
            return
        store, url = self._store, self.url_edit.text().strip()

        def sync(_progress: Progress, _cancelled: Cancelled) -> tuple[Imported, int]:
            imported = network.sync_over_network(store, url)
            return imported, sync_state(store).pending

        self._run(sync, _fill(self.tr("正在与 %1 同步…"), url), self._imported)

    def _update_buttons(self) -> None:
        busy = self.job.is_busy()
        self.sync_button.setEnabled(not busy and bool(self.url_edit.text().strip()))
        self.url_edit.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
