"""Villages by code or name, codes from 户编号, --village and moves on import, and the
village fixes (set-code, rename, merge) journaled and synced. Files from tests/rosterfiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rosterfiles as rf
from openpyxl import Workbook
from sqlalchemy import func, select

from fieldvisit import cli
from fieldvisit.roster import villages
from fieldvisit.roster.importer import apply_import, plan_import
from fieldvisit.roster.villages import UnknownVillageError, VillageError
from fieldvisit.store import Insert, Store
from fieldvisit.store.models import Household, JournalEntry, Village, VillageGroup
from tests.sync_parties import VILLAGE, make_county, make_laptop, round_trip
from tests.vaults import laptop

# Each village's 户编号 start with its own 12-digit code; 新华村's disagree.
PREFIXES = {"平里河村": "522727100201", "六硐村": "522727100202"}
MIXED = ("522727100203", "522727100204")
HOUSEHOLDS = 12


def named_rows() -> list[list[str]]:
    """The clean county export (three villages named, no codes), its 户编号 rewritten so
    two villages share a prefix each and 新华村's households disagree."""
    rows = rf.county_export_rows(HOUSEHOLDS)
    codes: dict[str, str] = {}
    for row in rows:
        village, old = row[9], row[0]
        if old not in codes:
            mixed = MIXED[len(codes) % 2]
            codes[old] = PREFIXES.get(village, mixed) + old[12:]
        row[0] = codes[old]
    return rows


def write(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    for row in [rf.EXPORT_HEADER, *rows]:
        book.active.append(row)
    book.save(path)
    return path


def data_store(folder: Path) -> Store:
    return laptop(folder)


def run(folder: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(folder), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def codes_by_name(store: Store) -> dict[str, str | None]:
    with store.reading() as conn:
        return {v.name: v.code for v in villages.listing(conn)}


def village_of(store: Store, household: str) -> str:
    with store.reading() as conn:
        return conn.execute(select(Village.name).join(
            Household, Household.village_id == Village.id).where(Household.code == household)
        ).scalar_one()


@pytest.fixture
def named_file(tmp_path: Path) -> Path:
    return write(tmp_path / "三村花名册.xlsx", named_rows())


# ---- codes from 户编号, and villages with no code yet ----------------------------------

def test_villages_named_without_codes_get_them_from_their_household_codes(
        tmp_path, named_file, capsys):
    code, out, _ = run(tmp_path, capsys, "roster", "import", str(named_file))
    assert code == 0
    assert "行政村 平里河村：文件未给村代码，按户编号前 12 位定为 522727100201" in out
    assert "行政村 新华村：暂无村代码（户编号前 12 位不一致）" in out

    store = data_store(tmp_path)
    assert codes_by_name(store) == {**PREFIXES, "新华村": None}
    code, out, _ = run(tmp_path, capsys, "villages")
    lines = out.splitlines()
    assert lines[1].split("\t")[:2] == ["522727100201", "平里河村"]
    assert lines[-1].split("\t")[:2] == [villages.NO_CODE, "新华村"]  # no code: listed last
    counts = [tuple(map(int, line.split("\t")[3:])) for line in lines[1:]]
    with store.reading() as conn:
        assert sum(h for h, _ in counts) == conn.execute(
            select(func.count()).select_from(Household)).scalar_one() == HOUSEHOLDS


def test_a_village_without_a_code_prints_by_name_and_gets_its_code_by_hand(
        tmp_path, named_file, capsys):
    run(tmp_path, capsys, "roster", "import", str(named_file))
    for command in ("cards", "report"):
        code, out, err = run(tmp_path, capsys, command, "--village", "新华村",
                             "-o", str(tmp_path / f"{command}.pdf"))
        assert (code, err) == (0, ""), err
        assert "已生成" in out
    code, _, err = run(tmp_path, capsys, "villages", "set-code", "新华村", "5227")
    assert code == 2 and "12 位数字" in err
    code, _, err = run(tmp_path, capsys, "villages", "set-code", "新华村", PREFIXES["六硐村"])
    assert code == 2 and "已属于“六硐村”" in err
    assert run(tmp_path, capsys, "villages", "set-code", "新华村", MIXED[0])[0] == 0
    code, _, err = run(tmp_path, capsys, "cards", "--village", MIXED[0],
                       "-o", str(tmp_path / "by-code.pdf"))
    assert (code, err) == (0, "")


def test_a_file_giving_the_code_later_codes_the_village_instead_of_a_twin(store, tmp_path,
                                                                           named_file):
    apply_import(store, plan_import(named_file, store, today=rf.TODAY))
    rows = [[*row, MIXED[0] if row[9] == "新华村" else ""] for row in named_rows()]
    book = Workbook()
    for row in [[*rf.EXPORT_HEADER, "行政村代码"], *rows]:
        book.active.append(row)
    book.save(tmp_path / "with-codes.xlsx")
    plan = plan_import(tmp_path / "with-codes.xlsx", store, today=rf.TODAY)
    assert plan.moves == []
    assert f"行政村 新华村：村代码定为 {MIXED[0]}（文件给出的村代码）" in plan.report_lines()[0]
    apply_import(store, plan)
    assert codes_by_name(store) == {**PREFIXES, "新华村": MIXED[0]}


def test_an_ambiguous_village_name_lists_the_candidates(tmp_path, capsys):
    store = data_store(tmp_path)
    east = Insert("township", {"name": "东镇"})
    west = Insert("township", {"name": "西乡"})
    store.write([east, west,
                 Insert("village", {"name": "新寨村", "code": "522727100201",
                                    "township_id": east.id}),
                 Insert("village", {"name": "新寨村", "township_id": west.id})])
    with store.reading() as conn, pytest.raises(VillageError) as raised:
        villages.find(conn, "新寨村")
    assert raised.value.reason == "ambiguous-village"
    assert "新寨村（522727100201） · 东镇" in raised.value.zh
    assert "新寨村（无代码） · 西乡" in raised.value.zh
    code, _, err = run(tmp_path, capsys, "report", "--village", "新寨村",
                       "-o", str(tmp_path / "r.pdf"))
    assert code == 2 and "有 2 个行政村叫“新寨村”" in err and "请改用村代码" in err
    code, _, err = run(tmp_path, capsys, "cards", "--village", "前白庄村",
                       "-o", str(tmp_path / "c.pdf"))
    assert code == 2 and "没有名为“前白庄村”的行政村" in err
    assert not (tmp_path / "r.pdf").exists() and not (tmp_path / "c.pdf").exists()


# ---- --village ----------------------------------------------------------------------------

def test_village_option_is_refused_on_a_file_of_other_villages(store, named_file):
    with pytest.raises(VillageError) as raised:
        plan_import(named_file, store, village="522727100299")
    assert raised.value.reason == "village-mismatch"
    assert "六硐村、平里河村、新华村" in raised.value.zh
    with store.reading() as conn:
        assert conn.execute(select(func.count()).select_from(JournalEntry)).scalar_one() == 0


def test_village_option_fills_in_only_rows_naming_no_village(store, tmp_path, named_file):
    apply_import(store, plan_import(named_file, store, today=rf.TODAY))
    rows = [row for row in named_rows() if row[9] == "平里河村"]
    blank = rows[0][0]
    for row in rows:
        if row[0] == blank:
            row[9] = ""
    path = write(tmp_path / "平里河村.xlsx", rows)
    with pytest.raises(VillageError, match="平里河村"):
        plan_import(path, store, village="六硐村")
    plan = plan_import(path, store, village="平里河村", today=rf.TODAY)
    assert plan.moves == [] and plan.rejected == []
    with pytest.raises(UnknownVillageError):
        plan_import(path, store, village="前白庄村")


# ---- moves --------------------------------------------------------------------------------

def test_a_reimport_lists_a_move_and_applies_it_only_when_confirmed(
        tmp_path, named_file, capsys):
    run(tmp_path, capsys, "roster", "import", str(named_file))
    rows = named_rows()
    moved = next(row for row in rows if row[9] == "平里河村")
    head = moved[1]
    for row in rows:
        if row[0] == moved[0]:
            row[9] = "六硐村"
    changed = write(tmp_path / "再导入.xlsx", rows)

    code, out, _ = run(tmp_path, capsys, "roster", "import", str(changed), "--json")
    report = json.loads(out)
    assert report["moves"] == [{"code": moved[0], "head": head, "from": "平里河村",
                                "to": "六硐村"}]
    assert report["applied"] and not report["moves_applied"]
    store = data_store(tmp_path)
    assert village_of(store, moved[0]) == "平里河村"  # not moved without confirmation

    code, out, _ = run(tmp_path, capsys, "roster", "import", str(changed), "--dry-run")
    assert f"户 {moved[0]}（{head}）换村：平里河村 → 六硐村" in out
    assert "--confirm-moves" in out
    code, out, _ = run(tmp_path, capsys, "roster", "import", str(changed), "--confirm-moves")
    assert code == 0
    assert village_of(store, moved[0]) == "六硐村"


# ---- set-code, rename, merge: journaled, synced ------------------------------------------

def test_rename_and_merge_are_journaled_edits(store, named_file):
    apply_import(store, plan_import(named_file, store, today=rf.TODAY))
    with store.reading() as conn:
        before = {v.name: v for v in villages.listing(conn)}
    with pytest.raises(VillageError, match="合并到它自己"):
        villages.merge(store, "六硐村", PREFIXES["六硐村"])
    with pytest.raises(VillageError, match="已有名为“六硐村”"):
        villages.rename(store, "新华村", "六硐村")
    villages.rename(store, "新华村", "新华")
    villages.merge(store, "新华", "六硐村")

    with store.reading() as conn:
        after = {v.name: v for v in villages.listing(conn)}
        journal = conn.execute(select(JournalEntry.entity, JournalEntry.field)
                               .where(JournalEntry.entity_id == before["新华村"].id)).all()
        left = [conn.execute(select(func.count()).select_from(model).where(
                    model.village_id == before["新华村"].id, model.deleted.is_(False))
                ).scalar_one() for model in (Household, VillageGroup)]
    assert set(after) == {"平里河村", "六硐村"}  # the merged village ended
    assert after["六硐村"].households == (before["六硐村"].households
                                          + before["新华村"].households)
    assert left == [0, 0]  # households and 村民小组 moved (or joined their twins)
    assert {("village", "name"), ("village", "deleted")} <= set(journal)


def test_a_county_merge_reaches_the_laptop_and_a_laptop_rename_the_county(tmp_path):
    county = make_county(tmp_path / "county")
    party = make_laptop(county, tmp_path / "laptop")
    with county.store.reading() as conn:
        township = conn.execute(select(Village.township_id)).scalar_one()
    stray = Insert("village", {"name": "前白庄", "township_id": township})
    home = Insert("household", {"village_id": stray.id, "code": VILLAGE + "000099",
                                "hh_type": "一般农户"})
    county.store.write([stray, home, Insert("member", {"household_id": home.id,
                                                       "name": "王五", "relation": "户主"})])
    villages.merge(county.store, "前白庄", VILLAGE)
    villages.rename(party.store, VILLAGE, "平里河新村")

    assert round_trip(county, party, tmp_path / "stick").accepted
    assert codes_by_name(county.store) == {"平里河新村": VILLAGE}
    assert village_of(party.store, VILLAGE + "000099") == "平里河新村"
