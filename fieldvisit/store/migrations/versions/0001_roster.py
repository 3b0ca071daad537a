"""Roster: administrative areas, households, members, meta and the change journal.

Revision ID: 0001
Revises:
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _synced() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("rev", sa.String(48), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "county",
        *_synced(),
        sa.Column("code", sa.String(6), unique=True),
        sa.Column("name", sa.String(64), nullable=False),
    )
    op.create_table(
        "township",
        *_synced(),
        sa.Column("county_id", sa.String(32), sa.ForeignKey("county.id")),
        sa.Column("code", sa.String(9), unique=True),
        sa.Column("name", sa.String(64), nullable=False),
    )
    op.create_table(
        "village",
        *_synced(),
        sa.Column("township_id", sa.String(32), sa.ForeignKey("township.id")),
        sa.Column("code", sa.String(12), unique=True),
        sa.Column("name", sa.String(64), nullable=False),
    )
    op.create_table(
        "village_group",
        *_synced(),
        sa.Column("village_id", sa.String(32), sa.ForeignKey("village.id"), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
    )
    op.create_table(
        "household",
        *_synced(),
        sa.Column("village_id", sa.String(32), sa.ForeignKey("village.id"), nullable=False),
        sa.Column("group_id", sa.String(32), sa.ForeignKey("village_group.id")),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("address", sa.String(200)),
        sa.Column("hh_type", sa.String(16), nullable=False),
        sa.Column("risk_types", sa.String(80)),
        sa.Column("risk_eliminated", sa.Boolean),
        sa.Column("identified_on", sa.Date),
        sa.Column("risk_eliminated_on", sa.Date),
        sa.Column("helper_name", sa.String(32)),
        sa.Column("helper_unit", sa.String(100)),
        sa.Column("helper_phone", sa.String(20)),
    )
    op.create_table(
        "member",
        *_synced(),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("person_code", sa.String(32)),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("id_number", sa.String(18)),
        sa.Column("relation", sa.String(16)),
        sa.Column("sex", sa.String(2)),
        sa.Column("birth_date", sa.Date),
        sa.Column("ethnicity", sa.String(16)),
        sa.Column("education", sa.String(16)),
        sa.Column("schooling", sa.String(24)),
        sa.Column("health", sa.String(16)),
        sa.Column("disability_cert", sa.String(20)),
        sa.Column("labour_skill", sa.String(24)),
        sa.Column("employment", sa.String(40)),
        sa.Column("resident_insurance", sa.Boolean),
        sa.Column("employee_insurance", sa.Boolean),
        sa.Column("serious_illness_insurance", sa.Boolean),
        sa.Column("phone", sa.String(20)),
    )
    op.create_index("ix_member_household", "member", ["household_id"])
    op.create_index("ix_member_id_number", "member", ["id_number"])
    op.create_table(
        "journal",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("clock", sa.String(48), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(32), nullable=False),
        sa.Column("field", sa.String(64)),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
    )


def downgrade() -> None:
    for table in ("journal", "member", "household", "village_group", "village", "township",
                  "county", "meta"):
        op.drop_table(table)
