"""编辑本户: the household's own facts a cadre keeps, beside its monitoring status.

What may be typed here (address, 帮扶责任人, 户类型, 致贫原因, 备注) is
``roster.membership.HOUSEHOLD_FIELDS``, checked and written by ``membership.household_edit``
through the op runner, so the roster, the panel and the history follow its broadcast.
是否监测对象, 监测对象类别, 风险类型, 识别时间 and 风险是否消除 are decisions of the 监测
procedure (识别纳入, 风险消除), so they are shown, read-only, never edited here: a
cadre who types them would bypass the steps the county audits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from fieldvisit.qt.ops import Ops
from fieldvisit.qt.population_dialog import ChangeDialog
from fieldvisit.roster import checks, membership, vocab
from fieldvisit.store.models import Household

_HELPER = ("address", "helper_name", "helper_unit", "helper_phone")  # above 户类型
NOTE_LINES = 4  # the 备注 box shows this many lines before it scrolls


def _length(field: str) -> int:
    """The column's length (the store refuses more), so a box stops at it."""
    length = getattr(Household.__table__.c[field].type, "length", None)
    return int(length) if length else 32767


class HouseholdDialog(ChangeDialog):
    """Edit one household (``facts`` as ``queries.household`` returns it)."""

    def __init__(self, ops: Ops, facts: dict[str, Any], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(ops, today, parent)
        self.setWindowTitle(self.tr("编辑本户：%1").replace("%1", facts["code"]))
        self.setMinimumWidth(600)
        self._facts = facts
        self.inputs: dict[str, QLineEdit] = {}
        labels = {
            "address": self.tr("家庭住址"), "helper_name": self.tr("帮扶责任人"),
            "helper_unit": self.tr("帮扶单位"), "helper_phone": self.tr("责任人电话"),
            "poverty_cause": self.tr("致贫原因"),
        }
        for field in _HELPER:
            self.add_row(field, labels[field], self._line(field))
        self.hh_type = QComboBox()
        self.hh_type.setObjectName("hh_type")
        types = list(vocab.HOUSEHOLD_TYPES)
        if facts.get("hh_type") and facts["hh_type"] not in types:
            types.append(facts["hh_type"])  # a county word as imported: kept until changed
        for kind in types:
            self.hh_type.addItem(kind, kind)
        self.hh_type.setCurrentIndex(max(0, self.hh_type.findData(facts.get("hh_type"))))
        self.hh_type.setToolTip(self.tr("国家系统中的户类型；与是否监测对象分开记录"))
        self.add_row("hh_type", self.tr("户类型"), self.hh_type)
        cause = self._line("poverty_cause")
        cause.setPlaceholderText(self.tr("脱贫户当年的致贫原因，如：因病"))
        self.add_row("poverty_cause", labels["poverty_cause"], cause)
        self.note = QPlainTextEdit(facts.get("note") or "")
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        lines = self.note.fontMetrics().lineSpacing()
        self.note.setFixedHeight(lines * NOTE_LINES + 12)
        self.note.textChanged.connect(self.validate)
        self.add_row("note", self.tr("备注"), self.note)
        # a row of its own: a wrapped label inside a row's widget is not given its height
        note_hint = QLabel(self.tr("备注会同步到县里：请勿填写银行卡号、存折号等账户信息"))
        note_hint.setObjectName("hint")
        note_hint.setWordWrap(True)
        self.form.addRow("", note_hint)
        self.monitoring = self._monitoring_box(facts)
        self._finish_layout(self.monitoring)

    def _line(self, field: str) -> QLineEdit:
        edit = QLineEdit(self._facts.get(field) or "")
        edit.setObjectName(field)
        edit.setMaxLength(_length(field))
        edit.textChanged.connect(self.validate)
        self.inputs[field] = edit
        return edit

    def _monitoring_box(self, facts: dict[str, Any]) -> QGroupBox:
        """The 监测 fields, as labels: shown for the whole picture, changed elsewhere."""
        box = QGroupBox(self.tr("监测信息（只读）"))
        box.setObjectName("monitoring")
        form = QFormLayout(box)
        form.setVerticalSpacing(4)
        said = self.tr("由监测程序（识别纳入、风险消除）决定，在“监测”页办理，不能在这里修改")
        why = QLabel(said)
        why.setObjectName("hint")
        why.setWordWrap(True)
        form.addRow(why)
        eliminated = self._yes_no(facts.get("risk_eliminated"))
        if facts.get("risk_eliminated") and facts.get("risk_eliminated_on"):
            eliminated = f"{eliminated}（{facts['risk_eliminated_on']}）"
        self.monitoring_values: dict[str, QLabel] = {}
        for field, label, value in (
            ("monitored", self.tr("是否监测对象"), self._yes_no(facts.get("monitored"))),
            ("monitor_category", self.tr("监测对象类别"),
             facts.get("monitor_category") or self.tr("无")),
            ("risk_types", self.tr("风险类型"),
             vocab.risks_label(facts.get("risk_types"), facts.get("risk_other"))
             or self.tr("无")),
            ("identified_on", self.tr("识别时间"),
             str(facts["identified_on"]) if facts.get("identified_on") else self.tr("未填")),
            ("risk_eliminated", self.tr("风险是否消除"), eliminated),
        ):
            shown = QLabel(value)
            shown.setObjectName(f"shown_{field}")
            shown.setWordWrap(True)
            form.addRow(label + self.tr("："), shown)
            self.monitoring_values[field] = shown
        return box

    def _yes_no(self, value: object) -> str:
        return self.tr("是") if value else self.tr("否") if value is False else self.tr("未填")

    def fields(self) -> dict[str, Any]:
        """Every editable field as typed; ``household_edit`` writes those that differ."""
        typed: dict[str, Any] = {field: edit.text() for field, edit in self.inputs.items()}
        typed["hh_type"] = self.hh_type.currentData()
        typed["note"] = self.note.toPlainText()
        return typed

    def check(self) -> list[tuple[str, str, str, str]]:
        """The checks a keystroke can fail: the phone (once changed: a typo an import kept
        must not block editing the address) and a card number in the note."""
        found: list[tuple[str, str, str, str]] = []
        typed = self.inputs["helper_phone"].text()
        phone = checks.phone_problem(typed, "helper_phone")
        stored = self._facts.get("helper_phone") or ""
        if phone is not None and checks.normalise_phone(typed) != stored:
            found.append(("helper_phone", checks.ERROR, phone.message, phone.message_en))
        if membership.bank_card_in(self.note.toPlainText()):
            found.append(("note", checks.ERROR, *membership.CARD_IN_NOTE))
        return found

    def write(self) -> Any:
        return membership.record(self._ops.store, membership.household_edit,
                                 self._facts["id"], self.fields())
