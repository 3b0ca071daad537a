"""Evaluating the bundled checklists for crafted households: the findings a cadre relies on."""

from __future__ import annotations

import copy

import pytest
from crafted import GOOD, MEDICAL_OK, MEMBERS, TODAY

from fieldvisit.checklist.findings import evaluate_form, evaluate_visit, household_context
from fieldvisit.checklist.settings import DEFAULT_SETTINGS, Settings


def visit(formset, changes=None, hh_type="一般农户", settings=DEFAULT_SETTINGS):
    answers = copy.deepcopy(GOOD)
    for form_id, values in (changes or {}).items():
        answers[form_id].update(values)
    context = household_context({"hh_type": hh_type}, MEMBERS, TODAY)
    return evaluate_visit(formset, answers, context, settings, TODAY)


def rules(result, form_id=None):
    return [f.rule_id for f in result.findings if form_id in (None, f.form_id)]


def test_a_household_meeting_every_standard_has_no_finding_and_no_gap(formset):
    result = visit(formset)
    assert result.findings == ()
    assert result.suggestion is not None and not result.suggestion.meets
    for form in result.forms.values():
        for instance in form.instances:
            assert instance.missing == () and instance.violations == (), (form.form_id, instance)
    assert result.forms["income"].values["per_capita_net"] == pytest.approx(35200 / 3, abs=0.01)


def test_context_counts_ages_at_the_visit_date():
    context = household_context({"hh_type": "脱贫户", "risk_types": "因病、因学"}, MEMBERS, TODAY)
    assert [m["age"] for m in context["members"]] == [51, 48, 12]
    assert context["household_size"] == 3 and context["labour_count"] == 2
    assert context["is_tuopin"] and not context["is_monitored"]
    assert context["risk_types"] == ["因病", "因学"]


def test_water_with_one_failed_indicator_gives_one_finding_with_its_value(formset):
    result = visit(formset, {"water": {"litres_household": 45}})  # 15 L per person per day
    water = [f for f in result.findings if f.form_id == "water"]
    assert [f.rule_id for f in water] == ["quantity"]
    assert "水量" in water[0].text and "15" in water[0].text and "35" in water[0].text
    assert water[0].severity == "high"


def test_water_convenience_and_reliability_findings_carry_the_values(formset):
    result = visit(formset, {"water": {"tap_in_yard": False, "trip_minutes": 35,
                                       "distance_m": 1500, "height_m": 120,
                                       "outage_days": 60}})
    assert rules(result, "water") == ["convenience", "reliability"]
    texts = [f.text for f in result.findings if f.form_id == "water"]
    assert "35 分钟" in texts[0] and "60 天" in texts[1]
    near = visit(formset, {"water": {"tap_in_yard": False, "trip_minutes": 35,
                                     "distance_m": 500}})
    assert rules(near, "water") == []  # within 800 m horizontally: convenient enough


def test_water_short_areas_use_the_lower_quantity_line(formset):
    assert rules(visit(formset, {"water": {"area_type": "short", "litres_household": 66}}),
                 "water") == []


def test_settings_change_the_outcome(formset):
    assert rules(visit(formset), "water") == []
    stricter = Settings({**DEFAULT_SETTINGS, "water_litres_rich": 60})
    result = visit(formset, settings=stricter)
    assert rules(result, "water") == ["quantity"]
    assert "60" in result.findings[0].text


def test_child_out_of_school_without_certification_is_named(formset):
    result = visit(formset, {"education": {"m3": {
        "in_school": False, "certified_unable": False, "home_teaching": False,
        "dropout_cause": "外出打工"}}})
    (finding,) = [f for f in result.findings if f.form_id == "education"]
    assert finding.rule_id == "dropout" and finding.member_id == "m3"
    assert "王小军" in finding.text and "12 岁" in finding.text and "外出打工" in finding.text
    assert finding.severity == "high"


def test_certified_child_with_home_teaching_is_not_a_dropout(formset):
    result = visit(formset, {"education": {"m3": {
        "in_school": False, "certified_unable": True, "home_teaching": True}}})
    assert rules(result, "education") == []
    (instance,) = result.forms["education"].instances
    assert "dropout_cause" not in instance.relevant and instance.missing == ()


def test_education_asks_only_school_age_members(formset):
    instances = visit(formset).forms["education"].instances
    assert [i.member_id for i in instances] == ["m3"]


def test_uninsured_member_is_a_high_medical_finding(formset):
    medical = {m["id"]: dict(MEDICAL_OK) for m in MEMBERS}
    medical["m2"] = {**MEDICAL_OK, "insurance": "none", "chronic": True, "chronic_card": False}
    result = visit(formset, {"medical": medical})
    found = [(f.rule_id, f.member_id) for f in result.findings if f.form_id == "medical"]
    assert found == [("uninsured", "m2"), ("no_chronic_card", "m2")]
    assert "刘桂芬" in result.findings[0].text


@pytest.mark.parametrize(("hh_type", "kind"), [("脱贫户", "脱贫不稳定户"),
                                               ("一般农户", "边缘易致贫户")])
def test_income_under_the_line_with_a_risk_suggests_the_right_kind(formset, hh_type, kind):
    low = {"income": {"wage": 12000, "business": 3000, "transfer": 2000, "business_cost": 1000},
           "monitoring": {"risks": ["因病"]}}
    result = visit(formset, low, hh_type=hh_type)
    (income,) = [f for f in result.findings if f.form_id == "income"]
    assert income.rule_id == "under_line" and "5333.33" in income.text and "7300" in income.text
    assert result.suggestion is not None and result.suggestion.meets
    assert result.suggestion.kind == kind
    assert rules(result, "monitoring") == []  # a proposal to open a case, not a 整改 problem


def test_above_the_line_with_a_big_rigid_expense_is_sudden_hardship(formset):
    result = visit(formset, {"monitoring": {"rigid_expense": 20000,
                                            "rigid_expense_cause": ["因病"]}})
    assert rules(result, "income") == []
    assert result.suggestion.kind == "突发严重困难户"


def test_c_grade_house_without_another_safe_house_is_high(formset):
    result = visit(formset, {"housing": {"house_grade": "C", "other_safe_housing": "none",
                                         "renovation": "planned"}})
    (finding,) = [f for f in result.findings if f.form_id == "housing"]
    assert finding.severity == "high" and "C 级" in finding.text
    safe = visit(formset, {"housing": {"house_grade": "C", "other_safe_housing": "commercial"}})
    assert rules(safe, "housing") == []
    assert safe.forms["housing"].values["housing_safe"] is True


def test_a_question_that_does_not_apply_is_not_required(formset):
    form = formset["water"]
    context = household_context({"hh_type": "一般农户"}, MEMBERS, TODAY)
    result = evaluate_form(form, dict(GOOD["water"]), context, DEFAULT_SETTINGS, TODAY)
    (instance,) = result.instances
    assert "trip_minutes" not in instance.relevant and instance.missing == ()
    asked = {**GOOD["water"], "tap_in_yard": False}
    (instance,) = evaluate_form(form, asked, context, DEFAULT_SETTINGS, TODAY).instances
    assert "trip_minutes" in instance.relevant and instance.missing == ("trip_minutes",)


def test_constraint_violation_carries_the_forms_message(formset):
    result = visit(formset, {"water": {"outage_days": 400}})
    (violation,) = result.forms["water"].instances[0].violations
    assert violation.question_id == "outage_days" and "0 到 366" in violation.message


def test_an_answer_outside_the_choices_is_a_violation_not_a_crash(formset):
    result = visit(formset, {"housing": {"house_grade": "E"}})
    (instance,) = result.forms["housing"].instances
    assert [v.question_id for v in instance.violations] == ["house_grade"]
    assert "house_grade" in instance.missing


def test_an_absurd_number_is_a_violation_not_a_crash(formset):
    result = visit(formset, {"income": {"wage": 10**18}})
    (instance,) = result.forms["income"].instances
    assert [v.question_id for v in instance.violations] == ["wage"]
    assert rules(result, "income") == []


