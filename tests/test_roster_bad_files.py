"""Files that arrive as rosters but are not usable ones, and rosters in unusual containers.

A file that cannot be used gives one message in Chinese and English naming it, the same
in the core, on the command line (exit 2, stderr, no traceback) and in the import
dialog, and nothing is written. A real roster as .xls, as UTF-16 or BOM'd CSV, or above
50,000 formatted empty rows imports whole. Every file is made here.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest
import rosterfiles as rf
import xlwt
from conftest import DEMO_DAY
from openpyxl import Workbook
from sqlalchemy import select

from fieldvisit import cli
from fieldvisit.qt.import_dialog import ImportDialog
from fieldvisit.qt.ops import Ops
from fieldvisit.roster import queries
from fieldvisit.roster.importer import RosterFileError, apply_import, plan_import
from fieldvisit.roster.reader import MAX_FILE_BYTES
from fieldvisit.store import Store
from fieldvisit.store.models import Member
from tests.vaults import laptop

# ---- the bad files ----------------------------------------------------------------


def sales_sheet(folder: Path) -> Path:
    path = folder / "销售统计.xlsx"
    book = Workbook()
    book.active.append(["月份", "产品", "销量", "金额"])
    book.active.append(["1月", "核桃", 120, 3600.0])
    book.create_sheet("汇总").append(["合计", 3600.0])
    book.save(path)
    return path


def encrypted(folder: Path, name: str = "花名册.xlsx") -> Path:
    """What Excel writes for 文件 → 信息 → 用密码进行加密 (agile encryption)."""
    plain = rf.write_small_xlsx(folder / "plain.xlsx")
    path = folder / name
    with plain.open("rb") as source, path.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt("123456", out)
    return path


def encrypted_named_xls(folder: Path) -> Path:
    return encrypted(folder, "花名册.xls")


def excel97_with_password(folder: Path) -> Path:
    """An Excel 97 .xls with a password: a FILEPASS record (RC4, its salt and hashes
    left zero) right after the workbook stream's BOF, written by xlwt's own CFB writer."""
    from xlwt import CompoundDoc

    book = xlwt.Workbook()
    book.add_sheet("花名册").write(0, 0, "户编号")
    stream = book.get_biff_data()
    bof_end = 4 + int.from_bytes(stream[2:4], "little")
    filepass = struct.pack("<HHHHH", 0x002F, 54, 1, 1, 1) + bytes(48)
    path = folder / "花名册.xls"
    CompoundDoc.XlsDoc().save(str(path), stream[:bof_end] + filepass + stream[bof_end:])
    return path


def huge(folder: Path) -> Path:
    """200 MB without writing them: a sparse file."""
    path = folder / "备份.xlsx"
    with path.open("wb") as handle:
        handle.truncate(200 * 2**20)
    return path


def truncated_xls(folder: Path) -> Path:
    whole = rf.write_small_xls(folder / "whole.xls").read_bytes()
    path = folder / "花名册.xls"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def empty(folder: Path) -> Path:
    path = folder / "花名册.xlsx"
    path.write_bytes(b"")
    return path


def pdf_named_xlsx(folder: Path) -> Path:
    path = folder / "花名册.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 8 >>\nstream\n"
                     b"\x78\x9c\x03\x00\x00\x00\x00\x01\nendstream\nendobj\n%%EOF\n")
    return path


def zip_of_photos_named_xlsx(folder: Path) -> Path:
    path = folder / "花名册.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("照片/王德明.jpg", b"\xff\xd8\xff\xe0" + bytes(64))
    return path


def utf16_cut_short(folder: Path) -> Path:
    """A UTF-16 CSV missing its last byte (a copy that stopped short)."""
    path = rf.write_small_csv(folder / "花名册.csv", "utf-16-le")
    path.write_bytes(path.read_bytes()[:-1])
    return path


def unclosed_quote(folder: Path) -> Path:
    path = folder / "花名册.csv"
    path.write_text('户编号,姓名,证件号码\n"001,王一,' + "备注" * 70_000 + "\n", encoding="utf-8")
    return path


def stray_cell_far_out(folder: Path) -> Path:
    """A roster with one stray cell at XFD1048576: read as it is, the dense sheet would
    need half a terabyte and end the process (in Rust, past any handler)."""
    book = Workbook()
    book.active.title = "Sheet1"
    for row in rf.small_roster_rows():
        book.active.append(row)
    book.active["XFD1048576"] = "x"
    path = folder / "花名册.xlsx"
    book.save(path)
    return path


def folder_itself(folder: Path) -> Path:
    path = folder / "花名册.xlsx"
    path.mkdir()
    return path


# builder, reason, words the Chinese message must hold, words the English one must hold
BAD_FILES: list[tuple[Callable[[Path], Path], str, tuple[str, ...], tuple[str, ...]]] = [
    (sales_sheet, "no-header",
     ("找不到花名册表头", "缺少列", "户编号", "姓名", "证件号码（或 身份证号"),
     ("no roster header", "missing columns", "户编号")),
    (encrypted, "password", ("文件有密码保护：请在 Excel 中去掉密码后另存为 .xlsx",),
     ("password-protected",)),
    (encrypted_named_xls, "password", ("文件有密码保护",), ("password-protected",)),
    (excel97_with_password, "password", ("文件有密码保护",), ("password-protected",)),
    (huge, "too-large", ("200 MB", f"{MAX_FILE_BYTES // 2**20} MB"), ("200 MB", "100 MB")),
    (truncated_xls, "damaged", ("不是完好的 Excel 表格", "另存为 .xlsx"), ("not a sound Excel",)),
    (empty, "empty", ("空文件",), ("empty",)),
    (pdf_named_xlsx, "not-a-spreadsheet", ("不是表格文件",), ("not a spreadsheet",)),
    (zip_of_photos_named_xlsx, "damaged", ("不是完好的 Excel 表格",), ("not a sound Excel",)),
    (utf16_cut_short, "encoding", ("文字编码",), ("text encoding",)),
    (unclosed_quote, "bad-csv", ("第 2 行", "引号"), ("line 2",)),
    (stray_cell_far_out, "sheet-too-large", ("Sheet1", "A1:XFD1048576", "删除多余的行列"),
     ("A1:XFD1048576", "Delete the extra rows")),
    (folder_itself, "unreadable", ("无法打开文件", "文件夹"), ("cannot open the file", "folder")),
]
CASES = pytest.mark.parametrize("build,reason,zh,en", BAD_FILES,
                                ids=[build.__name__ for build, *_ in BAD_FILES])


def household_count(store: Store) -> int:
    with store.reading() as conn:
        return queries.household_count(conn)


@CASES
def test_a_bad_file_is_refused_with_one_message_naming_it(store, tmp_path, build, reason,
                                                          zh, en):
    path = build(tmp_path)
    with pytest.raises(RosterFileError) as caught:
        plan_import(path, store, today=DEMO_DAY)
    error = caught.value
    assert error.reason == reason, error.message
    assert path.name in error.zh and path.name in error.en
    assert all(word in error.zh for word in zh), error.zh
    assert all(word in error.en for word in en), error.en
    # English but for the file's name (and a missing column's)
    assert error.en.replace(path.name, "").isascii() or reason == "no-header"
    assert household_count(store) == 0


@CASES
def test_the_command_line_says_it_on_stderr_and_exits_2(tmp_path, capsys, build, reason,
                                                        zh, en):
    path, data = build(tmp_path), tmp_path / "data"
    assert cli.main(["--data-dir", str(data), "roster", "import", str(path)]) == 2
    told = capsys.readouterr()
    assert told.out == ""
    first, second = told.err.strip().split("\n")
    assert all(word in first for word in zh) and all(word in second for word in en)
    assert household_count(laptop(data)) == 0


def test_the_command_line_shows_no_traceback(tmp_path):
    """The same in a real process, for one case: stderr holds the two sentences only."""
    done = subprocess.run(
        [sys.executable, "-m", "fieldvisit", "--data-dir", str(tmp_path / "data"), "roster",
         "import", str(encrypted(tmp_path))],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 2
    assert done.stderr.strip().split("\n") == [
        "“花名册.xlsx”文件有密码保护：请在 Excel 中去掉密码后另存为 .xlsx",
        "'花名册.xlsx' is password-protected: remove the password in Excel and save it "
        "again as .xlsx"]


@CASES
def test_the_import_dialog_shows_the_message(qtbot, store, tmp_path, build, reason, zh, en):
    path = build(tmp_path)
    dialog = ImportDialog(Ops(store), [])
    qtbot.addWidget(dialog)
    dialog.set_path(path)
    with qtbot.waitSignal(dialog.finished_step, timeout=30_000) as signal:
        dialog.check_button.click()
    shown = dialog.job.message.text()
    assert signal.args == ["failed"], shown
    assert path.name in shown and all(word in shown for word in zh), shown
    assert "Traceback" not in shown and "出错了" not in shown
    assert not dialog.import_button.isEnabled()
    assert household_count(store) == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="running as root: every file is readable, so no permission "
                           "error can be made")
def test_a_file_without_read_permission_is_refused(store, tmp_path):
    path = rf.write_small_xlsx(tmp_path / "花名册.xlsx")
    path.chmod(0)
    with pytest.raises(RosterFileError) as caught:
        plan_import(path, store, today=DEMO_DAY)
    assert caught.value.reason == "unreadable" and "权限" in caught.value.zh


# ---- real rosters in unusual containers ------------------------------------------


def imported_names(store: Store, path: Path) -> list[str]:
    plan = plan_import(path, store, today=DEMO_DAY)
    assert plan.problems == [], plan.report_lines()
    apply_import(store, plan)
    with store.reading() as conn:
        return sorted(conn.execute(select(Member.name)).scalars())


ROSTERS: dict[str, Callable[[Path], Path]] = {
    "xls (Excel 97, BIFF8)": lambda folder: rf.write_small_xls(folder / "花名册.xls"),
    "xls renamed .xlsx": lambda folder: rf.write_small_xls(folder / "花名册.xlsx"),
    "xlsx renamed .xls": lambda folder: rf.write_small_xlsx(folder / "花名册.xls"),
    "csv utf-8 with BOM": lambda folder: rf.write_small_csv(folder / "a.csv", "utf-8-sig"),
    "csv utf-16 LE with BOM": lambda folder: rf.write_small_csv(folder / "a.csv", "utf-16-le"),
    "csv utf-16 BE with BOM": lambda folder: rf.write_small_csv(folder / "a.txt", "utf-16-be"),
}


@pytest.mark.parametrize("build", ROSTERS.values(), ids=ROSTERS.keys())
def test_a_roster_in_any_container_imports_with_names_intact(store, tmp_path, build):
    assert imported_names(store, build(tmp_path)) == sorted(rf.RARE_NAMES)
    assert household_count(store) == 2


def test_fifty_thousand_formatted_empty_rows_are_skipped_quickly(store, tmp_path):
    path = rf.write_small_xlsx(tmp_path / "花名册.xlsx", formatted_rows=50_000)
    started = time.perf_counter()
    names = imported_names(store, path)
    assert time.perf_counter() - started < 3
    assert names == sorted(rf.RARE_NAMES)
