"""The start (issue 15): the roster table shows before its search texts are built, and
the password is stretched while the window's modules import. Neither may change what
the cadre sees once the start is over."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from fieldvisit.qt import main_window
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.roster.search import SearchIndex
from fieldvisit.store.models import Member
from fieldvisit.vault import folder as vault_folder
from fieldvisit.vault.folder import Login
from fieldvisit.vault.slots import WrongPassword

NAME = "甄测试"  # no demo person has it


class HeldIndex(SearchIndex):
    """A search index that, once built, is held back until the test lets it go: what is
    written meanwhile is newer than its texts."""

    release = threading.Event()

    @classmethod
    def build(cls, *args, **kwargs) -> SearchIndex:
        built = SearchIndex.build(*args, **kwargs)
        assert cls.release.wait(10), "the test never let the index go"
        return built


def test_the_table_shows_first_and_search_and_edits_wait_for_the_texts(
        qtbot, demo_store, monkeypatch):
    monkeypatch.setattr(main_window, "SearchIndex", HeldIndex)
    HeldIndex.release.clear()
    window = MainWindow(demo_store)
    qtbot.addWidget(window)
    events: list[str] = []
    window.roster_shown.connect(lambda n: events.append(f"shown {n}"))
    window.roster_loaded.connect(lambda n: events.append(f"loaded {n}"))
    with qtbot.waitSignal(window.roster_shown, timeout=10_000):
        window.show()
    assert window.roster.rowCount() == 60 and window.is_loading()

    # Typed and written while the texts are built: the search waits, the edit is kept.
    with demo_store.reading() as conn:
        member_id, household_id = conn.execute(
            select(Member.id, Member.household_id).order_by(Member.id).limit(1)).one()
    window.search_box.setText(NAME)
    qtbot.wait(3 * main_window.SEARCH_DELAY_MS)
    assert window.roster.rowCount() == 60
    assert window.save_member(member_id, household_id, {"name": NAME})

    with qtbot.waitSignal(window.roster_loaded, timeout=10_000):
        HeldIndex.release.set()
    assert events == ["shown 60", "loaded 1"]
    assert window.roster.household_id(0) == household_id
    assert window.search_index.matches(NAME) == {household_id}
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=10_000)


def test_opening_stretches_in_a_thread_and_opens_as_open_folder_does(tmp_path):
    login = Login("王干部", "Wang-ganbu-2026")
    vault_folder.open_folder(tmp_path, login).store.close()  # a locked folder now
    opened = vault_folder.opening(tmp_path, login)()
    try:
        assert opened.cadre.name == "王干部"
        assert opened.store.actor == "王干部"
    finally:
        opened.store.close()
    wrong = vault_folder.opening(tmp_path, Login("王干部", "not-the-password-9"))
    with pytest.raises(WrongPassword):  # raised where the store would have opened
        wrong()
