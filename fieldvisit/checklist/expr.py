"""The safe expression language of checklists.

Forms say when a question applies, what an answer must satisfy, what is computed and when a
finding is raised, all as short expressions such as
``water_litres < setting('water_litres_short')``. Forms will arrive from the county inside
bundles, so every expression is untrusted text: it is read by a hand-written tokenizer and
recursive-descent parser into small frozen nodes, checked against the types of the questions,
and evaluated by walking the nodes. Nothing here hands text to Python (no eval/exec/compile,
no attribute access, no indexing); the only functions are the fixed table below, and the size
limits keep hostile input cheap to reject.

Unanswered questions are ``null`` and follow three-valued logic, as in SQL: arithmetic and
comparisons with null give null, ``false and null`` is false, ``true or null`` is true, and a
condition that comes out null counts as not met (:func:`is_true`).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeGuard
from typing import Literal as TypingLiteral

from fieldvisit.errors import FieldVisitError

Type = TypingLiteral["bool", "number", "text", "date", "list", "any"]

MAX_LENGTH = 2_000
MAX_DEPTH = 40
MAX_TOKENS = 500
MAX_NUMBER_DIGITS = 15  # beyond this a float no longer holds the number exactly
MAX_MAGNITUDE = 1e15  # results beyond this are a mistake in the form, not a household fact
_ROUND_DIGITS = range(-6, 11)

__all__ = [
    "BLANK",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_MAGNITUDE",
    "MAX_TOKENS",
    "Binary",
    "Call",
    "ExprError",
    "Literal",
    "Name",
    "Node",
    "Type",
    "Unary",
    "check",
    "compile_text",
    "evaluate",
    "fill",
    "format_value",
    "is_true",
    "parse",
    "references",
    "render",
    "settings_used",
    "unparse",
]


class ExprError(FieldVisitError):
    """A bad expression, and why, in ``zh`` and ``en``.

    ``position`` is the 0-based character offset in ``expression`` (None when the problem is
    not at one place); the messages themselves count characters from 1, as people do.
    """

    def __init__(
        self, zh: str, en: str, position: int | None = None, expression: str = ""
    ) -> None:
        super().__init__(zh, en)
        self.position = position
        self.expression = expression


def _error(zh: str, en: str, position: int | None, expression: str) -> ExprError:
    """Build an ExprError whose messages say where the problem is."""
    if position is None:
        return ExprError(zh, en, None, expression)
    n = position + 1
    return ExprError(f"第 {n} 个字符处{zh}", f"{en} at character {n}", position, expression)


# ---------------------------------------------------------------------------------------------
# Nodes. Positions and source text are kept for error messages but are not part of equality,
# so the same expression written with different spacing gives equal nodes.


@dataclass(frozen=True, slots=True)
class Node:
    pos: int = field(default=0, compare=False, kw_only=True)
    src: str = field(default="", compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: bool | int | float | str | None


@dataclass(frozen=True, slots=True)
class Name(Node):
    name: str  # "water_litres" or, qualified with one dot, "income.per_capita_net"


@dataclass(frozen=True, slots=True)
class Unary(Node):
    op: str  # "not" or "-"
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str  # or and == != < <= > >= in + - * /
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


# ---------------------------------------------------------------------------------------------
# Tokenizer


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "num", "str", "name", "op", "end"; keywords are "op" tokens
    text: str
    pos: int
    value: int | float | str | None = None  # the number or text a literal stands for


_KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})
_TWO_CHAR_OPS = frozenset({"==", "!=", "<=", ">="})
_ONE_CHAR_OPS = frozenset("<>+-*/(),")
_SPACE = frozenset(" \t\r\n")
_DIGITS = frozenset("0123456789")
_IDENT_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENT = _IDENT_START | _DIGITS


def _tokenize(source: str, start: int, end: int) -> list[_Token]:
    """Split ``source[start:end]`` into tokens; positions are offsets in ``source``."""
    tokens: list[_Token] = []
    i = start
    while i < end:
        c = source[i]
        if c in _SPACE:
            i += 1
            continue
        if len(tokens) >= MAX_TOKENS:
            raise _error(
                f"表达式太长：超过 {MAX_TOKENS} 个记号",
                f"expression too long: more than {MAX_TOKENS} tokens",
                i,
                source,
            )
        if c in _DIGITS:
            token, i = _number_token(source, i, end)
        elif c in _IDENT_START:
            token, i = _word(source, i, end)
        elif c in "'\"":
            token, i = _string(source, i, end)
        elif source[i : i + 2] in _TWO_CHAR_OPS:
            token, i = _Token("op", source[i : i + 2], i), i + 2
        elif c in _ONE_CHAR_OPS:
            token, i = _Token("op", c, i), i + 1
        else:
            raise _unexpected_char(source, i)
        tokens.append(token)
    tokens.append(_Token("end", "", end))
    return tokens


def _unexpected_char(source: str, i: int) -> ExprError:
    c = source[i]
    if c == ".":
        return _error(
            "不能在这里用点号（名称最多带一个点，如 income.per_capita_net）",
            "unexpected '.' (a name has at most one dot, as in income.per_capita_net)",
            i,
            source,
        )
    shown = c if c.isprintable() else f"U+{ord(c):04X}"
    return _error(f"有不认识的字符“{shown}”", f"unexpected character {shown!r}", i, source)


def _number_token(source: str, i: int, end: int) -> tuple[_Token, int]:
    """Digits with an optional fraction; ASCII digits only, no exponent."""
    j = i
    while j < end and source[j] in _DIGITS:
        j += 1
    if j < end and source[j] == ".":
        j += 1
        if j >= end or source[j] not in _DIGITS:
            raise _error("小数点后缺少数字", "missing digits after the decimal point", j, source)
        while j < end and source[j] in _DIGITS:
            j += 1
    text = source[i:j]
    if sum(ch in _DIGITS for ch in text) > MAX_NUMBER_DIGITS:
        raise _error(
            f"数字太长（最多 {MAX_NUMBER_DIGITS} 位）",
            f"number too long (at most {MAX_NUMBER_DIGITS} digits)",
            i,
            source,
        )
    value = float(text) if "." in text else int(text)
    return _Token("num", text, i, value), j


def _word(source: str, i: int, end: int) -> tuple[_Token, int]:
    """A keyword, or a name optionally qualified with one dot (form.question)."""
    j = _ident_end(source, i, end)
    if source[i:j] in _KEYWORDS:
        return _Token("op", source[i:j], i), j
    if j < end and source[j] == ".":
        if j + 1 >= end or source[j + 1] not in _IDENT_START:
            raise _error("点号后缺少名称", "missing a name after '.'", j + 1, source)
        j = _ident_end(source, j + 1, end)
        if j < end and source[j] == ".":
            raise _unexpected_char(source, j)
    return _Token("name", source[i:j], i, source[i:j]), j


def _ident_end(source: str, i: int, end: int) -> int:
    while i < end and source[i] in _IDENT:
        i += 1
    return i


def _string(source: str, i: int, end: int) -> tuple[_Token, int]:
    """'...' or "..."; no escapes at all, so nothing inside a string can end it early."""
    quote = source[i]
    j = i + 1
    while j < end and source[j] != quote:
        if source[j] == "\\":
            raise _error(
                "文字中不能使用反斜杠“\\”", "backslash '\\' is not allowed in text", j, source
            )
        j += 1
    if j >= end:
        raise _error(f"缺少结束的引号 {quote}", f"missing closing quote {quote}", i, source)
    return _Token("str", source[i : j + 1], i, source[i + 1 : j]), j + 1


# ---------------------------------------------------------------------------------------------
# Parser. Precedence, loosest first: or, and, not, comparison / in, + -, * /, unary -.

_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in"})

# Function table: name -> (minimum, maximum) number of arguments (None = no maximum).
_ARITY: dict[str, tuple[int, int | None]] = {
    "setting": (1, 1),
    "if": (3, 3),
    "coalesce": (1, None),
    "min": (1, None),
    "max": (1, None),
    "sum": (1, 1),
    "count": (1, 1),
    "round": (2, 2),
    "abs": (1, 1),
    "len": (1, 1),
    "selected": (2, 2),
    "today": (0, 0),
    "date": (1, 1),
    "years_between": (2, 2),
    "days_between": (2, 2),
}


class _Parser:
    def __init__(self, source: str, tokens: list[_Token]) -> None:
        self.source = source
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, text: str) -> bool:
        return self.tok.kind == "op" and self.tok.text == text

    def error(self, zh: str, en: str, pos: int) -> ExprError:
        return _error(zh, en, pos, self.source)

    def enter(self, pos: int) -> None:
        """Count one level of nesting; deep nesting is refused before it costs anything."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(
                f"嵌套太深（最多 {MAX_DEPTH} 层）",
                f"nested too deeply (at most {MAX_DEPTH} levels)",
                pos,
            )

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.error("表达式是空的", "the expression is empty", self.tok.pos)
        node = self.or_expr()
        if self.tok.kind != "end":
            raise self.unexpected()
        return node

    def unexpected(self) -> ExprError:
        tok = self.tok
        if tok.kind == "end":
            return self.error("表达式不完整", "the expression ends too early", tok.pos)
        if tok.text == ")":
            return self.error("多了一个右括号", "unexpected ')'", tok.pos)
        return self.error(f"不应出现“{tok.text}”", f"unexpected {tok.text!r}", tok.pos)

    def binary(self, node: Node, op: _Token, right: Node) -> Binary:
        return Binary(op.text, node, right, pos=op.pos, src=self.source)

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.at("or"):
            op = self.take()
            node = self.binary(node, op, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.at("and"):
            op = self.take()
            node = self.binary(node, op, self.not_expr())
        return node

    def not_expr(self) -> Node:
        if not self.at("not"):
            return self.comparison()
        op = self.take()
        self.enter(op.pos)
        operand = self.not_expr()
        self.depth -= 1
        return Unary("not", operand, pos=op.pos, src=self.source)

    def comparison(self) -> Node:
        node = self.additive()
        if self.tok.kind == "op" and self.tok.text in _COMPARISONS:
            op = self.take()
            node = self.binary(node, op, self.additive())
            if self.tok.kind == "op" and self.tok.text in _COMPARISONS:
                raise self.error(
                    "比较不能连写，请用 and 连接（如 a < b and b < c）",
                    "comparisons cannot be chained; join them with and (a < b and b < c)",
                    self.tok.pos,
                )
        return node

    def additive(self) -> Node:
        node = self.multiplicative()
        while self.at("+") or self.at("-"):
            op = self.take()
            node = self.binary(node, op, self.multiplicative())
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while self.at("*") or self.at("/"):
            op = self.take()
            node = self.binary(node, op, self.unary())
        return node

    def unary(self) -> Node:
        if not self.at("-"):
            return self.primary()
        op = self.take()
        self.enter(op.pos)
        operand = self.unary()
        self.depth -= 1
        return Unary("-", operand, pos=op.pos, src=self.source)

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind in ("num", "str"):
            self.take()
            return Literal(tok.value, pos=tok.pos, src=self.source)
        if tok.kind == "name":
            self.take()
            if self.at("("):
                return self.call(tok)
            return Name(tok.text, pos=tok.pos, src=self.source)
        if tok.kind == "op" and tok.text in ("true", "false", "null"):
            self.take()
            value = {"true": True, "false": False, "null": None}[tok.text]
            return Literal(value, pos=tok.pos, src=self.source)
        if self.at("("):
            return self.parenthesised()
        raise self.unexpected()

    def parenthesised(self) -> Node:
        open_ = self.take()
        self.enter(open_.pos)
        node = self.or_expr()
        self.close(open_)
        self.depth -= 1
        return node

    def close(self, open_: _Token) -> None:
        if not self.at(")"):
            if self.tok.kind == "end" or self.tok.text == ",":
                raise self.error("缺少右括号", "missing ')'", self.tok.pos)
            raise self.unexpected()
        self.take()

    def call(self, name: _Token) -> Call:
        if name.text not in _ARITY:
            raise self.error(
                f"没有叫 {name.text} 的函数", f"unknown function {name.text!r}", name.pos
            )
        open_ = self.take()
        self.enter(open_.pos)
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.or_expr())
            while self.at(","):
                self.take()
                args.append(self.or_expr())
        self.close(open_)
        self.depth -= 1
        node = Call(name.text, tuple(args), pos=name.pos, src=self.source)
        self.check_call(node)
        return node

    def check_call(self, node: Call) -> None:
        """Arity and literal-only arguments are fixed by the table, so they are syntax."""
        low, high = _ARITY[node.func]
        if len(node.args) < low or (high is not None and len(node.args) > high):
            if high is None:
                zh, en = f"至少需要 {low} 个参数", f"takes at least {low} argument"
            else:
                zh, en = f"需要 {low} 个参数", f"takes {low} argument"
            plural = "" if low == 1 else "s"
            raise self.error(f"函数 {node.func} {zh}", f"{node.func} {en}{plural}", node.pos)
        if node.func in ("setting", "date"):
            arg = node.args[0]
            if not (isinstance(arg, Literal) and isinstance(arg.value, str)):
                raise self.error(
                    f"函数 {node.func} 的参数必须是引号里的文字",
                    f"the argument of {node.func} must be quoted text",
                    arg.pos,
                )
            if node.func == "date":
                _parse_date(arg)


def _parse_date(arg: Literal) -> date:
    """A date literal must be exactly YYYY-MM-DD, so forms read the same everywhere."""
    text = str(arg.value)
    if (
        len(text) == 10
        and text[4] == text[7] == "-"
        and all(c in _DIGITS for c in text[:4] + text[5:7] + text[8:])
    ):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise _error(
        f"日期“{text}”不对，应写成 YYYY-MM-DD",
        f"bad date {text!r}; write YYYY-MM-DD",
        arg.pos,
        arg.src,
    )


def parse(text: str) -> Node:
    """Parse one expression; ExprError on anything that is not the language."""
    return _parse_span(text, 0, len(text))


def _parse_span(source: str, start: int, end: int) -> Node:
    if end - start > MAX_LENGTH:
        raise _error(
            f"表达式太长（最多 {MAX_LENGTH} 个字符）",
            f"expression too long (at most {MAX_LENGTH} characters)",
            None,
            source,
        )
    return _Parser(source, _tokenize(source, start, end)).parse()


# ---------------------------------------------------------------------------------------------
# Walking


def _walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Unary):
        yield from _walk(node.operand)
    elif isinstance(node, Binary):
        yield from _walk(node.left)
        yield from _walk(node.right)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from _walk(arg)


def references(node: Node) -> set[str]:
    """Names of the questions and variables an expression reads (qualified names whole)."""
    return {n.name for n in _walk(node) if isinstance(n, Name)}


def settings_used(node: Node) -> set[str]:
    """Names passed to setting('...')."""
    return {
        str(n.args[0].value)
        for n in _walk(node)
        if isinstance(n, Call) and n.func == "setting" and isinstance(n.args[0], Literal)
    }


# ---------------------------------------------------------------------------------------------
# Type checking

_TYPE_ZH = {
    "bool": "真假值",
    "number": "数字",
    "text": "文字",
    "date": "日期",
    "list": "多选答案",
    "any": "任意值",
    "null": "空值",
}
_TYPE_EN = {
    "bool": "a true/false value",
    "number": "a number",
    "text": "text",
    "date": "a date",
    "list": "a list",
    "any": "any value",
    "null": "null",
}


class _Checker:
    def __init__(self, types: Mapping[str, Type], settings: Mapping[str, Type]) -> None:
        self.types = types
        self.settings = settings

    def error(self, node: Node, zh: str, en: str) -> ExprError:
        return _error(zh, en, node.pos, node.src)

    def expect(self, node: Node, wanted: tuple[str, ...], what_zh: str, what_en: str) -> Type:
        """Type of ``node``, which must be one of ``wanted`` (or "any")."""
        return self.require(node, self.type(node), wanted, what_zh, what_en)

    def require(
        self, node: Node, t: Type, wanted: tuple[str, ...], what_zh: str, what_en: str
    ) -> Type:
        """``t``, the type already found for ``node``, must be one of ``wanted`` (or "any")."""
        if t != "any" and t not in wanted:
            raise self.error(
                node,
                f"{what_zh}需要{'或'.join(_TYPE_ZH[w] for w in wanted)}，这里是{_TYPE_ZH[t]}",
                f"{what_en} needs {' or '.join(_TYPE_EN[w] for w in wanted)}, got {_TYPE_EN[t]}",
            )
        return t

    def unify(self, node: Node, a: Type, b: Type, what_zh: str, what_en: str) -> Type:
        if a == "any":
            return b
        if b == "any" or a == b:
            return a
        raise self.error(
            node,
            f"{what_zh}的{_TYPE_ZH[a]}和{_TYPE_ZH[b]}不能混用",
            f"{what_en} mixes {_TYPE_EN[a]} with {_TYPE_EN[b]}",
        )

    def type(self, node: Node) -> Type:
        if isinstance(node, Literal):
            return _literal_type(node.value)
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Call):
            return self.call(node)
        raise TypeError(f"not an expression node: {node!r}")

    def name(self, node: Name) -> Type:
        if node.name not in self.types:
            raise self.error(
                node,
                f"有未知的题目或变量“{node.name}”",
                f"unknown question or variable {node.name!r}",
            )
        return self.types[node.name]

    def unary(self, node: Unary) -> Type:
        if node.op == "not":
            self.expect(node.operand, ("bool",), "not ", "'not'")
            return "bool"
        self.expect(node.operand, ("number",), "负号", "unary '-'")
        return "number"

    def binary(self, node: Binary) -> Type:
        op = node.op
        if op in ("and", "or"):
            self.expect(node.left, ("bool",), f"{op} ", f"{op!r}")
            self.expect(node.right, ("bool",), f"{op} ", f"{op!r}")
            return "bool"
        if op == "in":
            self.expect(node.left, ("number", "text", "bool", "date"), "in 左边", "left of 'in'")
            self.expect(node.right, ("list",), "in 右边", "right of 'in'")
            return "bool"
        left, right = self.type(node.left), self.type(node.right)
        if op in _COMPARISONS:
            return self.comparison(node, left, right)
        if op == "+" and "text" in (left, right):
            if left not in ("text", "any") or right not in ("text", "any"):
                raise self.error(node, "文字只能和文字相连", "text can only be joined to text")
            return "text"
        self.require(node.left, left, ("number",), f"运算 {op} ", f"{op!r}")
        self.require(node.right, right, ("number",), f"运算 {op} ", f"{op!r}")
        return "number"

    def comparison(self, node: Binary, left: Type, right: Type) -> Type:
        if "any" not in (left, right) and left != right:
            raise self.error(
                node,
                f"不能比较{_TYPE_ZH[left]}和{_TYPE_ZH[right]}",
                f"cannot compare {_TYPE_EN[left]} with {_TYPE_EN[right]}",
            )
        if node.op not in ("==", "!="):
            for t in (left, right):
                if t not in ("number", "text", "date", "any"):
                    raise self.error(
                        node, f"{_TYPE_ZH[t]}不能比大小", f"{_TYPE_EN[t]} cannot be ordered"
                    )
        return "bool"

    def call(self, node: Call) -> Type:
        return _CALL_TYPES[node.func](self, node)


def _literal_type(value: object) -> Type:
    if value is None:
        return "any"
    if isinstance(value, bool):
        return "bool"
    return "text" if isinstance(value, str) else "number"


def _ctype_setting(c: _Checker, node: Call) -> Type:
    name = str(node.args[0].value) if isinstance(node.args[0], Literal) else ""
    if name not in c.settings:
        raise c.error(node.args[0], f"有未知的设置“{name}”", f"unknown setting {name!r}")
    return c.settings[name]


def _ctype_if(c: _Checker, node: Call) -> Type:
    cond, a, b = node.args
    c.expect(cond, ("bool",), "if 的条件", "the condition of if")
    return c.unify(node, c.type(a), c.type(b), "if ", "if")


def _ctype_same(c: _Checker, node: Call) -> Type:
    """coalesce/min/max: all arguments of one type."""
    result: Type = "any"
    for arg in node.args:
        result = c.unify(arg, result, c.type(arg), node.func, node.func)
    if node.func != "coalesce" and result not in ("number", "date", "any"):
        raise c.error(
            node, f"函数 {node.func} 需要数字或日期", f"{node.func} needs numbers or dates"
        )
    return result


def _ctype_list_number(c: _Checker, node: Call) -> Type:
    c.expect(node.args[0], ("list",), f"函数 {node.func} ", node.func)
    return "number"


def _ctype_numbers(c: _Checker, node: Call) -> Type:
    for arg in node.args:
        c.expect(arg, ("number",), f"函数 {node.func} ", node.func)
    return "number"


def _ctype_len(c: _Checker, node: Call) -> Type:
    c.expect(node.args[0], ("text", "list"), "函数 len ", "len")
    return "number"


def _ctype_selected(c: _Checker, node: Call) -> Type:
    c.expect(node.args[0], ("list",), "函数 selected 的第一个参数", "selected's first argument")
    c.expect(node.args[1], ("text", "number"), "函数 selected 的第二个参数", "selected's value")
    return "bool"


def _ctype_between(c: _Checker, node: Call) -> Type:
    for arg in node.args:
        c.expect(arg, ("date",), f"函数 {node.func} ", node.func)
    return "number"


def _ctype_date(c: _Checker, node: Call) -> Type:
    return "date"


_CALL_TYPES: dict[str, Callable[[_Checker, Call], Type]] = {
    "setting": _ctype_setting,
    "if": _ctype_if,
    "coalesce": _ctype_same,
    "min": _ctype_same,
    "max": _ctype_same,
    "sum": _ctype_list_number,
    "count": _ctype_list_number,
    "round": _ctype_numbers,
    "abs": _ctype_numbers,
    "len": _ctype_len,
    "selected": _ctype_selected,
    "today": _ctype_date,
    "date": _ctype_date,
    "years_between": _ctype_between,
    "days_between": _ctype_between,
}


def check(node: Node, types: Mapping[str, Type], settings: Mapping[str, Type]) -> Type:
    """The type of ``node`` given the types of questions and settings; ExprError if it is wrong.

    "any" (an answer whose type is not known yet, or null) fits everything.
    """
    return _Checker(types, settings).type(node)


# ---------------------------------------------------------------------------------------------
# Evaluation. Values: None (null), bool, int/float, str, datetime.date, and list/tuple/set for
# multiple-choice answers. Names missing from ``env`` are unanswered, hence null.


@dataclass(slots=True)
class _Context:
    env: Mapping[str, object]
    settings: Mapping[str, object]
    today: date


def _kind(value: object) -> str:
    """The language's name for the type of a runtime value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list | tuple | set | frozenset):
        return "list"
    return "other"


def _fail(node: Node, zh: str, en: str) -> ExprError:
    return _error(zh, en, node.pos, node.src)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _wrong(node: Node, what: str, wanted_zh: str, wanted_en: str, value: object) -> ExprError:
    """A value of the wrong type reached an operator (an answer of an unexpected type)."""
    kind = _kind(value)
    return _fail(
        node,
        f"“{what}”需要{wanted_zh}，这里是{_TYPE_ZH.get(kind, '不支持的值')}",
        f"{what!r} needs {wanted_en}, got {_TYPE_EN.get(kind, 'an unsupported value')}",
    )


def _number(node: Node, value: object, what: str) -> int | float:
    if not _is_number(value):
        raise _wrong(node, what, "数字", "a number", value)
    return _finite(node, value)


def _bool(node: Node, value: object, what: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise _wrong(node, what, "真假值", "a true/false value", value)
    return value


def _list(node: Node, value: object, what: str) -> list[object] | tuple[object, ...]:
    if isinstance(value, list | tuple):
        return value
    if isinstance(value, set | frozenset):  # the other values _kind calls "list"
        return sorted(value, key=str)
    raise _wrong(node, what, "多选答案", "a list", value)


def _finite(node: Node, value: int | float) -> int | float:
    """Keep numbers in a range where int and float agree; the language has no use beyond it."""
    if not (-MAX_MAGNITUDE <= value <= MAX_MAGNITUDE):  # also catches nan
        raise _fail(node, "数字超出范围", "number out of range")
    return value


def _ev(node: Node, ctx: _Context) -> object:
    """Dispatch on the node's class; binary operators go straight to their function."""
    if type(node) is Binary:
        return _BINARY[node.op](node, ctx)
    return _EVAL[type(node)](node, ctx)


def _ev_literal(node: Literal, ctx: _Context) -> object:
    return node.value


def _ev_name(node: Name, ctx: _Context) -> object:
    value = ctx.env.get(node.name)
    return value.date() if isinstance(value, datetime) else value


def _ev_unary(node: Unary, ctx: _Context) -> object:
    value = _ev(node.operand, ctx)
    if value is None:
        return None
    if node.op == "not":
        return not _bool(node, value, "not")
    return -_number(node, value, "-")


def _ev_and(node: Binary, ctx: _Context) -> bool | None:
    left = _bool(node, _ev(node.left, ctx), "and")
    if left is False:
        return False
    right = _bool(node, _ev(node.right, ctx), "and")
    if right is False:
        return False
    return None if left is None or right is None else True


def _ev_or(node: Binary, ctx: _Context) -> bool | None:
    left = _bool(node, _ev(node.left, ctx), "or")
    if left is True:
        return True
    right = _bool(node, _ev(node.right, ctx), "or")
    if right is True:
        return True
    return None if left is None or right is None else False


def _is_null_literal(node: Node) -> bool:
    return isinstance(node, Literal) and node.value is None


def _ev_equality(node: Binary, ctx: _Context) -> bool | None:
    left, right = _ev(node.left, ctx), _ev(node.right, ctx)
    if _is_null_literal(node.right) or _is_null_literal(node.left):
        same = left is None and right is None
    elif left is None or right is None:
        return None
    else:
        _same_kind(node, left, right)
        same = _as_list(left) == _as_list(right) if _kind(left) == "list" else left == right
    return same if node.op == "==" else not same


def _as_list(value: object) -> object:
    return sorted(map(str, value)) if isinstance(value, set | frozenset | list | tuple) else value


def _same_kind(node: Node, left: object, right: object) -> str:
    a, b = _kind(left), _kind(right)
    if a != b or a == "other":
        raise _fail(
            node,
            f"不能比较{_TYPE_ZH.get(a, '不支持的值')}和{_TYPE_ZH.get(b, '不支持的值')}",
            f"cannot compare {_TYPE_EN.get(a, 'a value')} with {_TYPE_EN.get(b, 'a value')}",
        )
    return a


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _ev_order(node: Binary, ctx: _Context) -> bool | None:
    left, right = _ev(node.left, ctx), _ev(node.right, ctx)
    if left is None or right is None:
        return None
    kind = _same_kind(node, left, right)
    if kind not in ("number", "text", "date"):
        raise _fail(node, f"{_TYPE_ZH[kind]}不能比大小", f"{_TYPE_EN[kind]} cannot be ordered")
    return _ORDER[node.op](left, right)


def _ev_in(node: Binary, ctx: _Context) -> bool | None:
    left, right = _ev(node.left, ctx), _ev(node.right, ctx)
    if left is None or right is None:
        return None
    return left in _list(node, right, "in")


def _ev_plus(node: Binary, ctx: _Context) -> object:
    left, right = _ev(node.left, ctx), _ev(node.right, ctx)
    if left is None or right is None:
        return None
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(left, str) or isinstance(right, str):
        raise _fail(node, "文字只能和文字相连", "text can only be joined to text")
    return _finite(node, _number(node, left, "+") + _number(node, right, "+"))


def _ev_arith(node: Binary, ctx: _Context) -> int | float | None:
    left, right = _ev(node.left, ctx), _ev(node.right, ctx)
    if left is None or right is None:
        return None
    a = _number(node, left, node.op)
    b = _number(node, right, node.op)
    if node.op == "-":
        return _finite(node, a - b)
    if node.op == "*":
        return _finite(node, a * b)
    return None if b == 0 else _finite(node, a / b)


_BINARY: dict[str, Callable[[Binary, _Context], object]] = {
    "and": _ev_and,
    "or": _ev_or,
    "==": _ev_equality,
    "!=": _ev_equality,
    "<": _ev_order,
    "<=": _ev_order,
    ">": _ev_order,
    ">=": _ev_order,
    "in": _ev_in,
    "+": _ev_plus,
    "-": _ev_arith,
    "*": _ev_arith,
    "/": _ev_arith,
}


def _ev_call(node: Call, ctx: _Context) -> object:
    return _FUNCTIONS[node.func](node, ctx)


# --- the function table ----------------------------------------------------------------------


def _fn_setting(node: Call, ctx: _Context) -> object:
    name = str(_literal_arg(node).value)
    if name not in ctx.settings:
        raise _fail(node, f"有未知的设置“{name}”", f"unknown setting {name!r}")
    return ctx.settings[name]


def _fn_if(node: Call, ctx: _Context) -> object:
    cond = _bool(node, _ev(node.args[0], ctx), "if")
    return _ev(node.args[1] if cond else node.args[2], ctx)


def _fn_coalesce(node: Call, ctx: _Context) -> object:
    for arg in node.args:
        value = _ev(arg, ctx)
        if value is not None:
            return value
    return None


def _fn_min_max(node: Call, ctx: _Context) -> object:
    values = [_ev(arg, ctx) for arg in node.args]
    if any(v is None for v in values):
        return None
    kind = _same_kind(node, values[0], values[0])
    for v in values[1:]:
        _same_kind(node, values[0], v)
    if kind not in ("number", "date"):
        raise _fail(node, f"函数 {node.func} 需要数字或日期", f"{node.func} needs numbers or dates")
    # All numbers or all dates (checked just above), which mypy cannot follow.
    return min(values) if node.func == "min" else max(values)  # type: ignore[type-var]


def _fn_sum(node: Call, ctx: _Context) -> object:
    value = _ev(node.args[0], ctx)
    if value is None:
        return None
    items = _list(node, value, "sum")
    return _finite(node, sum(_number(node, v, "sum") for v in items))


def _fn_count(node: Call, ctx: _Context) -> object:
    value = _ev(node.args[0], ctx)
    return None if value is None else len(_list(node, value, "count"))


def _fn_round(node: Call, ctx: _Context) -> object:
    x, digits = _ev(node.args[0], ctx), _ev(node.args[1], ctx)
    if x is None or digits is None:
        return None
    x = _number(node, x, "round")
    digits = _number(node, digits, "round")
    if digits != int(digits) or int(digits) not in _ROUND_DIGITS:
        raise _fail(
            node,
            "函数 round 的位数必须是 -6 到 10 的整数",
            "round's digits must be a whole number from -6 to 10",
        )
    return _round_half_up(x, int(digits))


def _round_half_up(x: int | float, digits: int) -> int | float:
    """Round as people do on paper (2.5 -> 3), not as floats do (banker's rounding)."""
    rounded = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return int(rounded) if digits <= 0 else float(rounded)


def _fn_abs(node: Call, ctx: _Context) -> object:
    value = _ev(node.args[0], ctx)
    return None if value is None else abs(_number(node, value, "abs"))


def _fn_len(node: Call, ctx: _Context) -> object:
    value = _ev(node.args[0], ctx)
    if value is None:
        return None
    if isinstance(value, str):
        return len(value)
    return len(_list(node, value, "len"))


def _fn_selected(node: Call, ctx: _Context) -> object:
    chosen, value = _ev(node.args[0], ctx), _ev(node.args[1], ctx)
    if chosen is None or value is None:
        return None
    return value in _list(node, chosen, "selected")


def _fn_today(node: Call, ctx: _Context) -> object:
    return ctx.today


def _fn_date(node: Call, ctx: _Context) -> object:
    return _parse_date(_literal_arg(node))


def _literal_arg(node: Call) -> Literal:
    """The argument of setting() and date(), which the parser accepts only as a literal."""
    arg = node.args[0]
    if not isinstance(arg, Literal):
        raise _fail(node, f"函数 {node.func} 需要常量参数", f"{node.func} needs a literal")
    return arg


def _dates(node: Call, ctx: _Context) -> tuple[date, date] | None:
    first, second = _ev(node.args[0], ctx), _ev(node.args[1], ctx)
    if first is None or second is None:
        return None
    if not (isinstance(first, date) and isinstance(second, date)):
        raise _fail(node, f"函数 {node.func} 需要日期", f"{node.func} needs dates")
    return first, second


def _fn_years_between(node: Call, ctx: _Context) -> object:
    pair = _dates(node, ctx)
    if pair is None:
        return None
    return _whole_years(*pair) if pair[0] <= pair[1] else -_whole_years(pair[1], pair[0])


def _whole_years(start: date, end: date) -> int:
    """Completed years, as an age: the year only counts once the birthday has come."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _fn_days_between(node: Call, ctx: _Context) -> object:
    pair = _dates(node, ctx)
    return None if pair is None else (pair[1] - pair[0]).days


_FUNCTIONS: dict[str, Callable[[Call, _Context], object]] = {
    "setting": _fn_setting,
    "if": _fn_if,
    "coalesce": _fn_coalesce,
    "min": _fn_min_max,
    "max": _fn_min_max,
    "sum": _fn_sum,
    "count": _fn_count,
    "round": _fn_round,
    "abs": _fn_abs,
    "len": _fn_len,
    "selected": _fn_selected,
    "today": _fn_today,
    "date": _fn_date,
    "years_between": _fn_years_between,
    "days_between": _fn_days_between,
}

# Dispatched on type(node), so each function gets its own node class: a pairing that a
# dict's value type cannot state, hence the ignores.
_EVAL: dict[type, Callable[[object, _Context], object]] = {
    Literal: _ev_literal,  # type: ignore[dict-item]
    Name: _ev_name,  # type: ignore[dict-item]
    Unary: _ev_unary,  # type: ignore[dict-item]
    Call: _ev_call,  # type: ignore[dict-item]
}


def evaluate(
    node: Node,
    env: Mapping[str, object],
    settings: Mapping[str, object],
    *,
    today: date | None = None,
) -> object:
    """The value of ``node``; names missing from ``env`` are unanswered (null).

    Type errors that ``check`` would have caught (or answers of an unexpected type) raise
    ExprError; nothing else escapes. ``today`` pins today() for tests and for re-evaluating a
    visit as of its date.
    """
    return _ev(node, _Context(env, settings, today or date.today()))


def is_true(value: object) -> bool:
    """Whether a condition is met: only ``true`` is; null (unanswered) is not."""
    return value is True


# ---------------------------------------------------------------------------------------------
# Templates: "每人每天 {water_litres} 升"


def compile_text(template: str) -> list[str | Node]:
    """Split a template into text and parsed placeholders; "{{" and "}}" stand for braces."""
    return list(_compile(template))


@functools.lru_cache(maxsize=1024)
def _compile(template: str) -> tuple[str | Node, ...]:
    parts: list[str | Node] = []
    text: list[str] = []
    i = 0
    while i < len(template):
        c = template[i]
        if c in "{}" and template[i + 1 : i + 2] == c:
            text.append(c)
            i += 2
        elif c == "}":
            raise _error(
                "多了一个“}”（文字里的大括号要写成 }}）", "unmatched '}' (write }})", i, template
            )
        elif c == "{":
            end = _placeholder_end(template, i)
            if text:
                parts.append("".join(text))
                text = []
            parts.append(_parse_span(template, i + 1, end))
            i = end + 1
        else:
            text.append(c)
            i += 1
    if text:
        parts.append("".join(text))
    return tuple(parts)


def _placeholder_end(template: str, start: int) -> int:
    """Index of the "}" closing the placeholder at ``start``; quoted braces do not count."""
    quote = ""
    for i in range(start + 1, len(template)):
        c = template[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "{":
            raise _error("占位符里不能再有“{”", "'{' inside a placeholder", i, template)
        elif c == "}":
            return i
    raise _error("占位符缺少“}”", "placeholder missing '}'", start, template)


def render(
    template: str,
    env: Mapping[str, object],
    settings: Mapping[str, object],
    *,
    today: date | None = None,
) -> str:
    """Fill a template's placeholders with their values, formatted for people; a blank
    value is left out as :func:`fill` says."""
    return fill(_compile(template), env, settings, today=today)


BLANK = "（未填）"  # an unanswered value in a table cell (format_value); never in a sentence
_CLAUSE_ENDS = frozenset("，；。！？：")
_SENTENCE_ENDS = frozenset("。！？")
_OPENING = {"（": "）", "(": ")"}
_COMPARING = ("超过", "低于", "高于", "不足", "少于", "多于", "不到")  # rule 5
_JOINING = ("而且", "并且", "且", "但是", "但")  # rule 6


@dataclass(frozen=True)
class _Blank:
    """Where a placeholder's value was blank (null, empty text, empty list)."""


class _Filled(str):
    """A placeholder's value in a sentence being filled (the rest is the form's words)."""


def fill(
    template: Sequence[str | Node],
    env: Mapping[str, object],
    settings: Mapping[str, object],
    *,
    today: date | None = None,
) -> str:
    """A compiled template (``compile_text``) as a sentence that holds when answers are
    blank: a finding never says 「约有 （未填） 个月」. The rule, the same for every form:

    1. a parenthesis holding a blank is left out whole: 「{name}（{age} 岁）未在校上学」
       without an age reads 「张三未在校上学」;
    2. the text is cut into clauses after ，；。！？ and ：;
    3. a clause that is nothing but the blank goes, with the label before it:
       「…；辍学原因：{dropout_cause}。」 loses 「；辍学原因：」;
    4. a blank that begins its clause (the subject) is simply left unsaid, and a value
       that begins a left-out first clause stays the subject of what is kept
       (「{name} 自付 {self_pay} 元，尚未申请医疗救助。」 reads 「王德明 尚未申请医疗救助。」);
    5. any other clause holding a blank is left out: 「主粮不是全年够吃：一年约有 {months}
       个月不够吃。」 reads 「主粮不是全年够吃。」, and so is a comparison right after it
       that has lost what it compares (「…用水 {days} 天，超过 36 天。」);
    6. a left-out clause hands its closing mark (。！？) to the clause kept before it, and a
       sentence whose first clauses went loses a leading 且 / 但 (「且没有其他安全住房」);
    7. if nothing would be left, the words before the first blank say it is not filled in:
       「人均纯收入 {net} 元，低于监测线 7300 元。」 reads 「人均纯收入未填写。」.
    """
    atoms: list[str | _Blank] = []
    for part in template:
        if isinstance(part, str):
            atoms += list(part)
            continue
        value = evaluate(part, env, settings, today=today)
        atoms.append(_Blank() if value is None or value == "" or value == [] else
                     _Filled(format_value(value)))
    if not any(isinstance(atom, _Blank) for atom in atoms):
        return "".join(str(atom) for atom in atoms)
    text = _sentence(_without_blank_parentheses(atoms))
    if text.strip("，；。！？：、 "):
        return text
    first = next(i for i, atom in enumerate(atoms) if isinstance(atom, _Blank))
    before = "".join(a for a in atoms[:first] if isinstance(a, str)).rstrip("，；。！？：、 ")
    for mark in _CLAUSE_ENDS:
        before = before.rsplit(mark, 1)[-1]
    return f"{before.strip()}未填写。" if before.strip() else BLANK


def _without_blank_parentheses(atoms: list[str | _Blank]) -> list[str | _Blank]:
    """Rule 1: every (innermost first) parenthesis that holds a blank, left out."""
    while True:
        opened: list[int] = []
        for i, atom in enumerate(atoms):
            if isinstance(atom, str) and atom in _OPENING:
                opened.append(i)
            elif isinstance(atom, str) and opened and atom == _OPENING.get(
                    str(atoms[opened[-1]])):
                start = opened.pop()
                if any(isinstance(a, _Blank) for a in atoms[start:i]):
                    while start > 0 and atoms[start - 1] == " ":
                        start -= 1
                    atoms = atoms[:start] + atoms[i + 1:]
                    break
        else:
            return atoms


def _sentence(atoms: list[str | _Blank]) -> str:
    """Rules 2 to 6 on what rule 1 left."""
    clauses: list[list[str | _Blank]] = [[]]
    for atom in atoms:
        clauses[-1].append(atom)
        if isinstance(atom, str) and atom in _CLAUSE_ENDS:
            clauses.append([])
    if not clauses[-1]:
        clauses.pop()
    kept: list[str] = []  # clause texts, each ending in its mark (or not, the last)
    dropped = False  # the clause before this one was left out
    opening = True  # no clause of this sentence kept yet
    cut = False  # a clause of this sentence was left out
    subject = ""  # the value a left-out first clause began with (rule 4)
    for number, clause in enumerate(clauses):
        blanks = [i for i, atom in enumerate(clause) if isinstance(atom, _Blank)]
        words = "".join(a for a in clause if isinstance(a, str))
        mark = words[-1] if words and words[-1] in _CLAUSE_ENDS else ""
        only_blank = bool(blanks) and not words[:len(words) - len(mark)].strip()
        blank_subject = (len(blanks) == 1 and not only_blank
                         and all(a == " " for a in clause[:blanks[0]]))
        orphan = not blanks and dropped and words.lstrip().startswith(_COMPARING)
        if (not blanks and not orphan) or blank_subject:
            words = words.lstrip()
            if opening and cut:
                words = next((words[len(c):] for c in _JOINING if words.startswith(c)), words)
            if opening:
                words, subject = subject + words, ""
            kept.append(words)
            dropped = False
            opening, cut = mark in _SENTENCE_ENDS, False
            continue
        # rules 3 and 5: the clause goes; its closing mark passes to the clause before
        if only_blank and kept and kept[-1].endswith("："):
            kept.pop()  # the label of the value that is not there
        dropped = cut = True
        if opening and not subject:
            spaced = "".join(str(a) for a in clause).lstrip()
            first = next((a for a in clause if a != " "), None)
            if isinstance(first, _Filled):
                subject = first + (" " if spaced[len(first):len(first) + 1] == " " else "")
        last = number == len(clauses) - 1
        if mark in _SENTENCE_ENDS or (last and not mark):
            if kept and not opening and kept[-1][-1:] in _CLAUSE_ENDS - _SENTENCE_ENDS:
                kept[-1] = kept[-1][:-1].rstrip() + mark
            opening, cut, subject = True, False, ""
    return "".join(kept).strip()


def format_value(value: object) -> str:
    """How a value reads in a finding: 12 not 12.0, at most 2 decimals, 是/否, ISO dates."""
    if value is None:
        return BLANK
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        text = format(Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = value if isinstance(value, list | tuple) else sorted(value, key=str)
        return "、".join(format_value(v) for v in items)
    return str(value)


# ---------------------------------------------------------------------------------------------
# Pretty-printing, so tools can show an expression in one canonical spelling.

_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "not": 3,
    **dict.fromkeys(_COMPARISONS, 4),
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
}
_UNARY_MINUS = 7
_ATOM = 8


def _precedence(node: Node) -> int:
    if isinstance(node, Binary):
        return _PRECEDENCE[node.op]
    if isinstance(node, Unary):
        return _PRECEDENCE["not"] if node.op == "not" else _UNARY_MINUS
    return _ATOM


def unparse(node: Node) -> str:
    """Canonical text for ``node``, with only the parentheses it needs: parse(unparse(n)) == n."""
    if isinstance(node, Literal):
        return _unparse_literal(node.value)
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return f"{node.func}({', '.join(unparse(a) for a in node.args)})"
    if isinstance(node, Unary):
        return _unparse_unary(node)
    if isinstance(node, Binary):
        return _unparse_binary(node)
    raise TypeError(f"not an expression node: {node!r}")


def _unparse_unary(node: Unary) -> str:
    inner = unparse(node.operand)
    if _precedence(node.operand) < _precedence(node):
        inner = f"({inner})"
    return f"not {inner}" if node.op == "not" else f"-{inner}"


def _unparse_binary(node: Binary) -> str:
    mine = _PRECEDENCE[node.op]
    comparison = node.op in _COMPARISONS
    left, right = unparse(node.left), unparse(node.right)
    if _precedence(node.left) < mine or (comparison and _precedence(node.left) == mine):
        left = f"({left})"
    if _precedence(node.right) <= mine:
        right = f"({right})"
    return f"{left} {node.op} {right}"


def _unparse_literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text if "." in text else f"{text}.0"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    quote = "'" if "'" not in text else '"'
    return f"{quote}{text}{quote}"
