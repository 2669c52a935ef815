"""raw payloads as zstd frames with per-format trained dictionaries (payload_dicts)

Revision ID: 0003
Revises: 0002

zlib at level 1 cost ~24 µs a tweet and kept 62 % of its bytes; zstd with a dictionary trained on the format's
own payloads costs ~3-5 µs and keeps ~16 %. New payloads are zstd frames naming their dictionary; the zlib
payloads of earlier revisions stay as they are and are read as zlib (vigil.store.payloads.unpack). Downgrading
turns the zstd payloads back into zlib streams, so 0002 finds only what it wrote.
"""

from __future__ import annotations

import zlib

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "payload_dicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    """Revert this revision: zstd payloads become zlib streams again, then the dictionaries go."""
    from vigil.store.payloads import ZSTD_MAGIC, unpack

    conn = op.get_bind()
    dicts: dict[int, bytes] = {r[0]: r[1] for r in conn.exec_driver_sql("SELECT id, data FROM payload_dicts")}
    rows = conn.exec_driver_sql(
        "SELECT rowid, data FROM raw_payloads WHERE substr(data, 1, 4) = ?", (ZSTD_MAGIC,)
    ).all()
    for rowid, data in rows:
        raw = unpack(data, dicts.get)
        conn.exec_driver_sql("UPDATE raw_payloads SET data = ? WHERE rowid = ?", (zlib.compress(raw, 1), rowid))
    op.drop_table("payload_dicts")
