"""captures.status: running, complete, interrupted or failed

Revision ID: 0013
Revises: 0012

A capture's row is written when its ingest starts and its counts at every commit, so the row says what is
stored even when the ingest never reaches its end. `status` says how it ended: `running` while it writes (or
after the process was killed, until the next ingest marks it `interrupted`), `complete`, `interrupted` (Ctrl-C,
a kill) or `failed` (an error stopped it). Captures made before this revision are `complete` when they have an
end time, else `interrupted`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("captures") as batch:
        batch.add_column(sa.Column("status", sa.Text, nullable=False, server_default="complete"))
    op.execute("UPDATE captures SET status = 'interrupted' WHERE ended_at IS NULL")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("captures") as batch:
        batch.drop_column("status")
