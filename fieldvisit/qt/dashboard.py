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
from PySide6.QtGui import QCloseEvent, QColor, QFontMetrics
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
from fieldvisit.qt.dismiss_dialog import DismissDialog
from fieldvisit.qt.ops import HOUSEHOLD_FACTS, Changed, Ops
from fieldvisit.qt.roster_model import COLOUR_BACKGROUNDS
from fieldvisit.qt.table_model import HeaderedTableModel, Index, row_table
from fieldvisit.qt.workers import Cancelled, Loader, Progress, stop_all
from fieldvisit.quality import dismissals, rules, schedule
from fieldvisit.quality.colours import COLOURS
from fieldvisit.quality.dismissals import Dismissal, Reviewed
from fieldvisit.quality.summary import DashboardData, dashboard_data, quality_review


@dataclass(frozen=True)
class _Checked:
    """A data-quality check's result, with the village (or None, all) it was run for."""

    village: str | None
    found: Reviewed  # to fix, and checked as 核实无误 (listed, marked, not counted)
    heads: dict[str, str]


BAR_COLOURS = {"红": "#d9534f", "黄": "#e0a800", "绿": "#4a9d4f"}
SEVERITY_COLOURS = {"high": QColor("#f4b6b0"), "medium": QColor("#f8e08e"),
                    "low": QColor("#dde6f0")}
DISMISSED_COLOUR = QColor("#e4e4e4")
# QTableView::item padding 0 6px (resources/styles), the view's own text margin (focus
# frame margin + 1) on both sides and the grid line: 16 cut 18 digits to 「5227…」
CELL_PADDING = 20
FITTED_ROWS = 500  # a column is as wide as its widest text among the first rows


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


def fit_columns(table: QTableView, model: RowsModel) -> None:
    """Each column as wide as its header and its widest cell among the first rows, so a
    date or a 户编号 shows whole (a fixed width cut 应访日期 to 「2026-…」); the last
    column stretches."""
    metrics = QFontMetrics(table.font())
    header = QFontMetrics(table.horizontalHeader().font())
    rows = min(model.rowCount(), FITTED_ROWS)
    for column, title in enumerate(model.headers()):
        widest = max((metrics.horizontalAdvance(str(model.data(model.index(row, column)) or ""))
                      for row in range(rows)), default=0)
        table.setColumnWidth(column, max(widest, header.horizontalAdvance(title) + 8)
                             + CELL_PADDING)


class Dashboard(QWidget):
    """The dashboard of all villages or one.

    ``household_chosen(household_id)`` fires on a double-click in 本月待访 or 数据质量;
    ``loaded()`` when the figures are on screen; ``quality_loaded(n)`` when the
    data-quality check has listed n problems (those found right included, greyed).
    """

    household_chosen = Signal(str)
    loaded = Signal()
    quality_loaded = Signal(int)

    def __init__(self, ops: Ops, parent: QWidget | None = None, *,
                 today: date | None = None,
                 settings: Mapping[str, float] = DEFAULT_SETTINGS) -> None:
        super().__init__(parent)
        self.store = ops.store
        self.ops = ops
        self.dismiss_dialog: DismissDialog | None = None
        self._listed: list[tuple[rules.QualityProblem, Dismissal | None]] = []
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
        self.coverage_label.setWordWrap(True)
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
        self.due_table = self._table("due", self.due_model, ())
        self.due_norms = QLabel()
        self.due_norms.setObjectName("due_norms")
        self.due_norms.setWordWrap(True)
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
        grid.addLayout(coverage, 0, 0, 1, 3)
        top = Qt.AlignmentFlag.AlignTop
        # the charts side by side, 本月待访 under them at the page's width: its six
        # columns (an 18-digit 户编号, whole dates) fit at 1280×800
        grid.addWidget(self.type_chart, 1, 0, top)
        grid.addWidget(self.colour_chart, 1, 1, top)
        grid.addWidget(self.category_chart, 1, 2, top)
        due_box = QWidget()
        due_layout = QVBoxLayout(due_box)
        due_layout.setContentsMargins(0, 0, 0, 0)
        self.due_title = QLabel()
        self.due_title.setObjectName("due_title")
        due_layout.addWidget(self.due_title)
        due_layout.addWidget(self.due_norms)
        due_layout.addWidget(self.due_table, 1)
        grid.addWidget(due_box, 2, 0, 1, 3)
        grid.setRowStretch(2, 1)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(overview)
        self.tabs.addTab(scroll, self.tr("概况"))
        quality = QWidget()
        quality_layout = QVBoxLayout(quality)
        heading = QHBoxLayout()
        heading.addWidget(self.quality_status, 1)
        self.dismiss_button = QPushButton(self.tr("核实无误…"))
        self.dismiss_button.setObjectName("quality_dismiss")
        self.dismiss_button.setToolTip(self.tr("选中的问题经核实登记无误：写明核实情况后不再计入"))
        self.dismiss_button.setEnabled(False)
        self.dismiss_button.clicked.connect(self.open_dismiss)
        self.quality_table.selectionModel().selectionChanged.connect(
            lambda _s, _d: self._quality_selected())
        heading.addWidget(self.dismiss_button)
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
        surveyed = data.surveyed / data.households if data.households else 0.0
        parts = "　".join(
            self.tr("%1 %2 / %3").replace("%1", self.status_label(status))
            .replace("%2", str(done)).replace("%3", str(total))
            for status, (done, total) in data.by_norm.items() if total)
        self.coverage_label.setText(
            self.tr("<b>走访覆盖率</b>　%1 / %2 户（%3%）按户类别要求已访　%4<br>"
                    "<b>遍访率</b>　%5 户（%6%）本年由村支书、第一书记遍访")
            .replace("%1", str(data.covered)).replace("%2", str(data.households))
            .replace("%3", f"{share * 100:.1f}").replace("%4", parts)
            .replace("%5", str(data.surveyed)).replace("%6", f"{surveyed * 100:.1f}"))
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
        self.due_norms.setText("；".join(
            self.tr("%1：%2").replace("%1", self.status_label(status))
            .replace("%2", self.norm_text(status)) for status in schedule.STATUSES))
        self.due_model.set_rows([self._due_row(d, data.heads) for d in data.due])
        fit_columns(self.due_table, self.due_model)
        self.loaded.emit()

    def status_label(self, status: str) -> str:
        return {schedule.MONITORED: self.tr("监测对象"), schedule.EXITED: self.tr("脱贫户"),
                schedule.GENERAL: self.tr("一般农户")}.get(status, status)

    def norm_text(self, status: str) -> str:
        """The status's norm as the settings have it: 每月联系、每季度入户 / 每年集中排查."""
        norm = schedule.norms(self.settings)[status]
        if norm.screening_month is not None:
            return self.tr("每年集中排查（%1月底前）").replace("%1", str(norm.screening_month))
        return (self.tr("%1联系、%2入户").replace("%1", self._every(norm.contact_days or 0))
                .replace("%2", self._every(norm.in_person_days or 0)))

    def short_norm(self, status: str) -> str:
        """The 户类别 column's word for the norm: how often the household is contacted."""
        norm = schedule.norms(self.settings)[status]
        if norm.screening_month is not None:
            return self.tr("每年排查")
        return self._every(norm.contact_days or 0)

    def _every(self, days: int) -> str:
        if days in (30, 31):
            return self.tr("每月")
        if days in (90, 91, 92):
            return self.tr("每季度")
        return self.tr("每 %n 天", "", days)

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
        when = due.due_on.isoformat()
        if due.reason == schedule.IN_PERSON:
            when = self.tr("%1 入户").replace("%1", when)
        return (due.household_id, (
            due.household_code, heads.get(due.household_id, ""),
            self.tr("%1（%2）").replace("%1", self.status_label(due.status))
            .replace("%2", self.short_norm(due.status)),
            due.last_visit.isoformat() if due.last_visit else "—", when, late), backgrounds)

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
            found, heads = quality_review(store, village, today, settings)
            return _Checked(village, found, heads)

        self._quality_loader.load(check)

    def _quality_failed(self, error: Exception) -> None:
        self.quality_status.setText(self.tr("检查失败：%1").replace("%1", str(error)))

    def _quality_loaded(self, checked: _Checked) -> None:
        reviewed, heads = checked.found, checked.heads
        self._quality_done_for = checked.village
        severity = {"high": self.tr("高"), "medium": self.tr("中"), "low": self.tr("低")}
        english = i18n.english()
        rows: list[tuple[str, tuple[str, ...], dict[int, QColor]]] = []
        for problem, dismissal in reviewed.all():
            rule = rules.RULES.get(problem.rule)
            title = (rule.title_en if english else rule.title) if rule else problem.rule
            message = problem.message_en if english else problem.message
            if dismissal is None:
                level = severity.get(problem.severity, problem.severity)
                colours = ({3: SEVERITY_COLOURS[problem.severity]}
                           if problem.severity in SEVERITY_COLOURS else {})
            else:
                level = self.tr("已核实")
                message = (self.tr("%1（核实无误：%2，%3 %4）").replace("%1", message)
                           .replace("%2", dismissal.note).replace("%3", dismissal.actor)
                           .replace("%4", dismissal.on.isoformat()))
                colours = dict.fromkeys(range(5), DISMISSED_COLOUR)
            rows.append((problem.household_id, (
                problem.household_code, heads.get(problem.household_id, ""), title, level,
                message), colours))
        self._listed = reviewed.all()
        self.quality_model.set_rows(rows)
        self._quality_selected()
        counted = reviewed.counted
        households = len({p.household_id for p in counted})
        status = (self.tr("%1 个问题，涉及 %2 户。双击一行可打开该户。")
                  .replace("%1", str(len(counted))).replace("%2", str(households)))
        if reviewed.dismissed:
            status += self.tr("另有 %1 个经核实无误（灰色），不计入。").replace(
                "%1", str(len(reviewed.dismissed)))
        self.quality_status.setText(status)
        self.quality_loaded.emit(len(rows))

    def selected_problem(self) -> tuple[rules.QualityProblem, Dismissal | None] | None:
        rows = self.quality_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._listed):
            return None
        return self._listed[rows[0].row()]

    def _quality_selected(self) -> None:
        chosen = self.selected_problem()
        self.dismiss_button.setEnabled(chosen is not None and chosen[1] is None)

    def open_dismiss(self) -> DismissDialog | None:
        """核实无误… for the chosen problem: a note and who checked, then the rules run
        again and the problem shows greyed, no longer counted."""
        chosen = self.selected_problem()
        if chosen is None or chosen[1] is not None:
            return None
        problem = chosen[0]
        store, today, settings = self.store, self.today, self.settings

        def apply(note: str, actor: str) -> None:
            self.ops.write(lambda: dismissals.dismiss(
                store, problem.household_id, problem.rule, note, today,
                member=problem.member_id, actor=actor.strip() or None, settings=settings))

        english = i18n.english()
        self.dismiss_dialog = DismissDialog(
            f"<b>{problem.household_code}</b>　"
            f"{problem.message_en if english else problem.message}", store.actor, apply, self)
        self.dismiss_dialog.accepted.connect(self.check_quality)
        self.dismiss_dialog.open()
        return self.dismiss_dialog
