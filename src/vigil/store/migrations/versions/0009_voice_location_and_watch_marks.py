"""voices.location (inside, outside or unknown) and watch_marks (silences acknowledged, voices muted)

Revision ID: 0009
Revises: 0007

A voice outside the crisis does not count as at risk when silent, so a desk says where a voice is
(`vigil voice set V --inside|--outside`); `location_by` and `location_at` say who set it and when. A desk that has
seen a silence acknowledges it (`vigil watch --ack V`: the silence that began at `since`, the voice's last post)
or mutes a voice (`--mute V`, until `--unmute V`), so the watch stops repeating it; each mark keeps who and when.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("voices") as batch:
        batch.add_column(sa.Column("location", sa.Text))
        batch.add_column(sa.Column("location_by", sa.Text))
        batch.add_column(sa.Column("location_at", sa.Text))
    op.create_table(
        "watch_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("voice_id", sa.Integer, nullable=False, index=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("since", sa.Text),
        sa.Column("actor", sa.Text),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("lifted_at", sa.Text),
        sa.Column("lifted_by", sa.Text),
    )


def downgrade() -> None:
    """Revert this revision (where voices are is lost; the voices, their accounts and links stay)."""
    op.drop_table("watch_marks")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35, which RETURNING needs too) keeps the table. A batch copy would drop
    # `voices`, which accounts point at: with foreign keys on, SQLite refuses while an account has a voice.
    for column in ("location_at", "location_by", "location"):
        op.drop_column("voices", column)
