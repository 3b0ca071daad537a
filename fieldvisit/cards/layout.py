"""The 明白卡 layout kept as data: ``resources/cards/mingbaika.yaml``.

Counties print their own variants (title, which sections and in what order, the
supervision hotline, who signs), so none of that is in code. The file is read with
PyYAML's ``compose`` so every problem is reported with its line, all at once, the way
``fieldvisit.checklist.settings`` reports a settings file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from fieldvisit import paths
from fieldvisit.checklist.settings import scalar
from fieldvisit.errors import FieldVisitError

SECTIONS = {
    "household": "基本情况",
    "members": "家庭成员",
    "helper": "帮扶责任人",
    "measures": "帮扶措施（享受政策）",
    "income": "收入情况",
    "guarantees": "“三保障”和饮水安全",
    "problems": "待整改问题",
}
PAPERS = ("A4", "A5")
KEYS = ("title", "paper", "sections", "print_health", "hotline", "signatures")
MAX_FILE_BYTES = 64 * 1024


class LayoutError(FieldVisitError):
    """A layout file that cannot be used; ``problems`` holds (line, zh, en) for each, and
    ``zh`` / ``en`` list them a line each."""

    def __init__(self, file: Path, problems: list[tuple[int, str, str]]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}:{line}: {zh}" for line, zh, _ in problems),
                         "\n".join(f"{file}:{line}: {en}" for line, _, en in problems))


@dataclass(frozen=True)
class CardLayout:
    title: str = "防返贫监测帮扶明白卡"
    paper: str = "A4"
    sections: tuple[str, ...] = tuple(SECTIONS)
    print_health: bool = False
    hotline: str = "12317"
    signatures: tuple[str, ...] = ("填写人", "帮扶责任人", "户主")

    def with_paper(self, paper: str) -> CardLayout:
        if paper not in PAPERS:
            raise ValueError(paper)
        return CardLayout(self.title, paper, self.sections, self.print_health, self.hotline,
                          self.signatures)


def bundled_layout_path() -> Path:
    return paths.resource("cards", "mingbaika.yaml")


def load_layout(path: Path | None = None) -> CardLayout:
    """The layout in ``path`` (the bundled one when None), validated."""
    path = Path(path) if path is not None else bundled_layout_path()
    if path.stat().st_size > MAX_FILE_BYTES:
        raise LayoutError(path, [(1, "版式文件太大", "the layout file is too large")])
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise LayoutError(path, [(line, f"YAML 格式错误：{error}",
                                  f"YAML syntax error: {error}")]) from None
    if root is None:
        return CardLayout()
    if not isinstance(root, yaml.MappingNode):
        raise LayoutError(path, [(root.start_mark.line + 1, "版式文件应为“名称: 值”的列表",
                                  "a layout file is a mapping of name: value")])
    values: dict[str, object] = {}
    problems: list[tuple[int, str, str]] = []
    for key, node in root.value:
        line = key.start_mark.line + 1
        name = str(key.value)
        if name not in KEYS:
            problems.append((line, f"没有名为“{name}”的版式项", f"unknown layout item '{name}'"))
            continue
        value, problem = _read(name, node)
        if problem:
            problems.append((node.start_mark.line + 1, *problem))
        else:
            values[name] = value
    if problems:
        raise LayoutError(path, problems)
    return CardLayout(**values)  # type: ignore[arg-type]


def _read(name: str, node: yaml.Node) -> tuple[object, tuple[str, str] | None]:
    if name in ("title", "hotline", "paper"):
        value = _plain(node)
        if value is None or isinstance(value, bool | list) or str(value).strip() == "":
            return None, (f"“{name}”应为一段文字", f"'{name}' must be text")
        text = str(value).strip()
        if name == "paper" and text.upper() not in PAPERS:
            return None, (f"纸张应为 A4 或 A5，不是“{text}”",
                          f"paper must be A4 or A5, not '{text}'")
        return (text.upper() if name == "paper" else text), None
    if name == "print_health":
        value = _plain(node)
        if not isinstance(value, bool):
            return None, ("print_health 应为 true 或 false", "print_health must be true or false")
        return value, None
    items = _texts(node)
    if items is None or not items:
        return None, (f"“{name}”应为非空的文字列表，如 [a, b]",
                      f"'{name}' must be a non-empty list of text, like [a, b]")
    if name == "sections":
        unknown = [item for item in items if item not in SECTIONS]
        if unknown:
            known = "、".join(SECTIONS)
            return None, (f"没有名为“{unknown[0]}”的栏目（可用：{known}）",
                          f"unknown section '{unknown[0]}' (known: {', '.join(SECTIONS)})")
        if len(set(items)) != len(items):
            return None, ("栏目不能重复", "a section is listed twice")
    return tuple(items), None


def _plain(node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        if node.tag.startswith("tag:yaml.org,2002:") and node.tag.rsplit(":", 1)[1] in (
                "str", "int", "float", "bool", "null"):
            return scalar(node)
        return node.value
    return []


def _texts(node: yaml.Node) -> list[str] | None:
    if not isinstance(node, yaml.SequenceNode):
        return None
    items = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
            return None
        items.append(str(item.value).strip())
    return items
