"""Why a roster import stopped as a whole (problems with single rows are ``Problem``s)."""

from __future__ import annotations

from pathlib import Path

from fieldvisit.errors import FieldVisitError


class ImportCancelled(Exception):
    """The user cancelled; nothing was written (a choice, not a failure to report)."""


class RosterFileError(FieldVisitError):
    """The file cannot be used at all. ``zh`` and ``en`` both name the file, because the
    user may have picked the wrong one."""

    @classmethod
    def unreadable(cls, path: Path, detail: str) -> RosterFileError:
        return cls(f"无法打开文件“{path.name}”：{detail}",
                   f"cannot open the file '{path.name}': {detail}")

    @classmethod
    def unknown_format(cls, path: Path) -> RosterFileError:
        return cls(f"“{path.name}”不是表格文件；请选择 .xlsx、.xls 或 .csv 文件",
                   f"'{path.name}' is not a spreadsheet; choose an .xlsx, .xls or .csv file")

    @classmethod
    def encoding(cls, path: Path) -> RosterFileError:
        return cls(f"无法识别“{path.name}”的文字编码；请用 Excel 另存为“CSV UTF-8”或 .xlsx",
                   f"cannot tell the text encoding of '{path.name}'; save it again as "
                   "'CSV UTF-8' or .xlsx")

    @classmethod
    def no_header(cls, path: Path, missing: list[str]) -> RosterFileError:
        names = "、".join(missing)
        return cls(f"在“{path.name}”中找不到花名册表头（缺少列：{names}）",
                   f"no roster header found in '{path.name}' (missing columns: {names})")
