"""The household panel's 监测 tab: the household's 防返贫监测 cases and what can be done
next on this laptop.

Each case is a line (纳入监测 or 风险消除, its source and status) with its steps below
it: those done (day, who, result, note and details) and those still to come, greyed;
乡镇审核 and 县级审批 are named with where they are done, because a laptop cannot do
them (the county records them and the return bundle brings the result). The buttons
act on the chosen case: 立案…, 确认立案 / 不立案… for a proposal (待确认, from a visit or
a department list), 办理：<next step>… and 申请风险消除…. Every write goes through the op
runner into ``monitoring.cases`` / ``monitoring.elimination``; the tab reads its cases
again from the runner's broadcast (one household's cases are a couple of quick
queries, so on the UI thread). What the core refuses shows in the tab or the dialog,
in the app's language.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.checklist import installed
from fieldvisit.checklist.settings import Settings, load_settings
from fieldvisit.monitoring import cases, elimination
from fieldvisit.monitoring.cases import CaseError, CaseView, StepInput, StepView
from fieldvisit.qt import i18n
from fieldvisit.qt.case_dialogs import (
    DeclineDialog,
    EliminationDialog,
    OpenCaseDialog,
    StepDialog,
    kind_label,
)
from fieldvisit.qt.fit import fit_height
from fieldvisit.qt.ops import Changed, Ops
from fieldvisit.roster import queries
from fieldvisit.roster.vocab import risks_label
from fieldvisit.store.fields import CASE_SOURCES

PENDING_COLOUR = QColor("#8a8a8a")
FAILED_COLOUR = QColor("#b42318")
CASE_ROLE = Qt.ItemDataRole.UserRole
_Dialog = TypeVar("_Dialog", bound=QDialog)


class CasePanel(QWidget):
    """One household's cases and the actions on the chosen one."""

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._today = today
        self._household: dict[str, Any] | None = None
        self._cases: list[CaseView] = []
        self._settings: Settings | None = None
        self.dialog: QDialog | None = None
        ops.changed.connect(self._changed)

        self.tree = QTreeWidget()
        self.tree.setObjectName("cases")
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels([self.tr("程序 / 步骤"), self.tr("日期"), self.tr("办理人"),
                                   self.tr("结果"), self.tr("说明")])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        # the tab is narrow: a note is cut off (whole in its tooltip) rather than scrolled
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tree.header()
        header.setStretchLastSection(True)
        for column in range(4):  # steps, days, names and results whole; notes take the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda _now, _before: self._update_actions())

        self.state = QLabel()  # the chosen case: next step and 应办结
        self.state.setObjectName("case_state")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.county_hint = QLabel()
        self.county_hint.setObjectName("hint")
        self.county_hint.setWordWrap(True)
        self.message = QLabel()  # what the core refused, in the app's language
        self.message.setObjectName("case_message")
        self.message.setWordWrap(True)
        self.message.setProperty("severity", "error")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()

        self.open_button = self._button(self.tr("立案…"), "open_case", self.open_new)
        self.accept_button = self._button(self.tr("确认立案"), "accept_case", self.accept_proposal)
        self.decline_button = self._button(self.tr("不立案…"), "decline_case", self.open_decline)
        self.step_button = self._button(self.tr("办理下一步…"), "next_step", self.open_step)
        self.step_button.setObjectName("primary")
        self.eliminate_button = self._button(self.tr("申请风险消除…"), "eliminate",
                                             self.request_elimination)
        actions = QVBoxLayout()
        for button in (self.step_button, self.accept_button, self.decline_button,
                       self.open_button, self.eliminate_button):
            actions.addWidget(button)
        actions.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.tree, 1)
        left.addWidget(self.state)
        left.addWidget(self.county_hint)
        left.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(actions)
        self.show_household(None)

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setProperty("action", name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def today(self) -> date:
        return self._today or date.today()

    def settings(self) -> Settings:
        """The settings in force (公示 days, the procedure's target, 风险消除 months),
        read the first time they are needed."""
        if self._settings is None:
            self._settings = load_settings(installed.settings_path(self.ops.store.folder))
        return self._settings

    # Showing ------------------------------------------------------------------------------

    def show_household(self, household_id: str | None) -> None:
        """Show one household's cases, or none."""
        self._household = None
        if household_id is not None:
            with self.ops.store.reading() as conn:
                self._household = queries.household(conn, household_id)
        self.message.hide()
        self.reload()

    def _changed(self, changed: Changed) -> None:
        """A case or step written anywhere (the runner cannot name a case's household),
        or the household itself (a county decision arrived, a sync)."""
        if self._household is None:
            return
        household_id = self._household["id"]
        if changed.touches_household(household_id):  # its facts too (monitored now?)
            self.show_household(household_id)
        elif changed.touches("monitor_case", "case_step"):
            self.reload()

    def reload(self) -> None:
        chosen = self.current_case()
        self._cases = []
        if self._household is not None:
            with self.ops.store.reading() as conn:
                self._cases = cases.cases(conn, household_id=self._household["id"],
                                          settings=self.settings())
        self.tree.clear()
        for case in self._cases:
            item = self._case_item(case)
            self.tree.addTopLevelItem(item)
            item.setExpanded(case.open)  # only once in the tree
        # the case chosen before, if this household still has it; else its newest open one
        default = next((c for c in reversed(self._cases) if c.open), None) or (
            self._cases[-1] if self._cases else None)
        kept = chosen is not None and any(c.id == chosen.id for c in self._cases)
        keep = chosen if kept else default
        self.select_case(keep.id if keep is not None else None)

    def _case_item(self, case: CaseView) -> QTreeWidgetItem:
        what = kind_label(case.kind)
        if case.source:  # 消除 has none; a 部门预警 names its department
            what += f"（{'·'.join(p for p in (case.source, case.department) if p)}）"
        about = "；".join(part for part in (
            risks_label(case.risk_types, case.risk_other), case.clue or "") if part)
        item = QTreeWidgetItem([what, case.opened_on.isoformat(), "", case.status, about])
        item.setData(0, CASE_ROLE, case.id)
        item.setToolTip(4, about)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        for step in case.steps:
            item.addChild(self._step_item(step))
        if case.open and case.status != cases.PROPOSED:
            done = {s.step for s in case.steps if s.result == cases.PASSED}
            for name in cases.steps_of(case.kind):
                if name not in done:
                    item.addChild(self._pending_item(name))
        return item

    def _step_item(self, step: StepView) -> QTreeWidgetItem:
        said = "；".join(part for part in (self.details_text(step), step.note or "") if part)
        item = QTreeWidgetItem([step.step, step.done_on.isoformat(), step.actor, step.result,
                                said])
        item.setToolTip(4, said)
        if step.result == cases.FAILED:
            item.setForeground(3, FAILED_COLOUR)
        return item

    def _pending_item(self, name: str) -> QTreeWidgetItem:
        if name in cases.COUNTY_STEPS:
            item = QTreeWidgetItem([name, "", "", self.tr("县里办理"), self.county_text()])
            item.setToolTip(4, self.county_text())
        else:
            item = QTreeWidgetItem([name, "", "", self.tr("待办理"), ""])
        for column in range(5):
            item.setForeground(column, PENDING_COLOUR)
        return item

    def details_text(self, step: StepView) -> str:
        """A step's own facts in words: the authorisation, attendance, 公示 days."""
        details = step.details
        parts = []
        if details.get("authorised"):
            parts.append(self.tr("农户已签授权书"))
        if details.get("attendance"):
            parts.append(self.tr("参会 %1 人").replace("%1", str(details["attendance"])))
        if details.get("publicity_from") and details.get("publicity_to"):
            parts.append(self.tr("公示 %1 至 %2").replace("%1", str(details["publicity_from"]))
                         .replace("%2", str(details["publicity_to"])))
        if details.get("objections"):
            parts.append(self.tr("异议：%1").replace("%1", str(details["objections"])))
        return "；".join(parts)

    def county_text(self) -> str:
        return self.tr("由乡镇、县里在县服务器上办理，结果随回执包回到本机")

    def lines(self) -> list[str]:
        """Every line of the tree, cells joined by spaces, steps indented (for tests)."""
        found = []
        for top in self._tops():
            found.append(" ".join(top.text(c) for c in range(5)).strip())
            for k in range(top.childCount()):
                child = top.child(k)
                if child is not None:
                    found.append("  " + " ".join(child.text(c) for c in range(5)).strip())
        return found

    def _tops(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    # The chosen case ----------------------------------------------------------------------

    def current_case(self) -> CaseView | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        chosen = item.data(0, CASE_ROLE) if item is not None else None
        return next((c for c in self._cases if c.id == chosen), None)

    def select_case(self, case_id: str | None) -> None:
        for item in self._tops():
            if item.data(0, CASE_ROLE) == case_id:
                self.tree.setCurrentItem(item)
                break
        self._update_actions()

    def _update_actions(self) -> None:
        case = self.current_case()
        shown = self._household is not None
        proposal = case is not None and case.status == cases.PROPOSED
        following = case.next_step if case is not None and not proposal else None
        at_county = following in cases.COUNTY_STEPS
        self.open_button.setEnabled(shown)
        self.eliminate_button.setEnabled(shown and bool(self._household
                                                        and self._household.get("monitored")))
        self.accept_button.setVisible(proposal)
        self.decline_button.setVisible(proposal)
        self.step_button.setVisible(not proposal)  # a proposal is accepted first
        self.step_button.setEnabled(following is not None and not at_county)
        self.step_button.setText(self.tr("办理：%1…").replace("%1", following)
                                 if following else self.tr("办理下一步…"))
        self.step_button.setToolTip(self.county_text() if at_county else "")
        self.county_hint.setVisible(at_county)
        if at_county:
            self.county_hint.setText(self.tr("“%1”%2").replace("%1", str(following))
                                     .replace("%2", self.county_text()))
        state = self._state_text(case) if case is not None else (
            html.escape(self.tr("本户没有监测程序。")) if shown else "")
        # rich text (the overdue days in red) that keeps its ideographic spaces
        self.state.setText(f"<span style='white-space:pre-wrap'>{state}</span>")

    def _state_text(self, case: CaseView) -> str:
        """The chosen case in words, as HTML: its outcome, or its next step and due day."""
        if not case.open:
            ended = case.closed_on.isoformat() if case.closed_on else ""
            return html.escape(self.tr("%1：%2（%3）").replace("%1", kind_label(case.kind))
                               .replace("%2", case.status).replace("%3", ended))
        following = case.next_step or ""
        text = self.tr("下一步：%1").replace("%1", following)
        if case.due_on is not None:
            text += self.tr("　应办结：%1").replace("%1", case.due_on.isoformat())
        text = html.escape(text)
        if case.due_on is not None and case.overdue(self.today()):
            late = (self.today() - case.due_on).days
            text += "　<span style='color:#b42318'>" + html.escape(
                self.tr("已逾期 %n 天", "", late)) + "</span>"
        return text

    # Acting -------------------------------------------------------------------------------

    def show_message(self, error: CaseError | None) -> None:
        if error is None:
            self.message.hide()
            return
        self.message.setText(error.en if i18n.english() else error.zh)
        self.message.show()

    def _write(self, write: Callable[[], object]) -> bool:
        """A write through the op runner; a refusal is shown in the tab."""
        try:
            self.ops.write(write)
        except CaseError as error:
            self.show_message(error)
            return False
        self.show_message(None)
        return True

    def _summary(self, case: CaseView | None = None) -> str:
        household = self._household or {}
        head = case.head if case else ""
        text = self.tr("户 %1").replace("%1", str(household.get("code", "")))
        if head:
            text += "　" + self.tr("户主：%1").replace("%1", head)
        if case is not None:
            text += "　" + kind_label(case.kind)
        return text

    def open_new(self) -> OpenCaseDialog | None:
        """立案…, unless the core would refuse this household a case at all (monitored
        already, a case open): then why, at once, before anything is typed."""
        if self._household is None:
            return None
        household_id, store, today = self._household["id"], self.ops.store, self.today()
        try:
            with store.reading() as conn:  # the core's own checks, nothing written
                cases.open_edit(conn, household_id, source=CASE_SOURCES[0],
                                risks=(), today=today)
        except CaseError as error:
            self.show_message(error)
            return None

        def apply(source: str, risks: list[str], other: str, clue: str,
                  department: str | None) -> None:
            self.select_case(self.ops.write(lambda: cases.open_case(
                store, household_id, source=source, risks=risks, today=today,
                risk_other=other, clue=clue, department=department)))  # the new one chosen

        self.show_message(None)
        return self._open(OpenCaseDialog(str(self._household["code"]), apply, self))

    def accept_proposal(self) -> bool:
        case = self.current_case()
        if case is None:
            return False
        store, today = self.ops.store, self.today()
        return self._write(lambda: cases.decide_proposal(store, case.id, True, today))

    def open_decline(self) -> DeclineDialog | None:
        case = self.current_case()
        if case is None or case.status != cases.PROPOSED:
            return None
        store, today = self.ops.store, self.today()

        def apply(reason: str) -> None:
            self.ops.write(lambda: cases.decide_proposal(store, case.id, False, today, reason))

        return self._open(DeclineDialog(self._summary(case), apply, self))

    def open_step(self) -> StepDialog | None:
        """The dialog of the chosen case's next step; none for a county step."""
        case = self.current_case()
        following = case.next_step if case is not None else None
        if case is None or case.status == cases.PROPOSED or following is None \
                or following in cases.COUNTY_STEPS:
            return None
        store, settings = self.ops.store, self.settings()

        def apply(given: StepInput) -> None:
            self.ops.write(lambda: cases.record_step(store, case.id, given, at_county=False,
                                                     settings=settings))

        return self._open(StepDialog(following, self._summary(case), self.today(),
                                     store.actor, settings, apply, self))

    def request_elimination(self) -> EliminationDialog | None:
        """申请风险消除…: every rule it breaks now listed in the tab, or the dialog."""
        if self._household is None:
            return None
        household_id, store, today = self._household["id"], self.ops.store, self.today()
        settings = self.settings()
        with store.reading() as conn:
            broken = elimination.refusals(conn, household_id, today, settings)
            running = cases.open_of(conn, household_id, cases.ELIMINATION)
        if running and not broken:
            broken = [elimination.Refusal("已有正在办理的风险消除程序",
                                          "an elimination is in progress")]
        if broken:
            self.message.setText(
                self.tr("现在不能申请风险消除：") + "".join(
                    f"\n• {r.en if i18n.english() else r.zh}" for r in broken))
            self.message.show()
            return None

        def apply(note: str) -> None:
            self.select_case(self.ops.write(lambda: elimination.open_elimination(
                store, household_id, today, settings, note)))  # the new one chosen

        self.show_message(None)
        return self._open(EliminationDialog(self._summary(), apply, self))

    def _open(self, dialog: _Dialog) -> _Dialog:
        """Opened, not exec'd (tests fill it in); deleted when it closes."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        # as wide as its longest row (adjustSize would stop at two thirds of a small
        # screen and cut the form's captions), then tall enough for what wraps
        wanted = dialog.sizeHint()
        dialog.resize(max(dialog.width(), wanted.width()), max(dialog.height(), wanted.height()))
        fit_height(dialog)
        return dialog
