"""Checklist definitions: the YAML format, its loader and its validation.

Forms will arrive from the county inside bundles, so a form file is untrusted input: it is
read with PyYAML's *compose* step only (a node tree: no object is ever constructed from a
tag, ``!!python/...`` is refused), files over 1 MB or with over 500 questions are refused,
and every expression goes through ``expr``'s parser and type checker once, at load. The
loaded ``Form`` holds parsed nodes, so evaluating a visit never parses again.

Every problem names its file and line (the node tree keeps them) and loading a folder
collects all problems, so a county editor fixes a bundle in one round. The format is
documented in ``forms/README.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from fieldvisit import paths
from fieldvisit.checklist import expr
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings, scalar
from fieldvisit.errors import FieldVisitError

MAX_FILE_BYTES = 1_000_000
MAX_QUESTIONS = 500

QUESTION_TYPES: dict[str, expr.Type] = {  # question type -> expression type of its answer
    "yes_no": "bool", "single_choice": "text", "multiple_choice": "list", "integer": "number",
    "money": "number", "date": "date", "text": "text", "photo": "text",
}
CHOICE_TYPES = frozenset({"single_choice", "multiple_choice"})
SEVERITIES = ("high", "medium", "low")

HOUSEHOLD_NAMES: dict[str, expr.Type] = {  # names every expression may use (household_context)
    "hh_type": "text",  # 户类型: 脱贫户 / 一般农户
    "household_size": "number",
    "is_tuopin": "bool",  # a 脱贫户, monitored or not
    "is_monitored": "bool",  # 是否监测对象
    "monitor_category": "text",  # 脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户, or null
    "risk_types": "list",
    "labour_count": "number",  # members with 普通/技能劳动力
}
MEMBER_NAMES: dict[str, expr.Type] = {  # names a per-member form may use, prefilled from the roster
    "name": "text", "age": "number", "sex": "text", "relation": "text", "schooling": "text",
    "health": "text", "labour_skill": "text", "resident_insurance": "bool",
    "employee_insurance": "bool", "serious_illness_insurance": "bool",
}

_FORM_KEYS = {"id", "version", "title", "help", "repeat", "questions", "sections", "findings",
              "suggestion"}
_FORM_REQUIRED = ("id", "version", "title", "help", "questions")
_QUESTION_KEYS = {"id", "type", "label", "help", "choices", "relevant", "required",
                  "constraint", "constraint_message", "calculate", "unit"}
_RULE_KEYS = {"id", "when", "category", "severity", "text"}
_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")}
_MAP_TAG = "tag:yaml.org,2002:map"
_T = TypeVar("_T")
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class FormError:
    """One problem in a form file, in plain Chinese and in English."""

    file: str
    line: int
    message: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} / {self.message_en}"


class FormErrors(FieldVisitError):
    """A folder of forms that cannot be used; ``errors`` lists every problem found, and
    ``zh`` / ``en`` list them a line each."""

    def __init__(self, errors: list[FormError]) -> None:
        self.errors = errors
        super().__init__("\n".join(f"{e.file}:{e.line}: {e.message}" for e in errors),
                         "\n".join(f"{e.file}:{e.line}: {e.message_en}" for e in errors))


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    """A question, or (with ``calculate``) a value computed from other answers."""

    id: str
    type: str
    label: str
    help: str
    line: int
    choices: tuple[Choice, ...] = ()
    relevant: expr.Node | None = None
    required: bool | expr.Node = True
    constraint: expr.Node | None = None
    constraint_message: str = ""
    calculate: expr.Node | None = None
    unit: str = ""
    lines: Mapping[str, int] = field(default_factory=dict)  # key -> line, for messages


@dataclass(frozen=True)
class Section:
    title: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A finding rule: when ``when`` holds, report ``text`` with its placeholders filled."""

    id: str
    when: expr.Node
    category: str
    severity: str
    text: str
    template: tuple[str | expr.Node, ...]
    line: int
    when_line: int
    text_line: int


@dataclass(frozen=True)
class Suggestion:
    """How a screening form states its conclusion (meets 监测对象 criteria, which kind)."""

    meets: expr.Node
    kind: expr.Node
    line: int


@dataclass
class Form:
    id: str
    version: int
    title: str
    help: str
    file: str
    questions: tuple[Question, ...]
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...]
    repeat_where: expr.Node | None = None  # per-member form: which members it is asked for
    repeat_line: int = 1
    per_member: bool = False
    suggestion: Suggestion | None = None
    order: tuple[Question, ...] = ()  # questions in an order where references come first
    uses_forms: frozenset[str] = frozenset()
    types: dict[str, expr.Type] = field(default_factory=dict)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass
class FormSet:
    """The forms of a folder, in an order where a form comes after those it refers to."""

    forms: dict[str, Form]
    order: tuple[str, ...]

    def __getitem__(self, form_id: str) -> Form:
        return self.forms[form_id]


def bundled_forms_dir() -> Path:
    """The ``forms/`` folder shipped with the app (checkout, wheel or frozen app alike)."""
    return paths.bundled_dir("forms")


def load_forms(folder: Path, settings: Settings = DEFAULT_SETTINGS) -> FormSet:
    """All ``*.yaml`` forms of ``folder``; FormErrors listing every problem otherwise."""
    formset, errors = _load(folder, settings)
    if errors:
        raise FormErrors(errors)
    return formset


def check_forms(folder: Path, settings: Settings = DEFAULT_SETTINGS) -> list[FormError]:
    """Every problem of the forms in ``folder``; empty when they can all be used."""
    return _load(folder, settings)[1]


def _load(folder: Path, settings: Settings) -> tuple[FormSet, list[FormError]]:
    errors: list[FormError] = []
    forms: dict[str, Form] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        errors.append(FormError(str(folder), 0, "文件夹里没有表单（*.yaml）",
                                "the folder holds no forms (*.yaml)"))
    for path in files:
        form = _Reader(path, settings, errors).form()
        if form is None:
            continue
        if form.id in forms:
            errors.append(FormError(path.name, 1, f"表单编号“{form.id}”重复（另见 "
                                    f"{forms[form.id].file}）",
                                    f"duplicate form id '{form.id}' (see {forms[form.id].file})"))
            continue
        forms[form.id] = form
    order = _form_order(forms, errors)
    for form_id in order:
        _check_types(forms[form_id], forms, settings, errors)
    return FormSet(forms, order), errors


class _Problem(Exception):
    """A problem that makes the current part of a form unusable (reported, then skipped)."""

    def __init__(self, line: int, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.line, self.message, self.message_en = line, message, message_en


class _Reader:
    """Reads one file's node tree into a Form, reporting problems instead of stopping."""

    def __init__(self, path: Path, settings: Settings, errors: list[FormError]) -> None:
        self.path = path
        self.file = path.name
        self.settings = settings
        self.errors = errors
        self.seen: set[int] = set()

    def report(self, line: int, message: str, message_en: str) -> None:
        self.errors.append(FormError(self.file, line, message, message_en))

    def form(self) -> Form | None:
        try:
            root = self._compose()
            return self._form(root)
        except _Problem as problem:
            self.report(problem.line, problem.message, problem.message_en)
            return None

    def _compose(self) -> yaml.Node:
        if self.path.stat().st_size > MAX_FILE_BYTES:
            raise _Problem(1, f"文件超过 {MAX_FILE_BYTES // 1_000_000} MB，拒绝读取",
                           f"the file is over {MAX_FILE_BYTES // 1_000_000} MB: refused")
        try:
            text = self.path.read_text(encoding="utf-8")
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except UnicodeDecodeError:
            raise _Problem(1, "文件不是 UTF-8 编码", "the file is not UTF-8 text") from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise _Problem(mark.line + 1 if mark else 1, f"YAML 格式错误：{error}",
                           f"YAML syntax error: {error}") from None
        if root is None:
            raise _Problem(1, "文件是空的", "the file is empty")
        self._check_tags(root)
        return root

    def _check_tags(self, node: yaml.Node) -> None:
        """Only plain maps, lists and scalars: no tags that construct objects, no aliases
        (a shared node, seen twice, would let a small file expand into a huge tree)."""
        if id(node) in self.seen:
            raise _Problem(_line(node), "不支持 YAML 锚点和别名（& 和 *）",
                           "YAML anchors and aliases (& and *) are not supported")
        self.seen.add(id(node))
        allowed = _SCALAR_TAGS if isinstance(node, yaml.ScalarNode) else {_MAP_TAG, _SEQ_TAG}
        if node.tag not in allowed:
            raise _Problem(_line(node), f"不允许的 YAML 标签 {node.tag}",
                           f"YAML tag {node.tag} is not allowed")
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self._check_tags(key)
                self._check_tags(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._check_tags(item)

    def _form(self, root: yaml.Node) -> Form | None:
        top = self._mapping(root, _FORM_KEYS, _FORM_REQUIRED, "表单", "form")
        form_id = self._identifier(top, "id")
        version = self._scalar(top["version"])
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.report(_line(top["version"]), "version 应为正整数",
                        "version must be a positive integer")
        repeat_where, per_member = self._repeat(top.get("repeat"))
        repeat_line = _line(top["repeat"]) if per_member else 1
        questions = self._questions(top["questions"])
        if questions is None:
            return None
        ids = {q.id for q in questions}
        names = set(HOUSEHOLD_NAMES) | (set(MEMBER_NAMES) if per_member else set())
        for question in questions:
            if question.id in names:
                self.report(question.line, f"问题编号“{question.id}”与系统提供的名称重复",
                            f"question id '{question.id}' is a name the system provides")
        form = Form(
            id=form_id, version=version if isinstance(version, int) else 0,
            title=self._text(top["title"]), help=self._text(top["help"]), file=self.file,
            questions=questions, sections=self._sections(top.get("sections"), ids),
            rules=self._rules(top.get("findings")), repeat_where=repeat_where,
            per_member=per_member, repeat_line=repeat_line,
            suggestion=self._suggestion(top.get("suggestion")))
        form.order = self._order(form)
        return form

    # -- structure ----------------------------------------------------------------------

    def _mapping(self, node: yaml.Node, keys: set[str], required: Iterable[str],
                 what: str, what_en: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise _Problem(_line(node), f"{what}应为“键: 值”的映射",
                           f"a {what_en} must be a mapping of key: value")
        result: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(self._scalar(key))
            if name not in keys:
                allowed = "、".join(sorted(keys))
                self.report(_line(key), f"{what}中有未知的键“{name}”（可用：{allowed}）",
                            f"unknown key '{name}' in a {what_en} "
                            f"(allowed: {', '.join(sorted(keys))})")
            elif name in result:
                self.report(_line(key), f"键“{name}”重复", f"duplicate key '{name}'")
            else:
                result[name] = value
        missing = [key for key in required if key not in result]
        if missing:
            raise _Problem(_line(node), f"{what}缺少必需的键：{'、'.join(missing)}",
                           f"a {what_en} lacks required keys: {', '.join(missing)}")
        return result

    def _scalar(self, node: yaml.Node) -> object:
        if not isinstance(node, yaml.ScalarNode):
            raise _Problem(_line(node), "此处应为单个值", "a single value is expected here")
        return scalar(node)

    def _text(self, node: yaml.Node) -> str:
        value = self._scalar(node)
        if not isinstance(value, str) or not value.strip():
            raise _Problem(_line(node), "此处应为非空文字", "non-empty text is expected here")
        return value.strip()

    def _identifier(self, entries: Mapping[str, yaml.Node], key: str) -> str:
        value = self._text(entries[key])
        if not (value.isascii() and value.isidentifier()) or "." in value:
            raise _Problem(_line(entries[key]), f"编号“{value}”只能用英文字母、数字和下划线，"
                           "且不能以数字开头", f"id '{value}' must be letters, digits and "
                           "underscores, not starting with a digit")
        return value

    def _list(self, node: yaml.Node) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise _Problem(_line(node), "此处应为列表（每项以“- ”开头）",
                           "a list is expected here (items start with '- ')")
        items: list[yaml.Node] = node.value  # untyped in the stubs: a sequence holds nodes
        return items

    def _expression(self, node: yaml.Node) -> expr.Node:
        text = self._scalar(node)
        if isinstance(text, bool):
            text = "true" if text else "false"
        if not isinstance(text, str | int | float):
            raise _Problem(_line(node), "此处应为表达式", "an expression is expected here")
        try:
            return expr.parse(str(text))
        except expr.ExprError as error:
            raise _Problem(_line(node), f"表达式“{text}”有误：{error.zh}",
                           f"expression '{text}': {error.en}") from None

    def _attempt(self, read: Callable[..., _T], *args: object) -> _T | None:
        """Run one reader step; on a problem report it and return None, so the rest of
        the file is still checked."""
        try:
            return read(*args)
        except _Problem as problem:
            self.report(problem.line, problem.message, problem.message_en)
            return None

    def _repeat(self, node: yaml.Node | None) -> tuple[expr.Node | None, bool]:
        if node is None:
            return None, False
        entries = self._mapping(node, {"over", "where"}, ("over",), "repeat", "repeat")
        if self._scalar(entries["over"]) != "members":
            self.report(_line(entries["over"]), "repeat 的 over 只能是 members",
                        "repeat 'over' can only be 'members'")
        where = entries.get("where")
        return (self._attempt(self._expression, where) if where is not None else None), True

    def _questions(self, node: yaml.Node) -> tuple[Question, ...] | None:
        items = self._list(node)
        if len(items) > MAX_QUESTIONS:
            raise _Problem(_line(node), f"问题超过 {MAX_QUESTIONS} 个，拒绝读取",
                           f"over {MAX_QUESTIONS} questions: refused")
        questions: list[Question] = []
        seen: set[str] = set()
        for item in items:
            question = self._attempt(self._question, item)
            if question is None:
                continue
            if question.id in seen:
                self.report(question.line, f"问题编号“{question.id}”重复",
                            f"duplicate question id '{question.id}'")
                continue
            seen.add(question.id)
            questions.append(question)
        return tuple(questions)

    def _question(self, node: yaml.Node) -> Question:
        entries = self._mapping(node, _QUESTION_KEYS, ("id", "label", "help"), "问题", "question")
        question_id = self._identifier(entries, "id")
        line = _line(entries["id"])
        computed = "calculate" in entries
        kind = str(self._scalar(entries["type"])) if "type" in entries else None
        if kind is None and not computed:
            raise _Problem(line, f"问题“{question_id}”缺少 type", f"question '{question_id}' "
                           "lacks a type")
        if kind is not None and kind not in QUESTION_TYPES:  # kept, typed "any": one report
            self.report(_line(entries["type"]), f"未知的问题类型“{kind}”（可用："
                        f"{'、'.join(QUESTION_TYPES)}）", f"unknown question type '{kind}'")
        choices = self._choices(entries.get("choices"), kind, line)
        optional = {key: self._attempt(self._expression, entries[key])
                    for key in ("relevant", "constraint", "calculate") if key in entries}
        required: bool | expr.Node = not computed
        if "required" in entries:
            value = self._scalar(entries["required"])
            required = value if isinstance(value, bool) else self._attempt(
                self._expression, entries["required"]) or False
        message = entries.get("constraint_message")
        if "constraint" in entries and message is None:
            self.report(line, f"问题“{question_id}”有 constraint 但缺少 constraint_message",
                        f"question '{question_id}' has a constraint but no constraint_message")
        return Question(
            id=question_id, type=kind or "calculate", label=self._text(entries["label"]),
            help=self._text(entries["help"]), line=line, choices=choices,
            relevant=optional.get("relevant"), required=required,
            constraint=optional.get("constraint"),
            constraint_message=self._text(message) if message is not None else "",
            calculate=optional.get("calculate"),
            unit=self._text(entries["unit"]) if "unit" in entries else "",
            lines={key: _line(value) for key, value in entries.items()})

    def _choices(self, node: yaml.Node | None, kind: str | None, line: int) -> tuple[Choice, ...]:
        if kind not in CHOICE_TYPES:
            if node is not None:
                self.report(_line(node), "只有选择题才有 choices",
                            "only choice questions have choices")
            return ()
        if node is None:
            raise _Problem(line, "选择题必须列出 choices", "a choice question needs choices")
        choices: list[Choice] = []
        for item in self._list(node):
            entries = self._mapping(item, {"value", "label"}, ("value", "label"), "选项", "choice")
            value = self._scalar(entries["value"])
            if not isinstance(value, str) or not value:
                self.report(_line(entries["value"]), "选项值应为文字（如 'yes' 要加引号）",
                            "a choice value must be text (quote values such as 'yes')")
                continue
            if any(choice.value == value for choice in choices):
                self.report(_line(entries["value"]), f"选项值“{value}”重复",
                            f"duplicate choice value '{value}'")
                continue
            choices.append(Choice(value, self._text(entries["label"])))
        if not choices:
            raise _Problem(line, "选择题至少要有一个选项", "a choice question needs a choice")
        return tuple(choices)

    def _sections(self, node: yaml.Node | None, ids: set[str]) -> tuple[Section, ...]:
        if node is None:
            return ()
        sections: list[Section] = []
        placed: set[str] = set()
        for item in self._attempt(self._list, node) or ():
            entries = self._attempt(self._mapping, item, {"title", "questions"},
                                    ("title", "questions"), "分页", "section")
            if entries is None:
                continue
            listed: list[str] = []
            for ref in self._attempt(self._list, entries["questions"]) or ():
                question_id = str(self._scalar(ref))
                if question_id not in ids:
                    self.report(_line(ref), f"分页引用了不存在的问题“{question_id}”",
                                f"the section lists an unknown question '{question_id}'")
                elif question_id in placed:
                    self.report(_line(ref), f"问题“{question_id}”出现在多个分页中",
                                f"question '{question_id}' is in more than one section")
                else:
                    placed.add(question_id)
                    listed.append(question_id)
            sections.append(Section(self._text(entries["title"]), tuple(listed)))
        return tuple(sections)

    def _rules(self, node: yaml.Node | None) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        for item in (self._attempt(self._list, node) or ()) if node is not None else ():
            rule = self._attempt(self._rule, item)
            if rule is None:
                continue
            if any(other.id == rule.id for other in rules):
                self.report(rule.line, f"发现规则编号“{rule.id}”重复",
                            f"duplicate finding id '{rule.id}'")
                continue
            rules.append(rule)
        return tuple(rules)

    def _rule(self, node: yaml.Node) -> Rule:
        entries = self._mapping(node, _RULE_KEYS, tuple(sorted(_RULE_KEYS)), "发现规则", "finding")
        severity = self._scalar(entries["severity"])
        if severity not in SEVERITIES:
            raise _Problem(_line(entries["severity"]), "severity 只能是 high、medium 或 low",
                           "severity must be high, medium or low")
        text = self._text(entries["text"])
        try:
            template = tuple(expr.compile_text(text))
        except expr.ExprError as error:
            raise _Problem(_line(entries["text"]), f"发现文字“{text}”的占位符有误："
                           f"{error.zh}", f"bad placeholder in '{text}': "
                           f"{error.en}") from None
        return Rule(self._identifier(entries, "id"), self._expression(entries["when"]),
                    self._text(entries["category"]), str(severity), text, template,
                    _line(entries["id"]), _line(entries["when"]), _line(entries["text"]))

    def _suggestion(self, node: yaml.Node | None) -> Suggestion | None:
        if node is None:
            return None
        entries = self._mapping(node, {"meets", "kind"}, ("meets", "kind"), "suggestion",
                                "suggestion")
        meets, kind = (self._attempt(self._expression, entries[key]) for key in ("meets", "kind"))
        if meets is None or kind is None:
            return None
        return Suggestion(meets, kind, _line(node))

    def _order(self, form: Form) -> tuple[Question, ...]:
        """Questions ordered so that a value is computed before anything that uses it;
        a cycle (a → b → a) is reported, since no order could compute it."""
        by_id = {q.id: q for q in form.questions}
        uses = {q.id: [name for node in (q.relevant, q.calculate) if node is not None
                       for name in sorted(expr.references(node)) if name in by_id]
                for q in form.questions}
        order: list[Question] = []
        state: dict[str, int] = {}  # 1 visiting, 2 done

        def visit(question_id: str, path: list[str]) -> None:
            if state.get(question_id) == 2:
                return
            if state.get(question_id) == 1:
                cycle = [*path[path.index(question_id):], question_id]
                self.report(by_id[question_id].line, f"计算或显示条件循环引用：{' → '.join(cycle)}",
                            f"calculate/relevant cycle: {' -> '.join(cycle)}")
                return
            state[question_id] = 1
            for used in uses[question_id]:
                visit(used, [*path, question_id])
            state[question_id] = 2
            order.append(by_id[question_id])

        for question in form.questions:
            visit(question.id, [])
        return tuple(order)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _expressions(form: Form) -> Iterable[tuple[int, expr.Node, expr.Type | None]]:
    """Every expression of a form with its line and, where one is expected, its type."""
    if form.repeat_where is not None:
        yield form.repeat_line, form.repeat_where, "bool"
    for q in form.questions:
        parts: tuple[tuple[str, expr.Node | bool | None, expr.Type | None], ...] = (
            ("relevant", q.relevant, "bool"),
            ("required", q.required, "bool"),
            ("constraint", q.constraint, "bool"),
            ("calculate", q.calculate, None),
        )
        for key, node, wanted in parts:
            if node is not None and not isinstance(node, bool):
                yield q.lines.get(key, q.line), node, wanted
    for rule in form.rules:
        yield rule.when_line, rule.when, "bool"
        for part in rule.template:
            if not isinstance(part, str):
                yield rule.text_line, part, None
    if form.suggestion is not None:
        yield form.suggestion.line, form.suggestion.meets, "bool"
        yield form.suggestion.line, form.suggestion.kind, "text"


def _form_order(forms: dict[str, Form], errors: list[FormError]) -> tuple[str, ...]:
    """Forms in dependency order (``income.per_capita_net`` needs income first); unknown
    forms and questions in qualified names, and cycles between forms, are reported."""
    for form in forms.values():
        used: set[str] = set()
        for line, node, _wanted in _expressions(form):
            for name in expr.references(node):
                if "." not in name:
                    continue
                form_id, question_id = name.split(".", 1)
                target = forms.get(form_id)
                if target is None:
                    errors.append(FormError(form.file, line, f"“{name}”引用了不存在的表单"
                                            f"“{form_id}”", f"'{name}' refers to an unknown "
                                            f"form '{form_id}'"))
                elif target.question(question_id) is None:
                    errors.append(FormError(form.file, line, f"表单“{form_id}”中没有问题"
                                            f"“{question_id}”", f"form '{form_id}' has no "
                                            f"question '{question_id}'"))
                elif form_id == form.id:
                    errors.append(FormError(form.file, line, f"本表单的问题直接写“{question_id}”，"
                                            f"不要写“{name}”", f"refer to this form's own "
                                            f"question as '{question_id}', not '{name}'"))
                else:
                    used.add(form_id)
        form.uses_forms = frozenset(used)
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(form_id: str, path: list[str]) -> None:
        if state.get(form_id) == 2:
            return
        if state.get(form_id) == 1:
            cycle = [*path[path.index(form_id):], form_id]
            errors.append(FormError(forms[form_id].file, 1,
                                    f"表单之间循环引用：{' → '.join(cycle)}",
                                    f"forms refer to each other in a cycle: {' -> '.join(cycle)}"))
            return
        state[form_id] = 1
        for used in sorted(forms[form_id].uses_forms):
            visit(used, [*path, form_id])
        state[form_id] = 2
        order.append(form_id)

    for form_id in sorted(forms):
        visit(form_id, [])
    return tuple(order)


def _check_types(form: Form, forms: Mapping[str, Form], settings: Settings,
                 errors: list[FormError]) -> None:
    """Type-check every expression of a form (forms it uses are already checked, so the
    types of their answers and calculates are known); fills ``form.types``."""
    types: dict[str, expr.Type] = dict(HOUSEHOLD_NAMES)
    if form.per_member:
        types.update(MEMBER_NAMES)
    for other_id in form.uses_forms:
        other = forms[other_id]
        for name, kind in other.types.items():
            types[f"{other_id}.{name}"] = "list" if other.per_member else kind
    for question in form.questions:
        types[question.id] = QUESTION_TYPES.get(question.type, "any")
    setting_types = settings.types()

    def check(line: int, node: expr.Node, wanted: expr.Type | None) -> expr.Type:
        names = expr.references(node)
        unknown = sorted(name for name in names if name not in types and "." not in name)
        if unknown:
            errors.append(FormError(form.file, line, f"未知的名称：{'、'.join(unknown)}",
                                    f"unknown name(s): {', '.join(unknown)}"))
            return "any"
        # qualified names still unknown here were reported by _form_order
        reported: dict[str, expr.Type] = {name: "any" for name in names if name not in types}
        try:
            found = expr.check(node, {**types, **reported}, setting_types)
        except expr.ExprError as error:
            errors.append(FormError(form.file, line, f"表达式“{error.expression}”有误："
                                    f"{error.zh}", f"expression '{error.expression}': "
                                    f"{error.en}"))
            return "any"
        for name, value in _choice_literals(node):
            question = _question_named(name, form, forms)
            if question is not None and question.choices and value not in {
                    choice.value for choice in question.choices}:
                errors.append(FormError(form.file, line, f"“{value}”不是问题“{name}”的选项值",
                                        f"'{value}' is not a choice value of '{name}'"))
        if wanted and found not in (wanted, "any"):
            errors.append(FormError(form.file, line, f"此处应为{_TYPE_ZH[wanted]}，表达式的结果却是"
                                    f"{_TYPE_ZH.get(found, found)}", f"a {wanted} is expected "
                                    f"here, the expression gives a {found}"))
        return found

    for question in form.order:
        if question.calculate is not None:
            types[question.id] = check(question.lines["calculate"], question.calculate, None)
    form.types = {q.id: types[q.id] for q in form.questions}
    for line, node, wanted in _expressions(form):
        if not any(q.calculate is node for q in form.questions):
            check(line, node, wanted)


def _choice_literals(node: expr.Node) -> Iterable[tuple[str, str]]:
    """(question name, text) for every ``name == 'text'``, ``name != 'text'`` and
    ``selected(name, 'text')`` in an expression: a misspelt choice value would silently
    never match, so it is checked against the question's choices."""
    pair: tuple[expr.Node, expr.Node] | None = None
    if isinstance(node, expr.Binary) and node.op in ("==", "!="):
        pair = (node.left, node.right)
    elif isinstance(node, expr.Call) and node.func == "selected" and len(node.args) == 2:
        pair = (node.args[0], node.args[1])
    if pair is not None:
        for name, value in (pair, pair[::-1]):
            if (isinstance(name, expr.Name) and isinstance(value, expr.Literal)
                    and isinstance(value.value, str)):
                yield name.name, value.value
    children: tuple[expr.Node, ...] = ()
    if isinstance(node, expr.Binary):
        children = (node.left, node.right)
    elif isinstance(node, expr.Unary):
        children = (node.operand,)
    elif isinstance(node, expr.Call):
        children = node.args
    for child in children:
        yield from _choice_literals(child)


def _question_named(name: str, form: Form, forms: Mapping[str, Form]) -> Question | None:
    """The question a (possibly qualified) name stands for, if it is one."""
    form_id, _, question_id = name.rpartition(".")
    owner = forms.get(form_id) if form_id else form
    return owner.question(question_id) if owner is not None else None


_TYPE_ZH = {"bool": "是/否", "number": "数字", "text": "文字", "date": "日期", "list": "列表",
            "any": "任意值"}
