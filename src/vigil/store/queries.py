"""Read the store: filtered posts, full-text search, captures of posts, figures."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from vigil.store import schema
from vigil.store.deletions import deleted_posts
from vigil.store.engine import Workspace
from vigil.text.normalise import search_text

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
    """User words safe for FTS5: phrases and AND/OR/NOT kept, other words quoted; normalised as the index is."""
    out = []
    for tok in _FTS_WORD.findall(search_text(text) or ""):
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
    """Any date or time vigil.dates reads (UTC unless it says otherwise), as a string comparable with stored times."""
    if not value:
        return None
    from vigil.dates import iso_utc, parse_moment

    return iso_utc(parse_moment(value, end=end))


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


def iter_posts(ws: Workspace, f: PostFilter, chunk: int = 2000) -> Iterator[list[sa.RowMapping]]:
    """Matching posts in pages, oldest first; memory stays flat on large stores.

    Each page is its own short read, taken up from the last (created_at, pk) given: an export of every post beside
    an ingest holds no snapshot for minutes, so SQLite keeps checkpointing the WAL the ingest writes. A page sees
    what was committed when it was read.
    """
    p = schema.posts.c
    base = select_posts(dataclasses.replace(f, limit=None))
    left = f.limit or None
    last: tuple[str | None, int] | None = None
    while True:
        stmt = base
        if last is not None:
            at, pk = last
            if at is None:  # posts without a time come first, by pk
                stmt = stmt.where(sa.or_(p.created_at.is_not(None), p.pk > pk))
            else:  # (created_at, pk) > (at, pk): one seek in the created_at index
                stmt = stmt.where(sa.tuple_(p.created_at, p.pk) > sa.tuple_(sa.literal(at), sa.literal(pk)))
        size = min(chunk, left) if left is not None else chunk
        with ws.engine.connect() as conn:
            rows = list(conn.execute(stmt.limit(size)).mappings())
        if rows:
            yield rows
        if len(rows) < size:
            return
        if left is not None:
            left -= len(rows)
            if left <= 0:
                return
        last = (rows[-1]["created_at"], rows[-1]["pk"])


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


# The search rule: BM25 costs ~2 µs a match, so a query matching 150k of 1M posts spent 300+ ms on scores alone.
# A search with no filter ranks the RANK_WINDOW most recently stored matches (highest pk) and counts all matches;
# SearchResults.ranked/.matches say when that happened and `vigil search` prints it. A filtered search ranks every
# match that passes the filters, as before (FTS5 sorts by rank, the join keeps the rows that pass).
RANK_WINDOW = 10_000
# The window pass: BM25 of the newest `window` matches, the best `limit` of them sorted by SQLite (handing 10,000 rows
# to Python cost more than scoring them); (BM25, pk) sorts as FTS5's own rank sort does: ties by pk, oldest first.
# Fewer than `limit` rows: fewer matches than that, so no count. Else a count pass counts every match (the window
# was full if it finds more than `window`), unless the window pass's own BM25 gave the count (one-phrase queries).
_NEWEST = (
    "SELECT score, pk FROM (SELECT bm25(posts_fts, 1.0, 0.6) AS score, rowid AS pk FROM posts_fts"
    " WHERE posts_fts MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY score, pk LIMIT ?"
)
# A one-phrase query's window pass also scores with weights so large that FTS5's term-frequency factor is (to a bit)
# k1 + 1 = 2.2 on every row: that score is -2.2 * IDF, and FTS5's IDF = log((N - n + 0.5) / (n + 0.5)) gives n, the
# number of rows matching the phrase, i.e. the query's matches. FTS5 counted them once for the IDF; a count pass would
# walk (for a prefix: merge) every doclist again. FTS5 clamps the IDF to 1e-6 when n > N/2: then the count pass runs.
# N is FTS5's row count, the first varint of its averages record, read in the same statement (the same snapshot).
_NEWEST_ONE_PHRASE = (
    "SELECT score, pk, idf, (SELECT block FROM posts_fts_data WHERE id = 1) FROM"
    " (SELECT bm25(posts_fts, 1.0, 0.6) AS score, rowid AS pk, bm25(posts_fts, 1e200, 1e200) AS idf FROM posts_fts"
    " WHERE posts_fts MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY score, pk LIMIT ?"
)
_BM25_TF_LIMIT = 2.2  # FTS5's bm25: k1 + 1
_ONE_PHRASE = re.compile(r'"[^"]*"\*?')
_COUNT = "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?"
# A snippet depends only on the query and the row's own text, so the hits' snippets come from a scratch FTS5 table
# (TEMP, same columns and tokenizer as posts_fts) holding just those rows: posts_fts would first merge a prefix
# query's whole doclists again. tests/store/test_search.py compares these snippets with posts_fts's own.
# Like posts_fts, it indexes the normalised text and reads its snippets from a table of the rows' own text.
_SCRATCH_ROWS = "CREATE TEMP TABLE IF NOT EXISTS vigil_search_rows(pk INTEGER PRIMARY KEY, text, transcript)"
_SCRATCH_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vigil_search_hits USING fts5("
    f"text, transcript, content='vigil_search_rows', content_rowid='pk', {schema.FTS_TOKENIZE})"
)
_SCRATCH_CLEAR = (
    "INSERT INTO temp.vigil_search_hits(vigil_search_hits) VALUES ('delete-all')",
    "DELETE FROM temp.vigil_search_rows",
)
_SCRATCH_INSERT = "INSERT INTO temp.vigil_search_hits(rowid, text, transcript) VALUES (?, ?, ?)"
_SCRATCH_INSERT_ROW = "INSERT INTO temp.vigil_search_rows(pk, text, transcript) VALUES (?, ?, ?)"
_SCRATCH_SNIPPETS = (
    "SELECT rowid, snippet(vigil_search_hits, -1, char(2), char(3), '…', 16) FROM temp.vigil_search_hits"
    " WHERE vigil_search_hits MATCH ?"
)


@dataclass
class SearchHit:
    """One ranked search result."""

    row: sa.RowMapping
    snippet: str
    rank: float


class SearchResults(list[SearchHit]):
    """Ranked hits; `ranked` of `matches` when only the most recently stored matches were ranked, else None."""

    def __init__(self, hits: list[SearchHit], ranked: int | None = None, matches: int | None = None) -> None:
        super().__init__(hits)
        self.ranked = ranked
        self.matches = matches


def _has_filters(f: PostFilter) -> bool:
    """Whether the filter narrows the posts beyond the query."""
    return bool(f.since or f.until or f.platforms or f.authors or f.labels or f.priorities)


def _search_filtered(conn: sa.Connection, q: str, f: PostFilter, limit: int) -> list[SearchHit]:
    """FTS5 ranks every match, the join keeps those that pass the filters, snippets for the returned rows only."""
    base = select_posts(PostFilter(**{**f.__dict__, "query": None, "limit": None})).subquery()
    fts = sa.table("posts_fts", sa.column("rowid"))
    snippet: sa.Label[str] = sa.literal_column("snippet(posts_fts, -1, char(2), char(3), '…', 16)").label("snippet")
    rank: sa.Label[float] = sa.literal_column("posts_fts.rank").label("rank")
    stmt = (
        sa.select(base, snippet, rank)
        .select_from(fts.join(base, base.c.pk == fts.c.rowid))
        .where(sa.text("posts_fts MATCH :q AND posts_fts.rank MATCH 'bm25(1.0, 0.6)'").bindparams(q=q))
        .order_by(sa.text("posts_fts.rank"))
        .limit(limit)
    )
    return [SearchHit(r, r["snippet"], r["rank"]) for r in conn.execute(stmt).mappings()]


def _varint(data: bytes) -> int:
    """The SQLite varint at the start of data (FTS5's records use them)."""
    value = 0
    for i, byte in enumerate(data[:9]):
        if i == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            break
    return value


def _matches_from_idf(score: float, averages: bytes | None) -> int | None:
    """The n whose FTS5 IDF gives this `-2.2 * IDF` score, or None when it does not give exactly one n."""
    idf = -score / _BM25_TF_LIMIT
    if not idf > 1e-3 or not averages:  # clamped (n > N/2) or too close to it to tell n apart
        return None
    rows = _varint(averages)
    n = round((rows + 1) / (math.exp(idf) + 1) - 0.5)
    if not 0 < n <= rows:
        return None
    # the same float FTS5 computes for n; n - 1 and n + 1 are ~1/n away, far beyond this tolerance
    again = -(math.log((rows - n + 0.5) / (n + 0.5)) * _BM25_TF_LIMIT)
    return n if abs(again - score) <= 1e-9 * abs(score) else None


def _hits(conn: sa.Connection, q: str, top: list[tuple[int, float]]) -> list[SearchHit]:
    """The posts (as select_posts gives them) and snippets of ranked (pk, rank) pairs."""
    if not top:
        return []
    ids = json.dumps([pk for pk, _ in top])
    in_ids = schema.posts.c.pk.in_(sa.text("SELECT value FROM json_each(:ids)").bindparams(ids=ids))
    rows = {r["pk"]: r for r in conn.execute(select_posts(PostFilter()).order_by(None).where(in_ids)).mappings()}
    cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(_SCRATCH_ROWS)
        cur.execute(_SCRATCH_CREATE)
        for sql in _SCRATCH_CLEAR:
            cur.execute(sql)
        cur.executemany(_SCRATCH_INSERT_ROW, [(r["pk"], r["text"], r["transcript"]) for r in rows.values()])
        norm = [(r["pk"], search_text(r["text"]), search_text(r["transcript"])) for r in rows.values()]
        cur.executemany(_SCRATCH_INSERT, norm)
        snippets = dict(cur.execute(_SCRATCH_SNIPPETS, (q,)).fetchall())
        for sql in _SCRATCH_CLEAR:
            cur.execute(sql)
    finally:
        cur.close()
    return [SearchHit(rows[pk], snippets[pk], rank) for pk, rank in top]


def search(
    ws: Workspace, query: str, f: PostFilter | None = None, limit: int = 20, window: int | None = None
) -> SearchResults:
    """BM25-ranked posts: with no filter, of the newest-stored RANK_WINDOW matches only; chr(2)/chr(3) mark snippets."""
    f = f or PostFilter()
    q = fts_query(query)
    with ws.engine.connect() as conn:
        if _has_filters(f):
            return SearchResults(_search_filtered(conn, q, f, limit))
        window = max(window or RANK_WINDOW, limit)
        one_phrase = _ONE_PHRASE.fullmatch(q) is not None
        cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            rows = cur.execute(_NEWEST_ONE_PHRASE if one_phrase else _NEWEST, (q, window, limit)).fetchall()
            total = _matches_from_idf(rows[0][2], rows[0][3]) if rows and one_phrase else None
            if total is None and len(rows) == limit:  # as many as asked for: the window may be full
                total = int(cur.execute(_COUNT, (q,)).fetchone()[0])
        finally:
            cur.close()
        ranked, matches = (window, total) if total is not None and total > window else (None, None)
        return SearchResults(_hits(conn, q, [(row[1], row[0]) for row in rows]), ranked, matches)


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
        "deleted": len(deleted_posts(ws)),  # a source's delete, or absent from a later complete capture
        "edited": edited,
        "first_post": span[0],
        "last_post": span[1],
        "by_platform": by_platform,
        "by_kind": by_kind,
        "by_priority": by_priority,
    }
