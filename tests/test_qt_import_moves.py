"""The import dialog lists a re-import's village moves and applies them only when the
cadre ticks the confirmation."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from test_qt_import_dialog import step
from test_villages import named_rows, village_of, write

from fieldvisit.qt.import_dialog import ImportDialog
from fieldvisit.qt.ops import Ops
from fieldvisit.roster.importer import apply_import, plan_import


def test_moves_are_listed_and_wait_for_the_tick_box(qtbot, store, tmp_path):
    rows = named_rows()
    apply_import(store, plan_import(write(tmp_path / "first.xlsx", rows), store))
    moved, head = rows[0][0], rows[0][1]
    for row in rows:
        if row[0] == moved:
            row[9] = "六硐村"
    dialog = ImportDialog(Ops(store), [])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(write(tmp_path / "again.xlsx", rows))
    box = dialog.confirm_moves

    for confirm, expected in ((False, "平里河村"), (True, "六硐村")):
        step(qtbot, dialog, dialog.check_button.click, "planned")
        assert box.isVisible() and not box.isChecked()
        assert f"户 {moved}（{head}）换村：平里河村 → 六硐村" in dialog.summary.text()
        if confirm:  # clicked on its tick box (the box spans the dialog)
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
        step(qtbot, dialog, dialog.import_button.click, "applied")
        assert village_of(store, moved) == expected
