"""The import's column-at-a-time row checks give the answers of the row-by-row ones.

``changes.new_rows`` checks and converts a batch of inserted rows a column at a time;
``changes.new_row``, one row at a time, is its reference. On the import of real roster
files (a demo village exported as the county does, the defect file) both must store the
same rows; on batches with one bad value put anywhere, both must refuse with the same
message.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
import rosterfiles as rf
from sqlalchemy import select

from fieldvisit import demo
from fieldvisit.roster.exporter import export_xlsx
from fieldvisit.roster.importer import apply_import, plan_import
from fieldvisit.store import changes
from fieldvisit.store.changes import new_row, new_rows, table_for
from fieldvisit.store.models import Household, Member, Village, VillageGroup
from tests.vaults import unlocked

VOLATILE = {"id", "rev", "changed_at", "household_id", "village_id", "group_id",
            "township_id", "county_id"}  # ids differ between two imports; codes say where


def stored(store) -> dict[str, list[tuple]]:
    """Every imported row without its ids and stamps, the household's 户编号 instead of
    its id, so two imports of one file compare equal."""
    with store.reading() as conn:
        codes = dict(conn.execute(select(Household.id, Household.code)).all())
        rows: dict[str, list[tuple]] = {}
        for model in (Household, Member, Village, VillageGroup):
            rows[model.__tablename__] = sorted(
                (codes.get(row.get("household_id")),
                 *(repr(v) for k, v in sorted(row.items()) if k not in VOLATILE))
                for row in map(dict, conn.execute(select(model)).mappings()))
    return rows


def one_by_one(table, batch):
    return [new_row(table, values) for values in batch]


def import_both_ways(tmp_path, monkeypatch, path) -> tuple[dict, dict]:
    fast = unlocked(tmp_path / "fast", create=True).store
    apply_import(fast, plan_import(path, fast, today=rf.TODAY))
    with monkeypatch.context() as patched:
        patched.setattr(changes, "new_rows", one_by_one)
        slow = unlocked(tmp_path / "slow", create=True).store
        apply_import(slow, plan_import(path, slow, today=rf.TODAY))
    try:
        return stored(fast), stored(slow)
    finally:
        fast.close()
        slow.close()


def test_a_demo_village_exported_by_the_county_imports_as_row_by_row(tmp_path, monkeypatch):
    source = unlocked(tmp_path / "source", create=True).store
    demo.populate(source, households=120, seed=5, today=date(2026, 11, 1))
    path = tmp_path / "roster.xlsx"
    export_xlsx(source, path)
    source.close()
    fast, slow = import_both_ways(tmp_path, monkeypatch, path)
    assert len(fast["member"]) > 300
    assert fast == slow


def test_the_defect_file_imports_as_row_by_row(tmp_path, monkeypatch):
    fast, slow = import_both_ways(tmp_path, monkeypatch,
                                  rf.write_defects_xlsx(tmp_path / "defects.xlsx"))
    assert fast["member"]
    assert fast == slow


def member_batch(rng: random.Random, size: int) -> list[dict]:
    """Members as an import inserts them, in a few shapes (some fields left out)."""
    batch = []
    for n in range(size):
        values = {"household_id": "0" * 32, "name": f"成员{n}", "sex": rng.choice(["男", "女"]),
                  "relation": "户主", "phone": rng.choice(["", "13800000000", None])}
        if n % 3:
            values["birth_date"] = f"19{rng.randrange(40, 99)}-0{rng.randrange(1, 9)}-1{n % 10}"
        if n % 5 == 0:
            values["id_number"] = f"52262119{rng.randrange(40, 99)}0101{n % 10:03d}X"
        batch.append(values)
    return batch


BAD_VALUES = [("name", "x" * 500), ("name", "控制\x07字符"), ("sex", "未知"),
              ("birth_date", "1990-13-01"), ("birth_date", 1990), ("phone", 13800000000),
              ("household_id", "not-an-id"), ("name", None), ("nickname", "阿三"),
              ("resident_insurance", "是"), ("resident_insurance", 2),
              ("name", ...), ("household_id", ...)]  # ...: left out of the row


def test_valid_batches_give_the_rows_new_row_gives():
    """The same rows, their fields in the same order too: the journal keeps each
    inserted row as JSON text in its dict's order."""
    rng = random.Random(3)
    table = table_for("member")
    for size in (0, 1, 7, 400):
        batch = member_batch(rng, size)
        rows = new_rows(table, batch)
        assert [list(row.items()) for row in rows] == [
            list(row.items()) for row in one_by_one(table, batch)]


@pytest.mark.parametrize(("field", "value"), BAD_VALUES)
def test_a_bad_value_anywhere_is_refused_with_new_rows_message(field, value):
    rng = random.Random(7)
    table = table_for("member")
    for position in (0, 13, 39):
        batch = member_batch(rng, 40)
        if value is ...:
            del batch[position][field]
        else:
            batch[position][field] = value
        batch[position + 1 if position < 39 else 0]["sex"] = "不男不女"  # a later/earlier one
        with pytest.raises(Exception) as reference:
            one_by_one(table, batch)
        with pytest.raises(type(reference.value)) as fast:
            new_rows(table, batch)
        assert str(fast.value) == str(reference.value)
