"""account_events: what sources say about accounts (suspended, deactivated, taken down, deleted, active again)

Revision ID: 0005
Revises: 0004

Jetstream `account` events and twarc2 pages' user errors were skipped, so `gone` came only from deleted posts.
Each status a source gives is now kept here with the raw payload that says it (by SHA-256): one row per account,
status and piece of evidence, so reading the same file again adds nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "account_events",
        sa.Column("account_uid", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("raw_sha256", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("account_uid", "status", "raw_sha256"),
    )


def downgrade() -> None:
    """Revert this revision (the events go; their raw payloads stay, as every payload does)."""
    op.drop_table("account_events")
