"""Write one capture: posts (new, changed or unchanged), versions, raw payloads, accounts and deletions."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import msgspec
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from vigil import __version__
from vigil.model import Deletion, HandleChange, Post, Problem, Record, Scope, Skipped, iso_z
from vigil.store import schema
from vigil.store.engine import Workspace

METRICS = ("likes", "shares", "replies", "quotes", "views")
LOOKUP_CHUNK = 500
MAX_ERRORS_KEPT = 200
_json = msgspec.json.Encoder()

Enrich = Callable[[list[Post]], None]


def now_iso() -> str:
    """The current UTC time as ISO 8601 with Z."""
    return iso_z(datetime.now(UTC)) or ""


def content_hash(post: Post) -> str:
    """What makes a new version: the text, transcript and title."""
    h = hashlib.sha1(post.text.encode(), usedforsecurity=False)
    h.update(b"\x00" + (post.transcript or "").encode() + b"\x00" + (post.title or "").encode())
    return h.hexdigest()


@dataclass
class CaptureCounts:
    """What a capture did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    scopes: list[dict[str, str]] = field(default_factory=list)

    @property
    def posts(self) -> int:
        """Posts read, whatever became of them."""
        return self.new + self.updated + self.unchanged


def _json_list(values: list[object]) -> str | None:
    return _json.encode(values).decode() if values else None


def _post_row(post: Post, chash: str, raw_sha: str, capture_id: int) -> dict[str, object]:
    e = post.enrichment
    labels = e.get("labels")
    return {
        "uid": post.uid,
        "platform": post.platform,
        "native_id": post.id,
        "kind": post.kind,
        "account_uid": post.author_uid,
        "author_handle": post.author.handle,
        "author_name": post.author.name,
        "created_at": iso_z(post.created_at),
        "time_quality": post.time_quality,
        "text": post.text,
        "transcript": post.transcript,
        "title": post.title,
        "lang": post.lang,
        "url": post.url,
        "reply_to": post.reply_to,
        "repost_of": post.repost_of,
        "quote_of": post.quote_of,
        "hashtags": _json_list(post.hashtags),  # type: ignore[arg-type]
        "mentions": _json_list(post.mentions),  # type: ignore[arg-type]
        "links": _json_list(post.links),  # type: ignore[arg-type]
        "media": _json_list(post.media),  # type: ignore[arg-type]
        **{m: getattr(post.metrics, m) for m in METRICS},
        "edited_at": iso_z(post.edited_at),
        "deleted_at": iso_z(post.deleted_at),
        "content_hash": chash,
        "raw_sha256": raw_sha,
        "last_capture": capture_id,
        "labels": " ".join(labels) if isinstance(labels, list) and labels else None,
        "priority": e.get("priority"),
        "story": e.get("story"),
        "enrichment": _json.encode(e).decode() if e else None,
    }


class CaptureWriter:
    """Records one ingest run as a capture and writes its records batch by batch, a transaction each."""

    def __init__(
        self, ws: Workspace, source: str, fmt: str, sha256: str | None, size: int | None, enrich: Enrich | None = None
    ) -> None:
        self.ws = ws
        self.enrich = enrich
        self.counts = CaptureCounts()
        self.started = now_iso()
        with ws.engine.begin() as conn:
            self.capture_id: int = conn.execute(
                schema.captures.insert().values(
                    source=source,
                    format=fmt,
                    source_sha256=sha256,
                    source_size=size,
                    started_at=self.started,
                    vigil_version=__version__,
                )
            ).inserted_primary_key[0]  # type: ignore[index]

    def problem(self, problem: Problem) -> None:
        """Count a bad record and keep its message."""
        self.counts.failed += 1
        if len(self.counts.errors) < MAX_ERRORS_KEPT:
            self.counts.errors.append(str(problem))

    def write(self, records: list[Record]) -> None:
        """Write a batch of records in one transaction."""
        posts: list[Post] = []
        others: list[Record] = []
        for rec in records:
            if isinstance(rec, Post):
                posts.append(rec)
            elif isinstance(rec, Problem):
                self.problem(rec)
            elif isinstance(rec, Skipped):
                self.counts.skipped += 1
            elif isinstance(rec, Scope):
                self.counts.scopes.append({"kind": rec.kind, "key": rec.key})
            else:
                others.append(rec)
        with self.ws.engine.begin() as conn:
            conn.exec_driver_sql("SELECT 1")
            if posts:
                self._write_posts(conn, posts)
            for rec in others:
                if isinstance(rec, Deletion):
                    self._delete(conn, rec)
                elif isinstance(rec, HandleChange):
                    conn.execute(
                        schema.accounts.update()
                        .where(schema.accounts.c.uid == rec.account_uid)
                        .values(handle=rec.handle, updated_at=iso_z(rec.at) or now_iso())
                    )
                    # posts stored without a handle (a Jetstream post before its identity event) take it
                    conn.execute(
                        schema.posts.update()
                        .where(schema.posts.c.account_uid == rec.account_uid, schema.posts.c.author_handle.is_(None))
                        .values(author_handle=rec.handle)
                    )

    def _existing(self, conn: sa.Connection, uids: list[str]) -> dict[str, sa.Row]:
        p = schema.posts.c
        found: dict[str, sa.Row] = {}
        for i in range(0, len(uids), LOOKUP_CHUNK):
            chunk = uids[i : i + LOOKUP_CHUNK]
            rows = conn.execute(
                sa.select(
                    p.pk,
                    p.uid,
                    p.raw_sha256,
                    p.content_hash,
                    p.text,
                    p.transcript,
                    p.versions,
                    *[p[m] for m in METRICS],
                ).where(p.uid.in_(chunk))
            )
            found.update({r.uid: r for r in rows})
        return found

    def _write_posts(self, conn: sa.Connection, posts: list[Post]) -> None:
        by_uid: dict[str, Post] = {}
        for post in posts:
            by_uid[post.uid] = post  # the last copy in a batch wins
        existing = self._existing(conn, list(by_uid))
        raws: dict[str, bytes] = {}
        fresh: list[tuple[Post, str, str]] = []
        changed: list[tuple[Post, str, str, sa.Row]] = []
        seen: list[tuple[Post, str]] = []
        for uid, post in by_uid.items():
            raw_sha = hashlib.sha256(post.raw).hexdigest()
            raws.setdefault(raw_sha, post.raw)
            old = existing.get(uid)
            if old is None:
                fresh.append((post, raw_sha, content_hash(post)))
            elif old.raw_sha256 == raw_sha:
                self.counts.unchanged += 1
                seen.append((post, raw_sha))
            else:
                chash = content_hash(post)
                metrics_same = all(
                    getattr(post.metrics, m) is None or getattr(post.metrics, m) == old._mapping[m] for m in METRICS
                )
                if chash == old.content_hash and metrics_same:
                    self.counts.unchanged += 1
                    seen.append((post, raw_sha))
                else:
                    changed.append((post, raw_sha, chash, old))
        self.counts.new += len(fresh)
        self.counts.updated += len(changed)
        if self.enrich:
            todo = [p for p, *_ in fresh] + [p for p, _, chash, old in changed if chash != old.content_hash]
            if todo:
                self.enrich(todo)
        self._store_raws(conn, raws)
        self._upsert_accounts(conn, list(by_uid.values()))
        self._insert_fresh(conn, fresh)
        self._update_changed(conn, changed)
        if seen or fresh or changed:
            conn.execute(
                schema.post_captures.insert().prefix_with("OR IGNORE"),
                [
                    {
                        "capture_id": self.capture_id,
                        "uid": p.uid,
                        "raw_sha256": rs,
                        **{m: getattr(p.metrics, m) for m in METRICS},
                    }
                    for p, rs in seen + [(p, rs) for p, rs, _ in fresh] + [(p, rs) for p, rs, _, _ in changed]
                ],
            )

    def _store_raws(self, conn: sa.Connection, raws: dict[str, bytes]) -> None:
        rows = [{"sha256": k, "size": len(v), "data": zlib.compress(v, 1)} for k, v in raws.items() if v]
        if rows:
            conn.execute(schema.raw_payloads.insert().prefix_with("OR IGNORE"), rows)

    def _upsert_accounts(self, conn: sa.Connection, posts: list[Post]) -> None:
        accounts: dict[str, dict[str, object]] = {}
        for post in posts:
            uid = post.author_uid
            if uid is None:
                continue
            a = post.author
            accounts[uid] = {
                "uid": uid,
                "platform": post.platform,
                "native_id": a.id or a.handle,
                "handle": a.handle,
                "name": a.name,
                "bio": a.bio,
                "updated_at": self.started,
            }
        if not accounts:
            return
        stmt = sqlite.insert(schema.accounts)
        ex = stmt.excluded
        acc = schema.accounts.c
        stmt = stmt.on_conflict_do_update(
            index_elements=["uid"],
            set_={
                "handle": sa.func.coalesce(ex.handle, acc.handle),
                "name": sa.func.coalesce(ex.name, acc.name),
                "bio": sa.func.coalesce(ex.bio, acc.bio),
                "updated_at": ex.updated_at,
            },
        )
        conn.execute(stmt, list(accounts.values()))

    def _insert_fresh(self, conn: sa.Connection, fresh: list[tuple[Post, str, str]]) -> None:
        if not fresh:
            return
        start = conn.exec_driver_sql("SELECT coalesce(max(pk), 0) FROM posts").scalar_one() + 1
        rows = []
        for i, (post, raw_sha, chash) in enumerate(fresh):
            row = _post_row(post, chash, raw_sha, self.capture_id)
            row.update(pk=start + i, first_capture=self.capture_id, versions=1)
            rows.append(row)
        conn.execute(schema.posts.insert(), rows)
        conn.execute(
            schema.post_versions.insert(),
            [
                {
                    "uid": p.uid,
                    "n": 1,
                    "text": p.text,
                    "transcript": p.transcript,
                    "content_hash": ch,
                    "edited_at": iso_z(p.edited_at),
                    "capture_id": self.capture_id,
                    "captured_at": self.started,
                }
                for p, _, ch in fresh
            ],
        )
        conn.exec_driver_sql(
            "INSERT INTO posts_fts(rowid, text, transcript) VALUES (?, ?, ?)",
            [(r["pk"], r["text"], r["transcript"]) for r in rows],
        )

    def _update_changed(self, conn: sa.Connection, changed: list[tuple[Post, str, str, sa.Row]]) -> None:
        for post, raw_sha, chash, old in changed:
            row = _post_row(post, chash, raw_sha, self.capture_id)
            for m in METRICS:  # a capture that does not give a figure keeps the last known one
                if row[m] is None:
                    row[m] = old._mapping[m]
            if not post.enrichment:
                for k in ("labels", "priority", "story", "enrichment"):
                    row.pop(k)
            if row.get("deleted_at") is None:
                row.pop("deleted_at")
            if chash != old.content_hash:
                row["versions"] = old.versions + 1
                conn.execute(
                    schema.post_versions.insert().prefix_with("OR IGNORE"),
                    {
                        "uid": post.uid,
                        "n": old.versions + 1,
                        "text": post.text,
                        "transcript": post.transcript,
                        "content_hash": chash,
                        "edited_at": iso_z(post.edited_at),
                        "capture_id": self.capture_id,
                        "captured_at": self.started,
                    },
                )
                conn.exec_driver_sql(
                    "INSERT INTO posts_fts(posts_fts, rowid, text, transcript) VALUES ('delete', ?, ?, ?)",
                    (old.pk, old.text, old.transcript),
                )
                conn.exec_driver_sql(
                    "INSERT INTO posts_fts(rowid, text, transcript) VALUES (?, ?, ?)",
                    (old.pk, post.text, post.transcript),
                )
            else:
                for k in ("text", "transcript", "title", "content_hash"):
                    row.pop(k)
            conn.execute(schema.posts.update().where(schema.posts.c.pk == old.pk).values(**row))

    def _delete(self, conn: sa.Connection, rec: Deletion) -> None:
        p = schema.posts.c
        res = conn.execute(
            schema.posts.update()
            .where(p.uid == rec.uid, p.deleted_at.is_(None))
            .values(deleted_at=iso_z(rec.at) or self.started)
        )
        if res.rowcount:
            self.counts.updated += 1
        else:
            self.counts.skipped += 1

    def finish(self) -> CaptureCounts:
        """Close the capture with its counts and end time."""
        c = self.counts
        with self.ws.engine.begin() as conn:
            conn.execute(
                schema.captures.update()
                .where(schema.captures.c.id == self.capture_id)
                .values(
                    ended_at=now_iso(),
                    new=c.new,
                    updated=c.updated,
                    unchanged=c.unchanged,
                    skipped=c.skipped,
                    failed=c.failed,
                    errors=_json.encode(c.errors).decode() if c.errors else None,
                    scopes=_json.encode(c.scopes).decode() if c.scopes else None,
                )
            )
        return c
