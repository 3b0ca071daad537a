"""Visits, their answers and photos, and the 问题整改 ledger (problems and their steps).

New tables only: existing roster rows are untouched, so an upgrade is instant and a
downgrade drops just what this revision added.

Revision ID: 0003
Revises: 0002
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
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
        "visit",
        *_synced(),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("cadre", sa.String(64), nullable=False),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("completed_on", sa.Date),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("confirmation", sa.String(16)),
        sa.Column("confirmed_by", sa.String(64)),
        sa.Column("form_versions", sa.Text, nullable=False),
        sa.Column("corrects", sa.String(32)),
        sa.Column("correction_reason", sa.Text),
    )
    op.create_index("ix_visit_household", "visit", ["household_id"])
    op.create_table(
        "visit_answer",
        *_synced(),
        sa.Column("visit_id", sa.String(32), sa.ForeignKey("visit.id"), nullable=False),
        sa.Column("form_id", sa.String(64), nullable=False),
        sa.Column("instance", sa.String(32)),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("value", sa.Text),
    )
    op.create_index("ix_visit_answer_visit", "visit_answer", ["visit_id"])
    op.create_table(
        "problem",
        *_synced(),
        sa.Column("household_id", sa.String(32), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("visit_id", sa.String(32), sa.ForeignKey("visit.id")),
        sa.Column("form_id", sa.String(64), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(32)),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("deadline", sa.Date),
        sa.Column("responsible", sa.String(64)),
        sa.Column("opened_on", sa.Date, nullable=False),
    )
    op.create_index("ix_problem_household", "problem", ["household_id"])
    op.create_table(
        "problem_step",
        *_synced(),
        sa.Column("problem_id", sa.String(32), sa.ForeignKey("problem.id"), nullable=False),
        sa.Column("from_status", sa.String(8)),
        sa.Column("to_status", sa.String(8), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
    )
    op.create_index("ix_problem_step_problem", "problem_step", ["problem_id"])
    op.create_table(
        "photo",
        *_synced(),
        sa.Column("visit_id", sa.String(32), sa.ForeignKey("visit.id")),
        sa.Column("problem_step_id", sa.String(32), sa.ForeignKey("problem_step.id")),
        sa.Column("question_id", sa.String(64)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("photo")
    op.drop_index("ix_problem_step_problem", "problem_step")
    op.drop_table("problem_step")
    op.drop_index("ix_problem_household", "problem")
    op.drop_table("problem")
    op.drop_index("ix_visit_answer_visit", "visit_answer")
    op.drop_table("visit_answer")
    op.drop_index("ix_visit_household", "visit")
    op.drop_table("visit")
