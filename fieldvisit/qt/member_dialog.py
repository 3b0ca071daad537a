"""Edit one member: text boxes and vocabulary drop-downs, checked as the user types.

The rules are ``fieldvisit.roster.checks``'s; this dialog only places each problem next
to its field. Errors keep the dialog open, warnings are shown and may be saved anyway
(a cadre often knows better than a rule, e.g. a shared family phone). Fields the cadre
has changed are passed to the checks as ``typed``: what is typed now must be right now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldvisit import idcard
from fieldvisit.qt import i18n
from fieldvisit.qt.fit import fit_height
from fieldvisit.roster import checks, vocab
from fieldvisit.roster.queries import MemberView

_TEXT_FIELDS = ("name", "id_number", "disability_cert", "phone")
# 是/否 in the national roster; 未填 (None) is a fact of its own: nobody asked yet.
_YES_NO_FIELDS = ("resident_insurance", "employee_insurance", "serious_illness_insurance")
_CHOICES: dict[str, tuple[str, ...]] = {
    "relation": vocab.RELATIONS,
    "sex": vocab.SEXES,
    "education": vocab.EDUCATION,
    "schooling": vocab.SCHOOLING,
    "health": vocab.HEALTH,
    "labour_skill": vocab.LABOUR_SKILLS,
}
EDITABLE = ("name", "id_number", "relation", "sex", "education", "schooling", "health",
            "disability_cert", "labour_skill", "resident_insurance", "employee_insurance",
            "serious_illness_insurance", "phone")


class MemberDialog(QDialog):
    def __init__(self, member: MemberView, today: date, parent: QWidget | None = None,
                 id_holder: Callable[[str], tuple[str, str] | None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("编辑成员：%1").replace("%1", member.name))
        self.setMinimumWidth(560)
        self._member = member
        self._today = today
        self._id_holder = id_holder  # who else holds an ID: (name, 户编号), asked of the store
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.problem_labels: dict[str, QLabel] = {}

        labels = {
            "name": self.tr("姓名"), "id_number": self.tr("身份证号"),
            "relation": self.tr("与户主关系"), "sex": self.tr("性别"),
            "education": self.tr("文化程度"), "schooling": self.tr("在校生状况"),
            "health": self.tr("健康状况"), "labour_skill": self.tr("劳动技能"),
            "phone": self.tr("联系电话"), "disability_cert": self.tr("残疾证号"),
            "resident_insurance": self.tr("城乡居民基本医疗保险"),
            "employee_insurance": self.tr("城镇职工基本医疗保险"),
            "serious_illness_insurance": self.tr("大病保险"),
        }
        form = QFormLayout()
        form.setVerticalSpacing(4)
        for field in EDITABLE:
            current = member.values.get(field)
            widget = (self._line_edit(field, current) if field in _TEXT_FIELDS
                      else self._yes_no(field, current) if field in _YES_NO_FIELDS
                      else self._combo(field, current))
            problem = QLabel()
            problem.setObjectName(f"problem_{field}")
            problem.setWordWrap(True)
            problem.hide()
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(problem)
            form.addRow(labels[field] + self.tr("："), column)
            self.inputs[field] = widget
            self.problem_labels[field] = problem

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.validate()

    def _line_edit(self, field: str, current: Any) -> QLineEdit:
        edit = QLineEdit("" if current is None else str(current))
        edit.setObjectName(field)
        edit.textChanged.connect(self.validate)
        return edit

    def _combo(self, field: str, current: Any) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(field)
        combo.addItem(self.tr("（未填）"), None)
        choices = list(_CHOICES[field])
        if current and current not in choices:
            choices.append(current)  # keep what the county file says, even off-vocabulary
        for choice in choices:
            combo.addItem(choice, choice)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.currentIndexChanged.connect(self.validate)
        return combo

    def _yes_no(self, field: str, current: Any) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(field)
        for text, value in ((self.tr("未填"), None), (self.tr("是"), True),
                            (self.tr("否"), False)):
            combo.addItem(text, value)
        combo.setCurrentIndex({None: 0, True: 1, False: 2}.get(current, 0))
        combo.currentIndexChanged.connect(self.validate)
        return combo

    def values(self) -> dict[str, Any]:
        """The whole member as it would be saved: stored fields overlaid with the inputs."""
        merged = dict(self._member.values)
        for field, widget in self.inputs.items():
            if isinstance(widget, QLineEdit):
                merged[field] = widget.text().strip() or None
            else:
                merged[field] = widget.currentData()
        merged["phone"] = checks.normalise_phone(merged["phone"]) or None
        merged["disability_cert"] = checks.normalise_cert(merged["disability_cert"]) or None
        parsed = self._valid_id(merged["id_number"])
        if parsed is not None:  # a valid ID decides birth date and sex, as in an import
            merged["id_number"] = parsed.number
            merged["birth_date"] = parsed.birth_date
            merged["sex"] = parsed.sex
        return merged

    def changes(self) -> dict[str, Any]:
        """Only the fields that differ from the stored member (what ``Update`` needs)."""
        old = self._member.values
        return {k: v for k, v in self.values().items()
                if k in (*EDITABLE, "birth_date") and v != old.get(k)}

    def problems(self) -> list[checks.FieldProblem]:
        changes = self.changes()
        found = checks.member_problems(self.values(), self._today, typed=changes)
        number = changes.get("id_number")
        holder = self._id_holder(number) if number and self._id_holder else None
        if holder and number:
            found.append(checks.id_taken_problem(number, *holder))
        return found

    def validate(self) -> bool:
        """Show each problem under its field; True when nothing blocks the save."""
        self._show_sex()
        by_field: dict[str, list[checks.FieldProblem]] = {}
        for problem in self.problems():
            field = problem.field if problem.field in self.problem_labels else "summary"
            by_field.setdefault(field, []).append(problem)
        for field, label in (*self.problem_labels.items(), ("summary", self.summary)):
            found = by_field.get(field, [])
            label.setText("\n".join(self._text(p) for p in found))
            label.setProperty("severity", _worst(found))
            label.style().unpolish(label)
            label.style().polish(label)
            label.setVisible(bool(found))
        layout = self.layout()
        if self.isVisible() and layout is not None:
            layout.activate()
            self.adjustSize()  # grow (or shrink back) around the messages just shown
            fit_height(self)  # at the width it has: adjustSize measures unwrapped labels
        blocked = any(p.severity == "error" for found in by_field.values() for p in found)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip(
            self.tr("请先改正红色标出的错误") if blocked else "")
        return not blocked

    def _valid_id(self, text: object) -> idcard.IdNumber | None:
        try:
            return idcard.parse(text, today=self._today)
        except idcard.IdNumberError:
            return None  # the checks report it; birth date and sex stay as entered

    def _show_sex(self) -> None:
        """With a valid ID the sex is the ID's (17th digit): shown, not editable."""
        combo, typed = self.inputs["sex"], self.inputs["id_number"]
        assert isinstance(combo, QComboBox) and isinstance(typed, QLineEdit)
        parsed = self._valid_id(typed.text())
        combo.setEnabled(parsed is None)
        combo.setToolTip(self.tr("性别由身份证号第 17 位决定") if parsed else "")
        if parsed is not None and combo.currentData() != parsed.sex:
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(parsed.sex))
            combo.blockSignals(False)

    def try_save(self) -> None:
        if self.validate():
            self.accept()
            return
        for field, label in self.problem_labels.items():
            if label.property("severity") == "error":
                self.inputs[field].setFocus()
                break

    def _text(self, problem: checks.FieldProblem) -> str:
        mark = "✖ " if problem.severity == "error" else "⚠ "
        return mark + (problem.message_en if i18n.english() else problem.message)


def _worst(problems: list[checks.FieldProblem]) -> str:
    if any(p.severity == "error" for p in problems):
        return "error"
    return "warning" if problems else ""
