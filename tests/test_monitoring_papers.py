"""The papers of 防返贫监测 (issue 12 §3): the 公示 list, the 扶贫手册, the yearly
动态管理 report, and a 明白卡 that keeps health to itself. Cases go through the real
procedure (``cases.open_case`` / ``record_step``) on a demo store; every PDF is read
back with pypdf."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta

from test_visit_record import answers_for, save_answers, text_of

from fieldvisit.cards.data import card_data
from fieldvisit.cards.layout import CardLayout
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.monitoring import cases
from fieldvisit.monitoring.cases import StepInput
from fieldvisit.roster import queries, villages
from fieldvisit.store import Update
from fieldvisit.visits import visit

DAY = date(2026, 11, 2)
HEALTH_WORDS = ("长期慢性病", "患有大病", "残疾", "慢性病", "大病", "住院", "癌")


def visited(store, formset, household_id: str, day: date = DAY, *, chronic: bool = False,
            income: dict | None = None, cadre: str = "李四") -> str:
    """A completed visit of a demo household; ``chronic``: its head has a chronic
    illness and no 慢性病卡 (a 基本医疗 finding naming the illness)."""
    answers = answers_for(store, household_id, day)
    if chronic:
        head = next(iter(answers["medical"]))
        answers["medical"][head].update({"chronic": True, "chronic_card": False})
    if income is not None:
        answers["income"].update(income)
    visit_id = visit.start(store, household_id, formset, cadre, day)
    save_answers(store, visit_id, answers)
    visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, cadre, "户主签字", "户主本人",
                   day)
    return visit_id


def rows(store) -> list[queries.HouseholdRow]:
    with store.reading() as conn:
        return queries.household_rows(conn)


# ---- 明白卡 ------------------------------------------------------------------------------

def test_a_card_names_no_illness_unless_health_is_printed(demo_store, formset):
    home = rows(demo_store)[0]
    visited(demo_store, formset, home.id, chronic=True)
    hidden = card_data(demo_store, home.id, DAY, CardLayout())
    assert "[基本医疗] 待落实" in hidden.problems
    assert not any(word in line for line in hidden.problems for word in HEALTH_WORDS)
    shown = card_data(demo_store, home.id, DAY, CardLayout(print_health=True))
    assert any("患慢性病，尚未办理慢性病卡" in line for line in shown.problems)
    assert len(shown.problems) == len(hidden.problems)


def test_a_printed_card_keeps_health_to_itself(demo_store, formset, tmp_path):
    from fieldvisit.cards.pdf import write_cards

    home = rows(demo_store)[0]
    visited(demo_store, formset, home.id, chronic=True)
    with demo_store.reading() as conn:
        head = queries.members(conn, home.id, DAY)[0]
    demo_store.write([Update("member", head.id, {"health": "长期慢性病"})])
    out = tmp_path / "明白卡.pdf"
    write_cards(demo_store, [home.id], out, CardLayout(), DAY)
    text = text_of(out)
    assert "待落实" in text and "基本医疗" in text
    assert not any(word in text for word in HEALTH_WORDS), text


def no_private_numbers(text: str) -> None:
    """No 18-digit ID (or one with its X), no 11-digit mobile phone anywhere."""
    flat = re.sub(r"\s+", "", text)
    assert not re.search(r"\d{17}[\dXx]", flat), flat
    assert not re.search(r"(?<!\d)1\d{10}(?!\d)", flat), flat


def publicity_dates(day: date) -> dict[str, date]:
    return {"publicity_from": day - timedelta(days=6), "publicity_to": day - timedelta(days=1)}


# ---- 公示 --------------------------------------------------------------------------------

def opened(store, home, day: date = DAY, *, risks=("因病", "因学"), upto: str = "民主评议",
           risk_other: str | None = None, category: str = "边缘易致贫户", **publicised) -> str:
    """An entry case of ``home`` taken through the steps up to ``upto``, each on ``day``
    (乡镇审核 and 县级审批 as the county records them)."""
    case_id = cases.open_case(store, home.id, source="农户申报", risks=list(risks),
                              today=day - timedelta(days=10), risk_other=risk_other,
                              category=category, clue="12317 来电：户主患有大病住院")
    details = {"入户核实": {"authorised": True}, "民主评议": {"attendance": 30},
               "村级公示": publicised or publicity_dates(day)}
    for name in cases.ENTRY_STEPS[:cases.ENTRY_STEPS.index(upto) + 1]:
        cases.record_step(store, case_id, StepInput(name, day, "王干部", **details.get(name, {})),
                          at_county=name in cases.COUNTY_STEPS)
    return case_id


def village_of(store, home) -> str:
    with store.reading() as conn:
        return next(v.name for v in villages.listing(conn) if v.id == home.village_id)


def with_private_facts(store, home) -> None:
    """Every member ill and reachable: the notice must print none of it."""
    with store.reading() as conn:
        members = queries.members(conn, home.id, DAY)
    store.write([Update("member", m.id, {"health": health, "phone": "13812345678"})
                 for m, health in zip(members, ("长期慢性病", "患有大病", "残疾", "残疾"),
                                      strict=False)])


def test_the_publicity_lists_the_households_due_for_it_and_nothing_private(demo_store, tmp_path):
    from fieldvisit.monitoring import publicity

    ordinary = [r for r in rows(demo_store) if not r.monitored]
    pending, posted, early, other = ordinary[:4]
    for home in (pending, posted, early, other):
        with_private_facts(demo_store, home)
    opened(demo_store, pending)
    opened(demo_store, posted, upto="村级公示")
    opened(demo_store, early, upto="入户核实")
    opened(demo_store, other, risks=("其他",), risk_other="户主患有大病住院")

    notice = publicity.publicity(demo_store, village_of(demo_store, pending), DAY,
                                 township_phone="0851-2345678")
    assert {line.head for line in notice.lines} == {pending.head, other.head}
    [line] = [line for line in notice.lines if line.head == pending.head]
    assert (line.size, line.risks, line.source, line.starts, line.ends) == (
        pending.size, "因病、因学", "农户申报", DAY, DAY + timedelta(days=4))
    assert line.status == f"{pending.hh_type}（拟定类别：边缘易致贫户）"

    out = tmp_path / "公示.pdf"
    publicity.write_publicity(notice, out)
    text = text_of(out)
    for expected in (pending.head, other.head, pending.hh_type, "边缘易致贫户", "因病、因学",
                     "农户申报", DAY.isoformat(), (DAY + timedelta(days=4)).isoformat(),
                     "12317", "0851-2345678", "（盖章）", "公示"):
        assert expected in re.sub(r"\s+", "", text), expected
    assert posted.head not in text and early.head not in text
    no_private_numbers(text)
    assert not any(word in text for word in HEALTH_WORDS), text

    # A past day: the notice recorded as covering it, with its own dates
    past = DAY - timedelta(days=3)
    again = publicity.publicity(demo_store, village_of(demo_store, pending), past, given_day=True)
    covering = {line.head: (line.starts, line.ends) for line in again.lines}
    assert covering[posted.head] == (DAY - timedelta(days=6), DAY - timedelta(days=1))
    assert covering[pending.head][0] == past


def test_monitor_publicity_on_the_command_line(demo_store, tmp_path):
    home = next(r for r in rows(demo_store) if not r.monitored)
    village = village_of(demo_store, home)
    nothing = cli(demo_store.folder, "monitor", "publicity", "--village", village,
                  "-o", str(tmp_path / "空.pdf"))
    assert nothing.returncode == 2 and "没有需要公示的农户" in nothing.stderr
    assert not (tmp_path / "空.pdf").exists()
    opened(demo_store, home)
    out = tmp_path / "公示.pdf"
    done = cli(demo_store.folder, "monitor", "publicity", "--village", village, "-o", str(out),
               "--date", DAY.isoformat(), "--phone", "0851-2345678")
    assert done.returncode == 0, done.stderr
    text = text_of(out)
    assert home.head in text and "0851-2345678" in text and DAY.isoformat() in text


def cli(folder, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("FIELDVISIT_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir", str(folder), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120)


# ---- 扶贫手册 ------------------------------------------------------------------------------

def test_the_handbook_keeps_every_helper_measure_member_and_visit(demo_store, formset, tmp_path):
    from fieldvisit.cards.handbook import HandbookOptions, handbook, write_handbook
    from fieldvisit.roster import assignments, measures, membership

    home = next(r for r in rows(demo_store) if r.size >= 3 and r.helper)
    first = assignments.add_helper(demo_store, home.village_id, "周帮扶", unit="县农业农村局",
                                   post="科员", phone="13900001111")
    second = assignments.add_helper(demo_store, home.village_id, "吴责任", unit="县教育局",
                                    post="副局长", phone="13900002222")
    assignments.assign(demo_store, home.id, first, date(2025, 3, 1), DAY)
    assignments.assign(demo_store, home.id, second, date(2026, 6, 1), DAY)
    measures.add(demo_store, home.id, DAY, kind="公益岗位", detail="护林员",
                           amount_yuan=6000, started_on=date(2025, 4, 1))
    ended = measures.add(demo_store, home.id, DAY, kind="临时救助", detail="住房受损临时救助",
                         amount_yuan=2000, started_on=date(2025, 7, 1))
    measures.end(demo_store, ended, date(2025, 12, 31), DAY)
    with demo_store.reading() as conn:
        people = queries.members(conn, home.id, DAY)
    leaver = people[-1]
    membership.record(demo_store, membership.leave_edits, leaver.id, membership.MARRIED_OUT,
                      date(2026, 5, 1), DAY, note="嫁到邻村")
    demo_store.write([Update("member", people[0].id, {"health": "长期慢性病"})])
    visited(demo_store, formset, home.id, date(2026, 3, 1), income={"wage": 20000})
    visited(demo_store, formset, home.id, DAY, chronic=True, cadre="王干部")

    book = handbook(demo_store, home.id, HandbookOptions(DAY))
    # the roster's helper from before the registry, then both assignments
    assert [h.name for h in book.helpers] == [home.helper, "周帮扶", "吴责任"]
    assert [h.ended_on for h in book.helpers][1:] == [date(2026, 6, 1), None]
    with demo_store.reading() as conn:
        assert len(book.measures) == len(measures.for_household(conn, home.id))
    assert {("公益岗位", None), ("临时救助", date(2025, 12, 31))} <= {
        (m.kind, m.ended_on) for m in book.measures}
    assert [f.name for f in book.former] == [leaver.name]
    assert [v.cadre for v in book.visits] == ["李四", "王干部"]
    assert book.visits[1].findings >= 1 and len(book.incomes) == 2
    assert all(m.health is None for m in book.members)
    out = tmp_path / "扶贫手册.pdf"
    write_handbook(demo_store, home.id, out, HandbookOptions(DAY))
    text = re.sub(r"\s+", "", text_of(out))
    for expected in ("扶贫手册", "家庭情况", "家庭成员", "帮扶责任人", "帮扶措施", "走访记录",
                     "帮扶成效", home.helper, "周帮扶", "县农业农村局", "吴责任", "至今",
                     "2025-03-01", "2026-06-01", "护林员", "享受中", "住房受损临时救助",
                     "2025-12-31", leaver.name, "婚出", "2026-05-01", "嫁到邻村",
                     "2026-03-01", "王干部", "日常走访", "人均纯收入", "户主（签字）",
                     "帮扶责任人（签字）"):
        assert expected in text, expected
    # IDs and phones masked (the 18-digit 户编号 is the household's own code)
    assert not any(m.id_number and m.id_number in text for m in people)
    assert "13900001111" not in text and "139****1111" in text
    assert "长期慢性病" not in text

    health = tmp_path / "含健康.pdf"
    write_handbook(demo_store, home.id, health, HandbookOptions(DAY, print_health=True))
    assert "长期慢性病" in re.sub(r"\s+", "", text_of(health))


def test_fieldvisit_handbook_on_the_command_line(demo_store, tmp_path):
    home = rows(demo_store)[0]
    out = tmp_path / "扶贫手册.pdf"
    done = cli(demo_store.folder, "handbook", "--household", home.code, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert home.head in text_of(out) and home.code in text_of(out)
    with demo_store.reading() as conn:
        head_id = queries.members(conn, home.id, DAY)[0].id_number
    by_id = cli(demo_store.folder, "handbook", "--household", head_id, "-o",
                str(tmp_path / "按身份证.pdf"))
    assert by_id.returncode == 0, by_id.stderr
    assert home.code in text_of(tmp_path / "按身份证.pdf")
    unknown = cli(demo_store.folder, "handbook", "--household", "999", "-o", str(out))
    assert unknown.returncode == 2 and "999" in unknown.stderr


# ---- 动态管理 ------------------------------------------------------------------------------

def test_the_yearly_report_counts_entries_and_eliminations_by_decision(demo_store, formset,
                                                                      tmp_path):
    from fieldvisit.monitoring import elimination, yearly

    ordinary = [r for r in rows(demo_store) if not r.monitored]
    late, early, last_year, refused, recovered = ordinary[:5]
    opened(demo_store, late, upto="县级审批")
    opened(demo_store, early, date(2026, 3, 10), risks=("因残",), upto="县级审批",
           category="突发严重困难户")
    opened(demo_store, last_year, date(2025, 6, 1), upto="县级审批")
    stopped = opened(demo_store, refused, upto="入户核实")
    cases.record_step(demo_store, stopped, StepInput("信息比对", DAY, "王干部", result="不通过",
                                                     note="比对发现家有车辆"), at_county=False)
    opened(demo_store, recovered, date(2025, 2, 1), risks=("因学",), upto="县级审批",
           category="脱贫不稳定户")
    visited(demo_store, formset, recovered.id, date(2026, 3, 1))
    gone = elimination.open_elimination(demo_store, recovered.id, date(2026, 3, 2),
                                        DEFAULT_SETTINGS)
    on = date(2026, 4, 10)
    for name, details in (("入户核实", {"authorised": True}), ("民主评议", {"attendance": 28}),
                          ("村级公示", publicity_dates(on)), ("乡镇审核", {}), ("县级审批", {})):
        cases.record_step(demo_store, gone, StepInput(name, on, "王干部", **details),
                          at_county=name in cases.COUNTY_STEPS)

    village = village_of(demo_store, late)
    report = yearly.yearly_report(demo_store, village, 2026, DAY)
    assert [d.head for d in report.entered] == [early.head, late.head]
    assert [(d.category, d.risks) for d in report.entered] == [
        ("突发严重困难户", ("因残",)), ("边缘易致贫户", ("因病", "因学"))]
    assert [(d.head, d.category, d.risks, d.entered_on, d.decided_on)
            for d in report.eliminated] == [
        (recovered.head, "脱贫不稳定户", ("因学",), date(2025, 2, 1), on)]
    assert report.not_entered == 1
    assert [d.head for d in yearly.yearly_report(demo_store, village, 2025, DAY).entered] == [
        recovered.head, last_year.head]

    out = tmp_path / "动态管理.pdf"
    done = cli(demo_store.folder, "monitor", "yearly", "--village", village, "--year", "2026",
               "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = re.sub(r"\s+", "", text_of(out))
    for expected in ("2026年防返贫监测对象动态管理情况", "本年新纳入",
                     f"2户{early.size + late.size}人", "本年风险消除", f"1户{recovered.size}人",
                     "边缘易致贫户", "突发严重困难户",
                     "脱贫不稳定户", "因残", "因病", "因学", early.head, late.head, recovered.head,
                     "2026-04-10", "2025-02-01", "填报人（签字）"):
        assert expected in text, expected
    assert last_year.head not in text
    # the category table's rows: households and persons entered, then eliminated
    assert f"1脱贫不稳定户001{recovered.size}" in text
    assert f"2边缘易致贫户1{late.size}00" in text
    assert f"3突发严重困难户1{early.size}00" in text
    assert f"合计2{late.size + early.size}1{recovered.size}" in text
    no_private_numbers(text.replace(late.code, "").replace(early.code, "")
                       .replace(recovered.code, ""))


def test_the_publicity_lists_a_risk_elimination_under_its_own_heading(demo_store, formset,
                                                                      tmp_path):
    from fieldvisit.monitoring import elimination, publicity

    entering, recovered = [r for r in rows(demo_store) if not r.monitored][:2]
    opened(demo_store, entering)
    opened(demo_store, recovered, date(2025, 2, 1), risks=("因学",), upto="县级审批",
           category="脱贫不稳定户")
    visited(demo_store, formset, recovered.id, date(2026, 10, 1))
    gone = elimination.open_elimination(demo_store, recovered.id, date(2026, 10, 2),
                                        DEFAULT_SETTINGS)
    for name, details in (("入户核实", {"authorised": True}), ("民主评议", {"attendance": 28})):
        cases.record_step(demo_store, gone, StepInput(name, DAY, "王干部", **details),
                          at_county=False)
    notice = publicity.publicity(demo_store, village_of(demo_store, entering), DAY)
    [leaving] = notice.of_kind(cases.ELIMINATION)
    assert (leaving.head, leaving.risks) == (recovered.head, "因学")
    assert "监测对象（脱贫不稳定户）" in leaving.status
    out = tmp_path / "公示.pdf"
    publicity.write_publicity(notice, out)
    text = re.sub(r"\s+", "", text_of(out))
    assert "一、拟纳入防止返贫监测对象（1户）" in text
    assert "二、拟标注风险消除的监测对象（1户）" in text and recovered.head in text
    assert "乡镇监督电话____" in text  # no township phone given: a line to write it on
    no_private_numbers(text)
