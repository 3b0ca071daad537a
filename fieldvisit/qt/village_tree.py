"""The left-hand tree: 全部 → 行政村 → 村民小组, each with its household count.

Choosing a node narrows the roster table to that village or group; the tree itself only
reports the choice as a scope the roster model understands.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from fieldvisit.roster.queries import VillageNode

_KIND = Qt.ItemDataRole.UserRole  # "village" / "group"; None on the 全部 node
_ID = Qt.ItemDataRole.UserRole + 1


class VillageTree(QTreeWidget):
    """Emits ``scope_changed`` with ``None`` (all), ``("village", id)`` or ``("group", id)``."""

    scope_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setUniformRowHeights(True)
        self.setAnimated(True)
        self._villages: list[VillageNode] = []
        self.currentItemChanged.connect(self._current_changed)

    def populate(self, villages: list[VillageNode]) -> None:
        """Rebuild from the store's village tree, keeping the chosen node when it still exists."""
        chosen = self.scope()
        self.blockSignals(True)
        self.clear()
        self._villages = list(villages)
        total = sum(v.households for v in villages)
        root = QTreeWidgetItem([self.tr("全部（%n 户）", "", total)])
        self.addTopLevelItem(root)
        selected = root
        for village in villages:
            item = QTreeWidgetItem([self.tr("%1（%n 户）", "", village.households)
                                    .replace("%1", village.name)])
            _set_scope(item, "village", village.id)
            item.setToolTip(0, village.code or "")
            root.addChild(item)
            if chosen == ("village", village.id):
                selected = item
            for group in village.groups:
                child = QTreeWidgetItem([self.tr("%1（%n 户）", "", group.households)
                                         .replace("%1", group.name)])
                _set_scope(child, "group", group.id)
                item.addChild(child)
                if chosen == ("group", group.id):
                    selected = child
        # A village's groups are shown open when there are few villages (the usual case
        # for a 驻村工作队); a township-wide store starts with villages folded.
        self.expandToDepth(1 if len(villages) <= 6 else 0)
        self.setCurrentItem(selected)
        self.blockSignals(False)
        if _scope_of(selected) != chosen:
            self.scope_changed.emit(_scope_of(selected))

    def scope(self) -> tuple[str, str] | None:
        item = self.currentItem()
        return _scope_of(item) if item else None

    def villages(self) -> list[VillageNode]:
        return list(self._villages)

    def select(self, scope: tuple[str, str] | None) -> None:
        """Make the node for this scope current (tests and "show in tree" use it)."""
        for item in self._items():
            if _scope_of(item) == scope:
                self.setCurrentItem(item)
                return

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        pending = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while pending:
            item = pending.pop()
            if item is not None:
                found.append(item)
                pending += [item.child(i) for i in range(item.childCount())]
        return found

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.scope_changed.emit(_scope_of(current))


def _set_scope(item: QTreeWidgetItem, kind: str, node_id: str) -> None:
    item.setData(0, _KIND, kind)
    item.setData(0, _ID, node_id)


def _scope_of(item: QTreeWidgetItem) -> tuple[str, str] | None:
    kind = item.data(0, _KIND)
    return (kind, item.data(0, _ID)) if kind else None
