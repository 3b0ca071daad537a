"""The documents the app prints, as data: what each is called, the file it saves as, and
the function that writes it.

The print preview and the batch dialog only show a ``Printable`` and ask for one; what
goes into a 明白卡, a 走访记录表 or a 村级汇总报告, which households a village or group
prints, and how a batch writes one file per household live here, testable without Qt.
A writer is ``writer(path, progress, cancelled)`` like every long job of the app, so a
worker can run it and cancel it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fieldvisit.cards import signing
from fieldvisit.cards.layout import load_layout
from fieldvisit.cards.pdf import write_cards
from fieldvisit.cards.village_report import write_village_report
from fieldvisit.cards.visit_record import write_visit_records
from fieldvisit.roster import queries
from fieldvisit.roster.queries import HouseholdRow, VillageNode
from fieldvisit.store import Store
from fieldvisit.store.models import Household
from fieldvisit.visits import visit

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
# Writes one PDF at the given path (crash-safe, as the core writers do); the page count.
PdfWriter = Callable[[Path, Progress, Cancelled], Any]


@dataclass(frozen=True)
class Printable:
    """One document to preview: its title (Chinese, and English for an English
    interface), the file name it saves as, and its writer."""

    title: str
    title_en: str
    file_name: str
    writer: PdfWriter


# Characters Windows refuses in a file name (and every control character), and the
# device names it reserves whatever the extension.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                       *(f"LPT{n}" for n in range(1, 10))})
_MAX_STEM = 80  # characters: 240 bytes in UTF-8, under every file system's 255


def safe_file_name(*parts: str) -> str:
    """``part_part….pdf``, valid on Windows, FAT32 sticks and Linux alike: a head's name
    or a village's may hold any character."""
    stem = _UNSAFE.sub("_", "_".join(part for part in parts if part)).strip(" .")
    stem = stem[:_MAX_STEM] or "FieldVisit"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return stem + ".pdf"


def household_row(store: Store, household_id: str) -> HouseholdRow:
    """One household's roster line: its 户编号 and head's name make its file names."""
    with store.reading() as conn:
        return queries.household_rows(conn, [household_id])[0]


def card_writer(store: Store, household_ids: list[str], *, paper: str | None = None,
                whole_ids: bool = False) -> PdfWriter:
    """明白卡 for these households, one PDF, each with its signed QR code (as the CLI)."""

    def write(path: Path, progress: Progress, cancelled: Cancelled) -> int:
        layout = load_layout(None)
        if paper is not None:
            layout = layout.with_paper(paper)
        return write_cards(store, household_ids, path, layout, date.today(),
                           whole_ids=whole_ids, progress=progress, cancelled=cancelled,
                           qr_payload=lambda card: signing.qr_payload(store, card.household_id))

    return write


def household_card(store: Store, household_id: str) -> Printable:
    """One household's 明白卡 (IDs masked), saved as 户编号_户主姓名.pdf."""
    row = household_row(store, household_id)
    return Printable("明白卡预览", "Household card preview", safe_file_name(row.code, row.head),
                     card_writer(store, [household_id]))


def visit_record(store: Store, visit_id: str) -> Printable:
    """One completed visit's 走访记录表."""
    record = visit.load(store, visit_id)
    row = household_row(store, record.household_id)
    day = record.completed_on or record.started_on

    def write(path: Path, progress: Progress, cancelled: Cancelled) -> int:
        return write_visit_records(store, [visit_id], path, date.today(),
                                   progress=progress, cancelled=cancelled)

    return Printable("走访记录预览", "Visit record preview",
                     safe_file_name("走访记录", row.code, row.head, f"{day:%Y%m%d}"), write)


def village_report(store: Store, village: VillageNode) -> Printable:
    """The village's 村级汇总报告 as of today (needs the village's code)."""
    code, today = village.code or "", date.today()

    def write(path: Path, progress: Progress, cancelled: Cancelled) -> int:
        return write_village_report(store, code, path, today,
                                    progress=progress, cancelled=cancelled)

    return Printable("村级汇总报告预览", "Village summary report preview",
                     safe_file_name("村级汇总报告", village.name, f"{today:%Y%m%d}"), write)


# Batches of cards -----------------------------------------------------------------------------

@dataclass(frozen=True)
class BatchResult:
    """What a batch wrote: ``written`` of ``total`` households, in ``files``."""

    files: list[Path]
    written: int
    total: int
    pages: int

    @property
    def complete(self) -> bool:
        return self.written == self.total


def village_of(villages: list[VillageNode],
               scope: tuple[str, str] | None) -> VillageNode | None:
    """The village chosen in the tree or holding the chosen 村民小组; with the tree at 全部,
    the only village there is, else None."""
    for village in villages:
        if scope in (("village", village.id), *(("group", g.id) for g in village.groups)):
            return village
    return villages[0] if len(villages) == 1 else None


def households_of(store: Store, scope: tuple[str, str]) -> list[str]:
    """The live households of a village (``("village", id)``) or group (``("group", id)``),
    in 户编号 order, as the roster lists them."""
    kind, node_id = scope
    column = Household.village_id if kind == "village" else Household.group_id
    with store.reading() as conn:
        return list(conn.execute(
            select(Household.id).where(column == node_id, Household.deleted.is_(False))
            .order_by(Household.code)).scalars())


def write_one(household_ids: list[str], path: Path, writer_for: Callable[[list[str]], PdfWriter],
              progress: Progress, cancelled: Cancelled) -> BatchResult:
    """Every household's card in one PDF at ``path``; a cancel leaves no file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pages = writer_for(household_ids)(path, progress, cancelled)
    return BatchResult([path], len(household_ids), len(household_ids), pages)


def write_each(store: Store, household_ids: list[str], folder: Path,
               writer_for: Callable[[list[str]], PdfWriter], progress: Progress,
               cancelled: Cancelled) -> BatchResult:
    """One PDF per household in ``folder``; stops between households when cancelled,
    keeping the files already finished."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    pages = 0
    for done, household_id in enumerate(household_ids):
        if cancelled():
            break
        progress(done, len(household_ids))
        row = household_row(store, household_id)
        path = folder / safe_file_name(row.code, row.head)
        pages += writer_for([household_id])(path, _ignore_progress, _never)
        files.append(path)
    progress(len(files), len(household_ids))
    return BatchResult(files, len(files), len(household_ids), pages)


def _ignore_progress(_done: int, _total: int) -> None:
    """One household's file is too quick to report on its own."""


def _never() -> bool:
    """A household's file is never cut short: cancelling waits for it to finish."""
    return False
