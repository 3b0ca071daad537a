"""PySide6 6.12 drops a reference to ``True`` on every signal emitted from Python.

``SignalInstance.emit()`` (and ``disconnect()``) hand back ``True`` without taking a
reference to it, so each call takes one reference away from the interpreter's one
``True``. On Python 3.11 booleans are ordinary objects with a count: after enough
emits (progress reports, a long test session) the count reaches zero while references
remain, and the interpreter aborts with "Fatal Python error: bool_dealloc", usually
during its final collection at exit. Python 3.12 made ``True`` and ``False`` immortal
(PEP 683), which is what ``keep_booleans_alive`` does here, and only when the bug shows.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

# References added to True and False: more than any session can emit away (one emit a
# microsecond would need nine years), far from the counter's limit.
_MARGIN = 1 << 48
_PROBES = 8


class _Probe(QObject):
    fired = Signal()


def emit_loses_references() -> bool:
    """Whether emitting a signal costs ``True`` a reference (the PySide6 6.12 bug)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    return sys.getrefcount(True) < before


def keep_booleans_alive() -> None:
    """Make ``True`` and ``False`` as good as immortal where the interpreter does not and
    PySide6 loses references to them; nothing elsewhere."""
    if sys.version_info >= (3, 12) or not emit_loses_references():
        return
    if hasattr(sys, "getobjects"):  # a trace-refs debug build: objects start otherwise
        return
    for value in (True, False):
        # ob_refcnt is the first field of every CPython object (of release builds).
        ctypes.c_ssize_t.from_address(id(value)).value += _MARGIN
