"""The cadre's login and the lock, on real widgets: first setup, a wrong password, the app
locking itself after the idle time with nothing of the roster showing, and unlocking."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from fieldvisit import demo
from fieldvisit.qt import fonts
from fieldvisit.qt.lock import Cover, Locker
from fieldvisit.qt.login_dialog import LoginDialog
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.vault import folder as vault_folder
from fieldvisit.vault.folder import Login, open_folder
from tests.vaults import CADRE, PASSWORD


def test_first_start_sets_up_the_cadre_with_a_strong_password(qtbot, qapp, tmp_path, screenshots):
    dialog = LoginDialog(tmp_path / "data")
    fonts.apply_application_font(qapp)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.state == vault_folder.NEW
    dialog.name.setText("王干部")
    dialog.phone.setText("13900002222")
    dialog.password.setText("123456789")
    assert "全是数字" in dialog.strength.text()
    dialog.again.setText("123456789")
    dialog.submit()
    assert dialog.error.isVisible() and "全是数字" in dialog.error.text()
    dialog.password.setText("Wang-ganbu-2026")
    dialog.again.setText("Wang-ganbu-2026")
    dialog.grab().save(str(screenshots / "login_first_run.png"))
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.submit()
    assert dialog.unlocked is not None
    assert dialog.unlocked.store.actor == "王干部"
    assert dialog.unlocked.phone == "13900002222"
    dialog.unlocked.store.close()


def test_a_wrong_password_is_said_and_the_right_one_logs_in(qtbot, qapp, tmp_path, screenshots):
    open_folder(tmp_path, Login(CADRE, PASSWORD)).store.close()
    dialog = LoginDialog(tmp_path)
    fonts.apply_application_font(qapp)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.cadre.currentText() == CADRE
    dialog.password.setText("wrong-password-2")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=20_000)
    assert dialog.error.text() == "密码不对"
    dialog.grab().save(str(screenshots / "login_wrong_password.png"))
    qtbot.waitUntil(lambda: dialog.go.isEnabled(), timeout=20_000)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.submit()
    assert dialog.unlocked is not None and dialog.unlocked.cadre.name == CADRE
    dialog.unlocked.store.close()


def test_the_app_locks_when_idle_and_shows_nothing_until_unlocked(qtbot, qapp, tmp_path,
                                                                  screenshots):
    unlocked = open_folder(tmp_path, Login(CADRE, PASSWORD))
    demo.populate(unlocked.store, 20, seed=3)
    window = MainWindow(unlocked.store)
    fonts.apply_application_font(qapp)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitSignal(window.roster_loaded, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=10_000)
    locker = Locker(unlocked, idle_ms=300, parent=window)
    qtbot.waitUntil(lambda: locker.locked, timeout=5_000)
    [cover] = [c for c in window.findChildren(Cover)]
    assert cover.asks and cover.geometry() == window.rect()
    table = window.findChild(QTableView)
    assert table is not None
    shot = window.grab()
    shot.save(str(screenshots / "locked.png"))
    # the cover is opaque over the whole window: no pixel of the roster shows through
    image = shot.toImage()
    edges = [(x, y) for x in (5, 640, 1270) for y in (5, 60, 200, 700, 795)]
    colours = {image.pixelColor(x, y).name() for x, y in edges}
    assert colours == {"#2c3e50"}

    cover.password.setText("wrong-password-3")
    locker.try_unlock()
    qtbot.waitUntil(lambda: cover.error.isVisible(), timeout=20_000)
    assert locker.locked
    cover.password.setText(PASSWORD)
    locker.try_unlock()
    qtbot.waitUntil(lambda: not locker.locked, timeout=20_000)
    qtbot.waitUntil(lambda: not window.findChildren(Cover), timeout=5_000)
    unlocked.store.close()


def test_after_a_sync_export_a_local_backup_is_kept_and_one_offered_for_the_stick(
        qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from fieldvisit.qt import account
    from fieldvisit.vault import backup

    unlocked = open_folder(tmp_path / "data", Login(CADRE, PASSWORD))
    demo.populate(unlocked.store, 3, seed=3)
    window = MainWindow(unlocked.store)
    qtbot.addWidget(window)
    stick = tmp_path / "usb"
    stick.mkdir()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    local = unlocked.store.folder / backup.LOCAL_FOLDER
    local.mkdir()
    older = [local / f"FieldVisit-{unlocked.store.device_id}-2026010{day}-080000.fvbak"
             for day in range(1, 8)]
    for path in older:
        path.write_bytes(b"an older backup")
    account.after_sync_export(window, unlocked, stick)
    qtbot.waitUntil(lambda: all(not w.isRunning() for w in window.findChildren(
        account.Worker)), timeout=30_000)
    kept = sorted(local.glob("*.fvbak"))
    assert len(kept) == backup.KEEP_LOCAL
    assert kept[:-1] == older[-(backup.KEEP_LOCAL - 1):]  # the newest four old ones, and
    assert kept[-1].read_bytes().startswith(backup.MAGIC)  # today's, a real backup
    [on_stick] = stick.glob("*.fvbak")
    assert on_stick.read_bytes().startswith(backup.MAGIC)
    unlocked.store.close()


def test_forgot_password_in_the_app_through_the_county(qtbot, tmp_path):
    from fieldvisit.county.office import County
    from fieldvisit.qt.login_dialog import RecoveryDialog
    from fieldvisit.vault import recovery
    from fieldvisit.vault.folder import seal_for_county

    county = County.open(tmp_path / "county")
    laptop = open_folder(tmp_path / "data", Login(CADRE, PASSWORD))
    laptop.store.meta.sync_county_key = recovery.b64encode(bytes(county.key.verify_key))
    seal_for_county(laptop)
    laptop.store.close()
    dialog = RecoveryDialog(tmp_path / "data")
    qtbot.addWidget(dialog)
    dialog.show()
    request = tmp_path / "找回申请.fvr"
    dialog.write_request(request)
    answer, code = recovery.answer(request.read_bytes(), county.key)
    county.close()
    (tmp_path / "答复.fva").write_bytes(answer)
    dialog.answer.setText(str(tmp_path / "答复.fva"))
    dialog.code.setText("WRONG-CODE-0000-0000")
    dialog.password.setText("Found-again-2026")
    dialog.again.setText("Found-again-2026")
    dialog.submit()
    assert dialog.error.isVisible() and "找回码不对" in dialog.error.text()
    dialog.code.setText(code)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.submit()
    assert dialog.unlocked is not None
    dialog.unlocked.store.close()
    open_folder(tmp_path / "data", Login(CADRE, "Found-again-2026")).store.close()


def test_the_lock_time_is_the_cadres_setting(qtbot, tmp_path):
    from dataclasses import replace

    from fieldvisit.qt import preferences

    unlocked = open_folder(tmp_path, Login(CADRE, PASSWORD))
    window = MainWindow(unlocked.store)
    qtbot.addWidget(window)
    window.show()
    locker = Locker(unlocked, parent=window)
    assert locker.limit_ms() == 10 * 60_000  # the default
    preferences.save(unlocked.store, replace(preferences.load(unlocked.store), lock_minutes=3))
    assert locker.limit_ms() == 3 * 60_000
    locker.last_input -= 2 * 60
    locker._check()
    assert not locker.locked  # two minutes idle: not yet
    locker.last_input -= 60
    locker._check()
    assert locker.locked
    unlocked.store.close()


def test_enrolling_in_the_app_seals_the_data_key_for_the_county(qtbot, tmp_path):
    from fieldvisit.county import devices
    from fieldvisit.qt.account import add_account_menu
    from fieldvisit.sync import laptop
    from fieldvisit.vault.slots import KeySlots
    from tests.sync_parties import make_county

    county = make_county(tmp_path / "county", households=3)
    enrolled = devices.enroll(county, "522727100200", CADRE, tmp_path / "stick")
    unlocked = open_folder(tmp_path / "data", Login(CADRE, PASSWORD))
    window = MainWindow(unlocked.store)
    qtbot.addWidget(window)
    add_account_menu(window, Locker(unlocked, parent=window), unlocked)
    laptop.enroll(unlocked.store, enrolled.path, enrolled.code)
    assert KeySlots.load(tmp_path / "data").recovery_key is None
    window.enrolled.emit()  # what the enroll dialog's success sends
    slots = KeySlots.load(tmp_path / "data")
    assert slots.recovery_key == unlocked.store.meta.sync_county_key
    assert slots.data["recovery"]["device"] == unlocked.store.device_id
    county.close()
    unlocked.store.close()
