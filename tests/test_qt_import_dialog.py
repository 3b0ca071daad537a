"""The import dialog driven like a user: choose a real .xlsx, check it in a worker, read
the report, import the valid households; and Cancel during both steps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from fieldvisit import idcard
from fieldvisit.qt.import_dialog import ImportDialog
from fieldvisit.qt.main_window import MainWindow
from fieldvisit.qt.ops import Ops
from fieldvisit.roster import queries
from fieldvisit.roster.queries import VillageNode

HEADER = ["户编号", "姓名", "与户主关系", "证件号码", "性别", "户类型", "联系电话", "行政村",
          "村民小组"]
VILLAGE = "522727100299"


def write_roster(path: Path, households: int, bad_id_in: int | None = None) -> Path:
    """A county-style roster: a head and a spouse per household, valid IDs, except one
    household whose head's ID has a wrong check digit."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n in range(households):
        code = f"{VILLAGE}{n + 1:06d}"
        head_id = idcard.make("522727", date(1960, 1, 1 + n % 28), (2 * n + 1) % 1000)
        spouse_id = idcard.make("522727", date(1962, 2, 1 + n % 28), (2 * n) % 1000)
        if n == bad_id_in:
            head_id = head_id[:-1] + ("1" if head_id[-1] != "1" else "2")
        phone = f"139{n:08d}"
        sheet.append([code, f"王{n}", "户主", head_id, "男", "脱贫户", phone, "测试村", "1组"])
        sheet.append([code, f"李{n}", "配偶", spouse_id, "女", "脱贫户", "", "测试村", "1组"])
    book.save(path)
    return path


@pytest.fixture
def small_roster(tmp_path) -> Path:
    return write_roster(tmp_path / "花名册.xlsx", households=3, bad_id_in=1)


@pytest.fixture
def large_roster(tmp_path) -> Path:
    return write_roster(tmp_path / "large.xlsx", households=3000)


def step(qtbot, dialog: ImportDialog, click, expected: str) -> None:
    with qtbot.waitSignal(dialog.finished_step, timeout=60_000) as signal:
        click()
    assert signal.args == [expected], dialog.job.message.text()


def household_count(store) -> int:
    with store.reading() as conn:
        return queries.household_count(conn)


def test_check_report_and_import_valid_households(qtbot, store, small_roster):
    window = MainWindow(store)
    qtbot.addWidget(window)
    qtbot.waitSignal(window.roster_loaded, timeout=10_000).wait()
    assert window.roster.rowCount() == 0

    dialog = window.open_import()
    qtbot.addWidget(dialog)
    assert not dialog.check_button.isEnabled()
    dialog.set_path(small_roster)
    step(qtbot, dialog, lambda: qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton),
         "planned")
    assert dialog.job.bar.value() == dialog.job.bar.maximum() > 0
    assert household_count(store) == 0  # checking writes nothing

    model = dialog.problems
    lines = [[model.data(model.index(r, c)) for c in range(5)] for r in range(model.rowCount())]
    bad = [line for line in lines if line[2] == f"{VILLAGE}000002"]
    assert bad and bad[0][0] == "4" and bad[0][1] == "证件号码" and "校验位" in bad[0][3]
    assert bad[0][3].startswith("⚠ ") and "此人已导入" in bad[0][3]  # a bad ID drops nobody
    assert dialog.summary.text().startswith(
        "“花名册.xlsx”读到 3 户 6 人：导入 3 户（1 户有提醒）6 人（1 人有提醒），未导入 0 户 0 人；"
        "新建 3 户（6 人）")
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(window.roster_loaded, timeout=10_000):
        step(qtbot, dialog, dialog.import_button.click, "applied")
    assert dialog.job.bar.value() == dialog.job.bar.maximum() > 0
    assert household_count(store) == 3
    assert window.roster.rowCount() == 3
    assert dialog.job.message.text() == (
        "导入完成：新建 3 户（6 人），更新 0 户；未导入 0 户、0 人。")
    assert not dialog.import_button.isEnabled()
    assert dialog.cancel_button.text() == "关闭"


def test_changing_the_target_village_after_checking_asks_for_a_new_check(
        qtbot, store, small_roster):
    """A report is about one file and one target: importing it into another village
    would put households where the cadre did not look."""
    dialog = ImportDialog(Ops(store), [VillageNode("v1", "甲村", "522727100201", 0)])
    qtbot.addWidget(dialog)
    dialog.set_path(small_roster)
    step(qtbot, dialog, dialog.check_button.click, "planned")
    assert dialog.import_button.isEnabled()
    dialog.village_combo.setCurrentIndex(1)
    assert dialog.plan is None and not dialog.import_button.isEnabled()
    assert dialog.problems.rowCount() == 0 and "重新检查" in dialog.job.message.text()


def test_a_file_that_is_not_a_roster_is_explained(qtbot, store, tmp_path):
    text = tmp_path / "notes.csv"
    text.write_text("会议记录,日期\n开会,2024-01-01\n", encoding="utf-8")
    dialog = ImportDialog(Ops(store), [])
    qtbot.addWidget(dialog)
    dialog.set_path(text)
    step(qtbot, dialog, dialog.check_button.click, "failed")
    assert "找不到花名册表头" in dialog.job.message.text()
    assert not dialog.import_button.isEnabled()


def test_cancel_while_checking_and_while_importing(qtbot, store, large_roster):
    dialog = ImportDialog(Ops(store), [])
    qtbot.addWidget(dialog)
    dialog.set_path(large_roster)

    def check_then_cancel() -> None:
        dialog.check_button.click()
        assert dialog.is_busy() and dialog.cancel_button.text() == "取消"
        dialog.cancel_button.click()

    step(qtbot, dialog, check_then_cancel, "cancelled")
    assert dialog.plan is None and "已取消" in dialog.job.message.text()

    step(qtbot, dialog, dialog.check_button.click, "planned")
    assert len(dialog.plan.to_create) == 3000

    def import_then_cancel() -> None:
        dialog.import_button.click()
        dialog.cancel_button.click()

    step(qtbot, dialog, import_then_cancel, "cancelled")
    assert household_count(store) == 0  # one transaction: a cancelled import leaves nothing
    assert dialog.import_button.isEnabled()  # the user may still import after all

    step(qtbot, dialog, dialog.import_button.click, "applied")
    assert household_count(store) == 3000
