"""Sync: the journal says where each change came from (origin) and, on the county
server, which village it belongs to (scope).

Two nullable columns: existing entries are this store's own edits (origin NULL), which
is exactly what they are, so nothing is rewritten and the upgrade is instant.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.add_column(sa.Column("origin", sa.String(64)))
        batch.add_column(sa.Column("scope", sa.String(12)))


def downgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.drop_column("scope")
        batch.drop_column("origin")
