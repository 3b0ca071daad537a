"""Opening a laptop's data folder: create it encrypted, encrypt an old plain one, or
unlock it with a cadre's password. The app and the CLI both come through here, so every
laptop store is opened encrypted and every write is made as the cadre who logged in.

The store (SQLAlchemy, SQLCipher: a third of a second to import) is imported only once a
store is opened, so that the app's start can stretch a password (``opening``) while it
imports them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fieldvisit import paths
from fieldvisit.sealing import StoreKey, is_plain_sqlite
from fieldvisit.vault.password import require_strong
from fieldvisit.vault.slots import Cadre, KeySlots, VaultError

if TYPE_CHECKING:
    from fieldvisit.store import Store

NEW, PLAIN, LOCKED = "new", "plain", "locked"


@dataclass(frozen=True)
class Login:
    """Who is logging in: a cadre's name (None: the only one) and password; the phone is
    asked only when the cadre is first set up."""

    cadre: str | None
    password: str
    phone: str = ""


@dataclass
class Unlocked:
    """An open laptop store and what unlocked it (the data key stays in memory only, for
    adding a cadre, changing a password or writing a backup)."""

    store: Store
    cadre: Cadre
    slots: KeySlots
    data_key: bytes

    @property
    def phone(self) -> str:
        return self.slots.phone(self.data_key, self.cadre.id)

    def put_cadre(self, name: str, phone: str, password: str) -> Cadre:
        require_strong(password, phone)
        added = self.slots.put_cadre(self.data_key, name, phone, password)
        self.slots.save()
        return added

    def change_password(self, cadre: str, password: str) -> Cadre:
        require_strong(password, self.slots.phone(self.data_key, cadre))
        changed = self.slots.change_password(self.data_key, cadre, password)
        self.slots.save()
        return changed


def state(folder: Path) -> str:
    """NEW (nothing here yet), PLAIN (a store from before encryption) or LOCKED."""
    if KeySlots.load(folder) is not None:
        return LOCKED
    return PLAIN if (folder / paths.DB_FILENAME).exists() else NEW


def open_folder(folder: Path, login: Login, *, create: bool = True) -> Unlocked:
    """The folder's store, unlocked for ``login``: made if new (when ``create``),
    encrypted first if it is an old plain one."""
    folder = Path(folder)
    found = state(folder)
    if found == LOCKED:
        return unlock(folder, login)
    if found == NEW and not create:
        raise VaultError(f"{folder} 中没有数据", f"there is no data in {folder}")
    return _first_slot(folder, login)


def opening(folder: Path, login: Login) -> Callable[[], Unlocked]:
    """``open_folder(folder, login)`` in two halves, for the app's start: a locked
    folder's Argon2id stretch of the password (0.3–0.5 s at the configured cost) starts
    now in a thread, and the function returned waits for it and opens the store on the
    calling thread. libsodium releases the GIL, so the stretch runs beside the imports
    of Qt, SQLAlchemy and the window; nothing else runs in the thread. A folder that is
    new or plain is opened whole by the function returned."""
    folder = Path(folder)
    slots = KeySlots.load(folder)
    if slots is None:
        return lambda: open_folder(folder, login)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unlock")
    stretched = pool.submit(slots.unlock, login.cadre, login.password)
    pool.shutdown(wait=False)  # its one thread ends with the stretch

    def finish() -> Unlocked:
        cadre, data_key = stretched.result()  # a wrong password raises here
        return _unlocked(folder, slots, cadre, data_key)
    return finish


def unlock(folder: Path, login: Login) -> Unlocked:
    slots = KeySlots.required(folder)
    cadre, data_key = slots.unlock(login.cadre, login.password)
    return _unlocked(folder, slots, cadre, data_key)


def _unlocked(folder: Path, slots: KeySlots, cadre: Cadre, data_key: bytes) -> Unlocked:
    """The store of a folder whose slot ``data_key`` came from (encrypted first if a
    conversion was left unfinished)."""
    if slots.converting or is_plain_sqlite(folder / paths.DB_FILENAME):
        from fieldvisit.vault import convert

        convert.encrypt_in_place(folder, StoreKey.derive(data_key), slots)
    return _opened(folder, cadre, slots, data_key)


def recovered(folder: Path, slots: KeySlots, data_key: bytes, cadre_id: str) -> Unlocked:
    """The store opened with the data key the county gave back (its new password next)."""
    slots.data["failures"] = [0, 0.0]
    slot = slots.cadre(cadre_id)
    return _opened(folder, Cadre(slot["id"], slot["name"]), slots, data_key)


def _first_slot(folder: Path, login: Login) -> Unlocked:
    """A new folder, or an old plain one: a data key and the first cadre's slot, saved
    before anything is encrypted with it."""
    if not login.cadre:
        raise VaultError("请说明干部姓名（--cadre 或 FIELDVISIT_CADRE）",
                         "name the cadre (--cadre or FIELDVISIT_CADRE)")
    require_strong(login.password, login.phone)
    folder.mkdir(parents=True, exist_ok=True)
    data_key = secrets.token_bytes(32)
    slots = KeySlots.new(folder)
    cadre = slots.put_cadre(data_key, login.cadre, login.phone, login.password)
    slots.data["converting"] = (folder / paths.DB_FILENAME).exists()
    slots.save()
    if slots.converting:
        from fieldvisit.vault import convert

        convert.encrypt_in_place(folder, StoreKey.derive(data_key), slots)
    return _opened(folder, cadre, slots, data_key)


def _opened(folder: Path, cadre: Cadre, slots: KeySlots, data_key: bytes) -> Unlocked:
    from sqlalchemy.exc import DatabaseError

    from fieldvisit.store import Store
    from fieldvisit.vault import convert

    convert.put_back_or_wipe(folder)
    try:
        store = Store.open(folder / paths.DB_FILENAME, actor=cadre.name,
                           key=StoreKey.derive(data_key))
    except DatabaseError as error:
        raise VaultError(f"{folder} 的数据库无法用这把钥匙打开：文件已损坏，或不属于这些密钥槽",
                         f"the database in {folder} does not open with this key: it is "
                         "damaged or belongs to other key slots") from error
    unlocked = Unlocked(store, cadre, slots, data_key)
    seal_for_county(unlocked)
    return unlocked


def seal_for_county(unlocked: Unlocked) -> None:
    """Once the laptop is enrolled, its data key is sealed to the county's key too."""
    county_key = unlocked.store.meta.sync_county_key
    if county_key and unlocked.slots.recovery_key != county_key:
        unlocked.slots.seal_for_county(unlocked.data_key, county_key, unlocked.store.device_id)
        unlocked.slots.save()
