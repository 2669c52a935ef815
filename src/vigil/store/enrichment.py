"""Re-enrich stored posts: read them in key order, batch by batch, and write enrichment back in transactions."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import sqlalchemy as sa

from vigil.records import Post
from vigil.store import schema
from vigil.store.engine import Workspace

_dec = msgspec.json.Decoder()
_enc = msgspec.json.Encoder()
LOOKUP_CHUNK = 500


def stories_of(ws: Workspace, uids: list[str]) -> dict[str, str]:
    """The stored story id of each of these posts that has one."""
    p = schema.posts.c
    out: dict[str, str] = {}
    with ws.engine.connect() as conn:
        for i in range(0, len(uids), LOOKUP_CHUNK):
            rows = conn.execute(sa.select(p.uid, p.story).where(p.uid.in_(uids[i : i + LOOKUP_CHUNK])))
            out.update({r.uid: r.story for r in rows if r.story})
    return out


def iter_stored_posts(ws: Workspace, batch: int = 2000) -> Iterator[list[tuple[int, Post]]]:
    """Stored posts as (pk, Post) in key order, a batch at a time (keyset pages: no long read transaction)."""
    p = schema.posts.c
    cols = (
        p.pk,
        p.platform,
        p.native_id,
        p.kind,
        p.text,
        p.title,
        p.transcript,
        p.lang,
        p.repost_of,
        p.quote_of,
        p.enrichment,
    )
    last = 0
    while True:
        with ws.engine.connect() as conn:
            rows = conn.execute(sa.select(*cols).where(p.pk > last).order_by(p.pk).limit(batch)).all()
        if not rows:
            return
        out = []
        for r in rows:
            post = Post(
                platform=r.platform,
                id=r.native_id,
                kind=r.kind,
                text=r.text,
                title=r.title,
                transcript=r.transcript,
                lang=r.lang,
                repost_of=r.repost_of,
                quote_of=r.quote_of,
            )
            post.enrichment = dict(_dec.decode(r.enrichment)) if r.enrichment else {}
            out.append((r.pk, post))
        yield out
        last = rows[-1].pk


def write_enrichment(ws: Workspace, items: list[tuple[int, Post]]) -> int:
    """Store each post's enrichment (and its labels, priority and story columns) in one transaction."""
    if not items:
        return 0
    rows = []
    for pk, post in items:
        e = post.enrichment
        labels = e.get("labels")
        rows.append(
            {
                "b_pk": pk,
                "labels": " ".join(labels) if isinstance(labels, list) and labels else None,
                "priority": e.get("priority"),
                "story": e.get("story"),
                "enrichment": _enc.encode(e).decode() if e else None,
            }
        )
    p = schema.posts
    stmt = (
        p.update()
        .where(p.c.pk == sa.bindparam("b_pk"))
        .values(
            labels=sa.bindparam("labels"),
            priority=sa.bindparam("priority"),
            story=sa.bindparam("story"),
            enrichment=sa.bindparam("enrichment"),
        )
    )
    with ws.engine.begin() as conn:
        conn.execute(stmt, rows)
    return len(rows)
