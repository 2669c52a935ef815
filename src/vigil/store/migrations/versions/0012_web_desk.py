"""the web desk: its users, sessions, login attempts, audit log, saved filters and assignments

Revision ID: 0012
Revises: 0009

`vigil serve` lets several people work on one workspace: each has an account (a password hash, a role), signs in
to a session (only a hash of the session token is stored), and every change anyone makes is written to the audit
log with who, when, before and after. Login attempts are kept to limit guessing. No existing table changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "web_users",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_sha256", sa.Text, primary_key=True),
        sa.Column("user", sa.Text, nullable=False, index=True),
        sa.Column("csrf", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("expires_at", sa.Text, nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("client", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False, index=True),
        sa.Column("ok", sa.Integer, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("target", sa.Text, nullable=False, index=True),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
    )
    op.create_table(
        "saved_filters",
        sa.Column("user", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_table(
        "assignments",
        sa.Column("uid", sa.Text, primary_key=True),
        sa.Column("assignee", sa.Text, nullable=False, index=True),
        sa.Column("assigned_by", sa.Text, nullable=False),
        sa.Column("assigned_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Revert this revision."""
    for name in ("assignments", "saved_filters", "audit_log", "login_attempts", "web_sessions", "web_users"):
        op.drop_table(name)
