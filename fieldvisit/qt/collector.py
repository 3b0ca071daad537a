"""Python's cyclic garbage collector, run on the UI thread while the main window is open.

An automatic collection runs in whichever thread happens to allocate. Run in a worker,
it can free a Qt wrapper left in a reference cycle by the UI (a closed dialog's, a
lambda's) and so destroy a Qt object off the UI thread, which Qt does not survive. As
Anki and pyqtgraph do, automatic collection is switched off while a window that runs
workers is open, and a timer on the UI thread collects whenever the counts pass gc's
usual thresholds. When the last such window has gone, automatic collection is back
(``fieldvisit.collector`` keeps the count, shared with the bulk work that pauses
collection too).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from fieldvisit import collector

INTERVAL_MS = 1000  # how often the counts are looked at; a collection takes milliseconds


class UiThreadCollector(QObject):
    """Owned by the main window: automatic collection is off while it lives, and each
    generation is collected on its timer when gc's own threshold says so, unless an
    import or an export is running (its objects all live: nothing to find)."""

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        collector.hold()
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(INTERVAL_MS)
        self.destroyed.connect(collector.release)

    def collect_due(self) -> None:
        if collector.bulk_running():
            return
        counts = gc.get_count()
        for generation in (2, 1, 0):  # the oldest due generation collects the younger too
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return
