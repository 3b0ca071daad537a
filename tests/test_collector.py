"""The cycle collector is paused while an import builds its millions of objects, and is
back as it was afterwards, also when the import fails or when pauses overlap in two
threads and end in either order: a laptop left with it off would keep cyclic garbage."""

from __future__ import annotations

import gc
import threading

import pytest

from fieldvisit import collector
from fieldvisit.roster.errors import RosterFileError
from fieldvisit.roster.importer import apply_import, plan_import


def test_an_import_pauses_the_collector_and_gives_it_back_after_a_failure(store, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("户编号,姓名,证件号码,与户主关系\n001,王一,522727197003030011,户主\n",
                      encoding="utf-8")
    before = gc.isenabled()
    planned: list[bool] = []
    plan = plan_import(roster, store, village="522727100200",
                       cancelled=lambda: planned.append(gc.isenabled()) or False)
    applied: list[bool] = []
    apply_import(store, plan, progress=lambda *_: applied.append(gc.isenabled()))
    assert planned and applied and not any(planned + applied)  # off all through both
    assert gc.isenabled() == before
    broken = tmp_path / "roster.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(RosterFileError):
        plan_import(broken, store)
    assert gc.isenabled() == before


@pytest.mark.parametrize("first_out", ["worker", "main"])
def test_overlapping_pauses_end_with_the_last_whichever_it_is(first_out):
    before = gc.isenabled()
    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collector.paused():
            entered.set()
            leave.wait(5)

    worker = threading.Thread(target=other)
    with collector.paused():
        worker.start()
        entered.wait(5)
        assert collector.bulk_running() and not gc.isenabled()
        if first_out == "worker":
            leave.set()
            worker.join(5)
            assert not gc.isenabled()  # the main thread's pause still holds
    assert not gc.isenabled() if first_out == "main" else gc.isenabled() == before
    leave.set()
    worker.join(5)
    assert gc.isenabled() == before and not collector.bulk_running()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
