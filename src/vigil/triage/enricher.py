"""The triage enricher: runs on every batch of new or changed posts at ingest, and under `vigil triage`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vigil.records import Post
from vigil.text.memo import Memo
from vigil.triage.engine import Triager, post_text
from vigil.triage.stories import story_of_text, story_of_uid

MAX_KNOWN_STORIES = 100_000  # uid -> story of posts seen this run, so reposts find their original's story
MAX_TEXT_STORIES = 50_000  # text -> story of recent texts: copies of one text are fingerprinted once


class TriageEnricher:
    """Labels, cues, priority, eyewitness, informative, places, quantities, story and (when missing) language."""

    name = "triage"
    order = 10

    def __init__(self) -> None:
        self.triager: Triager | None = None
        self.lookup: Any = None
        self.known: Memo[str, str] = Memo(MAX_KNOWN_STORIES)
        self._by_text: Memo[str, str | None] = Memo(MAX_TEXT_STORIES)

    def prepare(self, ws: Any) -> None:
        """Compile the lexicons and gazetteer for this workspace (shipped data plus the workspace's files)."""
        root = Path(ws.path) if ws is not None else None
        self.triager = Triager.for_workspace(root)
        if ws is not None:
            from vigil.store.enrichment import stories_of

            self.lookup = lambda uids: stories_of(ws, uids)

    def enrich(self, posts: list[Post]) -> None:
        """Fill post.enrichment in place."""
        if self.triager is None:
            self.prepare(None)
        assert self.triager is not None
        enrich = self.triager.enrich
        for post in posts:
            text = post.text  # most posts: the text alone (post_text, without the call)
            if post.title or post.transcript or not text:
                text = post_text(text, post.title, post.transcript)
            enrich(post.enrichment, text, post.lang, post.kind)
        self.assign_stories(posts)

    def _story_of_text(self, text: str) -> str | None:
        if text in self._by_text:
            return self._by_text[text]
        return self._by_text.keep(text, story_of_text(text))

    def assign_stories(self, posts: Iterable[Post]) -> None:
        """Reposts, forwards and quotes join their original's story; near-identical texts share one."""
        posts = sorted(posts, key=lambda p: bool(p.repost_of or p.quote_of))  # originals first
        known, by_text = self.known, self._by_text  # (the same dicts, read once: this loop runs for every post)
        if self.lookup is not None:  # a store to ask (not in an ingest worker)
            parents = {p.repost_of or p.quote_of for p in posts} - {None}
            missing = [u for u in parents if u is not None and u not in known]
            if missing:
                known.update(self.lookup(missing))
        for post in posts:
            root = post.repost_of or post.quote_of
            story = known.get(root) if root else None
            if story is None and post.kind != "quote":
                text = post.text
                story = by_text[text] if text in by_text else self._story_of_text(text)
            if story is None:
                story = story_of_uid(root or post.uid)
            post.enrichment["story"] = story
            known.keep(post.uid, story)
