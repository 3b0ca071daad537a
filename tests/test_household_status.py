"""Household status as the national system keeps it (issue 11, part 2): 户类型 apart from
是否监测对象 and 监测对象类别, 风险类型 apart from 致贫原因, and the county's words for them
read through a vocabulary that is data: no household is dropped for a word."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_DAY
from sqlalchemy import select
from test_roster_import_edges import HEADER, imported, person_id, xlsx

from fieldvisit.checklist import installed
from fieldvisit.county.ingest import ingest
from fieldvisit.county.returns import return_bundle
from fieldvisit.roster import aliases
from fieldvisit.roster.exporter import export_xlsx
from fieldvisit.roster.importer import apply_import, plan_import
from fieldvisit.store import Update
from fieldvisit.store.models import Household
from tests.sync_parties import make_county, make_laptop

# Words real exports carry in the 户类型 column -> (户类型, 是否监测对象, 监测对象类别)
REAL_WORDS = {
    "脱贫享受政策户": ("脱贫户", False, None),
    "脱贫不享受政策户": ("脱贫户", False, None),
    "监测户": ("一般农户", True, None),  # category unknown: imported, and asked for
    "即时帮扶户": ("一般农户", True, "突发严重困难户"),
    "脱贫监测户": ("脱贫户", True, "脱贫不稳定户"),
    "未脱贫户": ("脱贫户", False, None),  # older files: imported as 脱贫户, with a warning
    "农户": ("一般农户", False, None),
    "非贫困户": ("一般农户", False, None),
    "脱贫户（突发严重困难户）": ("脱贫户", True, "突发严重困难户"),
    "监测户/边缘易致贫户": ("一般农户", True, "边缘易致贫户"),
}


def statuses(store) -> dict[str, tuple]:
    with store.reading() as conn:
        return {r.code: (r.hh_type, r.monitored, r.monitor_category) for r in conn.execute(
            select(Household.code, Household.hh_type, Household.monitored,
                   Household.monitor_category))}


def household(store, code: str):
    with store.reading() as conn:
        return conn.execute(select(Household).where(Household.code == code)).mappings().one()


def one_each(words, extra_header=(), extra=lambda _w: ()) -> list[list[object]]:
    rows = [[*HEADER, "户类型", *extra_header]]
    for n, word in enumerate(words, 1):
        rows.append([f"{n:03d}", f"王{n}", person_id(1960 + n, 10 + n), "户主", "新寨村", word,
                     *extra(word)])
    return rows


def test_every_word_real_exports_carry_is_read_and_no_household_dropped(store, tmp_path):
    plan = imported(store, xlsx(tmp_path / "words.xlsx", one_each(REAL_WORDS)))
    assert plan.errors == [] and plan.rejected == []
    assert statuses(store) == {f"{n:03d}": status
                               for n, status in enumerate(REAL_WORDS.values(), 1)}
    warned = {(p.household_code, p.column) for p in plan.warnings}
    assert warned == {("003", "户类型"), ("006", "户类型")}  # 监测户 (no category), 未脱贫户
    [no_category] = [p for p in plan.warnings if p.household_code == "003"]
    assert "监测对象类别" in no_category.message and no_category.row == 4


def test_an_unknown_word_is_imported_as_written_and_reported_with_row_and_column(store,
                                                                                tmp_path):
    plan = imported(store, xlsx(tmp_path / "odd.xlsx", one_each(["脱贫户", "三类户"])))
    assert plan.rejected == [] and plan.errors == []
    assert statuses(store)["002"] == ("三类户", False, None)
    [warning] = plan.warnings
    assert (warning.row, warning.column, warning.name, warning.value) == (3, "户类型", "王2",
                                                                          "三类户")
    assert "三类户" in warning.message and "vocabulary.yaml" in warning.message_en


def test_a_tuopin_household_that_is_also_a_sudden_hardship_keeps_both(store, tmp_path):
    imported(store, xlsx(tmp_path / "a.xlsx", [
        [*HEADER, "户类型", "是否监测对象", "监测对象类别"],
        ["001", "王一", person_id(1970, 11), "户主", "新寨村", "脱贫户", "是", "突发严重困难户"],
        ["002", "王二", person_id(1971, 13), "户主", "新寨村", "脱贫户", "否", ""],
    ]))
    assert statuses(store) == {"001": ("脱贫户", True, "突发严重困难户"),
                               "002": ("脱贫户", False, None)}
    # a later file with only 户类型 says nothing of monitoring: the decision stays
    imported(store, xlsx(tmp_path / "b.xlsx", one_each(["脱贫户", "脱贫户"])))
    assert statuses(store)["001"] == ("脱贫户", True, "突发严重困难户")
    # an explicit 否 ends it
    plan = imported(store, xlsx(tmp_path / "c.xlsx", [
        [*HEADER, "是否监测对象"], ["001", "王一", person_id(1970, 11), "户主", "新寨村", "否"]]))
    assert statuses(store)["001"][:2] == ("脱贫户", False)
    assert plan.errors == []


def test_contradicting_columns_are_imported_and_reported(store, tmp_path):
    plan = imported(store, xlsx(tmp_path / "a.xlsx", [
        [*HEADER, "户类型", "监测对象类别"],
        ["001", "王一", person_id(1970, 11), "户主", "新寨村", "一般农户", "脱贫不稳定户"],
        ["002", "王二", person_id(1971, 13), "户主", "新寨村", "边缘易致贫户", "突发严重困难户"],
    ]))
    assert statuses(store) == {"001": ("一般农户", True, "脱贫不稳定户"),
                               "002": ("一般农户", True, "突发严重困难户")}
    assert {(p.household_code, p.field) for p in plan.warnings} == {
        ("001", "hh_type"), ("002", "monitor_category")}


def test_risks_and_poverty_causes_are_kept_apart(store, tmp_path):
    imported(store, xlsx(tmp_path / "a.xlsx", [
        [*HEADER, "户类型", "监测对象类别", "风险类型", "致贫原因"],
        ["001", "王一", person_id(1970, 11), "户主", "新寨村", "脱贫户", "突发严重困难户", "因病",
         "缺技术"],
    ]))
    row = household(store, "001")
    assert (row["risk_types"], row["poverty_cause"]) == ("因病", "缺技术")


def test_one_column_for_both_is_risks_when_monitored_and_the_cause_otherwise(store,
                                                                              tmp_path):
    plan = imported(store, xlsx(tmp_path / "a.xlsx", [
        [*HEADER, "户类型/监测对象类别", "风险类型/致贫原因"],
        ["001", "王一", person_id(1970, 11), "户主", "新寨村", "脱贫不稳定户", "因病、因学"],
        ["002", "王二", person_id(1971, 13), "户主", "新寨村", "脱贫户", "缺技术、缺资金"],
    ]))
    assert plan.warnings == []
    first, second = household(store, "001"), household(store, "002")
    assert (first["risk_types"], first["poverty_cause"]) == ("因病、因学", None)
    assert (second["risk_types"], second["poverty_cause"]) == (None, "缺技术、缺资金")


def test_a_risk_outside_the_list_is_kept_as_other_with_its_words(store, tmp_path):
    plan = imported(store, xlsx(tmp_path / "a.xlsx", [
        [*HEADER, "户类型", "风险类型"],
        ["001", "王一", person_id(1970, 11), "户主", "新寨村", "边缘易致贫户", "因病、房屋漏雨"],
    ]))
    row = household(store, "001")
    assert (row["risk_types"], row["risk_other"]) == ("因病、其他", "房屋漏雨")
    [warning] = plan.warnings
    assert warning.column == "风险类型" and "其他" in warning.message


def test_an_export_imports_back_to_the_same_status(store, tmp_path):
    imported(store, xlsx(tmp_path / "a.xlsx", [
        [*HEADER, "户类型", "监测对象类别", "风险类型", "其他风险说明", "致贫原因"],
        ["001", "王一", person_id(1970, 11), "户主", "新寨村", "脱贫户", "突发严重困难户",
         "因病、其他", "房屋漏雨", "缺技术"],
        ["002", "王二", person_id(1971, 13), "户主", "新寨村", "一般农户", "", "", "", ""],
    ]))
    fields = ("hh_type", "monitored", "monitor_category", "risk_types", "risk_other",
              "poverty_cause")
    before = {code: {f: household(store, code)[f] for f in fields} for code in ("001", "002")}
    export_xlsx(store, tmp_path / "out.xlsx")
    store.write([Update("household", household(store, code)["id"], {
        "hh_type": "一般农户", "monitored": False, "risk_types": None, "risk_other": None,
        "poverty_cause": None}) for code in ("001", "002")])
    plan = plan_import(tmp_path / "out.xlsx", store, today=DEMO_DAY)
    assert [p for p in plan.warnings if p.field in fields] == [] and plan.errors == []
    apply_import(store, plan)
    assert {code: {f: household(store, code)[f] for f in fields}
            for code in ("001", "002")} == before


# ---- the vocabulary is data --------------------------------------------------------

COUNTY_WORDS = """version: 1
words:
  三类户: {monitored: true, category: 突发严重困难户}
  脱贫户: {type: 脱贫户}
"""


def test_a_countys_vocabulary_in_the_data_folder_is_the_one_read(store, tmp_path):
    (store.folder / aliases.FILENAME).write_text(COUNTY_WORDS, encoding="utf-8")
    plan = imported(store, xlsx(tmp_path / "a.xlsx", one_each(["三类户", "农户"])))
    assert statuses(store) == {"001": ("一般农户", True, "突发严重困难户"),
                               "002": ("农户", False, None)}  # not in the county's table
    assert [p.household_code for p in plan.warnings] == ["002"]


@pytest.mark.parametrize(("text", "said"), [
    ("version: 1\nwords:\n  三类户: {category: 第四类}\n", "category"),
    ("version: 1\nwords:\n  三类户: {type: 贫困户}\n", "type"),
    ("version: 1\nwords:\n  三类户: {monitored: 也许}\n", "monitored"),
    ("version: 1\nwords:\n  三类户: {colour: red}\n", "colour"),
    ("version: 2\nwords:\n  三类户: {monitored: true}\n", "version"),
    ("version: 1\nwords: [a, b]\n", "words"),
    ("version: 1\nwords:\n  a: [\n", "YAML"),
])
def test_a_bad_vocabulary_names_its_line_and_what_is_wrong(tmp_path, text, said):
    path = tmp_path / aliases.FILENAME
    path.write_text(text, encoding="utf-8")
    with pytest.raises(aliases.VocabularyError) as refused:
        aliases.load(path)
    assert said in refused.value.en and str(path) in refused.value.zh


def test_the_shipped_vocabulary_knows_every_word_of_the_domain():
    words = aliases.load(aliases.bundled_path())
    for word, (hh_type, monitored, category) in REAL_WORDS.items():
        status = words.read(word).status
        if word != "监测户":
            assert (status.hh_type or "一般农户", bool(status.monitored), status.category) == (
                hh_type, monitored, category), word
    assert words.read("脱贫户、一般农户") is None  # words that contradict: not read


def test_the_countys_vocabulary_reaches_the_laptops_and_a_bad_one_is_refused(tmp_path):
    county = make_county(tmp_path / "county", households=2)
    party = make_laptop(county, tmp_path / "a")
    folder = tmp_path / "published"
    folder.mkdir()
    (folder / aliases.FILENAME).write_text("version: 1\nwords:\n  三类户: {type: 贫困户}\n",
                                           encoding="utf-8")
    cli = [sys.executable, "-m", "fieldvisit", "--data-dir", str(county.folder), "server",
           "forms", str(folder)]
    done = subprocess.run(cli, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "户类型词表有误" in done.stderr
    (folder / aliases.FILENAME).write_text(COUNTY_WORDS, encoding="utf-8")
    done = subprocess.run(cli, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert ingest(county, party.export(tmp_path / "usb")).accepted
    party.receive(return_bundle(county, party.device, tmp_path / "back"))
    installed_words = aliases.load(aliases.path_for(party.store.folder))
    assert installed_words.read("三类户").status.category == "突发严重困难户"
    assert Path(party.store.folder / installed.VOCABULARY).is_file()
