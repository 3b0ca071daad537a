"""The op runner: what a write changed, read from the journal and broadcast once."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from fieldvisit.qt.job_progress import JobProgress
from fieldvisit.qt.ops import MAX_LISTED, Changed, Ops
from fieldvisit.roster import measures
from fieldvisit.store import Update
from fieldvisit.store.models import Household, Member


def first_member(store) -> tuple[str, str]:
    with store.reading() as conn:
        return conn.execute(select(Member.id, Member.household_id).order_by(Member.id)
                            .limit(1)).one()


def test_a_write_is_broadcast_once_with_its_rows_and_households(demo_store):
    ops = Ops(demo_store)
    heard: list[Changed] = []
    ops.changed.connect(heard.append)
    member_id, household_id = first_member(demo_store)
    ops.write(lambda: demo_store.write([Update("member", member_id, {"phone": "13900000001"})]))
    measure_id = ops.write(lambda: measures.add(demo_store, household_id, date(2026, 11, 1),
                                                kind="公益岗位", detail="护林员",
                                                started_on=date(2026, 1, 1)))
    [edit, added] = heard
    assert edit.changes.updated == {"member": [member_id]} and not edit.changes.inserted
    assert edit.households == {household_id} and edit.touches("member")
    assert not edit.touches("problem") and edit.touches_household(household_id)
    assert added.changes.inserted == {"measure": [measure_id]}
    assert added.households == {household_id}
    ops.write(lambda: None)  # nothing written: nothing said
    assert len(heard) == 2


def test_a_refused_write_raises_and_says_nothing_changed(demo_store):
    ops = Ops(demo_store)
    heard: list[Changed] = []
    ops.changed.connect(heard.append)
    with pytest.raises(LookupError):  # the store's own refusal reaches the screen
        ops.write(lambda: demo_store.write([Update("member", "no-such-id", {"phone": "1"})]))
    assert heard == []


def test_a_large_write_or_a_change_of_villages_reloads_everything(demo_store):
    ops = Ops(demo_store)
    heard: list[Changed] = []
    ops.changed.connect(heard.append)
    with demo_store.reading() as conn:
        households = list(conn.execute(select(Household.id, Household.village_id)))
    ops.write(lambda: demo_store.write(
        [Update("household", h, {"helper_name": f"帮扶{n}"}) for n, (h, _v) in
         enumerate(households * (MAX_LISTED // len(households) + 1))][:MAX_LISTED + 1]))
    village = households[0][1]
    ops.write(lambda: demo_store.write([Update("village", village, {"name": "新名村"})]))
    assert len(heard) == 2 and all(c.everything and c.touches("anything") for c in heard)


def test_a_slow_write_is_broadcast_after_its_worker_ended(qtbot, demo_store):
    ops = Ops(demo_store)
    owner = QWidget()
    qtbot.addWidget(owner)
    job = JobProgress(owner, cancelled_text="")
    heard: list[Changed] = []
    ops.changed.connect(heard.append)
    member_id, household_id = first_member(demo_store)

    def write(_progress, _cancelled):
        return demo_store.write([Update("member", member_id, {"phone": "13900000002"})])

    with qtbot.waitSignal(job.done, timeout=10_000):
        ops.run(job, write, "…", lambda _changes: "written")
    assert [c.households for c in heard] == [{household_id}]
