"""Search as you type: any key a cadre remembers finds the household."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldvisit.roster import queries
from fieldvisit.roster.search import INDEX_FROM, SearchIndex
from fieldvisit.store import Insert, Update
from fieldvisit.store.models import Household, Member


@pytest.fixture(params=["scan", "indexed"])
def index(demo_store, request):
    """Every test twice: the village's plain scan, and the key index a county uses."""
    with demo_store.reading() as conn:
        built = SearchIndex.build(conn, index_from=0 if request.param == "indexed" else INDEX_FROM)
    assert built.indexed == (request.param == "indexed")
    return built


def all_members(store) -> list:
    with store.reading() as conn:
        return conn.execute(select(Member)).mappings().all()


def household_code(store, household_id: str) -> str:
    with store.reading() as conn:
        return conn.execute(select(Household.code).where(Household.id == household_id)).scalar()


def unique_member(store):
    """A member with a phone whose name, pinyin and phone are in no other member's keys
    (search matches substrings: 王明's pinyin is inside 王明华's)."""
    members = all_members(store)
    for m in members:
        others = [o for o in members if o["id"] != m["id"]]
        if (m["phone"] and m["relation"] != "户主" and len(m["name"]) == 3
                and not any(m["name"] in o["name"] or m["name_pinyin"] in o["name_pinyin"]
                            or m["phone"] in (o["phone"] or "") for o in others)):
            return m
    raise AssertionError("the demo village has no such member")


def test_index_holds_every_live_household(demo_store, index):
    with demo_store.reading() as conn:
        assert len(index) == queries.household_count(conn) == 60
    assert len(index.matches("")) == 60
    assert len(index.matches("   ")) == 60


def test_each_key_finds_the_members_household(demo_store, index):
    m = unique_member(demo_store)
    home = m["household_id"]
    assert index.matches(m["name"]) == {home}
    assert index.matches(m["name_pinyin"]) == {home}
    assert home in index.matches(m["name_initials"])
    assert index.matches(m["id_number"]) == {home}
    assert index.matches(m["id_number"][-8:]) == {home}  # the tail people read out
    assert home in index.matches(m["id_number"][6:14])  # a birth date fragment
    assert home in index.matches(m["phone"])
    assert index.matches(household_code(demo_store, home)) == {home}
    assert home in index.matches(m["name"][1:])  # the given name alone


def test_search_ignores_case_and_spaces(demo_store, index):
    m = unique_member(demo_store)
    home = m["household_id"]
    spaced = " ".join(m["name_pinyin"].upper())
    assert index.matches(spaced) == {home}
    assert index.matches(f" {m['name'][0]} {m['name'][1:]} ") == {home}
    phone = m["phone"]
    assert home in index.matches(f"{phone[:3]} {phone[3:7]} {phone[7:]}")
    assert home in index.matches(m["name_initials"].upper())


def test_id_ending_in_x_is_found_with_a_lower_case_x(demo_store, index):
    with_x = [m for m in all_members(demo_store) if m["id_number"].endswith("X")]
    assert with_x, "the demo village has no ID ending in X"
    m = with_x[0]
    assert index.matches(m["id_number"][-6:].lower()) == {m["household_id"]}
    assert index.matches(m["id_number"].lower()) == {m["household_id"]}


def test_keys_do_not_run_into_each_other(demo_store, index):
    m = unique_member(demo_store)
    assert index.matches(m["name"] + m["name_pinyin"]) == set()
    assert index.matches(m["name_pinyin"] + m["name_initials"]) == set()


def test_nothing_matches_a_stranger(index):
    assert index.matches("不存在的人") == set()
    assert index.matches("qqqqqq") == set()


def test_rename_is_found_after_refresh_and_the_old_name_is_not(demo_store, index):
    m = unique_member(demo_store)
    home = m["household_id"]
    demo_store.write([Update("member", m["id"], {"name": "覃䶮"})])
    with demo_store.reading() as conn:
        index.refresh(conn, [home])
    assert index.matches("覃䶮") == {home}
    assert home in index.matches("qinyan")  # 秦燕 elsewhere reads the same
    assert index.matches(m["name"]) == set()
    assert index.matches(m["name_pinyin"]) == set()
    assert len(index) == 60


def test_soft_deleted_household_disappears_after_refresh(demo_store, index):
    m = unique_member(demo_store)
    home = m["household_id"]
    code = household_code(demo_store, home)
    demo_store.write([Update("household", home, {"deleted": True})])
    with demo_store.reading() as conn:
        index.refresh(conn, [home])
    assert index.matches(code) == set()
    assert index.matches(m["name"]) == set()
    assert home not in index.matches("")
    assert len(index) == 59
    # a full rebuild agrees
    with demo_store.reading() as conn:
        assert home not in SearchIndex.build(conn).matches("")


def test_soft_deleted_member_is_no_longer_found(demo_store, index):
    m = unique_member(demo_store)
    demo_store.write([Update("member", m["id"], {"deleted": True})])
    with demo_store.reading() as conn:
        index.refresh(conn, [m["household_id"]])
    assert index.matches(m["name"]) == set()
    assert index.matches(household_code(demo_store, m["household_id"])) == {m["household_id"]}


def test_new_household_is_found_after_refresh(demo_store, index):
    m = unique_member(demo_store)
    with demo_store.reading() as conn:
        village, group = conn.execute(
            select(Household.village_id, Household.group_id)
            .where(Household.id == m["household_id"])).one()
    household = Insert("household", {"village_id": village, "group_id": group,
                                     "hh_type": "一般农户", "code": "522727100200999999"})
    head = Insert("member", {"household_id": household.id, "name": "欧阳娜娜",
                             "phone": "13600001111"})
    demo_store.write([household, head])
    assert index.matches("ouyangnana") == set()  # not yet: the index is a snapshot
    with demo_store.reading() as conn:
        index.refresh(conn, [household.id])
    assert index.matches("ouyangnana") == {household.id}
    assert index.matches("OYNN") == {household.id}
    assert index.matches("1111") >= {household.id}
    assert len(index) == 61
