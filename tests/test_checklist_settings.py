"""Thresholds as settings: domain defaults, county overrides, problems with their line."""

from __future__ import annotations

import pytest

from fieldvisit.checklist.settings import DEFAULT_SETTINGS, SettingsError, load_settings


def test_defaults_are_the_domain_thresholds():
    assert DEFAULT_SETTINGS["income_line"] == 7300
    assert DEFAULT_SETTINGS["water_litres_rich"] == 35
    assert DEFAULT_SETTINGS["water_litres_short"] == 20
    assert DEFAULT_SETTINGS["water_trip_minutes"] == 20
    assert DEFAULT_SETTINGS["water_distance_m"] == 800
    assert DEFAULT_SETTINGS["water_height_m"] == 80
    assert DEFAULT_SETTINGS["water_outage_days"] == 36
    assert (DEFAULT_SETTINGS["school_age_min"], DEFAULT_SETTINGS["school_age_max"]) == (6, 15)
    assert set(DEFAULT_SETTINGS.types().values()) == {"number"}
    assert load_settings(None) is DEFAULT_SETTINGS


def test_a_county_file_overrides_some_values(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("# 元谋县 2023\nincome_line: 8050\nwater_litres_rich: 40.5\n", "utf-8")
    settings = load_settings(path)
    assert settings["income_line"] == 8050
    assert settings["water_litres_rich"] == 40.5
    assert settings["water_outage_days"] == 36


def test_unknown_names_and_non_numbers_are_all_reported_with_lines(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("income_line: 8050\nincome_lien: 1\nschool_age_max: 十五\n"
                    "water_height_m: true\n", "utf-8")
    with pytest.raises(SettingsError) as raised:
        load_settings(path)
    problems = raised.value.problems
    assert [line for line, _zh, _en in problems] == [2, 3, 4]
    assert "income_lien" in problems[0][1] and "unknown setting" in problems[0][2]
    assert "应为数字" in problems[1][1]
    assert f"{path}:2:" in str(raised.value)


def test_a_settings_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("- income_line\n", "utf-8")
    with pytest.raises(SettingsError, match="mapping"):
        load_settings(path)
