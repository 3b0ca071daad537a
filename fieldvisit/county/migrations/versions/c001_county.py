"""County tables: devices, received bundles, conflicts; and an index on the journal for
return bundles (a village's changes after a seq), which laptops do not need.

Revision ID: c001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "c001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "county_device",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("village", sa.String(12), nullable=False),
        sa.Column("cadre", sa.String(64), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("activation_key", sa.String(64), nullable=False),
        sa.Column("public_key", sa.String(64)),
        sa.Column("acked", sa.Integer, nullable=False),
        sa.Column("return_seq", sa.Integer, nullable=False),
        sa.Column("last_created", sa.String(48), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("enrolled_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "county_bundle",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("bundle_id", sa.String(32), index=True),
        sa.Column("device", sa.String(32)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("header", sa.Text, nullable=False),
        sa.Column("changes", sa.Integer, nullable=False),
        sa.Column("conflicts", sa.Integer, nullable=False),
    )
    op.create_table(
        "county_conflict",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("village", sa.String(12), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(32), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("base", sa.Text),
        sa.Column("candidates", sa.Text, nullable=False),
        sa.Column("winner", sa.Text),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("decided_at", sa.DateTime),
    )
    op.create_index("ix_journal_scope_seq", "journal", ["scope", "seq"])
    op.create_index("ix_journal_entity_field", "journal", ["entity_id", "field"])


def downgrade() -> None:
    op.drop_index("ix_journal_entity_field", "journal")
    op.drop_index("ix_journal_scope_seq", "journal")
    op.drop_table("county_conflict")
    op.drop_table("county_bundle")
    op.drop_table("county_device")
