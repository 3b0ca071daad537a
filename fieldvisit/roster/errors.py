"""Why a roster import stopped as a whole (problems with single rows are ``Problem``s)."""

from __future__ import annotations

from pathlib import Path

from fieldvisit.errors import FieldVisitError


class ImportCancelled(Exception):
    """The user cancelled; nothing was written (a choice, not a failure to report)."""


class RosterFileError(FieldVisitError):
    """The file cannot be used at all. ``zh`` and ``en`` both name the file, because the
    user may have picked the wrong one, and say what to do in words a cadre uses, never a
    library's message; ``reason`` tells the cases apart (tests)."""

    def __init__(self, zh: str, en: str, *, reason: str = "unusable") -> None:
        super().__init__(zh, en)
        self.reason = reason

    @classmethod
    def unreadable(cls, path: Path, error: OSError) -> RosterFileError:
        if isinstance(error, FileNotFoundError):
            why = "文件不存在（是否已被移走或改名？）", "it does not exist (moved or renamed?)"
        elif isinstance(error, PermissionError):
            why = ("没有读取它的权限；请把它复制到自己的文件夹后再选",
                   "no permission to read it; copy it into one of your own folders first")
        elif isinstance(error, IsADirectoryError):
            why = ("这是一个文件夹，请选择其中的花名册文件",
                   "it is a folder; choose the roster in it")
        else:
            said = error.strerror or str(error)
            why = f"系统报告“{said}”", f"the system says '{said}'"
        return cls(f"无法打开文件“{path.name}”：{why[0]}",
                   f"cannot open the file '{path.name}': {why[1]}", reason="unreadable")

    @classmethod
    def empty(cls, path: Path) -> RosterFileError:
        return cls(f"“{path.name}”是空文件（0 字节），里面没有花名册；可能没有复制完整，请重新复制",
                   f"'{path.name}' is empty (0 bytes) and holds no roster; it may not have been "
                   "copied completely, copy it again", reason="empty")

    @classmethod
    def too_large(cls, path: Path, size: int, limit: int) -> RosterFileError:
        mb, limit_mb = size // 2**20, limit // 2**20
        return cls(f"“{path.name}”有 {mb} MB，超过花名册文件的上限 {limit_mb} MB，没有读取；"
                   "请确认选对了文件，整县的名单请按乡镇或村分开导出",
                   f"'{path.name}' is {mb} MB, over the {limit_mb} MB limit for a roster file, "
                   "and was not read; check that it is the right file, and export a whole "
                   "county by township or village", reason="too-large")

    @classmethod
    def sheet_too_large(cls, path: Path, sheet: str, ref: str, rows: int,
                        columns: int) -> RosterFileError:
        return cls(f"“{path.name}”的工作表“{sheet}”范围是 {ref}（{rows:,} 行 × {columns:,} 列），"
                   "远大于花名册：表格远处有多余的内容或格式。请在 Excel 中删除多余的行列（或把"
                   "花名册复制到新工作表）后另存，再导入；没有读取任何数据",
                   f"sheet '{sheet}' of '{path.name}' spans {ref} ({rows:,} rows x {columns:,} "
                   "columns), far more than a roster: something lies far out in the sheet. "
                   "Delete the extra rows and columns in Excel (or copy the roster to a new "
                   "sheet), save and import again; nothing was read", reason="sheet-too-large")

    @classmethod
    def password(cls, path: Path) -> RosterFileError:
        return cls(f"“{path.name}”文件有密码保护：请在 Excel 中去掉密码后另存为 .xlsx",
                   f"'{path.name}' is password-protected: remove the password in Excel and "
                   "save it again as .xlsx", reason="password")

    @classmethod
    def damaged(cls, path: Path) -> RosterFileError:
        return cls(f"无法读取“{path.name}”：它不是完好的 Excel 表格（可能已损坏、没有复制完整，"
                   "或是别的文件改了扩展名）；请用 Excel 打开确认后另存为 .xlsx",
                   f"cannot read '{path.name}': it is not a sound Excel workbook (damaged, "
                   "copied incompletely, or another kind of file renamed); open it in Excel "
                   "and save it again as .xlsx", reason="damaged")

    @classmethod
    def unknown_format(cls, path: Path) -> RosterFileError:
        return cls(f"“{path.name}”不是表格文件；请选择 .xlsx、.xls 或 .csv 文件",
                   f"'{path.name}' is not a spreadsheet; choose an .xlsx, .xls or .csv file",
                   reason="not-a-spreadsheet")

    @classmethod
    def encoding(cls, path: Path) -> RosterFileError:
        return cls(f"无法识别“{path.name}”的文字编码；请用 Excel 另存为“CSV UTF-8”或 .xlsx",
                   f"cannot tell the text encoding of '{path.name}'; save it again as "
                   "'CSV UTF-8' or .xlsx", reason="encoding")

    @classmethod
    def bad_csv(cls, path: Path, line: int) -> RosterFileError:
        return cls(f"“{path.name}”第 {line} 行无法按 CSV 读取（引号不成对，或一格的文字过长）；"
                   "请用 Excel 打开确认后另存为 .xlsx",
                   f"line {line} of '{path.name}' cannot be read as CSV (unbalanced quotes, "
                   "or a cell far too long); open it in Excel and save it again as .xlsx",
                   reason="bad-csv")

    @classmethod
    def no_header(cls, path: Path, missing: list[str]) -> RosterFileError:
        """``missing``: the required columns, each with its other spellings, as
        ``layout.missing_columns`` words them."""
        names = "、".join(missing)
        names_en = "; ".join(missing)
        return cls(f"在“{path.name}”中找不到花名册表头（缺少列：{names}）；"
                   "每个工作表的前几十行中都没有这些列，请确认选对了文件，或在表头补上这些列",
                   f"no roster header found in '{path.name}' (missing columns: {names_en}); "
                   "no sheet has them in its first rows: check that it is the right file, "
                   "or add these columns to its header", reason="no-header")
