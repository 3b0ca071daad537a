"""Search keys for Chinese names: full pinyin and initials, so "zs" or "zhangsan" finds 张三.

pypinyin is slow when called per name (about 6 s for 100,000 names), but names repeat a
few thousand characters, so each character's reading is looked up once and kept in a
``str.translate`` table: keys for 100,000 names then take a fraction of a second. Keys
are computed when a name is written and stored with the member.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

# Surnames read differently from the character's everyday reading (曾 is zeng, not ceng);
# a cadre types the surname the way it is said.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "覃": "qin", "区": "ou", "仇": "qiu", "查": "zha", "解": "xie",
    "朴": "piao", "盖": "ge", "缪": "miao", "乐": "yue", "翟": "zhai", "尉": "yu", "召": "shao",
    "种": "chong", "秘": "bi", "句": "gou", "藏": "zang", "员": "yun", "长": "chang",
    "重": "chong", "宿": "su",
}
_SKIPPED = frozenset(" \t\u3000·•.")
_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


def _reading(char: str) -> str:
    """The character's first (most common) reading without tones, ü as v as typed.

    Read from pypinyin's per-character table only (see ``load_readings``).
    """
    if char in _SKIPPED or char.isspace():
        return ""
    if char.isascii():
        return char.lower()
    readings = load_readings().get(ord(char))
    return readings.split(",")[0].translate(_TONELESS) if readings else ""


def load_readings() -> Mapping[int, str]:
    """Load pypinyin's per-character table now, so that a caller with time to spare
    (an import waiting on its file) does not pay for it at its first name.

    Importing pypinyin loads its phrase dictionary and copies both tables unless told
    not to: 0.2 s and 56 MB for the whole life of the app, where a name needs neither
    (0.04 s and 12 MB without)."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


class _Table(dict[int, str]):
    """A ``str.translate`` table that fills itself on first sight of a character."""

    def __init__(self, pick: Callable[[str], str]) -> None:
        super().__init__()
        self._pick = pick

    def __missing__(self, code: int) -> str:
        value = self[code] = self._pick(_reading(chr(code)))
        return value


_FULL = _Table(lambda reading: reading)
_INITIALS = _Table(lambda reading: reading[:1])


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin without spaces, initials) for a name; characters with no reading drop out."""
    name = name.strip()
    surname = SURNAME_READINGS.get(name[:1])
    if surname:
        rest = name[1:]
        return surname + rest.translate(_FULL), surname[0] + rest.translate(_INITIALS)
    return name.translate(_FULL), name.translate(_INITIALS)
