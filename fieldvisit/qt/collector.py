"""Python's cyclic garbage collector, run on the UI thread only.

An automatic collection runs in whichever thread happens to allocate. Run in a worker,
it can free a Qt wrapper left in a reference cycle by the UI (a closed dialog's, a
lambda's) and so destroy a Qt object off the UI thread, which Qt does not survive. As
Anki and pyqtgraph do, automatic collection is switched off once a QApplication exists
and a timer on the UI thread collects whenever the counts pass the usual thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 1000  # how often the counts are looked at; a collection takes milliseconds


class UiThreadCollector(QObject):
    """Owned by the application: disables automatic collection while it lives and
    collects each generation on its timer when gc's own threshold says so."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(INTERVAL_MS)

    def collect_due(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):  # the oldest due generation collects the younger too
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


def install() -> None:
    """Collect on the UI thread from now on (once per application; called on the UI
    thread before any worker starts)."""
    app = QCoreApplication.instance()
    if app is not None and app.findChild(UiThreadCollector) is None:
        UiThreadCollector(app)
