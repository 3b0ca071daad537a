"""监测程序: the village's open 防返贫监测 cases, each with its next step and due date.

What a cadre checks each week: which households are in the procedure, where each stands,
what comes next and by when (the settings' ``case_target_days`` from the first clue);
an overdue one is red. A case waiting for 乡镇审核/县级审批 says the county does it, so
nobody waits for the laptop. A double-click asks the main window to show the household
and its 监测 tab, where the step is done. The cases are few (a village has a handful
open), so they are read on the UI thread, again whenever the op runner reports a write
of a case, a step or a household.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.checklist import installed
from fieldvisit.checklist.settings import load_settings
from fieldvisit.monitoring import cases
from fieldvisit.monitoring.cases import CaseView
from fieldvisit.qt.case_dialogs import kind_label
from fieldvisit.qt.ops import Changed, Ops
from fieldvisit.qt.table_model import Index, ListTableModel, row_table
from fieldvisit.roster import queries

OVERDUE_COLOUR = QColor("#c0392b")
COUNTY_COLOUR = QColor("#7b8794")
NEXT_COLUMN, DUE_COLUMN = 5, 7


class CasesModel(ListTableModel[CaseView]):
    """户编号, 户主, 程序, 来源, 当前进度, 下一步, 立案日期, 应办结."""

    def __init__(self, today: date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = today

    def headers(self) -> list[str]:
        return [self.tr("户编号"), self.tr("户主"), self.tr("程序"), self.tr("线索来源"),
                self.tr("当前进度"), self.tr("下一步"), self.tr("立案日期"), self.tr("应办结")]

    def next_text(self, case: CaseView) -> str:
        following = case.next_step or ""
        if following in cases.COUNTY_STEPS:
            return self.tr("%1（县里办理）").replace("%1", following)
        return following

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case = self.item(index.row())
        column = index.column()
        overdue = case.overdue(self.today)
        if role == Qt.ItemDataRole.DisplayRole:
            progress = case.status if not case.steps or case.status == cases.PROPOSED \
                else self.tr("已办：%1").replace("%1", case.shown_status)
            return (case.household_code, case.head, kind_label(case.kind),
                    case.department or case.source or "", progress, self.next_text(case),
                    case.opened_on.isoformat(),
                    case.due_on.isoformat() if case.due_on else "")[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue and column in (NEXT_COLUMN, DUE_COLUMN):
                return OVERDUE_COLOUR
            if column == NEXT_COLUMN and case.next_step in cases.COUNTY_STEPS:
                return COUNTY_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == DUE_COLUMN and overdue and case.due_on is not None:
                return self.tr("已逾期 %n 天", "", (self.today - case.due_on).days)
            if column == NEXT_COLUMN and case.next_step in cases.COUNTY_STEPS:
                return self.tr("由乡镇、县里在县服务器上办理，结果随回执包回到本机")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (6, 7):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.UserRole:
            return case.household_id
        return None


class CasesView(QWidget):
    """The open cases of one village or all; ``household_chosen(household_id)`` fires
    on a double-click."""

    household_chosen = Signal(str)

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.today = today or date.today()
        self._filling = False
        self.model = CasesModel(self.today, self)
        self.village_filter = QComboBox()
        self.village_filter.setObjectName("cases_village")
        self.village_filter.addItem(self.tr("全部村"), None)
        self.village_filter.setMinimumWidth(140)
        self.village_filter.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.overdue_only = QCheckBox(self.tr("只看逾期"))
        self.overdue_only.setObjectName("cases_overdue")
        self.overdue_only.toggled.connect(lambda _on: self.reload())
        self.count_label = QLabel()
        self.count_label.setObjectName("cases_count")
        self.table = row_table(self.model, "open_cases", (210, 80, 84, 84, 130, 170, 110, 110))
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):  # its title whole in either language
            self.table.setColumnWidth(column, max(self.table.columnWidth(column),
                                                  header.sectionSizeHint(column)))
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(
            lambda index: self.household_chosen.emit(self.model.item(index.row()).household_id))
        hint = QLabel(self.tr("双击一户，在它的“监测”页办理下一步。"
                              "乡镇审核、县级审批由乡镇、县里办理，结果随回执包回到本机。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("村：")))
        filters.addWidget(self.village_filter)
        filters.addSpacing(8)
        filters.addWidget(self.overdue_only)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        ops.changed.connect(self._changed)
        self.reload()

    def _changed(self, changed: Changed) -> None:
        """A case, a step, or a household or its head (a 户主's name, a sync) changed."""
        if changed.touches("monitor_case", "case_step", "household", "member", "village"):
            self.reload()

    def _filter_changed(self) -> None:
        if not self._filling:
            self.reload()

    def set_village(self, village_id: str | None) -> None:
        index = self.village_filter.findData(village_id)
        if index >= 0:
            self.village_filter.setCurrentIndex(index)

    def reload(self) -> None:
        store = self.ops.store
        settings = load_settings(installed.settings_path(store.folder))
        with store.reading() as conn:
            villages = [(v.id, v.name) for v in queries.village_tree(conn)]
            found = cases.cases(conn, village_id=self.village_filter.currentData(),
                                open_only=True, settings=settings)
        self._fill_villages(villages)
        if self.overdue_only.isChecked():
            found = [c for c in found if c.overdue(self.today)]
        found.sort(key=lambda c: (not c.overdue(self.today), c.due_on or date.max,
                                  c.household_code))
        self.model.set_items(found)
        late = sum(1 for c in found if c.overdue(self.today))
        text = self.tr("未办结 %n 件", "", len(found))
        if late:
            text += self.tr("，其中逾期 %n 件", "", late)
        self.count_label.setText(text)

    def _fill_villages(self, villages: list[tuple[str, str]]) -> None:
        self._filling = True
        try:
            known = {self.village_filter.itemData(i) for i in range(self.village_filter.count())}
            for village_id, name in villages:
                if village_id not in known:
                    self.village_filter.addItem(name, village_id)
        finally:
            self._filling = False

    def line(self, row: int) -> str:
        """A row's cells joined by spaces (for tests)."""
        return " ".join(str(self.model.index(row, column).data())
                        for column in range(self.model.columnCount())).strip()
