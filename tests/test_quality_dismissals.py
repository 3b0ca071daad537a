"""Data-quality problems checked as 核实无误 (issue 12 part 2): a note is required, the
problem stays listed with its note but leaves every count (summary, village report,
dashboard), and ``fieldvisit quality list|dismiss`` do the same from the command line."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from fieldvisit import idcard
from fieldvisit.cards.village_report import village_report
from fieldvisit.quality import dismissals
from fieldvisit.quality.dismissals import DismissalError
from fieldvisit.quality.summary import quality_problems, quality_review
from fieldvisit.store import Insert, Store
from tests.vaults import laptop

TODAY = date.today()


def valid(first17: str) -> str:
    return first17 + idcard.check_char(first17)


HEAD = valid("52272719800101001")
GRANDMOTHER = valid("52272719050101002")  # born 1905: older than person_max_age
CHILD = valid("52272720100101001")


def roster(store: Store) -> str:
    village = Insert("village", {"name": "平里河村", "code": "522727100200"})
    home = Insert("household", {"village_id": village.id, "code": "522727100200010001",
                                "hh_type": "脱贫户"})
    people = [
        Insert("member", {"household_id": home.id, "name": "王大山", "relation": "户主",
                          "id_number": HEAD}),
        Insert("member", {"household_id": home.id, "name": "李秀英", "relation": None,
                          "id_number": GRANDMOTHER}),
        Insert("member", {"household_id": home.id, "name": "王小", "relation": None,
                          "id_number": CHILD}),
    ]
    store.write([village, home, *people])
    return home.id


def rules_of(problems) -> list[str]:
    return sorted(p.rule for p in problems)


def test_a_dismissed_problem_is_kept_and_shown_but_not_counted(store):
    home = roster(store)
    before, _ = quality_problems(store, None, TODAY)
    assert "too_old" in rules_of(before)
    made = dismissals.dismiss(store, home, "too_old", "本人确为 1905 年生，已查户口本", TODAY,
                              actor="王丽")
    assert len(made) == 1
    after, _ = quality_problems(store, None, TODAY)
    assert rules_of(after) == [r for r in rules_of(before) if r != "too_old"]
    reviewed, _ = quality_review(store, None, TODAY)
    (problem, dismissal), = reviewed.dismissed
    assert problem.rule == "too_old" and dismissal.note.startswith("本人确为")
    assert dismissal.actor == "王丽" and dismissal.field == "birth_date"
    assert [p for p, _d in reviewed.all()] == before  # listed as before, in roster order
    report = village_report(store, "平里河村", TODAY)
    assert "年龄超过上限" not in {row[0] for row in report.quality}
    assert report.dismissed == 1


def test_refusals(store):
    home = roster(store)
    with pytest.raises(DismissalError, match="核实情况"):
        dismissals.dismiss(store, home, "too_old", "  ", TODAY)
    with pytest.raises(DismissalError, match="no data-quality rule"):
        dismissals.dismiss(store, home, "nonsense", "看过了", TODAY)
    with pytest.raises(DismissalError, match="does not flag"):
        dismissals.dismiss(store, home, "no_head", "看过了", TODAY)
    with pytest.raises(DismissalError) as several:
        dismissals.dismiss(store, home, "relation_missing", "看过了", TODAY)
    assert "--member" in several.value.zh and "2 members" in several.value.en
    dismissals.dismiss(store, home, "relation_missing", "外婆，随女儿生活", TODAY,
                       member=GRANDMOTHER)
    with pytest.raises(DismissalError, match="dismissed already"):
        dismissals.dismiss(store, home, "relation_missing", "再核实", TODAY,
                           member=GRANDMOTHER)
    reviewed, _ = quality_review(store, None, TODAY)
    assert [p.rule for p in reviewed.counted].count("relation_missing") == 1  # the other


def test_the_dashboard_lists_a_dismissed_problem_greyed_and_does_not_count_it(qtbot, store):
    from fieldvisit.qt.dashboard import Dashboard
    from fieldvisit.qt.ops import Ops

    home = roster(store)
    dismissals.dismiss(store, home, "too_old", "已查户口本", TODAY, actor="王丽")
    counted, _ = quality_problems(store, None, TODAY)
    board = Dashboard(Ops(store), today=TODAY)
    qtbot.addWidget(board)
    board.show()
    with qtbot.waitSignal(board.quality_loaded, timeout=20_000) as loaded:
        board.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not board.is_loading(), timeout=10_000)
    assert loaded.args == [len(counted) + 1]
    model = board.quality_model
    shown = [[model.data(model.index(r, c)) for c in range(5)] for r in range(model.rowCount())]
    greyed = [row for row in shown if row[3] == "已核实"]
    assert len(greyed) == 1 and "核实无误：已查户口本" in greyed[0][4]
    assert board.quality_status.text().startswith(f"{len(counted)} 个问题")
    assert "另有 1 个经核实无误" in board.quality_status.text()


def test_the_dashboard_dismisses_the_chosen_problem_with_a_note(qtbot, store):
    from fieldvisit.qt.dashboard import Dashboard
    from fieldvisit.qt.ops import Ops

    roster(store)
    board = Dashboard(Ops(store), today=TODAY)
    qtbot.addWidget(board)
    board.show()
    with qtbot.waitSignal(board.quality_loaded, timeout=20_000):
        board.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not board.is_loading(), timeout=10_000)
    assert not board.dismiss_button.isEnabled()  # nothing chosen
    row = next(r for r, (p, _d) in enumerate(board._listed) if p.rule == "too_old")
    board.quality_table.selectRow(row)
    assert board.dismiss_button.isEnabled()
    dialog = board.open_dismiss()
    dialog.accept()  # no note: refused, the dialog stays open with the reason
    assert dialog.isVisible() and "核实情况" in dialog.error.text()
    dialog.note.setPlainText("已查户口本，出生日期属实")
    with qtbot.waitSignal(board.quality_loaded, timeout=20_000):
        dialog.accept()
    qtbot.waitUntil(lambda: not board.is_loading(), timeout=10_000)
    assert not dialog.isVisible()
    (problem, dismissal), = [(p, d) for p, d in board._listed if d is not None]
    assert problem.rule == "too_old" and dismissal.note == "已查户口本，出生日期属实"
    assert "另有 1 个经核实无误" in board.quality_status.text()
    board.quality_table.selectRow(board._listed.index((problem, dismissal)))
    assert not board.dismiss_button.isEnabled()  # found right already


def fieldvisit(folder, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fieldvisit", "--data-dir", str(folder),
                           *args], capture_output=True, text=True, timeout=120)


def test_the_quality_commands(tmp_path):
    store = laptop(tmp_path)
    roster(store)
    store.close()
    listed = fieldvisit(tmp_path, "quality", "list", "--village", "平里河村")
    assert listed.returncode == 0, listed.stderr
    assert "\ttoo_old\t" in listed.stdout and "另有 0 个" in listed.stdout
    refused = fieldvisit(tmp_path, "quality", "dismiss", "522727100200010001", "too_old")
    assert refused.returncode == 2 and "--note" in refused.stderr  # the note is required
    done = fieldvisit(tmp_path, "quality", "dismiss", HEAD, "too_old",
                      "--note", "已查户口本")
    assert done.returncode == 0, done.stderr
    assert "核实无误" in done.stdout
    again = fieldvisit(tmp_path, "quality", "dismiss", "522727100200010001", "too_old",
                       "--note", "再看")
    assert again.returncode == 2 and "dismissed already" in again.stderr
    member = fieldvisit(tmp_path, "quality", "dismiss", "522727100200010001",
                        "relation_missing", "--note", "外婆", "--member", GRANDMOTHER)
    assert member.returncode == 0, member.stderr
    listed = fieldvisit(tmp_path, "quality", "list")
    marked = [line for line in listed.stdout.splitlines() if "核实无误：" in line]
    assert len(marked) == 2 and "另有 2 个经核实无误" in listed.stdout
