"""Python's cycle collector paused while bulk work builds millions of objects.

A roster import of 100,000 persons makes millions of dicts, lists and records that all
live until it ends; the collector, triggered every few hundred allocations, walks them
again and again and finds nothing to free (the import makes no garbage cycles): 12% of
the import's time on the 2-core machine (docs/performance.md). Reference counting still
frees everything as usual; only the search for cycles waits until the work is done.

The pause is shared: the app may import on a worker thread while the CLI-side code of
another operation also pauses it, and the collector comes back when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside (also when the work fails), as it was before after."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
