"""The printable documents as data (fieldvisit.cards.documents), without Qt: their names,
file names and writers, and the batch writers the batch dialog runs."""

from __future__ import annotations

import subprocess
import sys

from pypdf import PdfReader

from fieldvisit.cards.documents import (
    card_writer,
    household_card,
    households_of,
    safe_file_name,
    village_of,
    village_report,
    write_each,
    write_one,
)
from fieldvisit.roster import queries


def no_progress(_done: int, _total: int) -> None:
    pass


def never() -> bool:
    return False


def test_file_names_are_safe_on_windows():
    assert safe_file_name("522727100200000001", "王䶮") == "522727100200000001_王䶮.pdf"
    assert safe_file_name("0001", 'a<b>:"/\\|?*\x01') == "0001_a_b_________.pdf"
    assert safe_file_name("", "CON") == "_CON.pdf"
    assert safe_file_name("", " 张三. ") == "张三.pdf"
    assert safe_file_name("", "") == "FieldVisit.pdf"


def test_a_household_card_is_named_for_the_household_and_writes_its_pdf(demo_store, tmp_path):
    with demo_store.reading() as conn:
        row = queries.household_rows(conn)[0]
    printable = household_card(demo_store, row.id)
    assert (printable.title, printable.title_en) == ("明白卡预览", "Household card preview")
    assert printable.file_name == f"{row.code}_{row.head}.pdf"
    path = tmp_path / printable.file_name
    pages = printable.writer(path, no_progress, never)
    assert pages >= 1 and len(PdfReader(path).pages) == pages


def test_the_village_report_of_a_village(demo_store, tmp_path):
    with demo_store.reading() as conn:
        village = queries.village_tree(conn)[0]
    assert village_of([village], None) is village  # the only one there is
    assert village_of([village], ("group", village.groups[0].id)) is village
    printable = village_report(demo_store, village)
    assert printable.file_name.startswith(f"村级汇总报告_{village.name}_")
    assert printable.writer(tmp_path / "report.pdf", no_progress, never) >= 1


def test_a_batch_one_file_and_one_file_per_household(demo_store, tmp_path):
    with demo_store.reading() as conn:
        village = queries.village_tree(conn)[0]
    group = village.groups[0]
    ids = households_of(demo_store, ("group", group.id))
    assert len(ids) == group.households > 1

    one = write_one(ids, tmp_path / "all" / "cards.pdf", lambda chosen: card_writer(
        demo_store, chosen, paper="A5"), no_progress, never)
    assert one.complete and one.files == [tmp_path / "all" / "cards.pdf"]
    assert len(PdfReader(one.files[0]).pages) == one.pages >= len(ids)

    asked: list[int] = []

    def cancelled_after_two() -> bool:
        asked.append(1)
        return len(asked) > 2

    each = write_each(demo_store, ids, tmp_path / "each",
                      lambda chosen: card_writer(demo_store, chosen), no_progress,
                      cancelled_after_two)
    assert (each.written, each.total, each.complete) == (2, len(ids), False)
    assert sorted(p.name for p in (tmp_path / "each").iterdir()) == sorted(
        p.name for p in each.files)


def test_the_builders_need_no_qt():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, fieldvisit.cards.documents; "
         "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"],
        capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
