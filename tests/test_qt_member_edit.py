"""Editing a member: checks from fieldvisit.roster.checks shown next to the fields, errors
refused, a good edit written through Store.write (journaled) and shown at once."""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from sqlalchemy import select

from fieldvisit import idcard
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.qt.member_dialog import MemberDialog
from fieldvisit.roster.vocab import HEAD
from fieldvisit.store.models import Household, JournalEntry, Member

GOOD_PHONE = "13987654321"


def first_head(window: MainWindow):
    household_id = window.roster.household_id(0)
    window.select_household(household_id)
    head = window.panel.members_model.item(0)
    assert head.relation == HEAD
    return head


def journal(store, member_id: str) -> list[JournalEntry]:
    with store.session() as session:
        return list(session.scalars(select(JournalEntry).where(
            JournalEntry.entity == "member", JournalEntry.entity_id == member_id)))


def test_a_malformed_phone_is_refused_with_a_message(qtbot, window, demo_store):
    head = first_head(window)
    dialog = MemberDialog(head, date.today(), window)
    qtbot.addWidget(dialog)
    phone = dialog.inputs["phone"]
    assert isinstance(phone, QLineEdit)
    phone.setText("1398765")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() != MemberDialog.DialogCode.Accepted
    message = dialog.problem_labels["phone"]
    assert message.isVisibleTo(dialog) and "电话号码" in message.text()
    assert message.property("severity") == "error"
    assert [e for e in journal(demo_store, head.id) if e.field == "phone"] == []


def test_a_bad_id_is_refused_and_a_fixed_one_accepted(qtbot, window):
    head = first_head(window)
    dialog = MemberDialog(head, date.today(), window)
    qtbot.addWidget(dialog)
    dialog.inputs["id_number"].setText(head.id_number[:-1] + ("0" if head.id_number[-1] != "0"
                                                              else "1"))
    assert not dialog.validate()
    assert "校验位" in dialog.problem_labels["id_number"].text()
    dialog.inputs["id_number"].setText(head.id_number.lower())
    assert dialog.validate()
    assert dialog.changes() == {}


def test_a_warning_is_shown_but_does_not_block(qtbot, window):
    head = first_head(window)
    dialog = MemberDialog(head, date.today(), window)
    qtbot.addWidget(dialog)
    relation = "之女" if head.sex == "男" else "之子"  # a relation that implies the other sex
    dialog.inputs["relation"].setCurrentIndex(dialog.inputs["relation"].findData(relation))
    assert dialog.validate()
    assert dialog.problem_labels["sex"].property("severity") == "warning"
    assert dialog.problem_labels["sex"].isVisibleTo(dialog)


def test_with_a_valid_id_the_sex_follows_it_and_cannot_be_set_against_it(qtbot, window):
    head = first_head(window)
    dialog = MemberDialog(head, date.today(), window)
    qtbot.addWidget(dialog)
    dialog.validate()
    assert not dialog.inputs["sex"].isEnabled()
    assert dialog.inputs["sex"].currentData() == head.sex
    dialog.inputs["id_number"].setText("")  # no ID: the cadre says the sex
    dialog.validate()
    assert dialog.inputs["sex"].isEnabled()


def test_a_good_phone_is_saved_journaled_and_shown(qtbot, window, demo_store):
    head = first_head(window)

    def fill_in_and_save() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MemberDialog)
        dialog.inputs["phone"].setText("139 8765 4321")  # spaces as people type them
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(0, fill_in_and_save)
    window.edit_member(head)

    with demo_store.session() as session:
        assert session.get(Member, head.id).phone == GOOD_PHONE
    entries = [e for e in journal(demo_store, head.id) if e.field == "phone"]
    assert len(entries) == 1
    assert json.loads(entries[0].old) == head.phone
    assert json.loads(entries[0].new) == GOOD_PHONE
    assert entries[0].actor == "测试员"
    row = window.roster.row_of(head.values["household_id"])
    assert window.roster.data(window.roster.index(row, 6)) == GOOD_PHONE
    assert window.panel.members_model.item(0).phone == GOOD_PHONE
    assert head.values["household_id"] in window.search_index.matches(GOOD_PHONE)


def test_cancelling_the_dialog_writes_nothing(qtbot, window, demo_store):
    head = first_head(window)
    before = len(journal(demo_store, head.id))

    def type_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.inputs["phone"].setText(GOOD_PHONE)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, type_and_cancel)
    window.edit_member(head)
    assert len(journal(demo_store, head.id)) == before


def test_a_new_id_brings_its_sex_and_birth_date(qtbot, window):
    head = first_head(window)
    dialog = MemberDialog(head, date.today(), window)
    qtbot.addWidget(dialog)
    other = "女" if head.sex == "男" else "男"
    born = date(1980, 5, 17)
    new_id = idcard.make(head.id_number[:6], born, 2 if other == "女" else 3)
    dialog.inputs["id_number"].setText(new_id)
    assert dialog.validate()
    assert dialog.inputs["sex"].currentData() == other
    assert dialog.changes() == {"id_number": new_id, "birth_date": born, "sex": other}


def test_an_id_already_held_by_another_member_is_refused(qtbot, window, demo_store):
    head = first_head(window)
    with demo_store.reading() as conn:
        other, code = conn.execute(
            select(Member.id_number, Household.code).join(Household)
            .where(Member.id != head.id, Member.deleted.is_(False)).limit(1)).one()
    dialog = MemberDialog(head, date.today(), window, id_holder=window._id_holder(head.id))
    qtbot.addWidget(dialog)
    dialog.inputs["id_number"].setText(other)
    assert not dialog.validate()
    assert f"户 {code}" in dialog.problem_labels["id_number"].text()
    dialog.inputs["id_number"].setText(head.id_number)  # back to the member's own: fine
    assert dialog.validate()
