"""lighter indexes: drop the posts indexes no query uses; post_captures keyed by (uid, capture_id)

Revision ID: 0002
Revises: 0001

Every new post paid for three more b-trees that nothing reads through: filters on priority scan posts
(low cardinality, export and stats read most rows anyway), story and repost_of are never looked up.
post_captures had a (capture_id, uid) key and a uid index; one (uid, capture_id) key serves the lookups
by uid and, through posts.account_uid, those of one capture's posts, with one b-tree less per sighting.
From this revision on, post_versions holds rows only for posts that changed (versions 1..n from the first
change); the version-1 rows of earlier workspaces stay and are read the same way.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_DROPPED = ("priority", "story", "repost_of")


def _rebuild_post_captures(key: tuple[str, str]) -> None:
    """Copy post_captures into a table with this primary key (rows keep their order)."""
    op.create_table(
        "post_captures_new",
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        sa.Column("raw_sha256", sa.Text(), nullable=True),
        *[sa.Column(m, sa.BigInteger(), nullable=True) for m in ("likes", "shares", "replies", "quotes", "views")],
        sa.PrimaryKeyConstraint(*key),
    )
    cols = "capture_id, uid, raw_sha256, likes, shares, replies, quotes, views"
    op.execute(f"INSERT INTO post_captures_new({cols}) SELECT {cols} FROM post_captures ORDER BY rowid")  # noqa: S608
    op.drop_table("post_captures")
    op.rename_table("post_captures_new", "post_captures")


def upgrade() -> None:
    """Apply this revision."""
    for col in _DROPPED:
        op.execute(f"DROP INDEX IF EXISTS ix_posts_{col}")
    _rebuild_post_captures(("uid", "capture_id"))


def downgrade() -> None:
    """Revert this revision (0001 wrote a version-1 row for every post: add the missing ones)."""
    for col in _DROPPED:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_posts_{col} ON posts ({col})")
    _rebuild_post_captures(("capture_id", "uid"))
    op.create_index("ix_post_captures_uid", "post_captures", ["uid"], unique=False)
    op.execute(
        "INSERT OR IGNORE INTO post_versions(uid, n, text, transcript, content_hash, edited_at, capture_id, "
        "captured_at) SELECT p.uid, 1, p.text, p.transcript, p.content_hash, p.edited_at, p.first_capture, "
        "c.started_at FROM posts AS p LEFT JOIN captures AS c ON c.id = p.first_capture WHERE p.versions = 1"
    )
