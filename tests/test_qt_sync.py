"""Sync from the desktop app, on real parties: a county server and an enrolled laptop in
tmp_path (tests/sync_parties.py), bundle files passed through a folder standing in for the
USB stick. Enrolling with the right and a wrong activation code, exporting a bundle the
county accepts, importing the county's return bundle into the roster on screen."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from sync_parties import VILLAGE, make_laptop

from fieldvisit.county import devices
from fieldvisit.county.ingest import ingest
from fieldvisit.county.returns import return_bundle
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.qt.ops import Ops
from fieldvisit.qt.sync_dialog import (
    Drive,
    EnrollDialog,
    ExportDialog,
    ReturnImportDialog,
    find_return_bundles,
    removable_drives,
    sync_state,
)
from fieldvisit.roster import queries
from fieldvisit.store import Store, Update
from fieldvisit.sync import laptop

TIMEOUT = 30_000


@pytest.fixture
def party(county, tmp_path):
    enrolled = make_laptop(county, tmp_path / "laptop")
    yield enrolled
    enrolled.store.close()


@pytest.fixture
def blank_store(tmp_path):
    opened = Store.open(tmp_path / "blank" / "fieldvisit.sqlite", actor="王干部")
    yield opened
    opened.close()


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def step(qtbot, dialog, button, expected: str) -> None:
    with qtbot.waitSignal(dialog.finished_step, timeout=TIMEOUT) as signal:
        click(qtbot, button)
    assert signal.args == [expected], dialog.job.message.text()


def households(store) -> list[queries.HouseholdRow]:
    with store.reading() as conn:
        return queries.household_rows(conn)


def set_helper(store, household_id: str, name: str) -> None:
    store.write([Update("household", household_id, {"helper_name": name})])


def open_window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.roster_loaded, timeout=TIMEOUT):
        window.show()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=TIMEOUT)
    return window


# 注册到县里 ------------------------------------------------------------------------------------

def test_enrolling_with_the_code_read_out_by_phone(qtbot, county, blank_store, tmp_path):
    """Typed as a cadre might, in lower case without dashes; the roster arrives."""
    enrolled = devices.enroll(county, VILLAGE, "王干部", tmp_path / "stick")
    window = open_window(qtbot, blank_store)
    window.update_sync_menu()
    assert window.sync_status.text() == "未注册到县里（单机使用）"
    assert window.enroll_action.isVisible()

    dialog = window.open_enroll()
    qtbot.addWidget(dialog)
    assert not dialog.enroll_button.isEnabled()
    dialog.set_path(enrolled.path)
    qtbot.keyClicks(dialog.code_edit, enrolled.code.replace("-", "").lower())
    assert dialog.code_edit.text() == enrolled.code.replace("-", "")  # shown upper case
    with qtbot.waitSignal(window.roster_loaded, timeout=TIMEOUT):
        step(qtbot, dialog, dialog.enroll_button, "enrolled")

    assert laptop.enrollment(blank_store.meta).device == enrolled.device
    assert window.roster.rowCount() == enrolled.households == 12
    assert "共 12 户" in dialog.summary.text() and enrolled.device in dialog.summary.text()
    assert not dialog.enroll_button.isEnabled() and dialog.close_button.text() == "关闭"
    window.update_sync_menu()
    status = window.sync_status.text()
    assert status.startswith("已注册到") and "（522727100200）" in status
    assert enrolled.device not in status  # a device id means nothing to a cadre
    assert not window.enroll_action.isVisible()


def test_a_wrong_code_is_explained_and_the_right_one_still_works(qtbot, county, blank_store,
                                                                tmp_path):
    enrolled = devices.enroll(county, VILLAGE, "王干部", tmp_path / "stick")
    dialog = EnrollDialog(Ops(blank_store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(enrolled.path)
    dialog.set_code("2222-3333-4444-5555" if enrolled.code != "2222-3333-4444-5555"
                    else "6666-7777-8888-9999")
    step(qtbot, dialog, dialog.enroll_button, "failed")
    assert "激活码不对" in dialog.job.message.text()
    assert sync_state(blank_store).enrollment is None

    dialog.set_code(enrolled.code)
    step(qtbot, dialog, dialog.enroll_button, "enrolled")
    assert sync_state(blank_store).enrollment is not None


def test_an_enrolled_laptop_is_not_enrolled_again(qtbot, party):
    dialog = EnrollDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path("whatever.fve")
    dialog.set_code("2222-3333-4444-5555")
    assert not dialog.enroll_button.isEnabled()
    assert "本机已经注册" in dialog.job.message.text()


# 导出同步包 --------------------------------------------------------------------------------------

def test_export_to_a_chosen_folder_writes_a_bundle_the_county_accepts(qtbot, county, party,
                                                                      tmp_path):
    first, second = households(party.store)[:2]
    set_helper(party.store, first.id, "赵帮扶")
    set_helper(party.store, second.id, "钱帮扶")
    dialog = ExportDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    assert "待县里确认的修改 2 条" in dialog.status.text()
    dialog.refresh_drives([])  # no USB stick in this test machine
    assert dialog.destination() is None and dialog.export_button.text() == "导出到文件夹…"
    assert "没有找到 U 盘" in dialog.drive_list.item(0).text()

    stick = tmp_path / "stick"
    stick.mkdir()
    dialog.set_folder(stick)
    assert dialog.destination().root == stick
    step(qtbot, dialog, dialog.export_button, "exported")

    written = dialog.exported.path
    assert written.parent == stick and written.suffix == ".fvb"
    assert [p.name for p in stick.iterdir()] == [written.name]  # no temporary file left
    assert dialog.exported.changes == 2
    assert "已校验" in dialog.job.message.text()
    summary = dialog.summary.text()
    assert written.name in summary and "共 2 条修改、0 张照片" in summary
    assert "导入回执包" in summary and "第一个同步包" in summary
    assert dialog.pending_after == 2 and "本机现有 2 条修改待县里确认" in summary
    assert dialog.close_button.text() == "关闭"

    verdict = ingest(county, written)
    assert verdict.accepted, verdict.message
    assert verdict.changes == 2


def choose_folder(monkeypatch, folder: Path | None) -> list[str]:
    """The folder dialog answers ``folder`` (None: the cadre cancels it); the titles it
    was opened with are listed."""
    asked: list[str] = []

    def answer(_parent, title, _start) -> str:
        asked.append(title)
        return str(folder) if folder is not None else ""

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(answer))
    return asked


def test_with_no_usb_stick_the_export_button_asks_for_a_folder_and_exports(
        qtbot, qapp, monkeypatch, county, party, tmp_path, screenshots):
    from fieldvisit.qt import app, fonts

    fonts.apply_application_font(qapp)
    app.apply_style(qapp)
    set_helper(party.store, households(party.store)[0].id, "赵帮扶")
    dialog = ExportDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh_drives([])  # no USB stick
    button = dialog.export_button
    assert button.isEnabled() and button.text() == "导出到文件夹…"
    qtbot.wait(50)
    assert dialog.grab().save(str(screenshots / "sync-export-no-stick.png"))

    asked = choose_folder(monkeypatch, None)  # the cadre closes the folder dialog
    click(qtbot, button)
    assert asked and dialog.exported is None and not dialog.job.is_busy()
    assert button.isEnabled()

    folder = tmp_path / "桌面"
    folder.mkdir()
    choose_folder(monkeypatch, folder)
    with qtbot.waitSignal(dialog.finished_step, timeout=TIMEOUT) as signal:
        click(qtbot, button)
    assert signal.args == ["exported"], dialog.job.message.text()
    assert dialog.exported.path.parent == folder
    assert "复制到 U 盘" in dialog.summary.text()
    qtbot.wait(50)
    assert dialog.grab().save(str(screenshots / "sync-export-to-folder.png"))
    assert ingest(county, dialog.exported.path).accepted


def test_other_folder_then_export(qtbot, monkeypatch, party, tmp_path):
    """选择其他文件夹… with no stick: the folder is listed, chosen, and 导出同步包 writes there."""
    dialog = ExportDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh_drives([])
    folder = tmp_path / "备份"
    folder.mkdir()
    choose_folder(monkeypatch, folder)
    other = next(b for b in dialog.place_box.findChildren(QPushButton)
                 if b.text() == "选择其他文件夹…")
    click(qtbot, other)
    assert dialog.destination().root == folder
    assert dialog.export_button.text() == "导出同步包"
    step(qtbot, dialog, dialog.export_button, "exported")
    assert dialog.exported.path.parent == folder


def test_the_status_line_names_the_village_not_the_device(qtbot, party):
    dialog = ExportDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    state = sync_state(party.store)
    status = dialog.status.text()
    assert state.village_name and f"{state.village_name}（{VILLAGE}）" in status
    assert party.device not in status and "设备" not in status
    assert party.device in dialog.status.toolTip()  # for when the county asks
    if state.county_name:
        assert status.startswith(f"已注册到{state.county_name}：")


def test_export_says_so_when_the_laptop_is_not_enrolled(qtbot, demo_store):
    window = open_window(qtbot, demo_store)
    dialog = window.open_sync_export()
    qtbot.addWidget(dialog)
    assert "还没有注册到县里" in dialog.job.message.text()
    assert not dialog.export_button.isVisible()
    click(qtbot, dialog.enroll_button)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(EnrollDialog)),
                    timeout=TIMEOUT)


def test_cancelling_an_export_leaves_nothing_on_the_stick(qtbot, party, tmp_path):
    dialog = ExportDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh_drives([])
    dialog.set_folder(tmp_path / "stick")
    with qtbot.waitSignal(dialog.finished_step, timeout=TIMEOUT) as signal:
        dialog.start()
        dialog.cancel()  # at once: the job stops at its first progress report
    assert signal.args == ["cancelled"]
    assert "已取消" in dialog.job.message.text()
    assert not list((tmp_path / "stick").iterdir())
    assert not party.store.meta.sync_prev_hash  # the chain of bundles did not move on


class FakeVolume:
    def __init__(self, root: str, name: str = "", ready: bool = True,
                 read_only: bool = False) -> None:
        self.root, self.name, self.ready, self.read_only = root, name, ready, read_only

    def rootPath(self) -> str:
        return self.root

    def displayName(self) -> str:
        return self.name or self.root

    def isReady(self) -> bool:
        return self.ready

    def isValid(self) -> bool:
        return True

    def isReadOnly(self) -> bool:
        return self.read_only

    def bytesAvailable(self) -> int:
        return 8 * 1024 ** 3


def test_only_writable_usb_sticks_are_offered():
    volumes = [FakeVolume("/"), FakeVolume("/boot/efi"),
               FakeVolume("/media/wang/KINGSTON", "KINGSTON"),
               FakeVolume("/media/wang/CDROM", "CDROM", read_only=True),
               FakeVolume("/run/media/wang/U盘", "U盘"),
               FakeVolume("/media/wang/OUT", "OUT", ready=False)]
    found = removable_drives(volumes, lambda root: root.startswith(("/media/", "/run/media/")))
    assert [d.name for d in found] == ["KINGSTON", "U盘"]
    assert all(d.removable and d.free == 8 * 1024 ** 3 for d in found)


def test_the_stick_found_is_chosen_and_shown_with_its_free_space(qtbot, party, tmp_path):
    dialog = ExportDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    stick = Drive("KINGSTON", tmp_path, 7 * 1024 ** 3, True)
    dialog.refresh_drives([stick])
    assert dialog.destination() == stick
    assert dialog.drive_list.item(0).text() == f"U 盘 KINGSTON — {tmp_path}（剩余 7.0 GB）"


# 导入回执包 --------------------------------------------------------------------------------------

def test_import_applies_the_county_return_and_the_roster_shows_it(qtbot, county, party,
                                                                  tmp_path):
    stick = tmp_path / "stick"
    first, second, third = households(party.store)[:3]
    set_helper(party.store, third.id, "孙帮扶")
    assert ingest(county, party.export(stick)).accepted  # the county now knows the laptop
    set_helper(county.store, first.id, "县里改的")
    set_helper(county.store, second.id, "县里也改了")
    set_helper(party.store, second.id, "本机改的")  # not yet sent: stays until decided
    back = return_bundle(county, party.device, stick / "back")
    assert find_return_bundles(party.device, [stick]) == [back]

    window = open_window(qtbot, party.store)
    window.update_sync_menu()
    assert "待县里确认的修改 2 条" in window.sync_status.text()  # sent, and not sent
    dialog = window.open_sync_import()
    qtbot.addWidget(dialog)
    dialog.set_path(back)
    step(qtbot, dialog, dialog.import_button, "imported")  # the op runner's broadcast
    # refreshed the two households on screen before the dialog said it was done

    assert dialog.received.kept_local == 1 and dialog.received.applied.updated >= 1
    summary = dialog.summary.text()
    assert "收到县里的修改" in summary and "有 1 项本机的修改县里还没确认" in summary
    assert "本机还有 1 条修改待县里确认" in summary
    shown = {window.roster.household_id(r): r for r in range(window.roster.rowCount())}
    helper = window.roster.headers().index("帮扶责任人")
    assert window.roster.data(window.roster.index(shown[first.id], helper)) == "县里改的"
    assert window.roster.data(window.roster.index(shown[second.id], helper)) == "本机改的"
    assert not dialog.import_button.isEnabled()
    window.update_sync_menu()
    assert "待县里激活" not in window.sync_status.text()  # the receipt activated the laptop


def test_importing_the_same_return_twice_is_explained(qtbot, county, party, tmp_path):
    stick = tmp_path / "stick"
    ingest(county, party.export(stick))
    set_helper(county.store, households(county.store)[0].id, "县里改的")
    back = return_bundle(county, party.device, stick)
    party.receive(back)
    dialog = ReturnImportDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(back)
    step(qtbot, dialog, dialog.import_button, "failed")
    assert "已经导入过" in dialog.job.message.text()
    assert dialog.import_button.isEnabled()  # another file may be chosen


def test_a_file_that_is_not_a_bundle_is_explained(qtbot, party, tmp_path):
    junk = tmp_path / "照片.fvb"
    junk.write_bytes(b"\xff\xd8\xff not a bundle")
    dialog = ReturnImportDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(junk)
    step(qtbot, dialog, dialog.import_button, "failed")
    assert dialog.job.message.text() and "出错了" not in dialog.job.message.text()


# Screenshots -------------------------------------------------------------------------------------

def test_screenshots_of_export_and_import(qtbot, qapp, county, party, tmp_path, screenshots):
    from fieldvisit.qt import app, fonts

    fonts.apply_application_font(qapp)
    app.apply_style(qapp)
    for row in households(party.store)[:3]:
        set_helper(party.store, row.id, "周帮扶")

    export = ExportDialog(Ops(party.store))
    qtbot.addWidget(export)
    export.show()
    stick = Path(tempfile.mkdtemp(prefix="KINGSTON-"))  # a short path, as a stick's is
    export.refresh_drives([Drive("KINGSTON", stick, int(7.4 * 1024 ** 3), True)])
    step(qtbot, export, export.export_button, "exported")
    qtbot.wait(50)
    assert export.grab().save(str(screenshots / "sync-export.png"))
    shutil.move(export.exported.path, tmp_path)
    stick.rmdir()

    assert ingest(county, tmp_path / export.exported.path.name).accepted
    set_helper(county.store, households(county.store)[5].id, "县里改的")
    back = return_bundle(county, party.device, tmp_path / "back")
    dialog = ReturnImportDialog(Ops(party.store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(back)
    step(qtbot, dialog, dialog.import_button, "imported")
    qtbot.wait(50)
    assert dialog.grab().save(str(screenshots / "sync-import.png"))
