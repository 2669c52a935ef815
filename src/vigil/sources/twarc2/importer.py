"""twarc2 JSONL: Twitter API v2 response pages, or flattened one-tweet-per-line files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from vigil.records import Author, Kind, Media, Metrics, Post, Problem, Record
from vigil.sources.base import DECODE_ERRORS, ImportOptions, iter_json_values, parse_time, time_quality_of
from vigil.sources.guard import DAMAGED, Mended
from vigil.sources.shape import shape_of
from vigil.sources.twarc2.errors import page_errors
from vigil.sources.twarc2.salvage import mended_tweet
from vigil.sources.twarc2.salvage import salvaged as _salvaged
from vigil.sources.twarc2.types import Expanded, Includes, MediaItem, Page, Tweet, User
from vigil.text.memo import Memo

_page = msgspec.json.Decoder(Page)
_tweet = msgspec.json.Decoder(Tweet)
_expanded = msgspec.json.Decoder(Expanded)
# Pages repeat the tweets they refer to in includes.tweets: a copy byte-identical to one already read from this
# file says nothing new and is skipped (a copy with other bytes, e.g. newer counts, is read). Remembered by
# tweet id and hash of the bytes, forgotten all at once past this many.
SEEN_INCLUDES = 100_000
# Most includes are copies met before: their id and full text are remembered by their exact bytes, so a copy is
# not decoded again (~40k decodes for 3k new copies per worker on the benchmark); at most this many bytes of copies.
MEMO_BYTES = 16 << 20
_Copies = Memo[bytes, tuple[str, str]]  # an include copy's bytes -> its tweet id and full text


def _full_text(t: Tweet) -> str:
    return t.note_tweet.text if t.note_tweet and t.note_tweet.text else t.text


def _author(user: User | None, author_id: str | None) -> Author:
    if user is None:
        return Author(id=author_id)
    return Author(id=user.id or author_id, handle=user.username, name=user.name, bio=user.description)


def to_post(t: Tweet, raw: bytes, users: dict[str, User], media: dict[str, MediaItem], full: dict[str, str]) -> Post:
    """Normalize one v2 tweet."""
    author = _author(t.author or users.get(t.author_id or ""), t.author_id)
    kind: Kind = "post"
    reply_to: str | None = None
    repost_of: str | None = None
    quote_of: str | None = None
    text = _full_text(t)
    for ref in t.referenced_tweets:
        uid = f"twitter:{ref.id}"
        if ref.type == "retweeted":
            kind, repost_of = "repost", uid
            original = full.get(ref.id) or (ref.note_tweet.text if ref.note_tweet else ref.text)
            if original:
                text = original
        elif ref.type == "quoted":
            kind, quote_of = ("quote" if kind == "post" else kind), uid
        elif ref.type == "replied_to":
            kind, reply_to = ("reply" if kind == "post" else kind), uid
    ents = t.entities
    try:
        created = parse_time(t.created_at)
    except ValueError:
        created = None  # the caller reports it; the tweet is kept, undated
    m: Any = t.public_metrics  # (a float or 2^63+ figure is damage the guard reports and clears)
    attached = t.attachments.media_keys if t.attachments else []
    return _post(
        id=t.id,
        kind=kind,
        author=author,
        created_at=created,
        text=text,
        lang=t.lang if t.lang and t.lang not in ("und", "zxx", "qme", "qht") else None,
        reply_to=reply_to,
        repost_of=repost_of,
        quote_of=quote_of,
        hashtags=[h.tag for h in ents.hashtags] if ents else [],
        mentions=[x.username for x in ents.mentions] if ents else [],
        links=[u.unwound_url or u.expanded_url or u.url for u in ents.urls] if ents else [],
        # media: none of the keys in this page's includes (a referenced tweet): unknown here, not "no media"
        media=[
            Media(type=media[k].type, url=media[k].url or media[k].preview_image_url) if k in media else Media()
            for k in attached
        ]
        if attached and any(k in media for k in attached)
        else [],
        metrics=Metrics(
            likes=m.like_count,
            shares=m.retweet_count,
            replies=m.reply_count,
            quotes=m.quote_count,
            views=m.impression_count,
        )
        if m
        else Metrics(),
        raw=raw,
    )


def _post(
    *,
    id: str,
    kind: Kind,
    author: Author,
    created_at: datetime | None,
    text: str,
    lang: str | None,
    reply_to: str | None,
    repost_of: str | None,
    quote_of: str | None,
    hashtags: list[str],
    mentions: list[str],
    links: list[str],
    media: list[Media],
    metrics: Metrics,
    raw: bytes,
) -> Post:
    """A tweet's Post from its fields by name (mypy checks each), built positionally in Post's field order."""
    # msgspec matches 18 keywords at ~9k instructions a post (3.6k in order); CPython 3.11 passes up to 15
    # keywords to a function without building a dict (more cost ~13k a call): so 15 here, the rest derived.
    # tests/sources/test_twarc2.py gives each field its own value, so two fields swapped below fail there.
    return Post(
        "twitter",  # platform
        id,
        kind,
        author,
        created_at,
        time_quality_of(created_at),
        text,
        None,  # transcript
        None,  # title
        lang,
        f"https://x.com/{author.handle or 'i/web'}/status/{id}",  # url
        reply_to,
        repost_of,
        quote_of,
        hashtags,
        mentions,
        links,
        media,
        metrics,
        None,  # edited_at
        None,  # deleted_at
        raw,
    )


class Twarc2Importer:
    """Twitter API v2 pages (data + includes) and flattened tweets, one JSON object a line."""

    name = "twarc2"
    shardable = True  # lines are independent: parallel readers may split them (ImportOptions.shard)
    description = "Twitter API v2 JSONL as written by twarc2 (response pages, or flattened tweets)"
    example = "vigil ingest tweets.jsonl"

    def detect(self, path: Path, head: bytes) -> int:
        """By structure: a page's `data` holds tweets (id, text); a flattened tweet has id, text and author_id."""
        if not head:
            return 0
        shape = shape_of(head)
        for v in shape.values:
            tweet = v.children.get("data", frozenset())
            if "id" in tweet and "text" in tweet:
                return 95  # a page (data: [tweets]) or a stream line (data: tweet)
            flat = {"author_id", "edit_history_tweet_ids", "__twarc", "conversation_id", "author"}
            if "id" in v.keys and "text" in v.keys and not {"id_str", "uri", "account"} & v.keys and flat & v.keys:
                return 85  # flattened
            if (
                "errors" in v.keys
                and ("__twarc" in v.keys or "meta" in v.keys)
                and "resource_type" in v.children.get("errors", frozenset())
            ):
                return 70  # a lookup whose every item failed
        return 0

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield the tweets of every page (expansions included, each distinct copy once) or line, then its errors."""
        seen: set[tuple[str, int]] = set()
        memo: _Copies = Memo(MEMO_BYTES, weigh=len)
        for item in iter_json_values(path, options.shard):
            if isinstance(item, Problem):
                yield item
            elif type(item) is Mended:
                yield from item.restore(self._line(path, item.where, item.data, seen, memo))
            else:
                yield from self._line(path, item[0], item[1], seen, memo)  # type: ignore[misc]

    def _line(self, path: Path, where: str, raw: bytes, seen: set[tuple[str, int]], memo: _Copies) -> Iterator[Record]:
        """The records of one page, stream line or flattened tweet."""
        try:
            page = _page.decode(raw)
        except DECODE_ERRORS as exc:  # msgspec.ValidationError among them
            # `twarc2 stream`: data is one tweet, not a list
            one_tweet = isinstance(exc, msgspec.ValidationError) and "`object`" in str(exc) and "$.data" in str(exc)
            salvaged = _salvaged(path, where, raw, stream=True) if one_tweet else _salvaged(path, where, raw, exc)
            if isinstance(salvaged, Problem):
                yield salvaged
                return
            page, problems = salvaged
            yield from problems
        try:
            if page.data is None and page.id is not None:
                yield from self._flat(path, where, raw, seen)
            elif page.data is None and page.errors:  # a lookup whose every item failed
                yield from page_errors(path, where, page)
            elif page.data is None:
                yield Problem(source=str(path), where=where, message="neither a v2 page (data) nor a tweet (id)")
            else:
                yield from self._page(path, where, page, seen, memo)
        except (msgspec.DecodeError, RecursionError, ValueError) as exc:
            yield Problem(source=str(path), where=where, message=f"bad tweet JSON: {exc}")

    def _flat(self, path: Path, where: str, raw: bytes, seen: set[tuple[str, int]]) -> Iterator[Record]:
        """A flattened tweet, then the referenced tweets `twarc2 flatten` expanded into it (each copy once)."""
        try:
            t = _tweet.decode(raw)
        except DECODE_ERRORS as exc:
            t, problem = mended_tweet(_tweet, path, where, raw, exc)
            yield problem
            if t is None:
                return
        media = {m.media_key: m for m in t.attachments.media} if t.attachments and t.attachments.media else {}
        yield from _checked(path, where, t, to_post(t, raw, {}, media, {}))
        if not any(r.text is not None and r.created_at is not None for r in t.referenced_tweets):
            return
        for i, item in enumerate(_expanded.decode(raw).referenced_tweets):
            ref_raw = bytes(item)
            try:
                ref = _tweet.decode(ref_raw)
            except DECODE_ERRORS as exc:
                yield Problem(source=str(path), where=f"{where}, referenced_tweets[{i}]", message=f"bad tweet: {exc}")
                continue
            if ref.created_at is None:
                continue  # a reference only, not an expanded tweet
            key = (ref.id, hash(ref_raw))
            if key in seen:
                continue
            seen.add(key)
            refmedia = {m.media_key: m for m in ref.attachments.media} if ref.attachments else {}
            yield from _checked(path, f"{where}, referenced_tweets[{i}]", ref, to_post(ref, ref_raw, {}, refmedia, {}))

    def _page(self, path: Path, where: str, page: Page, seen: set[tuple[str, int]], memo: _Copies) -> Iterator[Record]:
        inc: Includes = page.includes
        users = {u.id: u for u in inc.users}
        media = {m.media_key: m for m in inc.media}
        included: list[tuple[Tweet, bytes]] = []
        full: dict[str, str] = {}
        for item in inc.tweets:
            raw = bytes(item)
            known = memo.get(raw)
            if known is not None:
                full[known[0]] = known[1]
                if (known[0], hash(raw)) in seen:
                    continue
            try:
                t = _tweet.decode(item)
            except DECODE_ERRORS as exc:
                t, problem = mended_tweet(_tweet, path, f"{where}, includes.tweets", raw, exc)
                yield problem
                if t is None:
                    continue
            full[t.id] = _full_text(t)
            memo.keep(raw, (t.id, full[t.id]))
            key = (t.id, hash(raw))
            if key in seen:
                continue
            if len(seen) >= SEEN_INCLUDES:
                seen.clear()
            seen.add(key)
            included.append((t, raw))
        for i, item in enumerate(page.data or []):
            try:
                t = _tweet.decode(item)
            except DECODE_ERRORS as exc:
                t, problem = mended_tweet(_tweet, path, f"{where}, data[{i}]", bytes(item), exc)
                yield problem
                if t is None:
                    continue
                post = to_post(t, bytes(item), users, media, full)
                if "surrogate" in problem.message:
                    post.enrichment[DAMAGED] = True
                yield post
                continue
            post = to_post(t, bytes(item), users, media, full)
            if post.created_at is None and t.created_at:  # (inline: no generator, no `where` text per tweet)
                yield _undated(path, f"{where}, data[{i}]", t)
            yield post
        for t, item_raw in included:
            post = to_post(t, item_raw, users, media, full)
            if post.created_at is None and t.created_at:
                yield _undated(path, f"{where}, includes.tweets", t)
            yield post
        yield from page_errors(path, where, page)


def _checked(path: Path, where: str, t: Tweet, post: Post) -> Iterator[Record]:
    """The post, preceded by a Problem when its created_at could not be read (it is stored undated)."""
    if post.created_at is None and t.created_at:
        yield _undated(path, where, t)
    yield post


def _undated(path: Path, where: str, t: Tweet) -> Problem:
    """The problem of a tweet whose created_at cannot be read (it is stored without a time)."""
    msg = f"tweet {t.id}: cannot read created_at {t.created_at!r}; stored without a time"
    return Problem(source=str(path), where=where, message=msg)
