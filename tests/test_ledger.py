"""The 问题整改 ledger: allowed transitions only, history kept on reopening, evidence photos,
filters for the village ledger view, and open problems per household for the colours."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fieldvisit.store import Insert, Update
from fieldvisit.visits import ledger, photos
from fieldvisit.visits.ledger import LedgerError

TODAY = date(2026, 11, 1)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(50))


def problem(household_id: str, category: str = "饮水安全", severity: str = "高",
            status: str = "待整改", deadline: date | None = TODAY + timedelta(days=30),
            problem_id: str | None = None) -> Insert:
    fields = {"household_id": household_id, "visit_id": None, "form_id": "water",
              "rule_id": "outage", "member_id": None, "category": category,
              "severity": severity, "text": f"{household_id} 供水中断 60 天", "status": status,
              "deadline": deadline, "responsible": "李四", "opened_on": TODAY}
    return Insert("problem", fields, id=problem_id) if problem_id else Insert("problem", fields)


@pytest.fixture
def ledger_store(store):
    store.write([
        Insert("village", {"name": "平里河村"}, id="v1"),
        Insert("village", {"name": "新寨村"}, id="v2"),
        Insert("household", {"village_id": "v1", "code": "A1"}, id="h1"),
        Insert("household", {"village_id": "v1", "code": "A2"}, id="h2"),
        Insert("household", {"village_id": "v2", "code": "B1"}, id="h3"),
        problem("h1", problem_id="p1"),
        problem("h1", category="住房安全", severity="中", deadline=TODAY - timedelta(days=1),
                problem_id="p2"),
        problem("h2", category="义务教育", severity="中", deadline=None, problem_id="p3"),
        problem("h3", status="已销号", deadline=TODAY - timedelta(days=9), problem_id="p4"),
    ])
    return store


def statuses(store, problem_id):
    with store.reading() as conn:
        return [(s.from_status, s.to_status) for s in ledger.steps(conn, problem_id)]


def by(status: str) -> str:
    """李四 records the fixes, 王五 checks and closes them (验收 by someone else)."""
    return "王五" if status == "已销号" else "李四"


def status_of(store, problem_id):
    with store.reading() as conn:
        return next(p.status for p in ledger.problems(conn) if p.id == problem_id)


def test_a_problem_goes_to_closed_step_by_step_with_notes(ledger_store):
    path = [("整改中", "已联系水务站"), ("待验收", "新水管已接通"), ("已销号", "验收合格")]
    for day, (status, note) in enumerate(path):
        ledger.advance(ledger_store, "p1", status, note, by(status), TODAY + timedelta(days=day))
        assert status_of(ledger_store, "p1") == status
    with ledger_store.reading() as conn:
        steps = ledger.steps(conn, "p1")
    assert [(s.from_status, s.to_status, s.note, s.actor, s.on) for s in steps] == [
        ("待整改", "整改中", "已联系水务站", "李四", TODAY),
        ("整改中", "待验收", "新水管已接通", "李四", TODAY + timedelta(days=1)),
        ("待验收", "已销号", "验收合格", "王五", TODAY + timedelta(days=2)),
    ]


@pytest.mark.parametrize("path", [
    ["待验收"], ["已销号"], ["整改中", "已销号"], ["整改中", "待整改"], ["整改中", "整改中"],
    ["整改中", "待验收", "待整改"], ["整改中", "待验收", "已销号", "待验收"], ["办结"],
])
def test_other_transitions_are_refused_with_a_bilingual_message(ledger_store, path):
    *allowed, refused = path
    for status in allowed:
        ledger.advance(ledger_store, "p1", status, "", by(status), TODAY)
    before = statuses(ledger_store, "p1")
    with pytest.raises(LedgerError) as raised:
        ledger.advance(ledger_store, "p1", refused, "", by(refused), TODAY)
    assert raised.value.zh and raised.value.en and raised.value.zh != raised.value.en
    assert statuses(ledger_store, "p1") == before  # nothing written


def test_failed_acceptance_and_reopening_keep_the_whole_history(ledger_store):
    for status in ("整改中", "待验收", "整改中", "待验收", "已销号", "整改中"):
        ledger.advance(ledger_store, "p1", status, "", by(status), TODAY)
    assert statuses(ledger_store, "p1") == [
        ("待整改", "整改中"), ("整改中", "待验收"), ("待验收", "整改中"),
        ("整改中", "待验收"), ("待验收", "已销号"), ("已销号", "整改中")]
    assert status_of(ledger_store, "p1") == "整改中"
    with ledger_store.reading() as conn:
        assert "h1" in ledger.open_problems_by_household(conn)


def test_unknown_problem_and_missing_actor_are_refused(ledger_store):
    with pytest.raises(LedgerError, match="no problem"):
        ledger.advance(ledger_store, "nope", "整改中", "", "李四", TODAY)
    with pytest.raises(LedgerError, match="required"):
        ledger.advance(ledger_store, "p1", "整改中", "", " ", TODAY)


def test_a_step_can_carry_an_evidence_photo(ledger_store, tmp_path):
    image = tmp_path / "新水管.png"
    image.write_bytes(PNG)
    ledger.advance(ledger_store, "p1", "整改中", "", "李四", TODAY)
    step = ledger.advance(ledger_store, "p1", "待验收", "接通", "李四", TODAY, photo=image)
    with ledger_store.reading() as conn:
        attached = photos.photos_of(conn, problem_step_id=step)
    assert [(p.file_name, p.media_type, p.size) for p in attached] == [
        ("新水管.png", "image/png", len(PNG))]
    assert photos.read_photo(ledger_store.files, attached[0].sha256, "image/png") == PNG
    bad = tmp_path / "notes.txt"
    bad.write_text("整改完成", "utf-8")
    with pytest.raises(photos.PhotoError):
        ledger.advance(ledger_store, "p1", "已销号", "", "王五", TODAY, photo=bad)
    assert status_of(ledger_store, "p1") == "待验收"  # refused photo: no step either


def test_the_ledger_filters_by_village_status_category_and_overdue(ledger_store):
    with ledger_store.reading() as conn:
        assert [p.id for p in ledger.problems(conn)] == ["p4", "p2", "p1", "p3"]
        assert [p.id for p in ledger.problems(conn, village_id="v1")] == ["p2", "p1", "p3"]
        assert [p.id for p in ledger.problems(conn, village_id="v2")] == ["p4"]
        assert [p.id for p in ledger.problems(conn, status="已销号")] == ["p4"]
        assert [p.id for p in ledger.problems(conn, category="住房安全")] == ["p2"]
        assert [p.id for p in ledger.problems(conn, overdue_on=TODAY)] == ["p2"]  # p4 closed
        late = TODAY + timedelta(days=31)
        assert [p.id for p in ledger.problems(conn, village_id="v1", overdue_on=late)] == [
            "p2", "p1"]
        row = ledger.problems(conn, village_id="v2")[0]
    assert (row.household_code, row.village_id, row.category) == ("B1", "v2", "饮水安全")


def test_open_problems_by_household_lists_severities_of_unclosed_problems(ledger_store):
    ledger_store.write([problem("h3", severity="低"), Update("problem", "p3", {"deleted": True})])
    with ledger_store.reading() as conn:
        found = ledger.open_problems_by_household(conn)
    assert found == {"h1": ["高", "中"], "h3": ["低"]}


def test_assign_sets_responsible_and_deadline(ledger_store):
    ledger.assign(ledger_store, "p3", responsible="王五", deadline=TODAY + timedelta(days=7))
    ledger.assign(ledger_store, "p3")  # nothing given: nothing written
    with ledger_store.reading() as conn:
        row = next(p for p in ledger.problems(conn) if p.id == "p3")
    assert (row.responsible, row.deadline) == ("王五", TODAY + timedelta(days=7))
