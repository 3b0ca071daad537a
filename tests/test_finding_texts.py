"""Findings are sentences a cadre reads to the household and the ledger keeps: they must
read right when answers are blank. Every rule of every bundled form is rendered with every
answer blank and with typical answers; a blank never shows as （未填） inside a sentence,
and the sentence keeps its punctuation (expr.fill states the rule)."""

from __future__ import annotations

import copy
import re

import pytest
from crafted import GOOD, MEMBERS, TODAY

from fieldvisit.checklist import expr
from fieldvisit.checklist.findings import evaluate_visit, household_context
from fieldvisit.checklist.settings import DEFAULT_SETTINGS

SETTINGS = {"line": 7300}


def say(template: str, **env: object) -> str:
    return expr.render(template, env, SETTINGS)


def every_text(formset, answers):
    """(form, rule, member, text) of every rule of every form, whether it fires or not,
    in the environment the visit's evaluation gives it."""
    context = household_context({"hh_type": "脱贫户", "risk_types": "因病"}, MEMBERS, TODAY)
    result = evaluate_visit(formset, answers, context, DEFAULT_SETTINGS, TODAY)
    base = {k: v for k, v in context.items() if k != "members"}
    for form_id in formset.order:
        for question in formset[form_id].questions:
            values = [i.values[question.id] for i in result.forms[form_id].instances]
            base[f"{form_id}.{question.id}"] = (values if formset[form_id].per_member
                                                else (values[0] if values else None))
    members = {m["id"]: m for m in context["members"]}
    for form_id in formset.order:
        form = formset[form_id]
        for instance in result.forms[form_id].instances:
            env = {**base, **members.get(instance.member_id or "", {}), **instance.values}
            for rule in form.rules:
                text = expr.fill(rule.template, env, DEFAULT_SETTINGS, today=TODAY)
                yield form_id, rule.id, instance.member_id, text


def reads_right(text: str) -> str | None:
    """What is wrong with a finding's text, or None."""
    checks = [
        ("（未填）" in text or "None" in text, "a placeholder for a blank"),
        (not text.strip(), "empty"),
        (text[:1] in "，；：。、）)", "starts with punctuation"),
        (re.search(r"[，；：、]\s*([。！？]|$)", text) is not None, "a dangling mark"),
        (re.search(r"[，；：、。]\s*[，；：、。]", text) is not None, "two marks in a row"),
        ("（）" in text or "()" in text, "empty parentheses"),
        ("  " in text or re.search(r"\s[，；：、。）]", text) is not None, "stray space"),
    ]
    return next((why for wrong, why in checks if wrong), None)


@pytest.mark.parametrize("answers", ["blank", "typical"])
def test_every_finding_of_every_form_reads_as_a_sentence(formset, answers):
    chosen = {} if answers == "blank" else copy.deepcopy(GOOD)
    seen = 0
    for form_id, rule_id, member_id, text in every_text(formset, chosen):
        seen += 1
        assert reads_right(text) is None, (form_id, rule_id, member_id, text,
                                           reads_right(text))
        if member_id is not None:
            name = next(m["name"] for m in MEMBERS if m["id"] == member_id)
            assert text.count(name) <= 1, text
    assert seen > 20  # every rule, per member where the form is per member


def test_a_blank_count_leaves_its_clause_out():
    template = "主粮不是全年够吃：一年约有 {months} 个月不够吃。"
    assert say(template, months=None) == "主粮不是全年够吃。"
    assert say(template, months=3) == "主粮不是全年够吃：一年约有 3 个月不够吃。"


def test_the_food_finding_of_a_visit_with_the_months_unanswered(formset):
    answers = copy.deepcopy(GOOD)
    answers["basic_needs"] = {"food_all_year": False, "meat_monthly": True}
    context = household_context({"hh_type": "一般农户"}, MEMBERS, TODAY)
    result = evaluate_visit(formset, answers, context, DEFAULT_SETTINGS, TODAY)
    food = [f.text for f in result.findings if f.form_id == "basic_needs"]
    assert food == ["主粮不是全年够吃。"]


def test_a_blank_in_parentheses_a_label_and_a_subject():
    template = ("{name}（{age} 岁）未在校上学，也没有送教上门；辍学原因：{cause}。"
                "须上报控辍保学劝返。")
    assert say(template, name="张三", age=None, cause=None) == (
        "张三未在校上学，也没有送教上门。须上报控辍保学劝返。")
    assert say(template, name="张三", age=12, cause="厌学") == (
        "张三（12 岁）未在校上学，也没有送教上门；辍学原因：厌学。须上报控辍保学劝返。")
    assert say("{name} 患慢性病，尚未办理慢性病卡。", name="") == "患慢性病，尚未办理慢性病卡。"
    assert say("{name} 自付 {pay} 元，超过 {setting('line')} 元，尚未申请医疗救助。",
               name="王德明", pay=None) == "王德明 尚未申请医疗救助。"
    assert say("现住房屋为 {grade} 级危房，且没有其他安全住房：须纳入危房改造。",
               grade=None) == "没有其他安全住房：须纳入危房改造。"
    assert say("人均 {p} 元，低于 {setting('line')} 元（家庭纯收入 {net} 元，{n} 人）。",
               p=5000, net=None, n=3) == "人均 5000 元，低于 7300 元。"
    # Nothing else to say: the words before the blank say it is not filled in.
    assert say("人均纯收入 {net} 元，低于监测线 {setting('line')} 元。", net=None) == (
        "人均纯收入未填写。")
    assert say("选了：{picked}。", picked=[]) == "选了未填写。"
    assert say("{picked}", picked=None) == "（未填）"


def test_a_table_cell_still_shows_an_unanswered_value():
    assert expr.format_value(None) == "（未填）" == expr.BLANK
