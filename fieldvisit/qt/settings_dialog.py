"""设置: what a cadre sets once (paper, margins, the county server, language), and what the
county decided and the laptop only shows (the visit schedule and the thresholds in force).

The editable part is ``preferences`` (stored in the store's meta, journaled) written
through the op runner, so the sync status line and anything else showing them follow its
broadcast. The county's part is read from ``checklist.installed``: the settings a return
bundle brought, else the defaults bundled with the app (the dialog says which), because a
cadre asked "why is this household due this month" needs the interval actually applied.
The cadre's own name and phone are not here: they come with the cadre's login.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.checklist import installed
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.errors import FieldVisitError
from fieldvisit.qt import i18n, preferences
from fieldvisit.qt.dialog_parts import error_label, ok_cancel
from fieldvisit.qt.ops import Ops
from fieldvisit.qt.preferences import PreferenceError, Preferences
from fieldvisit.quality import schedule

# The schedule's own settings, shown in their own table rather than as numbers.
SCHEDULE_SETTINGS = ("visit_days_monitored", "in_person_days_monitored", "visit_days_exited",
                     "in_person_days_exited", "screening_month")


class SettingsDialog(QDialog):
    """设置: 常规 (printing, sync, language) and 县里的规定 (read-only)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle(self.tr("设置"))
        self.resize(760, 620)
        self.chosen = preferences.load(ops.store)
        self.saved: list[str] = []  # the fields the last accept changed
        try:
            _forms, settings = installed.for_store(ops.store)
        except FieldVisitError:  # a broken county file: still show the defaults
            settings, self.county_settings = DEFAULT_SETTINGS, False
        else:
            self.county_settings = installed.settings_path(ops.store.folder) is not None
        self.settings = settings

        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings_tabs")
        self.tabs.addTab(self._general_tab(), self.tr("常规"))
        self.tabs.addTab(self._county_tab(settings), self.tr("县里的规定"))
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self))

    # Building -----------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        page = QWidget()
        printing = QGroupBox(self.tr("打印"))
        self.paper_combo = QComboBox()
        self.paper_combo.setObjectName("paper")
        self.paper_combo.addItem(self.tr("A4"), "A4")
        self.paper_combo.addItem(self.tr("A5（半张 A4）"), "A5")
        self.paper_combo.setCurrentIndex(max(0, self.paper_combo.findData(self.chosen.paper)))
        self.margin_spin = QSpinBox()
        self.margin_spin.setObjectName("margin")
        self.margin_spin.setRange(0, preferences.MAX_MARGIN_MM)
        self.margin_spin.setSuffix(self.tr(" 毫米"))
        self.margin_spin.setValue(self.chosen.margin_mm)
        form = QFormLayout(printing)
        form.addRow(self.tr("明白卡纸张："), self.paper_combo)
        form.addRow(self.tr("打印页边距："), self.margin_spin)
        form.addRow(_hint(self.tr("打印时四周各留出这么宽的空白（打印机印不到纸边时调大）；"
                                  "0 表示按文件原样铺满纸张。")))

        sync = QGroupBox(self.tr("网络同步"))
        self.url_edit = QLineEdit(self.chosen.server_url)
        self.url_edit.setObjectName("server_url")
        self.url_edit.setPlaceholderText("http://县里服务器:8000")
        sync_form = QFormLayout(sync)
        sync_form.addRow(self.tr("县服务器地址："), self.url_edit)
        sync_form.addRow(_hint(self.tr("“同步 → 通过网络同步”使用这个地址；不用网络同步可留空。")))

        language = QGroupBox(self.tr("界面语言"))
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language")
        for code, name in i18n.LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(self.chosen.language)))
        language_form = QFormLayout(language)
        language_form.addRow(self.tr("语言 / Language："), self.language_combo)
        language_form.addRow(_hint(self.tr("重新启动程序后生效。")))

        security = QGroupBox(self.tr("锁定"))
        self.lock_spin = QSpinBox()
        self.lock_spin.setObjectName("lock_minutes")
        self.lock_spin.setRange(1, preferences.MAX_LOCK_MINUTES)
        self.lock_spin.setSuffix(self.tr(" 分钟"))
        self.lock_spin.setValue(self.chosen.lock_minutes)
        self.lock_spin.setToolTip(self.tr("离开电脑这么久没有操作，程序就锁定，输入密码才能继续。"))
        security_form = QFormLayout(security)
        security_form.addRow(self.tr("无操作自动锁定："), self.lock_spin)

        layout = QVBoxLayout(page)
        layout.addWidget(printing)
        layout.addWidget(sync)
        layout.addWidget(language)
        layout.addWidget(security)
        layout.addStretch()
        return page

    def _county_tab(self, settings: Settings) -> QWidget:
        page = QWidget()
        source = QLabel(
            self.tr("以下为县里下发的设置，本机只能查看。") if self.county_settings
            else self.tr("尚未收到县里下发的设置，以下为程序自带的默认值，本机只能查看。"))
        source.setObjectName("settings_source")
        source.setWordWrap(True)

        norms = schedule.norms(settings)
        self.schedule_table = _table("schedule", [self.tr("户类别"), self.tr("走访要求"),
                                                  self.tr("联系间隔"), self.tr("入户间隔")])
        self.schedule_table.setRowCount(len(schedule.STATUSES))
        for row, status in enumerate(schedule.STATUSES):
            norm = norms[status]
            contact = (self.tr("%1 天").replace("%1", str(norm.contact_days))
                       if norm.contact_days else "—")
            met = (self.tr("%1 天").replace("%1", str(norm.in_person_days))
                   if norm.in_person_days else "—")
            for column, text in enumerate((status, schedule.interval_text(status, settings),
                                           contact, met)):
                self.schedule_table.setItem(row, column, _item(text))
        _fit_rows(self.schedule_table)

        names = [name for name in settings if name not in SCHEDULE_SETTINGS]
        words = self.threshold_words()
        # the name settings.yaml gives each is in its tooltip, for the county's staff
        self.threshold_table = _table("thresholds", [self.tr("项目"), self.tr("数值"),
                                                     self.tr("单位")])
        self.threshold_table.setRowCount(len(names))
        for row, name in enumerate(names):
            label, unit = words.get(name) or self._unlisted(name)
            value = settings[name]
            shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
            for column, text in enumerate((label, shown, unit)):
                item = _item(text)
                item.setToolTip(f"{label}（{name}）")
                item.setData(Qt.ItemDataRole.UserRole, name)
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.threshold_table.setItem(row, column, item)
        self.threshold_table.resizeColumnsToContents()

        layout = QVBoxLayout(page)
        layout.addWidget(source)
        layout.addWidget(QLabel(self.tr("走访周期：")))
        layout.addWidget(self.schedule_table)
        layout.addWidget(QLabel(self.tr("标准和阈值：")))
        layout.addWidget(self.threshold_table, 1)
        return page

    def threshold_words(self) -> dict[str, tuple[str, str]]:
        """What each threshold is, in the words of the field, and its unit (the settings
        name them for code; a cadre reads these), in the interface's language."""
        return {
            "income_line": (self.tr("防返贫监测收入线"), self.tr("元/人/年")),
            "water_litres_rich": (self.tr("饮水量标准（丰水地区）"), self.tr("升/人/天")),
            "water_litres_short": (self.tr("饮水量标准（缺水地区）"), self.tr("升/人/天")),
            "water_trip_minutes": (self.tr("取水往返时间上限"), self.tr("分钟")),
            "water_distance_m": (self.tr("取水水平距离上限"), self.tr("米")),
            "water_height_m": (self.tr("取水垂直距离上限"), self.tr("米")),
            "water_outage_days": (self.tr("全年累计断水天数上限"), self.tr("天")),
            "school_age_min": (self.tr("义务教育起始年龄"), self.tr("岁")),
            "school_age_max": (self.tr("义务教育截止年龄"), self.tr("岁")),
            "risk_elimination_months": (self.tr("风险消除前收入稳定月数"), self.tr("个月")),
            "medical_self_pay_high": (self.tr("合规自付医疗费用偏高"), self.tr("元/年")),
            "person_max_age": (self.tr("年龄核查上限"), self.tr("岁")),
            "parent_min_gap_years": (self.tr("父母与子女最小年龄差"), self.tr("岁")),
            "head_min_age": (self.tr("户主最小年龄"), self.tr("岁")),
            "red_open_problems": (self.tr("未销号问题达此数即为红色"), self.tr("个")),
            "problem_days": (self.tr("问题整改期限"), self.tr("天")),
            "same_person_acceptance": (self.tr("整改人可自行验收销号（1 是，0 否）"), ""),
            "publicity_days": (self.tr("村级公示天数"), self.tr("天")),
            "case_target_days": (self.tr("监测程序办结时限"), self.tr("天")),
        }

    def _unlisted(self, name: str) -> tuple[str, str]:
        """A setting the table does not name: a year's income line, or a county's own
        name shown as it is."""
        if name.startswith("income_line_"):
            return (self.tr("%1 年监测收入线").replace("%1", name.removeprefix("income_line_")),
                    self.tr("元/人/年"))
        return name, ""

    # Saving -------------------------------------------------------------------------------

    def preferences(self) -> Preferences:
        """What the form says now."""
        return Preferences(paper=self.paper_combo.currentData(),
                           margin_mm=self.margin_spin.value(),
                           server_url=self.url_edit.text(),
                           language=self.language_combo.currentData(),
                           lock_minutes=self.lock_spin.value())

    def accept(self) -> None:
        """Save through the op runner; a refusal (a bad server address) keeps the dialog
        open and says why under the form."""
        chosen = self.preferences()
        try:
            changed = self.ops.write(lambda: preferences.save(self.ops.store, chosen))
        except PreferenceError as error:
            self.error.setText(error.en if i18n.english() else error.zh)
            self.error.show()
            if error.field == "server_url":
                self.tabs.setCurrentIndex(0)
                self.url_edit.setFocus()
            return
        if "language" in changed:
            i18n.save_language(chosen.language)  # read at start, before any store is open
        self.saved = changed
        super().accept()


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    label.setStyleSheet("color: #66727f;")
    return label


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


def _fit_rows(table: QTableWidget) -> None:
    """A short table as tall as its rows: no scroll bar for three lines."""
    table.resizeColumnsToContents()
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(row) for row in range(table.rowCount()))
    table.setFixedHeight(height)
