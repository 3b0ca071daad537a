"""The household panel under the roster: the household's facts, members, measures
(``measures_view``), history and visits.

It shows what ``queries.household``, ``queries.members``, ``history.household_history``
and ``visit.history`` return and asks the main window to edit a member or open a visit;
the editing and saving live elsewhere (the measures tab and the household, population
and 合户 dialogs write through the op runner it is given; the main window shows the
household again from that runner's broadcast, the history tab follows it too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.qt.case_panel import CasePanel
from fieldvisit.qt.household_dialog import HouseholdDialog
from fieldvisit.qt.measures_view import MeasuresView
from fieldvisit.qt.merge_dialog import MergeDialog
from fieldvisit.qt.ops import Changed, Ops
from fieldvisit.qt.population_dialog import JoinDialog, LeaveDialog, SplitDialog, open_change
from fieldvisit.qt.table_model import Index, ListTableModel, row_table
from fieldvisit.roster import membership, queries
from fieldvisit.roster.history import HistoryEntry, household_history
from fieldvisit.roster.queries import MemberView
from fieldvisit.roster.vocab import risks_label, status_label

_MEMBER_FIELDS = ("name", "relation", "sex", "age", "id_number", "health", "schooling",
                  "labour_skill", "phone")
_CENTRED = frozenset({"sex", "age"})
MEMBER_ROWS_SHOWN = 5


class MembersModel(ListTableModel[MemberView]):
    """One household's members, head first (the order ``queries.members`` gives)."""

    def headers(self) -> list[str]:
        return [self.tr("姓名"), self.tr("与户主关系"), self.tr("性别"), self.tr("年龄"),
                self.tr("身份证号"), self.tr("健康状况"), self.tr("在校生状况"),
                self.tr("劳动技能"), self.tr("联系电话")]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        field = _MEMBER_FIELDS[index.column()]
        member = self.item(index.row())
        left_on = member.values.get("left_on")
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(member, field)
            if field == "name" and left_on is not None:  # a former member: why and when
                return self.tr("%1（%2 %3）").replace("%1", member.name).replace(
                    "%2", member.values.get("left_reason") or self.tr("减少")).replace(
                    "%3", str(left_on))
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and left_on is not None:
            return QColor("#8a8a8a")
        if role == Qt.ItemDataRole.ToolTipRole and left_on is not None:
            return member.values.get("left_note") or None
        if role == Qt.ItemDataRole.TextAlignmentRole and field in _CENTRED:
            return Qt.AlignmentFlag.AlignCenter
        return None


class HistoryModel(ListTableModel[HistoryEntry]):
    """A household's timeline, newest first; a change from the county says so."""

    def headers(self) -> list[str]:
        return [self.tr("时间"), self.tr("经办人"), self.tr("内容"), self.tr("来源")]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.item(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            source = self.tr("县里同步") if entry.synced else self.tr("本机")
            return (entry.when.strftime("%Y-%m-%d %H:%M"), entry.who, entry.what,
                    source)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return entry.what  # a long problem note is cut off in the column
        return None


class HistoryView(QWidget):
    """The 历史记录 tab: every journaled change of the household shown, read again
    whenever the op runner says the household changed (one household's journal is a
    few quick queries, so on the UI thread)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._household_id: str | None = None
        ops.changed.connect(self._changed)
        self.model = HistoryModel(self)
        self.table = row_table(self.model, "history")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def show_household(self, household_id: str | None) -> None:
        """Show one household's history, or none; the same household again is left as
        it is (the broadcast keeps it current)."""
        if household_id != self._household_id:
            self._household_id = household_id
            self.reload()

    def line(self, row: int) -> str:
        """A row's cells joined by spaces (for tests)."""
        return " ".join(str(self.model.index(row, column).data())
                        for column in range(self.model.columnCount()))

    def _changed(self, changed: Changed) -> None:
        if changed.touches_household(self._household_id):
            self.reload()

    def reload(self) -> None:
        entries: list[HistoryEntry] = []
        if self._household_id is not None:
            with self._ops.store.reading() as conn:
                entries = household_history(conn, self._household_id)
        self.model.set_items(entries)


@dataclass(frozen=True)
class VisitLine:
    """One line of a household's visit history."""

    id: str
    on: date
    cadre: str
    status: str  # 'draft' | 'completed'
    problems: int
    kind: str = ""  # 日常走访 / 遍访 / 监测核实 / 回访
    confirmation: str | None = None  # 户主签字 (met) / 电话确认 (phoned)


class HouseholdPanel(QWidget):
    """Facts above, members and visits below; ``edit_requested`` carries the member,
    ``visit_requested`` asks to start or continue the household's visit,
    ``visit_opened`` (visit id) to show a visit of the history; ``card_print_requested``
    and ``visit_print_requested`` (visit id) ask for a print preview."""

    edit_requested = Signal(object)
    visit_requested = Signal()
    visit_opened = Signal(str)
    card_print_requested = Signal()
    visit_print_requested = Signal(str)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._facts_box = QGroupBox(self.tr("户基本情况"))
        grid = QGridLayout(self._facts_box)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        self._facts: dict[str, QLabel] = {}
        layout_of_facts = (
            (("code", self.tr("户编号")), ("hh_type", self.tr("户类别")),
             ("risk_types", self.tr("风险类型"))),
            (("place", self.tr("住址")), ("helper", self.tr("帮扶责任人")),
             ("helper_phone", self.tr("责任人电话"))),
        )
        for row, facts in enumerate(layout_of_facts):
            for column, (key, label) in enumerate(facts):
                caption = QLabel(label + self.tr("："))
                caption.setObjectName("caption")
                value = QLabel()
                value.setObjectName(f"fact_{key}")
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(caption, row, column * 2, Qt.AlignmentFlag.AlignRight)
                grid.addWidget(value, row, column * 2 + 1)
                self._facts[key] = value
        for column, stretch in ((1, 2), (3, 1), (5, 1)):  # the address runs longest
            grid.setColumnStretch(column, stretch)
        # 备注 on a row of its own, one line (the whole note in its tooltip)
        caption = QLabel(self.tr("备注") + self.tr("："))
        caption.setObjectName("caption")
        note = QLabel()
        note.setObjectName("fact_note")
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        grid.addWidget(caption, 2, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(note, 2, 1, 1, 5)
        self._facts["note"] = note
        self.card_button = QPushButton(self.tr("打印明白卡…"))
        self.card_button.clicked.connect(self.card_print_requested)
        # 住址, 帮扶责任人, 户类型, 致贫原因, 备注: written through the op runner like the rest
        self.household_button = QPushButton(self.tr("编辑本户…"))
        self.household_button.setObjectName("edit_household")
        self.household_button.clicked.connect(self.edit_household)
        # 合户 ends this household: a household's act, beside its editing (the members'
        # row of buttons is as wide as an English window of 1280 allows)
        self.merge_button = QPushButton(self.tr("合户…"))
        self.merge_button.setToolTip(self.tr("把本户并入同村的另一户"))
        self.merge_button.clicked.connect(self.record_merge)
        self._visits_box = self._build_visits_box()
        # 开始走访 is the household's first act: beside its facts, always in view
        grid.addWidget(self.visit_button, 0, 6)
        grid.addWidget(self.card_button, 0, 7)
        grid.addWidget(self.household_button, 1, 6)
        grid.addWidget(self.merge_button, 1, 7)

        self.members_model = MembersModel(self)
        self.members_view = row_table(self.members_model, "members")
        header = self.members_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # five members in view (most households are no larger; the splitter above
        # gives the roster what is left)
        self.members_view.setMinimumHeight(
            header.sizeHint().height() + MEMBER_ROWS_SHOWN
            * self.members_view.verticalHeader().defaultSectionSize()
            + 2 * self.members_view.frameWidth())
        self.members_view.doubleClicked.connect(self._edit_row)
        self.members_view.selectionModel().selectionChanged.connect(self._selection_changed)

        self.edit_button = QPushButton(self.tr("编辑成员…"))
        self.edit_button.setEnabled(False)
        self.edit_button.clicked.connect(self._edit_current)
        # the tab names the members and their number: no box inside it, so that the
        # table keeps its height for five rows and more at 1280×800
        self._members_box = QWidget()
        # the members' buttons in a column beside the table: its height is for rows
        members_layout = QHBoxLayout(self._members_box)
        members_layout.setContentsMargins(6, 6, 6, 6)
        members_layout.addWidget(self.members_view, 1)
        buttons = QVBoxLayout()
        # 自然增减 (roster.membership): written through the op runner, shown from its broadcast
        self.join_button = QPushButton(self.tr("新增人口…"))
        self.join_button.clicked.connect(self.record_join)
        self.leave_button = QPushButton(self.tr("人口减少…"))
        self.leave_button.setEnabled(False)
        self.leave_button.clicked.connect(self.record_leave)
        self.split_button = QPushButton(self.tr("分户…"))
        self.split_button.clicked.connect(self.record_split)
        buttons.addWidget(self.edit_button)
        for button in (self.join_button, self.leave_button, self.split_button):
            buttons.addWidget(button)
        buttons.addStretch()
        # said where the cadre points, not in a line that would take a member row
        self.members_view.setToolTip(self.tr("双击成员可编辑"))
        self.edit_button.setToolTip(self.tr("双击成员可编辑"))
        members_layout.addLayout(buttons)
        self._ops = ops
        self._household: dict | None = None
        # a member moved away (分户) leaves a household the broadcast does not name
        ops.changed.connect(self._members_changed)

        self.measures = MeasuresView(ops)
        self.history = HistoryView(ops)
        self.cases = CasePanel(ops)  # 防返贫监测: the household's cases and their next step
        self.details = QTabWidget()  # members, the measures the card prints, the history
        self.details.addTab(self._members_box, self.tr("家庭成员"))
        self.details.addTab(self.measures, self.tr("帮扶措施"))
        self.details.addTab(self.cases, self.tr("监测"))
        self.details.addTab(self.history, self.tr("历史记录"))
        # the visits in a tab of their own: the members' nine columns get the width whole
        self.details.addTab(self._visits_box, self.tr("走访记录"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._facts_box)
        layout.addWidget(self.details, 1)
        self.show_household(None, [], "")

    def _risks(self, facts: dict) -> str:
        """风险类型 (其他 with what it means), then a 脱贫户's 致贫原因, named as such."""
        risks = risks_label(facts.get("risk_types"), facts.get("risk_other"))
        cause = facts.get("poverty_cause")
        said = self.tr("致贫原因：%1").replace("%1", cause) if cause else ""
        return "；".join(part for part in (risks, said) if part)

    def show_household(self, facts: dict | None, members: list[MemberView], place: str) -> None:
        """Show one household (``facts`` as ``queries.household`` returns it), or none."""
        if facts is None:
            for label in self._facts.values():
                label.setText("")
            self._facts["code"].setText(self.tr("（请在花名册中选择一户）"))
        else:
            helper_phone = facts.get("helper_phone") or ""
            shown = {
                "code": facts["code"],
                "place": place,
                "hh_type": status_label(facts["hh_type"], facts.get("monitored"),
                                        facts.get("monitor_category")),
                "risk_types": self._risks(facts) or self.tr("无"),
                "helper": _with_unit(facts.get("helper_name") or self.tr("未落实"),
                                     facts.get("helper_unit")),
                "helper_phone": helper_phone,
                "note": _first_line(facts.get("note")),
            }
            for key, text in shown.items():
                self._facts[key].setText(text)
        self._facts["note"].setToolTip((facts or {}).get("note") or "")
        self.card_button.setEnabled(facts is not None)
        self.household_button.setEnabled(facts is not None)
        self._household = facts
        former: list[MemberView] = []
        if facts is not None:  # those who left (死亡, 婚出, 分户 …) stay listed, greyed, last
            with self._ops.store.reading() as conn:
                former = [m for m in queries.members(conn, facts["id"], include_former=True)
                          if m.values.get("left_on") is not None]
        self.members_model.set_items([*members, *former])
        for button in (self.join_button, self.split_button, self.merge_button):
            button.setEnabled(facts is not None)
        self.leave_button.setEnabled(False)
        self.measures.show_household(facts["id"] if facts else None)
        self.history.show_household(facts["id"] if facts else None)
        self.cases.show_household(facts["id"] if facts else None)
        self._show_member_count(len(members) if facts else None)
        self.edit_button.setEnabled(False)

    def _build_visits_box(self) -> QWidget:
        box = QWidget()
        self.visit_button = QPushButton(self.tr("开始走访"))
        self.visit_button.setObjectName("primary")
        self.visit_button.setEnabled(False)
        self.visit_button.clicked.connect(self.visit_requested)
        # 走访类型 and 户主确认 beside each: whether the quarterly face-to-face visit was made
        self.visits_view = QTableWidget(0, 6)
        self.visits_view.setObjectName("visits")
        self.visits_view.setHorizontalHeaderLabels(
            [self.tr("日期"), self.tr("走访类型"), self.tr("走访干部"), self.tr("户主确认"),
             self.tr("状态"), self.tr("发现问题")])
        self.visits_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.visits_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.visits_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.visits_view.verticalHeader().hide()
        header = self.visits_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.visits_view.cellDoubleClicked.connect(self._visit_double_clicked)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.visits_view, 1)
        hint = QLabel(self.tr("双击一次走访可查看"))
        hint.setObjectName("hint")
        self.visit_print_button = QPushButton(self.tr("打印走访记录…"))
        self.visit_print_button.setEnabled(False)
        self.visit_print_button.clicked.connect(self._print_visit)
        self.visits_view.itemSelectionChanged.connect(self._update_visit_print)
        row = QHBoxLayout()
        row.addWidget(hint)
        row.addStretch()
        row.addWidget(self.visit_print_button)
        layout.addLayout(row)
        self._visit_ids: list[str] = []
        self._completed_visits: set[str] = set()
        return box

    def show_visits(self, lines: list[VisitLine] | None) -> None:
        """The shown household's visits, newest first; None when no household is shown."""
        lines = lines or []
        self._visit_ids = [line.id for line in lines]
        self._completed_visits = {line.id for line in lines if line.status == "completed"}
        self.visits_view.setRowCount(len(lines))
        statuses = {"draft": self.tr("草稿"), "completed": self.tr("已完成")}
        for row, line in enumerate(lines):
            cells = (line.on.isoformat(), line.kind, line.cadre, line.confirmation or "—",
                     statuses.get(line.status, line.status),
                     self.tr("%1 个").replace("%1", str(line.problems)))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.visits_view.setItem(row, column, item)
        self.details.setTabText(self.details.indexOf(self._visits_box),
                                self.tr("走访记录（%n 次）", "", len(lines)) if lines
                                else self.tr("走访记录"))
        has_draft = any(line.status == "draft" for line in lines)
        self.visit_button.setText(self.tr("继续走访") if has_draft else self.tr("开始走访"))
        self._update_visit_print()

    def set_visit_enabled(self, enabled: bool) -> None:
        self.visit_button.setEnabled(enabled)

    def visit_line(self, row: int) -> str:
        """The text of a history line, cells joined by spaces (for tests and tooltips)."""
        cells = (self.visits_view.item(row, column)
                 for column in range(self.visits_view.columnCount()))
        return " ".join(cell.text() for cell in cells if cell is not None)

    def _visit_double_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._visit_ids):
            self.visit_opened.emit(self._visit_ids[row])

    def _selected_visit(self) -> str | None:
        rows = self.visits_view.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        return self._visit_ids[row] if 0 <= row < len(self._visit_ids) else None

    def _update_visit_print(self) -> None:
        """Only a completed visit has a record to print: a draft may still change."""
        self.visit_print_button.setEnabled(self._selected_visit() in self._completed_visits)

    def _print_visit(self) -> None:
        chosen = self._selected_visit()
        if chosen is not None:
            self.visit_print_requested.emit(chosen)

    def fact(self, key: str) -> str:
        return self._facts[key].text()

    def _selection_changed(self) -> None:
        self.edit_button.setEnabled(self.members_view.selectionModel().hasSelection())
        chosen = self._selected_member()
        self.leave_button.setEnabled(chosen is not None and chosen.values.get("left_on") is None)

    def _selected_member(self) -> MemberView | None:
        rows = self.members_view.selectionModel().selectedRows()
        return self.members_model.item(rows[0].row()) if rows else None

    def _members_changed(self, changed: Changed) -> None:
        if self._household is None:
            return
        shown = {m.id for m in self.members_model.items()}
        if shown & set(changed.changes.updated.get("member", ())):
            with self._ops.store.reading() as conn:
                everyone = queries.members(conn, self._household["id"], include_former=True)
            self.members_model.set_items(everyone)
            current = sum(1 for m in everyone if m.values.get("left_on") is None)
            self._show_member_count(current)

    def _show_member_count(self, count: int | None) -> None:
        """The members' tab names how many live in the household (None: no household)."""
        self.details.setTabText(self.details.indexOf(self._members_box),
                                self.tr("家庭成员") if count is None
                                else self.tr("家庭成员（%n 人）", "", count))

    def _current_members(self) -> list[MemberView]:
        return [m for m in self.members_model.items() if m.values.get("left_on") is None]

    def join_dialog(self) -> JoinDialog:
        assert self._household is not None
        return JoinDialog(self._ops, self._household["id"], date.today(), self)

    def leave_dialog(self, member: MemberView) -> LeaveDialog:
        return LeaveDialog(self._ops, member, date.today(), self)

    def split_dialog(self) -> SplitDialog:
        assert self._household is not None
        with self._ops.store.reading() as conn:
            code = membership.next_household_code(conn, self._household["village_id"])
        return SplitDialog(self._ops, self._household["id"], self._current_members(), code,
                           date.today(), self)

    def household_dialog(self) -> HouseholdDialog:
        assert self._household is not None
        return HouseholdDialog(self._ops, self._household, date.today(), self)

    def merge_dialog(self) -> MergeDialog:
        assert self._household is not None
        with self._ops.store.reading() as conn:
            targets = membership.merge_targets(conn, self._household["id"])
        return MergeDialog(self._ops, self._household, self._current_members(), targets,
                           date.today(), self)

    def edit_household(self) -> None:
        if self._household is not None:
            open_change(self.household_dialog())

    def record_merge(self) -> None:
        if self._household is not None:
            open_change(self.merge_dialog())

    def record_join(self) -> None:
        if self._household is not None:
            open_change(self.join_dialog())

    def record_leave(self) -> None:
        member = self._selected_member()
        if member is not None:
            open_change(self.leave_dialog(member))

    def record_split(self) -> None:
        if self._household is not None:
            open_change(self.split_dialog())

    def _edit_current(self) -> None:
        rows = self.members_view.selectionModel().selectedRows()
        if rows:
            self._edit_row(rows[0])

    def _edit_row(self, index: QModelIndex) -> None:
        self.edit_requested.emit(self.members_model.item(index.row()))


def _first_line(note: str | None, limit: int = 80) -> str:
    """A note as one line of the facts box: its first line, cut at ``limit``."""
    lines = (note or "").strip().splitlines()
    first = lines[0] if lines else ""
    more = len(lines) > 1 or len(first) > limit
    return first[:limit] + ("…" if more else "")


def _with_unit(name: str, unit: str | None) -> str:
    return f"{name}（{unit}）" if unit else name
