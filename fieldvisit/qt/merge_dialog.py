"""合户: this household's members join another household of the village, and this one ends.

The rules and the edits are ``roster.membership.merge_edits``'s (same village, nobody
comes in as a second 户主, one transaction); the dialog lets the cadre find the
receiving household by 户编号 or 户主 among ``membership.merge_targets``, choose each
moving member's relation to its 户主 (a relation to the old 户主 rarely holds in the new
household, so none is preselected), and confirm: the household leaves the roster at
once, while its history stays readable in the journal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from fieldvisit.qt.ops import Ops
from fieldvisit.qt.population_dialog import ChangeDialog, _date_edit, _day
from fieldvisit.roster import checks, membership, vocab
from fieldvisit.roster.membership import MergeTarget
from fieldvisit.roster.queries import MemberView

LIST_ROWS = 7  # households shown at once in the chooser


class MergeDialog(ChangeDialog):
    """Merge household ``facts`` (its current ``members``) into one of ``targets``."""

    def __init__(self, ops: Ops, facts: dict[str, Any], members: list[MemberView],
                 targets: list[MergeTarget], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(ops, today, parent)
        self.setWindowTitle(self.tr("合户：%1").replace("%1", facts["code"]))
        self.setMinimumWidth(600)
        self._facts = facts
        self._members = members
        self._targets = {target.id: target for target in targets}
        self._saving = False  # what is missing is said once the cadre tries to save
        what = QLabel(self.tr("本户（户编号 %1）的 %2 名成员将全部并入所选的户，本户不再单独列户；"
                              "历史记录保留。")
                      .replace("%1", facts["code"]).replace("%2", str(len(members))))
        what.setObjectName("hint")
        what.setWordWrap(True)
        self.form.addRow(what)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("输入户编号或户主姓名筛选"))
        self.search.textChanged.connect(self._filter)
        self.households = QListWidget()
        self.households.setObjectName("households")
        for target in targets:
            item = QListWidgetItem(self.tr("%1　户主：%2（%3 人）").replace("%1", target.code)
                                   .replace("%2", target.head or self.tr("未填"))
                                   .replace("%3", str(target.size)))
            item.setData(Qt.ItemDataRole.UserRole, target.id)
            self.households.addItem(item)
        rows = max(1, min(LIST_ROWS, len(targets)))
        self.households.setFixedHeight(self.households.sizeHintForRow(0) * rows + 8
                                       if targets else 40)
        self.households.currentItemChanged.connect(self._target_changed)
        chooser = QWidget()
        column = QVBoxLayout(chooser)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.search)
        column.addWidget(self.households)
        self.add_row("household", self.tr("并入哪一户"), chooser)

        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(self.tr("成员")), 0, 0)
        self.head_caption = QLabel(self.tr("与新户主的关系"))
        grid.addWidget(self.head_caption, 0, 1)
        self.relations: dict[str, QComboBox] = {}
        for row, member in enumerate(members, start=1):
            grid.addWidget(QLabel(f"{member.name}（{member.relation or self.tr('未填')}）"), row, 0)
            relation = QComboBox()
            relation.setObjectName(f"relation_{member.id}")
            relation.addItem(self.tr("（请选择）"), None)
            for choice in vocab.RELATIONS:
                if choice != vocab.HEAD:  # the receiving household has its 户主
                    relation.addItem(choice, choice)
            relation.currentIndexChanged.connect(self.validate)
            grid.addWidget(relation, row, 1)
            self.relations[member.id] = relation
        grid.setColumnStretch(1, 1)
        self.add_row("relation", self.tr("成员关系"), grid_box)
        self.merged_on = _date_edit(today)
        self.merged_on.setObjectName("joined_on")
        self.add_row("joined_on", self.tr("合户日期"), self.merged_on)
        self._finish_layout()

    def _filter(self, text: str) -> None:
        wanted = text.strip()
        for row in range(self.households.count()):
            item = self.households.item(row)
            target = self._targets[item.data(Qt.ItemDataRole.UserRole)]
            item.setHidden(bool(wanted) and wanted not in target.code and wanted not in target.head)

    def _target_changed(self) -> None:
        target = self.target()
        self.head_caption.setText(self.tr("与新户主%1的关系").replace("%1", target.head)
                                  if target and target.head else self.tr("与新户主的关系"))
        self.validate()

    def choose_household(self, household_id: str) -> None:
        for row in range(self.households.count()):
            item = self.households.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == household_id:
                self.households.setCurrentItem(item)

    def choose(self, member_id: str, relation: str) -> None:
        combo = self.relations[member_id]
        combo.setCurrentIndex(combo.findData(relation))

    def target(self) -> MergeTarget | None:
        item = self.households.currentItem()
        if item is None or item.isHidden():
            return None
        return self._targets.get(item.data(Qt.ItemDataRole.UserRole))

    def chosen_relations(self) -> dict[str, str]:
        return {member_id: combo.currentData() for member_id, combo in self.relations.items()
                if combo.currentData() is not None}

    def check(self) -> list[tuple[str, str, str, str]]:
        """Only once the cadre saves: no red before a choice is made."""
        if not self._saving:
            return []
        found: list[tuple[str, str, str, str]] = []
        if self.target() is None:
            found.append(("household", checks.ERROR, "请选择并入哪一户",
                          "choose the household to merge into"))
        missing = [m.name for m in self._members if m.id not in self.chosen_relations()]
        if missing:
            names = "、".join(missing)
            found.append(("relation", checks.ERROR, f"请为{names}选择与新户主的关系",
                          f"choose how {', '.join(missing)} relate to the new head"))
        return found

    def try_save(self) -> None:
        self._saving = True
        super().try_save()

    def confirmed(self) -> bool:
        target = self.target()
        assert target is not None
        answer = QMessageBox.question(
            self, self.tr("确认合户"),
            self.tr("把本户（%1）的 %2 人并入户 %3（户主 %4）？\n本户将不再列在花名册中，"
                    "历史记录保留。").replace("%1", self._facts["code"])
            .replace("%2", str(len(self._members))).replace("%3", target.code)
            .replace("%4", target.head or self.tr("未填")))
        return answer == QMessageBox.StandardButton.Yes

    def write(self) -> Any:
        target = self.target()
        assert target is not None
        return membership.record(
            self._ops.store, membership.merge_edits, target.id, self._facts["id"],
            self.chosen_relations(), _day(self.merged_on), self._today)
