"""防返贫监测 and the field's registers (issue 12): monitoring cases and their steps, the
帮扶责任人 registry with dated assignments, data-quality problems checked as 核实无误, and
each visit's kind (日常走访 / 遍访 / 监测核实 / 回访) and the visitor's role.

New tables and two visit columns; every existing visit was a 日常走访.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TABLES = ("quality_dismissal", "helper_assignment", "helper", "case_step", "monitor_case")


def _synced() -> list[sa.Column[object]]:
    return [sa.Column("id", sa.String(32), primary_key=True),
            sa.Column("rev", sa.String(48), nullable=False),
            sa.Column("changed_by", sa.String(64), nullable=False),
            sa.Column("deleted", sa.Boolean(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "monitor_case", *_synced(),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("kind", sa.String(4), nullable=False),
        sa.Column("source", sa.String(8)),
        sa.Column("department", sa.String(8)),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date()),
        sa.Column("category", sa.String(16)),
        sa.Column("risk_types", sa.String(80)),
        sa.Column("risk_other", sa.String(100)),
        sa.Column("clue", sa.Text()),
        sa.Column("visit_id", sa.String(32), sa.ForeignKey("visit.id")))
    op.create_index("ix_monitor_case_household", "monitor_case", ["household_id"])
    op.create_table(
        "case_step", *_synced(),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("monitor_case.id"), nullable=False),
        sa.Column("step", sa.String(8), nullable=False),
        sa.Column("result", sa.String(4), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("authorised", sa.Boolean()),
        sa.Column("attendance", sa.Integer()),
        sa.Column("publicity_from", sa.Date()),
        sa.Column("publicity_to", sa.Date()),
        sa.Column("objections", sa.Text()))
    op.create_index("ix_case_step_case", "case_step", ["case_id"])
    op.create_table(
        "helper", *_synced(),
        sa.Column("village_id", sa.String(32), sa.ForeignKey("village.id"), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("unit", sa.String(100)),
        sa.Column("post", sa.String(32)),
        sa.Column("phone", sa.String(20)))
    op.create_table(
        "helper_assignment", *_synced(),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("helper_id", sa.String(32), sa.ForeignKey("helper.id"), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date()))
    op.create_index("ix_helper_assignment_household", "helper_assignment", ["household_id"])
    op.create_table(
        "quality_dismissal", *_synced(),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(32)),
        sa.Column("field", sa.String(64)),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False))
    op.create_index("ix_quality_dismissal_household", "quality_dismissal", ["household_id"])
    op.add_column("visit", sa.Column("kind", sa.String(8), nullable=False,
                                     server_default="日常走访"))
    op.add_column("visit", sa.Column("visitor_role", sa.String(16)))


def downgrade() -> None:
    op.drop_column("visit", "visitor_role")
    op.drop_column("visit", "kind")
    for table in _TABLES:
        op.drop_table(table)
