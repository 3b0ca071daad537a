"""A completed visit keeps what it saw: ``visit.snapshot``, a JSON object written once at
completion (the forms as worded, the household and members as judged, the values,
findings and cadre; ``fieldvisit.visits.snapshot``).

One nullable column, and no backfill: visits completed before this revision keep NULL,
and their record says plainly that it was rebuilt from current data. A backfill would
be unsound on three counts. The data at upgrade time is not the data of the visit (the
household may have been edited, the county may have published new form versions since),
so a backfilled snapshot would claim to be evidence it is not. Every laptop and the
county run this migration on their own, each from its own not-yet-synced data: written
through the journal, the same field of the same visit would be set differently by each
party and conflict at the county; written around it, the parties would differ for good.
And a migration that evaluated checklists would run whatever the rules are at upgrade
time, not what they were when it was written.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: SQLite (3.35 and later) adds and drops a column in
# place, where a batch would copy the visit table, which problems and photos reference.

def upgrade() -> None:
    op.add_column("visit", sa.Column("snapshot", sa.JSON(none_as_null=True)))


def downgrade() -> None:
    op.drop_column("visit", "snapshot")
