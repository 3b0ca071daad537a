"""Risk colour of each household: 红 (不放心), 黄 (基本放心), 绿 (放心).

The rule, first match wins:

1. **红** — the household has an open problem (问题整改台账, any status but 已销号) of
   severity ``high``, or at least ``red_open_problems`` (setting, default 3) open problems
   of any severity: something that threatens 两不愁三保障 is not fixed yet, or too much is.
2. **黄** — it has any open problem, or it is a 监测对象 (脱贫不稳定户, 边缘易致贫户,
   突发严重困难户) whose risk is not yet marked 风险消除.
3. **绿** — otherwise: nothing open, and not monitored or its risk eliminated.

Open problems come in as a mapping household id -> severities of its open problems
(``ledger.open_problems_by_household``); this module reads only the household table, in
one select, so 30,000 households take a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, select

from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.store.models import Household

RED, YELLOW, GREEN = "红", "黄", "绿"
COLOURS = (RED, YELLOW, GREEN)
LABELS = {RED: "不放心", YELLOW: "基本放心", GREEN: "放心"}
LABELS_EN = {RED: "worrying", YELLOW: "fairly reassuring", GREEN: "reassuring"}


def colour_of(severities: Sequence[str], monitored_open: bool,
              settings: Mapping[str, float] = DEFAULT_SETTINGS) -> str:
    """One household's colour from its open problems' severities and whether it is a
    监测对象 not yet 风险消除."""
    limit = settings.get("red_open_problems", DEFAULT_SETTINGS["red_open_problems"])
    if "high" in severities or (limit > 0 and len(severities) >= limit):
        return RED
    if severities or monitored_open:
        return YELLOW
    return GREEN


def household_colours(conn: Connection, open_problems: Mapping[str, Sequence[str]],
                      settings: Mapping[str, float] = DEFAULT_SETTINGS) -> dict[str, str]:
    """Live household id -> 红 | 黄 | 绿 by the rule in this module's docstring."""
    rows = conn.execute(
        select(Household.id, Household.monitored, Household.risk_eliminated)
        .where(Household.deleted.is_(False)))
    return {
        hid: colour_of(open_problems.get(hid, ()),
                       monitored and not eliminated, settings)
        for hid, monitored, eliminated in rows
    }


def count_colours(colours: Mapping[str, str]) -> dict[str, int]:
    """红/黄/绿 -> number of households, every colour present (for the dashboard)."""
    counts = dict.fromkeys(COLOURS, 0)
    for colour in colours.values():
        counts[colour] += 1
    return counts
