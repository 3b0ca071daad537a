"""One base for the failures a user can meet and act on, in plain Chinese and English.

The CLI and the app each catch ``FieldVisitError`` once and show ``zh`` and ``en``; a
traceback is only ever for a bug. ``reason`` is a short stable code (the county keeps it
with a refused bundle; tests tell one refusal from another by it).
"""

from __future__ import annotations


class FieldVisitError(Exception):
    reason: str = "error"

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"
