"""The error log in the data folder: what a bug left behind, for the county's IT staff.

The log may leave the laptop (帮助 → 导出诊断信息 puts it in a zip for the county), so it
must not carry personal data. What goes in, and why it is safe:

- the traceback's frames: file, line, function and the program's own source line. No
  local variable values (``capture_locals`` is never used), and SQLAlchemy's engines
  hide statement parameters (``fieldvisit.store.make_engine``), so a row's values do not
  reach a frame.
- each exception's type and message, with 18-character ID numbers and 11-digit mobile
  numbers replaced, and every run of Chinese characters in the *message* replaced by its
  length: an unexpected exception's message may quote data (``KeyError('张三')``), and a
  name cannot be told from other Chinese text. 户编号 (household codes) and other digits
  stay: they are not personal and are what makes a report traceable.
- a ``FieldVisitError`` is an expected refusal shown to the cadre, never logged.

Rotation (1 MB × 5) keeps a laptop that hits the same bug on every start from filling
its disk.
"""

from __future__ import annotations

import logging
import re
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

ERROR_LOG = "fieldvisit-errors.log"  # in the data folder, where a cadre's files already are
MAX_BYTES = 1_000_000
BACKUPS = 5
_LOGGER = "fieldvisit.errors"

_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def scrub(text: str) -> str:
    """``text`` without ID numbers and mobile numbers (anywhere in a log line)."""
    return _PHONE.sub("<phone>", _ID_NUMBER.sub("<id-number>", text))


def masked_message(error: BaseException) -> str:
    """An exception's message as the log keeps it: scrubbed, Chinese runs as their length."""
    return _CHINESE.sub(lambda run: f"<{len(run.group())}字>", scrub(str(error)))


def describe(error: BaseException) -> str:
    """The traceback of ``error`` and the exceptions it was raised from or during, in
    Python's order (the first cause first), without local values or personal data."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__)
    parts = []
    for position, exception in enumerate(reversed(chain)):
        if position:
            parts.append("\nThe above exception led to the following one:\n\n")
        frames = traceback_frames(exception)
        if frames:
            parts.append("Traceback (most recent call last):\n" + frames)
        name = type(exception).__qualname__
        message = masked_message(exception)
        parts.append(f"{name}: {message}\n" if message else f"{name}\n")
    return scrub("".join(parts))


def traceback_frames(error: BaseException) -> str:
    return "".join(traceback.extract_tb(error.__traceback__).format())


def error_log(folder: Path) -> Path:
    return Path(folder) / ERROR_LOG


def logger(folder: Path) -> logging.Logger:
    """The data folder's error logger, its rotating file attached once per folder."""
    log = logging.getLogger(f"{_LOGGER}.{abs(hash(str(Path(folder).resolve())))}")
    path = error_log(folder).resolve()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path
               for h in log.handlers):
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                      encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("---- %(asctime)s %(threadName)s\n%(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.ERROR)
    log.propagate = False  # stderr gets the traceback from the caller, once
    return log


def record(folder: Path, error: BaseException) -> str:
    """Append ``error`` to the folder's log; what was written. An ``OSError`` (a full or
    read-only disk) propagates: the caller says the log could not be written."""
    details = describe(error)
    log = logger(folder)
    log.error(details.rstrip("\n"))
    for handler in log.handlers:
        handler.flush()
        stream = getattr(handler, "stream", None)
        if stream is None:  # delay=True and opening failed: logging swallowed it
            raise OSError(f"cannot open {error_log(folder)}")
    return details


def log_files(folder: Path) -> list[Path]:
    """The log and its rotated copies, newest first."""
    first = error_log(folder)
    found = [first] if first.is_file() else []
    found += [p for n in range(1, BACKUPS + 1) if (p := Path(f"{first}.{n}")).is_file()]
    return found


def close(folder: Path) -> None:
    """Let go of the folder's log file (tests remove folders; Windows cannot with it open)."""
    log = logger(folder)
    for handler in list(log.handlers):
        handler.close()
        log.removeHandler(handler)
