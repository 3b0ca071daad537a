"""Read views the screens rely on: roster lines, one household's line, full address."""

from __future__ import annotations

from fieldvisit.roster import queries
from fieldvisit.store import Insert, Update


def test_roster_lines_show_head_size_and_phone(store):
    village = Insert("village", {"code": "522727100201", "name": "新寨村"})
    group = Insert("village_group", {"village_id": village.id, "name": "3组"})
    household = Insert("household", {"village_id": village.id, "group_id": group.id,
                                      "code": "H1", "hh_type": "一般农户",
"monitored": True, "monitor_category": "边缘易致贫户",
                                      "risk_types": "因病", "helper_name": "罗帮扶"})
    child = Insert("member", {"household_id": household.id, "name": "王小", "relation": "之子"})
    head = Insert("member", {"household_id": household.id, "name": "王大", "relation": "户主",
                             "phone": "13812345678"})
    store.write([village, group, household, child, head])

    with store.reading() as conn:
        [line] = queries.household_rows(conn)
        assert (line.head, line.size, line.phone, line.hh_type, line.helper) == (
            "王大", 2, "13812345678", "一般农户", "罗帮扶")
        assert line.status == "边缘易致贫户"
        assert line.status_full == "一般农户 · 监测对象（边缘易致贫户）"
        assert line.status_words == {"一般农户", "监测对象", "边缘易致贫户"}
        assert queries.full_address(conn, household.id) == "新寨村3组"

    store.write([Update("member", child.id, {"deleted": True}),
                 Update("household", household.id, {"address": "3组12号"})])
    with store.reading() as conn:
        [line] = queries.household_rows(conn, [household.id])
        assert line.size == 1
        assert queries.household_rows(conn, ["no-such-id"]) == []
        assert queries.full_address(conn, household.id) == "新寨村3组12号"


def test_full_address_names_county_and_township(demo_store):
    with demo_store.reading() as conn:
        line = queries.household_rows(conn)[0]
        address = queries.full_address(conn, line.id)
    assert address.startswith("平塘县平舟镇") and "组" in address


def test_households_of_finds_the_household_behind_each_kind_of_row(demo_store):
    with demo_store.reading() as conn:
        homes = [row.id for row in queries.household_rows(conn)][:2]
        member = queries.members(conn, homes[1])[0]
    measure = Insert("measure", {"household_id": homes[0], "kind": "产业帮扶",
                                 "detail": "养殖补贴", "started_on": "2026-03-01"})
    demo_store.write([measure])
    with demo_store.reading() as conn:
        assert queries.households_of(conn, {"measure": {measure.id},
                                            "member": {member.id}}) == set(homes)
        assert queries.households_of(conn, {"village": {"any"}}) == set()


def test_a_monitoring_case_and_its_step_name_their_household(demo_store):
    from datetime import date

    from fieldvisit.monitoring import cases

    with demo_store.reading() as conn:
        home = next(r.id for r in queries.household_rows(conn) if not r.monitored)
    case_id = cases.open_case(demo_store, home, source="农户申报", risks=["因病"],
                              today=date(2026, 11, 2))
    step = cases.record_step(demo_store, case_id, cases.StepInput(
        "入户核实", date(2026, 11, 2), "王", authorised=True), at_county=False)
    with demo_store.reading() as conn:
        assert queries.households_of(conn, {"monitor_case": {case_id}}) == {home}
        assert queries.households_of(conn, {"case_step": {step}}) == {home}
