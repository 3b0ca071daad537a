"""帮扶责任人 (issue 12 part 2): the registry, dated assignments whose history is kept on a
change, household.helper_* following the current one (journaled in the same write), the
helper a household had before the registry, a roster import's new helper, and the
``fieldvisit helpers`` commands run as a cadre would."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select

from fieldvisit.roster import assignments
from fieldvisit.roster.assignments import HelperError, ImportedHelper
from fieldvisit.roster.lookup import UnknownHouseholdError, find_household
from fieldvisit.store import Insert, Store, Update
from fieldvisit.store.models import Household, JournalEntry
from tests.vaults import laptop

TODAY = date(2026, 11, 10)
HEAD_ID = "52272719800101001X"


def village_with_household(store: Store, **household: object) -> tuple[str, str]:
    village = Insert("village", {"name": "平里河村", "code": "522727100200"})
    home = Insert("household", {"village_id": village.id, "code": "522727100200010001",
                                **household})
    head = Insert("member", {"household_id": home.id, "name": "王大山", "relation": "户主",
                             "id_number": HEAD_ID})
    store.write([village, home, head])
    return village.id, home.id


def helper_fields(store: Store, household_id: str) -> tuple:
    with store.reading() as conn:
        return tuple(conn.execute(select(Household.helper_name, Household.helper_unit,
                                   Household.helper_phone)
                            .where(Household.id == household_id)).one())


def test_a_change_of_helper_keeps_the_old_one_and_the_household_follows(store):
    village, home = village_with_household(store)
    first = assignments.add_helper(store, village, "李明", unit="县农业农村局", post="科员",
                                   phone="13800001111")
    second = assignments.add_helper(store, village, "张红", unit="县教育局", post="副局长",
                                    phone="13900002222")
    assert assignments.assign(store, home, first, date(2025, 3, 1), TODAY)
    assert helper_fields(store, home) == ("李明", "县农业农村局", "13800001111")
    journal_end = store.journal_end()
    assert assignments.assign(store, home, second, date(2026, 6, 1), TODAY)
    assert helper_fields(store, home) == ("张红", "县教育局", "13900002222")
    with store.reading() as conn:
        rows = assignments.handbook_rows(conn, home)
        stamps = {clock for (clock,) in conn.execute(
            select(JournalEntry.clock).where(JournalEntry.seq > journal_end))}
        fields = {(e, f) for e, f in conn.execute(
            select(JournalEntry.entity, JournalEntry.field)
            .where(JournalEntry.seq > journal_end))}
    assert rows == [("李明", "县农业农村局", "科员", "13800001111", date(2025, 3, 1),
                     date(2026, 6, 1)),
                    ("张红", "县教育局", "副局长", "13900002222", date(2026, 6, 1), None)]
    # the old row ended, the new one inserted and the household's helper_* in one write
    assert len(stamps) == 1
    assert {("helper_assignment", "ended_on"), ("helper_assignment", None),
            ("household", "helper_name")} <= fields
    # the same helper again writes nothing
    end = store.journal_end()
    assert assignments.assign(store, home, second, date(2026, 7, 1), TODAY) is None
    assert store.journal_end() == end


def test_refusals_name_what_is_wrong(store):
    village, home = village_with_household(store)
    helper = assignments.add_helper(store, village, "李明")
    assignments.assign(store, home, helper, date(2026, 6, 1), TODAY)
    other = assignments.add_helper(store, village, "张红")
    with pytest.raises(HelperError, match="早于"):
        assignments.assign(store, home, other, date(2026, 5, 1), TODAY)
    with pytest.raises(HelperError, match="晚于今天"):
        assignments.assign(store, home, other, date(2026, 12, 1), TODAY)
    with pytest.raises(HelperError, match="姓名"):
        assignments.add_helper(store, village, "  ")
    with pytest.raises(HelperError) as bad_phone:
        assignments.add_helper(store, village, "赵六", phone="12345")
    assert bad_phone.value.en


def test_editing_a_helper_updates_the_households_they_help_now(store):
    village, home = village_with_household(store)
    helper = assignments.add_helper(store, village, "李明", phone="13800001111")
    assignments.assign(store, home, helper, date(2026, 1, 1), TODAY)
    assert assignments.edit_helper(store, helper, {"phone": "13800009999", "post": "站长"})
    assert helper_fields(store, home) == ("李明", None, "13800009999")
    with store.reading() as conn:
        assert assignments.handbook_rows(conn, home)[0][2:4] == ("站长", "13800009999")


def test_the_helper_from_before_the_registry_stays_in_the_history(store):
    village, home = village_with_household(
        store, helper_name="老周", helper_unit="镇政府", helper_phone="13700003333")
    recorded = date.today()  # the day the roster recorded 老周 (the journal's stamp)
    made = assignments.assign_named(store, home, "小吴", recorded, unit="县林业局",
                                    today=recorded)
    assert made
    with store.reading() as conn:
        rows = assignments.handbook_rows(conn, home)
        registry = [h.name for h in assignments.village_helpers(conn, village)]
    assert rows == [("老周", "镇政府", None, "13700003333", recorded, recorded),
                    ("小吴", "县林业局", None, None, recorded, None)]
    assert sorted(registry) == ["小吴", "老周"]
    assert helper_fields(store, home) == ("小吴", "县林业局", None)


def test_assigning_by_name_reuses_the_registry_and_fills_blanks(store):
    village, home = village_with_household(store)
    helper = assignments.add_helper(store, village, "李明")
    assignments.assign_named(store, home, "李明", date(2026, 1, 1), phone="13800001111",
                             today=TODAY)
    with store.reading() as conn:
        registry = assignments.village_helpers(conn, village)
    assert [(h.id, h.phone) for h in registry] == [(helper, "13800001111")]
    # a contradicting phone is another person of the same name
    assignments.assign_named(store, home, "李明", date(2026, 2, 1), phone="13900002222",
                             today=TODAY)
    with store.reading() as conn:
        assert len(assignments.village_helpers(conn, village)) == 2
        assert len(assignments.history(conn, home)) == 2


def test_a_roster_import_bringing_another_helper_adds_an_assignment(store):
    _village, home = village_with_household(
        store, helper_name="老周", helper_unit="镇政府")
    # as the importer would: its household write first, then follow_import in one tx
    with store.transaction() as tx:
        tx.write([Update("household", home, {"helper_name": "小吴", "helper_unit": "县林业局"})])
        assignments.follow_import(tx, [ImportedHelper(home, "小吴", "县林业局",
                                                      was=("老周", "镇政府", None))], TODAY)
    with store.reading() as conn:
        assert assignments.handbook_rows(conn, home) == [
            ("老周", "镇政府", None, None, TODAY, TODAY),
            ("小吴", "县林业局", None, None, TODAY, None)]
    # the same helper next time: nothing new; a blank name: nothing at all
    with store.transaction() as tx:
        assert not assignments.follow_import(tx, [ImportedHelper(home, "小吴", "县林业局")],
                                             TODAY)
        assert not assignments.follow_import(tx, [ImportedHelper(home, "")], TODAY)
    later = date(2027, 3, 1)
    with store.transaction() as tx:
        assignments.follow_import(tx, [ImportedHelper(home, "钱七", phone="13600004444")],
                                  later)
    with store.reading() as conn:
        assert [r[0] for r in assignments.handbook_rows(conn, home)] == ["老周", "小吴", "钱七"]
        assert assignments.current(conn, home).started_on == later
    # the unit the file left blank stays on the household, as the importer keeps it
    assert helper_fields(store, home) == ("钱七", "县林业局", "13600004444")


@pytest.mark.parametrize("batch", [2, 3, 1000])
def test_an_import_naming_helpers_writes_the_same_whatever_its_batches(store, monkeypatch,
                                                                       batch):
    """follow_import writes its edits in batches (memory flat at 100,000 households): a
    helper named on both sides of a boundary is still one registry entry, and every
    household gets its assignment and the helper's fields."""
    monkeypatch.setattr(assignments, "_WRITE_BATCH", batch)
    village = Insert("village", {"name": "平里河村", "code": "522727100200"})
    homes = [Insert("household", {"village_id": village.id, "code": f"52272710020001{n:04}"})
             for n in range(7)]
    store.write([village, *homes])
    named = [ImportedHelper(home.id, *(("小吴", "县林业局", "13600000001") if n % 2 else
                                       ("钱七", "镇政府", "13600000002")))
             for n, home in enumerate(homes)]
    with store.transaction() as tx:
        changes = assignments.follow_import(tx, named, TODAY)
    assert len(changes.inserted["helper_assignment"]) == 7
    assert sorted(changes.updated["household"]) == sorted(home.id for home in homes)
    with store.reading() as conn:
        registry = assignments.village_helpers(conn, village.id)
        assert sorted(h.name for h in registry) == ["小吴", "钱七"]
        for n, home in enumerate(homes):
            now = assignments.current(conn, home.id)
            assert (now.helper.name, now.started_on) == (named[n].name, TODAY)
    assert helper_fields(store, homes[3].id) == ("小吴", "县林业局", "13600000001")
    assert helper_fields(store, homes[6].id) == ("钱七", "镇政府", "13600000002")


def imported_households(store: Store, told_new: bool) -> tuple:
    """Households an import inserts, then follow_import told they are new (not read
    back) or not: the registry, each handbook, the household fields and what changed."""
    village = Insert("village", {"name": "平里河村", "code": "522727100200"})
    known = Insert("helper", {"village_id": village.id, "name": "小吴", "unit": "县林业局"})
    store.write([village, known])
    named = [("小吴", None, None), ("小吴", "县林业局", "13600000001"), ("钱七", None, None),
             ("钱七", "镇政府", None), (None, None, None), (" 老周 ", None, "13600000002")]
    homes = [Insert("household", {"village_id": village.id, "code": f"52272710020001{n:04}",
                                  **{k: v for k, v in zip(
                                      ("helper_name", "helper_unit", "helper_phone"), fields,
                                      strict=True) if v is not None}})
             for n, fields in enumerate(named)]
    with store.transaction() as tx:
        tx.write(homes)
        changes = assignments.follow_import(tx, [
            ImportedHelper(home.id, *fields, new_in=village.id if told_new else None)
            for home, fields in zip(homes, named, strict=True)], TODAY)
    with store.reading() as conn:
        registry = sorted((h.name, h.unit, h.phone)
                          for h in assignments.village_helpers(conn, village.id))
        handbooks = [assignments.handbook_rows(conn, home.id) for home in homes]
        journal = conn.execute(select(JournalEntry.entity, JournalEntry.field,
                                      JournalEntry.old).order_by(JournalEntry.seq)).all()
        stamps = len(set(conn.execute(select(JournalEntry.clock)).scalars()))
    return (registry, handbooks, [helper_fields(store, home.id) for home in homes],
            {entity: len(ids) for entity, ids in changes.inserted.items()},
            {entity: len(ids) for entity, ids in changes.updated.items()}, journal, stamps)


def test_households_an_import_inserts_get_the_helpers_they_would_get_read_back(
        tmp_path, monkeypatch):
    """The importer tells follow_import which households it has just inserted, so they
    are not read back: the registry entries, assignments, household fields, changes and
    the journal (in order, written in the same batches) are those of the households
    read back from the store."""
    monkeypatch.setattr(assignments, "_WRITE_BATCH", 3)
    told, read_back = (imported_households(laptop(tmp_path / name), told_new)
                       for name, told_new in (("told", True), ("read", False)))
    assert told == read_back
    registry, handbooks, fields, _inserted, updated, _journal, _stamps = told
    # a blank never contradicts: 小吴 with a phone and 钱七 with a unit are the same people
    assert registry == [("小吴", "县林业局", None), ("老周", None, "13600000002"),
                        ("钱七", None, None)]
    assert handbooks[0] == [("小吴", "县林业局", None, None, TODAY, None)]
    assert handbooks[4] == []  # no helper named: none assigned
    assert fields[0] == ("小吴", "县林业局", None)  # the registry's unit fills the blank
    assert fields[5] == ("老周", None, "13600000002")  # the name as the registry has it
    assert updated == {"household": 2}  # those two: the others already show their helper


def test_households_already_showing_their_helper_keep_the_batches_of_the_write(
        store, monkeypatch):
    """A household update that would change nothing is left out, but still counts
    towards the batch: the journal's stamps group the edits as they always did."""
    monkeypatch.setattr(assignments, "_WRITE_BATCH", 2)  # an assignment and an update
    village = Insert("village", {"name": "平里河村", "code": "522727100200"})
    homes = [Insert("household", {"village_id": village.id, "code": f"52272710020001{n:04}",
                                  "helper_name": "小吴", "helper_unit": "县林业局"})
             for n in range(6)]
    store.write([village, *homes])
    with store.transaction() as tx:
        assignments.follow_import(tx, [ImportedHelper(home.id, "小吴", "县林业局",
                                                      new_in=village.id) for home in homes],
                                  TODAY)
    with store.reading() as conn:
        stamps = conn.execute(select(JournalEntry.clock).where(
            JournalEntry.entity == "helper_assignment")).scalars().all()
        household_changes = conn.execute(select(JournalEntry.seq).where(
            JournalEntry.entity == "household", JournalEntry.field.is_not(None))).all()
    assert len(stamps) == 6 and len(set(stamps)) == 6  # one write a household, as ever
    assert household_changes == []


def test_a_household_is_found_by_code_or_head_id(store):
    _village, home = village_with_household(store)
    with store.reading() as conn:
        assert find_household(conn, "522727100200010001").id == home
        assert find_household(conn, HEAD_ID.lower()).id == home
        with pytest.raises(UnknownHouseholdError):
            find_household(conn, "nobody")


def fieldvisit(folder, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir", str(folder),
                           *args], capture_output=True, text=True, timeout=120)


def test_the_helpers_commands(tmp_path):
    store = laptop(tmp_path)
    _village, home = village_with_household(store)
    store.close()
    done = fieldvisit(tmp_path, "helpers", "assign", HEAD_ID, "李明", "--unit", "县农业农村局",
                      "--phone", "13800001111", "--from", "2025-03-01")
    assert done.returncode == 0, done.stderr
    assert "李明" in done.stdout
    done = fieldvisit(tmp_path, "helpers", "assign", "522727100200010001", "张红",
                      "--post", "副局长", "--from", "2026-06-01")
    assert done.returncode == 0, done.stderr
    listed = fieldvisit(tmp_path, "helpers", "list", "--village", "平里河村")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()[1:]
    assert lines == ["平里河村\t张红\t\t副局长\t\t1",
                     "平里河村\t李明\t县农业农村局\t\t13800001111\t0"]
    history = fieldvisit(tmp_path, "helpers", "history", HEAD_ID)
    assert history.stdout.splitlines()[1:] == [
        "李明\t县农业农村局\t\t13800001111\t2025-03-01\t2026-06-01",
        "张红\t\t副局长\t\t2026-06-01\t至今"]
    refused = fieldvisit(tmp_path, "helpers", "assign", "nobody", "李明")
    assert refused.returncode == 2
    assert "没有户编号" in refused.stderr and "no household" in refused.stderr
    store = laptop(tmp_path)
    assert helper_fields(store, home) == ("张红", None, None)
    store.close()


def test_an_import_keeps_the_helper_the_journal_knows_from_before_the_registry(store):
    """As the importer calls it: its own household write first, only the changed fields
    named, no ``was``; the old helper comes from the journal."""
    _village, home = village_with_household(store, helper_name="老周", helper_unit="镇政府")
    recorded = date.today()
    with store.transaction() as tx:
        tx.write([Update("household", home, {"helper_name": "小吴"})])
        assignments.follow_import(tx, [ImportedHelper(home, "小吴")], recorded)
    with store.reading() as conn:
        assert assignments.handbook_rows(conn, home) == [
            ("老周", None, None, None, recorded, recorded),
            ("小吴", None, None, None, recorded, None)]
    assert helper_fields(store, home) == ("小吴", "镇政府", None)  # as the importer kept it
    # only the phone changed: the importer names no helper, the registry entry follows
    with store.transaction() as tx:
        tx.write([Update("household", home, {"helper_phone": "13600004444"})])
        assignments.follow_import(tx, [ImportedHelper(home, None, None, "13600004444")],
                                  recorded)
    with store.reading() as conn:
        assert [r[3] for r in assignments.handbook_rows(conn, home)] == [None, "13600004444"]


def test_an_import_naming_the_helper_a_household_already_had_starts_it_when_recorded(store):
    _village, home = village_with_household(store, helper_name="老周")
    with store.transaction() as tx:
        tx.write([Update("household", home, {"helper_unit": "镇政府"})])
        assignments.follow_import(tx, [ImportedHelper(home, None, "镇政府")], date(2027, 1, 5))
    with store.reading() as conn:
        assert assignments.handbook_rows(conn, home) == [
            ("老周", "镇政府", None, None, date.today(), None)]
