"""The small dialogs of the 监测 tab: 立案, 不立案, one step of the procedure, 风险消除.

Each gathers only what its action needs and hands it to an ``apply`` callable the tab
builds (a write through the op runner into ``monitoring.cases``); the core decides, and
when it refuses (a CaseError) its reason shows inside the dialog, which stays open with
what the cadre typed. A step dialog is made for the one step that comes next, so a step
out of turn cannot even be asked for; the core still checks order, details and role.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.monitoring import cases
from fieldvisit.monitoring.cases import CaseError, StepInput
from fieldvisit.qt import i18n
from fieldvisit.qt.dialog_parts import error_label, ok_cancel
from fieldvisit.qt.fit import fit_height
from fieldvisit.roster import vocab
from fieldvisit.store.fields import CASE_SOURCES, DEPARTMENTS

MAX_ATTENDANCE = 9999


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def date_edit(day: date, name: str, latest: date | None = None) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if latest is not None:
        edit.setMaximumDate(qdate(latest))
    return edit


def kind_label(kind: str) -> str:
    """纳入 / 消除 as a cadre says them, in the app's language."""
    if kind == cases.ENTRY:
        return QCoreApplication.translate("CaseDialog", "纳入监测")
    if kind == cases.ELIMINATION:
        return QCoreApplication.translate("CaseDialog", "风险消除")
    return kind


class CaseDialog(QDialog):
    """What the four dialogs share: a form, an inline error, 确定/取消, and an accept
    that calls ``_save`` and stays open with the core's reason when it refuses."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(500)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(8)
        self.error = error_label()
        self.buttons = ok_cancel(self)

    def _finish(self, *above: QWidget) -> None:
        layout = QVBoxLayout(self)
        for widget in above:
            layout.addWidget(widget)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _save(self) -> None:
        raise NotImplementedError

    def show_error(self, error: CaseError) -> None:
        self.error.setText(error.en if i18n.english() else error.zh)
        self.error.show()
        fit_height(self)  # a long reason wraps: the rows must not overlap

    def accept(self) -> None:
        try:
            self._save()
        except CaseError as error:
            self.show_error(error)
            return
        super().accept()


def _text_box(name: str, placeholder: str, height: int = 72) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(height)
    return box


def _summary(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("case_summary")
    label.setWordWrap(True)
    return label


class OpenCaseDialog(CaseDialog):
    """立案: the source of the clue, up to four risk types (其他 with what it is), the clue.

    ``apply(source, risks, risk_other, clue, department)`` writes the case."""

    def __init__(self, household: str,
                 apply: Callable[[str, list[str], str, str, str | None], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("立案：纳入监测程序"), parent)
        self._apply = apply
        self.source = QComboBox()
        self.source.setObjectName("source")
        names = {"农户申报": self.tr("农户申报（含 12317 来电）"), "干部排查": self.tr("干部排查"),
                 "部门预警": self.tr("部门预警")}
        for source in CASE_SOURCES:
            self.source.addItem(names.get(source, source), source)
        self.department = QComboBox()
        self.department.setObjectName("department")
        self.department.addItem(self.tr("（未填）"), None)
        for department in DEPARTMENTS:
            self.department.addItem(department, department)
        self.risk_boxes: dict[str, QCheckBox] = {}
        risks = QWidget()
        grid = QGridLayout(risks)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        for n, risk in enumerate(vocab.RISK_TYPES):
            box = QCheckBox(risk)
            box.setObjectName(f"risk_{risk}")
            box.toggled.connect(self._risks_changed)
            grid.addWidget(box, n // 3, n % 3)
            self.risk_boxes[risk] = box
        self.risk_other = QLineEdit()
        self.risk_other.setObjectName("risk_other")
        self.risk_other.setPlaceholderText(self.tr("选了“其他”时写明是什么风险"))
        self.risk_other.setMaxLength(100)
        self.clue = _text_box("clue", self.tr("线索和情况，如：12317 来电，户主住院花费较大"))
        hint = QLabel(self.tr("风险类型最多选 %1 项").replace("%1", str(vocab.MAX_RISK_TYPES)))
        hint.setObjectName("hint")
        self.form.addRow(self.tr("线索来源："), self.source)
        self.form.addRow(self.tr("预警部门："), self.department)
        self.form.addRow(self.tr("风险类型："), risks)
        self.form.addRow("", hint)
        self.form.addRow(self.tr("其他风险："), self.risk_other)
        self.form.addRow(self.tr("线索："), self.clue)
        self.source.currentIndexChanged.connect(self._source_changed)
        self._finish(_summary(self.tr("户 %1").replace("%1", household)))
        self._source_changed()
        self._risks_changed()

    def chosen_risks(self) -> list[str]:
        return [risk for risk, box in self.risk_boxes.items() if box.isChecked()]

    def _source_changed(self) -> None:
        """Only a 部门预警 names a department."""
        shown = self.source.currentData() == "部门预警"
        self.form.setRowVisible(self.department, shown)

    def _risks_changed(self) -> None:
        """At most four: the rest are greyed once four are ticked; 其他 asks what."""
        full = len(self.chosen_risks()) >= vocab.MAX_RISK_TYPES
        for box in self.risk_boxes.values():
            box.setEnabled(box.isChecked() or not full)
        self.risk_other.setEnabled(self.risk_boxes[vocab.OTHER_MEASURE].isChecked())

    def _save(self) -> None:
        department = (self.department.currentData()
                      if self.source.currentData() == "部门预警" else None)
        other = self.risk_other.text() if self.risk_other.isEnabled() else ""
        self._apply(self.source.currentData(), self.chosen_risks(), other,
                    self.clue.toPlainText(), department)


class DeclineDialog(CaseDialog):
    """不立案 of a proposal: the reason is required (the core refuses none)."""

    def __init__(self, summary: str, apply: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("不立案"), parent)
        self._apply = apply
        self.reason = _text_box("reason", self.tr("如：核实后家庭收入稳定，没有返贫风险"))
        self.form.addRow(self.tr("不立案原因："), self.reason)
        self._finish(_summary(summary))

    def _save(self) -> None:
        self._apply(self.reason.toPlainText())


class StepDialog(CaseDialog):
    """The case's next step, with exactly the fields that step needs: 入户核实 the
    household's signed authorisation, 民主评议 the attendance, 村级公示 its first and
    last day (and objections); then result, day, who and a note (the reason, required,
    when it did not pass). ``apply(StepInput)`` records it."""

    def __init__(self, step: str, summary: str, today: date, actor: str,
                 settings: Mapping[str, float], apply: Callable[[StepInput], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("办理：%1").replace("%1", step), parent)
        self.step = step
        self._apply = apply
        self.done_on = date_edit(today, "done_on", today)
        self.actor = QLineEdit(actor)
        self.actor.setObjectName("actor")
        self.details: list[QWidget] = []  # greyed when the step did not pass
        self.authorised: QCheckBox | None = None
        self.attendance: QSpinBox | None = None
        self.publicity_from: QDateEdit | None = None
        self.publicity_to: QDateEdit | None = None
        self.objections: QLineEdit | None = None
        if step == "入户核实":
            self.authorised = QCheckBox(self.tr("农户已签字授权（授权书已收回）"))
            self.authorised.setObjectName("authorised")
            self._detail(self.tr("授权书："), self.authorised)
        elif step == "民主评议":
            self.attendance = QSpinBox()
            self.attendance.setObjectName("attendance")
            self.attendance.setRange(0, MAX_ATTENDANCE)
            self.attendance.setSuffix(self.tr(" 人"))
            self._detail(self.tr("参会人数："), self.attendance)
        elif step == "村级公示":
            days = int(settings.get("publicity_days", cases.DEFAULT_PUBLICITY_DAYS))
            self.publicity_from = date_edit(today - timedelta(days=days), "publicity_from")
            self.publicity_to = date_edit(today - timedelta(days=1), "publicity_to", today)
            span = QHBoxLayout()
            span.addWidget(self.publicity_from)
            span.addWidget(QLabel(self.tr("至")))
            span.addWidget(self.publicity_to)
            span.addStretch(1)
            holder = QWidget()
            holder.setLayout(span)
            span.setContentsMargins(0, 0, 0, 0)
            self._detail(self.tr("公示时间："), holder)
            hint = QLabel(self.tr("公示不少于 %1 天，公示结束后再登记结果")
                          .replace("%1", str(days)))
            hint.setObjectName("hint")
            self.form.addRow("", hint)
            self.objections = QLineEdit()
            self.objections.setObjectName("objections")
            self.objections.setPlaceholderText(self.tr("公示期间收到的异议，没有可不填"))
            self._detail(self.tr("异议："), self.objections)
        self.passed = QRadioButton(cases.PASSED)
        self.passed.setObjectName("passed")
        self.failed = QRadioButton(cases.FAILED)
        self.failed.setObjectName("failed")
        self.passed.setChecked(True)
        results = QButtonGroup(self)
        results.addButton(self.passed)
        results.addButton(self.failed)
        result_row = QHBoxLayout()
        result_row.setContentsMargins(0, 0, 0, 0)
        result_row.addWidget(self.passed)
        result_row.addWidget(self.failed)
        result_row.addStretch(1)
        result_holder = QWidget()
        result_holder.setLayout(result_row)
        self.note = _text_box("note", self.tr("情况说明（可不填）"))
        self.note_caption = QLabel()
        self.form.addRow(self.tr("结果："), result_holder)
        self.form.addRow(self.tr("办理日期："), self.done_on)
        self.form.addRow(self.tr("办理人："), self.actor)
        self.form.addRow(self.note_caption, self.note)
        self.failed.toggled.connect(self._result_changed)
        self._finish(_summary(summary))
        self._result_changed()

    def _detail(self, caption: str, widget: QWidget) -> None:
        self.form.addRow(caption, widget)
        self.details.append(widget)

    def _result_changed(self) -> None:
        """不通过 ends the case with its reason: the reason is asked for, the step's own
        details no longer apply."""
        failed = self.failed.isChecked()
        self.note_caption.setText(self.tr("不通过原因（必填）：") if failed else self.tr("说明："))
        self.note.setPlaceholderText(self.tr("写明为什么不通过") if failed
                                     else self.tr("情况说明（可不填）"))
        for widget in self.details:
            widget.setEnabled(not failed)

    def step_input(self) -> StepInput:
        """What the dialog holds as the core's StepInput; a 不通过 carries no details."""
        kept = not self.failed.isChecked()
        return StepInput(
            step=self.step, done_on=pydate(self.done_on.date()), actor=self.actor.text(),
            result=cases.PASSED if kept else cases.FAILED, note=self.note.toPlainText(),
            authorised=(self.authorised.isChecked() or None)
            if kept and self.authorised is not None else None,
            attendance=(self.attendance.value() or None)
            if kept and self.attendance is not None else None,
            publicity_from=pydate(self.publicity_from.date())
            if kept and self.publicity_from is not None else None,
            publicity_to=pydate(self.publicity_to.date())
            if kept and self.publicity_to is not None else None,
            objections=self.objections.text()
            if kept and self.objections is not None else None)

    def _save(self) -> None:
        self._apply(self.step_input())


class EliminationDialog(CaseDialog):
    """申请风险消除 once the rules allow it: the procedure it starts, and a note."""

    def __init__(self, summary: str, apply: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("申请风险消除"), parent)
        self._apply = apply
        steps = " → ".join(cases.ELIMINATION_STEPS)
        self.note = _text_box("note", self.tr("如：务工收入稳定，医疗费用已报销"))
        self.form.addRow(self.tr("说明："), self.note)
        self._finish(_summary(summary), _summary(
            self.tr("收入、三保障和饮水、劳动能力的规则都已满足，可以启动风险消除程序：%1")
            .replace("%1", steps)))

    def _save(self) -> None:
        self._apply(self.note.toPlainText())
