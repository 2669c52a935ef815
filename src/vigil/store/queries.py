"""Read the store: filtered posts, full-text search, captures of posts, figures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from vigil.store import schema
from vigil.store.engine import Workspace

_FTS_WORD = re.compile(r'"[^"]*"|\S+')
_FTS_OPERATORS = {"AND", "OR", "NOT"}


@dataclass
class PostFilter:
    """The filters every reading command shares."""

    since: str | None = None
    until: str | None = None
    platforms: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    query: str | None = None
    labels: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    limit: int | None = None


def fts_query(text: str) -> str:
    """Make a user's words safe for FTS5: phrases and AND/OR/NOT kept, every other word quoted."""
    out = []
    for tok in _FTS_WORD.findall(text):
        if tok in _FTS_OPERATORS or (tok.startswith('"') and tok.endswith('"') and len(tok) > 1):
            out.append(tok)
        elif tok.endswith("*") and len(tok) > 1:
            out.append('"' + tok[:-1].replace('"', "") + '"*')
        else:
            out.append('"' + tok.replace('"', "") + '"')
    while out and out[-1] in _FTS_OPERATORS:
        out.pop()
    while out and out[0] in _FTS_OPERATORS - {"NOT"}:
        out.pop(0)
    return " ".join(out) or '""'


def normalize_time_bound(value: str | None, end: bool = False) -> str | None:
    """Accept a date or a datetime; return a string comparable with stored ISO times."""
    if not value:
        return None
    v = value.strip().replace(" ", "T")
    if len(v) == 10:
        return v + ("T23:59:59Z" if end else "T00:00:00Z")
    from vigil.model import iso_z
    from vigil.sources.base import parse_time

    return iso_z(parse_time(v))


def select_posts(f: PostFilter) -> sa.Select[Any]:
    """The posts (with their account) that match a filter, oldest first."""
    p, a = schema.posts.c, schema.accounts.c
    stmt = sa.select(schema.posts, a.native_id.label("author_id"), a.voice_id, a.bio.label("author_bio")).select_from(
        schema.posts.outerjoin(schema.accounts, p.account_uid == a.uid)
    )
    since, until = normalize_time_bound(f.since), normalize_time_bound(f.until, end=True)
    if since:
        stmt = stmt.where(p.created_at >= since)
    if until:
        stmt = stmt.where(p.created_at <= until)
    if f.platforms:
        stmt = stmt.where(p.platform.in_([x.lower() for x in f.platforms]))
    if f.authors:
        keys = [x.lower().lstrip("@") for x in f.authors]
        stmt = stmt.where(sa.or_(sa.func.lower(p.author_handle).in_(keys), sa.func.lower(p.account_uid).in_(keys)))
    if f.labels:
        stmt = stmt.where(sa.or_(*[(" " + p.labels + " ").like(f"% {lab} %") for lab in f.labels]))
    if f.priorities:
        stmt = stmt.where(p.priority.in_(f.priorities))
    if f.query:
        matching = sa.text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH :q").bindparams(q=fts_query(f.query))
        stmt = stmt.where(p.pk.in_(matching))
    stmt = stmt.order_by(p.created_at, p.pk)
    if f.limit:
        stmt = stmt.limit(f.limit)
    return stmt


def iter_posts(ws: Workspace, f: PostFilter, chunk: int = 1000) -> Iterator[list[sa.RowMapping]]:
    """Matching posts in chunks, streamed (memory stays flat on large stores)."""
    with ws.engine.connect() as conn:
        result = conn.execution_options(stream_results=True).execute(select_posts(f))
        while rows := result.mappings().fetchmany(chunk):
            yield list(rows)


def captures_of(ws: Workspace, uids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every capture that saw each post, oldest first."""
    pc, c = schema.post_captures.c, schema.captures.c
    out: dict[str, list[dict[str, Any]]] = {u: [] for u in uids}
    with ws.engine.connect() as conn:
        for i in range(0, len(uids), 500):
            rows = conn.execute(
                sa.select(pc.uid, c.id, c.started_at, c.source)
                .join(schema.captures, c.id == pc.capture_id)
                .where(pc.uid.in_(uids[i : i + 500]))
                .order_by(c.id)
            )
            for r in rows:
                out[r.uid].append({"id": r.id, "at": r.started_at, "source": r.source})
    return out


@dataclass
class SearchHit:
    """One ranked search result."""

    row: sa.RowMapping
    snippet: str
    rank: float


def search(ws: Workspace, query: str, f: PostFilter | None = None, limit: int = 20) -> list[SearchHit]:
    """Full-text search ranked by BM25; in the snippet, matches sit between chr(2) and chr(3)."""
    f = f or PostFilter()
    base = select_posts(PostFilter(**{**f.__dict__, "query": None, "limit": None})).subquery()
    fts = sa.table("posts_fts", sa.column("rowid"))
    snippet: sa.Label[str] = sa.literal_column("snippet(posts_fts, -1, char(2), char(3), '…', 16)").label("snippet")
    # FTS5's own rank column, ordered by FTS5 itself: the snippet is made for the returned rows only
    rank: sa.Label[float] = sa.literal_column("posts_fts.rank").label("rank")
    stmt = (
        sa.select(base, snippet, rank)
        .select_from(fts.join(base, base.c.pk == fts.c.rowid))
        .where(sa.text("posts_fts MATCH :q AND posts_fts.rank MATCH 'bm25(1.0, 0.6)'").bindparams(q=fts_query(query)))
        .order_by(sa.text("posts_fts.rank"))
        .limit(limit)
    )
    with ws.engine.connect() as conn:
        return [SearchHit(r, r["snippet"], r["rank"]) for r in conn.execute(stmt).mappings()]


def stats(ws: Workspace) -> dict[str, Any]:
    """Headline figures of a workspace."""
    p = schema.posts.c
    with ws.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(schema.posts)).scalar_one()
        by_platform: dict[str, int] = dict(
            conn.execute(sa.select(p.platform, sa.func.count()).group_by(p.platform)).all()
        )
        by_kind: dict[str, int] = dict(conn.execute(sa.select(p.kind, sa.func.count()).group_by(p.kind)).all())
        span = conn.execute(sa.select(sa.func.min(p.created_at), sa.func.max(p.created_at))).one()
        accounts = conn.execute(sa.select(sa.func.count()).select_from(schema.accounts)).scalar_one()
        deleted = conn.execute(sa.select(sa.func.count()).where(p.deleted_at.is_not(None))).scalar_one()
        edited = conn.execute(sa.select(sa.func.count()).where(p.versions > 1)).scalar_one()
        caps = conn.execute(sa.select(sa.func.count()).select_from(schema.captures)).scalar_one()
        by_priority: dict[str, int] = dict(
            conn.execute(
                sa.select(p.priority, sa.func.count()).where(p.priority.is_not(None)).group_by(p.priority)
            ).all()
        )
    return {
        "posts": total,
        "accounts": accounts,
        "captures": caps,
        "deleted": deleted,
        "edited": edited,
        "first_post": span[0],
        "last_post": span[1],
        "by_platform": by_platform,
        "by_kind": by_kind,
        "by_priority": by_priority,
    }
