"""tombstones: deletion notices for posts not stored yet

Revision ID: 0004
Revises: 0003

A Jetstream delete or a Twitter delete notice read before its post (a stream started after the post was
written, or the account's export read later) was counted as skipped and lost. It is now kept here, with its
raw payload's SHA-256, and the post is marked deleted at the notice's time when it is stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "tombstones",
        sa.Column("uid", sa.Text(), primary_key=True),
        sa.Column("deleted_at", sa.Text(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("raw_sha256", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    """Revert this revision (the notices go; posts already marked deleted stay so)."""
    op.drop_table("tombstones")
