"""Members have a lifecycle (自然增减): ``member.joined_on``/``joined_reason`` say when
and how a person came into the household (新生, 婚入, 迁入, 分户, 合户), and
``left_on``/``left_reason``/``left_note`` when and why they left it (死亡, 婚出, 迁出,
分户, 合户; ``fieldvisit.roster.membership``). A person is never deleted, only ended:
``member.deleted`` stays for rows entered by mistake.

Five nullable columns, and no backfill: every member on an upgraded store is a current
member of unknown joining date, which is what the roster says. Each laptop and the county
run this migration on their own, so a backfill through the journal would conflict at the
county, and one around it would leave the parties different.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: SQLite (3.35 and later) adds and drops a column in
# place, where a batch would copy the member table.

def upgrade() -> None:
    op.add_column("member", sa.Column("joined_on", sa.Date()))
    op.add_column("member", sa.Column("joined_reason", sa.String(16)))
    op.add_column("member", sa.Column("left_on", sa.Date()))
    op.add_column("member", sa.Column("left_reason", sa.String(16)))
    op.add_column("member", sa.Column("left_note", sa.Text()))


def downgrade() -> None:
    for name in ("left_note", "left_reason", "left_on", "joined_reason", "joined_on"):
        op.drop_column("member", name)
