"""drop the posts indexes no query uses (priority, story, repost_of)

Revision ID: 0002
Revises: 0001

Every new post paid for three more b-trees that nothing reads through: filters on priority scan posts
(low cardinality, export and stats read most rows anyway), story and repost_of are never looked up.
From this revision on, post_versions holds rows only for posts that changed (versions 1..n from the first
change); the version-1 rows of earlier workspaces stay and are read the same way.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_DROPPED = ("priority", "story", "repost_of")


def upgrade() -> None:
    """Apply this revision."""
    for col in _DROPPED:
        op.execute(f"DROP INDEX IF EXISTS ix_posts_{col}")


def downgrade() -> None:
    """Revert this revision (0001 wrote a version-1 row for every post: add the missing ones)."""
    for col in _DROPPED:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_posts_{col} ON posts ({col})")
    op.execute(
        "INSERT OR IGNORE INTO post_versions(uid, n, text, transcript, content_hash, edited_at, capture_id, "
        "captured_at) SELECT p.uid, 1, p.text, p.transcript, p.content_hash, p.edited_at, p.first_capture, "
        "c.started_at FROM posts AS p LEFT JOIN captures AS c ON c.id = p.first_capture WHERE p.versions = 1"
    )
