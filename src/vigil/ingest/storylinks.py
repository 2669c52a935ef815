"""Reposts, forwards and quotes written in one capture join their original's story once the original is stored.

The worker that enriched a repost may not have seen its original (another worker read it, or it comes later in
the file), so the story id it gave can differ from the original's. The writer sees every post: after each batch
it links the batch's new reposts to originals already stored, and at the end of the capture the ones whose
original came later. Story ids then do not depend on how many workers read the file, nor on its order.
"""

from __future__ import annotations

import sqlite3

import msgspec

from vigil.ingest.prepare import COL, PreparedPost

# json_set rewrites only the story value of the enrichment JSON (the rest stays as the enricher encoded it).
_JOIN = (
    "UPDATE posts SET story = o.story, enrichment = json_set(posts.enrichment, '$.story', o.story) "
    "FROM posts AS o WHERE posts.pk IN (SELECT value FROM json_each(?)) "
    "AND o.uid = coalesce(posts.repost_of, posts.quote_of) "
    "AND o.story IS NOT NULL AND posts.story IS NOT o.story AND posts.enrichment IS NOT NULL"
)
_STORIES = "SELECT uid, story FROM posts WHERE uid IN (SELECT value FROM json_each(?))"
PASSES = 3  # a repost of a quote of a new original needs a second pass; deeper chains in one batch are rare
MAX_WAITING = 500_000  # reposts whose original is not stored yet, remembered for the end of the capture
_REPOST, _QUOTE, _STORY = COL["repost_of"], COL["quote_of"], COL["story"]
_enc = msgspec.json.Encoder()


class StoryLinks:
    """Track a capture's new reposts and quotes, and give them their original's story when it is stored."""

    def __init__(self) -> None:
        self.waiting: dict[int, str] = {}  # pk -> root uid, for reposts whose original was not stored yet
        self.waiting_uids: set[str] = set()

    def after_insert(self, cur: sqlite3.Cursor, start: int, fresh: list[PreparedPost]) -> None:
        """Link the new rows start.. of a batch (enriched ones only) to their stored originals."""
        links: dict[int, tuple[str, str, str]] = {}  # pk -> (uid, root uid, story given)
        uid_at = COL["uid"]
        for i, item in enumerate(fresh):
            row = item.row
            root = row[_REPOST] or row[_QUOTE]
            if root and row[_STORY] is not None:
                links[start + i] = (row[uid_at], root, row[_STORY])
        if not links:
            return
        roots = list({root for _, root, _ in links.values()})
        stories = dict(cur.execute(_STORIES, (_enc.encode(roots),)).fetchall())
        fix: set[str] = set()  # uids whose story changes
        for pk, (uid, root, story) in links.items():
            if root not in stories or root in self.waiting_uids:  # its story may still change
                if len(self.waiting) < MAX_WAITING:
                    self.waiting[pk] = root
                    self.waiting_uids.add(uid)
            elif stories[root] is not None and stories[root] != story:
                fix.add(uid)
        if not fix:
            return
        grew = True
        while grew:  # a repost, in this batch, of a post whose story changes follows it
            more = {uid for uid, root, _ in links.values() if root in fix} - fix
            fix |= more
            grew = bool(more)
        _join(cur, [pk for pk, (uid, _, _) in links.items() if uid in fix])

    def finish(self, cur: sqlite3.Cursor) -> None:
        """Link the reposts whose original came later in the capture."""
        if self.waiting:
            _join(cur, sorted(self.waiting))
        self.waiting.clear()
        self.waiting_uids.clear()


def _join(cur: sqlite3.Cursor, pks: list[int]) -> None:
    arg = (_enc.encode(pks),)
    for _ in range(PASSES):
        if not cur.execute(_JOIN, arg).rowcount:
            break
