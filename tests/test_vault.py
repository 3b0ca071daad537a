"""A lost laptop exposes nobody: the data folder at rest, login, recovery, backups, and
the attacks and crashes issue 13 lists, each against real files and real processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DatabaseError

from fieldvisit import demo
from fieldvisit.county.office import County
from fieldvisit.sealing import SealedFileError
from fieldvisit.store import EXPORT_ENTITY, Store
from fieldvisit.store.models import JournalEntry, Member, Village
from fieldvisit.vault import backup, recovery
from fieldvisit.vault.folder import Login, open_folder, seal_for_county
from fieldvisit.vault.slots import KeySlots, TooSoon, VaultError, WrongPassword
from fieldvisit.visits import photos
from tests.sync_parties import snapshot
from tests.vaults import CADRE, PASSWORD, unlocked

ROOT = Path(__file__).resolve().parent.parent
MARKED_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"PHOTO-OF-HOUSE-" * 40


def fieldvisit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fieldvisit", *args], cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
                          capture_output=True, text=True, encoding="utf-8", timeout=180)


def people(store: Store) -> list[tuple[str, str, str]]:
    with store.reading() as conn:
        return [tuple(row) for row in conn.execute(
            select(Member.name, Member.id_number, Member.phone).limit(50))]


def raw_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def plain_store(folder: Path, households: int = 15) -> Store:
    """A store as every laptop had it before encryption: plain SQLite, plain files."""
    store = Store.open(folder / "fieldvisit.sqlite", actor="旧版本")
    demo.populate(store, households, seed=5)
    store.device_key()
    source = folder.parent / "house.png"
    source.write_bytes(MARKED_PNG)
    photos.attach(store, source)
    return store


def test_a_copied_data_folder_reveals_no_name_id_or_phone(tmp_path):
    folder = tmp_path / "data"
    made = fieldvisit("--data-dir", str(folder), "demo", "--households", "40")
    assert made.returncode == 0, made.stderr
    opened = unlocked(folder)
    known = people(opened.store)
    source = tmp_path / "house.png"
    source.write_bytes(MARKED_PNG)
    photos.attach(opened.store, source)
    opened.store.close()

    raw = raw_bytes(folder)
    assert b"PHOTO-OF-HOUSE" not in raw
    for name, id_number, phone in known:
        assert name.encode() not in raw
        assert id_number.encode() not in raw
        if phone:
            assert phone.encode() not in raw
    # copied to another machine: nothing opens it without a cadre's password
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    with pytest.raises(DatabaseError):
        Store.open(copy / "fieldvisit.sqlite").close()
    with pytest.raises(WrongPassword):
        open_folder(copy, Login(CADRE, "not-the-password-9"))
    again = open_folder(copy, Login(CADRE, PASSWORD)).store
    assert people(again) == known
    again.close()


def test_the_cli_needs_the_password_and_says_so_in_one_line(tmp_path):
    folder = tmp_path / "data"
    assert fieldvisit("--data-dir", str(folder), "demo", "--households", "5").returncode == 0
    wrong = fieldvisit("--data-dir", str(folder), "villages",
                       env={"FIELDVISIT_PASSWORD": "wrong-password-1"})
    assert wrong.returncode == 2
    assert wrong.stderr.strip().splitlines() == ["密码不对", "wrong password"]
    env = {k: v for k, v in os.environ.items() if k != "FIELDVISIT_PASSWORD"}
    missing = subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir", str(folder),
                              "villages"], cwd=ROOT, env=env, capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, timeout=120)
    assert missing.returncode == 2
    assert "FIELDVISIT_PASSWORD" in missing.stderr and "Traceback" not in missing.stderr
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    listed = fieldvisit("--data-dir", str(folder), "--password-file", str(secret), "villages",
                        env={"FIELDVISIT_PASSWORD": ""})
    assert listed.returncode == 0, listed.stderr


def test_a_weak_first_password_is_refused_before_anything_is_made(tmp_path):
    folder = tmp_path / "data"
    weak = fieldvisit("--data-dir", str(folder), "demo", env={"FIELDVISIT_PASSWORD": "12345678"})
    assert weak.returncode == 2
    assert "全是数字" in weak.stderr
    assert not (folder / "fieldvisit.sqlite").exists()


def test_each_write_records_the_cadre_who_logged_in(tmp_path):
    folder = tmp_path / "data"
    assert fieldvisit("--data-dir", str(folder), "demo", "--households", "3",
                      env={"FIELDVISIT_CADRE": "李四"}).returncode == 0
    store = open_folder(folder, Login(None, PASSWORD)).store
    assert store.actor == "李四"
    end = store.journal_end()
    with store.reading() as conn:
        village = conn.execute(select(Village.name)).scalar_one()
    store.close()
    renamed = fieldvisit("--data-dir", str(folder), "villages", "rename", village, "新华村",
                         env={"FIELDVISIT_CADRE": ""})
    assert renamed.returncode == 0, renamed.stderr
    store = open_folder(folder, Login(None, PASSWORD)).store
    with store.reading() as conn:
        actors = set(conn.execute(select(JournalEntry.actor).where(
            JournalEntry.seq > end)).scalars())
    assert actors == {"李四"}
    store.close()


def test_an_old_plain_store_is_encrypted_in_place_with_nothing_lost(tmp_path):
    folder = tmp_path / "data"
    store = plain_store(folder)
    before, key = snapshot(store), bytes(store.device_key())
    store.close()
    assert b"PHOTO-OF-HOUSE" in raw_bytes(folder)

    opened = open_folder(folder, Login("王干部", "Wang-ganbu-2026"))
    assert snapshot(opened.store) == before
    assert bytes(opened.store.device_key()) == key
    with opened.store.reading() as conn:
        kept = photos.photos_of(conn)
    assert photos.read_photo(opened.store.files, kept[0].sha256, kept[0].media_type) == MARKED_PNG
    opened.store.close()
    raw = raw_bytes(folder)
    assert b"PHOTO-OF-HOUSE" not in raw and b"SQLite format 3" not in raw
    assert not list(folder.rglob("*.plain-old"))


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import fieldvisit.vault.convert as convert
    import fieldvisit.sealing as sealing
    from fieldvisit.vault.folder import Login, open_folder

    left = [int(sys.argv[2])]

    def counted(fn):
        def wrapper(*args, **kwargs):
            left[0] -= 1
            if left[0] < 0:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)
        return wrapper

    convert.os.replace = counted(os.replace)
    convert.os.link = counted(os.link)
    convert.overwrite_and_remove = counted(convert.overwrite_and_remove)
    sealing.Files.write = counted(sealing.Files.write)
    convert._encrypt_database = counted(convert._encrypt_database)
    open_folder(Path(sys.argv[1]), Login("王干部", "Wang-ganbu-2026")).store.close()
    print("finished")
""")


def test_a_kill_at_any_step_of_the_conversion_leaves_a_store_that_opens(tmp_path):
    """kill -9 at every step in turn: each time the folder opens (plain or encrypted), and
    the next start finishes the job with every row, photo and key still there."""
    original = tmp_path / "original"
    store = plain_store(original, households=4)
    before, key = snapshot(store), bytes(store.device_key())
    store.close()
    step = 0
    while True:
        folder = tmp_path / f"run{step}"
        shutil.copytree(original, folder)
        run = subprocess.run([sys.executable, "-c", KILLER, str(folder), str(step)], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        opened = open_folder(folder, Login("王干部", "Wang-ganbu-2026"))
        assert snapshot(opened.store) == before, f"step {step}"
        assert bytes(opened.store.device_key()) == key
        with opened.store.reading() as conn:
            kept = photos.photos_of(conn)[0]
        assert photos.read_photo(opened.store.files, kept.sha256, kept.media_type) == MARKED_PNG
        opened.store.close()
        assert b"PHOTO-OF-HOUSE" not in raw_bytes(folder)
        shutil.rmtree(folder)
        if "finished" in run.stdout:
            break
        assert run.returncode == -9, run.stderr
        step += 1
    assert step >= 6  # database, key and photo each went through link, replace, wipe


def test_a_swapped_photo_file_is_detected(store_with_photos):
    files, first, second = store_with_photos
    a = photos.photo_path(files.folder, first, "image/png")
    b = photos.photo_path(files.folder, second, "image/png")
    a_bytes, b_bytes = a.read_bytes(), b.read_bytes()
    a.write_bytes(b_bytes)
    b.write_bytes(a_bytes)
    with pytest.raises(photos.PhotoError, match="无法读取"):
        photos.read_photo(files, first, "image/png")
    with pytest.raises(SealedFileError):
        files.read(b)


@pytest.fixture
def store_with_photos(tmp_path):
    opened = open_folder(tmp_path / "data", Login(CADRE, PASSWORD))
    digests = []
    for marker in (b"first", b"second"):
        source = tmp_path / f"{marker.decode()}.png"
        source.write_bytes(MARKED_PNG + marker)
        photos.attach(opened.store, source)
        digests.append(photos.store_file(opened.store.files, source).sha256)
    yield opened.store.files, *digests
    opened.store.close()


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_a_damaged_database_is_refused_with_a_message_and_left_alone(tmp_path, damage):
    folder = tmp_path / "data"
    made = open_folder(folder, Login(CADRE, PASSWORD))
    demo.populate(made.store, 3, seed=1)
    made.store.close()
    database = folder / "fieldvisit.sqlite"
    for side in ("-wal", "-shm"):
        (folder / f"fieldvisit.sqlite{side}").unlink(missing_ok=True)
    data = bytearray(database.read_bytes())
    if damage == "truncate":
        data = data[:1000]
    else:
        data[100] ^= 0x40  # inside page 1: its HMAC no longer matches
    database.write_bytes(bytes(data))
    with pytest.raises(VaultError, match="无法用这把钥匙打开"):
        open_folder(folder, Login(CADRE, PASSWORD))
    assert database.read_bytes() == bytes(data)


def test_five_wrong_passwords_then_each_try_waits_longer(tmp_path):
    open_folder(tmp_path, Login(CADRE, PASSWORD)).store.close()
    slots = KeySlots.load(tmp_path)
    assert slots is not None
    for attempt in range(5):
        with pytest.raises(WrongPassword) as wrong:
            slots.unlock(None, "bad-password-x", now=1000.0 + attempt)
        assert wrong.value.wait_s == (2 if attempt == 4 else 0)
    with pytest.raises(TooSoon):
        KeySlots.load(tmp_path).unlock(None, PASSWORD, now=1005.0)
    cadre, _key = KeySlots.load(tmp_path).unlock(None, PASSWORD, now=1010.0)
    assert cadre.name == CADRE
    assert KeySlots.load(tmp_path).data["failures"][0] == 0


def test_cadres_share_a_laptop_and_change_their_passwords_from_the_cli(tmp_path):
    folder = tmp_path / "data"
    assert fieldvisit("--data-dir", str(folder), "demo", "--households", "3").returncode == 0
    added = fieldvisit("--data-dir", str(folder), "cadre", "add", "赵六", "--phone",
                       "13800001111", env={"FIELDVISIT_NEW_PASSWORD": "Zhao-liu-2026"})
    assert added.returncode == 0, added.stderr
    listed = fieldvisit("--data-dir", str(folder), "--cadre", "赵六", "cadre", "list",
                        env={"FIELDVISIT_PASSWORD": "Zhao-liu-2026"})
    assert listed.returncode == 0, listed.stderr
    assert "赵六\t13800001111 *" in listed.stdout and CADRE in listed.stdout
    changed = fieldvisit("--data-dir", str(folder), "--cadre", CADRE, "cadre", "passwd",
                         env={"FIELDVISIT_NEW_PASSWORD": "New-password-7"})
    assert changed.returncode == 0, changed.stderr
    with pytest.raises(WrongPassword):
        open_folder(folder, Login(CADRE, PASSWORD))
    open_folder(folder, Login(CADRE, "New-password-7")).store.close()
    open_folder(folder, Login("赵六", "Zhao-liu-2026")).store.close()


def test_the_county_recovers_a_forgotten_password(tmp_path):
    county = County.open(tmp_path / "county")
    folder = tmp_path / "laptop"
    opened = open_folder(folder, Login(CADRE, PASSWORD))
    demo.populate(opened.store, 3, seed=2)
    before = snapshot(opened.store)
    opened.store.meta.sync_county_key = recovery.b64encode(bytes(county.key.verify_key))
    seal_for_county(opened)
    opened.store.close()
    request = tmp_path / "找回申请.fvr"
    asked = fieldvisit("--data-dir", str(folder), "cadre", "recover-request", "-o", str(request),
                       env={"FIELDVISIT_PASSWORD": ""})
    assert asked.returncode == 0, asked.stderr
    assert b"sealed" in request.read_bytes()
    county.close()
    answer = tmp_path / "答复.fva"
    answered = fieldvisit("--data-dir", str(tmp_path / "county"), "recover", str(request),
                          "-o", str(answer))
    assert answered.returncode == 0, answered.stderr
    code = answered.stdout.strip().rsplit(" ", 1)[-1]
    wrong = fieldvisit("--data-dir", str(folder), "cadre", "recover", str(answer), "--code",
                       "AAAA-BBBB-CCCC-DDDD", env={"FIELDVISIT_NEW_PASSWORD": "Recovered-2026"})
    assert wrong.returncode == 2 and "找回码不对" in wrong.stderr
    back = fieldvisit("--data-dir", str(folder), "cadre", "recover", str(answer), "--code",
                      code.lower(), env={"FIELDVISIT_NEW_PASSWORD": "Recovered-2026"})
    assert back.returncode == 0, back.stderr
    again = open_folder(folder, Login(CADRE, "Recovered-2026"))
    assert snapshot(again.store) == before
    again.store.close()
    other = County.open(tmp_path / "other-county")
    with pytest.raises(VaultError, match="不是给本县的"):
        recovery.answer(request.read_bytes(), other.key)
    other.close()


def test_a_backup_restores_on_a_fresh_machine_and_compares_equal(tmp_path):
    folder = tmp_path / "data"
    opened = open_folder(folder, Login(CADRE, PASSWORD))
    demo.populate(opened.store, 10, seed=4)
    source = tmp_path / "house.png"
    source.write_bytes(MARKED_PNG)
    photos.attach(opened.store, source)
    before, key = snapshot(opened.store), bytes(opened.store.device_key())
    made = fieldvisit("--data-dir", str(folder), "backup", "create", "-o", str(tmp_path / "usb"))
    assert made.returncode == 0, made.stderr
    opened.store.close()
    [file] = list((tmp_path / "usb").glob("*.fvbak"))
    assert b"PHOTO-OF-HOUSE" not in file.read_bytes()

    fresh = tmp_path / "fresh machine"
    restored = fieldvisit("--data-dir", str(fresh), "backup", "restore", str(file))
    assert restored.returncode == 0, restored.stderr
    again = open_folder(fresh, Login(CADRE, PASSWORD))
    assert snapshot(again.store) == before
    assert bytes(again.store.device_key()) == key
    with again.store.reading() as conn:
        kept = photos.photos_of(conn)[0]
    assert photos.read_photo(again.store.files, kept.sha256, kept.media_type) == MARKED_PNG
    again.store.close()

    # over a store: refused, nothing there changed
    untouched = raw_bytes(fresh)
    over = fieldvisit("--data-dir", str(fresh), "backup", "restore", str(file))
    assert over.returncode == 2 and "不是空目录" in over.stderr
    assert raw_bytes(fresh) == untouched


def test_another_villages_store_is_never_restored_over(tmp_path):
    county = County.open(tmp_path / "county")
    ours = open_folder(tmp_path / "ours", Login(CADRE, PASSWORD))
    theirs = open_folder(tmp_path / "theirs", Login(CADRE, PASSWORD))
    for party in (ours, theirs):
        party.store.meta.sync_county_key = recovery.b64encode(bytes(county.key.verify_key))
        seal_for_county(party)
    county.close()
    made = backup.create(ours, tmp_path / "usb")
    ours.store.close()
    theirs.store.close()
    with pytest.raises(VaultError, match="另一台电脑"):
        backup.restore(made, tmp_path / "theirs", Login(CADRE, PASSWORD))


@pytest.mark.parametrize("damage", ["truncate", "flip", "password"])
def test_a_damaged_backup_restores_nothing(tmp_path, damage):
    opened = open_folder(tmp_path / "data", Login(CADRE, PASSWORD))
    demo.populate(opened.store, 3, seed=4)
    made = backup.create(opened, tmp_path / "usb")
    opened.store.close()
    data = bytearray(made.read_bytes())
    password = PASSWORD
    if damage == "truncate":
        data = data[:len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 1
    else:
        password = "not-its-password-1"
    made.write_bytes(bytes(data))
    target = tmp_path / "fresh"
    with pytest.raises(VaultError):
        backup.restore(made, target, Login(CADRE, password))
    assert not target.exists() or not any(target.iterdir())


BACKUP_KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import fieldvisit.vault.backup as backup
    from fieldvisit.vault.folder import Login

    left = [int(sys.argv[3])]
    real = backup._write if sys.argv[1] == "create" else backup._exactly

    def counted(*args):
        if sys.argv[1] == "create":
            left[0] -= 1
            if left[0] < 0:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args)
        return (block for block in real(*args) if not _tick())

    def _tick():
        left[0] -= 1
        if left[0] < 0:
            os.kill(os.getpid(), signal.SIGKILL)
        return False

    login = Login(os.environ["FIELDVISIT_CADRE"], os.environ["FIELDVISIT_PASSWORD"])
    if sys.argv[1] == "create":
        backup._write = counted
        from fieldvisit.vault.folder import open_folder
        backup.create(open_folder(Path(sys.argv[2]), login), Path(sys.argv[4])).name
    else:
        backup._exactly = counted
        backup.restore(Path(sys.argv[4]), Path(sys.argv[2]), login).store.close()
    print("finished")
""")


def test_a_kill_during_backup_or_restore_leaves_nothing_half_done(tmp_path):
    folder = tmp_path / "data"
    opened = open_folder(folder, Login(CADRE, PASSWORD))
    demo.populate(opened.store, 5, seed=4)
    before = snapshot(opened.store)
    good = backup.create(opened, tmp_path / "good")
    opened.store.close()

    usb = tmp_path / "usb"
    killed = subprocess.run([sys.executable, "-c", BACKUP_KILLER, "create", str(folder), "1",
                             str(usb)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    assert not list(usb.glob("*.fvbak"))  # only a hidden partial, never a backup file
    still = open_folder(folder, Login(CADRE, PASSWORD))
    assert snapshot(still.store) == before
    still.store.close()

    target = tmp_path / "fresh"
    killed = subprocess.run([sys.executable, "-c", BACKUP_KILLER, "restore", str(target), "2",
                             str(good)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    assert not target.exists() or not any(target.iterdir())
    restored = backup.restore(good, target, Login(CADRE, PASSWORD))
    assert snapshot(restored.store) == before
    restored.store.close()


def test_an_export_with_whole_ids_warns_and_is_journaled_with_the_cadre(tmp_path):
    folder = tmp_path / "data"
    assert fieldvisit("--data-dir", str(folder), "demo", "--households", "4").returncode == 0
    out = tmp_path / "花名册.xlsx"
    done = fieldvisit("--data-dir", str(folder), "roster", "export", str(out),
                      env={"FIELDVISIT_CADRE": CADRE})
    assert done.returncode == 0, done.stderr
    assert "完整身份证号" in done.stderr and "whole ID numbers" in done.stderr
    cards = fieldvisit("--data-dir", str(folder), "cards", "--village", "522727100200", "-o",
                       str(tmp_path / "卡.pdf"))
    assert cards.returncode == 0 and "完整身份证号" not in cards.stderr  # masked: no warning
    store = open_folder(folder, Login(CADRE, PASSWORD)).store
    with store.reading() as conn:
        logged = conn.execute(select(JournalEntry.actor, JournalEntry.field, JournalEntry.new,
                                     JournalEntry.origin).where(
            JournalEntry.entity == EXPORT_ENTITY)).all()
    store.close()
    [(actor, what, new, origin)] = logged
    assert (actor, what, origin) == (CADRE, "roster.xlsx", "local")
    assert '"file": "花名册.xlsx"' in new and '"whole_ids": true' in new
