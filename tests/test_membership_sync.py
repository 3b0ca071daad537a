"""A 分户 recorded on one laptop reaches the county and another laptop: the new household
with its 户编号, the moved members with their new relation and reason, the old household
smaller; and a death recorded there ends the person everywhere."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from fieldvisit.roster import membership, queries
from fieldvisit.store.models import Household, Member
from tests.sync_parties import make_laptop, round_trip, snapshot

TODAY = date(2026, 11, 20)


def test_a_split_and_a_death_on_a_laptop_reach_the_county_and_another_laptop(county,
                                                                             tmp_path):
    a = make_laptop(county, tmp_path / "a", "甲")
    b = make_laptop(county, tmp_path / "b", "乙")
    with a.store.reading() as conn:
        home = next(r for r in queries.household_rows(conn) if r.size >= 3)
        people = queries.members(conn, home.id, TODAY)
        village = conn.execute(select(Household.village_id).where(
            Household.id == home.id)).scalar_one()
        code = membership.next_household_code(conn, village)
    mover, dead = people[-1], people[1]
    new = membership.record(a.store, membership.split_edits, home.id, {mover.id: "户主"},
                            code, TODAY, TODAY)
    membership.record(a.store, membership.leave_edits, dead.id, membership.DEATH, TODAY,
                      TODAY, "病故")
    stick = tmp_path / "usb"
    for _ in range(2):
        for party in (a, b):
            assert round_trip(county, party, stick).accepted

    final = snapshot(county.store)
    assert snapshot(b.store) == final and snapshot(a.store) == final
    assert final["household"][new]["code"] == code
    moved = final["member"][mover.id]
    assert (moved["household_id"], moved["relation"], moved["joined_reason"]) == (
        new, "户主", "分户")
    ended = final["member"][dead.id]
    assert (ended["left_on"], ended["left_reason"], ended["left_note"]) == (
        TODAY, "死亡", "病故")
    with b.store.reading() as conn:
        sizes = {r.id: r.size for r in queries.household_rows(conn, [home.id, new])}
        assert conn.execute(select(Member.household_id).where(Member.id == mover.id)
                            ).scalar_one() == new
    assert sizes == {home.id: home.size - 2, new: 1}
