"""防返贫监测 (issue 12): a case from first clue to 县级审批 on a laptop and the county
through real bundles, every refusal of the procedure, a visit's suggestion as a proposal,
and 风险消除 refused and then allowed exactly as the rules say."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from test_visit_record import answers_for, save_answers

from fieldvisit.checklist.settings import DEFAULT_SETTINGS, load_settings
from fieldvisit.county.ingest import ingest
from fieldvisit.county.returns import return_bundle
from fieldvisit.monitoring import cases, elimination
from fieldvisit.monitoring.cases import CaseError, StepInput
from fieldvisit.roster import queries
from fieldvisit.store import Insert, Update
from fieldvisit.store.models import Household, MonitorCase, Problem, table_of
from fieldvisit.visits import visit
from tests.sync_parties import make_county, make_laptop

DAY = date(2026, 11, 2)
VILLAGE_STEPS = ("入户核实", "信息比对", "民主评议", "村级公示")


def cli(folder, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("FIELDVISIT_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir", str(folder),
                           "monitor", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def ordinary(store) -> queries.HouseholdRow:
    with store.reading() as conn:
        return next(r for r in queries.household_rows(conn) if not r.monitored)


def village_step(name: str, day: date = DAY, **details) -> StepInput:
    defaults = {"入户核实": {"authorised": True}, "民主评议": {"attendance": 32},
                "村级公示": {"publicity_from": day - timedelta(days=6),
                         "publicity_to": day - timedelta(days=1)}}
    return StepInput(name, day, "王干部", **{**defaults.get(name, {}), **details})


def through_village(store, case_id: str, day: date = DAY) -> None:
    for name in VILLAGE_STEPS:
        cases.record_step(store, case_id, village_step(name, day), at_county=False)


def household(store, household_id: str):
    table = table_of(Household)
    with store.reading() as conn:
        return conn.execute(select(table).where(table.c.id == household_id)).one()


def test_a_case_reaches_monitoring_through_the_county_and_back(tmp_path):
    county = make_county(tmp_path / "county", households=6)
    party = make_laptop(county, tmp_path / "a")
    home = ordinary(party.store)
    opened = cli(party.folder, "open", home.code, "--via", "农户申报", "--risk", "因病,因学",
                 "--note", "12317 来电：户主住院", "--json")
    assert opened.returncode == 0, opened.stderr
    case_id = json.loads(opened.stdout)["id"]
    today = date.today()  # the CLI opens a case today; its steps are dated from then on
    early = cli(party.folder, "step", case_id, "入户核实", "--authorised", "--date",
                (today - timedelta(days=1)).isoformat())
    assert early.returncode == 2 and "早于立案" in early.stderr
    step = cli(party.folder, "step", case_id, "入户核实", "--authorised")
    assert step.returncode == 0, step.stderr
    assert "下一步：信息比对" in step.stdout
    publicity = (today.isoformat(), (today + timedelta(days=5)).isoformat())
    later = (today + timedelta(days=6)).isoformat()
    for name, extra in (("信息比对", ()), ("民主评议", ("--attendance", "30")),
                        ("公示", ("--from", publicity[0], "--to", publicity[1], "--date",
                                later))):
        done = cli(party.folder, "step", case_id, name, *extra)
        assert done.returncode == 0, done.stderr
    refused = cli(party.folder, "step", case_id, "乡镇审核")
    assert refused.returncode == 2 and "县服务器" in refused.stderr and "county" in refused.stderr

    assert ingest(county, party.export(tmp_path / "usb")).accepted
    decided = (today + timedelta(days=8)).isoformat()
    for name, extra in (("乡镇审核", ()), ("县级审批", ("--category", "边缘易致贫户"))):
        done = cli(county.folder, "step", case_id, name, "--date", decided, *extra)
        assert done.returncode == 0, done.stderr
    village_at_county = cli(county.folder, "step", case_id, "入户核实")
    assert village_at_county.returncode == 2  # closed now; and never a county step anyway
    at_county = household(county.store, home.id)
    assert (at_county.monitored, at_county.monitor_category) == (True, "边缘易致贫户")

    party.receive(return_bundle(county, party.device, tmp_path / "back"))
    here = household(party.store, home.id)
    assert (here.monitored, here.monitor_category, here.identified_on, here.risk_types) == (
        True, "边缘易致贫户", today + timedelta(days=8), "因病、因学")
    [listed] = json.loads(cli(party.folder, "list", "--json").stdout)
    assert (listed["id"], listed["household"], listed["kind"], listed["status"],
            listed["next_step"]) == (case_id, home.code, "纳入", "已纳入监测", None)
    assert [s["step"] for s in listed["steps"]] == [*VILLAGE_STEPS, "乡镇审核", "县级审批"]


def test_a_laptop_cannot_smuggle_a_county_step_to_the_county(tmp_path):
    county = make_county(tmp_path / "county", households=4)
    party = make_laptop(county, tmp_path / "a")
    case_id = cases.open_case(party.store, ordinary(party.store).id, source="干部排查",
                              risks=["因病"], today=DAY)
    party.store.write([Insert("case_step", {  # past the API, as a tampered store would
        "case_id": case_id, "step": "县级审批", "result": "通过", "done_on": DAY,
        "actor": "冒充"})])
    verdict = ingest(county, party.export(tmp_path / "usb"))
    assert not verdict.accepted and verdict.reason == "not-allowed"
    with county.store.reading() as conn:
        assert conn.execute(select(MonitorCase.id)).all() == []


@pytest.mark.parametrize(("step", "message"), [
    (StepInput("信息比对", DAY, "王"), "下一步应是“入户核实”"),
    (StepInput("入户核实", DAY, "王"), "授权书"),
    (StepInput("入户核实", DAY, "王", result="不通过"), "写明原因"),
    (StepInput("乡镇审核", DAY, "王"), "县服务器"),
    (StepInput("复核", DAY, "王"), "没有“复核”这一步"),
])
def test_each_step_out_of_turn_or_incomplete_is_refused(demo_store, step, message):
    case_id = cases.open_case(demo_store, ordinary(demo_store).id, source="农户申报",
                              risks=["因病"], today=DAY)
    with pytest.raises(CaseError) as refused:
        cases.record_step(demo_store, case_id, step, at_county=False)
    assert message in refused.value.zh and refused.value.en
    with demo_store.reading() as conn:
        assert cases.case(conn, case_id).steps == ()


def test_publicity_is_long_enough_and_over_before_it_is_recorded(demo_store):
    case_id = cases.open_case(demo_store, ordinary(demo_store).id, source="农户申报",
                              risks=["因病"], today=DAY)
    for name in VILLAGE_STEPS[:3]:
        cases.record_step(demo_store, case_id, village_step(name), at_county=False)
    short = village_step("村级公示", publicity_from=DAY - timedelta(days=3),
                         publicity_to=DAY - timedelta(days=1))
    with pytest.raises(CaseError, match="不少于 5 天"):
        cases.record_step(demo_store, case_id, short, at_county=False)
    running = village_step("村级公示", publicity_from=DAY - timedelta(days=2),
                           publicity_to=DAY + timedelta(days=3))
    with pytest.raises(CaseError, match="才结束"):
        cases.record_step(demo_store, case_id, running, at_county=False)
    longer = load_settings(None)
    settings = {**longer, "publicity_days": 7}
    with pytest.raises(CaseError, match="不少于 7 天"):
        cases.record_step(demo_store, case_id, village_step("村级公示"), at_county=False,
                          settings=settings)
    cases.record_step(demo_store, case_id, village_step("村级公示"), at_county=False)


def test_a_failed_step_closes_the_case_as_not_entered(demo_store):
    home = ordinary(demo_store)
    case_id = cases.open_case(demo_store, home.id, source="农户申报", risks=["因病"], today=DAY)
    cases.record_step(demo_store, case_id, village_step("入户核实"), at_county=False)
    cases.record_step(demo_store, case_id, StepInput("信息比对", DAY, "王", result="不通过",
                                                     note="比对发现家有两套商品房"),
                      at_county=False)
    with demo_store.reading() as conn:
        view = cases.case(conn, case_id)
    assert (view.status, view.closed_on, view.next_step) == ("不纳入", DAY, None)
    assert household(demo_store, home.id).monitored is False
    with pytest.raises(CaseError, match="已结束"):
        cases.record_step(demo_store, case_id, village_step("民主评议"), at_county=False)
    # the household may be proposed again later
    cases.open_case(demo_store, home.id, source="干部排查", risks=["因学"], today=DAY)


def test_opening_is_refused_for_bad_risks_a_monitored_household_or_a_second_case(demo_store):
    home = ordinary(demo_store)
    for risks, other, message in ((["因懒"], None, "不在规定"), (["其他"], None, "写明"),
                                  (["因病", "因学", "因残", "缺劳动力", "因安全住房"], None,
                                   "最多 4")):
        with pytest.raises(CaseError, match=message):
            cases.open_case(demo_store, home.id, source="农户申报", risks=risks,
                            risk_other=other, today=DAY)
    cases.open_case(demo_store, home.id, source="农户申报", risks=["其他"],
                    risk_other="房屋漏雨", today=DAY)
    with pytest.raises(CaseError, match="已有正在办理"):
        cases.open_case(demo_store, home.id, source="干部排查", risks=["因病"], today=DAY)
    with demo_store.reading() as conn:
        watched = next(r for r in queries.household_rows(conn) if r.monitored)
    with pytest.raises(CaseError, match="已是监测对象"):
        cases.open_case(demo_store, watched.id, source="农户申报", risks=["因病"], today=DAY)


def low_income_visit(store, formset, household_id: str, day: date, wage: int) -> str:
    visit_id = visit.start(store, household_id, formset, "李四", day)
    answers = answers_for(store, household_id, day)
    answers["income"] = {"wage": wage, "business": 0, "property": 0, "transfer": 0,
                         "business_cost": 0}
    answers["monitoring"] = {"rigid_expense": 0, "income_drop": False, "risks": ["因病"]}
    save_answers(store, visit_id, answers)
    visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, "李四", "户主签字", "户主本人",
                   day)
    return visit_id


def test_a_visits_suggestion_is_a_proposal_never_a_problem(demo_store, formset):
    home = ordinary(demo_store)
    visit_id = low_income_visit(demo_store, formset, home.id, DAY, wage=3000)
    with demo_store.reading() as conn:
        [proposal] = cases.cases(conn, household_id=home.id)
        monitoring_problems = conn.execute(select(Problem.id).where(
            Problem.household_id == home.id, Problem.category == "防返贫监测")).all()
    assert (proposal.status, proposal.source, proposal.next_step) == ("待确认", "干部排查",
                                                                      "确认立案")
    assert proposal.risk_types == "因病" and proposal.category in ("边缘易致贫户", "脱贫不稳定户")
    assert monitoring_problems == []
    low_income_visit(demo_store, formset, home.id, DAY + timedelta(days=1), wage=3000)
    with demo_store.reading() as conn:  # found again: still the one proposal
        assert len(cases.cases(conn, household_id=home.id)) == 1
    with pytest.raises(CaseError, match="请先确认立案"):
        cases.record_step(demo_store, proposal.id, village_step("入户核实"), at_county=False)
    with pytest.raises(CaseError, match="原因"):
        cases.decide_proposal(demo_store, proposal.id, False, DAY)
    cases.decide_proposal(demo_store, proposal.id, True, DAY)
    cases.record_step(demo_store, proposal.id, village_step("入户核实"), at_county=False)
    assert visit_id


def entered(store, household_id: str, on: date) -> str:
    case_id = cases.open_case(store, household_id, source="农户申报", risks=["因病"], today=on)
    through_village(store, case_id, on)
    cases.record_step(store, case_id, StepInput("乡镇审核", on, "乡镇"), at_county=True)
    cases.record_step(store, case_id, StepInput("县级审批", on, "县", category="边缘易致贫户"),
                      at_county=True)
    return case_id


def test_risk_elimination_is_refused_with_every_reason_then_allowed(demo_store, formset):
    home = ordinary(demo_store)
    entered_on = date(2026, 6, 1)
    entered(demo_store, home.id, entered_on)
    settings = DEFAULT_SETTINGS
    with pytest.raises(CaseError) as refused:  # no income recorded yet
        elimination.open_elimination(demo_store, home.id, date(2026, 9, 1), settings)
    assert "人均纯收入" in refused.value.zh and "不满 6 个月" in refused.value.zh

    low_income_visit(demo_store, formset, home.id, date(2026, 8, 1), wage=3000)
    demo_store.write([Insert("problem", {
        "household_id": home.id, "form_id": "housing", "rule_id": "c_grade",
        "category": "住房安全", "severity": "high", "text": "住房为 C 级危房",
        "opened_on": date(2026, 8, 1)})])
    with pytest.raises(CaseError) as refused:
        elimination.open_elimination(demo_store, home.id, date(2026, 12, 10), settings)
    reasons = refused.value.zh
    assert "低于 2026 年监测线 7300" in reasons and "住房安全问题尚未销号" in reasons
    assert "不满 6 个月" not in reasons  # six months passed since 纳入

    low_income_visit(demo_store, formset, home.id, date(2026, 12, 1), wage=60000)
    with demo_store.reading() as conn:
        problem = conn.execute(select(Problem.id).where(
            Problem.household_id == home.id, Problem.category == "住房安全")).scalar()
    demo_store.write([Update("problem", problem, {"status": "已销号"})])
    with pytest.raises(CaseError, match="收入不稳定"):  # August was still below the line
        elimination.open_elimination(demo_store, home.id, date(2026, 12, 10), settings)
    case_id = elimination.open_elimination(demo_store, home.id, date(2027, 3, 1), settings)
    with pytest.raises(CaseError, match="风险消除程序没有“信息比对”"):
        cases.record_step(demo_store, case_id, village_step("信息比对"), at_county=False)
    for name in ("入户核实", "民主评议", "村级公示"):
        cases.record_step(demo_store, case_id, village_step(name, date(2027, 3, 10)),
                          at_county=False)
    for name in ("乡镇审核", "县级审批"):
        cases.record_step(demo_store, case_id, StepInput(name, date(2027, 3, 12), "县"),
                          at_county=True)
    done = household(demo_store, home.id)
    assert (done.monitored, done.risk_eliminated, done.risk_eliminated_on) == (
        True, True, date(2027, 3, 12))


def test_a_household_without_labour_capacity_stays_monitored(demo_store):
    home = ordinary(demo_store)
    entered(demo_store, home.id, date(2025, 1, 1))
    with demo_store.reading() as conn:
        people = queries.members(conn, home.id, DAY)
    demo_store.write([Update("member", m.id, {"labour_skill": "丧失劳动力"}) for m in people])
    with demo_store.reading() as conn:
        found = elimination.refusals(conn, home.id, DAY, DEFAULT_SETTINGS)
    assert any("没有劳动能力" in r.zh for r in found)


def test_the_monitoring_line_is_a_setting_per_year(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("income_line: 7600\nincome_line_2023: 7300\n", encoding="utf-8")
    from fieldvisit.checklist.settings import income_line

    settings = load_settings(path)
    assert (income_line(settings, 2023), income_line(settings, 2026)) == (7300, 7600)


def test_done_when_a_visits_finding_reaches_monitoring_and_later_elimination(tmp_path, formset):
    """Issue 12's measure: a case opened from a visit's finding reaches 纳入监测 through the
    county, 风险消除 is refused while the rules say no, then allowed and approved."""
    county = make_county(tmp_path / "county", households=6)
    party = make_laptop(county, tmp_path / "a")
    home = ordinary(party.store)
    entered_on = date(2026, 3, 2)
    low_income_visit(party.store, formset, home.id, entered_on, wage=3000)
    with party.store.reading() as conn:
        [proposal] = cases.cases(conn, household_id=home.id)
    cases.decide_proposal(party.store, proposal.id, True, entered_on)
    through_village(party.store, proposal.id, entered_on)
    assert ingest(county, party.export(tmp_path / "usb1")).accepted
    for name, extra in (("乡镇审核", ()), ("县级审批", ("--category", "边缘易致贫户"))):
        assert cli(county.folder, "step", proposal.id, name, "--date", entered_on.isoformat(),
                   *extra).returncode == 0
    party.receive(return_bundle(county, party.device, tmp_path / "back1"))
    assert household(party.store, home.id).monitored is True

    refused = cli(party.folder, "eliminate", proposal.id)  # today: income still low
    assert refused.returncode == 2 and "低于" in refused.stderr
    low_income_visit(party.store, formset, home.id, date(2026, 10, 1), wage=60000)
    still = cli(party.folder, "eliminate", proposal.id)  # income fine now; the water is not
    assert still.returncode == 2 and "饮水安全问题尚未销号" in still.stderr
    with party.store.reading() as conn:
        open_ones = conn.execute(select(Problem.id).where(Problem.household_id == home.id,
                                                          Problem.status != "已销号")).all()
    party.store.write([Update("problem", pid, {"status": "已销号"}) for pid, in open_ones])
    allowed = cli(party.folder, "eliminate", proposal.id, "--json")
    assert allowed.returncode == 0, allowed.stderr
    elimination_id = json.loads(allowed.stdout)["id"]
    publicity_over = date.today() + timedelta(days=6)
    for name in ("入户核实", "民主评议", "村级公示"):
        cases.record_step(party.store, elimination_id, village_step(name, publicity_over),
                          at_county=False)
    assert ingest(county, party.export(tmp_path / "usb2")).accepted
    for name in ("乡镇审核", "县级审批"):
        assert cli(county.folder, "step", elimination_id, name, "--date",
                   publicity_over.isoformat()).returncode == 0
    party.receive(return_bundle(county, party.device, tmp_path / "back2"))
    done = household(party.store, home.id)
    assert (done.risk_eliminated, done.risk_eliminated_on) == (True, publicity_over)
