"""The guided visit driven through qtbot on the demo village: real clicks and typing, every
answer saved as it changes, questions shown and hidden live, findings on the summary,
completion opening ledger problems, a read-only completed visit, a draft reopened exactly,
and the household panel's visit history. Screenshots: see the ``screenshots`` fixture."""

from __future__ import annotations

import pytest
from conftest import DEMO_DAY
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from fieldvisit.checklist.forms import bundled_forms_dir, load_forms
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.qt.ops import Ops
from fieldvisit.qt.question_widgets import ChoiceWidget, NumberWidget, PhotoWidget, YesNoWidget
from fieldvisit.qt.visit_wizard import VisitWizard
from fieldvisit.store.models import Household, Member
from fieldvisit.visits import ledger, photos, visit
from fieldvisit.visits.visit import VisitError


def a_household(store, min_members: int = 3) -> str:
    """A demo household with a few members (so per-member pages repeat)."""
    with store.reading() as conn:
        households = conn.execute(select(Household.id).order_by(Household.id)).scalars().all()
        for household_id in households:
            count = len(conn.execute(select(Member.id).where(
                Member.household_id == household_id)).all())
            if count >= min_members:
                return household_id
    raise AssertionError("no demo household with enough members")


def open_wizard(qtbot, store, formset, visit_id: str) -> VisitWizard:
    wizard = VisitWizard(Ops(store), formset, visit_id, today=DEMO_DAY)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def page_index(wizard: VisitWizard, form_id: str, title: str, instance: str = "") -> int:
    return next(i for i, spec in enumerate(wizard.pages)
                if spec.form_id == form_id and spec.title == title
                and (not instance or spec.instance == instance))


def click_yes_no(qtbot, wizard: VisitWizard, question_id: str, answer: bool) -> None:
    widget = wizard.page_widget(wizard.current_index).widgets[question_id]
    assert isinstance(widget, YesNoWidget)
    qtbot.mouseClick(widget.yes if answer else widget.no, Qt.MouseButton.LeftButton)


def click_choice(qtbot, wizard: VisitWizard, question_id: str, value: str) -> None:
    widget = wizard.page_widget(wizard.current_index).widgets[question_id]
    assert isinstance(widget, ChoiceWidget)
    qtbot.mouseClick(widget.buttons[value], Qt.MouseButton.LeftButton)


def type_number(qtbot, wizard: VisitWizard, question_id: str, text: str) -> None:
    widget = wizard.page_widget(wizard.current_index).widgets[question_id]
    assert isinstance(widget, NumberWidget)
    widget.edit.setFocus()
    qtbot.keyClicks(widget.edit, text)


def saved(store, visit_id: str) -> dict:
    return visit.load(store, visit_id).answers_by_form


def go_next(qtbot, wizard: VisitWizard) -> None:
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)


def test_a_whole_visit_saved_as_it_goes_then_completed_into_the_ledger(
        qtbot, demo_store, formset):
    household_id = a_household(demo_store)
    visit_id = visit.start(demo_store, household_id, formset, "测试员", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    assert wizard.current_index == 0
    assert wizard.progress_label.text() == f"第 1 / {len(wizard.pages) + 1} 页"

    # Page 1, 两不愁 · 吃: the follow-up question appears only when food is short.
    page = wizard.page_widget(0)
    assert page.blocks["food_short_months"].isHidden()
    click_yes_no(qtbot, wizard, "food_all_year", False)
    assert not page.blocks["food_short_months"].isHidden()
    assert saved(demo_store, visit_id)["basic_needs"]["food_all_year"] is False
    click_yes_no(qtbot, wizard, "food_all_year", True)
    assert page.blocks["food_short_months"].isHidden()
    click_yes_no(qtbot, wizard, "meat_monthly", True)
    go_next(qtbot, wizard)
    assert wizard.current_index == 1
    assert saved(demo_store, visit_id)["basic_needs"] == {"food_all_year": True,
                                                          "meat_monthly": True}

    # 饮水安全: radio buttons, a typed number (saved after the pause, or at the page change).
    wizard.go_to(page_index(wizard, "water", "水源"))
    click_choice(qtbot, wizard, "area_type", "rich")
    click_choice(qtbot, wizard, "supply_type", "piped")
    go_next(qtbot, wizard)
    assert saved(demo_store, visit_id)["water"] == {"area_type": "rich", "supply_type": "piped"}
    type_number(qtbot, wizard, "litres_household", "30")
    qtbot.waitUntil(lambda: saved(demo_store, visit_id)["water"].get("litres_household") == 30,
                    timeout=3000)
    go_next(qtbot, wizard)
    click_choice(qtbot, wizard, "water_quality", "ok")
    go_next(qtbot, wizard)
    convenience = wizard.page_widget(wizard.current_index)
    assert wizard.pages[wizard.current_index].title == "用水方便程度"
    assert convenience.blocks["trip_minutes"].isHidden()
    click_yes_no(qtbot, wizard, "tap_in_yard", False)
    assert not convenience.blocks["trip_minutes"].isHidden()
    click_yes_no(qtbot, wizard, "tap_in_yard", True)
    assert convenience.blocks["trip_minutes"].isHidden()
    go_next(qtbot, wizard)
    type_number(qtbot, wizard, "outage_days", "400")  # over 366: the constraint speaks
    problem = wizard.page_widget(wizard.current_index).problems["outage_days"]
    assert problem.isVisibleTo(wizard) and "0 到 366" in problem.text()
    wizard.page_widget(wizard.current_index).widgets["outage_days"].edit.clear()
    type_number(qtbot, wizard, "outage_days", "5")
    assert not problem.isVisibleTo(wizard)
    go_next(qtbot, wizard)  # the page change saves what was just typed
    assert saved(demo_store, visit_id)["water"]["outage_days"] == 5

    # A per-member page: 基本医疗 for a member, titled with name and age.
    medical = page_index(wizard, "medical", "参保")
    wizard.go_to(medical)
    spec = wizard.pages[medical]
    assert "岁）" in wizard.member_label.text() and wizard.member_label.text() == spec.member
    click_choice(qtbot, wizard, "insurance", "resident")
    click_yes_no(qtbot, wizard, "serious_illness", True)
    go_next(qtbot, wizard)
    assert saved(demo_store, visit_id)["medical"][spec.instance] == {
        "insurance": "resident", "serious_illness": True}

    # The summary: the water finding, grouped under its category, and the missing answers.
    wizard.go_to(wizard.summary_index)
    summary = wizard.findings_label.text()
    household_size = len(wizard.members)
    assert "饮水安全" in summary and "水量不达标" in summary
    assert f"每人每天约 {round(30 / household_size, 1):g} 升" in summary
    assert "尚未回答的必答题" in summary

    # Completion: one refusal names everything missing at once, then done.
    qtbot.mouseClick(wizard.complete_button, Qt.MouseButton.LeftButton)
    refusal = wizard.completion_message.text()
    assert "2 项" in refusal and "必答题" in refusal and "确认方式" in refusal
    wizard.accept_missing.setChecked(True)  # the list follows as things are fixed
    assert "1 项" in wizard.completion_message.text()
    assert "必答题" not in wizard.completion_message.text()
    assert wizard.cadre_edit.text() == demo_store.actor
    wizard.go_to(0)  # 到访情况 is on the first page, where the cadre arrives
    assert wizard.arrival.isVisible()
    qtbot.mouseClick(wizard.confirm_buttons["电话确认"], Qt.MouseButton.LeftButton)
    wizard.confirmed_by_edit.setText("张户主")
    wizard.go_to(wizard.summary_index)
    assert "电话确认，确认人 张户主" in wizard.confirmation_line.text()
    with qtbot.waitSignal(wizard.completed) as completed:
        qtbot.mouseClick(wizard.complete_button, Qt.MouseButton.LeftButton)
    opened = completed.args[1]
    assert opened >= 1
    assert f"新开 {opened} 个整改问题" in wizard.done_label.text()
    with demo_store.reading() as conn:
        problems = [p for p in ledger.problems(conn) if p.visit_id == visit_id]
    assert len(problems) == opened
    assert any(p.form_id == "water" and p.rule_id == "quantity" and p.status == "待整改"
               for p in problems)
    record = visit.load(demo_store, visit_id)
    assert record.completed and record.confirmation == "电话确认"
    assert record.confirmed_by == "张户主"

    # Reopened: read-only, every answer shown, no way to change it.
    wizard.close()
    again = open_wizard(qtbot, demo_store, formset, visit_id)
    assert again.read_only and not again.completion.isVisibleTo(again)
    again.go_to(page_index(again, "water", "水源"))
    area = again.page_widget(again.current_index).widgets["area_type"]
    assert not area.isEnabled() and area.value() == "rich"
    again.go_to(again.summary_index)
    assert "电话确认" in again.done_label.text()
    with pytest.raises(VisitError):
        visit.save_answer(demo_store, visit_id, "water", "", "area_type", "short")


def test_closing_mid_visit_and_reopening_gives_the_same_answers_and_page(
        qtbot, demo_store, formset):
    household_id = a_household(demo_store)
    visit_id = visit.start(demo_store, household_id, formset, "测试员", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    click_yes_no(qtbot, wizard, "food_all_year", False)
    type_number(qtbot, wizard, "food_short_months", "2")
    income = page_index(wizard, "income", "收入")
    wizard.go_to(income)
    money = next(qid for qid, w in wizard.page_widget(income).widgets.items()
                 if isinstance(w, NumberWidget) and w.money)
    type_number(qtbot, wizard, money, "12000.5")
    wizard.close()  # within the 300 ms pause: closing saves it

    assert visit.start(demo_store, household_id, formset, "测试员", DEMO_DAY) == visit_id
    reopened = open_wizard(qtbot, demo_store, formset, visit_id)
    assert reopened.current_index == income
    assert reopened.page_widget(income).widgets[money].value() == 12000.5
    assert reopened.page_widget(income).widgets[money].edit.text() == "12000.5"
    first = reopened.page_widget(0)
    assert first.widgets["food_all_year"].value() is False
    assert first.widgets["food_short_months"].value() == 2
    assert not first.blocks["food_short_months"].isHidden()
    assert saved(demo_store, visit_id)["basic_needs"] == {"food_all_year": False,
                                                          "food_short_months": 2}


def test_a_photo_is_stored_with_the_visit(qtbot, demo_store, formset, tmp_path):
    visit_id = visit.start(demo_store, a_household(demo_store), formset, "测试员", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    wizard.go_to(page_index(wizard, "water", "供水保证率"))
    widget = wizard.page_widget(wizard.current_index).widgets["photo"]
    assert isinstance(widget, PhotoWidget) and widget.button.text() == "添加照片…"
    image = QImage(32, 24, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    picture = tmp_path / "水井.png"
    assert image.save(str(picture))
    not_a_photo = tmp_path / "notes.png"
    not_a_photo.write_text("hello")
    assert not widget.attach_file(not_a_photo)
    assert widget.error.isVisibleTo(wizard)
    assert widget.attach_file(picture)
    assert "水井.png" in widget.shown.text()
    photo_id = saved(demo_store, visit_id)["water"]["photo"]
    with demo_store.reading() as conn:
        stored = photos.photos_of(conn, visit_id=visit_id)
    assert photo_id and [p.file_name for p in stored] == ["水井.png"]


def test_a_draft_under_an_updated_checklist_says_what_it_could_not_carry(
        qtbot, demo_store):
    old_forms = load_forms(bundled_forms_dir())
    visit_id = visit.start(demo_store, a_household(demo_store), old_forms, "测试员", DEMO_DAY)
    visit.save_answer(demo_store, visit_id, "water", "", "area_type", "rich")
    visit.save_answer(demo_store, visit_id, "water", "", "old_question", 3)
    new_forms = load_forms(bundled_forms_dir())
    new_forms["water"].version += 1
    wizard = VisitWizard(Ops(demo_store), new_forms, visit_id, today=DEMO_DAY)
    qtbot.addWidget(wizard)
    banner = wizard.findChild(QLabel, "carry_over")
    assert banner is not None and "old_question" in banner.text()
    assert saved(demo_store, visit_id)["water"] == {"area_type": "rich"}
    assert visit.load(demo_store, visit_id).form_versions["water"] == new_forms["water"].version


def test_keyboard_alone_moves_between_pages(qtbot, demo_store, formset):
    visit_id = visit.start(demo_store, a_household(demo_store), formset, "测试员", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    wizard.activateWindow()
    qtbot.waitActive(wizard)
    window = wizard.windowHandle()  # through the window system, where shortcuts are matched
    QTest.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert wizard.current_index == 1
    QTest.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert wizard.current_index == 0
    assert not wizard.prev_button.isEnabled()


def test_the_household_panel_starts_a_visit_and_shows_its_history(qtbot, window, demo_store):
    household_id = window.roster.household_id(0)
    assert window.select_household(household_id)
    panel = window.panel
    assert panel.visit_button.isEnabled() and panel.visit_button.text() == "开始走访"
    assert panel.visits_view.rowCount() == 0
    qtbot.mouseClick(panel.visit_button, Qt.MouseButton.LeftButton)
    wizard = window.findChild(VisitWizard)
    assert wizard is not None and wizard.isVisible()
    assert panel.visit_button.text() == "继续走访"
    assert "草稿" in panel.visit_line(0)

    wizard.go_to(page_index(wizard, "water", "水量"))
    type_number(qtbot, wizard, "litres_household", "10")
    wizard.go_to(wizard.summary_index)
    wizard.accept_missing.setChecked(True)
    wizard.choose_confirmation("户主签字")
    wizard.confirmed_by_edit.setText("户主本人")
    assert wizard.complete()
    wizard.close()
    qtbot.waitUntil(lambda: window.findChild(VisitWizard) is None, timeout=3000)
    line = panel.visit_line(0)
    with demo_store.reading() as conn:
        opened = len([p for p in ledger.problems(conn) if p.household_id == household_id])
    assert "已完成" in line and demo_store.actor in line and f"{opened} 个" in line
    assert opened >= 1
    assert panel.visit_button.text() == "开始走访"


def test_screenshots_of_a_question_page_a_member_page_and_the_summary(
        qtbot, qapp, demo_store, formset, screenshots):
    from fieldvisit.qt import app, fonts

    fonts.apply_application_font(qapp)
    app.apply_style(qapp)
    visit_id = visit.start(demo_store, a_household(demo_store), formset, "测试员", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    wizard.resize(960, 760)
    wizard.go_to(page_index(wizard, "water", "用水方便程度"))
    click_yes_no(qtbot, wizard, "tap_in_yard", False)
    type_number(qtbot, wizard, "trip_minutes", "35")
    qtbot.wait(50)
    assert wizard.grab().save(str(screenshots / "visit_wizard_page.png"))

    wizard.go_to(page_index(wizard, "medical", "看病"))
    click_yes_no(qtbot, wizard, "chronic", True)
    type_number(qtbot, wizard, "self_pay", "12800")
    qtbot.wait(50)
    assert wizard.grab().save(str(screenshots / "visit_wizard_member.png"))

    wizard.go_to(page_index(wizard, "water", "水量"))
    type_number(qtbot, wizard, "litres_household", "40")
    wizard.go_to(page_index(wizard, "water", "水质"))
    click_choice(qtbot, wizard, "water_quality", "fail")
    wizard.go_to(wizard.summary_index)
    qtbot.wait(50)
    assert wizard.grab().save(str(screenshots / "visit_wizard_summary.png"))
    assert "水质不达标" in wizard.findings_label.text()


def test_a_completed_visit_is_corrected_by_a_new_visit_with_a_reason(
        qtbot, demo_store, formset):
    household_id = a_household(demo_store)
    visit_id = visit.start(demo_store, household_id, formset, "李干部", DEMO_DAY)
    visit.save_answer(demo_store, visit_id, "water", "", "litres_household", 20)
    visit.complete(demo_store, visit_id, formset, DEFAULT_SETTINGS, "李干部", "户主签字",
                   "户主", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    assert wizard.read_only
    wizard.correct_button.click()  # no reason: refused, and said why
    assert "原因" in wizard.correction_error.text()
    wizard.correction_reason.setText("水量记错，应为 200 升")
    with qtbot.waitSignal(wizard.corrected) as corrected:
        wizard.correct_button.click()
    draft = visit.load(demo_store, corrected.args[0])
    assert draft.corrects == visit_id and draft.correction_reason == "水量记错，应为 200 升"
    assert draft.answers_by_form["water"]["litres_household"] == 20  # carried, editable
    assert visit.load(demo_store, visit_id).completed  # the original stays as it was


def test_a_completed_visit_shows_the_findings_it_kept_not_todays(qtbot, demo_store, formset):
    household_id = a_household(demo_store)
    visit_id = visit.start(demo_store, household_id, formset, "李干部", DEMO_DAY)
    visit.save_answer(demo_store, visit_id, "water", "", "litres_household", 10)
    visit.complete(demo_store, visit_id, formset, DEFAULT_SETTINGS, "李干部", "户主签字",
                   "户主", DEMO_DAY)
    kept = [f.text for f in visit.seen(demo_store, visit_id, formset, DEFAULT_SETTINGS).findings]
    assert any("水量不达标" in text for text in kept)
    # Since then the county lowered the water line: today's rules would find nothing.
    lenient = {**DEFAULT_SETTINGS, "water_litres_rich": 1, "water_litres_short": 1}
    wizard = VisitWizard(Ops(demo_store), formset, visit_id, settings=lenient, today=DEMO_DAY)
    qtbot.addWidget(wizard)
    assert not any("水量不达标" in f.text for f in wizard.evaluation.findings)
    wizard.go_to(len(wizard.pages))  # the summary
    shown = wizard.findings_label.text()
    assert all(text in shown for text in kept) and "水量不达标" in shown
    banner = wizard.findChild(QLabel, "read_only_banner")
    assert "留存的记录" in banner.text()


def visible_whole(widget, wizard: VisitWizard) -> bool:
    """On screen in the wizard without scrolling: shown, not clipped by a scroll area or
    the window's edge."""
    if not widget.isVisibleTo(wizard):
        return False
    if widget.visibleRegion().boundingRect().size() != widget.size():
        return False
    top_left = widget.mapTo(wizard, widget.rect().topLeft())
    return wizard.rect().contains(top_left) and wizard.rect().contains(
        widget.mapTo(wizard, widget.rect().bottomRight()))


def answer(wizard: VisitWizard, form_id: str, question_id: str, value, instance: str = ""):
    spec = next(s for s in wizard.pages if s.form_id == form_id and question_id in s.questions
                and (not instance or s.instance == instance))
    wizard.answer_changed(spec, question_id, value, False)
    return spec


def many_findings(wizard: VisitWizard) -> None:
    """Answers that find a problem in nearly every form, for a long summary."""
    answer(wizard, "basic_needs", "food_all_year", False)
    answer(wizard, "basic_needs", "meat_monthly", False)
    answer(wizard, "basic_needs", "clothes_four_seasons", False)
    answer(wizard, "water", "litres_household", 20)
    answer(wizard, "water", "water_quality", "fail")
    answer(wizard, "water", "tap_in_yard", False)
    answer(wizard, "water", "trip_minutes", 50)
    answer(wizard, "water", "outage_days", 90)
    answer(wizard, "housing", "house_grade", "D")
    for spec in [s for s in wizard.pages if s.form_id == "medical"
                 and "insurance" in s.questions]:
        answer(wizard, "medical", "insurance", "none", spec.instance)


@pytest.mark.parametrize("size", [(960, 720), (1280, 720)])
def test_the_completion_controls_are_in_view_on_a_long_summary(qtbot, qapp, demo_store,
                                                                formset, size, screenshots):
    from fieldvisit.qt import app, fonts

    fonts.apply_application_font(qapp)
    app.apply_style(qapp)
    visit_id = visit.start(demo_store, a_household(demo_store), formset, "测试员", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    wizard.resize(*size)  # the wizard's own size, and the whole of a 1280×800 screen
    many_findings(wizard)
    wizard.go_to(wizard.summary_index)
    qtbot.wait(50)
    assert len(wizard.evaluation.findings) >= 8  # more than the page holds: it scrolls
    assert wizard.summary_scroll.verticalScrollBar().maximum() > 0
    for control in (wizard.cadre_edit, wizard.accept_missing, wizard.confirmation_line,
                    wizard.complete_button, wizard.prev_button):
        assert visible_whole(control, wizard), control
    assert not wizard.next_button.isVisible()
    wizard.complete()
    qtbot.wait(50)
    assert visible_whole(wizard.completion_message, wizard)
    assert wizard.grab().save(str(screenshots / f"visit_wizard_refused_{size[0]}.png"))


def test_one_refusal_lists_every_missing_piece_and_links_to_the_answers(
        qtbot, demo_store, formset):
    visit_id = visit.start(demo_store, a_household(demo_store), formset, "测试员", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    answer(wizard, "water", "outage_days", 400)  # breaks its 0-366 constraint
    wizard.go_to(wizard.summary_index)
    wizard.cadre_edit.clear()
    wizard.confirmed_by_edit.clear()
    qtbot.mouseClick(wizard.complete_button, Qt.MouseButton.LeftButton)
    message = wizard.completion_message.text()
    assert "5 项" in message
    for piece in ("不符合要求", "必答题", "走访干部", "确认方式", "确认人"):
        assert piece in message, piece
    for control in (wizard.cadre_edit, wizard.confirmed_by_edit, wizard.accept_missing,
                    *wizard.confirm_buttons.values()):
        assert control.property("needed") is True
    assert not visit.load(demo_store, visit_id).completed

    # Each fix takes its line away; the rest stay listed.
    wizard.cadre_edit.insert("李干部")  # typed (keyClicks types ASCII only)
    assert "4 项" in wizard.completion_message.text()
    assert "走访干部" not in wizard.completion_message.text()
    assert not wizard.cadre_edit.property("needed")
    wizard.choose_confirmation("户主签字")
    wizard.confirmed_by_edit.setText("户主本人")
    wizard.accept_missing.setChecked(True)
    message = wizard.completion_message.text()
    assert "1 项" in message and "不符合要求" in message

    # The link goes to the answer to correct.
    link = message.split("href='", 1)[1].split("'", 1)[0]
    wizard.findings_label.linkActivated.emit(link)  # the same slot as the message's link
    assert wizard.pages[wizard.current_index].form_id == "water"
    assert "outage_days" in wizard.pages[wizard.current_index].questions
    answer(wizard, "water", "outage_days", 30)
    wizard.go_to(wizard.summary_index)
    with qtbot.waitSignal(wizard.completed):
        qtbot.mouseClick(wizard.complete_button, Qt.MouseButton.LeftButton)
    assert wizard.completion_message.text() == ""
    record = visit.load(demo_store, visit_id)
    assert record.completed and record.cadre == "李干部" and record.confirmed_by == "户主本人"


def test_a_members_finding_names_the_member_once(qtbot, demo_store, formset):
    visit_id = visit.start(demo_store, a_household(demo_store), formset, "测试员", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    spec = next(s for s in wizard.pages if s.form_id == "medical" and "chronic" in s.questions)
    answer(wizard, "medical", "chronic", True, spec.instance)
    answer(wizard, "medical", "chronic_card", False, spec.instance)
    wizard.go_to(wizard.summary_index)
    name = wizard.members[spec.instance]["name"]
    found = [f for f in wizard.evaluation.findings if f.member_id == spec.instance]
    assert found and all(name in f.text for f in found)
    shown = wizard.findings_label.text()
    assert f"{name} 患慢性病，尚未办理慢性病卡。" in shown
    assert f"{name}：{name}" not in shown
    listed = shown.split("尚未回答的必答题")[0]  # the findings, before the missing answers
    assert listed.count(name) == len(found)


def test_the_kind_of_visit_and_the_visitors_role_are_kept_on_the_draft(
        qtbot, demo_store, formset):
    visit_id = visit.start(demo_store, a_household(demo_store), formset, "测试员", DEMO_DAY)
    wizard = open_wizard(qtbot, demo_store, formset, visit_id)
    wizard.go_to(0)  # asked in 到访情况, on the first page
    assert wizard.role_combo.isVisible()
    wizard.role_combo.setCurrentIndex(wizard.role_combo.findData("帮扶责任人"))
    wizard.kind_combo.setCurrentIndex(wizard.kind_combo.findData("遍访"))
    assert "村支书或第一书记" in wizard.arrival_message.text()  # refused, nothing kept
    kept = visit.load(demo_store, visit_id)
    assert (kept.kind, kept.visitor_role) == ("日常走访", "帮扶责任人")
    wizard.role_combo.setCurrentIndex(wizard.role_combo.findData("第一书记"))
    assert wizard.arrival_message.isHidden()
    kept = visit.load(demo_store, visit_id)
    assert (kept.kind, kept.visitor_role) == ("遍访", "第一书记")
