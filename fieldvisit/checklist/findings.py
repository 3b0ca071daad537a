"""Evaluating checklists: answers + household context -> values, gaps and findings.

A visit fills several forms; the screening form reads the others (``income.per_capita_net``),
so ``evaluate_visit`` runs the forms in the FormSet's dependency order and publishes each
form's values under qualified names before the next form runs. A per-member form is
evaluated once per member it applies to, with that member's roster fields as variables,
and other forms see its values as a list over those members (``true in medical.uninsured``).

All expressions were parsed and type-checked when the forms were loaded; evaluation only
walks the nodes, which keeps a whole visit well under a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from fieldvisit.checklist import expr
from fieldvisit.checklist.forms import Form, FormSet, Question
from fieldvisit.checklist.settings import Settings
from fieldvisit.roster.checks import CAN_WORK
from fieldvisit.roster.vocab import ORDINARY, TUOPIN, split_risks

_MEMBER_FIELDS = ("name", "sex", "relation", "schooling", "health", "labour_skill",
                  "resident_insurance", "employee_insurance", "serious_illness_insurance")


@dataclass(frozen=True)
class Finding:
    """A problem found on a visit, for the 问题整改 ledger."""

    form_id: str
    rule_id: str
    category: str
    severity: str
    text: str
    member_id: str | None = None


@dataclass(frozen=True)
class Violation:
    question_id: str
    message: str
    member_id: str | None = None


@dataclass(frozen=True)
class Instance:
    """One filling of a form: the household's, or one member's for a per-member form."""

    member_id: str | None
    values: dict[str, object]  # every question: answer or computed value (null if not relevant)
    relevant: frozenset[str]
    missing: tuple[str, ...]  # required, relevant, unanswered
    violations: tuple[Violation, ...]


@dataclass(frozen=True)
class FormResult:
    form_id: str
    instances: tuple[Instance, ...]
    findings: tuple[Finding, ...]

    @property
    def values(self) -> dict[str, object]:
        """The household-level values (first instance); per-member forms use ``instances``."""
        return self.instances[0].values if self.instances else {}


@dataclass(frozen=True)
class Suggestion:
    """The screening form's conclusion; only a suggestion, the procedure decides."""

    meets: bool
    kind: str | None


@dataclass(frozen=True)
class VisitResult:
    forms: dict[str, FormResult]
    findings: tuple[Finding, ...]
    suggestion: Suggestion | None


def household_context(household: Mapping[str, object], members: Sequence[Mapping[str, object]],
                      today: date) -> dict[str, object]:
    """The names forms may use about a household (see ``forms.HOUSEHOLD_NAMES``), plus
    ``members``: each member's roster fields with ``age`` in whole years at ``today``."""
    hh_type = str(household.get("hh_type") or ORDINARY)
    category = household.get("monitor_category")
    monitored = bool(household.get("monitored"))
    risks = household.get("risk_types")
    listed = [{"id": str(m.get("id")), **{key: m.get(key) for key in _MEMBER_FIELDS},
               "age": _age(m.get("birth_date"), today)} for m in members]
    return {
        "hh_type": hh_type,
        "household_size": len(listed),
        "is_tuopin": hh_type == TUOPIN,
        "is_monitored": monitored,
        "monitor_category": str(category) if monitored and category else None,
        "risk_types": risks if isinstance(risks, list) else split_risks(
            risks if isinstance(risks, str) else None),
        "labour_count": sum(m.get("labour_skill") in CAN_WORK for m in listed),
        "members": listed,
    }


def _age(birth: object, today: date) -> int | None:
    if not isinstance(birth, date):
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def evaluate_form(form: Form, answers: Mapping[str, object], context: Mapping[str, object],
                  settings: Settings, today: date) -> FormResult:
    """One form's result. ``answers`` maps question id -> answer, or for a per-member form
    member id -> {question id -> answer}; ``context`` is ``household_context`` plus the
    qualified values of forms evaluated before."""
    base = {key: value for key, value in context.items() if key != "members"}
    instances: list[Instance] = []
    findings: list[Finding] = []
    if form.per_member:
        members = context.get("members", ())
        if not isinstance(members, list | tuple):
            raise TypeError("context['members'] must be household_context's list of members")
        for member in members:
            env = {**base, **member}
            if form.repeat_where is not None and not expr.is_true(
                    expr.evaluate(form.repeat_where, env, settings, today=today)):
                continue
            member_id = str(member["id"])
            own = answers.get(member_id) or {}
            if not isinstance(own, Mapping):
                raise TypeError(f"answers[{member_id!r}] must map question id -> answer")
            instance = _instance(form, own, env, settings, today, member_id)
            instances.append(instance)
            findings += _findings(form, env, settings, today, member_id)
    else:
        env = dict(base)
        instances.append(_instance(form, answers, env, settings, today, None))
        findings += _findings(form, env, settings, today, None)
    return FormResult(form.id, tuple(instances), tuple(findings))


def evaluate_visit(formset: FormSet, answers_by_form: Mapping[str, Mapping[str, object]],
                   household: Mapping[str, object], settings: Settings,
                   today: date) -> VisitResult:
    """Every form of the set for one household visit, in dependency order."""
    context = dict(household)
    results: dict[str, FormResult] = {}
    suggestion: Suggestion | None = None
    for form_id in formset.order:
        form = formset[form_id]
        result = evaluate_form(form, answers_by_form.get(form_id, {}), context, settings, today)
        results[form_id] = result
        for question in form.questions:
            context[f"{form_id}.{question.id}"] = (
                [i.values[question.id] for i in result.instances] if form.per_member
                else result.values.get(question.id))
        if form.suggestion is not None and not form.per_member:
            env = {**context, **result.values}
            meets = expr.is_true(expr.evaluate(form.suggestion.meets, env, settings, today=today))
            kind = expr.evaluate(form.suggestion.kind, env, settings, today=today)
            suggestion = Suggestion(meets, str(kind) if meets and kind else None)
    findings = tuple(f for form_id in formset.order for f in results[form_id].findings)
    return VisitResult(results, findings, suggestion)


def _instance(form: Form, answers: Mapping[str, object], env: dict[str, object],
              settings: Settings, today: date, member_id: str | None) -> Instance:
    """Fill ``env`` with the form's values in dependency order, then check the answers."""
    relevant: set[str] = set()
    violations: list[Violation] = []
    for question in form.order:
        if question.relevant is not None and not expr.is_true(
                expr.evaluate(question.relevant, env, settings, today=today)):
            env[question.id] = None
            continue
        relevant.add(question.id)
        if question.calculate is not None:
            env[question.id] = expr.evaluate(question.calculate, env, settings, today=today)
            continue
        value, problem = _answer(question, answers.get(question.id))
        env[question.id] = value
        if problem:
            violations.append(Violation(question.id, problem, member_id))
    missing: list[str] = []
    for question in form.questions:
        if question.id not in relevant or question.calculate is not None:
            continue
        value = env[question.id]
        if value is None or value == [] or value == "":
            if question.required is True or (not isinstance(question.required, bool)
                                             and expr.is_true(expr.evaluate(
                                                 question.required, env, settings,
                                                 today=today))):
                missing.append(question.id)
        elif question.constraint is not None and expr.evaluate(
                question.constraint, env, settings, today=today) is False:
            violations.append(Violation(question.id, question.constraint_message, member_id))
    values = {q.id: env[q.id] for q in form.questions}
    return Instance(member_id, values, frozenset(relevant), tuple(missing), tuple(violations))


def _answer(question: Question, value: object) -> tuple[object, str | None]:
    """The answer as the expression language expects it, or None and why it is unusable
    (an answer of the wrong kind must not crash the evaluation of the whole visit)."""
    if value is None or value == "":
        return None, None
    kind = question.type
    ok = {
        "yes_no": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "money": isinstance(value, int | float) and not isinstance(value, bool),
        "date": isinstance(value, date),
        "multiple_choice": isinstance(value, list | tuple),
    }.get(kind, isinstance(value, str))
    if not ok:
        return None, f"答案“{value}”不是此题需要的类型 / the answer has the wrong type"
    # The isinstance tests below repeat what ``ok`` established, for the type checker.
    numeric = kind in ("integer", "money")
    if numeric and isinstance(value, int | float) and not abs(value) <= expr.MAX_MAGNITUDE:
        return None, f"数字“{value}”太大 / the number {value} is out of range"
    choices = {choice.value for choice in question.choices}
    if kind == "multiple_choice" and isinstance(value, list | tuple):
        value = list(value)
    picked = value if isinstance(value, list) else [value]
    if choices and any(item not in choices for item in picked):
        return None, f"答案“{value}”不是可选项 / the answer is not one of the choices"
    return value, None


def _findings(form: Form, env: Mapping[str, object], settings: Settings, today: date,
              member_id: str | None) -> list[Finding]:
    found = []
    for rule in form.rules:
        if expr.is_true(expr.evaluate(rule.when, env, settings, today=today)):
            text = expr.fill(rule.template, env, settings, today=today)  # blanks left out
            found.append(Finding(form.id, rule.id, rule.category, rule.severity, text, member_id))
    return found
