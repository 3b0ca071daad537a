"""防返贫监测 in the app (issue 12): the household panel's 监测 tab opens a case, does the
village steps through their dialogs, refuses what the procedure refuses (inline, nothing
written), never offers 乡镇审核/县级审批, accepts a visit's proposal; the 监测程序 list
shows each open case's next step and due date, an overdue one in red."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from sqlalchemy import func, select
from test_monitoring import low_income_visit

from fieldvisit.monitoring import cases
from fieldvisit.qt.case_panel import CasePanel
from fieldvisit.qt.ops import Ops
from fieldvisit.roster import queries
from fieldvisit.store import Insert
from fieldvisit.store.models import CaseStep, JournalEntry, MonitorCase

DAY = date(2026, 11, 20)


def ordinary(store, skip: int = 0) -> str:
    with store.reading() as conn:
        return [r.id for r in queries.household_rows(conn) if not r.monitored][skip]


def journal_count(store) -> int:
    with store.reading() as conn:
        return conn.execute(select(func.count()).select_from(JournalEntry)).scalar_one()


def stored_cases(store, household_id: str) -> list[cases.CaseView]:
    with store.reading() as conn:
        return cases.cases(conn, household_id=household_id)


@pytest.fixture
def panel(qtbot, demo_store):
    shown = CasePanel(Ops(demo_store), today=DAY)
    qtbot.addWidget(shown)
    shown.resize(760, 300)
    shown.show()
    return shown


def open_entry(panel: CasePanel, household_id: str) -> None:
    panel.show_household(household_id)
    dialog = panel.open_new()
    assert dialog is not None
    dialog.source.setCurrentIndex(dialog.source.findData("农户申报"))
    dialog.risk_boxes["因病"].setChecked(True)
    dialog.risk_boxes["其他"].setChecked(True)
    dialog.risk_other.setText("房屋漏雨")
    dialog.clue.setPlainText("12317 来电：户主住院")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def do_step(panel: CasePanel, name: str, **fill) -> None:
    dialog = panel.open_step()
    assert dialog is not None and dialog.step == name
    for field, value in fill.items():
        widget = getattr(dialog, field)
        if field == "authorised":
            widget.setChecked(value)
        elif field == "attendance":
            widget.setValue(value)
        else:
            widget.setText(value)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()


def test_a_case_opened_from_the_tab_goes_through_the_village_steps(panel, demo_store):
    home = ordinary(demo_store)
    open_entry(panel, home)
    [case] = stored_cases(demo_store, home)
    assert (case.source, case.status, case.risk_types, case.risk_other, case.clue) == (
        "农户申报", "办理中", "因病、其他", "房屋漏雨", "12317 来电：户主住院")
    assert panel.lines()[0].startswith("纳入监测（农户申报） 2026-11-20")
    assert panel.step_button.text() == "办理：入户核实…"

    do_step(panel, "入户核实", authorised=True)
    do_step(panel, "信息比对")
    do_step(panel, "民主评议", attendance=31)
    do_step(panel, "村级公示", objections="无")  # the dialog's default: the last five days
    [case] = stored_cases(demo_store, home)
    assert [(s.step, s.result, s.done_on, s.actor) for s in case.steps] == [
        (name, "通过", DAY, "测试员") for name in ("入户核实", "信息比对", "民主评议", "村级公示")]
    assert case.steps[2].details == {"attendance": 31}
    assert case.steps[3].details["publicity_from"] == DAY - timedelta(days=5)
    lines = panel.lines()
    assert "  民主评议 2026-11-20 测试员 通过 参会 31 人" in lines
    assert "  入户核实 2026-11-20 测试员 通过 农户已签授权书" in lines

    # 乡镇审核 and 县级审批 are the county's: shown, greyed, never offered here
    assert case.next_step == "乡镇审核"
    assert not panel.step_button.isEnabled() and panel.open_step() is None
    assert panel.county_hint.isVisibleTo(panel)
    assert "县服务器" in panel.county_hint.text() and "回执包" in panel.county_hint.text()
    assert [line for line in lines if "县里办理" in line] == [
        "  乡镇审核   县里办理 由乡镇、县里在县服务器上办理，结果随回执包回到本机",
        "  县级审批   县里办理 由乡镇、县里在县服务器上办理，结果随回执包回到本机"]
    assert "下一步：乡镇审核" in panel.state.text() and "应办结：2026-12-05" in panel.state.text()


def test_a_refused_step_shows_why_and_writes_nothing(panel, demo_store):
    home = ordinary(demo_store)
    open_entry(panel, home)
    before = journal_count(demo_store)
    dialog = panel.open_step()
    assert dialog.step == "入户核实" and dialog.authorised is not None
    dialog.accept()  # no signed authorisation ticked
    assert dialog.isVisible() and panel.dialog is dialog
    assert "授权书" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    dialog.failed.setChecked(True)
    assert not dialog.authorised.isEnabled()  # a 不通过 carries no details
    dialog.accept()
    assert dialog.error.text() == "入户核实不通过，请写明原因"
    assert journal_count(demo_store) == before
    dialog.note.setPlainText("户主不同意签授权书")
    dialog.accept()
    [case] = stored_cases(demo_store, home)
    assert (case.status, case.steps[0].result, case.steps[0].note) == (
        "不纳入", "不通过", "户主不同意签授权书")
    assert not panel.step_button.isEnabled()
    assert "纳入监测：不纳入（2026-11-20）" in panel.state.text()


def test_only_the_step_that_comes_next_has_its_fields(panel, demo_store):
    open_entry(panel, ordinary(demo_store))
    dialog = panel.open_step()
    assert dialog.authorised is not None
    assert dialog.attendance is None and dialog.publicity_from is None
    dialog.authorised.setChecked(True)
    dialog.accept()
    comparing = panel.open_step()
    assert comparing.step == "信息比对"
    assert (comparing.authorised, comparing.attendance, comparing.publicity_from,
            comparing.objections) == (None, None, None, None)
    comparing.reject()


def test_a_second_case_and_a_monitored_household_are_refused_before_the_dialog(
        panel, demo_store):
    home = ordinary(demo_store)
    open_entry(panel, home)
    assert panel.open_new() is None
    assert "已有正在办理的纳入监测程序" in panel.message.text()
    assert panel.message.isVisibleTo(panel)
    with demo_store.reading() as conn:
        watched = next(r.id for r in queries.household_rows(conn) if r.monitored)
    panel.show_household(watched)
    assert not panel.message.isVisibleTo(panel)
    assert panel.open_new() is None and "已是监测对象" in panel.message.text()


def test_a_visits_proposal_is_accepted_from_the_tab(panel, demo_store, formset):
    home = ordinary(demo_store)
    low_income_visit(demo_store, formset, home, DAY, wage=3000)
    panel.show_household(home)
    assert panel.lines()[0].startswith("纳入监测（干部排查）") and " 待确认 " in panel.lines()[0]
    assert panel.accept_button.isVisibleTo(panel) and panel.decline_button.isVisibleTo(panel)
    assert panel.open_step() is None  # a proposal is accepted first
    assert "下一步：确认立案" in panel.state.text()
    assert panel.accept_proposal()
    [case] = stored_cases(demo_store, home)
    assert case.status == "办理中" and case.next_step == "入户核实"
    assert not panel.accept_button.isVisibleTo(panel)
    assert panel.step_button.text() == "办理：入户核实…"


def test_a_proposal_declined_needs_its_reason(panel, demo_store, formset):
    home = ordinary(demo_store)
    low_income_visit(demo_store, formset, home, DAY, wage=3000)
    panel.show_household(home)
    dialog = panel.open_decline()
    before = journal_count(demo_store)
    dialog.accept()
    assert dialog.isVisible() and "原因" in dialog.error.text()
    assert journal_count(demo_store) == before
    dialog.reason.setPlainText("核实后务工收入稳定")
    dialog.accept()
    [case] = stored_cases(demo_store, home)
    assert case.status == "不纳入" and "不立案：核实后务工收入稳定" in (case.clue or "")


def test_elimination_refused_lists_every_reason(panel, demo_store):
    with demo_store.reading() as conn:
        watched = next(r.id for r in queries.household_rows(conn) if r.monitored)
    demo_store.write([Insert("problem", {
        "household_id": watched, "form_id": "housing", "rule_id": "c_grade",
        "category": "住房安全", "severity": "high", "text": "住房为 C 级危房",
        "opened_on": DAY})])
    panel.show_household(watched)
    assert panel.eliminate_button.isEnabled()
    before = journal_count(demo_store)
    assert panel.request_elimination() is None
    text = panel.message.text()
    assert text.startswith("现在不能申请风险消除：")
    assert text.count("\n• ") >= 2  # each reason on its own line
    assert "\n• 还没有走访记录到人均纯收入" in text
    assert "\n• 住房安全问题尚未销号：住房为 C 级危房" in text
    assert journal_count(demo_store) == before
    with demo_store.reading() as conn:
        assert conn.execute(select(func.count()).select_from(MonitorCase)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(CaseStep)).scalar_one() == 0


def test_the_tab_in_the_household_panel_follows_the_roster(qtbot, window, demo_store):
    home = ordinary(demo_store)
    assert window.select_household(home)
    panel = window.panel.cases
    assert window.panel.details.indexOf(panel) >= 0
    assert window.panel.details.tabText(window.panel.details.indexOf(panel)) == "监测"
    assert panel.ops is window.ops
    assert panel.lines() == [] and "本户没有监测程序" in panel.state.text()
    assert panel.open_button.isEnabled() and not panel.step_button.isEnabled()


def test_render_the_tab_and_each_step_dialog(qtbot, panel, demo_store, tmp_path):
    from fieldvisit.qt.app import apply_style
    from fieldvisit.qt.fonts import apply_application_font

    app = QApplication.instance()
    apply_application_font(app)
    apply_style(app)
    home = ordinary(demo_store)
    panel.show_household(home)
    opening = panel.open_new()
    qtbot.wait(20)
    assert opening.grab().save(str(tmp_path / "case-open.png"))
    opening.risk_boxes["因病"].setChecked(True)
    opening.accept()
    for name, fill in (("入户核实", {"authorised": True}), ("信息比对", {}),
                       ("民主评议", {"attendance": 30}), ("村级公示", {})):
        dialog = panel.open_step()
        qtbot.wait(20)
        assert dialog.grab().save(str(tmp_path / f"case-step-{name}.png"))
        if name == "村级公示":
            dialog.failed.setChecked(True)
            qtbot.wait(20)
            assert dialog.grab().save(str(tmp_path / "case-step-failed.png"))
            dialog.passed.setChecked(True)
        dialog.reject()
        do_step(panel, name, **fill)
    qtbot.wait(20)
    assert panel.grab().save(str(tmp_path / "case-panel.png"))
    print(tmp_path)


# --- the village list of open cases ------------------------------------------------------


def village_cases(store) -> dict[str, str]:
    """Four households in four states: overdue, waiting for the county, a proposal, new."""
    late, county, proposed, fresh = (ordinary(store, n) for n in range(4))
    cases.open_case(store, late, source="干部排查", risks=["因学"], today=DAY - timedelta(days=30))
    waiting = cases.open_case(store, county, source="农户申报", risks=["因病"],
                              today=DAY - timedelta(days=3))
    for name, extra in (("入户核实", {"authorised": True}), ("信息比对", {}),
                        ("民主评议", {"attendance": 28}),
                        ("村级公示", {"publicity_from": DAY - timedelta(days=6),
                                  "publicity_to": DAY - timedelta(days=1)})):
        cases.record_step(store, waiting, cases.StepInput(name, DAY, "王干部", **extra),
                          at_county=False)
    cases.open_case(store, proposed, source="部门预警", risks=["因残"], today=DAY,
                    department="残联", proposed=True)
    cases.open_case(store, fresh, source="农户申报", risks=["因病"], today=DAY)
    closed = ordinary(store, 4)  # a declined one is not listed
    gone = cases.open_case(store, closed, source="农户申报", risks=["因病"], today=DAY,
                           proposed=True)
    cases.decide_proposal(store, gone, False, DAY, "收入稳定")
    return {"late": late, "county": county, "proposed": proposed, "fresh": fresh,
            "closed": closed}


def code_of(store, household_id: str) -> str:
    with store.reading() as conn:
        return queries.household(conn, household_id)["code"]


def test_the_village_list_shows_next_step_due_date_and_the_overdue_in_red(qtbot, demo_store):
    from fieldvisit.qt.cases_view import DUE_COLUMN, NEXT_COLUMN, OVERDUE_COLOUR, CasesView

    homes = village_cases(demo_store)
    view = CasesView(Ops(demo_store), today=DAY)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 4  # the declined one is closed
    lines = [view.line(row) for row in range(4)]
    code = {key: code_of(demo_store, hid) for key, hid in homes.items()}
    assert lines[0].startswith(f"{code['late']} ")  # the overdue first
    assert lines[0].endswith("纳入监测 干部排查 办理中 入户核实 2026-10-21 2026-11-05")
    model = view.model
    assert model.index(0, DUE_COLUMN).data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOUR
    assert model.index(0, DUE_COLUMN).data(Qt.ItemDataRole.ToolTipRole) == "已逾期 15 天"
    assert model.index(1, DUE_COLUMN).data(Qt.ItemDataRole.ForegroundRole) is None
    by_code = {line.split()[0]: line for line in lines}
    assert by_code[code["county"]].endswith(
        "纳入监测 农户申报 已办：村级公示 乡镇审核（县里办理） 2026-11-17 2026-12-02")
    county_row = lines.index(by_code[code["county"]])
    assert "县服务器" in model.index(county_row, NEXT_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert by_code[code["proposed"]].endswith(
        "纳入监测 残联 待确认 确认立案 2026-11-20 2026-12-05")
    assert by_code[code["fresh"]].endswith(
        "纳入监测 农户申报 办理中 入户核实 2026-11-20 2026-12-05")
    assert code["closed"] not in by_code
    assert view.count_label.text() == "未办结 4 件，其中逾期 1 件"
    view.overdue_only.setChecked(True)
    assert [view.line(row).split()[0] for row in range(view.model.rowCount())] == [code["late"]]

    chosen = []
    view.household_chosen.connect(chosen.append)
    view.table.doubleClicked.emit(model.index(0, 0))
    assert chosen == [homes["late"]]


def test_the_list_follows_a_step_done_in_the_tab(qtbot, demo_store):
    from fieldvisit.qt.cases_view import CasesView

    ops = Ops(demo_store)
    home = ordinary(demo_store)
    view = CasesView(ops, today=DAY)
    panel = CasePanel(ops, today=DAY)
    qtbot.addWidget(view)
    qtbot.addWidget(panel)
    assert view.model.rowCount() == 0
    open_entry(panel, home)
    assert view.model.rowCount() == 1 and " 入户核实 " in view.line(0)
    do_step(panel, "入户核实", authorised=True)
    assert " 已办：入户核实 信息比对 " in view.line(0)


def test_a_double_click_in_the_list_opens_the_households_monitoring_tab(qtbot, window,
                                                                        demo_store):
    from fieldvisit.qt.main_window import CASES_TAB

    homes = village_cases(demo_store)
    window.tabs.setCurrentIndex(CASES_TAB)
    listed = window.cases_view
    assert listed is not None and listed.model.rowCount() == 4
    assert window.tabs.tabText(CASES_TAB) == "监测程序"
    assert window.tabs.tabText(CASES_TAB - 1) == "问题整改台账"
    window.go_to_case(homes["late"])  # another household's case chosen first
    assert window.panel.cases.lines()[0].startswith("纳入监测（干部排查）")
    window.tabs.setCurrentIndex(CASES_TAB)
    row = next(r for r in range(4) if listed.model.item(r).household_id == homes["proposed"])
    listed.table.doubleClicked.emit(listed.model.index(row, 0))
    assert window.tabs.currentIndex() == 0
    [selected] = window.table.selectionModel().selectedRows()
    assert window.roster.household_id(selected.row()) == homes["proposed"]
    assert window.panel.details.currentWidget() is window.panel.cases
    tab = window.panel.cases
    assert tab.lines()[0].startswith("纳入监测（部门预警·残联）") and tab.accept_button.isVisible()
    assert "下一步：确认立案" in tab.state.text() and not tab.step_button.isVisible()
    assert tab.accept_proposal()
    qtbot.waitUntil(lambda: any(" 入户核实 " in listed.line(r) for r in range(4)
                                if listed.model.item(r).household_id == homes["proposed"]))


def test_render_the_window_on_the_tab_and_the_list(qtbot, window, demo_store, tmp_path):
    from fieldvisit.qt.app import apply_style
    from fieldvisit.qt.fonts import apply_application_font
    from fieldvisit.qt.main_window import CASES_TAB

    app = QApplication.instance()
    apply_application_font(app)
    apply_style(app)
    window.resize(1280, 800)
    homes = village_cases(demo_store)
    window.tabs.setCurrentIndex(CASES_TAB)
    qtbot.wait(50)
    assert window.grab().save(str(tmp_path / "cases-list.png"))
    window.go_to_case(homes["county"])
    qtbot.wait(50)
    assert window.grab().save(str(tmp_path / "cases-tab.png"))
    window.go_to_case(homes["proposed"])
    qtbot.wait(50)
    assert window.grab().save(str(tmp_path / "cases-proposal.png"))
    print(tmp_path)


def test_elimination_allowed_opens_its_own_procedure(qtbot, demo_store, formset):
    from test_monitoring import entered

    home = ordinary(demo_store)
    entered(demo_store, home, date(2026, 1, 5))  # 纳入 at the county, long enough ago
    for month in (6, 9, 11):
        low_income_visit(demo_store, formset, home, date(2026, month, 1), wage=60000)
    panel = CasePanel(Ops(demo_store), today=DAY)
    qtbot.addWidget(panel)
    panel.show_household(home)
    assert panel.eliminate_button.isEnabled()
    dialog = panel.request_elimination()
    assert dialog is not None, panel.message.text()
    said = " ".join(label.text() for label in dialog.findChildren(QLabel, "case_summary"))
    assert "入户核实 → 民主评议 → 村级公示 → 乡镇审核 → 县级审批" in said
    dialog.note.setPlainText("务工收入稳定")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    entry, removal = stored_cases(demo_store, home)
    assert (removal.kind, removal.status, removal.clue, removal.next_step) == (
        "消除", "办理中", "务工收入稳定", "入户核实")
    assert panel.lines()[len(entry.steps) + 1].startswith("风险消除 2026-11-20")
    assert panel.step_button.text() == "办理：入户核实…"
    do_step(panel, "入户核实", authorised=True)
    assert panel.open_step().step == "民主评议"  # no 信息比对 in a 风险消除
    assert panel.request_elimination() is None
    assert panel.message.text() == "现在不能申请风险消除：\n• 已有正在办理的风险消除程序"


def test_a_refusal_is_in_english_when_the_app_is(panel, demo_store, monkeypatch):
    from fieldvisit.qt import i18n

    monkeypatch.setattr(i18n, "english", lambda: True)
    open_entry(panel, ordinary(demo_store))
    dialog = panel.open_step()
    dialog.accept()
    assert dialog.error.text() == ("入户核实 needs the household's signed authorisation "
                                   "(--authorised)")
    dialog.reject()
    assert panel.open_new() is None
    assert "already has an entry case in progress" in panel.message.text()
