"""The village dashboard: 走访覆盖率, households by type and colour, open problems by
category, the 本月待访 list and the 数据质量 problems.

The figures come from ``quality.summary`` (the printed village report counts the same
way), read by two ``workers.Loader``s: the figures and lists in one, the data-quality
rules (seconds on 100,000 persons) in another, started when their tab is first shown, on
重新检查, and again whenever the op runner broadcasts a write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.qt import i18n
from fieldvisit.qt.bar_chart import BarChart
from fieldvisit.qt.ops import HOUSEHOLD_FACTS, Changed, Ops
from fieldvisit.qt.roster_model import COLOUR_BACKGROUNDS
from fieldvisit.qt.table_model import HeaderedTableModel, Index, row_table
from fieldvisit.qt.workers import Cancelled, Loader, Progress, stop_all
from fieldvisit.quality import rules, schedule
from fieldvisit.quality.colours import COLOURS
from fieldvisit.quality.summary import (
    DashboardData,
    dashboard_data,
    other_days,
    quality_problems,
)


@dataclass(frozen=True)
class _Checked:
    """A data-quality check's result, with the village (or None, all) it was run for."""

    village: str | None
    found: list[rules.QualityProblem]
    heads: dict[str, str]


BAR_COLOURS = {"红": "#d9534f", "黄": "#e0a800", "绿": "#4a9d4f"}
SEVERITY_COLOURS = {"high": QColor("#f4b6b0"), "medium": QColor("#f8e08e"),
                    "low": QColor("#dde6f0")}


class RowsModel(HeaderedTableModel):
    """A read-only table of prepared cells; each row belongs to one household."""

    def __init__(self, headers: Callable[[], list[str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self._rows: list[tuple[str, tuple[str, ...], dict[int, QColor]]] = []

    def headers(self) -> list[str]:
        return self._headers()

    def set_rows(self, rows: list[tuple[str, tuple[str, ...], dict[int, QColor]]]) -> None:
        """(household id, cells, {column: background colour})."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def household_id(self, row: int) -> str:
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        household_id, cells, backgrounds = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return backgrounds.get(index.column())
        if role == Qt.ItemDataRole.UserRole:
            return household_id
        return None


class Dashboard(QWidget):
    """The dashboard of all villages or one.

    ``household_chosen(household_id)`` fires on a double-click in 本月待访 or 数据质量;
    ``loaded()`` when the figures are on screen; ``quality_loaded(n)`` when the
    data-quality check has listed n problems.
    """

    household_chosen = Signal(str)
    loaded = Signal()
    quality_loaded = Signal(int)

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: date | None = None,
                 settings: Mapping[str, float] = DEFAULT_SETTINGS) -> None:
        super().__init__(parent)
        self.store = ops.store
        self.today = today or date.today()
        self.settings = settings
        self.data: DashboardData | None = None
        self._loader = Loader(self)
        self._loader.loaded.connect(self._loaded)
        self._loader.failed.connect(self._load_failed)
        self._quality_loader = Loader(self)
        self._quality_loader.loaded.connect(self._quality_loaded)
        self._quality_loader.failed.connect(self._quality_failed)
        ops.changed.connect(self._changed)
        self._quality_done_for: object = object()  # the village last checked

        self.village_filter = QComboBox()
        self.village_filter.setObjectName("dashboard_village")
        self.village_filter.addItem(self.tr("全部村"), None)
        self.village_filter.setMinimumWidth(160)
        self.village_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("coverage")
        self.coverage_bar = QProgressBar()
        self.coverage_bar.setTextVisible(False)
        self.coverage_bar.setFixedHeight(14)
        self.type_chart = BarChart(self.tr("按户类型"))
        self.colour_chart = BarChart(self.tr("按风险颜色"))
        self.category_chart = BarChart(self.tr("未销号问题（按类别）"))
        self.category_chart.set_empty_text(self.tr("暂无未销号问题"))
        self.due_model = RowsModel(lambda: [
            self.tr("户编号"), self.tr("户主"), self.tr("户类别"), self.tr("上次走访"),
            self.tr("应访日期"), self.tr("逾期")], self)
        self.due_table = self._table("due", self.due_model, (210, 70, 130, 112, 112, 120))
        self.quality_model = RowsModel(lambda: [
            self.tr("户编号"), self.tr("户主"), self.tr("规则"), self.tr("严重程度"),
            self.tr("问题")], self)
        self.quality_table = self._table("quality", self.quality_model,
                                         (210, 80, 220, 80, 400))
        self.quality_status = QLabel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dashboard_tabs")
        self._build_layout()
        self.tabs.currentChanged.connect(self._tab_changed)
        self.reload()

    # Building -----------------------------------------------------------------------------

    def _table(self, name: str, model: RowsModel, widths: tuple[int, ...]) -> QTableView:
        table = row_table(model, name, widths)
        table.horizontalHeader().setStretchLastSection(True)
        table.doubleClicked.connect(
            lambda index: self.household_chosen.emit(model.household_id(index.row())))
        return table

    def _build_layout(self) -> None:
        overview = QWidget()
        grid = QGridLayout(overview)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(12)
        coverage = QVBoxLayout()
        coverage.addWidget(self.coverage_label)
        coverage.addWidget(self.coverage_bar)
        grid.addLayout(coverage, 0, 0, 1, 2)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.type_chart, 1, 0, top)
        grid.addWidget(self.colour_chart, 1, 1, top)
        grid.addWidget(self.category_chart, 2, 0, top)
        due_box = QWidget()
        due_layout = QVBoxLayout(due_box)
        due_layout.setContentsMargins(0, 0, 0, 0)
        self.due_title = QLabel()
        self.due_title.setObjectName("due_title")
        due_layout.addWidget(self.due_title)
        due_layout.addWidget(self.due_table, 1)
        grid.addWidget(due_box, 2, 1)
        grid.setRowStretch(2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(overview)
        self.tabs.addTab(scroll, self.tr("概况"))
        quality = QWidget()
        quality_layout = QVBoxLayout(quality)
        heading = QHBoxLayout()
        heading.addWidget(self.quality_status, 1)
        recheck = QPushButton(self.tr("重新检查"))
        recheck.setObjectName("quality_recheck")
        recheck.clicked.connect(self.check_quality)
        heading.addWidget(recheck)
        quality_layout.addLayout(heading)
        quality_layout.addWidget(self.quality_table, 1)
        self.tabs.addTab(quality, self.tr("数据质量"))
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("村：")))
        filters.addWidget(self.village_filter)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)

    # Loading ------------------------------------------------------------------------------

    def is_loading(self) -> bool:
        return self._loader.is_busy() or self._quality_loader.is_busy()

    def _changed(self, changed: Changed) -> None:
        """Any write a figure counts (households, members, visits, problems, measures)."""
        if changed.touches(*HOUSEHOLD_FACTS):
            self.reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        stop_all(self)
        super().closeEvent(event)

    def set_village(self, village_id: str | None) -> None:
        index = self.village_filter.findData(village_id)
        if index >= 0:
            self.village_filter.setCurrentIndex(index)

    def reload(self) -> None:
        """Read the figures again (a village chosen, a write broadcast), in a worker."""
        village, today, settings, store = (self.village_filter.currentData(), self.today,
                                           self.settings, self.store)
        self._loader.load(lambda _p, _c: dashboard_data(store, village, today, settings))
        if self.tabs.currentIndex() == 1:
            self.check_quality()

    def _load_failed(self, error: Exception) -> None:
        self.coverage_label.setText(self.tr("读取失败：%1").replace("%1", str(error)))

    def _loaded(self, data: DashboardData) -> None:
        self.data = data
        known = {self.village_filter.itemData(i) for i in range(self.village_filter.count())}
        self.village_filter.blockSignals(True)
        for village_id, name in data.villages:
            if village_id not in known:
                self.village_filter.addItem(name, village_id)
        self.village_filter.blockSignals(False)
        share = data.covered / data.households if data.households else 0.0
        days = other_days(self.settings)
        self.coverage_label.setText(
            self.tr("<b>走访覆盖率</b>　%1 / %2 户（%3%）　近 %4 天内完成走访")
            .replace("%1", str(data.covered)).replace("%2", str(data.households))
            .replace("%3", f"{share * 100:.1f}").replace("%4", str(days)))
        self.coverage_bar.setRange(0, max(data.households, 1))
        self.coverage_bar.setValue(data.covered)
        self.type_chart.set_items([(kind, n, None) for kind, n in data.by_status.items()])
        self.colour_chart.set_items([
            (self.colour_label(colour), data.by_colour[colour], BAR_COLOURS[colour])
            for colour in COLOURS])
        self.category_chart.set_items([(c, n, "#8a5cc2")
                                       for c, n in data.open_by_category.items()])
        self.due_title.setText(self.tr("<b>本月待访</b>　%n 户（最逾期的在前）", "",
                                       len(data.due)))
        self.due_model.set_rows([self._due_row(d, data.heads) for d in data.due])
        self.loaded.emit()

    def colour_label(self, colour: str) -> str:
        return {"红": self.tr("红（不放心）"), "黄": self.tr("黄（基本放心）"),
                "绿": self.tr("绿（放心）")}[colour]

    def _due_row(self, due: schedule.DueVisit, heads: dict[str, str]
                 ) -> tuple[str, tuple[str, ...], dict[int, QColor]]:
        if due.never_visited:
            late = self.tr("从未走访")
        elif due.overdue_days > 0:
            late = self.tr("逾期 %n 天", "", due.overdue_days)
        else:
            late = self.tr("%n 天后到期", "", -due.overdue_days)
        backgrounds = {5: COLOUR_BACKGROUNDS["红"]} if due.never_visited or \
            due.overdue_days > 0 else {}
        return (due.household_id, (
            due.household_code, heads.get(due.household_id, ""),
            self.tr("监测（每月）") if due.monitored else self.tr("其他（每季度）"),
            due.last_visit.isoformat() if due.last_visit else "—",
            due.due_on.isoformat(), late), backgrounds)

    # Data quality -------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self._quality_done_for != self.village_filter.currentData():
            self.check_quality()

    def check_quality(self) -> None:
        """Run the data-quality rules for the chosen village (or all), in a worker."""
        village, today, settings, store = (self.village_filter.currentData(), self.today,
                                           self.settings, self.store)
        self.quality_status.setText(self.tr("正在检查数据质量…"))

        def check(_progress: Progress, _cancelled: Cancelled) -> _Checked:
            found, heads = quality_problems(store, village, today, settings)
            return _Checked(village, found, heads)

        self._quality_loader.load(check)

    def _quality_failed(self, error: Exception) -> None:
        self.quality_status.setText(self.tr("检查失败：%1").replace("%1", str(error)))

    def _quality_loaded(self, checked: _Checked) -> None:
        found, heads = checked.found, checked.heads
        self._quality_done_for = checked.village
        severity = {"high": self.tr("高"), "medium": self.tr("中"), "low": self.tr("低")}
        english = i18n.english()
        rows: list[tuple[str, tuple[str, ...], dict[int, QColor]]] = []
        for problem in found:
            rule = rules.RULES.get(problem.rule)
            title = (rule.title_en if english else rule.title) if rule else problem.rule
            rows.append((problem.household_id, (
                problem.household_code, heads.get(problem.household_id, ""), title,
                severity.get(problem.severity, problem.severity),
                problem.message_en if english else problem.message),
                {3: SEVERITY_COLOURS[problem.severity]}
                if problem.severity in SEVERITY_COLOURS else {}))
        self.quality_model.set_rows(rows)
        households = len({p.household_id for p in found})
        self.quality_status.setText(
            self.tr("%1 个问题，涉及 %2 户。双击一行可打开该户。")
            .replace("%1", str(len(found))).replace("%2", str(households)))
        self.quality_loaded.emit(len(found))
