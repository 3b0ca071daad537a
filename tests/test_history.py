"""A household's history (roster.history): each change once, as a sentence, newest first,
with who made it and whether it came from the county; a few queries however long."""

from __future__ import annotations

import time
from datetime import date, timedelta

from sqlalchemy import event, select
from sync_parties import VILLAGE, make_laptop, round_trip
from test_store import make_village
from test_visits import bad_water, completed_visit, hh_store  # noqa: F401 (a fixture)

from fieldvisit.roster import labels, measures
from fieldvisit.roster.history import household_history, shown
from fieldvisit.store import Insert, Update
from fieldvisit.store.models import Household, Member, Village
from fieldvisit.visits import ledger

TODAY = date(2026, 11, 1)


def history(store, household_id: str) -> list[tuple[str, str]]:
    with store.reading() as conn:
        return [(entry.what, entry.who) for entry in household_history(conn, household_id)]


def test_member_changes_and_measures_read_as_sentences_newest_first(store):
    ids = make_village(store)
    household = ids["household"]
    store.write([Update("member", ids["head"], {"phone": "13900000000"})])
    other = Insert("member", {"household_id": household, "name": "李四", "relation": "配偶",
                              "resident_insurance": True})
    store.write([other])
    measure = measures.add(store, household, TODAY, kind="公益岗位", detail="护林员",
                           amount_yuan=6000, started_on=date(2025, 3, 1))
    measures.end(store, measure, date(2026, 10, 1), TODAY)
    store.write([Update("member", other.id, {"resident_insurance": False})])

    assert history(store, household) == [
        ("成员 李四 的 是否参加城乡居民基本医疗保险：是 → 否", "测试员"),
        ("结束帮扶措施 公益岗位（2026-10-01）", "测试员"),
        ("新增帮扶措施 公益岗位：护林员", "测试员"),
        ("新增成员 李四", "测试员"),
        ("成员 张三 的 联系电话：13912345678 → 13900000000", "测试员"),
        ("新增成员 张三", "测试员"),
        ("建立农户档案（户编号 522727100200000001）", "测试员"),
    ]


def test_times_are_the_journal_clock_in_local_time_and_nothing_is_synced(store):
    ids = make_village(store)
    [entry, *_] = sorted(_entries(store, ids["household"]), key=lambda e: e.seq)
    assert entry.when.tzinfo is not None
    assert abs(entry.when.timestamp() - time.time()) < 60
    assert not entry.synced


def test_a_household_moved_between_villages_names_them(store):
    ids = make_village(store)
    other = Insert("village", {"name": "新华村"})
    store.write([other])
    store.write([Update("household", ids["household"], {"village_id": other.id,
                                                         "group_id": None})])
    whats = [what for what, _who in history(store, ids["household"])[:2]]
    assert set(whats) == {"行政村：平里河村 → 新华村", "自然村/村民小组：1组 → 空"}


def test_a_completed_visit_and_its_problems_are_said_once(hh_store, formset):  # noqa: F811
    _visit_id, [problem] = completed_visit(hh_store, formset, bad_water())
    ledger.advance(hh_store, problem, "整改中", "已联系水务站", "李四",
                   date(2026, 11, 5))
    ledger.assign(hh_store, problem, deadline=date(2026, 12, 31))
    with hh_store.reading() as conn:
        category = ledger.problems(conn)[0].category
    visits = [what for what, _who in history(hh_store, "h1")
              if "走访" in what or "问题" in what]
    assert visits == [
        f"问题 {category} 的 整改期限：{TODAY + timedelta(days=30)} → 2026-12-31",
        f"问题 {category} 待整改 → 整改中：已联系水务站",
        "完成走访（发现 1 个问题）",  # one write with the problem: the journal's order
        f"发现问题 {category}（待整改）",
        "开始走访",
    ]


def test_a_change_from_the_county_is_marked_as_synced(county, tmp_path):
    party = make_laptop(county, tmp_path / "laptop")
    with county.store.reading() as conn:
        member_id, household_id, phone = conn.execute(
            select(Member.id, Member.household_id, Member.phone)
            .join(Household, Household.id == Member.household_id)
            .join(Village, Village.id == Household.village_id)
            .where(Village.code == VILLAGE).limit(1)).one()
    county.store.write([Update("member", member_id, {"phone": "13700000000"})])
    assert round_trip(county, party, tmp_path / "stick").accepted

    with party.store.reading() as conn:
        entries = household_history(conn, household_id)
    [changed] = [e for e in entries if "13700000000" in e.what]
    assert changed.what.endswith(f"联系电话：{shown(phone)} → 13700000000")
    assert (changed.who, changed.synced) == ("county", True)
    assert entries[0] == changed  # the newest


def test_a_long_history_takes_a_few_queries(store):
    ids = make_village(store)
    for number in range(300):
        store.write([Update("member", ids["head"], {"phone": f"139{number:08d}"})])
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        entries = _entries(store, ids["household"])
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert len(entries) == 302  # the phone 300 times, the member, the household
    assert len(statements) <= 8


def test_a_renamed_member_is_named_as_then_and_pinyin_keys_are_not_changes(store):
    ids = make_village(store)
    store.write([Update("member", ids["head"], {"name": "张叁"})])
    store.write([Update("member", ids["head"], {"phone": "13900000000"})])
    assert [what for what, _who in history(store, ids["household"])[:2]] == [
        "成员 张叁 的 联系电话：13912345678 → 13900000000",
        "成员 张三 的 姓名：张三 → 张叁",
    ]


def test_labels_are_the_rosters_and_values_read_as_a_person_reads_them():
    assert labels.field_label("member", "phone") == "联系电话"
    assert labels.field_label("problem", "deadline") == "整改期限"
    assert shown([1, "b"]) == "1、b" and shown(None) == "空" and shown(False) == "否"


def _entries(store, household_id: str):
    with store.reading() as conn:
        return household_history(conn, household_id)
