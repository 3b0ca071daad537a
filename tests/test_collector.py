"""The cycle collector is paused while an import builds its millions of objects, and is
back as it was afterwards, also when the import fails or when two overlap (the app
imports on a worker thread): a laptop left with it off would keep cyclic garbage."""

from __future__ import annotations

import gc
import threading

import pytest

from fieldvisit import collector
from fieldvisit.roster.errors import RosterFileError
from fieldvisit.roster.importer import plan_import


def test_an_import_pauses_the_collector_and_gives_it_back_after_a_failure(store, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("户编号,姓名,证件号码,与户主关系\n001,王一,522727197003030011,户主\n",
                      encoding="utf-8")
    seen: list[bool] = []
    plan_import(roster, store, cancelled=lambda: seen.append(gc.isenabled()) or False)
    assert seen and not any(seen)  # off all through the plan
    assert gc.isenabled()
    broken = tmp_path / "roster.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(RosterFileError):
        plan_import(broken, store)
    assert gc.isenabled()


def test_overlapping_pauses_end_with_the_last():
    first_in, second_out = threading.Event(), threading.Event()

    def other() -> None:
        with collector.paused():
            first_in.set()
            second_out.wait(5)

    worker = threading.Thread(target=other)
    worker.start()
    first_in.wait(5)
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the worker's pause still holds
    second_out.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
