"""Member search keys: stored pinyin and initials, backfilled for existing members.

Search as you type must not compute pinyin for 100,000 names at start, so the keys are
kept with each member and written whenever a name is.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from fieldvisit.names import pinyin_keys

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("name_pinyin", sa.String(200), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("name_initials", sa.String(64), nullable=False,
                                   server_default=""))
    conn = op.get_bind()
    member = sa.table("member", sa.column("id"), sa.column("name"),
                      sa.column("name_pinyin"), sa.column("name_initials"))
    rows = conn.execute(sa.select(member.c.id, member.c.name)).all()
    keys = []
    for member_id, name in rows:
        full, initials = pinyin_keys(name or "")
        keys.append({"_id": member_id, "p": full, "i": initials})
    if keys:
        conn.execute(
            member.update().where(member.c.id == sa.bindparam("_id"))
            .values(name_pinyin=sa.bindparam("p"), name_initials=sa.bindparam("i")),
            keys,
        )


def downgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.drop_column("name_initials")
        batch.drop_column("name_pinyin")
