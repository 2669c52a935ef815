"""What the desk's pages read, on read-only connections (an ingest writing meanwhile is never blocked)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from vigil.store import schema
from vigil.store.engine import DB_NAME, Workspace
from vigil.store.queries import normalize_time_bound
from vigil.store.schema import SEARCH_TEXT_FN
from vigil.text.normalise import search_text
from vigil.triage.labels import LABELS, PRIORITIES

PAGE = 50
PLACE_WINDOW = 5000  # posts naming a place that the place filter looks at, most recently stored first
_LANG_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def read_only(path: Path) -> Workspace:
    """The workspace on connections that cannot write to it (`mode=ro`): pages never write.

    (Not `query_only`: search keeps its snippets' rows in a TEMP table, which is the connection's own.)
    """
    db = path / DB_NAME

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.create_function(SEARCH_TEXT_FN, 1, search_text, deterministic=True)  # as every store connection has
        return conn

    engine = sa.create_engine("sqlite://", creator=connect, poolclass=sa.pool.QueuePool, pool_size=8, max_overflow=8)
    return Workspace(path=path, engine=engine)


def html_lang(lang: str | None) -> str | None:
    """A stored language code fit for an HTML lang attribute, or None ('und', empty, odd characters)."""
    if not lang or lang in ("und", "zxx") or len(lang) > 35 or not set(lang) <= _LANG_OK:
        return None
    return lang


@dataclass
class QueueFilter:
    """The queue's filters, as its form and saved filters give them."""

    label: str = ""
    lang: str = ""
    platform: str = ""
    voice: str = ""
    place: str = ""
    since: str = ""
    until: str = ""
    priority: str = ""
    assignee: str = ""
    unreviewed: bool = False

    @classmethod
    def from_params(cls, params: Any) -> QueueFilter:
        """From a query string (unknown labels and priorities are dropped, not trusted)."""
        values: dict[str, Any] = {k: (params.get(k) or "").strip() for k in cls.__dataclass_fields__}
        f = cls(**{**values, "unreviewed": False})
        f.unreviewed = params.get("unreviewed") in ("1", "on", "true")
        if f.label not in LABELS:
            f.label = ""
        if f.priority not in PRIORITIES:
            f.priority = ""
        return f

    def params(self) -> dict[str, str]:
        """The non-empty filters as query parameters."""
        out = {k: str(v) for k, v in self.__dict__.items() if v and k != "unreviewed"}
        if self.unreviewed:
            out["unreviewed"] = "1"
        return out


@dataclass
class Row:
    """One post as the queue, Now and voice pages list it."""

    uid: str
    pk: int
    platform: str
    author: str
    created_at: str | None
    text: str
    lang: str | None
    labels: list[str]
    priority: str | None
    cues: dict[str, list[str]]
    places: list[str]
    quantities: list[str]
    deleted: bool
    versions: int
    human: dict[str, str] = field(default_factory=dict)
    assignee: str | None = None


def _row(r: Any) -> Row:
    e = json.loads(r.enrichment) if r.enrichment else {}
    return Row(
        r.uid,
        r.pk,
        r.platform,
        r.author_handle or r.author_name or r.account_uid or "",
        r.created_at,
        r.text or r.transcript or r.title or "",
        html_lang(r.lang),
        (r.labels or "").split(),
        r.priority,
        {k: list(v) for k, v in (e.get("cues") or {}).items()},
        [p.get("name", "") for p in e.get("places") or [] if isinstance(p, dict)],
        [q.get("text", "") for q in e.get("quantities") or [] if isinstance(q, dict)],
        r.deleted_at is not None,
        r.versions,
    )


def _columns() -> list[Any]:
    p = schema.posts.c
    return [
        p.pk, p.uid, p.platform, p.author_handle, p.author_name, p.account_uid, p.created_at, p.text, p.transcript,
        p.title, p.lang, p.labels, p.priority, p.enrichment, p.deleted_at, p.versions,
    ]  # fmt: skip


def _where(f: QueueFilter, stmt: sa.Select[Any]) -> sa.Select[Any]:
    p = schema.posts.c
    if f.label:
        stmt = stmt.where((" " + p.labels + " ").like(f"% {f.label} %"))
    if f.lang:
        stmt = stmt.where(p.lang == f.lang)
    if f.platform:
        stmt = stmt.where(p.platform == f.platform.lower())
    if f.voice.isdigit():
        accounts = sa.select(schema.accounts.c.uid).where(schema.accounts.c.voice_id == int(f.voice))
        stmt = stmt.where(p.account_uid.in_(accounts))
    if f.place:
        # No index holds the places triage found, so: the PLACE_WINDOW most recently stored posts whose text has
        # the place's words (the full-text index gives them newest first), then those triage placed there.
        from vigil.store.queries import fts_query

        words = " ".join(f'"{w}"' for w in f.place.replace('"', " ").split())
        named = sa.text(
            "SELECT rowid FROM posts_fts WHERE posts_fts MATCH :place ORDER BY rowid DESC LIMIT :window"
        ).bindparams(place=fts_query(words), window=PLACE_WINDOW)
        escaped = f.place.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('"', "")
        stmt = stmt.where(p.pk.in_(named), p.enrichment.like(f'%"name":"{escaped}"%', escape="\\"))
    if since := normalize_time_bound(f.since or None):
        stmt = stmt.where(p.created_at >= since)
    if until := normalize_time_bound(f.until or None, end=True):
        stmt = stmt.where(p.created_at <= until)
    if f.assignee:
        stmt = stmt.where(
            p.uid.in_(sa.select(schema.assignments.c.uid).where(schema.assignments.c.assignee == f.assignee))
        )
    if f.unreviewed:
        stmt = stmt.where(~p.uid.in_(sa.select(schema.human_labels.c.uid)))
    return stmt


def queue(conn: sa.Connection, f: QueueFilter, after: str = "", limit: int = PAGE) -> tuple[list[Row], str]:
    """Posts by priority (critical first) then newest first; the cursor of the next page ('' at the end).

    Each priority is its own query walking the created_at index backwards: no sort of the whole table.
    """
    p = schema.posts.c
    levels = [f.priority] if f.priority else list(PRIORITIES)
    start_level, at, pk = "", "", 0
    if after.count("|") == 2:
        start_level, at, pk_text = after.split("|")
        pk = int(pk_text) if pk_text.isdigit() else 0
    if start_level in levels:
        levels = levels[levels.index(start_level) :]
    out: list[Row] = []
    for level in levels:
        stmt = _where(f, sa.select(*_columns()).where(p.priority == level))
        if level == start_level and at:
            # `created_at <= at` first: with bound values SQLite takes a range of the index only from a plain bound
            stmt = stmt.where(p.created_at <= at, sa.or_(p.created_at < at, p.pk < pk))
        stmt = stmt.order_by(p.created_at.desc(), p.pk.desc()).limit(limit + 1 - len(out))
        out += [_row(r) for r in conn.execute(stmt)]
        if len(out) > limit:
            break
    more = len(out) > limit
    out = out[:limit]
    attach(conn, out)
    cursor = f"{out[-1].priority}|{out[-1].created_at or ''}|{out[-1].pk}" if more and out else ""
    return out, cursor


def attach(conn: sa.Connection, rows: list[Row]) -> None:
    """Fill each row's latest human labels (by task) and assignee."""
    if not rows:
        return
    by_uid = {r.uid: r for r in rows}
    h, a = schema.human_labels.c, schema.assignments.c
    for r in conn.execute(sa.select(h.uid, h.task, h.label).where(h.uid.in_(list(by_uid))).order_by(h.set_at, h.id)):
        by_uid[r.uid].human[r.task] = r.label
    for uid, assignee in conn.execute(sa.select(a.uid, a.assignee).where(a.uid.in_(list(by_uid)))):
        by_uid[uid].assignee = assignee


def newest(conn: sa.Connection, priorities: tuple[str, ...] = ("critical", "high"), limit: int = 10) -> list[Row]:
    """The newest posts of these priorities."""
    p = schema.posts.c
    stmt = sa.select(*_columns()).where(p.priority.in_(priorities)).order_by(p.created_at.desc()).limit(limit)
    rows = [_row(r) for r in conn.execute(stmt)]
    attach(conn, rows)
    return rows


def captures(conn: sa.Connection, limit: int = 10) -> list[dict[str, Any]]:
    """The latest ingests, running ones (no end time yet) included, with counts and errors."""
    c = schema.captures.c
    out = []
    for r in conn.execute(sa.select(schema.captures).order_by(c.id.desc()).limit(limit)):
        errors = json.loads(r.errors) if r.errors else []
        out.append({**r._mapping, "running": r.ended_at is None, "error_list": errors[:5], "error_count": len(errors)})
    return out


def saved_filters(conn: sa.Connection, user: str) -> list[tuple[str, str]]:
    """A user's saved queue filters: (name, query string)."""
    f = schema.saved_filters.c
    return [(r.name, r.query) for r in conn.execute(sa.select(f.name, f.query).where(f.user == user).order_by(f.name))]


def user_names(conn: sa.Connection) -> list[str]:
    """Every desk account's name (for assigning posts)."""
    u = schema.web_users.c
    return list(conn.execute(sa.select(u.name).order_by(u.name)).scalars())


def facets(conn: sa.Connection) -> dict[str, list[str]]:
    """Platforms and languages for the filter menus (from the accounts and a bounded sample of recent posts)."""
    p = schema.posts.c
    recent = sa.select(p.platform, p.lang).order_by(p.pk.desc()).limit(5000).subquery()
    platforms = sorted(set(conn.execute(sa.select(schema.accounts.c.platform).distinct()).scalars()))
    langs = sorted({x for x in conn.execute(sa.select(recent.c.lang).distinct()).scalars() if x})
    return {"platforms": platforms, "langs": langs}
