"""The one way a screen writes: ``Ops`` runs the write and broadcasts what it changed.

Like Anki's ``CollectionOp`` and ``OpChanges``: a screen never refreshes itself or its
neighbours after a write. It hands the write to ``Ops`` (``write`` for the quick ones,
on the UI thread; ``run`` for the slow ones, in a ``JobProgress`` worker), and every
screen that shows the store listens to the one ``changed`` signal and refreshes what
the ``Changed`` value says it shows: the roster its rows and colours, the household panel
its household, the ledger, the dashboard, the sync status line.

What changed is read from the journal (``Store.changes_after``), which every writer fills
in the same transaction (own edits, imports, a county's return bundle): the entries after
the last one before the op. So core writers need not return anything for the screens,
and a write that failed half-way (or another program's write meanwhile) is still seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from fieldvisit.qt.job_progress import JobProgress
from fieldvisit.qt.workers import Cancelled, JobFunction, Progress
from fieldvisit.roster.queries import households_of
from fieldvisit.store import Changes, Store

T = TypeVar("T")

# More journal entries than this (an import, a sync) are not sorted out household by
# household: every screen reloads.
MAX_LISTED = 500
# Entities whose rows lie above households: a change redraws the village tree.
_PLACES = frozenset({"county", "township", "village", "village_group"})
# What the roster, the household panel and the dashboard show: a draft's answers and
# photos (saved as they are typed) are none of it.
HOUSEHOLD_FACTS = ("household", "member", "measure", "visit", "problem", "problem_step")


@dataclass(frozen=True)
class Changed:
    """What one op changed: ``changes`` by table (as ``Store.write`` reports them) and
    the households they belong to; ``households`` None means too much to list, or the
    villages themselves changed: every screen reloads whole."""

    changes: Changes
    households: frozenset[str] | None

    @property
    def everything(self) -> bool:
        return self.households is None

    def touches(self, *entities: str) -> bool:
        return self.everything or any(self.changes.touches(e) for e in entities)

    def touches_household(self, household_id: str | None) -> bool:
        return household_id is not None and (
            self.households is None or household_id in self.households)

    def __bool__(self) -> bool:
        return self.everything or bool(self.changes)


def changed_since(store: Store, seq: int) -> Changed:
    """What the journal entries after ``seq`` changed, as screens need it."""
    changes = store.changes_after(seq, MAX_LISTED)
    if changes is None or any(changes.touches(place) for place in _PLACES):
        return Changed(changes or Changes(), None)
    rows = {entity: {*changes.inserted.get(entity, ()), *changes.updated.get(entity, ())}
            for entity in {*changes.inserted, *changes.updated}}
    with store.reading() as conn:
        return Changed(changes, frozenset(households_of(conn, rows)))


class Ops(QObject):
    """The store a window works on, and the one broadcast of its writes.

    Owned by the main window (a screen opened on its own, as in tests, gets one of its
    own); screens take it instead of the bare store: ``ops.store`` for reads.
    """

    changed = Signal(object)  # Changed

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    def write(self, write: Callable[[], T]) -> T:
        """A quick write (a member edit, a ledger move, one answer) on the UI thread;
        returns what it returns and raises what it raises, after broadcasting."""
        seq = self.store.journal_end()
        try:
            return write()
        finally:
            self._broadcast(changed_since(self.store, seq))

    def run(self, job: JobProgress, write: JobFunction, text: str,
            on_success: Callable[[Any], str], bar_format: str = "%p%") -> None:
        """A slow write (an import, a sync) in ``job``'s worker; what it changed is
        read there too, and broadcast once its thread has ended, however it ended."""
        seq = self.store.journal_end()
        seen: list[Changed] = []

        def run_write(progress: Progress, cancelled: Cancelled) -> Any:
            try:
                return write(progress, cancelled)
            finally:
                seen.append(changed_since(self.store, seq))

        job.run(run_write, text, on_success, bar_format,
                then=lambda: self._broadcast(*seen))

    def _broadcast(self, changed: Changed | None = None) -> None:
        if changed:
            self.changed.emit(changed)
