"""Deleted posts: marked by a source (Jetstream deletes) or absent from a later complete re-export of their channel."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import sqlalchemy as sa

from vigil.store import schema
from vigil.store.engine import Workspace

_dec = msgspec.json.Decoder()


@dataclass(frozen=True)
class Deleted:
    """A post known to be deleted: when (or the latest moment the export that missed it covers) and how we know."""

    uid: str
    at: str
    how: str  # "source" (a delete event) or "absent" (missing from a later complete capture)
    capture_id: int | None = None


def _scope_keys(conn: sa.Connection) -> dict[str, set[str]]:
    """Every name a scope key may use for an account: its uid, platform:handle and handle."""
    a = schema.accounts.c
    names: dict[str, set[str]] = {}
    for r in conn.execute(sa.select(a.uid, a.platform, a.handle)):
        keys = {r.uid.casefold()}
        if r.handle:
            keys |= {f"{r.platform}:{r.handle}".casefold(), r.handle.casefold().lstrip("@")}
        for k in keys:
            names.setdefault(k, set()).add(r.uid)
    return names


def _scoped_captures(conn: sa.Connection) -> list[tuple[int, set[str]]]:
    """Captures that cover accounts completely: (capture id, account uids), oldest first."""
    c = schema.captures.c
    names = _scope_keys(conn)
    out: list[tuple[int, set[str]]] = []
    for cid, scopes in conn.execute(sa.select(c.id, c.scopes).where(c.scopes.is_not(None)).order_by(c.id)):
        accounts: set[str] = set()
        for s in _dec.decode(scopes):
            accounts |= names.get(str(s.get("key", "")).casefold().lstrip("@"), set())
        if accounts:
            out.append((cid, accounts))
    return out


def absences(ws: Workspace) -> list[Deleted]:
    """Posts a complete capture of their account saw, that a later complete capture of it no longer has."""
    p, pc = schema.posts.c, schema.post_captures.c
    found: dict[str, Deleted] = {}
    with ws.engine.connect() as conn:
        scoped = _scoped_captures(conn)
        if len(scoped) < 2:
            return []
        seen: dict[int, set[str]] = {}
        covers: dict[int, str | None] = {}
        posts_of: dict[str, tuple[str, str | None]] = {}
        for cid, accounts in scoped:
            rows = conn.execute(
                sa.select(p.uid, p.account_uid, p.created_at)
                .join(schema.post_captures, pc.uid == p.uid)
                .where(pc.capture_id == cid, p.account_uid.in_(accounts))
            ).all()
            seen[cid] = {r.uid for r in rows}
            covers[cid] = max((r.created_at for r in rows if r.created_at), default=None)
            for r in rows:
                posts_of[r.uid] = (r.account_uid, r.created_at)
        started = dict(conn.execute(sa.select(schema.captures.c.id, schema.captures.c.started_at)).all())
    for i, (cid, accounts) in enumerate(scoped):
        earlier = set().union(*(seen[c] for c, acc in scoped[:i] if acc & accounts))
        later = set().union(*(seen[c] for c, acc in scoped[i + 1 :] if acc & accounts))
        for uid in earlier - seen[cid] - later:
            account, created = posts_of[uid]
            cover = covers[cid]
            if account not in accounts or uid in found or (created and cover and created > cover):
                continue
            found[uid] = Deleted(uid, cover or started[cid], "absent", cid)
    return list(found.values())


def deleted_posts(ws: Workspace, as_of: str | None = None) -> dict[str, Deleted]:
    """Every post known deleted by as_of: source deletes first, then absences from later complete captures."""
    p = schema.posts.c
    out: dict[str, Deleted] = {}
    with ws.engine.connect() as conn:
        for uid, at in conn.execute(sa.select(p.uid, p.deleted_at).where(p.deleted_at.is_not(None))):
            out[uid] = Deleted(uid, at, "source")
    for d in absences(ws):
        out.setdefault(d.uid, d)
    if as_of:
        out = {k: d for k, d in out.items() if d.at <= as_of}
    return out
