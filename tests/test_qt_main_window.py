"""The main window on the 60-household demo village: loading, search, filters, tree,
household panel. Real SQLite store, offscreen Qt."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import select

from fieldvisit import idcard
from fieldvisit.qt.import_dialog import ImportDialog
from fieldvisit.qt.main_window import DASHBOARD_TAB, MainWindow
from fieldvisit.roster.vocab import HEAD, MONITOR_CATEGORIES
from fieldvisit.store import Update
from fieldvisit.store.models import Household, Member


def shown_ids(window: MainWindow) -> set[str]:
    return {window.roster.household_id(r) for r in range(window.roster.rowCount())}


def households_where(store, *conditions) -> set[str]:
    with store.reading() as conn:
        return set(conn.execute(
            select(Household.id).where(Household.deleted.is_(False), *conditions)).scalars())


def households_with_key(store, needle: str) -> set[str]:
    """Test oracle: households where any searchable key of any member contains ``needle``."""
    needle = needle.lower()
    found = set()
    with store.session() as session:
        for member, code in session.execute(select(Member, Household.code).join(Household)):
            keys = (member.name, member.name_pinyin, member.name_initials,
                    member.id_number or "", member.phone or "", code)
            if any(needle in key.lower() for key in keys):
                found.add(member.household_id)
    return found


def a_head(store) -> Member:
    with store.session() as session:
        return session.scalars(
            select(Member).where(Member.relation == HEAD).order_by(Member.id_number).limit(1)
        ).one()


def test_opens_with_every_household(window, demo_store):
    assert window.roster.rowCount() == 60
    assert shown_ids(window) == households_where(demo_store)
    assert "60" in window.counts.text()
    assert not window.is_loading() and window.busy.isHidden()


def type_text(qtbot, widget, text: str) -> None:
    """Type as a user would: Latin letters and digits as key presses, Chinese characters
    as an input method commits them (QTest cannot press keys for characters off the
    keyboard)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def search(qtbot, window: MainWindow, text: str) -> None:
    window.search_box.clear()
    type_text(qtbot, window.search_box, text)


@pytest.mark.parametrize("key", ["name", "pinyin", "id_fragment", "phone", "code"])
def test_search_box_filters_by_every_key(qtbot, window, demo_store, key):
    head = a_head(demo_store)
    with demo_store.reading() as conn:
        code = conn.execute(select(Household.code).where(Household.id == head.household_id)
                            ).scalar_one()
    query = {"name": head.name, "pinyin": head.name_pinyin, "id_fragment": head.id_number[6:14],
             "phone": head.phone, "code": code[-6:]}[key]
    search(qtbot, window, query)
    expected = households_with_key(demo_store, query)
    assert head.household_id in expected
    qtbot.waitUntil(lambda: shown_ids(window) == expected, timeout=3000)


def test_search_by_initials_finds_zhang_san(qtbot, window, demo_store):
    head = a_head(demo_store)
    window.ops.write(lambda: demo_store.write([Update("member", head.id, {"name": "张三"})]))
    search(qtbot, window, "zs")
    expected = households_with_key(demo_store, "zs")
    assert head.household_id in expected
    qtbot.waitUntil(lambda: shown_ids(window) == expected, timeout=3000)
    search(qtbot, window, "zhangsan")
    qtbot.waitUntil(lambda: head.household_id in shown_ids(window), timeout=3000)


def test_clearing_the_search_shows_all_again(qtbot, window):
    search(qtbot, window, "no such person")
    qtbot.waitUntil(lambda: window.roster.rowCount() == 0, timeout=3000)
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.roster.rowCount() == 60, timeout=3000)


def test_household_type_filter(window, demo_store):
    combo = window.type_filter
    for label, condition in (("脱贫户", Household.hh_type == "脱贫户"),
                             ("监测对象（全部）", Household.monitored.is_(True)),
                             ("一般农户", Household.hh_type == "一般农户")):
        combo.setCurrentIndex(combo.findText(label))
        assert shown_ids(window) == households_where(demo_store, condition)
    kind = MONITOR_CATEGORIES[2]  # 突发严重困难户: 脱贫户 and 一般农户 alike
    combo.setCurrentIndex(combo.findData([kind]))
    assert shown_ids(window) == households_where(demo_store, Household.monitored.is_(True),
                                                 Household.monitor_category == kind)
    combo.setCurrentIndex(0)
    assert window.roster.rowCount() == 60


def test_village_tree_selection_filters(window, demo_store):
    village = window.tree.villages()[0]
    group = village.groups[1]
    window.tree.select(("group", group.id))
    assert shown_ids(window) == households_where(demo_store, Household.group_id == group.id)
    assert window.roster.rowCount() == group.households
    window.tree.select(("village", village.id))
    assert window.roster.rowCount() == village.households
    window.tree.select(None)
    assert window.roster.rowCount() == 60


def test_selecting_a_household_shows_members_with_ages_from_the_id(window, demo_store):
    head = a_head(demo_store)
    assert window.select_household(head.household_id)
    members = window.panel.members_model.items()
    assert members[0].name == head.name and members[0].relation == HEAD
    with demo_store.session() as session:
        stored = session.scalars(select(Member).where(
            Member.household_id == head.household_id)).all()
    assert len(members) == len(stored)
    today = date.today()
    model = window.panel.members_model
    for row, member in enumerate(members):
        born = idcard.parse(member.id_number).birth_date
        assert model.data(model.index(row, 3)) == str(idcard.age_on(born, today))
    assert window.panel.fact("code").endswith(window.roster.data(
        window.roster.index(window.roster.row_of(head.household_id), 0)))


def test_sorting_by_a_column_keeps_the_chosen_household(window, demo_store):
    head = a_head(demo_store)
    window.select_household(head.household_id)
    window.table.sortByColumn(2, window.table.horizontalHeader().sortIndicatorOrder())
    sizes = [int(window.roster.data(window.roster.index(r, 2))) for r in range(60)]
    assert sizes in (sorted(sizes), sorted(sizes, reverse=True))
    selected = window.table.selectionModel().selectedRows()
    assert window.roster.household_id(selected[0].row()) == head.household_id


def test_an_empty_roster_says_what_to_do_and_offers_the_import(qtbot, store):
    empty = MainWindow(store)
    qtbot.addWidget(empty)
    with qtbot.waitSignal(empty.roster_loaded, timeout=10_000):
        empty.show()
    assert empty.roster_stack.currentWidget().objectName() == "empty_roster"
    button = empty.roster_stack.currentWidget().findChild(QPushButton, "empty_import")
    assert button.isVisible()
    button.click()
    dialog = QApplication.activeModalWidget() or empty.findChild(ImportDialog)
    assert isinstance(dialog, ImportDialog)
    dialog.reject()


def test_the_demo_village_shows_the_table_not_the_empty_state(window):
    assert window.roster_stack.currentWidget() is window.table


def test_a_reload_asked_for_during_a_load_still_happens(qtbot, demo_store):
    """An import that finishes while the roster is still loading must show up."""
    shown = MainWindow(demo_store)
    qtbot.addWidget(shown)
    loads: list[int] = []
    shown.roster_loaded.connect(loads.append)
    shown.reload()  # the first load is still running
    shown.show()
    qtbot.waitUntil(lambda: len(loads) == 2 and not shown.is_loading(), timeout=10_000)
    assert loads == [60, 60]


def test_ledger_and_overview_tabs_open_on_demand_and_lead_back_to_the_roster(qtbot, window):
    assert window.ledger_view is None and window.dashboard is None  # not built at start
    window.tabs.setCurrentIndex(1)
    assert window.ledger_view is not None
    window.tabs.setCurrentIndex(DASHBOARD_TAB)
    assert window.dashboard is not None

    hidden = window.roster.household_id(0)
    type_text(qtbot, window.search_box, "没有这个人")
    qtbot.waitUntil(lambda: window.roster.rowCount() == 0, timeout=2_000)
    window.dashboard.household_chosen.emit(hidden)  # e.g. a double-click in 本月待访
    assert window.tabs.currentIndex() == 0
    [selected] = window.table.selectionModel().selectedRows()
    assert window.roster.household_id(selected.row()) == hidden
    assert window.search_box.text() == ""


def test_colour_filter_shows_only_households_of_that_colour(window):
    ids = [window.roster.household_id(r) for r in range(window.roster.rowCount())]
    colours = {hid: window.roster.colour_of(hid) for hid in ids}
    assert set(colours.values()) <= {"红", "黄", "绿"} and len(colours) == 60
    window.colour_filter.setCurrentIndex(window.colour_filter.findData("黄"))
    assert shown_ids(window) == {h for h, c in colours.items() if c == "黄"}
