"""The roster table's model: every household as a plain Python row, filtered by index list.

At county scale (30,000 households, 100,000 persons) a QSortFilterProxyModel calling back
into Python for every row and every comparison is the slow part; here the rows stay in
one list, a filter or sort is one list comprehension or ``list.sort`` with a key, and the
view asks ``data()`` only for the few dozen rows on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from fieldvisit.qt.table_model import HeaderedTableModel, Index
from fieldvisit.roster.queries import HouseholdRow

# (field, sort key) per column, in display order; titles come from headers() for tr().
_COLUMNS: tuple[tuple[str, Callable[[HouseholdRow], Any]], ...] = (
    ("code", lambda r: r.code),
    ("head", lambda r: r.head),
    ("size", lambda r: r.size),
    ("status", lambda r: r.status),
    ("risk_types", lambda r: r.risk_types),
    ("helper", lambda r: r.helper),
    ("phone", lambda r: r.phone),
    ("colour", lambda r: r.code),  # sorted by the colour mapping, see _sort_rows
)
SIZE_COLUMN = 2
COLOUR_COLUMN = 7  # last, and shown only once set_colours() was called
# 红/黄/绿 backgrounds: soft enough to read dark text on, distinct in grey print too.
COLOUR_BACKGROUNDS = {"红": QColor("#f4b6b0"), "黄": QColor("#f8e08e"), "绿": QColor("#b9e0b4")}
_COLOUR_RANK = {"红": 0, "黄": 1, "绿": 2}


class RosterModel(HeaderedTableModel):
    """All households; shows those passing the scope, type and search filters."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HouseholdRow] = []
        self._position: dict[str, int] = {}
        self._visible: list[int] = []
        self._scope: tuple[str, str] | None = None  # ("village" | "group", id)
        self._types: frozenset[str] | None = None
        self._matches: set[str] | None = None
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self._colours: dict[str, str] | None = None  # None: not loaded, column hidden
        self._colour: str | None = None  # the colour filter

    def headers(self) -> list[str]:
        return [self.tr("户编号"), self.tr("户主"), self.tr("人数"), self.tr("户类别"),
                self.tr("风险类型"), self.tr("帮扶责任人"), self.tr("联系电话"),
                self.tr("风险颜色")][:self.columnCount()]

    def colour_text(self, colour: str | None) -> str:
        """红/黄/绿 as the user reads it (translated), '' when unknown."""
        return {"红": self.tr("红"), "黄": self.tr("黄"), "绿": self.tr("绿")}.get(colour or "", "")

    # Qt's table-model interface -----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(_COLUMNS) if self._colours is not None else len(_COLUMNS) - 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
        column = index.column()
        if column == COLOUR_COLUMN:
            return self._colour_data(row.id, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == SIZE_COLUMN:
                return str(row.size)
            return getattr(row, _COLUMNS[column][0])  # the national system's own words
        if role == Qt.ItemDataRole.ToolTipRole and _COLUMNS[column][0] == "status":
            return row.status_full  # 脱贫户 · 监测对象（…）: both fields spelled out
        if role == Qt.ItemDataRole.ToolTipRole and _COLUMNS[column][0] == "risk_types":
            return row.risk_types or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE_COLUMN:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _colour_data(self, household_id: str, role: int) -> Any:
        colour = (self._colours or {}).get(household_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.colour_text(colour)
        if role == Qt.ItemDataRole.BackgroundRole:
            return COLOUR_BACKGROUNDS.get(colour or "")
        if role == Qt.ItemDataRole.ForegroundRole and colour:
            return QColor("#1f2933")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole and colour:
            return {"红": self.tr("不放心：有严重或较多未销号问题"),
                    "黄": self.tr("基本放心：有未销号问题，或为未消除风险的监测对象"),
                    "绿": self.tr("放心")}[colour]
        if role == Qt.ItemDataRole.UserRole:
            return household_id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.beginResetModel()
        self._sort_rows()
        self._apply()
        self.endResetModel()

    # Loading, filtering, refreshing -------------------------------------------------------

    def set_rows(self, rows: list[HouseholdRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_rows()
        self._apply()
        self.endResetModel()

    def set_scope(self, scope: tuple[str, str] | None) -> None:
        """Only one village (``("village", id)``) or 村民小组 (``("group", id)``); None: all."""
        self._refilter(scope=scope)

    def set_types(self, types: Iterable[str] | None) -> None:
        """Only these household types (vocab spelling); None: every type."""
        self._refilter(types=None if types is None else frozenset(types))

    def set_matches(self, household_ids: set[str] | None) -> None:
        """Only these households (the search result); None: no search."""
        self._refilter(matches=household_ids)

    def set_colours(self, colours: dict[str, str]) -> None:
        """Household id -> 红/黄/绿 (``quality.status.load_colours``); shows the 风险颜色
        column (the last) the first time. A household missing from the mapping shows blank."""
        first = self._colours is None
        self._colours = dict(colours)
        if first or self._colour is not None or self._sort[0] == COLOUR_COLUMN:
            self.beginResetModel()
            if self._sort[0] == COLOUR_COLUMN:
                self._sort_rows()
            self._apply()
            self.endResetModel()
        elif self._visible:
            self.dataChanged.emit(self.index(0, COLOUR_COLUMN),
                                  self.index(len(self._visible) - 1, COLOUR_COLUMN))

    def set_colour_filter(self, colour: str | None) -> None:
        """Only households of this colour (红/黄/绿); None: every colour."""
        self._refilter(colour=colour)

    def colour_of(self, household_id: str) -> str | None:
        return (self._colours or {}).get(household_id)

    def replace_rows(self, rows: Iterable[HouseholdRow], asked: Iterable[str] = ()) -> None:
        """Put fresh rows for households already listed (after an edit); repaint them.
        A household of ``asked`` (the ids the rows were read for) that has no row any
        more has ended (合户, deleted) and leaves the table."""
        rows = list(rows)
        ended = set(asked) - {row.id for row in rows}
        if ended & self._position.keys():
            self.beginResetModel()
            self._rows = [row for row in self._rows if row.id not in ended]
            self._position = {row.id: i for i, row in enumerate(self._rows)}
            self._apply()
            self.endResetModel()
        for new in rows:
            position = self._position.get(new.id)
            if position is None:
                continue
            self._rows[position] = new
            try:
                shown = self._visible.index(position)
            except ValueError:
                continue
            self.dataChanged.emit(self.index(shown, 0), self.index(shown, self.columnCount() - 1))

    def household_id(self, row: int) -> str:
        return self._rows[self._visible[row]].id

    def row_of(self, household_id: str) -> int | None:
        """The visible row showing this household, or None when filtered out."""
        position = self._position.get(household_id)
        if position is None:
            return None
        try:
            return self._visible.index(position)
        except ValueError:
            return None

    def total_households(self) -> int:
        return len(self._rows)

    def visible_persons(self) -> int:
        rows = self._rows
        return sum(rows[i].size for i in self._visible)

    def _refilter(self, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self, f"_{name}", value)
        self.beginResetModel()
        self._apply()
        self.endResetModel()

    def _sort_rows(self) -> None:
        column, order = self._sort
        key = _COLUMNS[column][1]
        if column == COLOUR_COLUMN:
            colours, rank = self._colours or {}, _COLOUR_RANK
            self._rows.sort(key=lambda r: r.code)  # stable: 户编号 order within a colour
            key = lambda r: rank.get(colours.get(r.id, ""), 3)  # noqa: E731
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self._position = {row.id: i for i, row in enumerate(self._rows)}

    def _apply(self) -> None:
        scope, types, matches = self._scope, self._types, self._matches
        colour, colours = self._colour, self._colours or {}
        kind, scope_id = scope if scope else ("", "")
        self._visible = [
            i for i, r in enumerate(self._rows)
            if (not kind or (r.village_id if kind == "village" else r.group_id) == scope_id)
            and (types is None or not types.isdisjoint(r.status_words))
            and (matches is None or r.id in matches)
            and (colour is None or colours.get(r.id) == colour)
        ]
