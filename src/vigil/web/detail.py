"""The post and voice pages' reads: one post with its history and evidence, one voice with its timeline."""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from vigil.store import schema
from vigil.web import audit
from vigil.web.changes import voice_marks
from vigil.web.reads import Row, _columns, _row, attach, html_lang

_TOKENS = re.compile(r"\s+|[^\s]+")


def diff_pieces(old: str, new: str) -> list[tuple[str, str]]:
    """What changed between two texts, word by word: ('same'|'del'|'ins', text) pieces (escaped when rendered)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", "".join(b[j1:j2])))
    return out


@dataclass
class PostPage:
    """Everything the post page shows."""

    post: dict[str, Any]
    lang: str | None
    enrichment: dict[str, Any]
    media: list[Any]
    versions: list[dict[str, Any]]
    captures: list[dict[str, Any]]
    human: list[dict[str, Any]]
    history: list[audit.Entry]
    voice: dict[str, Any] | None
    assignee: str | None
    links: dict[str, str | None] = field(default_factory=dict)


def post_page(conn: sa.Connection, uid: str) -> PostPage | None:
    """One post by uid, or None."""
    p, a, v = schema.posts.c, schema.accounts.c, schema.voices.c
    row = conn.execute(sa.select(schema.posts).where(p.uid == uid)).mappings().first()
    if row is None:
        return None
    post = dict(row)
    voice = None
    if post["account_uid"]:
        vr = conn.execute(
            sa.select(v.id, v.name).join(schema.accounts, a.voice_id == v.id).where(a.uid == post["account_uid"])
        ).first()
        voice = {"id": vr.id, "name": vr.name} if vr else None
    pv = schema.post_versions.c
    versions = [
        dict(r) for r in conn.execute(sa.select(schema.post_versions).where(pv.uid == uid).order_by(pv.n)).mappings()
    ]
    for before, after in zip(versions, versions[1:], strict=False):
        after["diff"] = diff_pieces(before["text"] or "", after["text"] or "")
    pc, c = schema.post_captures.c, schema.captures.c
    caps = [
        dict(r)
        for r in conn.execute(
            sa.select(c.id, c.source, c.format, c.source_sha256, c.started_at, pc.raw_sha256)
            .join(schema.captures, c.id == pc.capture_id)
            .where(pc.uid == uid)
            .order_by(c.id)
        ).mappings()
    ]
    h = schema.human_labels.c
    human = [
        dict(r)
        for r in conn.execute(sa.select(schema.human_labels).where(h.uid == uid).order_by(h.set_at, h.id)).mappings()
    ]
    assignee = conn.execute(
        sa.select(schema.assignments.c.assignee).where(schema.assignments.c.uid == uid)
    ).scalar_one_or_none()
    links = {k: post[k] for k in ("reply_to", "repost_of", "quote_of")}
    return PostPage(
        post,
        html_lang(post["lang"]),
        json.loads(post["enrichment"]) if post["enrichment"] else {},
        json.loads(post["media"]) if post["media"] else [],
        versions,
        caps,
        human,
        audit.entries(conn, target=f"post:{uid}", limit=50),
        voice,
        assignee,
        links,
    )


def related(conn: sa.Connection, uid: str, limit: int = 100) -> dict[str, list[Row]]:
    """The stored replies, reposts and quotes of a post (a scan of the posts: its own page, not the post's)."""
    p = schema.posts.c
    out = {}
    for name, col in (("replies", p.reply_to), ("reposts", p.repost_of), ("quotes", p.quote_of)):
        rows = [
            _row(r) for r in conn.execute(sa.select(*_columns()).where(col == uid).order_by(p.created_at).limit(limit))
        ]
        attach(conn, rows)
        out[name] = rows
    return out


@dataclass
class VoicePage:
    """Everything the voice page shows."""

    voice: dict[str, Any]
    marks: dict[str, Any]
    accounts: list[dict[str, Any]]
    posts: list[Row]
    per_day: list[tuple[date, int]]
    total: int
    deleted: list[Row]
    edited: list[Row]
    history: list[audit.Entry]


def voice_page(conn: sa.Connection, vid: int, limit: int = 200, before: str = "") -> VoicePage | None:
    """One voice: accounts, posts (newest `limit` before a time, shown oldest first), posts per day, changes."""
    v, a, p = schema.voices.c, schema.accounts.c, schema.posts.c
    row = conn.execute(sa.select(schema.voices).where(v.id == vid)).mappings().first()
    if row is None:
        return None
    accounts = [
        dict(r) for r in conn.execute(sa.select(schema.accounts).where(a.voice_id == vid).order_by(a.uid)).mappings()
    ]
    uids = [x["uid"] for x in accounts]
    days: Counter[date] = Counter()
    for (at,) in conn.execute(sa.select(p.created_at).where(p.account_uid.in_(uids), p.created_at.is_not(None))):
        days[date.fromisoformat(at[:10])] += 1
    stmt = sa.select(*_columns()).where(p.account_uid.in_(uids))
    if before:
        stmt = stmt.where(p.created_at < before)
    posts = [_row(r) for r in conn.execute(stmt.order_by(p.created_at.desc()).limit(limit))][::-1]
    deleted = [
        _row(r)
        for r in conn.execute(
            sa.select(*_columns())
            .where(p.account_uid.in_(uids), p.deleted_at.is_not(None))
            .order_by(p.created_at)
            .limit(100)
        )
    ]
    edited = [
        _row(r)
        for r in conn.execute(
            sa.select(*_columns()).where(p.account_uid.in_(uids), p.versions > 1).order_by(p.created_at).limit(100)
        )
    ]
    attach(conn, posts)
    return VoicePage(
        dict(row),
        voice_marks(conn, vid).get(vid, {"inside": None, "acknowledged": None, "muted": False}),
        accounts,
        posts,
        sorted(days.items()),
        sum(days.values()),
        deleted,
        edited,
        audit.entries(conn, target=f"voice:{vid}", limit=50),
    )


def day_chart(per_day: list[tuple[date, int]], width: int = 720, height: int = 120) -> dict[str, Any]:
    """Bars of posts per day as SVG geometry (the template draws it: no inline styles, nothing to escape)."""
    if not per_day:
        return {"bars": [], "width": width, "height": height, "max": 0}
    first, last = per_day[0][0], per_day[-1][0]
    span = (last - first).days + 1
    top = max(n for _, n in per_day)
    step = width / span
    bars = []
    for d, n in per_day:
        h = max(1.0, (height - 20) * n / top)
        bars.append(
            {
                "x": round((d - first).days * step, 1),
                "y": round(height - 16 - h, 1),
                "w": max(1.0, round(step - 1, 1)),
                "h": round(h, 1),
                "day": d.isoformat(),
                "n": n,
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "max": top,
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
