"""验收/销号 by a second person (issue 12 part 2): closing by whoever recorded the fix is
refused in Chinese and English; a one-person village's setting allows it, and the step's
note (journaled with it) says nobody else checked."""

from __future__ import annotations

from datetime import date

import orjson
import pytest
from sqlalchemy import select

from fieldvisit.checklist import installed
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings
from fieldvisit.store import Insert
from fieldvisit.store.models import JournalEntry
from fieldvisit.visits import ledger
from fieldvisit.visits.ledger import LedgerError

TODAY = date(2026, 11, 1)


@pytest.fixture
def fixed(store):
    """A problem whose fix 李四 recorded (待验收)."""
    store.write([
        Insert("village", {"name": "平里河村"}, id="v1"),
        Insert("household", {"village_id": "v1", "code": "A1"}, id="h1"),
        Insert("problem", {"household_id": "h1", "form_id": "water", "rule_id": "outage",
                           "category": "饮水安全", "severity": "高", "text": "供水中断",
                           "status": "待整改", "opened_on": TODAY}, id="p1")])
    ledger.advance(store, "p1", "整改中", "已联系水务站", "李四", TODAY)
    ledger.advance(store, "p1", "待验收", "新水管已接通", "李四", TODAY)
    return store


def status(store) -> str:
    with store.reading() as conn:
        return next(p.status for p in ledger.problems(conn) if p.id == "p1")


def test_the_fixer_cannot_close_their_own_fix(fixed):
    with fixed.reading() as conn:
        assert ledger.fixed_by(conn, "p1") == "李四"
    with pytest.raises(LedgerError) as refused:
        ledger.advance(fixed, "p1", "已销号", "验收合格", " 李四 ", TODAY)
    assert "验收销号须由其他人进行" in refused.value.zh
    assert "someone else must accept" in refused.value.en
    assert status(fixed) == "待验收"
    # 验收未通过 (back to 整改中) is not a closing: allowed
    ledger.advance(fixed, "p1", "整改中", "水压不足，重新整改", "李四", TODAY)
    ledger.advance(fixed, "p1", "待验收", "加装增压泵", "赵六", TODAY)
    ledger.advance(fixed, "p1", "已销号", "验收合格", "李四", TODAY)  # 赵六 fixed it this time
    assert status(fixed) == "已销号"


def test_a_one_person_village_may_close_its_own_fix_and_the_journal_says_so(fixed):
    allowed = Settings({**DEFAULT_SETTINGS, "same_person_acceptance": 1})
    end = fixed.journal_end()
    step = ledger.advance(fixed, "p1", "已销号", "验收合格", "李四", TODAY, settings=allowed)
    with fixed.reading() as conn:
        closing = ledger.steps(conn, "p1")[-1]
        journaled = conn.execute(select(JournalEntry.new).where(
            JournalEntry.seq > end, JournalEntry.entity == "problem_step",
            JournalEntry.entity_id == step)).scalar()
    assert closing.note == f"验收合格（{ledger.SAME_PERSON_NOTE}）"
    assert orjson.loads(journaled)["note"] == closing.note
    assert status(fixed) == "已销号"


def test_the_installed_settings_decide_by_default(fixed):
    (fixed.folder / installed.SETTINGS).write_text("same_person_acceptance: 1\n", "utf-8")
    ledger.advance(fixed, "p1", "已销号", "", "李四", TODAY)
    with fixed.reading() as conn:
        assert ledger.steps(conn, "p1")[-1].note == ledger.SAME_PERSON_NOTE
