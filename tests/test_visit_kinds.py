"""Visit kinds (issue 12 part 2): a visit records its kind (日常走访, 遍访, 监测核实, 回访) and
the visitor's role; every kind is a contact, a phone-confirmed one is not face to face,
and 遍访率 counts only the 遍访 of the village secretary or 第一书记 — on the dashboard's
figures and in the village report."""

from __future__ import annotations

from datetime import date

import pytest

from fieldvisit.cards.village_report import village_report
from fieldvisit.checklist import installed
from fieldvisit.checklist.settings import DEFAULT_SETTINGS
from fieldvisit.quality import schedule
from fieldvisit.quality.status import last_completed_visits, last_face_to_face, surveyed_since
from fieldvisit.quality.summary import dashboard_data
from fieldvisit.store import Insert
from fieldvisit.visits import visit
from fieldvisit.visits.kinds import VisitKindError

TODAY = date(2026, 11, 10)


def village(store, count: int = 5) -> list[str]:
    place = Insert("village", {"name": "平里河村", "code": "522727100200"})
    homes = [Insert("household", {"village_id": place.id, "code": f"52272710020001000{n}",
                                  "hh_type": "脱贫户"}) for n in range(count)]
    store.write([place, *homes])
    return [home.id for home in homes]


def visited(store, formset, household_id: str, kind: str = "日常走访",
            role: str | None = None, confirmation: str = "户主签字",
            day: date = TODAY) -> str:
    visit_id = visit.start(store, household_id, formset, "王丽", day, kind=kind,
                           visitor_role=role)
    visit.complete(store, visit_id, formset, DEFAULT_SETTINGS, "王丽", confirmation, "户主",
                   day)
    return visit_id


def test_a_visit_keeps_its_kind_and_role(store, formset):
    home, = village(store, 1)
    plain = visit.start(store, home, formset, "王丽", TODAY)
    assert visit.load(store, plain).kind == "日常走访"  # the default
    visit.set_kind(store, plain, "遍访", "第一书记")
    record = visit.load(store, plain)
    assert (record.kind, record.visitor_role) == ("遍访", "第一书记")
    visit.complete(store, plain, formset, DEFAULT_SETTINGS, "王丽", "户主签字", "户主", TODAY)
    with pytest.raises(visit.VisitError):
        visit.set_kind(store, plain, "回访", None)  # a completed visit stays what it was
    corrected = visit.correct(store, plain, "户主签字有误", "王丽", TODAY)
    assert visit.load(store, corrected).kind == "遍访"
    summary = visit.history(store, home)[-1]
    assert (summary.kind, summary.visitor_role) == ("遍访", "第一书记")


def test_unknown_kinds_and_roles_are_refused(store, formset):
    home, = village(store, 1)
    with pytest.raises(VisitKindError) as unknown:
        visit.start(store, home, formset, "王丽", TODAY, kind="电话")
    assert "走访类型" in unknown.value.zh and "kind of visit" in unknown.value.en
    with pytest.raises(VisitKindError):
        visit.start(store, home, formset, "王丽", TODAY, visitor_role="路人")
    with pytest.raises(VisitKindError) as survey:
        visit.start(store, home, formset, "王丽", TODAY, kind="遍访", visitor_role="帮扶责任人")
    assert "村支书或第一书记" in survey.value.zh


def test_what_each_kind_counts_for(store, formset):
    homes = village(store)
    visited(store, formset, homes[0], "日常走访", "帮扶责任人")
    visited(store, formset, homes[1], "遍访", "村支书")
    visited(store, formset, homes[2], "遍访", "第一书记", confirmation="电话确认")
    visited(store, formset, homes[3], "回访", "驻村工作队员", confirmation="电话确认")
    visited(store, formset, homes[4], "遍访", "第一书记", day=date(2025, 12, 1))  # last year
    with store.reading() as conn:
        assert set(last_completed_visits(conn)) == set(homes)  # every kind is a contact
        assert set(last_face_to_face(conn)) == {homes[0], homes[1], homes[4]}
        assert surveyed_since(conn, date(2026, 1, 1)) == {homes[1], homes[2]}
    data = dashboard_data(store, None, TODAY)
    assert data.surveyed == 2
    # contacted this month and met within the quarter: the two phone-confirmed are not
    assert data.covered == 2 and data.by_norm["脱贫户"] == (2, 5)
    due = {d.household_id: d for d in data.due}
    assert due[homes[3]].reason == schedule.IN_PERSON and due[homes[3]].due_on == TODAY
    report = village_report(store, "平里河村", TODAY)
    assert dict(report.coverage)["本年遍访（村支书/第一书记）"] == 2
    assert dict(report.coverage)["按户类别要求已访"] == 2
    assert dict(report.coverage)["累计有走访记录"] == 5


def test_the_visits_workbook_names_each_visits_kind_and_role(store, formset, tmp_path):
    from openpyxl import load_workbook

    from fieldvisit.visits.export import export_visits_xlsx

    homes = village(store, 2)
    visited(store, formset, homes[0], "遍访", "第一书记")
    visited(store, formset, homes[1])
    forms, settings = installed.for_store(store)
    export_visits_xlsx(store, tmp_path / "走访.xlsx", forms, settings, TODAY)
    sheet = load_workbook(tmp_path / "走访.xlsx")["走访记录"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    kind, role = header.index("走访类型"), header.index("走访人身份")
    assert sorted((row[kind], row[role]) for row in rows) == [("日常走访", None),
                                                               ("遍访", "第一书记")]
