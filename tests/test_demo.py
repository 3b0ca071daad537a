"""The demo village: realistic, valid and reproducible data for every screen."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from fieldvisit import demo, idcard
from fieldvisit.roster import vocab
from fieldvisit.store import Insert, Store
from fieldvisit.store.models import Household, Member, Village

DAY = date(2026, 11, 1)
MOBILE = re.compile(r"^1[3-9]\d{9}$")


@pytest.fixture(scope="module")
def village(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("demo") / "fieldvisit.sqlite", actor="测试员")
    persons = demo.populate(store, 300, seed=7, today=DAY)
    with store.reading() as conn:
        households = conn.execute(select(Household)).mappings().all()
        members = conn.execute(select(Member)).mappings().all()
        villages = conn.execute(select(Village)).mappings().all()
    store.close()
    return persons, households, members, villages


def test_counts(village):
    persons, households, members, villages = village
    assert persons == len(members)
    assert len(households) == 300
    assert len(villages) == 1
    assert 2.0 <= len(members) / len(households) <= 5.0
    assert not any(m["deleted"] for m in members) and not any(h["deleted"] for h in households)
    assert {m["changed_by"] for m in members} == {"演示数据"}


def test_every_id_is_valid_unique_and_agrees_with_sex_and_birth(village):
    _, _, members, _ = village
    numbers = [m["id_number"] for m in members]
    assert len(set(numbers)) == len(numbers)
    for m in members:
        parsed = idcard.parse(m["id_number"], today=DAY)
        assert parsed.number == m["id_number"]
        assert parsed.sex == m["sex"], m["name"]
        assert parsed.birth_date == m["birth_date"]
        assert parsed.area_code == demo.COUNTY[0]


def test_relations_agree_with_sex(village):
    _, _, members, _ = village
    for m in members:
        if m["relation"] in vocab.MALE_RELATIONS:
            assert m["sex"] == "男", (m["name"], m["relation"])
        if m["relation"] in vocab.FEMALE_RELATIONS:
            assert m["sex"] == "女", (m["name"], m["relation"])
        assert m["relation"] in vocab.RELATIONS


def test_exactly_one_head_per_household_and_spouses_differ_in_sex(village):
    _, households, members, _ = village
    by_household = defaultdict(list)
    for m in members:
        by_household[m["household_id"]].append(m)
    assert set(by_household) == {h["id"] for h in households}
    for people in by_household.values():
        heads = [p for p in people if p["relation"] == vocab.HEAD]
        assert len(heads) == 1
        for spouse in (p for p in people if p["relation"] == "配偶"):
            assert spouse["sex"] != heads[0]["sex"]


def test_household_types_and_risks(village):
    _, households, _, _ = village
    types = Counter(h["hh_type"] for h in households)
    assert set(types) <= set(vocab.HOUSEHOLD_TYPES)
    monitored = [h for h in households if h["monitored"]]
    assert 0.04 <= len(monitored) / len(households) <= 0.20
    assert 0.20 <= types["脱贫户"] / len(households) <= 0.45
    # the two fields apart: categories as they imply 户类型, some 突发严重困难户 脱贫户 too
    for h in monitored:
        implied = vocab.CATEGORY_TYPE.get(h["monitor_category"])
        assert h["hh_type"] == implied or h["monitor_category"] == "突发严重困难户"
    sudden = {h["hh_type"] for h in monitored if h["monitor_category"] == "突发严重困难户"}
    assert sudden == {"脱贫户", "一般农户"}
    for h in households:
        risks = vocab.split_risks(h["risk_types"])
        if h["monitored"]:
            assert 1 <= len(risks) <= vocab.MAX_RISK_TYPES
            assert set(risks) <= set(vocab.RISK_TYPES)
            assert len(set(risks)) == len(risks)
            assert h["identified_on"] is not None and h["identified_on"] < DAY
            assert h["risk_eliminated"] is False
        else:
            assert risks == []


def test_household_codes_and_phones(village):
    _, households, members, villages = village
    code = villages[0]["code"]
    assert re.fullmatch(r"522727100\d{3}", code)
    assert all(re.fullmatch(code + r"\d{6}", h["code"]) for h in households)
    assert len({h["code"] for h in households}) == len(households)
    phones = [m["phone"] for m in members if m["phone"]] + [h["helper_phone"] for h in households]
    assert phones and all(MOBILE.match(p) for p in phones)


def helper_loads(households) -> Counter:
    return Counter((h["helper_name"], h["helper_unit"], h["helper_phone"]) for h in households)


def test_helpers_cover_at_most_ten_households_and_nearly_all_at_least_five(village):
    _, households, _, _ = village
    loads = helper_loads(households)
    assert all(n <= 10 for n in loads.values())
    assert sum(1 for n in loads.values() if n < 5) <= 1  # the village's last helper
    assert all(h["helper_unit"] in demo.UNITS for h in households)


def test_every_helper_covers_five_to_ten_households(village):
    _, households, _, _ = village
    assert all(5 <= n <= 10 for n in helper_loads(households).values())


def test_rare_characters_appear(village):
    _, _, members, _ = village
    rare = [m for m in members if any(ch in demo.RARE for ch in m["name"])]
    assert rare
    for m in rare:  # a rare character still gives a search key
        assert len(m["name_initials"]) == len(m["name"])


def test_ages_schooling_and_labour_pass_the_county_checks(village):
    _, _, members, _ = village
    for m in members:
        age = idcard.age_on(m["birth_date"], DAY)
        if age < 16:
            assert m["labour_skill"] in vocab.NO_LABOUR, m["name"]
        if 6 <= age <= 15:
            assert m["schooling"] not in (None, "非在校生"), m["name"]
        if m["schooling"] not in (None, "非在校生"):
            assert m["labour_skill"] == "无劳动力"
        if m["health"] == "残疾":
            cert = m["disability_cert"]
            assert cert[:18] == m["id_number"] and len(cert) == 20 and cert[19] in "1234"
        else:
            assert m["disability_cert"] is None
        assert not (m["resident_insurance"] and m["employee_insurance"])


def canonical(edits: list[Insert]) -> list[tuple]:
    """The edits with row ids replaced by their position, so two runs can be compared."""
    position = {e.id: n for n, e in enumerate(edits)}
    return [
        (e.entity, sorted((k, position.get(v, v) if isinstance(v, str) else v)
                          for k, v in e.fields.items()))
        for e in edits
    ]


def test_deterministic_for_a_seed():
    first = demo.demo_edits(40, 3, DAY)
    second = demo.demo_edits(40, 3, DAY)
    assert [e.id for e in first] != [e.id for e in second]  # fresh row ids each time
    assert canonical(first) == canonical(second)
    assert canonical(demo.demo_edits(40, 4, DAY)) != canonical(first)


def test_large_demo_spreads_over_several_villages():
    edits = demo.demo_edits(1300, 7, DAY)
    villages = [e for e in edits if e.entity == "village"]
    households = [e for e in edits if e.entity == "household"]
    assert len(villages) == 3
    assert len(households) == 1300
    assert len({v.fields["code"] for v in villages}) == 3
    assert len({h.fields["code"] for h in households}) == 1300
