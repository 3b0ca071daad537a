"""帮扶措施 / 享受政策: what a household receives, for the 明白卡 and the 扶贫手册.

A measure runs from ``started_on``. Ending one sets ``ended_on``: it leaves the card
(which shows what the household enjoys now) but stays in the history the 扶贫手册 keeps.
``deleted`` is left for rows entered by mistake. Every change goes through
``Store.write``, so measures are journaled and travel with sync like the roster.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, or_, select

from fieldvisit.errors import FieldVisitError
from fieldvisit.roster.vocab import MEASURE_KINDS, OTHER_MEASURE
from fieldvisit.store import Insert, Store, Update, models
from fieldvisit.store.changes import by_ids

EDITABLE = ("kind", "detail", "amount_yuan", "started_on", "ended_on")
MAX_DETAIL = 200
MAX_AMOUNT = 1_000_000
_KIND_ORDER = {kind: n for n, kind in enumerate(MEASURE_KINDS)}


@dataclass(frozen=True)
class MeasureProblem:
    field: str
    zh: str
    en: str


class MeasureError(FieldVisitError):
    """A measure that cannot be saved; ``zh`` and ``en`` list every problem."""

    def __init__(self, problems: list[MeasureProblem]) -> None:
        self.problems = problems
        super().__init__("；".join(p.zh for p in problems), "; ".join(p.en for p in problems))


@dataclass(frozen=True)
class Measure:
    id: str
    household_id: str
    kind: str
    detail: str | None
    amount_yuan: int | None
    started_on: date
    ended_on: date | None

    def is_current(self, today: date) -> bool:
        """Enjoyed on ``today``: started, and not ended on or before it."""
        return self.started_on <= today and (self.ended_on is None or self.ended_on > today)


_COLUMNS = (models.Measure.id, models.Measure.household_id, models.Measure.kind,
            models.Measure.detail, models.Measure.amount_yuan, models.Measure.started_on,
            models.Measure.ended_on)


# Validation ---------------------------------------------------------------------------


def problems(fields: Mapping[str, Any], today: date) -> list[MeasureProblem]:
    """Everything wrong with a whole measure (all of ``EDITABLE``), in field order."""
    return [*_kind_problems(fields.get("kind"), fields.get("detail")),
            *_amount_problems(fields.get("amount_yuan")),
            *_date_problems(fields.get("started_on"), fields.get("ended_on"), today)]


def _kind_problems(kind: object, detail: object) -> list[MeasureProblem]:
    found = []
    if not kind:
        found.append(MeasureProblem("kind", "请选择措施类别", "choose the kind of measure"))
    elif kind not in _KIND_ORDER:
        found.append(MeasureProblem("kind", f"没有“{kind}”这一措施类别",
                                    f"unknown kind of measure: {kind}"))
    if kind == OTHER_MEASURE and not detail:
        found.append(MeasureProblem("detail", "类别为“其他”时请写明具体内容",
                                    "describe a measure of the kind 其他 (other)"))
    if isinstance(detail, str) and len(detail) > MAX_DETAIL:
        found.append(MeasureProblem("detail", f"具体内容不能超过 {MAX_DETAIL} 字",
                                    f"the description is longer than {MAX_DETAIL} characters"))
    return found


def _amount_problems(amount: object) -> list[MeasureProblem]:
    if amount is None:
        return []
    if isinstance(amount, bool) or not isinstance(amount, int):
        return [MeasureProblem("amount_yuan", "金额请填整数元", "the amount must be whole yuan")]
    if not 1 <= amount <= MAX_AMOUNT:
        return [MeasureProblem("amount_yuan", f"金额应在 1 至 {MAX_AMOUNT:,} 元之间",
                               f"the amount must be between 1 and {MAX_AMOUNT:,} yuan")]
    return []


def _date_problems(started: object, ended: object, today: date) -> list[MeasureProblem]:
    found = []
    if not isinstance(started, date):
        found.append(MeasureProblem("started_on", "请填写开始日期", "the start date is required"))
    elif started > today:
        found.append(MeasureProblem("started_on", f"开始日期不能晚于今天（{today}）",
                                    f"the start date cannot be after today ({today})"))
    if isinstance(started, date) and isinstance(ended, date) and ended < started:
        found.append(MeasureProblem("ended_on", "结束日期不能早于开始日期",
                                    "the end date cannot be before the start date"))
    return found


def parse_amount(text: str) -> int | None:
    """The amount as a cadre types it: "6000", "6,000", full-width "６０００", "6000元",
    "6000.00"; blank means none. Fractions of a yuan are refused, not rounded."""
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "").strip().removesuffix("元")
    if not cleaned.strip():
        return None
    try:
        value: float | None = float(cleaned)
    except ValueError:
        value = None
    if value is None or not value.is_integer():
        raise MeasureError([MeasureProblem(
            "amount_yuan", f"金额“{text.strip()}”不是整数元",
            f"the amount {text.strip()!r} is not a whole number of yuan")])
    return int(value)


# Writing ------------------------------------------------------------------------------


def add(store: Store, household_id: str, today: date, *, kind: str, started_on: date,
        detail: str | None = None, amount_yuan: int | None = None,
        ended_on: date | None = None) -> str:
    """Record a measure for a household; returns its id."""
    fields = _cleaned({"kind": kind, "detail": detail, "amount_yuan": amount_yuan,
                       "started_on": started_on, "ended_on": ended_on})
    found = problems(fields, today)
    with store.reading() as conn:
        if not _household_exists(conn, household_id):
            found.insert(0, MeasureProblem("household_id", f"没有编号为 {household_id} 的户",
                                           f"no household {household_id}"))
    if found:
        raise MeasureError(found)
    edit = Insert("measure", {"household_id": household_id, **fields})
    store.write([edit])
    return edit.id


def update(store: Store, measure_id: str, today: date, changes: Mapping[str, Any]) -> bool:
    """Change some of a measure's fields (``EDITABLE``); the whole measure is checked as it
    would be saved. True when anything changed."""
    unknown = changes.keys() - set(EDITABLE)
    if unknown:
        raise KeyError(f"a measure has no editable field {sorted(unknown)[0]!r}")
    with store.reading() as conn:
        current = _one(conn, measure_id)
    cleaned = _cleaned(changes)
    found = problems({**{name: getattr(current, name) for name in EDITABLE}, **cleaned}, today)
    if found:
        raise MeasureError(found)
    return bool(store.write([Update("measure", measure_id, cleaned)]))


def end(store: Store, measure_id: str, ended_on: date, today: date) -> bool:
    """Mark a measure as ended on that day: off the card from then on, kept in history."""
    return update(store, measure_id, today, {"ended_on": ended_on})


def _cleaned(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Text stripped, and blank text as None (how the store keeps an empty field)."""
    out = dict(fields)
    for name in ("kind", "detail"):
        if isinstance(out.get(name), str):
            out[name] = out[name].strip() or None
    return out


def _household_exists(conn: Connection, household_id: str) -> bool:
    return conn.execute(select(models.Household.id).where(
        models.Household.id == household_id, models.Household.deleted.is_(False))
    ).first() is not None


def _one(conn: Connection, measure_id: str) -> Measure:
    row = conn.execute(select(*_COLUMNS).where(
        models.Measure.id == measure_id, models.Measure.deleted.is_(False))).first()
    if row is None:
        raise MeasureError([MeasureProblem("id", f"没有编号为 {measure_id} 的措施",
                                           f"no measure {measure_id}")])
    return Measure(*row)


# Reading ------------------------------------------------------------------------------


def for_household(conn: Connection, household_id: str) -> list[Measure]:
    """All of a household's measures, current and ended (its 扶贫手册 history), in card
    order."""
    rows = conn.execute(select(*_COLUMNS).where(
        models.Measure.household_id == household_id, models.Measure.deleted.is_(False)))
    return sorted((Measure(*row) for row in rows), key=_card_order)


def current_by_household(conn: Connection, household_ids: Iterable[str],
                         today: date) -> dict[str, list[Measure]]:
    """Household id -> the measures it enjoys on ``today``, in card order; households
    without any are left out. Printing a village's cards asks for all its households at
    once, so this reads them in a few queries (``by_ids`` chunks), never one per
    household."""
    ids = list(dict.fromkeys(household_ids))
    found: dict[str, list[Measure]] = {}
    current = select(*_COLUMNS).where(
        models.Measure.deleted.is_(False), models.Measure.started_on <= today,
        or_(models.Measure.ended_on.is_(None), models.Measure.ended_on > today))
    for rows in by_ids(conn, current, models.Measure.household_id, ids):
        for row in rows:
            measure = Measure(*row)
            found.setdefault(measure.household_id, []).append(measure)
    for measures in found.values():
        measures.sort(key=_card_order)
    return found


def _card_order(measure: Measure) -> tuple[int, date, str]:
    """The vocabulary's order (产业 first, 其他 last), then oldest first."""
    return (_KIND_ORDER.get(measure.kind, len(_KIND_ORDER)), measure.started_on, measure.id)


def yuan(amount: int | None) -> str:
    """An amount as the card and the panel print it: "6,000", or "" for none."""
    return "" if amount is None else f"{amount:,}"
