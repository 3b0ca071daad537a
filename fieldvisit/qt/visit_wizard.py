"""The guided visit: one page per checklist section, every answer saved as it changes.

Pages follow the FormSet's dependency order (a form after those it reads); a form without
sections is one page, a per-member form has one page per member per section. Pages are
built the first time they are shown and kept, so moving between them only swaps a widget.

Every answer goes to ``visit.save_answer`` the moment it changes (typing is saved after
a 300 ms pause, and at once on a page change or close), and the page on screen is kept
in ``visit_pages.json`` beside the database: a killed app reopens the draft exactly. After
each change the whole visit is evaluated again (a few milliseconds), which hides questions
that no longer apply and shows constraint messages and missing answers live.

How the household confirms (户主签字 when the head is at home, 电话确认 when the head is
phoned, 户主不在家 while nobody has reached the head) is asked on the first page, with the
kind of visit, where the cadre learns it on arriving; it is kept on the draft at once.
The last page lists the findings before completion; completion records the cadre, the
household's confirmation and who confirmed, and opens the ledger problems. One check lists
everything still missing, each with a link to its page; 完成走访 sits in the footer, so it
is on screen whatever the summary holds. A completed
visit opens read-only. Every write goes through the op runner, so the roster's colours,
the household's history and the ledger follow a completion by its broadcast.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.checklist.findings import (
    Finding,
    Instance,
    VisitResult,
    evaluate_visit,
    household_context,
)
from fieldvisit.checklist.forms import FormSet
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.errors import FieldVisitError
from fieldvisit.files import replacing
from fieldvisit.qt import i18n
from fieldvisit.qt.fit import fit_to_screen
from fieldvisit.qt.ops import Ops
from fieldvisit.qt.question_widgets import TOGGLE_STYLE, AnswerWidget, answer_widget
from fieldvisit.roster import queries
from fieldvisit.store.fields import VISIT_KINDS
from fieldvisit.visits import kinds, photos, visit
from fieldvisit.visits.visit import CONFIRMATIONS, VisitError

SAVE_DELAY_MS = 300
ABSENT = "户主不在家"  # a choice of the first page, not a way of confirming: none yet
MISSING_SHOWN = 8  # the summary lists this many missing answers, then counts the rest
PREBUILD_DELAY_MS = 150  # after the new page is painted: build the next one
PAGES_FILE = "visit_pages.json"
SEVERITY_COLOURS = {"high": "#b42318", "medium": "#9a6700", "low": "#1d4f91"}
_GREY = "color: #66727f; font-size: 10pt;"
_ERROR = "color: #b42318;"
_WARN = "color: #9a6700;"
_NEEDED = "border: 2px solid #b42318; border-radius: 4px;"  # a control completion needs


@dataclass(frozen=True)
class PageSpec:
    """One wizard page: a section of a form, for the household or for one member."""

    form_id: str
    instance: str  # '' for the household, the member id for a per-member form
    section: int
    form_title: str
    title: str
    member: str  # 张三（12 岁） on a per-member page, else ''
    questions: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.form_id}/{self.instance}/{self.section}"


def plan_pages(formset: FormSet, result: VisitResult,
               members: Mapping[str, Mapping[str, Any]]) -> list[PageSpec]:
    """The pages of a visit; per-member forms repeat for the members ``result`` asks them of."""
    pages: list[PageSpec] = []
    for form_id in formset.order:
        form = formset[form_id]
        asked = [q.id for q in form.questions if q.calculate is None]
        groups = [(s.title, tuple(q for q in s.questions if q in asked)) for s in form.sections]
        placed = {q for _title, ids in groups for q in ids}
        rest = tuple(q for q in asked if q not in placed)
        if rest:
            groups.append((form.title if not groups else "其他", rest))
        groups = [(title, ids) for title, ids in groups if ids]
        if form.per_member:
            instances = [i.member_id or "" for i in result.forms[form_id].instances]
        else:
            instances = [""]
        for instance in instances:
            member = members.get(instance) if instance else None
            label = ""
            if member is not None:
                age = member.get("age")
                label = f"{member.get('name') or ''}（{age} 岁）" if age is not None else str(
                    member.get("name") or "")
            for number, (title, ids) in enumerate(groups):
                pages.append(PageSpec(form_id, instance, number, form.title, title, label, ids))
    return pages


class QuestionPage(QScrollArea):
    """The questions of one page: label, control, unit, help, and its messages."""

    def __init__(self, spec: PageSpec, formset: FormSet, wizard: VisitWizard) -> None:
        super().__init__()
        self.spec = spec
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("page_body")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(14)
        form = formset[spec.form_id]
        self.widgets: dict[str, AnswerWidget] = {}
        self.blocks: dict[str, QWidget] = {}
        self.problems: dict[str, QLabel] = {}
        self.missing: dict[str, QLabel] = {}
        for question_id in spec.questions:
            question = form.question(question_id)
            assert question is not None
            block = QFrame()
            block.setObjectName(f"block_{question_id}")
            block.setStyleSheet(f"QFrame#block_{question_id} {{ background: #ffffff; "
                                "border: 1px solid #d5dce5; border-radius: 4px; }")
            column = QVBoxLayout(block)
            column.setContentsMargins(12, 10, 12, 10)
            column.setSpacing(6)
            top = QHBoxLayout()
            label = QLabel(question.label)
            label.setWordWrap(True)
            label.setStyleSheet("font-size: 13pt; font-weight: bold;")
            top.addWidget(label, 1)
            missing = QLabel(self.tr("必答，尚未回答"))
            missing.setObjectName("missing")
            missing.setStyleSheet(_WARN)
            missing.hide()
            top.addWidget(missing, 0, Qt.AlignmentFlag.AlignTop)
            column.addLayout(top)
            widget = answer_widget(question, wizard.attach_photo_for(question_id))
            widget.setObjectName(f"answer_{question_id}")
            widget.changed.connect(
                lambda value, typed, qid=question_id: wizard.answer_changed(spec, qid, value,
                                                                            typed))
            column.addWidget(widget)
            problem = QLabel()
            problem.setObjectName("problem")
            problem.setProperty("severity", "error")
            problem.setStyleSheet(_ERROR)
            problem.setWordWrap(True)
            problem.hide()
            column.addWidget(problem)
            if question.help:
                hint = QLabel(question.help)
                hint.setWordWrap(True)
                hint.setStyleSheet(_GREY)
                column.addWidget(hint)
            layout.addWidget(block)
            self.widgets[question_id] = widget
            self.blocks[question_id] = block
            self.problems[question_id] = problem
            self.missing[question_id] = missing
        self.nothing = QLabel(self.tr("根据前面的回答，本页的题目都不适用，请翻到下一页。"))
        self.nothing.setStyleSheet(_GREY)
        self.nothing.hide()
        layout.addWidget(self.nothing)
        layout.addStretch()
        self.setWidget(body)

    def load(self, answers: Mapping[str, object], read_only: bool) -> None:
        for question_id, widget in self.widgets.items():
            widget.set_value(answers.get(question_id))
            widget.set_read_only(read_only)

    def refresh(self, instance: Instance | None) -> None:
        """Show only what applies, with constraint messages and missing answers."""
        relevant = instance.relevant if instance else frozenset(self.widgets)
        missing = set(instance.missing) if instance else set()
        messages: dict[str, str] = {}
        for violation in instance.violations if instance else ():
            messages.setdefault(violation.question_id, violation.message)
        shown = 0
        for question_id, block in self.blocks.items():
            visible = question_id in relevant
            block.setVisible(visible)
            shown += visible
            message = messages.get(question_id, "")
            self.problems[question_id].setText(message)
            self.problems[question_id].setVisible(bool(message))
            self.missing[question_id].setVisible(question_id in missing)
        self.nothing.setVisible(shown == 0)


class VisitWizard(QDialog):
    """The guided visit on one household's visit (a draft, or a completed one read-only).

    ``completed(visit_id, problems_opened)`` fires after a successful completion.
    """

    completed = Signal(str, int)
    corrected = Signal(str)  # the new draft that corrects this completed visit

    def __init__(self, ops: Ops, formset: FormSet, visit_id: str,
                 parent: QWidget | None = None, *, settings: Settings = DEFAULT_SETTINGS,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.store = store = ops.store
        self.formset = formset
        self.settings = settings
        self.visit_id = visit_id
        # A checklist updated since the draft began: keep what carries over, say what not.
        self.carry_messages = ([] if visit.load(store, visit_id).completed
                               else ops.write(lambda: visit.carry_over(store, visit_id, formset)))
        record = visit.load(store, visit_id)
        self.read_only = record.completed
        self.record = record
        self.today = record.completed_on if record.completed and record.completed_on else (
            today or date.today())
        with store.reading() as conn:
            self.household, members = queries.household_as_judged(conn, record.household_id)
        self.context = household_context(self.household, members, self.today)
        listed = self.context["members"]  # household_context lists the members it was given
        assert isinstance(listed, list)
        self.members = {m["id"]: m for m in listed}
        self.answers: dict[str, dict[str, Any]] = copy.deepcopy(record.answers_by_form)
        self.evaluation = self._evaluate()
        # A completed visit's findings are the ones it kept (today's forms or household
        # may judge differently); its answers still show on today's pages.
        self.seen = visit.seen(store, visit_id, formset, settings) if self.read_only else None
        self.pages = plan_pages(formset, self.evaluation, self.members)
        self._built: dict[int, QuestionPage] = {}
        self._pending: dict[tuple[str, str, str], object] = {}
        self._current = -1
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)

        head = next((m for m in members if m["relation"] == "户主"), None)
        who = head["name"] if head is not None else self.household["code"]
        self._head_name = str(head["name"]) if head is not None else ""
        self.setWindowTitle((self.tr("走访记录（只读）：%1") if self.read_only
                             else self.tr("入户走访：%1")).replace("%1", str(who)))
        self.resize(960, 760)
        fit_to_screen(self)  # at 1280×800 the footer with 完成走访 stays on the screen
        self._build(head["name"] if head is not None else "")
        self.go_to(self._saved_page() if not self.read_only else 0)

    # Building -----------------------------------------------------------------------------

    def _build(self, head_name: str) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1d4f91;")
        self.heading.setWordWrap(True)
        self.member_label = QLabel()
        self.member_label.setObjectName("member")
        self.member_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.form_help = QLabel()
        self.form_help.setWordWrap(True)
        self.form_help.setStyleSheet(_GREY)
        self.stack = QStackedWidget()
        self.arrival = self._build_arrival(head_name)
        self.summary = self._build_summary()
        self.stack.addWidget(self.summary)

        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setRange(0, len(self.pages))
        self.status = QLabel()
        self.status.setObjectName("save_status")
        self.status.setStyleSheet(_GREY)
        self.prev_button = QPushButton(self.tr("◀ 上一页"))
        self.next_button = QPushButton(self.tr("下一页 ▶"))
        for button in (self.prev_button, self.next_button):
            button.setMinimumHeight(44)
            button.setMinimumWidth(140)
            button.setAutoDefault(False)
        self.next_button.setDefault(True)  # Enter in an answer box moves on
        self.prev_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        QShortcut(QKeySequence("Alt+Left"), self, self.previous_page)
        QShortcut(QKeySequence("Alt+Right"), self, self.next_page)
        self.prev_button.setToolTip("Alt+←")
        self.next_button.setToolTip("Alt+→")

        footer = QHBoxLayout()
        footer.addWidget(self.prev_button)
        middle = QVBoxLayout()
        middle.addWidget(self.progress_label, 0, Qt.AlignmentFlag.AlignHCenter)
        middle.addWidget(self.progress)
        middle.addWidget(self.status, 0, Qt.AlignmentFlag.AlignHCenter)
        footer.addLayout(middle, 1)
        footer.addWidget(self.next_button)
        footer.addWidget(self.complete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        if self.read_only:
            layout.addWidget(_notice("read_only_banner", self.tr(
                "此次走访已完成，记录不能修改；如有错误，请新建更正记录。") + "\n" + (
                self.tr("发现的问题按当前数据重建（此次走访早于留存记录的版本）。")
                if self.seen is not None and self.seen.rebuilt
                else self.tr("发现的问题按走访完成时留存的记录显示。"))))
            layout.addLayout(self._build_correction_row())
        if self.carry_messages:
            carried = _notice("carry_over", self.tr(
                "检查表已更新为新版本，以下答案未能带入，请重新填写：")
                + "<br>" + "<br>".join(escape(m) for m in self.carry_messages))
            carried.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(carried)
        layout.addWidget(self.heading)
        layout.addWidget(self.member_label)
        layout.addWidget(self.form_help)
        layout.addWidget(self.arrival)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

    def _kind_row(self) -> QWidget:
        """走访类型 and the visitor's role: coverage counts them (a 遍访 only by 村支书 or
        第一书记); kept on the draft as soon as chosen."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind_combo, self.role_combo = QComboBox(), QComboBox()
        self.kind_combo.setObjectName("visit_kind")
        self.role_combo.setObjectName("visitor_role")
        for kind in VISIT_KINDS:
            self.kind_combo.addItem(kind, kind)
        self.role_combo.addItem(self.tr("身份（可不选）"), None)
        for role in kinds.ROLES:
            self.role_combo.addItem(role, role)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(self.record.kind)))
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(
            self.record.visitor_role)))
        for combo in (self.kind_combo, self.role_combo):
            combo.setEnabled(not self.read_only)
            combo.currentIndexChanged.connect(self._kind_chosen)
            layout.addWidget(combo)
        return row

    def _kind_chosen(self, _index: int) -> None:
        kind, role = self.kind_combo.currentData(), self.role_combo.currentData()
        try:
            self.ops.write(lambda: visit.set_kind(self.store, self.visit_id, kind, role))
        except FieldVisitError as error:
            self.arrival_message.setText(error.en if i18n.english() else error.zh)
            self.arrival_message.show()
            return
        self.arrival_message.hide()
        self._completion_changed()

    def _build_arrival(self, head_name: str) -> QGroupBox:
        """到访情况, on the first page: the kind of visit and how the household confirms,
        asked when the cadre arrives and knows whether the head is at home."""
        box = QGroupBox(self.tr("到访情况"))
        box.setObjectName("arrival")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.addWidget(QLabel(self.tr("走访类型：")), 0, 0)
        grid.addWidget(self._kind_row(), 0, 1, 1, 3)
        self.confirm_row = confirm_row = QWidget()
        confirm_row.setObjectName("confirm_row")
        confirm_row.setStyleSheet(TOGGLE_STYLE)
        confirm_layout = QHBoxLayout(confirm_row)
        confirm_layout.setContentsMargins(0, 0, 0, 0)
        self.confirm_buttons: dict[str, QPushButton] = {}
        captions = {"户主签字": self.tr("户主在家，签字确认"), "电话确认": self.tr("电话确认"),
                    ABSENT: self.tr("户主不在家")}
        for kind in (*CONFIRMATIONS, ABSENT):
            button = QPushButton(captions.get(kind, kind))
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setAutoExclusive(True)
            button.setMinimumHeight(36)
            button.setProperty("confirmation", kind)
            button.clicked.connect(self._confirmation_chosen)
            confirm_layout.addWidget(button)
            self.confirm_buttons[kind] = button
        confirm_layout.addStretch()
        grid.addWidget(QLabel(self.tr("户主确认：")), 1, 0)
        grid.addWidget(confirm_row, 1, 1, 1, 3)
        self.confirmed_by_edit = QLineEdit(self.record.confirmed_by or head_name)
        self.confirmed_by_edit.setObjectName("confirmed_by")
        self.confirmed_by_edit.setMinimumHeight(36)
        self.confirmed_by_edit.setMaximumWidth(260)
        self.confirmed_by_edit.textChanged.connect(self._completion_changed)
        self.confirmed_by_edit.editingFinished.connect(self._save_confirmation)
        grid.addWidget(QLabel(self.tr("确认人：")), 2, 0)
        grid.addWidget(self.confirmed_by_edit, 2, 1)
        self.confirm_hint = QLabel()
        self.confirm_hint.setObjectName("confirm_hint")
        self.confirm_hint.setWordWrap(True)
        self.confirm_hint.setStyleSheet(_GREY)
        grid.addWidget(self.confirm_hint, 2, 2, 1, 2)
        self.arrival_message = QLabel()
        self.arrival_message.setObjectName("arrival_message")
        self.arrival_message.setWordWrap(True)
        self.arrival_message.setStyleSheet(_ERROR)
        self.arrival_message.hide()
        grid.addWidget(self.arrival_message, 3, 0, 1, 4)
        grid.setColumnStretch(2, 1)
        if self.record.confirmation in self.confirm_buttons:
            self.confirm_buttons[self.record.confirmation].setChecked(True)
        elif self._read_pages().get(self._absent_key) and not self.read_only:
            self.confirm_buttons[ABSENT].setChecked(True)  # as the cadre left it
        self._saved_confirmation = (self.record.confirmation, self.record.confirmed_by)
        self._show_confirm_hint()
        return box

    def chosen_confirmation(self) -> str | None:
        """户主签字, 电话确认, 户主不在家 (ABSENT), or None before a choice."""
        return next((kind for kind, b in self.confirm_buttons.items() if b.isChecked()), None)

    def _confirmation_chosen(self) -> None:
        self._show_confirm_hint()
        if self.chosen_confirmation() == "户主签字" and not self.confirmed_by_edit.text().strip():
            self.confirmed_by_edit.setText(self._head_name)
        self._save_confirmation()
        self._completion_changed()

    def _show_confirm_hint(self) -> None:
        hints = {
            "户主签字": self.tr("走访结束时请户主在走访记录上签字。"),
            "电话确认": self.tr("户主不在家，已电话联系户主核对：确认人填接电话的人。"),
            ABSENT: self.tr("可以先走访在家的家庭成员；完成前请电话联系户主，"
                            "再改选“电话确认”。"),
        }
        self.confirm_hint.setText(hints.get(self.chosen_confirmation() or "",
                                            self.tr("到达时请先选择：户主在家签字，或电话确认。")))

    @property
    def _absent_key(self) -> str:
        return f"{self.visit_id}/{ABSENT}"

    def _save_confirmation(self) -> None:
        """Keep the choice on the draft at once (a visit reopened tomorrow still knows);
        户主不在家 is no way of confirming the store keeps, so it is kept with the page on
        screen, beside the database."""
        if self.read_only:
            return
        chosen = self.chosen_confirmation()
        pages = self._read_pages()
        if (chosen == ABSENT) != bool(pages.get(self._absent_key)):
            if chosen == ABSENT:
                pages[self._absent_key] = "1"
            else:
                pages.pop(self._absent_key, None)
            self._write_pages(pages)
        confirmation = chosen if chosen in CONFIRMATIONS else None
        wanted = (confirmation, self.confirmed_by_edit.text().strip() or None)
        if wanted == self._saved_confirmation:
            return
        try:
            self.ops.write(lambda: visit.set_confirmation(self.store, self.visit_id, *wanted))
        except FieldVisitError as error:
            self.arrival_message.setText(error.en if i18n.english() else error.zh)
            self.arrival_message.show()
            return
        self._saved_confirmation = wanted

    def _build_summary(self) -> QWidget:
        """The findings scroll; the completion fields stay below them, always in view, and
        完成走访 is in the footer."""
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        scroll = QScrollArea()
        scroll.setObjectName("summary_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 12, 4)
        self.findings_label = QLabel()
        self.findings_label.setObjectName("findings")
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.RichText)
        self.findings_label.setStyleSheet("background: #ffffff; border: 1px solid #d5dce5; "
                                          "padding: 10px; font-size: 12pt;")
        self.findings_label.linkActivated.connect(self._link)
        layout.addWidget(self.findings_label)
        layout.addStretch()
        scroll.setWidget(body)
        self.summary_scroll = scroll
        outer.addWidget(scroll, 1)

        self.completion = QGroupBox(self.tr("完成走访"))
        self.completion.setObjectName("completion")
        grid = QGridLayout(self.completion)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        self.cadre_edit = QLineEdit(self.store.actor or "")
        self.cadre_edit.setObjectName("cadre")
        self.cadre_edit.setMinimumHeight(36)
        self.cadre_edit.setMaximumWidth(260)
        grid.addWidget(QLabel(self.tr("走访干部：")), 0, 0)
        grid.addWidget(self.cadre_edit, 0, 1)
        self.confirmation_line = QLabel()
        self.confirmation_line.setObjectName("confirmation_line")
        self.confirmation_line.setTextFormat(Qt.TextFormat.RichText)
        self.confirmation_line.setWordWrap(True)
        self.confirmation_line.linkActivated.connect(self._link)
        grid.addWidget(self.confirmation_line, 0, 2)
        self.accept_missing = QCheckBox()
        self.accept_missing.setObjectName("accept_missing")
        self.accept_missing.toggled.connect(self._completion_changed)
        grid.addWidget(self.accept_missing, 1, 0, 1, 3, Qt.AlignmentFlag.AlignLeft)
        self.complete_button = QPushButton(self.tr("完成走访并生成整改问题"))
        self.complete_button.setObjectName("primary")
        self.complete_button.setMinimumHeight(44)
        self.complete_button.setAutoDefault(False)
        self.complete_button.clicked.connect(self.complete)
        self.completion_message = QLabel()
        self.completion_message.setObjectName("completion_message")
        self.completion_message.setWordWrap(True)
        self.completion_message.setTextFormat(Qt.TextFormat.RichText)
        self.completion_message.setStyleSheet("font-size: 12pt;")
        self.completion_message.linkActivated.connect(self._link)
        self.completion_message.hide()
        grid.addWidget(self.completion_message, 2, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        self.cadre_edit.textChanged.connect(self._completion_changed)
        outer.addWidget(self.completion)
        self.done_label = QLabel()
        self.done_label.setObjectName("done")
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("font-size: 12pt;")
        outer.addWidget(self.done_label)
        self._show_completion_state()
        return page

    # Navigation ---------------------------------------------------------------------------

    @property
    def current_index(self) -> int:
        return self._current

    @property
    def summary_index(self) -> int:
        return len(self.pages)

    def page_widget(self, index: int) -> QuestionPage:
        """The page's widget, built the first time it is asked for."""
        page = self._built.get(index)
        if page is None:
            spec = self.pages[index]
            page = QuestionPage(spec, self.formset, self)
            page.load(self._answers_of(spec), self.read_only)
            self.stack.addWidget(page)
            self._built[index] = page
        return page

    def go_to(self, index: int) -> None:
        index = max(0, min(index, self.summary_index))
        self.flush()
        self._save_confirmation()
        self._current = index
        if index == self.summary_index:
            self.evaluation = self._evaluate()
            self._refresh_summary()
            self.stack.setCurrentWidget(self.summary)
            self.heading.setText(self.tr("走访小结"))
            self.member_label.hide()
            self.form_help.setText(self.tr("完成前请和户主一起核对发现的问题。"))
        else:
            spec = self.pages[index]
            page = self.page_widget(index)
            page.refresh(self._instance(spec))
            self.stack.setCurrentWidget(page)
            self.heading.setText(f"{spec.form_title} · {spec.title}")
            self.member_label.setText(spec.member)
            self.member_label.setVisible(bool(spec.member))
            self.form_help.setText(self.formset[spec.form_id].help if spec.section == 0 else "")
        self.form_help.setVisible(bool(self.form_help.text()))
        self.arrival.setVisible(index == 0 and not self.read_only)
        on_summary = index == self.summary_index
        self.next_button.setVisible(not on_summary)
        self.complete_button.setVisible(on_summary and not self.read_only)
        total = self.summary_index + 1
        self.progress_label.setText(self.tr("第 %1 / %2 页").replace("%1", str(index + 1))
                                    .replace("%2", str(total)))
        self.progress.setValue(index)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.summary_index)
        if not self.read_only:
            self._remember_page()
        if index + 1 < self.summary_index and index + 1 not in self._built:
            QTimer.singleShot(PREBUILD_DELAY_MS, self, lambda: self._prebuild(index + 1))

    def _prebuild(self, index: int) -> None:
        """Build the next page while the cadre reads this one, so 下一页 only swaps."""
        if index not in self._built and index < self.summary_index:
            self.page_widget(index)

    def next_page(self) -> None:
        if self._current < self.summary_index:
            self.go_to(self._current + 1)

    def previous_page(self) -> None:
        if self._current > 0:
            self.go_to(self._current - 1)

    def _link(self, target: str) -> None:
        if target.startswith("page:"):
            self.go_to(int(target.split(":", 1)[1]))

    # Answers ------------------------------------------------------------------------------

    def _answers_of(self, spec: PageSpec) -> dict[str, Any]:
        answers = self.answers.get(spec.form_id, {})
        return answers.get(spec.instance, {}) if spec.instance else answers

    def answer_changed(self, spec: PageSpec, question_id: str, value: object,
                       typed: bool) -> None:
        if self.read_only:
            return
        form_answers = self.answers.setdefault(spec.form_id, {})
        target = form_answers.setdefault(spec.instance, {}) if spec.instance else form_answers
        target[question_id] = value
        self._pending[(spec.form_id, spec.instance, question_id)] = value
        if typed:
            self._save_timer.start()
        else:
            self.flush()
        self.evaluation = self._evaluate()
        if 0 <= self._current < self.summary_index:
            current = self.pages[self._current]
            self.page_widget(self._current).refresh(self._instance(current))

    def flush(self) -> None:
        """Save every answer not saved yet (visit.save_answer, one journaled row each)."""
        self._save_timer.stop()
        pending, self._pending = self._pending, {}
        if not pending:
            return
        def save() -> None:
            for (form_id, instance, question_id), value in pending.items():
                visit.save_answer(self.store, self.visit_id, form_id, instance, question_id,
                                  value)

        try:
            self.ops.write(save)
        except (VisitError, OSError) as error:
            self.status.setText(self.tr("保存失败：%1").replace("%1", str(error)))
            self.status.setStyleSheet(_ERROR)
            return
        self.status.setStyleSheet(_GREY)
        self.status.setText(self.tr("已自动保存"))

    def attach_photo_for(self, question_id: str) -> Any:
        def attach(path: Path) -> tuple[str, str]:
            photo_id = self.ops.write(lambda: photos.attach(
                self.store, path, visit_id=self.visit_id, question_id=question_id))
            return photo_id, path.name

        return attach

    def _evaluate(self) -> VisitResult:
        return evaluate_visit(self.formset, self.answers, self.context, self.settings,
                              self.today)

    def _instance(self, spec: PageSpec) -> Instance | None:
        member = spec.instance or None
        return next((i for i in self.evaluation.forms[spec.form_id].instances
                     if i.member_id == member), None)

    # The page on screen, kept beside the database ------------------------------------------

    def _read_pages(self) -> dict[str, str]:
        path = self.store.folder / PAGES_FILE
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_pages(self, data: dict[str, str]) -> None:
        try:
            with replacing(self.store.folder / PAGES_FILE) as partial:
                partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # losing the page is not worth interrupting a visit

    def _remember_page(self) -> None:
        data = self._read_pages()
        key = "summary" if self._current == self.summary_index else self.pages[self._current].key
        if data.get(self.visit_id) != key:
            data[self.visit_id] = key
            self._write_pages(data)

    def _saved_page(self) -> int:
        key = self._read_pages().get(self.visit_id)
        if key == "summary":
            return self.summary_index
        return next((i for i, spec in enumerate(self.pages) if spec.key == key), 0)

    def _forget_page(self) -> None:
        data = self._read_pages()
        forgotten = [data.pop(key, None) for key in (self.visit_id, self._absent_key)]
        if any(value is not None for value in forgotten):
            self._write_pages(data)

    # Summary and completion ---------------------------------------------------------------

    def _refresh_summary(self) -> None:
        parts: list[str] = []
        kept = self.seen
        findings = kept.findings if kept is not None else self.evaluation.findings
        if findings:
            title = self.tr("发现的问题")
            parts.append(f"<h3>{escape(title)}（{len(findings)}）</h3>")
            by_category: dict[str, list[Finding]] = {}
            for finding in findings:
                by_category.setdefault(finding.category, []).append(finding)
            severity = {"high": self.tr("高"), "medium": self.tr("中"), "low": self.tr("低")}
            for category, found in by_category.items():
                parts.append(f"<p><b>{escape(category)}</b></p><ul>")
                for finding in found:
                    colour = SEVERITY_COLOURS.get(finding.severity, "#1f2933")
                    # A member's finding names the member once: most texts start with
                    # the name ({name} in the form); others get it in front.
                    who = self._member_name(finding.member_id)
                    if who and who.removesuffix("：") in finding.text:
                        who = ""
                    parts.append(
                        f"<li><span style='color:{colour}; font-weight:bold'>"
                        f"[{escape(severity.get(finding.severity, finding.severity))}]</span> "
                        f"<span style='color:{colour}'>{escape(who)}{escape(finding.text)}"
                        "</span></li>")
                parts.append("</ul>")
        else:
            title = self.tr("没有发现问题")
            parts.append(f"<h3>{escape(title)}</h3>")
        suggestion = kept.suggestion if kept is not None else self.evaluation.suggestion
        if suggestion is not None and suggestion.meets:
            text = self.tr("建议纳入监测对象：%1").replace("%1", suggestion.kind or "")
            parts.append(f"<p style='color:#9a6700'><b>{escape(text)}</b></p>")
        missing, invalid = self._gaps()
        if missing:
            title = self.tr("尚未回答的必答题")
            parts.append(f"<h3>{escape(title)}（{len(missing)}）</h3><ul>")
            parts += [f"<li><a href='page:{page}'>{escape(text)}</a></li>"
                      for page, text in missing[:MISSING_SHOWN]]
            parts.append("</ul>")
            if len(missing) > MISSING_SHOWN:
                more = self.tr("……还有 %1 道，点上面的题目可翻到所在页")
                parts.append(f"<p>{escape(more.replace('%1', str(len(missing) - MISSING_SHOWN)))}"
                             "</p>")
        if invalid:
            title = self.tr("需要改正的回答")
            parts.append(f"<h3 style='color:#b42318'>{escape(title)}（{len(invalid)}）</h3><ul>")
            parts += [f"<li><a href='page:{page}'>{escape(text)}</a></li>"
                      for page, text in invalid]
            parts.append("</ul>")
        self.findings_label.setText("".join(parts))
        self.accept_missing.setText(self.tr("还有 %1 道必答题未回答，仍然完成走访")
                                    .replace("%1", str(len(missing))))
        self.accept_missing.setVisible(bool(missing) and not self.read_only)
        self._show_confirmation_line()

    def _show_confirmation_line(self) -> None:
        """The first page's choice, repeated where the visit completes, with a way back."""
        chosen = self.chosen_confirmation()
        change = escape(self.tr("修改"))
        if chosen in CONFIRMATIONS:
            text = self.tr("户主确认：%1，确认人 %2").replace("%1", self._confirmation_word(
                chosen)).replace("%2", self.confirmed_by_edit.text().strip() or "—")
        elif chosen == ABSENT:
            text = self.tr("户主确认：户主不在家，尚未确认")
        else:
            text = self.tr("户主确认：尚未选择")
        self.confirmation_line.setText(self._with_link(escape(text), 0, change))

    def _confirmation_word(self, kind: str) -> str:
        return {"户主签字": self.tr("户主签字"), "电话确认": self.tr("电话确认")}.get(kind, kind)

    def _member_name(self, member_id: str | None) -> str:
        if not member_id:
            return ""
        kept = {m.id: m.name for m in self.seen.members} if self.seen is not None else {}
        name = kept.get(member_id) or self.members.get(member_id, {}).get("name")
        return f"{name or member_id}："

    def _gaps(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(page, text) of missing required answers and of answers breaking a constraint."""
        page_of = {(spec.form_id, spec.instance, q): i for i, spec in enumerate(self.pages)
                   for q in spec.questions}
        missing: list[tuple[int, str]] = []
        invalid: list[tuple[int, str]] = []
        for form_id in self.formset.order:
            form = self.formset[form_id]
            for instance in self.evaluation.forms[form_id].instances:
                key = instance.member_id or ""
                who = self._member_name(instance.member_id)
                for question_id in instance.missing:
                    question = form.question(question_id)
                    label = question.label if question else question_id
                    page = page_of.get((form_id, key, question_id), 0)
                    missing.append((page, f"{form.title} · {who}{label}"))
                for violation in instance.violations:
                    page = page_of.get((form_id, key, violation.question_id), 0)
                    invalid.append((page, f"{form.title} · {who}{violation.message}"))
        return missing, invalid

    def _build_correction_row(self) -> QHBoxLayout:
        """A completed visit is corrected by a new visit that says why (the original
        stays as it was): reason here, then the new draft opens in its place."""
        row = QHBoxLayout()
        self.correction_reason = QLineEdit()
        self.correction_reason.setObjectName("correction_reason")
        self.correction_reason.setPlaceholderText(self.tr("更正原因（必填），如：水量记错"))
        self.correct_button = QPushButton(self.tr("新建更正记录"))
        self.correct_button.setObjectName("correct_visit")
        self.correct_button.clicked.connect(self.start_correction)
        self.correction_error = QLabel()
        self.correction_error.setStyleSheet("color: #b3261e;")
        row.addWidget(self.correction_reason, 1)
        row.addWidget(self.correct_button)
        row.addWidget(self.correction_error)
        return row

    def start_correction(self) -> None:
        try:
            new_id = self.ops.write(lambda: visit.correct(
                self.store, self.visit_id, self.correction_reason.text(), self.store.actor,
                date.today()))
        except visit.VisitError as error:
            self.correction_error.setText(str(error))  # Chinese, then English
            return
        self.corrected.emit(new_id)
        self.accept()

    def _show_completion_state(self) -> None:
        self.completion.setVisible(not self.read_only)
        self.complete_button.setVisible(not self.read_only
                                        and self._current == self.summary_index)
        self.done_label.setVisible(self.read_only)
        if self.read_only:
            record = visit.load(self.store, self.visit_id)
            self.done_label.setText(
                self.tr("已于 %1 完成走访。走访干部：%2；户主确认：%3（%4）")
                .replace("%1", str(record.completed_on)).replace("%2", record.cadre)
                .replace("%3", record.confirmation or "").replace("%4", record.confirmed_by
                                                                  or ""))

    def choose_confirmation(self, kind: str) -> None:
        """As a click on the first page's button (户主签字, 电话确认 or 户主不在家)."""
        self.confirm_buttons[kind].setChecked(True)
        self._confirmation_chosen()

    def _completion_problems(self) -> list[tuple[str, list[QWidget]]]:
        """Everything that keeps the visit from completing, at once: (rich text, the
        controls to mark). Empty when it can complete."""
        missing, invalid = self._gaps()
        problems: list[tuple[str, list[QWidget]]] = []
        if invalid:
            text = escape(self.tr("有 %1 个回答不符合要求，请先改正").replace(
                "%1", str(len(invalid))))
            go = escape(self.tr("翻到第一个"))
            problems.append((self._with_link(text, invalid[0][0], go), []))
        if missing and not self.accept_missing.isChecked():
            text = escape(self.tr("还有 %1 道必答题未回答：请补上，或勾选“仍然完成走访”").replace(
                "%1", str(len(missing))))
            go = escape(self.tr("翻到第一道"))
            problems.append((self._with_link(text, missing[0][0], go),
                             [self.accept_missing]))
        if not self.cadre_edit.text().strip():
            problems.append((escape(self.tr("请填写走访干部姓名")), [self.cadre_edit]))
        chosen = self.chosen_confirmation()
        back = escape(self.tr("翻到到访情况"))
        if chosen is None:
            text = escape(self.tr("请选择户主确认方式：户主签字或电话确认"))
            problems.append((self._with_link(text, 0, back), list(self.confirm_buttons.values())))
        elif chosen == ABSENT:
            text = escape(self.tr("户主不在家：请电话联系户主确认后改选“电话确认”"))
            problems.append((self._with_link(text, 0, back),
                             [self.confirm_buttons["电话确认"]]))
        if not self.confirmed_by_edit.text().strip():
            problems.append((self._with_link(escape(self.tr("请填写确认人姓名")), 0, back),
                             [self.confirmed_by_edit]))
        return problems

    @staticmethod
    def _with_link(text: str, page: int, words: str) -> str:
        """Rich text: ``text`` · ``words`` linking to ``page`` (both already escaped; the
        middle dot reads the same in Chinese and English)."""
        return f"{text} · <a href='page:{page}'>{words}</a>"

    def _show_completion_problems(self, problems: list[tuple[str, list[QWidget]]]) -> None:
        marked = {id(w) for _text, widgets in problems for w in widgets}
        for widget in (self.cadre_edit, self.confirmed_by_edit, self.accept_missing,
                       *self.confirm_buttons.values()):
            needed = id(widget) in marked
            if bool(widget.property("needed")) != needed:
                widget.setProperty("needed", needed)
                widget.setStyleSheet(_NEEDED if needed else "")
        self.completion_message.setVisible(bool(problems))
        if not problems:
            self.completion_message.setText("")
            self.completion.setMinimumHeight(0)
            return
        self.completion_message.setStyleSheet(_ERROR + " font-size: 12pt;")
        title = self.tr("还不能完成走访，请先处理以下 %1 项：").replace("%1", str(len(problems)))
        self.completion_message.setText(
            f"<b>{escape(title)}</b><br>" + "<br>".join(
                f"{number}. {text}" for number, (text, _w) in enumerate(problems, 1)))
        self._fit_completion()

    def _fit_completion(self) -> None:
        """The completion box as tall as its wrapped lines at its width: the page's layout
        sizes it from one line each and squeezed a long refusal (English) to one line;
        the findings above give up the height."""
        layout = self.completion.layout()
        if layout is not None and layout.hasHeightForWidth() and self.completion.width() > 0:
            layout.activate()
            self.completion.setMinimumHeight(layout.totalHeightForWidth(self.completion.width()))

    def _completion_changed(self) -> None:
        """After a refusal, the list follows the cadre's fixes (and empties with them)."""
        if self.read_only:
            return
        if self._current == self.summary_index:
            self._show_confirmation_line()
        if self.completion_message.text():
            self._show_completion_problems(self._completion_problems())

    def complete(self) -> bool:
        """Complete the visit from the summary's fields; False if refused, with every
        missing piece listed at once."""
        if self.read_only:
            return False
        self.flush()
        self._save_confirmation()
        self.evaluation = self._evaluate()
        problems = self._completion_problems()
        self._show_completion_problems(problems)
        if problems:
            return False
        chosen = self.chosen_confirmation()
        assert chosen in CONFIRMATIONS, "checked by _completion_problems"
        try:
            opened = self.ops.write(lambda: visit.complete(
                self.store, self.visit_id, self.formset, self.settings,
                self.cadre_edit.text(), chosen, self.confirmed_by_edit.text(), self.today))
        except VisitError as error:
            self.completion_message.setStyleSheet(_ERROR + " font-size: 12pt;")
            self.completion_message.setText(escape(error.zh))
            self.completion_message.show()
            return False
        self._forget_page()
        self.read_only = True
        for page in self._built.values():
            for widget in page.widgets.values():
                widget.set_read_only(True)
        self.arrival.hide()
        self._show_completion_state()
        self.done_label.setText(self.done_label.text() + "<br>" + (
            self.tr("走访已完成，新开 %1 个整改问题。").replace("%1", str(len(opened)))))
        self.setWindowTitle(self.windowTitle() + self.tr("（已完成）"))
        self.completed.emit(self.visit_id, len(opened))
        return True

    # Closing ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A refusal listed is rewrapped at the new width."""
        super().resizeEvent(event)
        if not self.read_only and self.completion_message.text():
            QTimer.singleShot(0, self, self._fit_completion)  # once the layout has its width

    def done(self, result: int) -> None:
        """Closing saves what was typed in the last 300 ms, the confirmer's name as typed
        and the page on screen."""
        if not self.read_only:
            self.flush()
            self._save_confirmation()
        super().done(result)


def _notice(name: str, text: str) -> QLabel:
    """An amber notice above the pages (read-only visit, answers not carried over)."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setStyleSheet("background: #fff4e5; border: 1px solid #f0c36d; padding: 6px; "
                        "color: #7a4f01;")
    label.setWordWrap(True)
    return label
