"""Completing a visit, as a cadre does it: how the household confirms is asked on the first
page (到访情况) and kept on the draft at once; each missing piece alone refuses completion
with its own line and a link to where it is fixed; 户主不在家 lets the visit go on and
asks for the phone call before completing; 完成走访 is on screen at 1280×800."""

from __future__ import annotations

import pytest
from conftest import DEMO_DAY
from PySide6.QtCore import Qt
from test_qt_visit_wizard import a_household, answer, many_findings, open_wizard, visible_whole

from fieldvisit.qt.visit_wizard import ABSENT, VisitWizard
from fieldvisit.visits import visit


@pytest.fixture
def draft(demo_store, formset) -> str:
    return visit.start(demo_store, a_household(demo_store), formset, "测试员", DEMO_DAY)


def ready(wizard: VisitWizard) -> None:
    """Everything completion needs, so that a test can take one piece away."""
    wizard.go_to(0)
    wizard.choose_confirmation("户主签字")
    wizard.confirmed_by_edit.setText("户主本人")
    wizard.go_to(wizard.summary_index)
    wizard.accept_missing.setChecked(True)


def refusal_lines(wizard: VisitWizard) -> list[str]:
    return wizard.completion_message.text().split("<br>")[1:]


def link_of(line: str) -> str:
    return line.split("href='", 1)[1].split("'", 1)[0]


def test_the_confirmation_is_asked_on_the_first_page_and_kept_on_the_draft(
        qtbot, demo_store, formset, draft):
    wizard = open_wizard(qtbot, demo_store, formset, draft)
    wizard.go_to(0)
    assert wizard.arrival.isVisible() and wizard.confirm_buttons["户主签字"].isVisible()
    assert wizard.chosen_confirmation() is None
    head = wizard.confirmed_by_edit.text()
    qtbot.mouseClick(wizard.confirm_buttons["户主签字"], Qt.MouseButton.LeftButton)
    kept = visit.load(demo_store, draft)
    assert (kept.confirmation, kept.confirmed_by, kept.completed) == ("户主签字", head, False)
    wizard.next_page()
    assert not wizard.arrival.isVisible()  # the questions have the page to themselves
    wizard.go_to(0)
    wizard.confirmed_by_edit.setText("户主之妻")  # typed, then the wizard closed at once
    wizard.close()
    assert visit.load(demo_store, draft).confirmed_by == "户主之妻"

    again = open_wizard(qtbot, demo_store, formset, draft)  # tomorrow, the same draft
    assert again.chosen_confirmation() == "户主签字"
    again.go_to(again.summary_index)
    assert "户主签字，确认人" in again.confirmation_line.text()


def test_with_everything_given_the_visit_completes(qtbot, demo_store, formset, draft):
    wizard = open_wizard(qtbot, demo_store, formset, draft)
    ready(wizard)
    with qtbot.waitSignal(wizard.completed):
        assert wizard.complete()
    record = visit.load(demo_store, draft)
    assert (record.confirmation, record.confirmed_by) == ("户主签字", "户主本人")


@pytest.mark.parametrize("missing, words, page", [
    ("answers", "必答题", "first missing"),
    ("invalid", "不符合要求", "water"),
    ("cadre", "走访干部", None),
    ("confirmation", "确认方式", 0),
    ("absent", "户主不在家", 0),
    ("confirmed_by", "确认人", 0),
])
def test_each_missing_piece_alone_refuses_with_its_line_and_link(
        qtbot, demo_store, formset, draft, missing, words, page):
    wizard = open_wizard(qtbot, demo_store, formset, draft)
    ready(wizard)
    if missing == "answers":
        wizard.accept_missing.setChecked(False)
    elif missing == "invalid":
        answer(wizard, "water", "outage_days", 400)  # breaks its 0-366 constraint
        wizard.go_to(wizard.summary_index)
    elif missing == "cadre":
        wizard.cadre_edit.clear()
    elif missing == "confirmation":
        wizard.go_to(0)
        button = wizard.confirm_buttons["户主签字"]
        button.setAutoExclusive(False)
        button.setChecked(False)
        button.setAutoExclusive(True)
        wizard.go_to(wizard.summary_index)
    elif missing == "absent":
        wizard.go_to(0)
        wizard.choose_confirmation(ABSENT)
        wizard.go_to(wizard.summary_index)
    elif missing == "confirmed_by":
        wizard.go_to(0)
        wizard.confirmed_by_edit.clear()
        wizard.go_to(wizard.summary_index)

    assert wizard.complete_button.isVisible()
    assert not wizard.complete()
    lines = refusal_lines(wizard)
    assert len(lines) == 1 and words in lines[0], lines
    assert "1 项" in wizard.completion_message.text()
    assert not visit.load(demo_store, draft).completed
    if page is None:
        assert wizard.cadre_edit.property("needed") is True  # marked where it is typed
        return
    wizard.completion_message.linkActivated.emit(link_of(lines[0]))
    if page == 0:
        assert wizard.current_index == 0 and wizard.arrival.isVisible()
    elif page == "water":
        assert wizard.pages[wizard.current_index].form_id == "water"
    else:
        assert wizard.current_index < wizard.summary_index


def test_head_not_at_home_goes_on_and_asks_for_the_phone_call_before_completing(
        qtbot, demo_store, formset, draft):
    wizard = open_wizard(qtbot, demo_store, formset, draft)
    wizard.go_to(0)
    qtbot.mouseClick(wizard.confirm_buttons[ABSENT], Qt.MouseButton.LeftButton)
    assert "电话" in wizard.confirm_hint.text()
    assert visit.load(demo_store, draft).confirmation is None  # not confirmed: nothing kept
    wizard.close()
    wizard = open_wizard(qtbot, demo_store, formset, draft)  # reopened: still away
    assert wizard.chosen_confirmation() == ABSENT
    wizard.next_page()  # the visit goes on with whoever is at home
    wizard.go_to(wizard.summary_index)
    wizard.accept_missing.setChecked(True)
    assert "户主不在家" in wizard.confirmation_line.text()
    assert not wizard.complete()
    assert wizard.confirm_buttons["电话确认"].property("needed") is True
    wizard.completion_message.linkActivated.emit(link_of(refusal_lines(wizard)[0]))
    assert wizard.current_index == 0
    qtbot.mouseClick(wizard.confirm_buttons["电话确认"], Qt.MouseButton.LeftButton)
    wizard.confirmed_by_edit.setText("户主（电话）")
    wizard.go_to(wizard.summary_index)
    with qtbot.waitSignal(wizard.completed):
        assert wizard.complete()
    record = visit.load(demo_store, draft)
    assert (record.confirmation, record.confirmed_by) == ("电话确认", "户主（电话）")


def test_the_finish_button_is_on_screen_at_1280_by_800(qtbot, qapp, demo_store, formset, draft):
    wizard = open_wizard(qtbot, demo_store, formset, draft)
    wizard.resize(1280, 720)  # what a 1280×800 screen leaves below its taskbar and title bar
    many_findings(wizard)
    wizard.go_to(wizard.summary_index)
    qtbot.wait(20)
    assert wizard.summary_scroll.verticalScrollBar().maximum() > 0  # findings scroll
    assert visible_whole(wizard.complete_button, wizard)
    assert wizard.height() <= 720
