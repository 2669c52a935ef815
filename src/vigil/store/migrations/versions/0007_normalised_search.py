"""search reads normalised text: Arabic words stemmed (إجلاء finds اجلاء, القصف finds قصف), marks inside words

Revision ID: 0007
Revises: 0006

The full-text index is rebuilt: each post's text and transcript go in as `vigil_search_text` gives them (the
SQL function every Vigil connection has: `triage.normalise.search_text`), one word for each word, so snippets
still show and mark the post's own text. The tokenizer keeps combining marks inside words (a word with harakat
was cut at each mark). Downgrade puts back the index of 0001 over the posts' own text.
"""

from __future__ import annotations

from alembic import op

from vigil.text.normalise import search_text

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_OLD_DDL = (
    "CREATE VIRTUAL TABLE posts_fts USING fts5("
    "text, transcript, content='posts', content_rowid='pk', tokenize='unicode61 remove_diacritics 2')"
)
_NEW_DDL = (
    "CREATE VIRTUAL TABLE posts_fts USING fts5(text, transcript, content='posts', content_rowid='pk',"
    " tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")"
)


def _function() -> None:
    """The normaliser as an SQL function on this connection (Vigil's engine adds it; a bare Alembic run may not)."""
    raw = op.get_bind().connection.dbapi_connection
    raw.create_function("vigil_search_text", 1, search_text, deterministic=True)  # type: ignore[union-attr]


def upgrade() -> None:
    """Apply this revision."""
    if op.get_bind().dialect.name != "sqlite":
        return
    _function()
    op.execute("DROP TABLE IF EXISTS posts_fts")
    op.execute(_NEW_DDL)
    op.execute(
        "INSERT INTO posts_fts(rowid, text, transcript)"
        " SELECT pk, vigil_search_text(text), vigil_search_text(transcript) FROM posts"
    )


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS posts_fts")
    op.execute(_OLD_DDL)
    op.execute("INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')")
