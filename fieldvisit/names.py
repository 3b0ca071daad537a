"""Search keys for Chinese names: full pinyin and initials, so "zs" or "zhangsan" finds 张三.

pypinyin is slow when called per name (about 6 s for 100,000 names), but names repeat a
few thousand characters, so readings are cached per character. Keys are computed once,
when a name is written, and stored with the member.
"""

from __future__ import annotations

from functools import lru_cache

# Surnames read differently from the character's everyday reading (曾 is zeng, not ceng);
# a cadre types the surname the way it is said.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "覃": "qin", "区": "ou", "仇": "qiu", "查": "zha", "解": "xie",
    "朴": "piao", "盖": "ge", "缪": "miao", "乐": "yue", "翟": "zhai", "尉": "yu", "召": "shao",
    "种": "chong", "秘": "bi", "句": "gou", "藏": "zang", "员": "yun", "长": "chang",
    "重": "chong", "宿": "su", "万": "wan", "柏": "bai", "燕": "yan",
}


@lru_cache(maxsize=65536)
def _reading(char: str) -> str:
    if char.isascii():
        return char.lower()
    from pypinyin import Style, lazy_pinyin  # imported on first use: 0.3 s off every start

    reading = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return reading[0].lower() if reading else ""


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin without spaces, initials) for a name; characters with no reading drop out."""
    chars = [ch for ch in name if not ch.isspace() and ch not in "·•."]
    readings = [
        SURNAME_READINGS.get(ch) if n == 0 and ch in SURNAME_READINGS else _reading(ch)
        for n, ch in enumerate(chars)
    ]
    readings = [r for r in readings if r]
    return "".join(readings), "".join(r[0] for r in readings)
