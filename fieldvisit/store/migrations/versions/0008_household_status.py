"""Household status as the national system keeps it: 户类型 (脱贫户 / 一般农户) apart from
是否监测对象 and 监测对象类别, so a 脱贫户 that is also a 突发严重困难户 keeps both; and
致贫原因 (``poverty_cause``) apart from 风险类型, with ``risk_other`` saying what 其他 is;
and ``note``, the cadre's remarks on the household.

Until 0007 one ``hh_type`` held either a 户类型 or a category. The data is mapped in
place: 脱贫不稳定户 → 脱贫户 + monitored; 边缘易致贫户 → 一般农户 + monitored; 突发严重困难户 →
monitored with 户类型 一般农户 (a 脱贫户 among them had already lost that status: the
cadre corrects it); 一般户 → 一般农户. Every laptop and the county run this mapping on
their own and get the same rows, so nothing goes through the journal (as in 0007).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CATEGORIES = {"脱贫不稳定户": "脱贫户", "边缘易致贫户": "一般农户", "突发严重困难户": "一般农户"}


def upgrade() -> None:
    # NOT NULL needs a default for the rows already there (the models have none).
    op.add_column("household", sa.Column("monitored", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    op.add_column("household", sa.Column("monitor_category", sa.String(16)))
    op.add_column("household", sa.Column("risk_other", sa.String(100)))
    op.add_column("household", sa.Column("poverty_cause", sa.String(80)))
    op.add_column("household", sa.Column("note", sa.Text()))
    household = sa.table("household", sa.column("hh_type", sa.String),
                         sa.column("monitored", sa.Boolean),
                         sa.column("monitor_category", sa.String))
    for category, kind in _CATEGORIES.items():
        op.execute(household.update().where(household.c.hh_type == category).values(
            hh_type=kind, monitored=True, monitor_category=category))
    op.execute(household.update().where(household.c.hh_type == "一般户")
               .values(hh_type="一般农户"))


def downgrade() -> None:
    household = sa.table("household", sa.column("hh_type", sa.String),
                         sa.column("monitored", sa.Boolean),
                         sa.column("monitor_category", sa.String))
    op.execute(household.update().where(household.c.hh_type == "一般农户")
               .values(hh_type="一般户"))
    for category in _CATEGORIES:
        op.execute(household.update().where(household.c.monitored.is_(True),
                                            household.c.monitor_category == category)
                   .values(hh_type=category))
    for name in ("note", "poverty_cause", "risk_other", "monitor_category", "monitored"):
        op.drop_column("household", name)
