"""The papers of 防返贫监测 (issue 12 §3): the 公示 list, the 扶贫手册, the yearly
动态管理 report, and a 明白卡 that keeps health to itself. Cases go through the real
procedure (``cases.open_case`` / ``record_step``) on a demo store; every PDF is read
back with pypdf."""

from __future__ import annotations

import re
from datetime import date, timedelta

from test_visit_record import answers_for, text_of

from fieldvisit.cards.data import card_data
from fieldvisit.cards.layout import CardLayout
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.roster import queries
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
    for form_id, values in answers.items():
        for key, value in values.items():
            if isinstance(value, dict):
                for question_id, answer in value.items():
                    visit.save_answer(store, visit_id, form_id, key, question_id, answer)
            else:
                visit.save_answer(store, visit_id, form_id, "", key, value)
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
