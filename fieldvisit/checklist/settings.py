"""Thresholds the checklists compare answers with, as named settings.

Provinces set their own monitoring line every year and apply the water and schooling
standards with local variations, so no threshold is written into a form or into code:
forms name them with ``setting('income_line')`` and a county overrides the defaults with a
small YAML file (``income_line: 8050``). The defaults are the ones in the domain
reference: the demo county is in Guizhou, whose 2023 tool used 7,300 元.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as TypingLiteral

import yaml

from fieldvisit.errors import FileProblems

Number = int | float

DEFAULTS: dict[str, Number] = {
    "income_line": 7300,  # 元/人/年, monitoring line (Guizhou 2023)
    "water_litres_rich": 35,  # L/person/day, water-rich area (T/CHES 18-2018)
    "water_litres_short": 20,  # L/person/day, water-short area
    "water_trip_minutes": 20,  # one round trip to fetch water
    "water_distance_m": 800,  # horizontal distance to the water source
    "water_height_m": 80,  # vertical distance to the water source
    "water_outage_days": 36,  # cumulative outage or shortfall per year
    "school_age_min": 6,  # compulsory education from (7 where local rules say so)
    "school_age_max": 15,
    # 走访 by household status (quality.schedule): a 监测对象 and a 脱贫户 are contacted
    # every visit_days_* days (any kind of visit) and met face to face (户主签字) at least
    # every in_person_days_*; 一般农户 are covered by the yearly 集中排查, due by the end
    # of screening_month (1-12), not by a visit interval.
    "visit_days_monitored": 30,
    "in_person_days_monitored": 90,
    "visit_days_exited": 30,
    "in_person_days_exited": 90,
    "screening_month": 12,
    "risk_elimination_months": 6,  # income stably above the line this long
    "medical_self_pay_high": 10000,  # 元/年 compliant out-of-pocket: check 医疗救助
    "person_max_age": 110,  # data quality: an older member is a typo to check
    "parent_min_gap_years": 15,  # data quality: a parent at least this much older
    "head_min_age": 16,  # data quality: a younger 户主 is a typo to check
    "red_open_problems": 3,  # colour: this many open problems of any severity -> 红
    "problem_days": 30,  # a problem found on a visit is due for 整改 this many days later
    # 1: whoever recorded a fix may also 验收/销号 it (one-person villages; journaled as
    # such); 0: someone else must
    "same_person_acceptance": 0,
    "publicity_days": 5,  # 村级公示 lasts at least this many days
    "case_target_days": 15,  # a monitoring case's target, first clue to 县级审批
}
# The monitoring line of a given year (income_line_2023: 7300): provinces set one a
# year, and a case is judged by the line of its year; income_line is the current one.
YEAR_LINE = re.compile(r"income_line_(20[0-9]{2})")

# Names older settings files use: read as the setting that holds the value now.
# visit_days_other was the interval of every household not monitored; 脱贫户 keep it,
# 一般农户 moved to the yearly 集中排查 (screening_month).
RENAMED = {"visit_days_other": "visit_days_exited"}

MAX_FILE_BYTES = 64 * 1024


class SettingsError(FileProblems):
    """A settings file that cannot be used, every problem with its line."""


@dataclass(frozen=True)
class Settings(Mapping[str, Number]):
    """Setting name -> value; a read-only mapping so expressions can look values up.

    The field is not called ``values``: that would hide ``Mapping.values()``."""

    by_name: Mapping[str, Number]

    def __getitem__(self, name: str) -> Number:
        return self.by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_name)

    def __len__(self) -> int:
        return len(self.by_name)

    def types(self) -> dict[str, TypingLiteral["number"]]:
        """Every setting's expression type, for ``expr.check``: all thresholds are numbers."""
        return dict.fromkeys(self.by_name, "number")


DEFAULT_SETTINGS = Settings(dict(DEFAULTS))


def load_settings(path: Path | None) -> Settings:
    """The defaults, overridden by the YAML mapping in ``path`` when one is given.

    Unknown names (a typo would otherwise silently keep the default) and values that are
    not numbers are all reported at once, with their line.
    """
    if path is None:
        return DEFAULT_SETTINGS
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SettingsError(path, [(1, "设置文件太大", "the settings file is too large")])
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = error.problem_mark if isinstance(error, yaml.MarkedYAMLError) else None
        line = mark.line + 1 if mark else 1
        raise SettingsError(path, [(line, f"YAML 格式错误：{error}",
                                    f"YAML syntax error: {error}")]) from None
    if root is None:
        return DEFAULT_SETTINGS
    if not isinstance(root, yaml.MappingNode):
        raise SettingsError(path, [(root.start_mark.line + 1, "设置文件应为“名称: 数值”的列表",
                                    "a settings file is a mapping of name: number")])
    values = dict(DEFAULTS)
    problems: list[tuple[int, str, str]] = []
    for key, value in root.value:
        line = key.start_mark.line + 1
        name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
        name = RENAMED.get(name, name)
        number = _number(value)
        if name not in DEFAULTS and not YEAR_LINE.fullmatch(name):
            problems.append((line, f"没有名为“{name}”的设置", f"unknown setting '{name}'"))
        elif number is None:
            problems.append((line, f"设置“{name}”的值应为数字",
                             f"setting '{name}' must be a number"))
        else:
            values[name] = number
    if problems:
        raise SettingsError(path, problems)
    return Settings(values)


def income_line(settings: Mapping[str, Number], year: int) -> Number:
    """The monitoring line of ``year``: its own setting, else the current one."""
    return settings.get(f"income_line_{year}", settings.get("income_line",
                                                            DEFAULTS["income_line"]))


def _number(node: yaml.Node) -> Number | None:
    """The node's value when it is a plain YAML int or float (not a bool, not text)."""
    if isinstance(node, yaml.ScalarNode) and node.tag in (INT_TAG, FLOAT_TAG):
        value = scalar(node)
        if isinstance(value, int | float):  # always, by the tag; narrowed for the type
            return value
    return None


INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def scalar(node: yaml.ScalarNode) -> object:
    """A plain scalar's value (str, int, float, bool, None) by PyYAML's safe rules, without
    constructing anything else: callers have checked the tag is a standard scalar one."""
    return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
