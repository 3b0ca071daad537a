"""The main window: village tree, roster table with search and type filter, household panel.

The roster loads in a worker (30,000 households take about a second to read and index),
then every filter runs on the in-memory rows. The table shows as soon as its rows are
read; the search texts follow from the same read (``roster_shown``, then
``roster_loaded``). The other tabs' screens are imported when first shown: the roster is
what a start must show fast (issue 15). The window owns the op runner (``ops``):
every write of every screen goes through it, and each screen refreshes from its one
broadcast; the roster refreshes only the households a write touched (their rows, search
texts and colours), and reloads whole after an import or a sync.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldvisit import __version__
from fieldvisit.checklist import installed
from fieldvisit.checklist.forms import FormSet
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.qt import i18n, preferences
from fieldvisit.qt.collector import UiThreadCollector
from fieldvisit.qt.household_panel import HouseholdPanel, VisitLine
from fieldvisit.qt.member_dialog import MemberDialog
from fieldvisit.qt.ops import HOUSEHOLD_FACTS, Changed, Ops
from fieldvisit.qt.roster_model import COLOUR_COLUMN, RosterModel
from fieldvisit.qt.table_model import row_table
from fieldvisit.qt.village_tree import VillageTree
from fieldvisit.qt.workers import Cancelled, Loader, Progress, Worker, stop_all
from fieldvisit.quality.status import colours_of
from fieldvisit.roster import queries
from fieldvisit.roster.queries import HouseholdRow, VillageNode
from fieldvisit.roster.search import BuiltKeys, SearchIndex
from fieldvisit.roster.vocab import MONITOR_CATEGORIES, MONITORED, ORDINARY, TUOPIN
from fieldvisit.store import Store, Update
from fieldvisit.visits import ledger, visit

if TYPE_CHECKING:  # printing and the other tabs are imported when used
    from fieldvisit.cards.documents import Printable
    from fieldvisit.qt.cases_view import CasesView
    from fieldvisit.qt.dashboard import Dashboard
    from fieldvisit.qt.ledger_view import LedgerView

SEARCH_DELAY_MS = 150
ROSTER_TAB, LEDGER_TAB, CASES_TAB, DASHBOARD_TAB = range(4)


@dataclass(slots=True)
class _Rows:
    villages: list[VillageNode]
    rows: list[HouseholdRow]
    colours: dict[str, str]


class MainWindow(QMainWindow):
    """``roster_shown(n)`` fires each time a (re)load's table is on screen, with n
    households shown; ``roster_loaded(n)`` once its search texts are in too."""

    roster_shown = Signal(int)
    roster_loaded = Signal(int)
    _rows_read = Signal(object)  # a load's rows, from its worker, before its search texts
    load_failed = Signal(str)
    sync_exported = Signal(object)  # the folder a sync bundle was written to (the stick)
    enrolled = Signal()  # this laptop was just enrolled with its county

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        UiThreadCollector(self)  # no garbage collection in a worker thread (see collector)
        self.ops = Ops(store, self)
        self.ops.changed.connect(self._changed)
        self.search_index = SearchIndex()
        self._index_pending = False  # rows on screen, their search texts still being built
        self._refreshed: set[str] = set()  # households refreshed meanwhile (see _loaded)
        self._rows_read.connect(self._show_rows)
        self._loader = Loader(self)
        self._loader.loaded.connect(self._loaded)
        self._loader.failed.connect(self._load_failed)
        self._loader.idle.connect(self._load_idle)
        self._build_status_bar()
        # The roster is read while the widgets are built: what it reads reaches them
        # queued, once this constructor has returned to the event loop.
        self.reload()
        self._shown_household: str | None = None
        self.setWindowTitle(self.tr("驻村走访 — 花名册"))
        self.resize(1280, 800)

        self.roster = RosterModel(self)
        self.table = self._build_table()
        self.search_box = QLineEdit()
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText(self.tr("搜索姓名、拼音、身份证号、电话、户编号"))
        self.search_box.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.type_filter = self._build_type_filter()
        self.colour_filter = self._build_colour_filter()

        self.tree = VillageTree()
        self.tree.setObjectName("villages")
        self.tree.scope_changed.connect(self._scope_changed)
        self.panel = HouseholdPanel(self.ops)
        self.panel.edit_requested.connect(self.edit_member)
        self.panel.visit_requested.connect(self._visit_requested)
        self.panel.visit_opened.connect(self.open_visit)
        self.panel.card_print_requested.connect(self._card_print_requested)
        self.panel.visit_print_requested.connect(self.print_visit_record)
        self._formset: FormSet | None = None
        self._settings: Settings = DEFAULT_SETTINGS

        self._build_layout()
        self._build_menus()
        self.roster.modelReset.connect(self._roster_reset)

    # Building -----------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = row_table(self.roster, "roster")
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns = table.horizontalHeader()
        columns.setStretchLastSection(True)
        # Fixed widths: ResizeToContents would measure all 30,000 rows.
        for column, width in enumerate((192, 80, 52, 120, 120, 90, 124)):
            table.setColumnWidth(column, max(width, columns.sectionSizeHint(column)))
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        return table

    def _build_type_filter(self) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName("type_filter")
        combo.addItem(self.tr("全部户类别"), None)
        combo.addItem(self.tr("脱贫户"), [TUOPIN])
        combo.addItem(self.tr("监测对象（全部）"), [MONITORED])
        for kind in MONITOR_CATEGORIES:
            combo.addItem("　" + kind, [kind])
        combo.addItem(self.tr("一般农户"), [ORDINARY])
        combo.setMinimumWidth(190)
        combo.currentIndexChanged.connect(
            lambda _i: self.roster.set_types(combo.currentData()))
        return combo

    def _build_colour_filter(self) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName("colour_filter")
        combo.addItem(self.tr("全部颜色"), None)
        for colour, meaning in (("红", self.tr("红（不放心）")), ("黄", self.tr("黄（基本放心）")),
                                ("绿", self.tr("绿（放心）"))):
            combo.addItem(meaning, colour)
        combo.currentIndexChanged.connect(
            lambda _i: self.roster.set_colour_filter(combo.currentData()))
        return combo

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("查找：")))
        filters.addWidget(self.search_box, 1)
        filters.addSpacing(12)
        filters.addWidget(QLabel(self.tr("户类别：")))
        filters.addWidget(self.type_filter)
        filters.addWidget(QLabel(self.tr("风险颜色：")))
        filters.addWidget(self.colour_filter)
        roster_area = QWidget()
        roster_layout = QVBoxLayout(roster_area)
        roster_layout.setContentsMargins(0, 0, 0, 0)
        roster_layout.addLayout(filters)
        self.roster_stack = QStackedWidget()
        self.roster_stack.addWidget(self.table)
        self.roster_stack.addWidget(self._build_empty_state())
        roster_layout.addWidget(self.roster_stack)

        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(roster_area)
        centre.addWidget(self.panel)
        centre.setStretchFactor(0, 3)
        centre.setStretchFactor(1, 2)
        centre.setSizes([300, 420])  # the panel: facts and five member rows at 1280×800
        centre.setChildrenCollapsible(False)
        whole = QSplitter(Qt.Orientation.Horizontal)
        whole.addWidget(self.tree)
        whole.addWidget(centre)
        whole.setStretchFactor(1, 1)
        whole.setSizes([210, 1070])
        whole.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("views")
        self.tabs.addTab(whole, self.tr("花名册"))
        self.tabs.addTab(QWidget(), self.tr("问题整改台账"))
        self.tabs.addTab(QWidget(), self.tr("监测程序"))
        self.tabs.addTab(QWidget(), self.tr("村情概况"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.ledger_view: LedgerView | None = None
        self.cases_view: CasesView | None = None
        self.dashboard: Dashboard | None = None
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(10, 8, 10, 4)
        layout.addWidget(self.tabs)
        self.setCentralWidget(holder)

    def _tab_shown(self, index: int) -> None:
        """The ledger and the dashboard are built the first time they are shown: the
        roster must open fast, and most sessions start there."""
        if index == LEDGER_TAB and self.ledger_view is None:
            from fieldvisit.qt.ledger_view import LedgerView

            self.ledger_view = LedgerView(self.ops)
            self.ledger_view.household_chosen.connect(self.go_to_household)
            self._fill_tab(index, self.ledger_view)
        elif index == CASES_TAB and self.cases_view is None:
            from fieldvisit.qt.cases_view import CasesView

            self.cases_view = CasesView(self.ops)
            self.cases_view.household_chosen.connect(self.go_to_case)
            self._fill_tab(index, self.cases_view)
        elif index == DASHBOARD_TAB and self.dashboard is None:
            from fieldvisit.qt.dashboard import Dashboard

            self.dashboard = Dashboard(self.ops)
            self.dashboard.household_chosen.connect(self.go_to_household)
            self._fill_tab(index, self.dashboard)

    def _fill_tab(self, index: int, widget: QWidget) -> None:
        page = self.tabs.widget(index)
        assert page is not None, "the tab was added in _build_layout"
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)

    def go_to_household(self, household_id: str) -> None:
        """Show a household in the roster (from the ledger or the dashboard), clearing
        the filters that hide it."""
        self.tabs.setCurrentIndex(ROSTER_TAB)
        if not self.select_household(household_id):
            self.search_box.clear()
            self._run_search()
            for combo in (self.type_filter, self.colour_filter):
                combo.setCurrentIndex(0)
            self.tree.select(None)
            self.select_household(household_id)

    def go_to_case(self, household_id: str) -> None:
        """From the 监测程序 list: the household in the roster, on its 监测 tab."""
        self.go_to_household(household_id)
        self.panel.details.setCurrentWidget(self.panel.cases)

    def _build_empty_state(self) -> QWidget:
        """What a cadre sees before the first import: what to do, and a button to do it."""
        empty = QWidget()
        empty.setObjectName("empty_roster")
        layout = QVBoxLayout(empty)
        layout.addStretch(1)
        text = QLabel(self.tr(
            "<h3>还没有花名册</h3>"
            "<p>请导入县里从防返贫监测系统导出的花名册（xlsx 或 csv 文件）。<br>"
            "导入前会先检查每一行，列出问题，确认后才写入。</p>"))
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        layout.addWidget(text)
        button = QPushButton(self.tr("导入花名册…"))
        button.setObjectName("empty_import")
        button.clicked.connect(self.open_import)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return empty

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.import_action = QAction(self.tr("导入花名册…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.open_import)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        settings_action = QAction(self.tr("设置…"), self)
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(settings_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        print_menu = self.menuBar().addMenu(self.tr("打印(&P)"))
        for text, slot in ((self.tr("批量打印明白卡…"), self.open_batch_print),
                           (self.tr("村级汇总报告…"), self.print_village_report)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            print_menu.addAction(action)

        sync_menu = self.menuBar().addMenu(self.tr("同步(&S)"))
        self.sync_status = sync_menu.addAction("")  # 已注册 … / 未注册, filled when shown
        self.sync_status.setEnabled(False)
        sync_menu.addSeparator()
        self.enroll_action = sync_menu.addAction(self.tr("注册到县里…"), self.open_enroll)
        sync_menu.addAction(self.tr("导出同步包…"), self.open_sync_export)
        sync_menu.addAction(self.tr("导入回执包…"), self.open_sync_import)
        sync_menu.addSeparator()
        sync_menu.addAction(self.tr("通过网络同步…"), self.open_sync_online)
        sync_menu.aboutToShow.connect(self.update_sync_menu)

        view_menu = self.menuBar().addMenu(self.tr("视图(&V)"))
        language_menu = view_menu.addMenu(self.tr("语言 / Language"))
        languages = QActionGroup(self)
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self, checkable=True, checked=code == i18n.current())
            action.setData(code)
            languages.addAction(action)
            language_menu.addAction(action)
        languages.triggered.connect(self._language_chosen)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        help_menu.addAction(self.tr("导出诊断信息…"), self.export_diagnostics)

    def _build_status_bar(self) -> None:
        self.counts = QLabel()
        self.counts.setObjectName("counts")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.statusBar().addWidget(self.counts, 1)
        self.statusBar().addPermanentWidget(self.busy)

    # Loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the whole roster and its search index in a worker, then show them (a
        reload asked for while one runs follows it: the roster on screen is never older
        than the store). The rows go to the screen (``_rows_read``, queued to the UI
        thread) before the search texts are built from the same read: a third of the
        load, which the table need not wait for."""
        self.busy.show()
        self.counts.setText(self.tr("正在载入花名册…"))
        store = self.store
        rows_read = self._rows_read

        def load(_progress: Progress, _cancelled: Cancelled) -> SearchIndex:
            with store.reading() as conn:
                rows_read.emit(_Rows(queries.village_tree(conn), queries.household_rows(conn),
                                     colours_of(conn)))
                return SearchIndex.build(conn, keys=False)

        self._loader.load(load)

    def _show_rows(self, read: _Rows) -> None:
        self._index_pending = True
        self._refreshed.clear()
        self.tree.populate(read.villages)
        self.roster.set_rows(read.rows)
        self.roster.set_colours(read.colours)
        self.table.setColumnWidth(  # as wide as its header in either language
            COLOUR_COLUMN, max(64, self.table.horizontalHeader().sectionSizeHint(COLOUR_COLUMN)))
        self.roster_stack.setCurrentIndex(0 if read.rows else 1)
        self.roster_shown.emit(self.roster.rowCount())

    def _loaded(self, index: SearchIndex) -> None:
        """The search texts of the rows on screen. A household a write refreshed since
        they were read is read again: the texts are never older than the table."""
        if self._refreshed:
            with self.store.reading() as conn:
                index.refresh(conn, sorted(self._refreshed))
            self._refreshed.clear()
        self.search_index = index
        self._index_pending = False
        if self.search_box.text().strip():
            self._run_search()
        self.roster_loaded.emit(self.roster.rowCount())
        self._build_search_keys(index)

    def _build_search_keys(self, index: SearchIndex) -> None:
        """A county store's search key index, built after the roster shows (6–15 s at
        300,000 households: docs/performance.md); searches scan until it is in, and one
        built from texts an edit has changed since is built again."""
        if not index.keys_pending:
            return
        build = index.key_builder()
        worker = Worker(lambda _progress, _cancelled: build(), self)

        def built(result: BuiltKeys) -> None:
            if index is self.search_index and not index.adopt(result):
                self._build_search_keys(index)

        worker.succeeded.connect(built)
        worker.done.connect(worker.deleteLater)
        worker.start()

    def _load_failed(self, error: Exception) -> None:
        message = self.tr("花名册载入失败：%1").replace("%1", str(error))
        self.counts.setText(message)
        self.load_failed.emit(message)

    def _load_idle(self) -> None:
        self.busy.hide()

    def is_loading(self) -> bool:
        return self._loader.is_busy()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing waits for every job of every screen and dialog (each asked to cancel
        first): no thread may outlive the widgets it reports to."""
        for dialog in self.findChildren(QDialog):
            dialog.reject()  # a dialog cancels and waits for its own job
        stop_all(self)
        super().closeEvent(event)

    # What a write changed -----------------------------------------------------------------

    def _changed(self, changed: Changed) -> None:
        """The op runner's broadcast: the households it touched, or everything after an
        import or a sync (new households, villages)."""
        if not changed.touches(*HOUSEHOLD_FACTS):
            return
        if changed.households is None or changed.changes.inserted.get("household"):
            self.reload()
        else:
            self._refresh_households(sorted(changed.households))
        if changed.touches_household(self._shown_household):
            assert self._shown_household is not None
            self._show_household(self._shown_household)

    def _refresh_households(self, household_ids: list[str]) -> None:
        if not household_ids:
            return
        if self._index_pending:
            self._refreshed.update(household_ids)
        with self.store.reading() as conn:
            self.search_index.refresh(conn, household_ids)
            rows = queries.household_rows(conn, household_ids)
            colours = colours_of(conn)
        self.roster.replace_rows(rows, household_ids)  # an ended household (合户) leaves
        self.roster.set_colours(colours)
        self._update_counts()

    # Filtering and selection --------------------------------------------------------------

    def _run_search(self) -> None:
        """Filter by the search box; while the search texts are still being built the
        search waits for them (``_loaded`` runs it)."""
        if self._index_pending:
            return
        text = self.search_box.text()
        self.roster.set_matches(self.search_index.matches(text) if text.strip() else None)

    def _scope_changed(self, scope: tuple[str, str] | None) -> None:
        self.roster.set_scope(scope)

    def _roster_reset(self) -> None:
        """After a filter or sort: keep the chosen household selected if it is still shown."""
        chosen = self._shown_household
        row = self.roster.row_of(chosen) if chosen else None
        if row is None:
            self._show_household(None)
        else:
            self.table.selectRow(row)
        self._update_counts()

    def _update_counts(self) -> None:
        shown = self.roster.rowCount()
        total = self.roster.total_households()
        self.counts.setText(
            self.tr("显示 %1 户（%2 人），共 %3 户")
            .replace("%1", f"{shown:,}").replace("%2", f"{self.roster.visible_persons():,}")
            .replace("%3", f"{total:,}"))

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        chosen = self.roster.household_id(rows[0].row()) if rows else None
        if chosen != self._shown_household:
            self._show_household(chosen)

    def select_household(self, household_id: str) -> bool:
        """Select a household in the table (False when the filters hide it)."""
        row = self.roster.row_of(household_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.roster.index(row, 0))
        return True

    def _show_household(self, household_id: str | None) -> None:
        self._shown_household = household_id
        if household_id is None:
            self.panel.show_household(None, [], "")
            self.panel.show_visits(None)
            self.panel.set_visit_enabled(False)
            return
        with self.store.reading() as conn:
            facts = queries.household(conn, household_id)
            members = queries.members(conn, household_id, date.today())
            place = queries.full_address(conn, household_id)
        self.panel.show_household(facts, members, place)
        self._show_visits(household_id)

    def _show_visits(self, household_id: str) -> None:
        history = visit.history(self.store, household_id)
        with self.store.reading() as conn:
            counts = ledger.problems_per_visit(conn, household_id)
        self.panel.show_visits([
            VisitLine(v.id, v.completed_on or v.started_on, v.cadre, v.status,
                      counts.get(v.id, 0), v.kind, v.confirmation) for v in history])
        self.panel.set_visit_enabled(True)

    # Editing ------------------------------------------------------------------------------

    def _id_holder(self, member_id: str) -> Callable[[str], tuple[str, str] | None]:
        def holder(number: str) -> tuple[str, str] | None:
            with self.store.reading() as conn:
                return queries.id_number_holder(conn, number, member_id)

        return holder

    def edit_member(self, member: queries.MemberView) -> None:
        dialog = MemberDialog(member, date.today(), self, id_holder=self._id_holder(member.id))
        if dialog.exec() != MemberDialog.DialogCode.Accepted:
            return
        self.save_member(member.id, member.values["household_id"], dialog.changes())

    def save_member(self, member_id: str, household_id: str, fields: dict) -> bool:
        """Write a member's changed fields (journaled, through the op runner: the roster
        and the panel follow its broadcast)."""
        if not fields:
            return False
        try:
            self.ops.write(lambda: self.store.write([Update("member", member_id, fields)]))
        except Exception as error:  # the store refused: say so, keep the window usable
            QMessageBox.critical(self, self.tr("保存失败"), str(error))
            return False
        self.statusBar().showMessage(self.tr("已保存"), 4000)
        return True

    # Visits -------------------------------------------------------------------------------

    def formset(self) -> FormSet:
        """The checklists in force (the county's, else the bundled ones), loaded the first
        time a visit is opened."""
        if self._formset is None:
            self._formset, self._settings = installed.for_store(self.store)
        return self._formset

    def _visit_requested(self) -> None:
        if self._shown_household is not None:
            self.start_visit(self._shown_household)

    def start_visit(self, household_id: str) -> QDialog | None:
        """Open the household's draft visit (a new one if it has none) in the wizard."""
        try:
            formset = self.formset()
            visit_id = self.ops.write(lambda: visit.start(
                self.store, household_id, formset, self.store.actor, date.today()))
        except Exception as error:  # forms that cannot load, a refused write: say so
            QMessageBox.critical(self, self.tr("无法开始走访"), str(error))
            return None
        return self.open_visit(visit_id)

    def open_visit(self, visit_id: str) -> QDialog:
        """The wizard on a visit: editable for a draft, read-only once completed."""
        from fieldvisit.qt.visit_wizard import VisitWizard

        wizard = VisitWizard(self.ops, self.formset(), visit_id, self, settings=self._settings)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.corrected.connect(self.open_visit)
        wizard.open()
        return wizard

    # Printing (imported when used: QtPdf and QtPrintSupport need not load at start) --------

    def _card_print_requested(self) -> None:
        if self._shown_household is not None:
            self.print_card(self._shown_household)

    def print_card(self, household_id: str) -> QDialog:
        from fieldvisit.cards.documents import card_writer, household_card

        card = household_card(self.store, household_id)  # on the paper of 设置
        paper = preferences.load(self.store).paper
        return self._preview(replace(card, writer=card_writer(self.store, [household_id],
                                                              paper=paper)))

    def print_visit_record(self, visit_id: str) -> QDialog:
        from fieldvisit.cards.documents import visit_record

        return self._preview(visit_record(self.store, visit_id))

    def _preview(self, printable: Printable) -> QDialog:
        """The preview of a document, printing with the margins of 设置."""
        from fieldvisit.qt.print_preview import PrintPreview

        return PrintPreview.generating(self, printable,
                                       margin_mm=preferences.load(self.store).margin_mm)

    def print_village_report(self) -> QDialog | None:
        """The report of the village chosen in the tree (or the only one there is)."""
        from fieldvisit.cards.documents import village_of, village_report

        village = village_of(self.tree.villages(), self.tree.scope())
        if village is None or not village.code:
            QMessageBox.information(self, self.tr("村级汇总报告"),
                                    self.tr("请先在左侧选择一个有村代码的行政村。"))
            return None
        return self._preview(village_report(self.store, village))

    def open_batch_print(self) -> QDialog:
        """批量打印明白卡 for the tree's village or group, or the households shown now."""
        from fieldvisit.qt.print_batch import BatchDialog

        shown = [self.roster.household_id(row) for row in range(self.roster.rowCount())]
        dialog = BatchDialog(self.store, self.tree.villages(), self.tree.scope(), shown, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # Sync (imported when used, like printing) ---------------------------------------------

    def update_sync_menu(self) -> None:
        from fieldvisit.qt.sync_dialog import status_text, sync_state

        state = sync_state(self.store)
        self.sync_status.setText(status_text(state))
        self.enroll_action.setVisible(state.enrollment is None)

    def open_enroll(self) -> QDialog:
        from fieldvisit.qt.sync_dialog import EnrollDialog

        dialog = EnrollDialog(self.ops, self)
        dialog.finished_step.connect(self._enroll_step)
        return self._open_sync(dialog)

    def _enroll_step(self, step: str) -> None:
        if step == "enrolled":
            self.enrolled.emit()

    def open_sync_export(self) -> QDialog:
        from fieldvisit.qt.sync_dialog import ExportDialog

        dialog = ExportDialog(self.ops, self)
        dialog.finished_step.connect(lambda step: self._exported(dialog, step))
        return self._open_sync(dialog)

    def _exported(self, dialog: QDialog, step: str) -> None:
        exported = getattr(dialog, "exported", None)
        if step == "exported" and exported is not None:
            self.sync_exported.emit(exported.path.parent)

    def open_sync_import(self) -> QDialog:
        from fieldvisit.qt.sync_dialog import ReturnImportDialog

        return self._open_sync(ReturnImportDialog(self.ops, self))

    def export_diagnostics(self) -> QDialog | None:
        from fieldvisit.qt.diagnostics_dialog import ask_and_export

        return ask_and_export(self.store, self)

    def open_sync_online(self) -> QDialog:
        from fieldvisit.qt.sync_dialog import OnlineDialog

        return self._open_sync(OnlineDialog(self.ops, self))

    def _open_sync(self, dialog: QDialog) -> QDialog:
        if hasattr(dialog, "enroll_requested"):
            dialog.enroll_requested.connect(self.open_enroll)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # Menus --------------------------------------------------------------------------------

    def open_import(self) -> QDialog:
        # Imported here: the importer's spreadsheet readers are needed only for an import,
        # and the window should open without loading them.
        from fieldvisit.qt.import_dialog import ImportDialog

        dialog = ImportDialog(self.ops, self.tree.villages(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # frees the plan it holds
        dialog.open()
        return dialog

    def open_settings(self) -> QDialog:
        """设置: paper, margins, the county server, language; the county's rules shown."""
        from fieldvisit.qt.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ops, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _language_chosen(self, action: QAction) -> None:
        code = action.data()
        if code == i18n.current():
            return
        i18n.save_language(code)
        chosen = replace(preferences.load(self.store), language=code)  # as 设置 keeps it
        self.ops.write(lambda: preferences.save(self.store, chosen))
        QMessageBox.information(
            self, "语言 / Language",
            "界面语言将在重新启动程序后更改。\nThe language changes when FieldVisit is restarted.")

    def _about(self) -> None:
        text = self.tr("<h3>驻村走访 FieldVisit %1</h3>"
                       "<p>离线使用的驻村走访与防返贫监测工具。</p>"
                       "<p>字体：Droid Sans Fallback（Apache 2.0 许可）</p>")
        QMessageBox.about(self, self.tr("关于驻村走访"), text.replace("%1", __version__))
