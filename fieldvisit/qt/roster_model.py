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

from fieldvisit.qt.table_model import HeaderedTableModel, Index
from fieldvisit.roster.queries import HouseholdRow
from fieldvisit.roster.vocab import household_type_label

# (field, sort key) per column, in display order; titles come from headers() for tr().
_COLUMNS: tuple[tuple[str, Callable[[HouseholdRow], Any]], ...] = (
    ("code", lambda r: r.code),
    ("head", lambda r: r.head),
    ("size", lambda r: r.size),
    ("hh_type", lambda r: r.hh_type),
    ("risk_types", lambda r: r.risk_types),
    ("helper", lambda r: r.helper),
    ("phone", lambda r: r.phone),
)
SIZE_COLUMN = 2


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

    def headers(self) -> list[str]:
        return [self.tr("户编号"), self.tr("户主"), self.tr("人数"), self.tr("户类型"),
                self.tr("风险类型"), self.tr("帮扶责任人"), self.tr("联系电话")]

    # Qt's table-model interface -----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == SIZE_COLUMN:
                return str(row.size)
            return getattr(row, _COLUMNS[column][0])  # the national system's own words
        if role == Qt.ItemDataRole.ToolTipRole and _COLUMNS[column][0] == "hh_type":
            return household_type_label(row.hh_type)  # 监测对象（…）: the kind spelled out
        if role == Qt.ItemDataRole.ToolTipRole and _COLUMNS[column][0] == "risk_types":
            return row.risk_types or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE_COLUMN:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.UserRole:
            return row.id
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

    def replace_rows(self, rows: Iterable[HouseholdRow]) -> None:
        """Put fresh rows for households already listed (after an edit); repaint them."""
        for new in rows:
            position = self._position.get(new.id)
            if position is None:
                continue
            self._rows[position] = new
            try:
                shown = self._visible.index(position)
            except ValueError:
                continue
            self.dataChanged.emit(self.index(shown, 0), self.index(shown, len(_COLUMNS) - 1))

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
        self._rows.sort(key=_COLUMNS[column][1],
                        reverse=order == Qt.SortOrder.DescendingOrder)
        self._position = {row.id: i for i, row in enumerate(self._rows)}

    def _apply(self) -> None:
        scope, types, matches = self._scope, self._types, self._matches
        kind, scope_id = scope if scope else ("", "")
        self._visible = [
            i for i, r in enumerate(self._rows)
            if (not kind or (r.village_id if kind == "village" else r.group_id) == scope_id)
            and (types is None or r.hh_type in types)
            and (matches is None or r.id in matches)
        ]
