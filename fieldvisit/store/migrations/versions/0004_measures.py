"""Measures and policies a household enjoys (帮扶措施 / 享受政策), for the 明白卡.

One new table: existing rows are untouched, so an upgrade is instant and a downgrade
drops just what this revision added.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("rev", sa.String(48), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("amount_yuan", sa.Integer),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("ended_on", sa.Date),
    )
    op.create_index("ix_measure_household", "measure", ["household_id"])


def downgrade() -> None:
    op.drop_index("ix_measure_household", "measure")
    op.drop_table("measure")
