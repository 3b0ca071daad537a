"""Crash-safe writes: the destination is either the old file or the new one."""

from __future__ import annotations

import pytest

from fieldvisit.files import replacing


def test_a_finished_write_replaces_the_file(tmp_path):
    target = tmp_path / "花名册.xlsx"
    target.write_text("old")
    with replacing(target) as partial:
        partial.write_text("new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["花名册.xlsx"]


def test_a_write_that_fails_leaves_the_old_file_and_no_part_file(tmp_path):
    target = tmp_path / "导出.xlsx"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target) as partial:
        partial.write_text("half")
        raise RuntimeError("power lost")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["导出.xlsx"]
