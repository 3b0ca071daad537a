"""Population changes (自然增减) in the core: a birth, a death, a marriage out, a 分户 and
a 合户 written as one journaled transaction each, refused with the field at fault, and
ended members no longer counted where "members now" is meant."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fieldvisit.cards.data import card_data
from fieldvisit.cards.layout import load_layout
from fieldvisit.idcard import check_char
from fieldvisit.roster import membership, queries
from fieldvisit.roster.history import household_history
from fieldvisit.roster.membership import MembershipError
from fieldvisit.store import Insert
from fieldvisit.store.models import Household, JournalEntry, Member

TODAY = date(2026, 11, 20)


def ident(first17: str) -> str:
    return first17 + check_char(first17)


HEAD_ID = ident("52272719600304001")   # male
WIFE_ID = ident("52272719620506002")   # female
SON_ID = ident("52272719900101001")    # male
BABY_ID = ident("52272720261001002")   # female, born 2026-10-01


@pytest.fixture
def roster(store):
    village = Insert("village", {"code": "522727100200", "name": "平里河村"})
    home = Insert("household", {"village_id": village.id, "code": "522727100200000001",
                                "address": "1组12号", "hh_type": "一般农户"})
    people = [
        Insert("member", {"household_id": home.id, "name": name, "id_number": number,
                          "relation": relation})
        for name, number, relation in (("韦德明", HEAD_ID, "户主"), ("王芳", WIFE_ID, "配偶"),
                                       ("韦强", SON_ID, "之子"))]
    store.write([village, home, *people])
    return {"village": village.id, "home": home.id, "head": people[0].id,
            "wife": people[1].id, "son": people[2].id}


def current(store, household_id):
    with store.reading() as conn:
        return sorted(m.name for m in queries.members(conn, household_id, TODAY))


def test_a_birth_adds_a_member_with_its_date_and_reason(store, roster):
    membership.record(store, membership.join_edits, roster["home"],
                      {"name": "韦小花", "id_number": BABY_ID, "relation": "之孙女"},
                      membership.BIRTH, None, TODAY)
    with store.reading() as conn:
        baby = conn.execute(select(Member.__table__).where(Member.name == "韦小花")).one()
    assert baby.joined_on == date(2026, 10, 1) and baby.joined_reason == "新生"
    assert baby.sex == "女" and baby.birth_date == date(2026, 10, 1)
    assert current(store, roster["home"]) == ["王芳", "韦小花", "韦强", "韦德明"]


def test_a_bad_id_or_a_taken_id_is_refused_naming_the_field(store, roster):
    with pytest.raises(MembershipError) as bad:
        membership.record(store, membership.join_edits, roster["home"],
                          {"name": "韦小花", "id_number": BABY_ID[:-1] + "0"
                           if BABY_ID[-1] != "0" else BABY_ID[:-1] + "1",
                           "relation": "之孙女"}, membership.BIRTH, None, TODAY)
    assert bad.value.field == "id_number" and "校验位" in bad.value.zh
    with pytest.raises(MembershipError) as taken:
        membership.record(store, membership.join_edits, roster["home"],
                          {"name": "韦强二", "id_number": SON_ID, "relation": "之子"},
                          membership.MOVED_IN, TODAY, TODAY)
    assert taken.value.field == "id_number" and "已登记" in taken.value.zh
    assert current(store, roster["home"]) == ["王芳", "韦强", "韦德明"]  # nothing written


def test_a_death_ends_the_member_who_is_kept_and_no_longer_counted(store, roster):
    membership.record(store, membership.leave_edits, roster["head"], membership.DEATH,
                      date(2026, 11, 2), TODAY, "病故")
    with store.reading() as conn:
        row = conn.execute(select(Member.__table__).where(Member.id == roster["head"])).one()
        assert (row.deleted, row.left_on, row.left_reason, row.left_note) == (
            False, date(2026, 11, 2), "死亡", "病故")
        assert [r.size for r in queries.household_rows(conn)] == [2]
        everyone = queries.members(conn, roster["home"], TODAY, include_former=True)
        assert [m.name for m in everyone][-1] == "韦德明"  # still shown, after the living
        fields = set(conn.execute(select(JournalEntry.field).where(
            JournalEntry.entity_id == roster["head"])).scalars())
        assert {"left_on", "left_reason", "left_note"} <= fields
        told = [e.what for e in household_history(conn, roster["home"])]
        assert "成员 韦德明 减少原因：死亡" in told and "成员 韦德明 减少说明：病故" in told
    card = card_data(store, roster["home"], TODAY, load_layout())
    assert "韦德明" not in [m.name for m in card.members]
    with pytest.raises(MembershipError) as twice:
        membership.record(store, membership.leave_edits, roster["head"], membership.DEATH,
                          TODAY, TODAY)
    assert twice.value.field == "member"
    with pytest.raises(MembershipError) as future:
        membership.record(store, membership.leave_edits, roster["son"], membership.MOVED_OUT,
                          date(2027, 1, 1), TODAY)
    assert future.value.field == "left_on"


def test_a_split_moves_the_chosen_members_to_a_new_household_in_one_write(store, roster):
    with store.reading() as conn:
        code = membership.next_household_code(conn, roster["village"])
    assert code == "522727100200000002"
    seq = store.journal_end()
    new = membership.record(store, membership.split_edits, roster["home"],
                            {roster["son"]: "户主"}, code, TODAY, TODAY)
    assert current(store, roster["home"]) == ["王芳", "韦德明"]
    assert current(store, new) == ["韦强"]
    with store.reading() as conn:
        son = conn.execute(select(Member.__table__).where(Member.id == roster["son"])).one()
        assert (son.household_id, son.relation, son.joined_reason) == (new, "户主", "分户")
        assert conn.execute(select(Household.code).where(Household.id == new)).scalar() == code
        clocks = set(conn.execute(select(JournalEntry.clock).where(
            JournalEntry.seq > seq)).scalars())
    assert len(clocks) == 1  # one transaction, one stamp
    with store.reading() as conn:  # both households' timelines tell the move
        assert "成员 韦强 迁出本户" in [e.what for e in household_history(conn, roster["home"])]
        told = [e.what for e in household_history(conn, new)]
    assert "成员 韦强 迁入本户" in told and "成员 韦强 加入原因：分户" in told


@pytest.mark.parametrize("moved, code, field", [
    ({}, "X1", "members"),
    ("all", "X1", "members"),
    ({"son": "之子"}, "X1", "relation"),
    ({"son": "户主"}, "522727100200000001", "code"),
    ({"son": "户主"}, "", "code"),
    ({"wife": "户主", "son": "户主"}, "X1", "relation"),
])
def test_a_split_is_refused_naming_the_field(store, roster, moved, code, field):
    if moved == "all":
        moved = {"head": "户主", "wife": "配偶", "son": "之子"}
    chosen = {roster[k]: v for k, v in moved.items()}
    with pytest.raises(MembershipError) as refused:
        membership.record(store, membership.split_edits, roster["home"], chosen, code,
                          TODAY, TODAY)
    assert refused.value.field == field
    assert current(store, roster["home"]) == ["王芳", "韦强", "韦德明"]


def test_a_merge_moves_every_member_and_ends_the_other_household(store, roster):
    new = membership.record(store, membership.split_edits, roster["home"],
                            {roster["son"]: "户主"}, "X1", TODAY, TODAY)
    membership.record(store, membership.merge_edits, roster["home"], new,
                      {roster["son"]: "之子"}, TODAY, TODAY)
    assert current(store, roster["home"]) == ["王芳", "韦强", "韦德明"]
    with store.reading() as conn:
        assert [r.id for r in queries.household_rows(conn)] == [roster["home"]]
    with pytest.raises(MembershipError):
        membership.record(store, membership.merge_edits, roster["home"], roster["home"],
                          {}, TODAY, TODAY)


def test_household_fields_are_edited_and_a_bad_helper_phone_refused(store, roster):
    membership.record(store, membership.household_edit, roster["home"],
                      {"helper_name": "李四", "helper_phone": "139 8765 4321"})
    with store.reading() as conn:
        facts = queries.household(conn, roster["home"])
    assert (facts["helper_name"], facts["helper_phone"]) == ("李四", "13987654321")
    from fieldvisit.roster import assignments

    membership.record(store, membership.household_edit, roster["home"], {"helper_name": "王五"})
    with store.reading() as conn:  # a change of helper is a dated assignment, the old kept
        kept = [(a.helper.name, a.ended_on is None)
                for a in assignments.history(conn, roster["home"])]
    assert kept[-2:] == [("李四", False), ("王五", True)]
    with pytest.raises(MembershipError) as bad:
        membership.record(store, membership.household_edit, roster["home"],
                          {"helper_phone": "1398"})
    assert bad.value.field == "helper_phone"


def test_type_cause_and_note_are_edited_and_journaled_and_told(store, roster):
    membership.record(store, membership.household_edit, roster["home"], {
        "hh_type": "脱贫户", "poverty_cause": " 因病 ", "note": "老人独居，\n每月回访",
        "address": "1组  12号"})
    with store.reading() as conn:
        facts = queries.household(conn, roster["home"])
        told = [e.what for e in household_history(conn, roster["home"])]
    assert (facts["hh_type"], facts["poverty_cause"], facts["note"], facts["address"]) == (
        "脱贫户", "因病", "老人独居，\n每月回访", "1组 12号")
    assert "户类型：一般农户 → 脱贫户" in told and "致贫原因：空 → 因病" in told
    assert any(line.startswith("备注：空 → 老人独居") for line in told)
    seq = store.journal_end()  # the same values again write nothing
    membership.record(store, membership.household_edit, roster["home"],
                      {"hh_type": "脱贫户", "note": "老人独居，\n每月回访"})
    assert store.journal_end() == seq


@pytest.mark.parametrize("fields, field", [
    ({"hh_type": "监测户"}, "hh_type"),
    ({"hh_type": ""}, "hh_type"),
    ({"note": "工资卡 6222 0202 0000 0000 006"}, "note"),  # Luhn-valid: a card number
    ({"monitored": True}, "monitored"),
    ({"monitor_category": "边缘易致贫户"}, "monitor_category"),
    ({"risk_eliminated": True}, "risk_eliminated"),
])
def test_a_bad_type_a_card_number_or_a_monitoring_field_is_refused(store, roster, fields,
                                                                   field):
    seq = store.journal_end()
    with pytest.raises(MembershipError) as refused:
        membership.record(store, membership.household_edit, roster["home"], fields)
    assert refused.value.field == field
    assert store.journal_end() == seq


def test_a_note_may_hold_other_numbers():
    assert not membership.bank_card_in("电话 13987654321，身份证 " + HEAD_ID)
    assert membership.bank_card_in("6222020200000000006")


def test_a_county_word_kept_as_type_may_stay(store, roster):
    store.write([membership.Update("household", roster["home"], {"hh_type": "监测户"})])
    membership.record(store, membership.household_edit, roster["home"],
                      {"hh_type": "监测户", "address": "2组"})
    with store.reading() as conn:
        assert queries.household(conn, roster["home"])["address"] == "2组"


def test_a_merge_is_told_in_the_ended_households_history(store, roster):
    other = Insert("household", {"village_id": roster["village"], "code": "X9",
                                 "hh_type": "一般农户"})
    head = Insert("member", {"household_id": other.id, "name": "韦小军", "relation": "户主"})
    store.write([other, head])
    with store.reading() as conn:
        targets = membership.merge_targets(conn, other.id)
    assert [(t.id, t.head, t.size) for t in targets] == [(roster["home"], "韦德明", 3)]
    with pytest.raises(MembershipError) as head_in:
        membership.record(store, membership.merge_edits, roster["home"], other.id, {},
                          TODAY, TODAY)
    assert head_in.value.field == "relation"
    membership.record(store, membership.merge_edits, roster["home"], other.id,
                      {head.id: "之子"}, TODAY, TODAY)
    with store.reading() as conn:
        told = [e.what for e in household_history(conn, other.id)]
        received = [e.what for e in household_history(conn, roster["home"])]
    assert "合户：本户并入户 522727100200000001，不再单独列户" in told
    assert "成员 韦小军 迁出本户" in told
    assert "成员 韦小军 迁入本户" in received and "成员 韦小军 加入原因：合户" in received


def test_a_merge_into_another_village_is_refused(store, roster):
    elsewhere = Insert("village", {"code": "522727100201", "name": "新华村"})
    other = Insert("household", {"village_id": elsewhere.id, "code": "Y1",
                                 "hh_type": "一般农户"})
    store.write([elsewhere, other])
    with pytest.raises(MembershipError) as refused:
        membership.record(store, membership.merge_edits, roster["home"], other.id, {},
                          TODAY, TODAY)
    assert refused.value.field == "household"
    with store.reading() as conn:
        assert membership.merge_targets(conn, other.id) == []


def test_a_disability_certificate_is_checked_as_typed_and_as_imported():
    from fieldvisit.roster import checks

    person = {"name": "韦德明", "id_number": HEAD_ID}

    def found(cert, typed=()):
        return [(p.field, p.severity) for p in checks.member_problems(
            {**person, "disability_cert": cert}, TODAY, typed=typed)]

    assert found(HEAD_ID + "42") == []
    assert found(HEAD_ID.lower() + "42") == []  # an x is the same X
    assert found(HEAD_ID + "45", ("disability_cert",)) == [("disability_cert", "error")]
    assert found(HEAD_ID + "45") == [("disability_cert", "warning")]  # an import keeps it
    assert found(HEAD_ID, ("disability_cert",)) == [("disability_cert", "error")]
    assert found(WIFE_ID + "11", ("disability_cert",)) == [("disability_cert", "warning")]
    assert found(None, ("disability_cert",)) == []
