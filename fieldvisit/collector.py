"""Python's cycle collector: who holds automatic collection off, and bulk work.

Three kinds of holder share it:

- the app's main window (``qt.collector``): an automatic collection runs in whichever
  thread allocates, and in a worker it can destroy a Qt object off the UI thread, so
  while the window is open collection runs only on the UI thread, by timer;
- a running Qt job (``qt.workers.Worker``), for the same reason, from its start to its
  end as the UI thread sees it, so that a dialog with no main window is safe too;
- bulk work (a roster import, the ledger export) makes millions of dicts, lists and
  records that all live until it ends. The collector, triggered every few hundred
  allocations, walks them again and again and finds nothing to free (the work makes no
  garbage cycles): 12% of a 100,000-person import (docs/performance.md). While bulk work
  runs no collection is worth its time, the UI's timed ones included (``bulk_running``).

Reference counting frees everything as usual; only the search for cycles waits.
Automatic collection comes back as it was before the first holder when the last one
lets go, whichever thread and in whatever order they end.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_bulk = 0
_was_enabled = False


def hold() -> None:
    """Automatic collection off until the matching ``release``."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1


def release() -> None:
    global _holders
    with _lock:
        _holders -= 1
        if _holders == 0 and _was_enabled:
            gc.enable()


def bulk_running() -> bool:
    """Whether bulk work is running now (a timed collection would be wasted on it)."""
    return _bulk > 0


@contextmanager
def paused() -> Iterator[None]:
    """Bulk work: no collection inside (also when it fails), as before after. Usable
    as a decorator."""
    global _bulk
    hold()
    with _lock:
        _bulk += 1
    try:
        yield
    finally:
        with _lock:
            _bulk -= 1
        release()
