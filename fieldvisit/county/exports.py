"""The console's Excel exports (报表), per scope, with a streaming writer.

``county.xlsxstream`` writes each row into the sheet as it comes, so a 100,000-person
roster never sits in memory as cells; rows are read from the database village by village
of the scope. ID numbers and 户编号 are text cells (Excel never mangles them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from fieldvisit.county.scope import Scope
from fieldvisit.county.xlsxstream import write_xlsx
from fieldvisit.monitoring import cases as monitor_cases
from fieldvisit.roster.membership import CURRENT
from fieldvisit.store import Store
from fieldvisit.store.models import Household, Member, Problem, Village, Visit

ROSTER = ("户编号", "行政村", "村代码", "户类型", "是否监测对象", "监测对象类别", "风险类型",
          "姓名", "身份证号", "与户主关系", "性别", "出生日期", "健康状况", "联系电话")
CASES = ("户编号", "户主", "行政村", "程序", "状态", "线索来源", "风险类型", "立案日期",
         "办结日期", "监测对象类别", "已办步骤")
LEDGER = ("户编号", "行政村", "发现日期", "类别", "严重程度", "问题", "状态", "整改期限", "责任人")
VISITS = ("户编号", "行政村", "走访类型", "走访人", "走访人身份", "开始日期", "完成日期", "状态",
          "确认方式")


def _villages(conn: Connection, scope: Scope) -> dict[str, str]:
    """Village row id → its code and name, in scope."""
    names = scope.villages(conn)
    return {vid: f"{name}" for vid, name in conn.execute(
        select(Village.id, Village.name).where(Village.code.in_(list(names))))} if names else {}


def _roster(conn: Connection, scope: Scope) -> Iterator[Sequence[Any]]:
    """Every current member in scope, by village, 户编号, head first: one query (a loop
    over villages made SQLite scan every member once a village, with no index on
    household.village_id)."""
    villages = _villages(conn, scope)
    if not villages:
        return
    query = (select(Village.name, Village.code, Household.code, Household.hh_type,
                    Household.monitored, Household.monitor_category, Household.risk_types,
                    Member.name, Member.id_number, Member.relation, Member.sex,
                    Member.birth_date, Member.health, Member.phone)
             .join(Household, Household.village_id == Village.id)
             .join(Member, Member.household_id == Household.id)
             .where(Household.deleted.is_(False), CURRENT)
             .order_by(Village.code, Household.code, Member.relation != "户主", Member.id))
    if not scope.is_county:
        query = query.where(Village.id.in_(list(villages)))
    for (v_name, v_code, code, hh_type, monitored, category, risks, name, id_number,
         relation, sex, born, health, phone) in conn.execute(query):
        yield (code, v_name, v_code or "", hh_type, "是" if monitored else "否",
               category or "", risks or "", name, id_number or "", relation or "", sex or "",
               born.isoformat() if born else "", health or "", phone or "")


def _cases(conn: Connection, scope: Scope) -> Iterator[Sequence[Any]]:
    for vid, name in _villages(conn, scope).items():
        for view in monitor_cases.cases(conn, village_id=vid):
            yield (view.household_code, view.head, name, view.kind, view.shown_status,
                   view.source or "", view.risk_types or "", view.opened_on.isoformat(),
                   view.closed_on.isoformat() if view.closed_on else "", view.category or "",
                   "、".join(f"{s.step}{'' if s.result == '通过' else '（' + s.result + '）'}"
                            for s in view.steps))


def _ledger(conn: Connection, scope: Scope) -> Iterator[Sequence[Any]]:
    villages = _villages(conn, scope)
    if not villages:
        return
    query = (select(Household.code, Village.name, Problem.opened_on, Problem.category,
                    Problem.severity, Problem.text, Problem.status, Problem.deadline,
                    Problem.responsible)
             .join(Household, Household.village_id == Village.id)
             .join(Problem, Problem.household_id == Household.id)
             .where(Problem.deleted.is_(False))
             .order_by(Village.code, Household.code, Problem.opened_on))
    if not scope.is_county:
        query = query.where(Village.id.in_(list(villages)))
    for code, name, opened, category, severity, text, status, deadline, who in conn.execute(
            query):
        yield (code, name, opened.isoformat(), category, severity, text, status,
               deadline.isoformat() if deadline else "", who or "")


def _visits(conn: Connection, scope: Scope) -> Iterator[Sequence[Any]]:
    villages = _villages(conn, scope)
    if not villages:
        return
    query = (select(Household.code, Village.name, Visit.kind, Visit.cadre, Visit.visitor_role,
                    Visit.started_on, Visit.completed_on, Visit.status, Visit.confirmation)
             .join(Household, Household.village_id == Village.id)
             .join(Visit, Visit.household_id == Household.id)
             .where(Visit.deleted.is_(False))
             .order_by(Village.code, Household.code, Visit.started_on))
    if not scope.is_county:
        query = query.where(Village.id.in_(list(villages)))
    for code, name, kind, cadre, role, started, completed, status, confirmation in \
            conn.execute(query):
        yield (code, name, kind, cadre, role or "", started.isoformat(),
               completed.isoformat() if completed else "", status, confirmation or "")


# name → (sheet title, file stem, header, rows)
EXPORTS: dict[str, tuple[str, str, Sequence[str],
                         Callable[[Connection, Scope], Iterator[Sequence[Any]]]]] = {
    "roster": ("花名册", "花名册", ROSTER, _roster),
    "cases": ("监测程序", "监测程序", CASES, _cases),
    "ledger": ("问题整改台账", "问题整改台账", LEDGER, _ledger),
    "visits": ("走访记录", "走访记录", VISITS, _visits),
}


def write_export(store: Store, scope: Scope, name: str, path: Path) -> int:
    """Write export ``name`` for ``scope`` to ``path``; the number of data rows."""
    title, _stem, header, rows = EXPORTS[name]
    with store.reading() as conn:
        return write_xlsx(path, title, header, rows(conn, scope))
