"""AppView responses (searchPosts, getAuthorFeed, getPostThread, bare PostViews) to posts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import msgspec

from vigil.records import Metrics, Post, Problem, Record, Skipped
from vigil.sources.base import DECODE_ERRORS, parse_time
from vigil.sources.bluesky.post import (
    PLATFORM,
    Extras,
    author_of,
    created_and_quality,
    did_of,
    is_post_uri,
    post_url,
    record_to_post,
    uid_of,
)
from vigil.sources.bluesky.types import EmbedView, FeedItem, Line, PostView, Reason, ThreadNode, ViewRecord, present
from vigil.sources.parts import decode_lenient

_post_view = msgspec.json.Decoder(PostView)
_view_record = msgspec.json.Decoder(ViewRecord)
_feed_item = msgspec.json.Decoder(FeedItem)
_thread_node = msgspec.json.Decoder(ThreadNode)
REPOST_REASON = "app.bsky.feed.defs#reasonRepost"


def repost_id(reposter_did: str, post_uri: str) -> str:
    """Native id of a repost seen in a feed: `<reposter did>/repost/<post uri>` (one repost per account and post)."""
    return f"{reposter_did}/repost/{post_uri}"


def _time(value: str | None) -> datetime | None:
    try:
        return parse_time(value)
    except (ValueError, OverflowError, OSError):
        return None


@dataclass
class AppViewReader:
    """Reads the AppView values of one file; skips exact duplicates (a thread root repeated in a feed)."""

    source: str
    seen: set[bytes] = field(default_factory=set)

    def _fresh(self, uid: str, raw: bytes) -> bool:
        key = hashlib.blake2b(uid.encode() + b"\x00" + raw, digest_size=16).digest()
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def read(self, where: str, line: Line, raw: bytes) -> Iterator[Record]:
        """All the posts of one response (or one bare PostView)."""
        if line.posts is not None:
            for i, item in enumerate(line.posts):
                yield from self.post_view(f"{where}, posts[{i}]", bytes(item))
        if line.feed is not None:
            for i, item in enumerate(line.feed):
                yield from self.feed_item(f"{where}, feed[{i}]", bytes(item))
        thread = present(line.thread)
        if thread is not None:
            yield from self.thread(f"{where}, thread", thread)
        if line.posts is None and line.feed is None and thread is None:
            if line.uri and is_post_uri(line.uri) and b'"record"' in raw:
                yield from self.post_view(where, raw)
            else:
                yield Skipped(reason="AppView value without posts (not searchPosts, getAuthorFeed or getPostThread)")

    def post_view(self, where: str, raw: bytes) -> Iterator[Record]:
        """One PostView (and the post it quotes, when the AppView embeds it)."""
        try:
            pv, notes = decode_lenient(_post_view, raw)
        except DECODE_ERRORS as exc:
            yield Problem(source=self.source, where=where, message=f"bad post view: {exc}")
            return
        if notes:
            yield Problem(source=self.source, where=where, message="; ".join(notes))
        if pv.not_found or pv.blocked or pv.record is None or not is_post_uri(pv.uri):
            return
        post = self.to_post(pv, raw)
        if self._fresh(post.uid, raw):
            yield post
        if pv.embed is not None:
            yield from self.quoted(where, pv.embed)

    def to_post(self, pv: PostView, raw: bytes) -> Post:
        """Normalize a PostView."""
        extras = Extras(
            indexed_at=_time(pv.indexed_at),
            metrics=Metrics(likes=pv.like_count, shares=pv.repost_count, replies=pv.reply_count, quotes=pv.quote_count),
            view=pv.embed,
        )
        assert pv.record is not None
        return record_to_post(pv.uri, pv.record, author_of(pv.author, did_of(pv.uri)), raw, extras)

    def quoted(self, where: str, embed: EmbedView) -> Iterator[Record]:
        """The quoted post the AppView hydrated into an embed (record or recordWithMedia view)."""
        raw = present(embed.record)
        if raw is None:
            return
        try:
            vr = _view_record.decode(raw)
            inner = present(vr.record)
            if vr.uri is None and inner is not None:
                raw = inner
                vr = _view_record.decode(raw)
        except DECODE_ERRORS as exc:
            yield Problem(source=self.source, where=f"{where}, embed.record", message=f"bad quoted record: {exc}")
            return
        if vr.value is None or vr.uri is None or not vr.type.endswith("#viewRecord") or not is_post_uri(vr.uri):
            return
        pv = PostView(
            uri=vr.uri,
            cid=vr.cid,
            author=vr.author,
            record=vr.value,
            indexed_at=vr.indexed_at,
            like_count=vr.like_count,
            repost_count=vr.repost_count,
            reply_count=vr.reply_count,
            quote_count=vr.quote_count,
            embed=vr.embeds[0] if vr.embeds else None,
        )
        post = self.to_post(pv, raw)
        if self._fresh(post.uid, raw):
            yield post
        if pv.embed is not None:
            yield from self.quoted(f"{where}, embed.record", pv.embed)

    def feed_item(self, where: str, raw: bytes) -> Iterator[Record]:
        """A feed item: its post, the reply's root and parent, and a repost by the feed's account."""
        try:
            item, notes = decode_lenient(_feed_item, raw)
        except DECODE_ERRORS as exc:
            yield Problem(source=self.source, where=where, message=f"bad feed item: {exc}")
            return
        if notes:
            yield Problem(source=self.source, where=where, message="; ".join(notes))
        post = present(item.post)
        if post is None:
            yield Problem(source=self.source, where=where, message="feed item without a post")
            return
        if item.reply is not None:
            for name, ref in (("root", present(item.reply.root)), ("parent", present(item.reply.parent))):
                if ref is not None:
                    yield from self.post_view(f"{where}, reply.{name}", ref)
        yield from self.post_view(f"{where}, post", post)
        reason = item.reason
        if reason is not None and reason.type == REPOST_REASON and reason.by is not None:
            yield from self.repost(where, reason, post, raw)

    def repost(self, where: str, reason: Reason, post_raw: bytes, raw: bytes) -> Iterator[Record]:
        """The repost itself, as a post by the reposter that carries the original's text."""
        try:
            pv, _ = decode_lenient(_post_view, post_raw)
        except DECODE_ERRORS:
            return  # already reported by post_view
        if pv.record is None or not is_post_uri(pv.uri) or reason.by is None:
            return
        original = self.to_post(pv, post_raw)
        reposter = author_of(reason.by, reason.by.did)
        at, quality = created_and_quality(reason.indexed_at, None)
        post = Post(
            platform=PLATFORM,
            id=repost_id(reason.by.did, pv.uri),
            kind="repost",
            author=reposter,
            created_at=at,
            time_quality=quality,  # type: ignore[arg-type]
            text=original.text,
            lang=original.lang,
            url=post_url(pv.uri, original.author.handle),
            repost_of=uid_of(pv.uri),
            hashtags=original.hashtags,
            mentions=original.mentions,
            links=original.links,
            raw=raw,
        )
        if self._fresh(post.uid, raw):
            yield post

    def thread(self, where: str, raw: bytes) -> Iterator[Record]:
        """Every post of a thread: the parents up the chain, the anchor, the replies down every branch."""
        stack: list[tuple[str, bytes]] = [(where, raw)]
        while stack:
            here, node_raw = stack.pop()
            try:
                node = _thread_node.decode(node_raw)
            except DECODE_ERRORS as exc:
                yield Problem(source=self.source, where=here, message=f"bad thread node: {exc}")
                continue
            post = present(node.post)
            if post is not None:
                yield from self.post_view(here, post)
            for i in range(len(node.replies) - 1, -1, -1):
                stack.append((f"{here}.replies[{i}]", bytes(node.replies[i])))
            parent = present(node.parent)
            if parent is not None:
                stack.append((f"{here}.parent", parent))
