"""The checklist expression language: grammar, types, null logic, templates and safety.

Expressions will reach devices inside county bundles, so besides the language itself these
tests feed hostile and random text to the parser and assert that the only thing that can ever
come back is a node or an ExprError, quickly.
"""

from __future__ import annotations

import functools
import re
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldvisit.checklist import expr
from fieldvisit.checklist.expr import (
    Binary,
    Call,
    ExprError,
    Literal,
    Name,
    Unary,
    check,
    compile_text,
    evaluate,
    format_value,
    is_true,
    parse,
    references,
    render,
    settings_used,
    unparse,
)

TODAY = date(2024, 6, 1)
SETTINGS = {"water_litres_short": 20, "income_line": 7300, "county": "三都县"}
SETTING_TYPES = {"water_litres_short": "number", "income_line": "number", "county": "text"}
ENV = {
    "water_litres": 18,
    "income.per_capita_net": 8100.5,
    "name": "王芳",
    "birth_date": date(2012, 3, 4),
    "in_school": True,
    "hazards": ["flood", "drought"],
    "amounts": [1, 2.5, 3],
    "missing": None,
}
TYPES = {
    "water_litres": "number",
    "income.per_capita_net": "number",
    "name": "text",
    "birth_date": "date",
    "in_school": "bool",
    "hazards": "list",
    "amounts": "list",
    "missing": "any",
}


def run(text: str, env: dict[str, object] | None = None) -> object:
    return evaluate(parse(text), ENV if env is None else env, SETTINGS, today=TODAY)


# --- parsing ---------------------------------------------------------------------------------


def test_parse_builds_small_nodes_with_usual_precedence() -> None:
    assert parse("1 + 2 * 3") == Binary("+", Literal(1), Binary("*", Literal(2), Literal(3)))
    assert parse("(1 + 2) * 3") == Binary("*", Binary("+", Literal(1), Literal(2)), Literal(3))
    assert parse("a or b and not c == 1") == Binary(
        "or", Name("a"), Binary("and", Name("b"), Unary("not", Binary("==", Name("c"), Literal(1))))
    )
    assert parse("-x * 2") == Binary("*", Unary("-", Name("x")), Literal(2))
    assert parse("10 - 4 - 3") == Binary("-", Binary("-", Literal(10), Literal(4)), Literal(3))
    assert parse("a + 1 < b * 2") == Binary(
        "<", Binary("+", Name("a"), Literal(1)), Binary("*", Name("b"), Literal(2))
    )
    assert parse("'x' in hazards") == Binary("in", Literal("x"), Name("hazards"))


def test_parse_literals_names_and_calls() -> None:
    assert parse("12") == Literal(12)
    assert parse("3.5") == Literal(3.5)
    assert parse("'饮水'") == Literal("饮水")
    assert parse('"it\'s"') == Literal("it's")
    assert parse("true") == Literal(True)
    assert parse("null") == Literal(None)
    assert parse("income.per_capita_net") == Name("income.per_capita_net")
    assert parse("round(x, 2)") == Call("round", (Name("x"), Literal(2)))
    assert parse("today()") == Call("today", ())
    assert parse(" \n\t1\r\n") == Literal(1)


def test_positions_are_kept_but_spacing_does_not_change_equality() -> None:
    node = parse("a  +  b")
    assert isinstance(node, Binary) and node.pos == 3 and node.right.pos == 6
    assert parse("a+b") == node


def test_references_and_settings_used() -> None:
    node = parse("x + income.net > setting('income_line') and selected(h, 'a') or x == null")
    assert references(node) == {"x", "income.net", "h"}
    assert settings_used(node) == {"income_line"}


@pytest.mark.parametrize(
    ("text", "zh", "en", "position"),
    [
        ("(1 + 2", "第 7 个字符处缺少右括号", "missing ')' at character 7", 6),
        ("round(1, 2", "缺少右括号", "missing ')'", 10),
        ("1 +", "表达式不完整", "ends too early", 3),
        ("1 + 2)", "多了一个右括号", "unexpected ')'", 5),
        ("", "表达式是空的", "empty", 0),
        ("'abc", "缺少结束的引号", "missing closing quote", 0),
        ("1.", "小数点后缺少数字", "missing digits", 2),
        ("a.b.c", "点号", "unexpected '.'", 3),
        ("a. b", "点号后缺少名称", "missing a name after '.'", 2),
        ("1 < 2 < 3", "比较不能连写", "cannot be chained", 6),
        ("x @ 1", "不认识的字符“@”", "unexpected character '@'", 2),
        ("x\x00", "U+0000", "U+0000", 1),
        ("foo(1)", "没有叫 foo 的函数", "unknown function 'foo'", 0),
        ("round(1)", "函数 round 需要 2 个参数", "round takes 2 arguments", 0),
        ("abs(1, 2)", "函数 abs 需要 1 个参数", "abs takes 1 argument", 0),
        ("today(1)", "函数 today 需要 0 个参数", "today takes 0 arguments", 0),
        ("coalesce()", "至少需要 1 个参数", "takes at least 1 argument", 0),
        ("setting(x)", "必须是引号里的文字", "must be quoted text", 8),
        ("date('2024-13-01')", "日期“2024-13-01”不对", "bad date", 5),
        ("date('20240501')", "YYYY-MM-DD", "YYYY-MM-DD", 5),
        ("1234567890123456", "数字太长", "number too long", 0),
    ],
)
def test_syntax_errors_say_what_and_where(text: str, zh: str, en: str, position: int) -> None:
    with pytest.raises(ExprError) as info:
        parse(text)
    error = info.value
    assert zh in error.zh
    assert en in error.en
    assert error.position == position
    assert error.expression == text
    assert str(error) == f"{error.zh} / {error.en}"


def test_limits() -> None:
    with pytest.raises(ExprError, match="最多 2000 个字符"):
        parse("1" + " " * 2000)
    with pytest.raises(ExprError, match="超过 500 个记号"):
        parse("1+" * 250 + "1")
    longest = parse("1+" * 249 + "1")
    started = time.perf_counter()
    assert check(longest, {}, {}) == "number"
    assert evaluate(longest, {}, {}) == 250
    assert unparse(parse(unparse(longest))) == unparse(longest)
    assert time.perf_counter() - started < 0.1
    with pytest.raises(ExprError, match="嵌套太深"):
        parse("(" * 41 + "1" + ")" * 41)
    assert parse("(" * 40 + "1" + ")" * 40) == Literal(1)
    with pytest.raises(ExprError, match="嵌套太深"):
        parse("not " * 41 + "true")
    with pytest.raises(ExprError, match="嵌套太深"):
        parse("-" * 41 + "1")


# --- evaluation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("7 / 2", 3.5),
        ("-water_litres + 20", 2),
        ("--3", 3),
        ("water_litres < setting('water_litres_short')", True),
        ("water_litres >= 18 and water_litres <= 18", True),
        ("water_litres > 18 or water_litres != 18", False),
        ("water_litres == 18.0", True),
        ("name == '王芳'", True),
        ("'a' < 'b'", True),
        ("name + '家'", "王芳家"),
        ("setting('county') + '水务局'", "三都县水务局"),
        ("income.per_capita_net > setting('income_line')", True),
        ("'flood' in hazards", True),
        ("'fire' in hazards", False),
        ("not in_school", False),
        ("not (1 > 2)", True),
        ("birth_date < date('2012-03-05')", True),
        ("date('2024-05-01') == date('2024-05-01')", True),
        ("if(in_school, 'yes', 'no')", "yes"),
        ("if(missing == 1, 'yes', 'no')", "no"),
        ("coalesce(missing, water_litres, 5)", 18),
        ("min(3, 1.5, 2)", 1.5),
        ("max(3, 1.5, 2)", 3),
        ("max(birth_date, date('2000-01-01'))", date(2012, 3, 4)),
        ("sum(amounts)", 6.5),
        ("count(hazards)", 2),
        ("round(2.5, 0)", 3),
        ("round(-2.5, 0)", -3),
        ("round(2.675, 2)", 2.68),
        ("round(1234, -2)", 1200),
        ("abs(-4.5)", 4.5),
        ("len('饮水安全')", 4),
        ("len(hazards)", 2),
        ("selected(hazards, 'drought')", True),
        ("selected(hazards, 'fire')", False),
        ("today()", TODAY),
        ("years_between(birth_date, today())", 12),
        ("years_between(date('2012-06-02'), today())", 11),
        ("years_between(date('2012-06-01'), today())", 12),
        ("years_between(today(), birth_date)", -12),
        ("years_between(date('2000-02-29'), date('2001-02-28'))", 0),
        ("days_between(date('2024-05-01'), today())", 31),
    ],
)
def test_evaluate(text: str, expected: object) -> None:
    value = run(text)
    assert value == expected
    assert type(value) is type(expected)


def test_round_to_whole_number_gives_an_int() -> None:
    assert run("round(7.0, 0)") == 7 and isinstance(run("round(7.0, 0)"), int)
    assert isinstance(run("round(7.25, 1)"), float)


def test_dotted_name_is_one_key_not_attribute_access() -> None:
    assert run("income.per_capita_net", {"income.per_capita_net": 5}) == 5
    assert run("income.per_capita_net", {"income": {"per_capita_net": 5}}) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("missing + 1", None),
        ("1 - missing", None),
        ("missing * 0", None),
        ("-missing", None),
        ("missing / 2", None),
        ("1 / 0", None),
        ("0 / 0.0", None),
        ("missing > 1", None),
        ("missing == 1", None),
        ("missing != 1", None),
        ("missing == null", True),
        ("missing != null", False),
        ("null == missing", True),
        ("water_litres == null", False),
        ("water_litres != null", True),
        ("not missing", None),
        ("true and missing", None),
        ("false and missing", False),
        ("missing and false", False),
        ("true or missing", True),
        ("missing or true", True),
        ("false or missing", None),
        ("missing in hazards", None),
        ("'x' in missing", None),
        ("name + missing", None),
        ("round(missing, 1)", None),
        ("abs(missing)", None),
        ("min(1, missing)", None),
        ("sum(missing)", None),
        ("count(missing)", None),
        ("len(missing)", None),
        ("selected(missing, 'a')", None),
        ("years_between(missing, today())", None),
        ("days_between(today(), missing)", None),
        ("coalesce(missing, null)", None),
        ("if(missing, 1, 2)", 2),
        ("not_in_env", None),
    ],
)
def test_null_is_three_valued(text: str, expected: object) -> None:
    assert run(text) is expected or run(text) == expected
    assert type(run(text)) is type(expected)


def test_is_true_counts_null_as_not_met() -> None:
    assert is_true(True)
    assert not is_true(False)
    assert not is_true(None)
    assert not is_true(1)
    assert not is_true("true")


def test_runtime_type_errors_are_expr_errors() -> None:
    with pytest.raises(ExprError, match="不能比较文字和数字"):
        run("x < 1", {"x": "12"})
    with pytest.raises(ExprError, match="需要数字"):
        run("x + 1", {"x": True})
    with pytest.raises(ExprError, match="需要真假值"):
        run("x and true", {"x": 1})
    with pytest.raises(ExprError, match="不支持的值"):
        run("x * 2", {"x": object()})
    with pytest.raises(ExprError, match="数字超出范围"):
        run("999999999999999 * 999999999999999")
    with pytest.raises(ExprError, match="数字超出范围"):
        run("x + 1", {"x": float("inf")})
    with pytest.raises(ExprError, match="round 的位数"):
        run("round(1, 0.5)")
    with pytest.raises(ExprError, match="未知的设置"):
        evaluate(parse("setting('nope')"), {}, {})


# --- type checking ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("water_litres * 2", "number"),
        ("name + '家'", "text"),
        ("missing + 1", "number"),
        ("missing + 'a'", "text"),
        ("missing == 'a' and in_school", "bool"),
        ("setting('county')", "text"),
        ("if(in_school, 1, null)", "number"),
        ("coalesce(missing, name)", "text"),
        ("max(birth_date, today())", "date"),
        ("years_between(birth_date, today())", "number"),
        ("selected(hazards, 'flood')", "bool"),
        ("'flood' in hazards", "bool"),
        ("null", "any"),
        ("missing", "any"),
    ],
)
def test_check_gives_the_type(text: str, expected: str) -> None:
    assert check(parse(text), TYPES, SETTING_TYPES) == expected


@pytest.mark.parametrize(
    ("text", "zh", "en", "position"),
    [
        (
            "water_litrs + 1",
            "第 1 个字符处有未知的题目或变量“water_litrs”",
            "unknown question or variable 'water_litrs'",
            0,
        ),
        ("1 + setting('nope')", "未知的设置“nope”", "unknown setting 'nope'", 12),
        ("name < 1", "第 6 个字符处不能比较文字和数字", "cannot compare text with a number", 5),
        ("birth_date == 1", "不能比较日期和数字", "cannot compare a date with a number", 11),
        ("in_school < true", "真假值不能比大小", "cannot be ordered", 10),
        ("hazards > hazards", "多选答案不能比大小", "cannot be ordered", 8),
        ("not water_litres", "not 需要真假值，这里是数字", "'not' needs a true/false value", 4),
        ("-name", "负号需要数字，这里是文字", "needs a number, got text", 1),
        ("water_litres and true", "and 需要真假值", "'and' needs a true/false", 0),
        ("name + 1", "文字只能和文字相连", "text can only be joined to text", 5),
        ("name * 2", "需要数字", "'*' needs a number", 0),
        ("hazards in hazards", "in 左边需要", "left of 'in'", 0),
        ("'a' in name", "in 右边需要多选答案", "right of 'in' needs a list", 7),
        ("if(1, 2, 3)", "if 的条件需要真假值", "the condition of if", 3),
        ("if(in_school, 1, 'a')", "数字和文字不能混用", "mixes a number with text", 0),
        ("coalesce(1, name)", "不能混用", "coalesce mixes", 12),
        ("min(name, 'b')", "函数 min 需要数字或日期", "min needs numbers or dates", 0),
        ("sum(water_litres)", "函数 sum 需要多选答案", "sum needs a list", 4),
        ("round(name, 0)", "函数 round 需要数字", "round needs a number", 6),
        ("len(water_litres)", "需要文字或多选答案", "needs text or a list", 4),
        ("selected(name, 'a')", "selected 的第一个参数", "selected's first argument", 9),
        ("years_between(name, today())", "需要日期", "needs a date", 14),
    ],
)
def test_check_errors_say_what_and_where(text: str, zh: str, en: str, position: int) -> None:
    with pytest.raises(ExprError) as info:
        check(parse(text), TYPES, SETTING_TYPES)
    assert zh in info.value.zh
    assert en in info.value.en
    assert info.value.position == position
    assert info.value.expression == text


# --- templates -------------------------------------------------------------------------------


def test_render_fills_placeholders() -> None:
    text = "每人每天 {water_litres} 升，低于 {setting('water_litres_short')} 升"
    assert render(text, ENV, SETTINGS) == "每人每天 18 升，低于 20 升"
    assert render("{{原样}} {1 + 1}}}", ENV, SETTINGS) == "{原样} 2}"
    assert render("人均 {income.per_capita_net} 元", ENV, SETTINGS) == "人均 8100.5 元"
    assert render("{'}'}", ENV, SETTINGS) == "}"
    assert render("没有占位符", ENV, SETTINGS) == "没有占位符"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (12.0, "12"),
        (12, "12"),
        (1234.5, "1234.5"),
        (1234.567, "1234.57"),
        (0.125, "0.13"),
        (-2.0, "-2"),
        (1 / 3, "0.33"),
        (True, "是"),
        (False, "否"),
        (None, "（未填）"),
        (date(2024, 5, 1), "2024-05-01"),
        (["饮水", "住房"], "饮水、住房"),
        ("文字", "文字"),
    ],
)
def test_format_value(value: object, shown: str) -> None:
    assert format_value(value) == shown


def test_compile_text_parses_once() -> None:
    parts = compile_text("a{x}b{{c}}{y + 1}")
    assert parts == ["a", Name("x"), "b{c}", Binary("+", Name("y"), Literal(1))]


@pytest.mark.parametrize(
    ("template", "zh", "position"),
    [
        ("水 {water_litres 升", "占位符缺少“}”", 2),
        ("水 } 升", "多了一个“}”", 2),
        ("水 {} 升", "表达式是空的", 3),
        ("水 {a {b}} 升", "占位符里不能再有“{”", 5),
        ("每人每天 {water_litres +} 升", "第 21 个字符处表达式不完整", 20),
        ("每人 {round(x)} 升", "函数 round 需要 2 个参数", 4),
    ],
)
def test_bad_placeholder_says_where(template: str, zh: str, position: int) -> None:
    with pytest.raises(ExprError) as info:
        compile_text(template)
    assert zh in info.value.zh
    assert info.value.position == position
    assert info.value.expression == template


# --- safety ----------------------------------------------------------------------------------

MALICIOUS = [
    "__import__('os').system('touch {canary}')",
    "().__class__.__bases__[0].__subclasses__()",
    "open('{canary}', 'w').write('pwned')",
    'exec(\'open("{canary}", "w")\')',
    "eval('1')",
    "compile('1', 'x', 'eval')",
    "getattr(x, '__class__')",
    "lambda: open('{canary}', 'w')",
    "[x for x in y]",
    "a.b.c",
    "x.__class__.__name__",
    "x[0]",
    "x; open('{canary}', 'w')",
    "1 if 2 else 3",
    'f\'{{open("{canary}", "w")}}\'',
    "'\\' or __import__('os').system('touch {canary}') or '",
    "\"\\\" + open('{canary}', 'w') + \\\"\"",
    "'a' \\\n + open('{canary}')",
    "x == 1 # open('{canary}')",
    "x = 1",
    "x := 1",
    "1 ** 10000000",
    "'a' * 10000000",
    "{'a': 1}",
    "`id`",
    "1e308 * 1e308",
    "0x10",
    "x if y",
    "True",
    "setting(__import__('os'))",
    "round(1, 2)(3)",
    "1" * 100_000,
    "(" * 10_000 + "1" + ")" * 10_000,
    "1+" * 10_000 + "1",
    "not " * 10_000 + "true",
    "-" * 10_000 + "1",
    "f(" * 10_000,
    "'" + "a" * 100_000,
]


@pytest.mark.parametrize("template", MALICIOUS, ids=range(len(MALICIOUS)))
def test_malicious_input_is_rejected_quickly_and_runs_nothing(
    template: str, tmp_path: Path
) -> None:
    canary = tmp_path / "pwned"
    text = template.replace("{canary}", str(canary))
    started = time.perf_counter()
    with pytest.raises(ExprError):
        node = parse(text)
        check(node, {"x": "any", "y": "any", "a.b": "any"}, {})
        evaluate(node, {"x": 1, "y": [1]}, {})
    assert time.perf_counter() - started < 0.1
    assert not canary.exists()


def test_the_module_never_hands_text_to_python() -> None:
    source = Path(expr.__file__).read_text(encoding="utf-8")
    forbidden = r"\b(eval|exec|compile|getattr|setattr|__import__|literal_eval)\(|import ast\b"
    assert re.search(forbidden, source) is None


# --- fuzzing ---------------------------------------------------------------------------------

LANGUAGE_BITS = st.sampled_from(
    [
        *"()+-*/<>=!,.'\" \\{}[]:;",
        *["0", "12", "3.5", "a", "x_1", "income.net", "and", "or", "not", "in", "null"],
        *["true", "false", "round", "setting", "date", "if", "'2024-05-01'"],
    ]
)


@given(st.one_of(st.text(), st.lists(LANGUAGE_BITS, max_size=40).map("".join)))
@settings(max_examples=400)
def test_fuzz_any_text_gives_a_node_or_an_expr_error(text: str) -> None:
    try:
        node = parse(text)
    except ExprError as error:
        assert error.expression == text
        assert error.position is None or 0 <= error.position <= len(text)
        return
    assert isinstance(node, expr.Node)


@given(st.text())
def test_fuzz_any_template_compiles_or_raises_expr_error(template: str) -> None:
    try:
        compile_text(template)
    except ExprError as error:
        assert error.expression == template


# Well-formed expressions from the grammar, over names of every type.
FUZZ_TYPES: dict[str, expr.Type] = {
    "n": "number",
    "m": "number",
    "form.total": "number",
    "t": "text",
    "b": "bool",
    "d": "date",
    "opts": "list",
    "u": "any",
}
FUZZ_SETTING_TYPES: dict[str, expr.Type] = {"line": "number", "label": "text"}

NUMBERS = st.one_of(
    st.integers(-1_000_000, 1_000_000),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 2)),
)
PLAIN_TEXT = st.text(st.characters(blacklist_characters="'\"\\", codec="utf-8"), max_size=6)
DATES = st.dates(date(1900, 1, 1), date(2100, 12, 31))
VALUE_BY_TYPE = {
    "number": NUMBERS,
    "text": PLAIN_TEXT,
    "bool": st.booleans(),
    "date": DATES,
    "list": st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3),
}
ANY_VALUE = st.one_of(*VALUE_BY_TYPE.values())

LEAVES = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(0, 10**6, places=2, allow_nan=False).map(str),
    PLAIN_TEXT.map(lambda s: f"'{s}'"),
    st.sampled_from(["true", "false", "null", "today()", "date('2024-05-01')"]),
    st.sampled_from(["setting('line')", "setting('label')"]),
    st.sampled_from(sorted(FUZZ_TYPES)),
)
BINARY_OPS = ["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "/"]
FUNCTIONS = {
    "if": 3,
    "coalesce": 2,
    "min": 2,
    "max": 3,
    "sum": 1,
    "count": 1,
    "round": 2,
    "abs": 1,
    "len": 1,
    "selected": 2,
    "years_between": 2,
    "days_between": 2,
}


def _operand(part: tuple[str, bool]) -> str:
    """A generated part as an operand: bracketed unless it is atomic (a leaf or a call)."""
    text, atomic = part
    return text if atomic else f"({text})"


def _extend(inner: st.SearchStrategy[tuple[str, bool]]) -> st.SearchStrategy[tuple[str, bool]]:
    binary = st.tuples(inner, st.sampled_from(BINARY_OPS), inner).map(
        lambda t: (f"{_operand(t[0])} {t[1]} {_operand(t[2])}", False)
    )
    call = st.sampled_from(sorted(FUNCTIONS)).flatmap(
        lambda f: st.lists(inner, min_size=FUNCTIONS[f], max_size=FUNCTIONS[f]).map(
            lambda args: (f"{f}({', '.join(text for text, _ in args)})", True)
        )
    )
    return st.one_of(
        binary,
        inner.map(lambda part: (f"not {_operand(part)}", False)),
        inner.map(lambda part: (f"-{_operand(part)}", False)),
        call,
    )


EXPRESSIONS = st.recursive(LEAVES.map(lambda text: (text, True)), _extend, max_leaves=12).map(
    lambda part: part[0]
)


@st.composite
def environments(draw: st.DrawFn) -> dict[str, object]:
    env: dict[str, object] = {}
    for name, type_ in FUZZ_TYPES.items():
        values = ANY_VALUE if type_ == "any" else VALUE_BY_TYPE[type_]
        env[name] = draw(st.none() | values)
    return env


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, date):
        return "date"
    return "list"


def _parse_or_limit(text: str) -> expr.Node | None:
    """Grammar output always parses, unless random nesting went past the limits."""
    try:
        return parse(text)
    except ExprError as error:
        assert "at most" in error.en or "more than" in error.en, error
        return None


@given(EXPRESSIONS, environments())
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_grammar_expressions_evaluate_or_raise_expr_error(
    text: str, env: dict[str, object]
) -> None:
    node = _parse_or_limit(text)
    if node is None:
        return
    try:
        checked = check(node, FUZZ_TYPES, FUZZ_SETTING_TYPES)
    except ExprError:
        checked = None
    try:
        value = evaluate(node, env, {"line": 7300, "label": "标签"}, today=TODAY)
    except ExprError:
        return
    format_value(value)
    # Without "any" names, an expression that checks gives a value of the type it checked as.
    if checked not in (None, "any") and value is not None and "u" not in references(node):
        assert _kind_of(value) == checked, (text, value)


def _paren(text: str) -> str:
    return f"({text})"


TYPED_LEAVES: dict[str, st.SearchStrategy[str]] = {
    "number": st.one_of(
        st.integers(0, 10**6).map(str),
        st.decimals(0, 10**6, places=2, allow_nan=False).map(str),
        st.sampled_from(["n", "m", "form.total", "setting('line')", "null"]),
    ),
    "text": st.one_of(
        PLAIN_TEXT.map(lambda s: f"'{s}'"), st.sampled_from(["t", "setting('label')"])
    ),
    "bool": st.sampled_from(["true", "false", "b", "null"]),
    "date": st.sampled_from(["today()", "date('2024-05-01')", "d"]),
    "list": st.just("opts"),
}


def _fmt(pattern: str, *types: str, depth: int) -> st.SearchStrategy[str]:
    """Fill ``pattern``'s {} slots with expressions of ``types``, one level shallower."""
    return st.tuples(*(typed(t, depth - 1) for t in types)).map(
        lambda parts: pattern.format(*parts)
    )


@functools.cache
def typed(type_: str, depth: int) -> st.SearchStrategy[str]:
    """Well-typed expressions of ``type_`` (no "any" names), nested up to ``depth``."""
    if depth == 0:
        return TYPED_LEAVES[type_]
    d = depth
    composites = {
        "number": [
            st.sampled_from("+-*/").flatmap(
                lambda op: _fmt("{} " + op + " {}", "number", "number", depth=d)
            ),
            _fmt("-{}", "number", depth=d),
            _fmt("round({}, 2)", "number", depth=d),
            _fmt("abs({})", "number", depth=d),
            _fmt("len({})", "text", depth=d),
            _fmt("count({})", "list", depth=d),
            _fmt("years_between({}, {})", "date", "date", depth=d),
            _fmt("days_between({}, {})", "date", "date", depth=d),
            _fmt("min({}, {})", "number", "number", depth=d),
            _fmt("if({}, {}, {})", "bool", "number", "number", depth=d),
            _fmt("coalesce({}, {})", "number", "number", depth=d),
        ],
        "text": [
            _fmt("{} + {}", "text", "text", depth=d),
            _fmt("if({}, {}, {})", "bool", "text", "text", depth=d),
            _fmt("coalesce({}, {})", "text", "text", depth=d),
        ],
        "bool": [
            st.sampled_from(["and", "or"]).flatmap(
                lambda op: _fmt("{} " + op + " {}", "bool", "bool", depth=d)
            ),
            _fmt("not {}", "bool", depth=d),
            st.sampled_from(["==", "!=", "<", "<=", ">", ">="]).flatmap(
                lambda op: st.sampled_from(["number", "text", "date"]).flatmap(
                    lambda t: _fmt("{} " + op + " {}", t, t, depth=d)
                )
            ),
            _fmt("{} == {}", "bool", "bool", depth=d),
            _fmt("{} in {}", "text", "list", depth=d),
            _fmt("selected({}, {})", "list", "text", depth=d),
            _fmt("{} == null", "number", depth=d),
        ],
        "date": [
            _fmt("max({}, {})", "date", "date", depth=d),
            _fmt("if({}, {}, {})", "bool", "date", "date", depth=d),
        ],
        "list": [],
    }[type_]
    return st.one_of(TYPED_LEAVES[type_], *(c.map(_paren) for c in composites))


@given(
    st.sampled_from(["number", "text", "bool", "date"]).flatmap(
        lambda t: st.tuples(st.just(t), typed(t, 3))
    ),
    environments(),
)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_well_typed_expressions_check_and_evaluate(
    typed_text: tuple[str, str], env: dict[str, object]
) -> None:
    type_, text = typed_text
    node = parse(text)
    assert check(node, FUZZ_TYPES, FUZZ_SETTING_TYPES) in (type_, "any")
    try:
        value = evaluate(node, env, {"line": 7300, "label": "标签"}, today=TODAY)
    except ExprError as error:
        assert "out of range" in error.en, (text, error)
        return
    assert value is None or _kind_of(value) == type_, (text, value)
    assert isinstance(
        render("{" + text + "}", env, {"line": 7300, "label": "标签"}, today=TODAY), str
    )


@given(EXPRESSIONS)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_fuzz_unparse_round_trips(text: str) -> None:
    node = _parse_or_limit(text)
    if node is None:
        return
    canonical = unparse(node)
    assert parse(canonical) == node
    assert unparse(parse(canonical)) == canonical
