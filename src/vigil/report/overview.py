"""What a workspace holds, per platform, per account and per triage label: the figures `vigil demo` prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from vigil.store import schema
from vigil.store.deletions import deleted_posts
from vigil.store.engine import Workspace

WATCHED_LABELS = ("plea", "farewell", "attack", "casualties", "missing", "shortage", "evacuation", "ceasefire")


@dataclass
class AccountLine:
    """One account: who, where, how many posts, first and last post time (UTC ISO)."""

    uid: str
    platform: str
    handle: str | None
    name: str | None
    posts: int
    first: str | None
    last: str | None


@dataclass
class Overview:
    """Posts per platform and kind, accounts by activity, labels and priorities when triage has run."""

    posts: int = 0
    account_count: int = 0
    by_platform: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_lang: dict[str, int] = field(default_factory=dict)
    accounts: list[AccountLine] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    priorities: dict[str, int] = field(default_factory=dict)
    triaged: int = 0
    deleted: int = 0
    edited: int = 0
    first_post: str | None = None
    last_post: str | None = None


def overview(ws: Workspace, top_accounts: int = 12) -> Overview:
    """Read the figures from the store (labels counted only from posts that triage has seen)."""
    p, a = schema.posts.c, schema.accounts.c
    ov = Overview()
    ov.deleted = len(deleted_posts(ws))  # as the watch, stats, export and digest count them
    with ws.engine.connect() as conn:
        ov.posts = conn.execute(sa.select(sa.func.count()).select_from(schema.posts)).scalar_one()
        ov.account_count = conn.execute(sa.select(sa.func.count()).select_from(schema.accounts)).scalar_one()
        ov.by_platform = _grouped(conn, p.platform)
        ov.by_kind = _grouped(conn, p.kind)
        ov.by_lang = _grouped(conn, sa.func.coalesce(p.lang, "?"))
        ov.priorities = _grouped(conn, p.priority, p.priority.is_not(None))
        ov.edited = conn.execute(sa.select(sa.func.count()).where(p.versions > 1)).scalar_one()
        span = sa.select(sa.func.min(p.created_at), sa.func.max(p.created_at))
        ov.first_post, ov.last_post = conn.execute(span).one()
        ov.triaged = conn.execute(sa.select(sa.func.count()).where(p.enrichment.is_not(None))).scalar_one()
        labels: Counter[str] = Counter()
        for (value,) in conn.execute(sa.select(p.labels).where(p.labels.is_not(None))):
            labels.update(value.split())
        ov.labels = dict(labels.most_common())
        n = sa.func.count(p.pk).label("n")
        rows = conn.execute(
            sa.select(a.uid, a.platform, a.handle, a.name, n, sa.func.min(p.created_at), sa.func.max(p.created_at))
            .join(schema.posts, p.account_uid == a.uid)
            .group_by(a.uid)
            .order_by(n.desc(), a.uid)
            .limit(top_accounts)
        )
        ov.accounts = [AccountLine(*row) for row in rows]
    return ov


def _grouped(conn: sa.Connection, column: sa.ColumnElement[object], *where: sa.ColumnElement[bool]) -> dict[str, int]:
    stmt = sa.select(column, sa.func.count()).where(*where).group_by(column).order_by(sa.func.count().desc())
    return {str(k): int(v) for k, v in conn.execute(stmt).all()}
