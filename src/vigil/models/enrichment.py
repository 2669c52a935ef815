"""Stored posts for models: read their text, and merge model results into the enrichment JSON (other keys kept)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import sqlalchemy as sa

from vigil.records import Post
from vigil.store import schema
from vigil.store.engine import Workspace

_dec = msgspec.json.Decoder()
_enc = msgspec.json.Encoder()
CHUNK = 500


def text_of(post: Post) -> str:
    """What a model reads of a post: its text, else its title and transcript."""
    if post.text.strip():
        return post.text
    return " ".join(x for x in (post.title, post.transcript) if x)


def iter_stored(ws: Workspace, batch: int = 2000) -> Iterator[list[tuple[int, Post]]]:
    """Stored posts as (pk, Post), a batch at a time (the triage engineer's reader)."""
    from vigil.store.enrichment import iter_stored_posts

    yield from iter_stored_posts(ws, batch)


def merge_models(ws: Workspace, results: dict[int, dict[str, Any]], drop: tuple[str, ...] = ()) -> int:
    """Set enrichment.models[NAME] for each post pk (and remove the `drop` names) in one transaction.

    The enrichment is re-read inside the transaction, so keys other enrichers wrote meanwhile are kept.
    """
    p = schema.posts.c
    pks = list(results)
    changed = 0
    with ws.engine.begin() as conn:
        for i in range(0, len(pks), CHUNK):
            part = pks[i : i + CHUNK]
            rows = conn.execute(sa.select(p.pk, p.enrichment).where(p.pk.in_(part))).all()
            updates = []
            for r in rows:
                e: dict[str, Any] = dict(_dec.decode(r.enrichment)) if r.enrichment else {}
                models = dict(e.get("models") or {})
                for name in drop:
                    models.pop(name, None)
                models.update(results[r.pk])
                if models == (e.get("models") or {}):
                    continue
                if models:
                    e["models"] = models
                else:
                    e.pop("models", None)
                updates.append({"b_pk": r.pk, "e": _enc.encode(e).decode() if e else None})
            if updates:
                conn.execute(
                    schema.posts.update()
                    .where(schema.posts.c.pk == sa.bindparam("b_pk"))
                    .values(enrichment=sa.bindparam("e")),
                    updates,
                )
                changed += len(updates)
    return changed


def forget_model(ws: Workspace, name: str) -> int:
    """Remove a model's results from every stored post; return how many posts changed."""
    p = schema.posts.c
    like = f'%"{name}"%'
    with ws.engine.connect() as conn:
        pks = [r.pk for r in conn.execute(sa.select(p.pk).where(p.enrichment.like(like)))]
    return merge_models(ws, {pk: {} for pk in pks}, drop=(name,))


def texts_of_uids(ws: Workspace, uids: list[str]) -> dict[str, str]:
    """The text a model reads for each stored post of these uids."""
    p = schema.posts.c
    out: dict[str, str] = {}
    with ws.engine.connect() as conn:
        for i in range(0, len(uids), CHUNK):
            rows = conn.execute(sa.select(p.uid, p.text, p.title, p.transcript).where(p.uid.in_(uids[i : i + CHUNK])))
            for r in rows:
                out[r.uid] = text_of(Post(platform="", id="", text=r.text, title=r.title, transcript=r.transcript))
    return out
