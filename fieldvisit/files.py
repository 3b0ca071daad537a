"""Crash-safe file writing for everything FieldVisit hands to a cadre or a county.

A laptop may lose power mid-export and a USB stick may be pulled: a file is written to
a temporary name beside its destination, flushed to disk, then renamed over it in one
step, so the destination holds either the old complete file or the new complete one,
never half of either.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(destination: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``destination``."""
    destination = Path(destination)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".part", dir=destination.parent)
    os.close(handle)
    partial = Path(temporary)
    try:
        yield partial
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, destination)
        _sync_folder(destination.parent)
    finally:
        partial.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
