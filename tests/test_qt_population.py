"""Population changes through the real widgets on the demo village: a birth, a death and
a 分户 recorded from the household panel, written through the op runner (journaled) and
shown at once; a bad ID refused inline; an ended member shown greyed and not counted on
the card."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from fieldvisit import idcard
from fieldvisit.cards.data import card_data
from fieldvisit.cards.layout import load_layout
from fieldvisit.qt import fonts
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.roster.vocab import HEAD
from fieldvisit.store.models import Household, Member

TODAY = date.today()


def open_first(window: MainWindow) -> str:
    household_id = window.roster.household_id(0)
    window.select_household(household_id)
    return household_id


def save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def shown_names(window: MainWindow) -> list[str]:
    model = window.panel.members_model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def test_a_birth_is_recorded_and_shown(qtbot, window, demo_store):
    home = open_first(window)
    before = window.panel.members_model.rowCount()
    dialog = window.panel.join_dialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("韦小花")
    dialog.id_number.setText(idcard.make("522727", TODAY, 2))
    dialog.relation.setCurrentIndex(dialog.relation.findData("之孙女"))
    save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    with demo_store.reading() as conn:
        baby = conn.execute(select(Member.__table__).where(Member.name == "韦小花")).one()
    assert (baby.household_id, baby.joined_reason, baby.joined_on) == (home, "新生", TODAY)
    assert window.panel.members_model.rowCount() == before + 1
    assert "韦小花" in shown_names(window)


def test_a_bad_id_is_refused_inline_and_nothing_is_written(qtbot, window, demo_store):
    open_first(window)
    dialog = window.panel.join_dialog()
    qtbot.addWidget(dialog)
    good = idcard.make("522727", TODAY, 2)
    dialog.name.setText("韦小花")
    dialog.id_number.setText(good[:-1] + ("0" if good[-1] != "0" else "1"))
    save(dialog)
    assert dialog.result() != dialog.DialogCode.Accepted
    label = dialog.problem_labels["id_number"]
    assert label.isVisibleTo(dialog) and "校验位" in label.text()
    assert label.property("severity") == "error"
    with demo_store.reading() as conn:
        assert conn.execute(select(Member.id).where(Member.name == "韦小花")).first() is None


def test_a_death_greys_the_member_and_the_card_no_longer_counts_them(qtbot, window,
                                                                     demo_store):
    home = open_first(window)
    panel = window.panel
    count = panel.members_model.rowCount()
    panel.members_view.selectRow(count - 1)
    member = panel.members_model.item(count - 1)
    assert panel.leave_button.isEnabled()
    dialog = panel.leave_dialog(member)
    qtbot.addWidget(dialog)
    dialog.reason.setCurrentIndex(dialog.reason.findData("死亡"))
    dialog.note.setText("病故")
    save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    model = panel.members_model
    last = model.rowCount() - 1
    assert model.item(last).id == member.id  # still listed, last
    assert "死亡" in model.data(model.index(last, 0))
    assert model.data(model.index(last, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    card = card_data(demo_store, home, TODAY, load_layout())
    assert member.name not in [m.name for m in card.members]
    assert len(card.members) == count - 1
    row = window.roster.row_of(home)
    assert window.roster.data(window.roster.index(row, 2)) == str(count - 1)


def test_a_split_makes_a_new_household_from_the_chosen_members(qtbot, window, demo_store):
    home = open_first(window)
    panel = window.panel
    members = [panel.members_model.item(r) for r in range(panel.members_model.rowCount())]
    mover = next(m for m in members if m.relation != HEAD)
    dialog = panel.split_dialog()
    qtbot.addWidget(dialog)
    assert dialog.code.text()  # a free 户编号 of the village, suggested
    save(dialog)  # nobody chosen
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.problem_labels["members"].isVisibleTo(dialog)
    dialog.choose(mover.id, "户主")
    save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    new = dialog.result_value
    with demo_store.reading() as conn:
        moved = conn.execute(select(Member.__table__).where(Member.id == mover.id)).one()
        code = conn.execute(select(Household.code).where(Household.id == new)).scalar_one()
    assert (moved.household_id, moved.relation, moved.joined_reason) == (new, "户主", "分户")
    assert code == dialog.code.text()
    qtbot.waitUntil(lambda: window.roster.row_of(new) is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=10_000)  # a new household:
    # the window reloads its roster
    assert mover.id not in [panel.members_model.item(r).id
                            for r in range(panel.members_model.rowCount())]
    window.select_household(new)
    assert shown_names(window)[0].startswith(mover.name)
    window.select_household(home)


def test_screens(qtbot, window, tmp_path):
    """Not an assertion of looks: renders the dialogs and the panel for a person to see."""
    from PySide6.QtWidgets import QApplication
    fonts.apply_application_font(QApplication.instance())
    window.resize(1280, 800)
    open_first(window)
    panel = window.panel
    for name, dialog in (("join", panel.join_dialog()), ("split", panel.split_dialog()),
                         ("leave", panel.leave_dialog(panel.members_model.item(0)))):
        qtbot.addWidget(dialog)
        dialog.show()
        if name == "join":
            dialog.name.setText("韦小花")
            dialog.id_number.setText("52272720261001002")
        dialog.adjustSize()
        assert dialog.grab().save(str(tmp_path / f"{name}.png"))
    assert window.grab().save(str(tmp_path / "window.png"))
