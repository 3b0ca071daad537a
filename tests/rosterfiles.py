"""Messy county roster files, built the way real ones arrive.

One sheet content, written as .xlsx (title rows, merged cells) or as CSV in a given
encoding (merged cells lose their values below the first row, as when Excel saves CSV;
the ID that Excel stored as a number appears as "5.22727E+17").
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from fieldvisit import demo, idcard

TODAY = date(2026, 11, 1)
AREA = "522727"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _id(birth: date, sequence: int) -> str:
    return idcard.make(AREA, birth, sequence)


def _with_check_x(birth: date) -> str:
    """A male's ID whose check character is X (typed as a lower-case x in the file)."""
    return next(n for s in range(1, 999, 2) if (n := _id(birth, s)).endswith("X"))


HEAD_1 = _id(date(1970, 3, 15), 11)
SPOUSE_1 = _id(date(1972, 5, 20), 22)
CHILD_1 = _with_check_x(date(2016, 4, 10))
LEGACY_15 = "522727560612013"  # 1956-06-12, male
FLOAT_ID = float(_id(date(1958, 2, 2), 24))  # Excel turned it into a number
GOOD_FOR_BAD = _id(date(1980, 1, 1), 31)
BAD_CHECK = GOOD_FOR_BAD[:17] + ("0" if GOOD_FOR_BAD[17] != "0" else "1")
DUPLICATE = _id(date(2000, 6, 6), 41)
SEX_MISMATCH = _id(date(1968, 1, 20), 51)  # male, typed 女
CHILD_12 = _id(date(2014, 2, 1), 62)

CODE = "5227271002020000"  # + two digits: 户编号

HEADER = ["序 号", "户编号", "姓  名", "与户主\n关系", "公民身份号码", "性别", "在校生\n状况",
          "户类型/监测\n对象类别", "联系\n电话", "行政村", "村民小组", "备注", "风险类型"]
TITLE_ROWS = [["平塘县平舟镇新寨村防返贫监测对象家庭成员花名册"],
              ["填报单位：新寨村村民委员会        填报日期：2026年10月"]]


def person_rows(float_id: object = FLOAT_ID) -> list[list[object]]:
    """Data rows (sheet rows 4–19), then a 合计 row and a footer (rows 20 and 22)."""
    spaced = f"{HEAD_1[:6]} {HEAD_1[6:14]} {HEAD_1[14:]}"
    rows: list[list[object]] = [
        [1, CODE + "01", "王德明", "户主", spaced, "男", "", "监测户（脱贫不稳定户）",
         "13812345678", "新寨村", "1组", "", "因病致贫"],
        [2, "", "李秀兰", "配偶", SPOUSE_1.translate(FULL_WIDTH), "女", "", "", "", "", "1组",
         "", ""],
        [3, "", "王小明", "之子", CHILD_1.lower(), "男", "初中", "", "", "", "1组", "", ""],
        [4, CODE + "02", "张建国", "户主", _id(date(1956, 6, 12), 15), "男", "", "脱贫户",
         "1381234567", "新寨村", "2组", "", ""],
        [5, CODE + "02", "刘芳", "配偶", float_id, "女", "", "脱贫户", "", "新寨村", "2组", "", ""],
        [6, CODE + "03", "陈伟", "户主", BAD_CHECK, "男", "", "一般户", "13912345678", "新寨村",
         "2组", "", ""],
        [7, CODE + "03", "陈丽", "之女", _id(date(2005, 3, 3), 32), "女", "非在校生", "一般户", "",
         "新寨村", "2组", "", ""],
        [8, CODE + "04", "赵强", "户主", _id(date(1975, 4, 4), 33), "男", "", "一般户",
         "13712345678", "新寨村", "3组", "", ""],
        [9, CODE + "04", "赵军", "之子", DUPLICATE, "男", "", "一般户", "", "新寨村", "3组", "",
         ""],
        [10, CODE + "05", "孙丽", "配偶", _id(date(1978, 5, 5), 44), "女", "", "一般户",
         "13612345678", "新寨村", "3组", "", ""],
        [11, CODE + "05", "孙小军", "之子", DUPLICATE, "男", "", "一般户", "", "新寨村", "3组", "",
         ""],
        [12, CODE + "06", "周一", "户主", _id(date(1960, 6, 1), 55), "男", "", "一般户",
         "13512345678", "新寨村", "4组", "", ""],
        [13, CODE + "06", "周二", "户主", _id(date(1962, 6, 2), 57), "男", "", "一般户", "",
         "新寨村", "4组", "", ""],
        [14, CODE + "07", "吴刚", "户主", SEX_MISMATCH, "女", "", "脱贫户", "15012345678",
         "新寨村", "4组", "已核实", ""],
        [15, CODE + "07", "吴小梅", "之女", CHILD_12, "女", "非在校生", "脱贫户", "", "新寨村",
         "4组", "", ""],
        [16, CODE + "08", "郑一", "户主", LEGACY_15, "男", "", "非脱贫户",
         "15112345678", "新寨村", "5组", "", ""],
        ["合计", "", "16人", "", "", "", "", "", "", "", "", "", ""],
        [],
        ["制表人：张三    审核人：李四"],
    ]
    return rows


# Ranges merged in the workbook (1-based, as Excel names them).
MERGES = ["A1:M1", "A2:M2", "B4:B6", "H4:H6", "J4:J6"]


def write_xlsx(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    for row in [*TITLE_ROWS, HEADER, *person_rows()]:
        sheet.append(row)
    for cells in MERGES:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def write_csv(path: Path, encoding: str) -> Path:
    """The same sheet saved as CSV: merged values only in their first row; the ID that
    Excel held as a number is written the way Excel shows it."""
    rows = [*TITLE_ROWS, HEADER, *person_rows(float_id="5.22727E+17")]
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


# ---- a clean county export ----------------------------------------------------------

EXPORT_HEADER = ["户编号", "姓名", "与户主关系", "证件号码", "性别", "在校生状况", "健康状况",
                 "户类型", "联系电话", "行政村", "村民小组"]
EXPORT_VILLAGES = ("平里河村", "六硐村", "新华村")
EXPORT_HOUSEHOLDS = 150
KNOWN_NAME = ("黄丽凤", "huanglifeng", "hlf")  # the first head, with its search keys


def county_export_rows(households: int = EXPORT_HOUSEHOLDS) -> list[list[str]]:
    """A clean export from the national system, as the county hands it out: the header in
    the first row, one row per person, 户编号 on every row, IDs and phones as text, three
    villages. The families are the demo generator's (valid IDs whose birth dates and sex
    agree with relations and, on TODAY, with schooling), so the file has nothing to
    report; they are synthetic, no real person's data."""
    edits = demo.demo_edits(households, seed=5, today=TODAY)
    groups = {e.id: e.fields["name"] for e in edits if e.entity == "village_group"}
    homes = [e for e in edits if e.entity == "household"]
    village_of = {h.id: EXPORT_VILLAGES[n * len(EXPORT_VILLAGES) // len(homes)]
                  for n, h in enumerate(homes)}
    by_id = {h.id: h.fields for h in homes}
    rows = []
    for edit in edits:
        if edit.entity != "member":
            continue
        person, home = edit.fields, by_id[edit.fields["household_id"]]
        rows.append([home["code"], person["name"], person["relation"], person["id_number"],
                     person["sex"], person["schooling"] or "", person["health"],
                     home["hh_type"], person["phone"] or "",
                     village_of[person["household_id"]], groups[home["group_id"]]])
    rows[0][1] = KNOWN_NAME[0]
    return rows


def write_county_export(path: Path, households: int = EXPORT_HOUSEHOLDS) -> Path:
    """The clean export as .xlsx, every cell a text cell (an ID as a number would be
    a defect the messy workbook covers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花户名册"
    for row in [EXPORT_HEADER, *county_export_rows(households)]:
        sheet.append(row)
    workbook.save(path)
    return path


# ---- a small roster in every container a county uses ---------------------------------

SMALL_HEADER = ["户编号", "姓名", "证件号码", "与户主关系", "行政村"]
# Names with characters outside GBK and the Basic Multilingual Plane (生僻字), which a
# wrong decoding or a UTF-16 surrogate pair handled badly would mangle.
RARE_NAMES = ("刘䶮", "王𠀾", "张喆")


def small_roster_rows() -> list[list[str]]:
    """The header and two households (three persons) with rare-character names; a file
    of these rows has nothing to report."""
    code = CODE + "01"
    return [
        SMALL_HEADER,
        [code, RARE_NAMES[0], _id(date(1970, 3, 3), 11), "户主", "新寨村"],
        [code, RARE_NAMES[1], _id(date(1972, 3, 3), 12), "配偶", "新寨村"],
        [CODE + "02", RARE_NAMES[2], _id(date(1980, 3, 3), 13), "户主", "新寨村"],
    ]


def write_small_csv(path: Path, encoding: str) -> Path:
    """As Excel saves CSV: UTF-8 with a BOM ("CSV UTF-8"), or "Unicode text", which is
    tab-separated UTF-16 with a BOM (``encoding`` utf-16-le / utf-16-be: the BOM is
    written here, in that byte order)."""
    delimiter = "\t" if encoding.startswith("utf-16") else ","
    text = "\r\n".join(delimiter.join(row) for row in small_roster_rows()) + "\r\n"
    bom = "" if encoding == "utf-8-sig" else "\ufeff"
    path.write_bytes((bom + text).encode(encoding))
    return path


def write_small_xls(path: Path) -> Path:
    """The small roster as Excel 97–2003 (BIFF8) writes it, with xlwt."""
    import xlwt  # a dev dependency only these files need

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    for r, row in enumerate(small_roster_rows()):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_small_xlsx(path: Path, formatted_rows: int = 0) -> Path:
    """The small roster as .xlsx; ``formatted_rows`` empty rows below it carry a fill, as
    when a clerk formats whole columns, which makes the sheet's dimension that tall."""
    from openpyxl.styles import PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    rows = small_roster_rows()
    for row in rows:
        sheet.append(row)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for r in range(len(rows) + 1, len(rows) + 1 + formatted_rows):
        sheet.cell(r, 2).fill = fill
    workbook.save(path)
    return path


# ---- households with defects a cadre can fix, and rows that cannot be stored ----------

DEFECTS_HEADER = ["户编号", "姓名", "证件号码", "与户主关系", "户类型", "行政村"]
HEADLESS, TWO_HEADS, CLEAN, UNKNOWN_WORD = (CODE + n for n in ("11", "12", "13", "14"))


def defect_rows() -> list[list[object]]:
    """Sheet rows 2–10 under the header: a household with no 户主 (rows 2–3), one with
    two (4–5), a clean one (6–7) holding a row whose ID is another's of the file (7), a
    row with neither 户编号 nor ID (8), one whose 户类型 is a word no vocabulary knows (9),
    and a row with no 户编号 but an ID (10)."""
    shared = _id(date(1990, 7, 7), 71)
    return [
        DEFECTS_HEADER,
        [HEADLESS, "杨一", _id(date(1960, 1, 1), 11), "配偶", "一般户", "新寨村"],
        [HEADLESS, "杨二", shared, "之子", "一般户", "新寨村"],
        [TWO_HEADS, "马一", _id(date(1961, 1, 1), 13), "户主", "脱贫户", "新寨村"],
        [TWO_HEADS, "马二", _id(date(1962, 1, 1), 15), "户主", "脱贫户", "新寨村"],
        [CLEAN, "罗一", _id(date(1963, 1, 1), 17), "户主", "一般户", "新寨村"],
        [CLEAN, "罗二", shared, "之子", "一般户", "新寨村"],
        ["", "无名氏", "", "户主", "一般户", "新寨村"],  # a 户主: not continuing the row above
        [UNKNOWN_WORD, "秦一", _id(date(1964, 1, 1), 19), "户主", "某某户", "新寨村"],
        ["", "韦一", _id(date(1965, 1, 1), 21), "户主", "一般户", "新寨村"],
    ]


def write_defects_xlsx(path: Path) -> Path:
    workbook = Workbook()
    for row in defect_rows():
        workbook.active.append(row)
    workbook.save(path)
    return path
