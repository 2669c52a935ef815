"""Write one capture: posts (new, changed or unchanged), versions, raw payloads, accounts and deletions."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any, NamedTuple, cast

import msgspec
import sqlalchemy as sa

from vigil import __version__
from vigil.ingest.prepare import (
    COL,
    ENRICHMENT_COLUMNS,
    LOOKUP_CHUNK,
    METRICS,
    POST_COLUMNS,
    Known,
    PreparedPost,
    content_hash,
    enrichment_values,
    prepare_posts,
    row_post,
    split,
)
from vigil.ingest.storylinks import StoryLinks
from vigil.records import AccountStatus, Deletion, HandleChange, Post, Problem, Record, Scope, Skipped, iso_z, now_iso
from vigil.store import schema
from vigil.store.account_events import AccountEvents, write_handle_change
from vigil.store.counts import CaptureCounts, Tally
from vigil.store.engine import Workspace, begin_immediate
from vigil.store.payloads import INSERT_PAYLOAD, Packer, keep_payload
from vigil.text.normalise import search_text
from vigil.watch.voices import add_voices

__all__ = ["METRICS", "CaptureCounts", "CaptureWriter", "content_hash"]

MAX_ERRORS_KEPT = 200
ACCOUNTS_REMEMBERED = 50_000  # author rows this capture upserted, so a repeated author costs no statement
_json = msgspec.json.Encoder()

Enrich = Callable[[list[Post]], None]
# pk NULL: SQLite gives each new row max(pk) + 1, so a batch's rows get consecutive pks and the prepared rows are
# bound as they are (no per-row tuple). {cid} is the capture id, an integer this writer holds.
_INSERT_POST = (
    f"INSERT INTO posts(pk, first_capture, last_capture, versions, {', '.join(POST_COLUMNS)}) "  # noqa: S608
    f"VALUES (NULL, {{cid}}, {{cid}}, 1, {', '.join('?' * len(POST_COLUMNS))})"
)
# A new post's full-text row and first sighting are copied from its stored row inside SQLite.
# the index reads each text normalised (Arabic words stemmed: `normalise.search_text`), the snippets the text itself
_FTS_OF_NEW = (
    "INSERT INTO posts_fts(rowid, text, transcript)"
    " SELECT pk, vigil_search_text(text), vigil_search_text(transcript) FROM posts WHERE pk >= ?"
)
_SIGHTINGS_OF_NEW = (
    f"INSERT OR IGNORE INTO post_captures(capture_id, uid, raw_sha256, {', '.join(METRICS)}) "  # noqa: S608
    f"SELECT first_capture, uid, raw_sha256, {', '.join(METRICS)} FROM posts WHERE pk >= ?"
)
_UPSERT_ACCOUNT = (
    "INSERT INTO accounts(uid, platform, native_id, handle, name, bio, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(uid) DO UPDATE SET handle = coalesce(excluded.handle, handle), "
    "name = coalesce(excluded.name, name), bio = coalesce(excluded.bio, bio), updated_at = excluded.updated_at "
    "WHERE coalesce(excluded.handle, handle) IS NOT handle OR coalesce(excluded.name, name) IS NOT name "
    "OR coalesce(excluded.bio, bio) IS NOT bio"
)
_INSERT_CAPTURE = (
    f"INSERT OR IGNORE INTO post_captures(capture_id, uid, raw_sha256, {', '.join(METRICS)}) "  # noqa: S608
    f"VALUES (?, ?, ?, {', '.join('?' * len(METRICS))})"
)
_METRIC_AT = [COL[m] for m in METRICS]
_METRIC_SLICE = slice(_METRIC_AT[0], _METRIC_AT[-1] + 1)
if POST_COLUMNS[_METRIC_SLICE] != METRICS:  # _write_posts slices them out of a row
    raise ImportError("vigil.ingest.prepare.POST_COLUMNS must keep the metrics together")
# While a capture writes, SQLite checkpoints the WAL every ~40 MB instead of every 4 MB (its default, restored
# at the end): the hot index pages are then copied into the database once per checkpoint, not once per batch.
WAL_PAGES_WHILE_WRITING = 10_000
WAL_PAGES_DEFAULT = 1000
COMMIT_SECONDS = 5.0  # a capture that groups batches still commits at least this often (others see progress)
# After a commit in the middle of a capture the writer waits this long before taking the write lock again, so a
# short writer in another process (a label, a voice link) gets its turn: SQLite's busy handler polls every 100 ms.
DOOR_SECONDS = 0.1
_KEEP_FIRST_VERSION = (
    "INSERT OR IGNORE INTO post_versions(uid, n, text, transcript, content_hash, edited_at, capture_id, captured_at) "
    "SELECT p.uid, 1, p.text, p.transcript, p.content_hash, p.edited_at, p.first_capture, c.started_at "
    "FROM posts AS p LEFT JOIN captures AS c ON c.id = p.first_capture WHERE p.pk = ?"
)


_APPLY_TOMBSTONES = (
    "UPDATE posts SET deleted_at = (SELECT t.deleted_at FROM tombstones AS t WHERE t.uid = posts.uid) "
    "WHERE pk >= ? AND deleted_at IS NULL AND uid IN (SELECT uid FROM tombstones)"
)


class _Old(NamedTuple):
    pk: int
    raw_sha256: str | None
    content_hash: str
    versions: int
    metrics: tuple[int | None, ...]
    here: bool  # this capture already recorded the post (a copy met again in the same source)


class CaptureWriter:
    """Records one ingest run as a capture and writes its records batch by batch, a transaction each."""

    def __init__(
        self,
        ws: Workspace,
        source: str,
        fmt: str,
        sha256: str | None,
        size: int | None,
        enrich: Enrich | None = None,
        packer: Packer | None = None,
        commit_rows: int = 0,
    ) -> None:
        self.ws = ws
        self.commit_rows = commit_rows  # commit once this many posts are written since the last commit (0: each batch)
        self._rows = 0  # posts written since the last commit
        self._group: tuple[sa.Connection, sa.RootTransaction] | None = None
        self._since = 0.0
        self.enrich = enrich
        self.pack = (packer or Packer(None)).pack
        self._known: Known | None = None
        self._accounts: dict[str, list[Any]] = {}
        self._links = StoryLinks()
        self.counts = CaptureCounts()
        self._kept = Tally.of(self.counts)  # the counts of what is committed
        self.started = now_iso()
        with ws.engine.begin() as conn:
            self._tombstones = conn.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM tombstones)").scalar_one() == 1
            self.capture_id: int = conn.execute(
                schema.captures.insert().values(
                    source=source,
                    format=fmt,
                    source_sha256=sha256,
                    source_size=size,
                    started_at=self.started,
                    vigil_version=__version__,
                    status="running",
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        self._statuses = AccountEvents(self.capture_id, self.started, self.pack)

    def problem(self, problem: Problem) -> None:
        """Count a bad record and keep its message."""
        self.counts.failed += 1
        if len(self.counts.errors) < MAX_ERRORS_KEPT:
            self.counts.errors.append(str(problem))

    def write(self, records: list[Record]) -> None:
        """Prepare and write a batch of records (see write_prepared)."""
        posts, others = split(records)
        if self._known is None:
            self._known = Known(str(self.ws.db_path))
        try:
            prepared = prepare_posts(posts, self._known, self.enrich, self.pack)
        except BaseException:  # an enricher that cannot start: the batches already written stay
            self.commit()
            raise
        self.write_prepared(prepared, others)

    def write_prepared(self, prepared: list[PreparedPost], others: list[Record]) -> None:
        """Write prepared posts (see vigil.ingest.prepare) and the other records of a batch: all or nothing.

        Batches share a transaction, committed once commit_rows posts are written (or COMMIT_SECONDS passed) and at
        finish; a batch that fails is undone alone, and the batches before it are committed.
        """
        rest: list[Record] = []
        for rec in others:
            if isinstance(rec, Problem):
                self.problem(rec)
            elif isinstance(rec, Skipped):
                self.counts.skipped += 1
            elif isinstance(rec, Scope):
                self.counts.scopes.append({"kind": rec.kind, "key": rec.key})
            else:
                rest.append(rec)
        conn = self._begin()
        before = Tally.of(self.counts)
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("SAVEPOINT batch")
        try:
            if prepared:
                self._write_posts(conn, cur, prepared)
            self._write_others(conn, rest)
        except BaseException:
            self._undo_batch(cur, before)
            raise
        cur.execute("RELEASE batch")
        cur.close()
        self._rows += len(prepared)
        if self._rows >= self.commit_rows or time.monotonic() - self._since >= COMMIT_SECONDS:
            self.commit()
            time.sleep(DOOR_SECONDS)

    def _begin(self) -> sa.Connection:
        """The connection of the open transaction, which batches share until commit()."""
        if self._group is None:
            conn = self.ws.engine.connect()
            tx = conn.begin()
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES_WHILE_WRITING}")
            # A batch's SAVEPOINT keeps the pages it changes again in a sub-journal; in memory (the workspace's
            # temp_store) that grew the process by ~50 MB over 1M tweets, in a temporary file it stays flat.
            raw.execute("PRAGMA temp_store=FILE")
            # Explicit (a batch's SAVEPOINT must not be the outermost) and IMMEDIATE: locked before the first read, a
            # write cannot fail at once with "database is locked" on a snapshot another process made stale.
            begin_immediate(raw)
            self._group = (conn, tx)
            self._rows = 0
            self._since = time.monotonic()
        return self._group[0]

    def _undo_batch(self, cur: sqlite3.Cursor, before: Tally) -> None:
        """Undo a failed batch and commit the batches before it (unless SQLite already rolled everything back)."""
        try:
            cur.execute("ROLLBACK TO batch")
            cur.execute("RELEASE batch")
        except sqlite3.Error:
            self._end(keep=False)
        else:
            before.restore(self.counts)
            self._end(keep=True)
        finally:
            cur.close()

    def commit(self) -> None:
        """Commit the batches written so far (a capture commits every commit_rows posts, and at finish)."""
        self._end(keep=True)

    def _end(self, keep: bool) -> None:
        """Commit (or roll back) the open transaction and hand its connection back to the pool."""
        if self._group is None:
            return
        conn, tx = self._group
        self._group = None
        raw = conn.connection.driver_connection
        assert raw is not None
        try:
            if keep:
                add_voices(conn, bios=False)  # readers see every committed account with its voice
                self._record_counts(raw)  # the capture's row says what this commit stores, no more
                tx.commit()
                self._kept = Tally.of(self.counts)
            else:
                tx.rollback()
                self._kept.restore(self.counts)
            raw.execute("PRAGMA temp_store=MEMORY")  # the pooled connection as the workspace opens it
        finally:
            conn.close()

    def _record_counts(self, raw: sqlite3.Connection, **more: object) -> None:
        """Write the capture's counts (and more columns) into its row, inside the open transaction."""
        c = self.counts
        values: dict[str, object] = {
            "new": c.new,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "skipped": c.skipped,
            "failed": c.failed,
            "errors": _json.encode(c.errors).decode() if c.errors else None,
            "scopes": _json.encode(c.scopes).decode() if c.scopes else None,
            **more,
        }
        sets = ", ".join(f"{k} = ?" for k in values)
        raw.execute(f"UPDATE captures SET {sets} WHERE id = ?", (*values.values(), self.capture_id))  # noqa: S608

    def _write_others(self, conn: sa.Connection, rest: list[Record]) -> None:
        for rec in rest:
            if isinstance(rec, Deletion):
                self._delete(conn, rec)
            elif isinstance(rec, AccountStatus):
                self._statuses.write(conn, rec, self.counts)
            elif isinstance(rec, HandleChange):
                self._accounts.pop(rec.account_uid, None)
                write_handle_change(conn, rec, now_iso())

    def close(self) -> None:
        """Commit what is written and release the lookup connection of the in-process path."""
        self.commit()
        if self._known is not None:
            self._known.close()
            self._known = None

    def _existing(self, cur: sqlite3.Cursor, uids: list[str]) -> dict[str, _Old]:
        found: dict[str, _Old] = {}
        cols = ", ".join(f"p.{m}" for m in METRICS)
        for i in range(0, len(uids), LOOKUP_CHUNK):
            chunk = uids[i : i + LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = (
                f"SELECT p.uid, p.pk, p.raw_sha256, p.content_hash, p.versions, {cols}, "  # noqa: S608
                "c.capture_id IS NOT NULL FROM posts AS p "
                f"LEFT JOIN post_captures AS c ON c.uid = p.uid AND c.capture_id = ? WHERE p.uid IN ({marks})"
            )
            for r in cur.execute(sql, [self.capture_id, *chunk]):
                found[r[0]] = _Old(r[1], r[2], r[3], r[4], tuple(r[5:-1]), bool(r[-1]))
        return found

    @staticmethod
    def _seen_before(cur: sqlite3.Cursor, changed: list[tuple[PreparedPost, _Old]]) -> set[str]:
        """Uids whose incoming raw payload, or earlier text, a previous capture already recorded."""
        stale: set[str] = set()
        step = LOOKUP_CHUNK // 2
        for i in range(0, len(changed), step):
            chunk = changed[i : i + step]
            args = [v for it, _ in chunk for v in (it.uid, it.raw_sha)]
            raw_pairs = " OR ".join(["(uid = ? AND raw_sha256 = ?)"] * len(chunk))
            sql = f"SELECT uid FROM post_captures WHERE {raw_pairs}"  # noqa: S608
            edits = [it for it, old in chunk if it.chash != old.content_hash]
            if edits:
                text_pairs = " OR ".join(["(uid = ? AND content_hash = ?)"] * len(edits))
                sql += f" UNION SELECT uid FROM post_versions WHERE {text_pairs}"  # noqa: S608
                args += [v for it in edits for v in (it.uid, it.chash)]
            stale.update(r[0] for r in cur.execute(sql, args))
        return stale

    def _write_posts(self, conn: sa.Connection, cur: sqlite3.Cursor, prepared: list[PreparedPost]) -> None:
        existing = self._existing(cur, [item.uid for item in prepared])
        fresh: list[PreparedPost] = []
        changed: list[tuple[PreparedPost, _Old]] = []
        seen: list[PreparedPost] = []
        raws: dict[str, tuple[int, bytes]] = {}
        for item in prepared:
            old = existing.get(item.uid)
            if old is not None and old.here and old.raw_sha256 == item.raw_sha:
                continue  # the same copy again in this source (two readers' pages, repeated includes): counted once
            if (old is None or old.raw_sha256 != item.raw_sha) and item.size and item.raw_sha not in raws:
                z = (
                    item.zraw if item.zraw is not None else self.pack(cast(bytes, item.raw))
                )  # raw is set when zraw is not
                raws[item.raw_sha] = (item.size, z)
            if old is None:
                fresh.append(item)
            elif old.raw_sha256 == item.raw_sha:
                seen.append(item)
            else:
                row = item.row
                metrics_same = all(
                    row[at] is None or row[at] == was for at, was in zip(_METRIC_AT, old.metrics, strict=True)
                )
                if item.chash == old.content_hash and metrics_same:
                    seen.append(item)
                else:
                    changed.append((item, old))
        if changed:  # an older export read again is history already kept, not an edit
            stale = self._seen_before(cur, changed)
            seen += [it for it, _ in changed if it.uid in stale]
            changed = [(it, old) for it, old in changed if it.uid not in stale]
        self.counts.new += len(fresh)
        self.counts.updated += len(changed)
        self.counts.unchanged += len(seen)
        late = [it for it in fresh if not it.ready]
        late += [it for it, old in changed if not it.ready and it.chash != old.content_hash]
        if late and self.enrich:  # the producer could not foresee these (another writer in between)
            posts = [row_post(it.row) for it in late]
            self.enrich(posts)
            for it, post in zip(late, posts, strict=True):
                it.row[COL["labels"] :] = enrichment_values(post.enrichment)
        if raws:
            cur.executemany(INSERT_PAYLOAD, [(sha, size, z) for sha, (size, z) in raws.items()])
        self._upsert_accounts(cur, [*fresh, *seen, *(it for it, _ in changed)])
        self._insert_fresh(cur, fresh)
        self._update_changed(conn, cur, changed)
        cid, ms = self.capture_id, _METRIC_SLICE
        again = [*seen, *(it for it, _ in changed)]  # not the copies this capture recorded already
        cur.executemany(_INSERT_CAPTURE, [(cid, it.uid, it.raw_sha, *it.row[ms]) for it in again])

    def _upsert_accounts(self, cur: sqlite3.Cursor, prepared: list[PreparedPost]) -> None:
        """Upsert the authors of a batch, skipping those this capture already wrote with the same values."""
        accounts: dict[str, list[Any]] = {}
        for item in prepared:
            acc = item.account
            if acc is None:
                continue
            prev = accounts.get(acc[0])
            if prev is None:
                accounts[acc[0]] = acc
            elif prev != acc:  # a later post without a bio or name must not drop an earlier one's
                accounts[acc[0]] = [a if a is not None else b for a, b in zip(acc, prev, strict=True)]
        written = self._accounts
        todo = [acc for uid, acc in accounts.items() if written.get(uid) != acc]
        if not todo:
            return
        cur.executemany(_UPSERT_ACCOUNT, [(*acc, self.started) for acc in todo])
        if len(written) + len(todo) > ACCOUNTS_REMEMBERED:
            written.clear()
        for acc in todo:
            written[acc[0]] = acc

    def _insert_fresh(self, cur: sqlite3.Cursor, fresh: list[PreparedPost]) -> None:
        """New posts and their full-text rows; a first version lives in posts until the post changes."""
        if not fresh:
            return
        start = cur.execute("SELECT coalesce(max(pk), 0) FROM posts").fetchone()[0] + 1
        cur.executemany(_INSERT_POST.format(cid=int(self.capture_id)), [it.row for it in fresh])
        last = cur.execute("SELECT max(pk) FROM posts").fetchone()[0]
        if last != start + len(fresh) - 1:  # only another writer inside this transaction could break the sequence
            raise RuntimeError(f"posts: expected pks {start}..{start + len(fresh) - 1}, the last is {last}")
        cur.execute(_FTS_OF_NEW, (start,))
        cur.execute(_SIGHTINGS_OF_NEW, (start,))
        self._links.after_insert(cur, start, fresh)
        if self._tombstones:  # a deletion notice came before the post
            cur.execute(_APPLY_TOMBSTONES, (start,))

    def _update_changed(
        self, conn: sa.Connection, cur: sqlite3.Cursor, changed: list[tuple[PreparedPost, _Old]]
    ) -> None:
        for item, old in changed:
            row: dict[str, Any] = dict(zip(POST_COLUMNS, item.row, strict=True))
            row["last_capture"] = self.capture_id
            for m, was in zip(METRICS, old.metrics, strict=True):  # a capture without a figure keeps the last one
                if row[m] is None:
                    row[m] = was
            if row["media"] is None:  # nor does a capture that shows no media drop the media known
                row.pop("media")
            if row["enrichment"] is None:
                for k in ENRICHMENT_COLUMNS:
                    row.pop(k)
            if row.get("deleted_at") is None:
                row.pop("deleted_at")
            if item.chash != old.content_hash:
                row["versions"] = old.versions + 1
                if old.versions == 1:  # version 1 is still only the posts row (older workspaces have its row)
                    cur.execute(_KEEP_FIRST_VERSION, (old.pk,))
                cur.execute(
                    "INSERT OR IGNORE INTO post_versions(uid, n, text, transcript, content_hash, edited_at, capture_id,"
                    " captured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (item.uid, old.versions + 1, row["text"], row["transcript"], item.chash, row["edited_at"],
                     self.capture_id, self.started),
                )  # fmt: skip
                before = cur.execute("SELECT text, transcript FROM posts WHERE pk = ?", (old.pk,)).fetchone()
                cur.execute(
                    "INSERT INTO posts_fts(posts_fts, rowid, text, transcript) VALUES ('delete', ?, ?, ?)",
                    (old.pk, *map(search_text, before)),
                )
                cur.execute(
                    "INSERT INTO posts_fts(rowid, text, transcript) VALUES (?, ?, ?)",
                    (old.pk, search_text(row["text"]), search_text(row["transcript"])),
                )
            else:
                for k in ("text", "transcript", "title", "content_hash"):
                    row.pop(k)
            conn.execute(schema.posts.update().where(schema.posts.c.pk == old.pk).values(**row))

    def _delete(self, conn: sa.Connection, rec: Deletion) -> None:
        p = schema.posts.c
        at = iso_z(rec.at) or self.started
        res = conn.execute(schema.posts.update().where(p.uid == rec.uid, p.deleted_at.is_(None)).values(deleted_at=at))
        if res.rowcount:
            self.counts.updated += 1
            return
        self.counts.skipped += 1
        if conn.execute(sa.select(p.pk).where(p.uid == rec.uid)).first() is not None:
            return  # already marked deleted
        raw_sha = keep_payload(conn, rec.raw, self.pack) if rec.raw else None  # the notice itself is evidence
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO tombstones(uid, deleted_at, capture_id, raw_sha256) VALUES (?, ?, ?, ?)",
            (rec.uid, at, self.capture_id, raw_sha),
        )
        self._tombstones = True

    def finish(self, sha256: str | None = None, size: int | None = None, status: str = "complete") -> CaptureCounts:
        """Close the capture with its counts, status and end time (and the source's digest if computed meanwhile)."""
        self.close()
        source = {"source_sha256": sha256, "source_size": size} if sha256 is not None else {}
        with self.ws.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            with conn.begin():
                begin_immediate(raw)
                cur = raw.cursor()
                self._links.finish(cur)
                cur.close()
                add_voices(conn)  # and roles and places from bios that came with this capture
                raw.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES_DEFAULT}")  # this commit checkpoints
                self._record_counts(raw, ended_at=now_iso(), status=status, **source)
        return self.counts
