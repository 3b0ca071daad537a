"""Population changes (自然增减) from the household panel: a person joins (新生, 婚入,
迁入), a person leaves (死亡, 婚出, 迁出), a 分户 (chosen members become a new household).

The rules and the edits are ``fieldvisit.roster.membership``'s: a dialog gathers the
inputs and writes through the op runner (``Ops.write``), one transaction per change. What
the core refuses is shown under the field it names, in the language of the app; the
joining dialog also checks the person as it is typed (``roster.checks``), like the
member editor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldvisit import idcard
from fieldvisit.qt import i18n
from fieldvisit.qt.fit import fit_height
from fieldvisit.qt.ops import Ops
from fieldvisit.roster import checks, membership, vocab
from fieldvisit.roster.membership import MembershipError
from fieldvisit.roster.queries import MemberView
from fieldvisit.store.fields import InvalidField


def _date_edit(today: date) -> QDateEdit:
    edit = QDateEdit(QDate(today.year, today.month, today.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate(today.year, today.month, today.day))
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class ChangeDialog(QDialog):
    """What the three dialogs share: problem labels under fields, a save that writes
    through the op runner and shows a refusal under the field it names."""

    def __init__(self, ops: Ops, today: date, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._today = today
        self.problem_labels: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.form.setVerticalSpacing(4)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        self.result_value: Any = None

    def _finish_layout(self, *below: QWidget) -> None:
        """The form, then ``below`` (e.g. a read-only box), the summary and the buttons."""
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        for widget in below:
            layout.addWidget(widget)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        """Tall enough for its wrapped labels at the width it opens with (``fit``)."""
        super().showEvent(event)
        fit_height(self)

    def add_row(self, field: str, label: str, widget: QWidget) -> None:
        problem = QLabel()
        problem.setObjectName(f"problem_{field}")
        problem.setWordWrap(True)
        problem.hide()
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(problem)
        self.form.addRow(label + self.tr("："), column)
        self.problem_labels[field] = problem

    def show_problems(self, problems: list[tuple[str, str, str, str]]) -> None:
        """(field, severity, zh, en) under each field, the rest in the summary."""
        by_field: dict[str, list[tuple[str, str]]] = {}
        for field, severity, zh, en in problems:
            key = field if field in self.problem_labels else "summary"
            mark = "✖ " if severity == checks.ERROR else "⚠ "
            by_field.setdefault(key, []).append((severity, mark + (en if i18n.english() else zh)))
        for key, label in (*self.problem_labels.items(), ("summary", self.summary)):
            found = by_field.get(key, [])
            label.setText("\n".join(text for _s, text in found))
            worst = ("error" if any(s == checks.ERROR for s, _t in found)
                     else "warning" if found else "")
            label.setProperty("severity", worst)
            label.style().unpolish(label)
            label.style().polish(label)
            label.setVisible(bool(found))
        if self.isVisible():
            fit_height(self)  # grow around the messages just shown

    def check(self) -> list[tuple[str, str, str, str]]:
        return []

    def validate(self) -> bool:
        found = self.check()
        self.show_problems(found)
        return not any(severity == checks.ERROR for _f, severity, _z, _e in found)

    def write(self) -> Any:
        raise NotImplementedError

    def confirmed(self) -> bool:
        """Asked after the checks pass and before the write (a 合户 asks the cadre)."""
        return True

    def try_save(self) -> None:
        if not self.validate() or not self.confirmed():
            return
        try:
            self.result_value = self._ops.write(self.write)
        except MembershipError as refused:
            self.show_problems([(refused.field, checks.ERROR, refused.zh, refused.en)])
            return
        except InvalidField as refused:  # the store's limits (a too long address …)
            self.show_problems([(refused.name, checks.ERROR, _detail(refused.zh),
                                 _detail(refused.en))])
            return
        self.accept()


class JoinDialog(ChangeDialog):
    """新增人口: a birth, a marriage in or a move in."""

    def __init__(self, ops: Ops, household_id: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(ops, today, parent)
        self.setWindowTitle(self.tr("新增人口"))
        self.setMinimumWidth(520)
        self._household_id = household_id
        self.reason = QComboBox()
        self.reason.setObjectName("reason")
        for reason in membership.PERSON_JOINS:
            self.reason.addItem(reason, reason)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("id_number")
        self.id_number.setPlaceholderText(self.tr("新生儿可先不填，落户后补录"))
        self.relation = QComboBox()
        self.relation.setObjectName("relation")
        self.relation.addItem(self.tr("（未填）"), None)
        for relation in vocab.RELATIONS:
            self.relation.addItem(relation, relation)
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        self.sex.addItem(self.tr("（未填）"), None)
        for sex in vocab.SEXES:
            self.sex.addItem(sex, sex)
        self.joined_on = _date_edit(today)
        self.joined_on.setObjectName("joined_on")
        self.add_row("reason", self.tr("增加原因"), self.reason)
        self.add_row("name", self.tr("姓名"), self.name)
        self.add_row("id_number", self.tr("身份证号"), self.id_number)
        self.add_row("relation", self.tr("与户主关系"), self.relation)
        self.add_row("sex", self.tr("性别"), self.sex)
        self.add_row("joined_on", self.tr("日期（出生、婚入或迁入）"), self.joined_on)
        self._finish_layout()
        for signal in (self.name.textChanged, self.id_number.textChanged):
            signal.connect(self.validate)
        for combo in (self.relation, self.sex):
            combo.currentIndexChanged.connect(self.validate)

    def person(self) -> dict[str, Any]:
        return {"name": self.name.text().strip(), "id_number": self.id_number.text().strip(),
                "relation": self.relation.currentData(), "sex": self.sex.currentData()}

    def check(self) -> list[tuple[str, str, str, str]]:
        person = self.person()
        typed = [k for k, v in person.items() if v]
        if not person["name"] and not person["id_number"]:
            return []  # nothing typed yet: no red before the first key
        problems = checks.member_problems(person, self._today, typed=typed)
        try:
            ident = idcard.parse(person["id_number"], today=self._today)
        except idcard.IdNumberError:
            ident = None
        self.sex.setEnabled(ident is None)
        return [(p.field, p.severity, p.message, p.message_en) for p in problems
                if p.field != "sex" or ident is None]

    def write(self) -> Any:
        return membership.record(
            self._ops.store, membership.join_edits, self._household_id, self.person(),
            self.reason.currentData(), _day(self.joined_on), self._today)


class LeaveDialog(ChangeDialog):
    """人口减少: a death, a marriage out or a move out; the person is kept, ended."""

    def __init__(self, ops: Ops, member: MemberView, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(ops, today, parent)
        self.setWindowTitle(self.tr("人口减少：%1").replace("%1", member.name))
        self.setMinimumWidth(480)
        self._member = member
        who = QLabel(f"{member.name}（{member.relation or ''}）")
        who.setObjectName("who")
        self.reason = QComboBox()
        self.reason.setObjectName("reason")
        for reason in membership.PERSON_LEAVES:
            self.reason.addItem(reason, reason)
        self.left_on = _date_edit(today)
        self.left_on.setObjectName("left_on")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("如：病故；嫁入外县；外出务工落户"))
        self.add_row("member", self.tr("成员"), who)
        self.add_row("reason", self.tr("减少原因"), self.reason)
        self.add_row("left_on", self.tr("日期"), self.left_on)
        self.add_row("note", self.tr("说明"), self.note)
        self._finish_layout()

    def write(self) -> Any:
        return membership.record(
            self._ops.store, membership.leave_edits, self._member.id,
            self.reason.currentData(), _day(self.left_on), self._today, self.note.text())


class SplitDialog(ChangeDialog):
    """分户: tick the members who form the new household, set each one's relation to its
    new 户主 (one of them is the 户主), give the new 户编号."""

    def __init__(self, ops: Ops, household_id: str, members: list[MemberView],
                 suggested_code: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(ops, today, parent)
        self.setWindowTitle(self.tr("分户"))
        self.setMinimumWidth(560)
        self._household_id = household_id
        self.code = QLineEdit(suggested_code)
        self.code.setObjectName("code")
        self.split_on = _date_edit(today)
        self.split_on.setObjectName("joined_on")
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(self.tr("分出")), 0, 0)
        grid.addWidget(QLabel(self.tr("在新户中的关系")), 0, 1)
        self.chosen: dict[str, tuple[QCheckBox, QComboBox]] = {}
        for row, member in enumerate(members, start=1):
            tick = QCheckBox(f"{member.name}（{member.relation or ''}）")
            tick.setObjectName(f"move_{member.id}")
            relation = QComboBox()
            relation.setObjectName(f"relation_{member.id}")
            for choice in vocab.RELATIONS:
                relation.addItem(choice, choice)
            relation.setCurrentIndex(max(0, relation.findData(member.relation)))
            relation.setEnabled(False)
            tick.toggled.connect(relation.setEnabled)
            grid.addWidget(tick, row, 0)
            grid.addWidget(relation, row, 1)
            self.chosen[member.id] = (tick, relation)
        self.add_row("members", self.tr("成员"), grid_box)
        self.add_row("relation", self.tr("户主"), QLabel(self.tr("分出的成员中须有一名户主")))
        self.add_row("code", self.tr("新户户编号"), self.code)
        self.add_row("joined_on", self.tr("分户日期"), self.split_on)
        self._finish_layout()

    def choose(self, member_id: str, relation: str) -> None:
        tick, combo = self.chosen[member_id]
        tick.setChecked(True)
        combo.setCurrentIndex(combo.findData(relation))

    def moved(self) -> dict[str, str]:
        return {member_id: combo.currentData()
                for member_id, (tick, combo) in self.chosen.items() if tick.isChecked()}

    def write(self) -> Any:
        return membership.record(
            self._ops.store, membership.split_edits, self._household_id, self.moved(),
            self.code.text(), _day(self.split_on), self._today)


def _detail(message: str) -> str:
    """A store refusal without its ``table.field`` prefix: the label beside it names it."""
    for mark in ("：", ": "):
        if mark in message:
            return message.split(mark, 1)[1]
    return message


def open_change(dialog: ChangeDialog, done: Callable[[Any], None] | None = None) -> None:
    """Show ``dialog`` modally; ``done`` gets what the write returned when it was saved."""
    if dialog.exec() == QDialog.DialogCode.Accepted and done is not None:
        done(dialog.result_value)
