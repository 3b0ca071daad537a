"""帮扶措施 / 享受政策: the core (validation, journaled writes, current vs history, one read
for a whole village), the demo village's measures, and the household panel's list and
dialogs on a real store."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import event, func, select
from test_store import make_village

from fieldvisit import demo
from fieldvisit.roster import measures, queries, vocab
from fieldvisit.roster.checks import STUDYING
from fieldvisit.roster.measures import MeasureError
from fieldvisit.store import Insert, Update
from fieldvisit.store.models import JournalEntry, Measure, Member

TODAY = date(2026, 11, 1)
JOURNAL = JournalEntry.__table__


def journal_count(store) -> int:
    with store.reading() as conn:
        return conn.execute(select(func.count()).select_from(JOURNAL)).scalar_one()


def add_job(store, household_id: str, **fields) -> str:
    values = {"kind": "公益岗位", "detail": "护林员 每月500元", "amount_yuan": 6000,
              "started_on": date(2025, 3, 1), **fields}
    return measures.add(store, household_id, TODAY, **values)


def current(store, household_id: str, today: date = TODAY) -> list[measures.Measure]:
    with store.reading() as conn:
        return measures.current_by_household(conn, [household_id], today).get(household_id, [])


# --- writing, and the journal --------------------------------------------------------------


def test_an_added_measure_is_current_and_journaled_whole(store):
    household = make_village(store)["household"]
    before = journal_count(store)
    measure_id = add_job(store, household, detail="  护林员 每月500元  ")
    [shown] = current(store, household)
    assert shown == measures.Measure(measure_id, household, "公益岗位", "护林员 每月500元", 6000,
                                     date(2025, 3, 1), None)
    with store.reading() as conn:
        [entry] = conn.execute(select(JOURNAL).where(JOURNAL.c.seq > before)).all()
    assert (entry.entity, entry.entity_id, entry.field) == ("measure", measure_id, None)
    assert json.loads(entry.new)["amount_yuan"] == 6000
    assert entry.actor == "测试员"


def test_update_checks_the_whole_measure_and_journals_only_changed_fields(store):
    household = make_village(store)["household"]
    measure_id = add_job(store, household)
    before = journal_count(store)
    assert measures.update(store, measure_id, TODAY, {"detail": "护林员 每月600元",
                                                      "amount_yuan": 7200, "kind": "公益岗位"})
    with store.reading() as conn:
        fields = sorted(e.field for e in conn.execute(select(JOURNAL).where(
            JOURNAL.c.seq > before)))
    assert fields == ["amount_yuan", "detail"]
    assert not measures.update(store, measure_id, TODAY, {"amount_yuan": 7200})
    with pytest.raises(MeasureError) as refused:  # 其他 without a description, as merged
        measures.update(store, measure_id, TODAY, {"kind": "其他", "detail": " "})
    assert refused.value.problems[0].field == "detail"
    with pytest.raises(KeyError):
        measures.update(store, measure_id, TODAY, {"household_id": household})


def test_an_ended_measure_leaves_the_card_but_stays_in_the_history(store):
    household = make_village(store)["household"]
    job = add_job(store, household)
    loan = add_job(store, household, kind="金融/小额信贷", detail="小额信贷5万元",
                   amount_yuan=None, started_on=date(2024, 5, 1))
    assert measures.end(store, job, TODAY, TODAY)
    assert [m.id for m in current(store, household)] == [loan]
    assert [m.id for m in current(store, household, TODAY - timedelta(days=1))] == [job, loan]
    with store.reading() as conn:
        history = measures.for_household(conn, household)
    assert [(m.id, m.ended_on) for m in history] == [(job, TODAY), (loan, None)]
    with pytest.raises(MeasureError, match="结束日期不能早于开始日期"):
        measures.end(store, loan, date(2024, 4, 30), TODAY)


def test_a_future_end_date_keeps_a_measure_current_until_that_day(store):
    household = make_village(store)["household"]
    aid = add_job(store, household, kind="教育/雨露计划", detail="雨露计划 中职补助",
                  amount_yuan=3000, ended_on=date(2027, 6, 30))
    assert [m.id for m in current(store, household)] == [aid]
    assert current(store, household, date(2027, 6, 30)) == []


@pytest.mark.parametrize(("fields", "field", "zh", "en"), [
    ({"kind": "发钱"}, "kind", "没有“发钱”这一措施类别", "unknown kind"),
    ({"kind": ""}, "kind", "请选择措施类别", "choose the kind"),
    ({"kind": "其他", "detail": ""}, "detail", "请写明具体内容", "describe"),
    ({"detail": "长" * 201}, "detail", "不能超过 200 字", "longer than 200"),
    ({"amount_yuan": 0}, "amount_yuan", "1 至 1,000,000 元", "between 1 and"),
    ({"amount_yuan": -500}, "amount_yuan", "1 至 1,000,000 元", "between 1 and"),
    ({"amount_yuan": 1234.5}, "amount_yuan", "整数元", "whole yuan"),
    ({"amount_yuan": True}, "amount_yuan", "整数元", "whole yuan"),
    ({"started_on": TODAY + timedelta(days=1)}, "started_on", "不能晚于今天", "after today"),
    ({"started_on": None}, "started_on", "请填写开始日期", "start date is required"),
    ({"ended_on": date(2025, 2, 28)}, "ended_on", "不能早于开始日期", "before the start"),
])
def test_a_refused_measure_says_why_in_chinese_and_english_and_writes_nothing(
        store, fields, field, zh, en):
    household = make_village(store)["household"]
    before = journal_count(store)
    with pytest.raises(MeasureError) as refused:
        add_job(store, household, **fields)
    assert [p.field for p in refused.value.problems] == [field]
    assert zh in refused.value.zh and en in refused.value.en
    assert journal_count(store) == before


def test_every_problem_is_reported_at_once_and_unknown_rows_are_refused(store):
    household = make_village(store)["household"]
    with pytest.raises(MeasureError) as refused:
        add_job(store, household, kind="其他", detail=None, amount_yuan=0,
                started_on=TODAY + timedelta(days=3))
    assert [p.field for p in refused.value.problems] == ["detail", "amount_yuan", "started_on"]
    with pytest.raises(MeasureError, match="no household nowhere"):
        add_job(store, "nowhere")
    with pytest.raises(MeasureError, match="no measure gone"):
        measures.end(store, "gone", TODAY, TODAY)


@pytest.mark.parametrize(("text", "amount"), [
    ("6000", 6000), ("6,000", 6000), ("６０００", 6000), (" 6000元 ", 6000), ("3000.00", 3000),
    ("", None), ("  ", None),
])
def test_amounts_are_read_as_cadres_type_them(text, amount):
    assert measures.parse_amount(text) == amount


@pytest.mark.parametrize("text", ["3000.5", "三千", "6000/年", "nan", "inf"])
def test_amounts_that_are_not_whole_yuan_are_refused(text):
    with pytest.raises(MeasureError, match="whole number of yuan"):
        measures.parse_amount(text)


# --- reading for the card ----------------------------------------------------------------


def test_current_measures_of_a_village_come_in_a_few_queries_in_card_order(store):
    household = make_village(store)["household"]
    with store.reading() as conn:
        village_id = queries.household(conn, household)["village_id"]
    others = [Insert("household", {"village_id": village_id, "code": f"5227271002009{n:05d}"})
              for n in range(1199)]
    edits: list = [*others]
    for n, other in enumerate(others):
        edits.append(Insert("measure", {"household_id": other.id, "kind": "养老保险",
                                        "started_on": date(2020, 1, 1)}))
        if n % 3 == 0:
            edits.append(Insert("measure", {"household_id": other.id, "kind": "产业帮扶",
                                            "started_on": date(2021, 1, 1)}))
    store.write(edits)
    removed = add_job(store, others[0].id)
    store.write([Update("measure", removed, {"deleted": True})])
    add_job(store, others[1].id, started_on=TODAY)
    store.write([Insert("measure", {"household_id": others[1].id, "kind": "健康/医保",
                                    "started_on": TODAY + timedelta(days=10)})])  # via sync
    ids = [household] + [o.id for o in others]
    statements: list[str] = []
    with store.reading() as conn:
        event.listen(conn, "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
        found = measures.current_by_household(conn, ids + ids[:5], TODAY)
    assert len(statements) == 3  # 1,200 households, 500 per query
    assert household not in found  # no measures: left out
    assert len(found) == 1199
    assert [m.kind for m in found[others[0].id]] == ["产业帮扶", "养老保险"]
    assert [m.kind for m in found[others[1].id]] == ["公益岗位", "养老保险"]
    assert sum(map(len, found.values())) == 1199 + 400 + 1


def test_the_vocabulary_lists_other_last_and_every_kind_fits_its_column():
    assert vocab.MEASURE_KINDS[-1] == vocab.OTHER_MEASURE
    assert len(set(vocab.MEASURE_KINDS)) == len(vocab.MEASURE_KINDS)
    assert max(map(len, vocab.MEASURE_KINDS)) <= Measure.__table__.c.kind.type.length


# --- the demo village --------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_measures(tmp_path_factory):
    from fieldvisit.store import Store

    store = Store.open(tmp_path_factory.mktemp("demo") / "fieldvisit.sqlite", actor="测试员")
    demo.populate(store, 300, seed=7, today=TODAY)
    with store.reading() as conn:
        rows = queries.household_rows(conn)
        facts = {r.id: queries.household(conn, r.id) for r in rows}
        members = {r.id: queries.members(conn, r.id, TODAY) for r in rows}
        now = measures.current_by_household(conn, facts, TODAY)
        history = {h: measures.for_household(conn, h) for h in facts}
    store.close()
    return facts, members, now, history


def test_demo_households_enjoy_measures_that_follow_from_their_facts(demo_measures):
    facts, members, now, history = demo_measures
    for household_id, household in facts.items():
        kinds = [m.kind for m in now.get(household_id, [])]
        if household["hh_type"] == "一般农户" and not household["monitored"]:
            assert history[household_id] == []
            continue
        assert 2 <= len(kinds) <= 4, household["code"]
        assert len(set(kinds)) == len(kinds)
        risks = vocab.split_risks(household["risk_types"])
        if "因病" in risks:
            assert "健康/医保" in kinds, household["code"]
        if any(m.schooling in STUDYING for m in members[household_id]):
            assert "教育/雨露计划" in kinds, household["code"]
        for measure in history[household_id]:  # every one would pass the editor's checks
            fields = {name: getattr(measure, name) for name in measures.EDITABLE}
            assert measures.problems(fields, TODAY) == [], measure


def test_some_demo_households_have_ended_measures_in_their_history(demo_measures):
    facts, _members, now, history = demo_measures
    ended = [h for h in facts if len(history[h]) > len(now.get(h, []))]
    assert 10 <= len(ended) <= 60
    for household_id in ended:
        assert all(m.ended_on and m.ended_on <= TODAY for m in history[household_id]
                   if m not in now.get(household_id, []))


def test_measures_leave_the_demo_households_and_members_as_they_were():
    """Measures draw from their own generator: a seed's village is what it was before."""
    with_measures = demo.demo_edits(40, 3, TODAY)
    assert any(e.entity == "measure" for e in with_measures)
    births = [e.fields["birth_date"] for e in with_measures if e.entity == "member"][:5]
    assert births == [date(1999, 1, 20), date(2000, 12, 14), date(2021, 10, 22),
                      date(2020, 10, 9), date(1985, 5, 21)]  # as generated before measures


# --- the household panel -----------------------------------------------------------------


def first_monitored(store) -> str:
    with store.reading() as conn:
        return next(r.id for r in queries.household_rows(conn)
                    if r.monitored)


@pytest.fixture
def view(qtbot, demo_store):
    from fieldvisit.qt.measures_view import MeasuresView
    from fieldvisit.qt.ops import Ops

    shown = MeasuresView(Ops(demo_store), today=TODAY)
    qtbot.addWidget(shown)
    shown.resize(760, 320)
    shown.show()
    shown.show_household(first_monitored(demo_store))
    return shown


def rows(view) -> list[list[str]]:
    model = view.model
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_the_view_lists_current_measures_and_adds_one_through_the_dialog(view, demo_store):
    household = first_monitored(demo_store)
    assert len(rows(view)) == len(current(demo_store, household))
    assert view.title() == f"帮扶措施（享受政策 {len(rows(view))} 项）"
    dialog = view.open_add()
    dialog.kind.setCurrentIndex(dialog.kind.findData("公益岗位"))
    dialog.detail.setText("村保洁员 每月600元")
    dialog.amount.setText("7,200")
    dialog.started.setDate(QDate(2026, 3, 1))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ["公益岗位", "村保洁员 每月600元", "7,200", "2026-03-01", ""] in rows(view)
    added = next(m for m in current(demo_store, household) if m.detail == "村保洁员 每月600元")
    assert (added.amount_yuan, added.started_on) == (7200, date(2026, 3, 1))


def test_a_refused_save_keeps_the_dialog_open_with_the_reason(view, demo_store):
    before = journal_count(demo_store)
    dialog = view.open_add()
    dialog.kind.setCurrentIndex(dialog.kind.findData("其他"))
    dialog.amount.setText("3000.5")
    dialog.accept()
    assert view.dialog is dialog and dialog.isVisible()
    assert "不是整数元" in dialog.error.text()
    dialog.amount.setText("")
    dialog.accept()
    assert dialog.error.text() == "类别为“其他”时请写明具体内容"
    assert journal_count(demo_store) == before
    dialog.reject()


def test_editing_and_ending_a_measure_from_the_view(view, demo_store):
    view.table.selectRow(0)
    first = view.current_measure()
    dialog = view.open_edit()
    assert dialog.kind.currentData() == first.kind
    assert dialog.detail.text() == (first.detail or "")
    dialog.detail.setText("已核实：" + (first.detail or ""))
    dialog.accept()
    assert rows(view)[0][1].startswith("已核实：")

    view.table.selectRow(0)
    assert view.end_button.isEnabled()
    count = len(rows(view))
    ending = view.open_end()
    ending.ended.setDate(QDate(2026, 10, 31))
    ending.accept()
    assert len(rows(view)) == count - 1
    assert first.id not in [m.id for m in current(demo_store, first.household_id)]
    view.show_ended.setChecked(True)
    with demo_store.reading() as conn:
        kept = conn.execute(select(func.count()).select_from(Measure).where(
            Measure.household_id == first.household_id, Measure.deleted.is_(False))).scalar_one()
    assert len(rows(view)) == kept > count - 1  # the ended ones too, the one just ended among them
    ended_row = next(r for r in rows(view) if r[4] == "2026-10-31")
    assert ended_row[1].startswith("已核实：")


def test_the_household_panel_shows_the_measures_tab_and_looks_right(qtbot, window,
                                                                   demo_store, tmp_path):
    from fieldvisit.qt.app import apply_style
    from fieldvisit.qt.fonts import apply_application_font

    app = QApplication.instance()
    apply_application_font(app)
    apply_style(app)
    household = first_monitored(demo_store)
    assert window.select_household(household)
    panel = window.panel
    panel.details.setCurrentWidget(panel.measures)
    qtbot.waitUntil(lambda: panel.measures.model.rowCount() > 0)
    assert panel.measures.ops is window.ops  # the main window's op runner
    assert panel.measures.add_button.isEnabled()
    with demo_store.reading() as conn:
        members = conn.execute(select(func.count()).select_from(Member).where(
            Member.household_id == household)).scalar_one()
    assert members > 0
    assert panel.grab().save(str(tmp_path / "measures.png"))
    dialog = panel.measures.open_add()
    assert dialog.grab().save(str(tmp_path / "measures-dialog.png"))
    dialog.reject()


# --- the 明白卡 ---------------------------------------------------------------------------


def with_measures():
    """The bundled card layout, which prints the measures after the helper."""
    from fieldvisit.cards.layout import load_layout

    layout = load_layout()
    assert layout.sections.index("measures") == layout.sections.index("helper") + 1
    return layout


def test_the_card_prints_the_current_measures_and_not_the_ended_ones(demo_store, tmp_path,
                                                                     qapp):
    from pypdf import PdfReader

    from fieldvisit.cards.data import card_data
    from fieldvisit.cards.pdf import write_cards
    from tests.pages import render_page

    household = first_monitored(demo_store)
    add_job(demo_store, household, detail="村级护路员 每月400元", amount_yuan=4800)
    gone = add_job(demo_store, household, kind="就业帮扶", detail="务工交通补助（已结束）")
    measures.end(demo_store, gone, date(2026, 9, 30), TODAY)
    card = card_data(demo_store, household, TODAY, with_measures())
    assert [m.kind for m in card.measures] == [m.kind for m in current(demo_store, household)]
    mine = next(m for m in card.measures if m.detail == "村级护路员 每月400元")
    assert (mine.amount, mine.since) == ("4,800", date(2025, 3, 1))

    out = tmp_path / "card.pdf"
    write_cards(demo_store, [household], out, with_measures(), TODAY)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "四、帮扶措施（享受政策）" in text
    assert "村级护路员 每月400元" in text and "4,800" in text and "2025年03月" in text
    assert "务工交通补助（已结束）" not in text
    render_page(out).save(str(tmp_path / "card.png"))  # looked at: the section between 3 and 5


def test_a_household_without_measures_prints_none(demo_store, tmp_path):
    from pypdf import PdfReader

    from fieldvisit.cards.pdf import write_cards

    with demo_store.reading() as conn:
        ordinary = next(r.id for r in queries.household_rows(conn) if r.status == "一般农户")
    out = tmp_path / "card.pdf"
    write_cards(demo_store, [ordinary], out, with_measures(), TODAY)
    text = PdfReader(out).pages[0].extract_text()
    section = text[text.index("帮扶措施（享受政策）"):text.index("收入情况")]
    assert "无" in section
