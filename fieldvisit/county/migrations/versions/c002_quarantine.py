"""Quarantine: stored journal entries that fail the field rules, held out of return
bundles (``fieldvisit.county.quarantine``).

Revision ID: c002
Revises: c001
"""

import sqlalchemy as sa
from alembic import op

revision = "c002"
down_revision = "c001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "county_quarantine",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("village", sa.String(12), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(32), nullable=False),
        sa.Column("field", sa.String(64)),
        sa.Column("origin", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("found_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("county_quarantine")
