"""One base for the failures a user can meet and act on, in plain Chinese and English.

The CLI and the app each catch ``FieldVisitError`` once and show ``zh`` and ``en``; a
traceback is only ever for a bug. ``reason`` is a short stable code (the county keeps it
with a refused bundle; tests tell one refusal from another by it).
"""

from __future__ import annotations

from pathlib import Path


class FieldVisitError(Exception):
    reason: str = "error"

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"


class FileProblems(FieldVisitError):
    """A data file (settings, vocabulary) that cannot be used: ``problems`` holds (line,
    zh, en) for each, and ``zh`` / ``en`` list them a line each, the file and line first."""

    def __init__(self, file: Path, problems: list[tuple[int, str, str]]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}:{line}: {zh}" for line, zh, _ in problems),
                         "\n".join(f"{file}:{line}: {en}" for line, _, en in problems))
