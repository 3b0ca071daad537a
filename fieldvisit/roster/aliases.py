"""The county's words for a household's status, read into the national system's fields.

Exports write 户类型 and 监测对象类别 in many ways (脱贫享受政策户, 监测户, 即时帮扶户,
"脱贫户（突发严重困难户）"…), and new ones turn up with every county. So the words are data,
not code: ``resources/vocabulary.yaml`` ships with the app, and a county's own
``vocabulary.yaml`` (in its data folder, sent to the laptops in return bundles like its
forms) replaces it. Each word says only what it says (a 户类型, 是否监测对象, a 监测对象类别),
so a cell naming two of them ("监测户（脱贫不稳定户）") is read word by word and merged, and a
脱贫户 that is also a 突发严重困难户 keeps both. A word the table does not know is the
importer's to keep as written and report: it never drops a household.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from fieldvisit import paths
from fieldvisit.errors import FileProblems
from fieldvisit.roster import vocab

FILENAME = "vocabulary.yaml"
VERSION = 1
MAX_FILE_BYTES = 256 * 1024
MAX_WORD = 16  # household.hh_type's column
_KEYS = frozenset({"type", "monitored", "category", "note", "note_en"})
_T = TypeVar("_T")
_FILLER = re.compile(r"[\s()（）\[\]【】/／、,，;；:：·.\-—_|]+")


@dataclass(frozen=True)
class Status:
    """What words say of a household; None where they say nothing."""

    hh_type: str | None = None
    monitored: bool | None = None
    category: str | None = None

    def merged(self, other: Status) -> Status | None:
        """Both statuses at once; None when they contradict each other."""
        pairs = ((self.hh_type, other.hh_type), (self.monitored, other.monitored),
                 (self.category, other.category))
        if any(a is not None and b is not None and a != b for a, b in pairs):
            return None
        return Status(_either(self.hh_type, other.hh_type),
                      _either(self.monitored, other.monitored),
                      _either(self.category, other.category))


def _either(mine: _T | None, theirs: _T | None) -> _T | None:
    return mine if mine is not None else theirs


@dataclass(frozen=True)
class Word:
    status: Status
    note: tuple[str, str] | None = None  # (zh, en) shown as an import warning


@dataclass(frozen=True)
class Reading:
    """A cell read through the table: its status and the notes of the words in it."""

    status: Status
    notes: tuple[tuple[str, str], ...] = ()


class VocabularyError(FileProblems):
    """A vocabulary file that cannot be used, every problem with its line."""


def key(text: object) -> str:
    """A cell or word as compared: NFKC, no spaces."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


@dataclass(frozen=True)
class Vocabulary:
    words: Mapping[str, Word]
    # a file repeats a few cells: each is read once (the words, longest first, too)
    _read: dict[str, Reading | None] = field(default_factory=dict, compare=False, repr=False)
    _longest_first: list[str] = field(default_factory=list, compare=False, repr=False)

    def read(self, text: str) -> Reading | None:
        """The status ``text`` names: the whole cell as one word, else every known word
        in it (longest first) with nothing else left over; None when it is not readable
        that way (unknown words, or words that contradict each other)."""
        text = key(text)
        if text not in self._read:
            self._read[text] = self._reading(text)
        return self._read[text]

    def _reading(self, text: str) -> Reading | None:
        if text in self.words:
            word = self.words[text]
            return Reading(word.status, (word.note,) if word.note else ())
        if not self._longest_first:
            self._longest_first.extend(sorted(self.words, key=len, reverse=True))
        rest, found = text, []
        for candidate in self._longest_first:
            if len(candidate) > 1 and candidate in rest:
                found.append(self.words[candidate])
                rest = rest.replace(candidate, "|")
        if not found or _FILLER.sub("", rest):
            return None
        status: Status | None = Status()
        for word in found:
            status = status.merged(word.status) if status else None
        if status is None:
            return None
        return Reading(status, tuple(w.note for w in found if w.note))


def bundled_path() -> Path:
    return paths.resource(FILENAME)


def path_for(data_dir: Path | None) -> Path:
    """The county's table in ``data_dir`` when one was installed, else the app's."""
    own = Path(data_dir) / FILENAME if data_dir else None
    return own if own and own.is_file() else bundled_path()


def load(path: Path) -> Vocabulary:
    """The table in ``path``, checked whole: VocabularyError lists every problem."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise VocabularyError(path, [(1, "词表文件太大", "the vocabulary file is too large")])
    return parse(path.read_text(encoding="utf-8"), path)


def parse(text: str, path: Path) -> Vocabulary:
    try:
        root = yaml.safe_load(text)
        lines = _lines(text)
    except yaml.YAMLError as error:
        mark = error.problem_mark if isinstance(error, yaml.MarkedYAMLError) else None
        raise VocabularyError(path, [(mark.line + 1 if mark else 1, f"YAML 格式错误：{error}",
                                      f"YAML syntax error: {error}")]) from None
    if not isinstance(root, dict) or not isinstance(root.get("words"), dict):
        raise VocabularyError(path, [(1, "词表应有 version 和 words 两项",
                                      "a vocabulary has a version and a words mapping")])
    problems: list[tuple[int, str, str]] = []
    if root.get("version") != VERSION:
        problems.append((lines.get("version", 1), f"词表版本应为 {VERSION}",
                         f"the vocabulary's version must be {VERSION}"))
    words: dict[str, Word] = {}
    for word, entry in root["words"].items():
        line = lines.get(str(word), 1)
        spelled = key(word)
        parsed = _word(entry)
        if isinstance(parsed, tuple):
            problems.append((line, f"“{word}”：{parsed[0]}", f"'{word}': {parsed[1]}"))
        elif not spelled or len(spelled) > MAX_WORD:
            problems.append((line, f"“{word}”：词应为 1 到 {MAX_WORD} 个字",
                             f"'{word}': a word has 1 to {MAX_WORD} characters"))
        else:
            words[spelled] = parsed
    if problems:
        raise VocabularyError(path, problems)
    return Vocabulary(words)


def _word(entry: object) -> Word | tuple[str, str]:
    """One word's entry, or what is wrong with it (zh, en)."""
    if not isinstance(entry, dict) or not entry:
        return "应写出 type、monitored 或 category", "give type, monitored or category"
    unknown = sorted(str(k) for k in entry if k not in _KEYS)
    if unknown:
        return f"不认识的项 {'、'.join(unknown)}", f"unknown keys {', '.join(unknown)}"
    hh_type, monitored, category = entry.get("type"), entry.get("monitored"), entry.get("category")
    if hh_type is not None and hh_type not in vocab.HOUSEHOLD_TYPES:
        return (f"type 应为 {'、'.join(vocab.HOUSEHOLD_TYPES)} 之一",
                f"type must be one of {', '.join(vocab.HOUSEHOLD_TYPES)}")
    if monitored is not None and not isinstance(monitored, bool):
        return "monitored 应为 true 或 false", "monitored must be true or false"
    if category is not None and category not in vocab.MONITOR_CATEGORIES:
        return (f"category 应为 {'、'.join(vocab.MONITOR_CATEGORIES)} 之一",
                f"category must be one of {', '.join(vocab.MONITOR_CATEGORIES)}")
    if category is not None and monitored is False:
        return "写了 category 的词不能是 monitored: false", "a category implies monitored"
    if hh_type is None and monitored is None and category is None:
        return "应写出 type、monitored 或 category", "give type, monitored or category"
    note, note_en = entry.get("note"), entry.get("note_en")
    if any(text is not None and not isinstance(text, str) for text in (note, note_en)):
        return "note 应为文字", "note must be text"
    status = Status(hh_type, True if category else monitored, category)
    return Word(status, (note, note_en or note) if note else None)


def _lines(text: str) -> dict[str, int]:
    """The line of each top-level and word key, for messages."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"\s*(['\"]?)([^'\":#]+)\1\s*:", line)
        if match:
            found.setdefault(match.group(2).strip(), number)
    return found
