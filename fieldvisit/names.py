"""Search keys for Chinese names: full pinyin and initials, so "zs" or "zhangsan" finds 张三.

pypinyin is slow when called per name (about 6 s for 100,000 names), but names repeat a
few thousand characters, so readings are cached per character. Keys are computed once,
when a name is written, and stored with the member.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def _reading(char: str) -> str:
    if char.isascii():
        return char.lower()
    reading = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return reading[0].lower() if reading else ""


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin without spaces, initials) for a name; characters with no reading drop out."""
    readings = [_reading(ch) for ch in name if not ch.isspace() and ch not in "·•."]
    readings = [r for r in readings if r]
    return "".join(readings), "".join(r[0] for r in readings)
