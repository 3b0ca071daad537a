"""Find a roster's header and turn its rows into field values.

County exports differ in everything but the content: one or two title rows above the
header, header cells with line breaks or spaces ("证件\\n号码"), synonyms (证件号码,
身份证号, 公民身份号码), extra columns, missing optional ones, a 合计 row at the bottom,
and 户编号/户类型 merged over a household's rows. So the header is the row (among the
first ones) that names the most known columns; each column is known by any of its
synonyms; unknown columns are listed and skipped.

Merged cells: the reader fills ranges the workbook declares. Files that lost their merge
information (CSV saved from a merged sheet, .xls) show the value on a household's first
row only, so a blank 户编号 on a row that is not a 户主 continues the household above,
and blank household-level cells (行政村, 户类型, …) within one 户编号 take the value
from the row above. A blank 户编号 on a 户主 row is left blank and reported.

Cell values are parsed here, once per distinct value for columns whose values repeat
(户类型, 性别, 是/否 …), because a 100,000-person file repeats the same few strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Literal

from fieldvisit.roster import vocab
from fieldvisit.roster.checks import ERROR, WARNING, FieldProblem, Severity, normalise_phone
from fieldvisit.store.fields import CONTROL

Level = Literal["place", "household", "member", "count"]
Parsed = tuple[object, FieldProblem | None]
Parser = Callable[[object], Parsed]

HEADER_SCAN_ROWS = 30
REQUIRED = ("code", "name", "id_number")
SUMMARY_WORDS = ("合计", "总计", "小计")


# ---- cell parsers: raw cell -> (value, problem) -------------------------------------

def _clean(cell: object) -> str:
    """NFKC text without control characters (an Excel export's stray _x000B_), which
    the store refuses in any field (``store.fields``)."""
    return CONTROL.sub("", unicodedata.normalize("NFKC", str(cell))).strip()


def parse_text(cell: object) -> Parsed:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return _clean(cell) or None, None


def parse_name(cell: object) -> Parsed:
    """Names lose the spaces clerks type to align two-character names (张  三)."""
    text = _clean(cell)
    if not any(ch.isascii() and ch.isalpha() for ch in text):
        text = "".join(text.split())
    return text or None, None


def _code_parser(field_name: str, label: str, label_en: str,
                 severity: Severity = ERROR) -> Parser:
    """户编号 / 人编号 / 残疾证号: digits as text; a number too long for Excel has lost
    digits and is refused (a 户编号 rejects the household; a certificate number is
    left empty with a warning)."""

    def parse(cell: object) -> Parsed:
        if isinstance(cell, float):
            if cell.is_integer() and abs(cell) < 2**53:
                return str(int(cell)), None
            return None, FieldProblem(
                field_name,
                f"{label}被 Excel 存成了数字（{cell!r}），后几位已丢失；"
                "请把该列设为“文本”后重新导出",
                f"the {label_en} was stored by Excel as a number ({cell!r}) and lost its last "
                "digits; export the column as text again",
                cell, severity,
            )
        return "".join(_clean(cell).split()) or None, None

    return parse


def parse_raw(cell: object) -> Parsed:
    """ID numbers go to ``idcard.parse`` untouched, so a float is refused there."""
    return cell, None


def parse_phone(cell: object) -> Parsed:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return normalise_phone(cell) or None, None


def parse_int(cell: object) -> Parsed:
    try:
        return int(float(_clean(cell))), None
    except (ValueError, OverflowError):  # "abc", "inf"
        return None, None


_TRUE = frozenset({"是", "√", "✓", "✔", "1", "y", "yes", "true", "参加", "已参加", "有"})
_FALSE = frozenset({"否", "×", "✗", "0", "n", "no", "false", "未参加", "不参加", "无"})


def _bool_parser(field_name: str) -> Parser:
    def parse(cell: object) -> Parsed:
        if isinstance(cell, bool):
            return cell, None
        text = _clean(int(cell) if isinstance(cell, float) and cell.is_integer() else cell)
        if text.lower() in _TRUE:
            return True, None
        if text.lower() in _FALSE:
            return False, None
        return None, FieldProblem(field_name, f"“{text}”不是“是/否”，未导入此项",
                                  f"'{text}' is not yes/no; left empty", cell)

    return parse


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)


def _date_parser(field_name: str) -> Parser:
    def parse(cell: object) -> Parsed:
        if isinstance(cell, datetime):
            return cell.date(), None
        if isinstance(cell, date):
            return cell, None
        if isinstance(cell, float) and 20000 < cell < 80000:  # an Excel serial day number
            return _EXCEL_EPOCH + timedelta(days=int(cell)), None
        text = _clean(int(cell) if isinstance(cell, float) and cell.is_integer() else cell)
        match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
        if match:
            try:
                return date(*map(int, match.groups())), None
            except ValueError:
                pass
        return None, FieldProblem(field_name, f"无法识别日期“{text}”，未导入此项",
                                  f"cannot read the date '{text}'; left empty", cell)

    return parse


def _vocab_parser(field_name: str, label: str, allowed: Sequence[str],
                  aliases: dict[str, str]) -> Parser:
    """Standard spellings pass, known variants are mapped, anything else is kept as written
    and reported, so no information is lost and the cadre sees what to correct."""
    known = set(allowed)

    def parse(cell: object) -> Parsed:
        text = "".join(_clean(cell).split())
        value = text if text in known else aliases.get(text)
        if value is not None:
            return value, None
        return text, FieldProblem(
            field_name, f"{label}“{text}”不是标准选项，按原样保存",
            f"'{text}' is not a standard value of {field_name}; kept as written", cell,
        )

    return parse


_RELATIONS = (*vocab.RELATIONS, *sorted(vocab.MALE_RELATIONS | vocab.FEMALE_RELATIONS))
_RELATION_ALIASES = {
    **{r[1:]: r for r in _RELATIONS if r.startswith("之")},
    "本人": "户主", "户主本人": "户主", "妻": "配偶", "妻子": "配偶", "丈夫": "配偶", "夫": "配偶",
    "爱人": "配偶", "儿子": "之子", "长子": "之子", "次子": "之子", "女儿": "之女", "长女": "之女",
    "次女": "之女", "媳妇": "之儿媳", "父亲": "之父", "母亲": "之母",
}
_SEX_ALIASES = {"男性": "男", "女性": "女"}
_LABOUR_ALIASES = {"无劳动能力": "无劳动力", "丧失劳动能力": "丧失劳动力",
                   "弱劳动力": "弱劳动力或半劳动力", "半劳动力": "弱劳动力或半劳动力"}
_EDUCATION_ALIASES = {"文盲": "文盲或半文盲", "半文盲": "文盲或半文盲"}
_HEALTH_ALIASES = {"残疾人": "残疾", "大病": "患有大病", "慢性病": "长期慢性病"}
def parse_status_word(cell: object) -> Parsed:
    """户类型 / 监测对象类别 as written (spaces dropped): the importer reads it through the
    county's vocabulary (``aliases``), which may change without the file changing."""
    return "".join(_clean(cell).split()) or None, None


_RISK_SUFFIXES = ("致贫返贫", "返贫致贫", "致贫", "返贫")
_RISK_ALIASES = {"因灾": "因自然灾害", "缺劳力": "缺劳动力", "因意外": "因意外事故",
                 "因务工就业不稳定": "因务工就业不稳", "因住房": "因安全住房",
                 "因饮水": "因安全饮水"}


def _risk_name(part: str) -> str:
    for suffix in _RISK_SUFFIXES:
        if part.endswith(suffix) and len(part) > len(suffix):
            part = part[: -len(suffix)]
            break
    return _RISK_ALIASES.get(part, part)


@dataclass(frozen=True, slots=True)
class Risks:
    """风险类型 as stored: up to four "、"-joined, and what 其他 means (``risk_other``)."""

    types: str | None
    other: str | None = None


def parse_risk_types(cell: object) -> Parsed:
    """Up to four risk types from the vocabulary. A name outside it is kept as written,
    as 其他 with the name as its remark, and reported; any beyond the fourth are dropped
    and reported (the problem shows the whole cell)."""
    text = "".join(_clean(cell).split(" "))
    risks: list[str] = []
    unknown: list[str] = []
    for part in vocab.split_risks(text):
        name = _risk_name(part)
        if name in vocab.RISK_TYPES:
            if name not in risks:
                risks.append(name)
        elif part not in unknown:
            unknown.append(part)
    if unknown and "其他" not in risks:
        risks.append("其他")
    problem = None
    if len(risks) > vocab.MAX_RISK_TYPES:
        problem = FieldProblem(
            "risk_types",
            f"风险类型最多 {vocab.MAX_RISK_TYPES} 项，只导入前 {vocab.MAX_RISK_TYPES} 项",
            f"at most {vocab.MAX_RISK_TYPES} risk types; only the first ones were imported",
            cell,
        )
    elif unknown:
        names = "、".join(unknown)
        problem = FieldProblem("risk_types", f"风险类型“{names}”不在标准选项中，按“其他”导入",
                               f"risk type(s) '{names}' not in the list: imported as 其他",
                               cell)
    kept = risks[: vocab.MAX_RISK_TYPES]
    other = "、".join(unknown)[:100] if unknown and "其他" in kept else None
    return Risks(vocab.RISK_SEPARATOR.join(kept) or None, other), problem


# ---- the columns ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Column:
    field: str
    level: Level
    headers: tuple[str, ...]  # the first is the national system's spelling, used on export
    parse: Parser = parse_text
    repeats: bool = True  # few distinct values: parse each once


def _column(field_name: str, level: Level, headers: str, parse: Parser = parse_text,
            repeats: bool = True) -> Column:
    return Column(field_name, level, tuple(headers.split()), _blank_is_none(parse), repeats)


def _blank_is_none(parse: Parser) -> Parser:
    """A cell of spaces is an empty cell, for every column."""

    def parse_unless_blank(cell: object) -> Parsed:
        if isinstance(cell, str) and not cell.strip():
            return None, None
        return parse(cell)

    return parse_unless_blank


COLUMNS: tuple[Column, ...] = (
    _column("county", "place", "县 县(市、区) 县(市区) 县区 县(区) 所属县 县名称"),
    _column("township", "place", "乡(镇) 乡镇 乡(镇、街道) 乡镇(街道) 镇 乡 所属乡镇"),
    _column("village", "place", "行政村 村 村名 所在村 村(社区) 行政村名称 所属村"),
    _column("village_code", "place", "行政村代码 村代码 行政区划代码 统计用区划代码"),
    _column("group", "place", "自然村/村民小组 自然村 村民小组 组 小组 村组 自然组"),
    _column("code", "household", "户编号 户码 户号 家庭编号 户主编号",
            _code_parser("code", "户编号", "household code")),
    _column("person_code", "member", "人编号 人员编号 成员编号 个人编号",
            _code_parser("person_code", "人编号", "person code"), repeats=False),
    _column("name", "member", "姓名 成员姓名 家庭成员姓名 户成员姓名", parse_name,
            repeats=False),
    _column("id_number", "member",
            "证件号码 身份证号 公民身份号码 身份证号码 身份证件号码 证件号 身份证",
            parse_raw, repeats=False),
    _column("size", "count", "人数 家庭人口数 户人数 家庭人数 家庭人口", parse_int),
    _column("relation", "member", "与户主关系 与户主的关系 家庭关系",
            _vocab_parser("relation", "与户主关系", _RELATIONS, _RELATION_ALIASES)),
    _column("sex", "member", "性别", _vocab_parser("sex", "性别", vocab.SEXES, _SEX_ALIASES)),
    _column("ethnicity", "member", "民族"),
    _column("education", "member", "文化程度 学历",
            _vocab_parser("education", "文化程度", vocab.EDUCATION, _EDUCATION_ALIASES)),
    _column("schooling", "member", "在校生状况 在校生情况 在校情况 就学状况",
            _vocab_parser("schooling", "在校生状况", vocab.SCHOOLING, {})),
    _column("health", "member", "健康状况 健康状态",
            _vocab_parser("health", "健康状况", vocab.HEALTH, _HEALTH_ALIASES)),
    _column("disability_cert", "member", "残疾证号 残疾证号码",
            _code_parser("disability_cert", "残疾证号", "disability certificate number",
                         WARNING),
            repeats=False),
    _column("labour_skill", "member", "劳动技能 劳动能力",
            _vocab_parser("labour_skill", "劳动技能", vocab.LABOUR_SKILLS, _LABOUR_ALIASES)),
    _column("employment", "member", "务工状况 务工时间 务工情况 就业情况 务工时间(月)"),
    _column("resident_insurance", "member",
            "是否参加城乡居民基本医疗保险 城乡居民基本医疗保险 参加城乡居民基本医疗保险 "
            "是否参加城乡居民医保 城乡居民医保", _bool_parser("resident_insurance")),
    _column("employee_insurance", "member",
            "是否参加城镇职工基本医疗保险 城镇职工基本医疗保险 是否参加城镇职工医保 城镇职工医保",
            _bool_parser("employee_insurance")),
    _column("serious_illness_insurance", "member", "是否参加大病保险 大病保险 参加大病保险",
            _bool_parser("serious_illness_insurance")),
    _column("hh_type", "household", "户类型 户类型/监测对象类别 农户类型 户属性",
            parse_status_word),
    _column("monitor_category", "household", "监测对象类别 监测对象类型 监测类型 监测户类型",
            parse_status_word),
    _column("monitored", "household", "是否监测对象 是否为监测对象 是否纳入监测 是否监测户",
            _bool_parser("monitored")),
    _column("risk_types", "household",
            "风险类型 致贫返贫风险类型 主要风险类型 返贫致贫风险 监测风险类型", parse_risk_types),
    _column("risk_other", "household", "其他风险说明 其他风险 风险类型其他说明 其他风险类型"),
    _column("poverty_cause", "household", "致贫原因 主要致贫原因 致贫原因类型"),
    # One column for both: a monitored household's risks, else a 脱贫户's cause (importer).
    _column("risk_or_cause", "household", "风险类型/致贫原因 致贫原因/风险类型 风险类型(致贫原因)"),
    _column("risk_eliminated", "household", "风险是否消除 是否风险消除 是否已消除风险",
            _bool_parser("risk_eliminated")),
    _column("identified_on", "household", "识别时间 纳入监测时间 识别日期 纳入时间",
            _date_parser("identified_on")),
    _column("risk_eliminated_on", "household", "风险消除时间 消除风险时间",
            _date_parser("risk_eliminated_on")),
    _column("phone", "member", "联系电话 手机号 手机号码 电话 联系方式 电话号码", parse_phone,
            repeats=False),
    _column("address", "household", "家庭住址 住址 地址 详细地址"),
    _column("helper_name", "household", "帮扶责任人 帮扶人 帮扶责任人姓名"),
    _column("helper_unit", "household", "帮扶单位 帮扶责任人单位 帮扶责任人工作单位 帮扶人单位"),
    _column("helper_phone", "household",
            "帮扶责任人联系电话 帮扶人电话 帮扶责任人电话 帮扶人联系电话", parse_phone),
)


def header_key(text: object) -> str:
    """Header text as compared: full-width folded, no spaces or line breaks, no * marks."""
    folded = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"[\s*※:：]", "", folded).lower()


def _build_synonyms() -> dict[str, Column]:
    table: dict[str, Column] = {}
    for column in COLUMNS:
        for header in column.headers:
            table.setdefault(header_key(header), column)
    return table


SYNONYMS = _build_synonyms()
_BRACKETS = re.compile(r"\([^)]*\)")


def match_header(text: object) -> Column | None:
    """The column a header names: whole text, then without bracketed notes, then any
    part of "a/b" or "a、b" (自然村/村民小组)."""
    key = header_key(text)
    if not key:
        return None
    for candidate in (key, _BRACKETS.sub("", key)):
        if candidate in SYNONYMS:
            return SYNONYMS[candidate]
    for part in re.split(r"[/、]", _BRACKETS.sub("", key)):
        if part in SYNONYMS:
            return SYNONYMS[part]
    return None


# ---- records ----------------------------------------------------------------------

@dataclass(slots=True)
class Record:
    """One person's row: ``values`` by field (None = blank), problems parsing cells."""

    row: int
    values: dict[str, object]
    problems: list[FieldProblem]
    code_from_above: bool = False  # a blank 户编号 continued the household above


@dataclass(slots=True)
class Records:
    """A sheet's person rows, and the length of the longest text each field's column
    holds: a field no value can be too long for need not be fitted person by person."""

    rows: list[Record]
    longest: dict[str, int]


@dataclass(slots=True)
class Layout:
    """Where a sheet's header is and which column holds which field."""

    header_row: int  # 1-based, as Excel numbers it
    columns: list[tuple[int, Column, str]]  # (0-based index, column, header as written)
    ignored: list[str] = field(default_factory=list)

    def header(self, field_name: str) -> str | None:
        return next((text for _, c, text in self.columns if c.field == field_name), None)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(c.field for _, c, _ in self.columns)

    def records(self, rows: list[list[object]],
                checkpoint: Callable[[], None] = lambda: None) -> Records:
        """Person rows below the header; a blank 户编号 continues the household above
        unless the row is a 户主 (see the module docstring).

        Cells are parsed column by column: a county file has 100,000 rows but each
        column only a few distinct values (户类型, 性别, 是/否 …), so each distinct value is
        parsed once and mapped onto the column at C speed. ``checkpoint`` runs between
        columns, so a cancel (it raises) takes effect within a fraction of a second.

        ``rows`` is consumed (emptied): the sheet's rows, with the cells of columns no
        field reads, are the larger part of an import's memory at 100,000 persons, and
        the raw cells of the fields read are let go as soon as their column is parsed,
        the 户编号's kept until blanks have been filled from above.
        """
        width = max(i for i, _, _ in self.columns) + 1
        cells_of = itemgetter(*(i for i, _, _ in self.columns))
        positions = {c.field: n for n, (_, c, _) in enumerate(self.columns)}
        code_at, name_at, id_at = (positions[f] for f in REQUIRED)
        numbers: list[int] = []
        table: list[tuple[object, ...]] = []
        for number in range(self.header_row + 1, len(rows) + 1):
            row = rows[number - 1]
            if len(row) < width:
                row = [*row, *([""] * (width - len(row)))]
            cells = cells_of(row)
            if _not_a_person(cells[name_at], cells[id_at]) or _is_summary(
                    row[0], cells[code_at], cells[name_at]):
                continue
            numbers.append(number)
            table.append(cells)
        rows.clear()
        if not table:
            return Records([], {})
        problems: dict[int, list[FieldProblem]] = defaultdict(list)
        parsed_columns = []
        longest: dict[str, int] = {}
        by_column = list(zip(*table, strict=True))
        del table
        code_cells = by_column[code_at]
        for n, (_, column, _) in enumerate(self.columns):
            checkpoint()
            values, found, longest[column.field] = _parse_column(column, by_column[n])
            by_column[n] = ()
            parsed_columns.append(values)
            for index, problem in found:
                problems[index].append(problem)
        checkpoint()
        names = [c.field for _, c, _ in self.columns]
        rows_values = zip(*parsed_columns, strict=True)
        records = [Record(number, dict(zip(names, values, strict=True)), problems.get(i, []))
                   for i, (number, values) in enumerate(zip(numbers, rows_values, strict=True))]
        del parsed_columns, rows_values
        previous_code: object = None
        for record, code_cell in zip(records, code_cells, strict=True):
            fields = record.values
            if _blank(code_cell) and fields.get("relation") != vocab.HEAD:
                fields["code"] = previous_code
                record.code_from_above = previous_code is not None
            previous_code = fields["code"]
        return Records(records, longest)


def _parse_column(
    column: Column, cells: Sequence[object]
) -> tuple[list[object], list[tuple[int, FieldProblem]], int]:
    """Values of one column, the problems found by row index, the longest text's length."""
    if column.repeats:
        parsed = {cell: (None, None) if cell == "" or cell is None else column.parse(cell)
                  for cell in set(cells)}
        value_of = {cell: value for cell, (value, _) in parsed.items()}
        bad = {cell: problem for cell, (_, problem) in parsed.items() if problem is not None}
        values = list(map(value_of.__getitem__, cells))
        found = [(i, bad[cell]) for i, cell in enumerate(cells) if cell in bad] if bad else []
        return values, found, _longest(value_of.values())
    each = [(None, None) if cell == "" or cell is None else column.parse(cell) for cell in cells]
    values = [value for value, _ in each]
    return (values, [(i, problem) for i, (_, problem) in enumerate(each) if problem is not None],
            _longest(values))


def _longest(values: Iterable[object]) -> int:
    return max((len(value) for value in values if isinstance(value, str)), default=0)


def _blank(cell: object) -> bool:
    return cell is None or cell == "" or (isinstance(cell, str) and not cell.strip())


def _not_a_person(name: object, id_number: object) -> bool:
    """No name and no ID, or small numbers in both: the row of column numbers some
    templates put under the header (numbers in a workbook, digit text in a CSV)."""
    if _blank(name) and _blank(id_number):
        return True
    return _column_number(name) and _column_number(id_number)


def _column_number(cell: object) -> bool:
    if isinstance(cell, int | float):
        return True
    return isinstance(cell, str) and cell.strip().isdigit() and len(cell.strip()) <= 3


def _is_summary(first: object, code: object, name: object) -> bool:
    """A 合计/总计 row: the word stands in the first column, the 户编号 or the 姓名 cell."""
    for cell in (first, code, name):
        if type(cell) is str and cell.lstrip().startswith(SUMMARY_WORDS):
            return True
    return False


def find_layout(rows: list[list[object]]) -> tuple[Layout | None, list[str]]:
    """The header among the first rows: the one naming the most known columns.

    A header cell that is blank takes the text above it (a header two rows tall with
    merged cells). Returns (None, the required columns that row lacks, as
    ``missing_columns`` words them) when no row qualifies.
    """
    best: Layout | None = None
    for index in range(min(HEADER_SCAN_ROWS, len(rows))):
        above = rows[index - 1] if index else []
        layout = _layout_of(index + 1, rows[index], above)
        if best is None or len(layout.columns) > len(best.columns):
            best = layout
    missing = missing_columns(best.fields if best is not None else frozenset())
    if best is None or missing:
        return None, missing
    return best, []


def missing_columns(found: frozenset[str]) -> list[str]:
    """The required columns not among ``found``, each with two other spellings, so that
    a cadre whose file calls the column differently sees what to rename."""
    words = []
    for name in REQUIRED:
        if name not in found:
            first, *others = COLUMNS_BY_FIELD[name].headers
            words.append(f"{first}（或 {'、'.join(others[:2])}）" if others else first)
    return words


def _layout_of(number: int, row: list[object], above: list[object]) -> Layout:
    columns: list[tuple[int, Column, str]] = []
    seen: set[str] = set()
    ignored: list[str] = []
    for i, cell in enumerate(row):
        text = cell if not _blank(cell) else (above[i] if i < len(above) else "")
        if _blank(text):
            continue
        shown = " ".join(str(text).split())
        column = match_header(text)
        if column is None or column.field in seen:
            ignored.append(shown)
            continue
        seen.add(column.field)
        columns.append((i, column, shown))
    return Layout(number, columns, ignored)


COLUMNS_BY_FIELD = {c.field: c for c in COLUMNS}
