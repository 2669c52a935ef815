"""Tables of the store, as SQLAlchemy Core metadata (the migrations in store/migrations create them)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

captures = sa.Table(
    "captures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("format", sa.Text),
    sa.Column("source_sha256", sa.Text),
    sa.Column("source_size", sa.BigInteger),
    sa.Column("started_at", sa.Text, nullable=False),
    sa.Column("ended_at", sa.Text),
    sa.Column("vigil_version", sa.Text, nullable=False),
    sa.Column("new", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated", sa.Integer, nullable=False, server_default="0"),
    sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
    sa.Column("skipped", sa.Integer, nullable=False, server_default="0"),
    sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("errors", sa.Text),
    sa.Column("scopes", sa.Text),
    sa.Column("status", sa.Text, nullable=False, server_default="complete"),  # running, complete, interrupted, failed
)

raw_payloads = sa.Table(
    "raw_payloads",
    metadata,
    sa.Column("sha256", sa.Text, primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

payload_dicts = sa.Table(
    "payload_dicts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # the zstd dictionary ID frames name
    sa.Column("format", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("samples", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
)

voices = sa.Table(
    "voices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("role", sa.Text),
    sa.Column("place", sa.Text),
    sa.Column("manual", sa.Text),
    sa.Column("created_at", sa.Text),
    sa.Column("location", sa.Text),  # inside, outside, or NULL (unknown: inferred when read)
    sa.Column("location_by", sa.Text),
    sa.Column("location_at", sa.Text),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("uid", sa.Text, primary_key=True),
    sa.Column("platform", sa.Text, nullable=False),
    sa.Column("native_id", sa.Text, nullable=False),
    sa.Column("handle", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("bio", sa.Text),
    sa.Column("voice_id", sa.Integer, sa.ForeignKey("voices.id"), index=True),
    sa.Column("updated_at", sa.Text),
)

posts = sa.Table(
    "posts",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True),
    sa.Column("uid", sa.Text, nullable=False, unique=True),
    sa.Column("platform", sa.Text, nullable=False),
    sa.Column("native_id", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("account_uid", sa.Text),
    sa.Column("author_handle", sa.Text),
    sa.Column("author_name", sa.Text),
    sa.Column("created_at", sa.Text, index=True),
    sa.Column("time_quality", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("transcript", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("lang", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("reply_to", sa.Text),
    sa.Column("repost_of", sa.Text),
    sa.Column("quote_of", sa.Text),
    sa.Column("hashtags", sa.Text),
    sa.Column("mentions", sa.Text),
    sa.Column("links", sa.Text),
    sa.Column("media", sa.Text),
    sa.Column("likes", sa.BigInteger),
    sa.Column("shares", sa.BigInteger),
    sa.Column("replies", sa.BigInteger),
    sa.Column("quotes", sa.BigInteger),
    sa.Column("views", sa.BigInteger),
    sa.Column("edited_at", sa.Text),
    sa.Column("deleted_at", sa.Text),
    sa.Column("versions", sa.Integer, nullable=False, server_default="1"),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("raw_sha256", sa.Text),
    sa.Column("first_capture", sa.Integer),
    sa.Column("last_capture", sa.Integer),
    sa.Column("labels", sa.Text),
    sa.Column("priority", sa.Text),
    sa.Column("story", sa.Text),
    sa.Column("speaker_voice", sa.Integer),
    sa.Column("enrichment", sa.Text),
    sa.Index("ix_posts_account_time", "account_uid", "created_at"),  # a voice's posts in time order, covered
)

post_versions = sa.Table(
    "post_versions",
    metadata,
    sa.Column("uid", sa.Text, primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("transcript", sa.Text),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("edited_at", sa.Text),
    sa.Column("capture_id", sa.Integer),
    sa.Column("captured_at", sa.Text),
)

post_captures = sa.Table(
    "post_captures",
    metadata,
    sa.Column("capture_id", sa.Integer, nullable=False),
    sa.Column("uid", sa.Text, nullable=False),
    sa.Column("raw_sha256", sa.Text),
    sa.Column("likes", sa.BigInteger),
    sa.Column("shares", sa.BigInteger),
    sa.Column("replies", sa.BigInteger),
    sa.Column("quotes", sa.BigInteger),
    sa.Column("views", sa.BigInteger),
    sa.PrimaryKeyConstraint("uid", "capture_id"),  # one b-tree for lookups by uid and for INSERT OR IGNORE
)

tombstones = sa.Table(  # a deletion notice for a post not stored (yet): applied when the post arrives
    "tombstones",
    metadata,
    sa.Column("uid", sa.Text, primary_key=True),
    sa.Column("deleted_at", sa.Text, nullable=False),
    sa.Column("capture_id", sa.Integer, nullable=False),
    sa.Column("raw_sha256", sa.Text),
)

account_events = sa.Table(  # what a source said about an account, once per account, status and evidence
    "account_events",
    metadata,
    sa.Column("account_uid", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("raw_sha256", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("detail", sa.Text),
    sa.Column("capture_id", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("account_uid", "status", "raw_sha256"),
)

human_labels = sa.Table(
    "human_labels",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uid", sa.Text, nullable=False, index=True),
    sa.Column("task", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("set_by", sa.Text, nullable=False),
    sa.Column("set_at", sa.Text, nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("voice_id", sa.Integer, index=True),
    sa.Column("uid", sa.Text),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("detail", sa.Text),
    sa.Column("key", sa.Text, unique=True),
)

watch_marks = sa.Table(  # a silence acknowledged (kind ack, since its last post) or a voice muted (kind mute)
    "watch_marks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("voice_id", sa.Integer, nullable=False, index=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("since", sa.Text),
    sa.Column("actor", sa.Text),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("lifted_at", sa.Text),
    sa.Column("lifted_by", sa.Text),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("event_id", sa.Integer, primary_key=True),
    sa.Column("sink", sa.Text, primary_key=True),
    sa.Column("delivered_at", sa.Text, nullable=False),
)

# The index holds each text as `vigil_search_text` gives it (Arabic words stemmed, one word for each word); the
# content (snippets) is the posts' own text. Marks are word characters, so a word with harakat stays one word.
FTS_TOKENIZE = "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\""
FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5("
    f"text, transcript, content='posts', content_rowid='pk', {FTS_TOKENIZE})"
)
SEARCH_TEXT_FN = "vigil_search_text"  # the SQL function every connection has: normalise.search_text

# The web desk (`vigil serve`, migration 0012): its accounts, sessions, login attempts, audit log, saved filters
# and who is assigned which post.
web_users = sa.Table(
    "web_users",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
)

web_sessions = sa.Table(  # a session token's SHA-256, never the token itself
    "web_sessions",
    metadata,
    sa.Column("token_sha256", sa.Text, primary_key=True),
    sa.Column("user", sa.Text, nullable=False, index=True),
    sa.Column("csrf", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("expires_at", sa.Text, nullable=False),
)

login_attempts = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("client", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False, index=True),
    sa.Column("ok", sa.Integer, nullable=False),
)

audit_log = sa.Table(  # every change made through the desk or `vigil user`: who, when, before and after (JSON)
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("target", sa.Text, nullable=False, index=True),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
)

saved_filters = sa.Table(
    "saved_filters",
    metadata,
    sa.Column("user", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("uid", sa.Text, primary_key=True),
    sa.Column("assignee", sa.Text, nullable=False, index=True),
    sa.Column("assigned_by", sa.Text, nullable=False),
    sa.Column("assigned_at", sa.Text, nullable=False),
)
