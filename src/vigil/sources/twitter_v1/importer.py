"""Twitter API v1.1 JSON: an array of tweets, one tweet, or one tweet (or stream notice) a line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec

from vigil.records import Author, Deletion, Media, Metrics, Post, Problem, Record, Skipped
from vigil.sources.base import DECODE_ERRORS, ImportOptions, iter_json_values, parse_time, time_quality_of
from vigil.sources.guard import Mended
from vigil.sources.parts import decode_parts, parts_message
from vigil.sources.shape import salvage_lists
from vigil.sources.twitter_v1.types import Entities, Envelope, MediaItem, Tweet, present

_envelope = msgspec.json.Decoder(Envelope)
_tweet = msgspec.json.Decoder(Tweet)
NOT_LANGUAGES = ("und", "zxx", "qme", "qht")
MONTHS = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "May": 5,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}


def full_text(t: Tweet) -> str:
    """The untruncated text: extended_tweet.full_text, then full_text, then text."""
    if t.extended_tweet and t.extended_tweet.full_text:
        return t.extended_tweet.full_text
    return t.full_text if t.full_text is not None else (t.text or "")


def _entities(t: Tweet) -> tuple[Entities | None, list[MediaItem]]:
    ext = t.extended_tweet
    ents = ext.entities if ext and ext.entities else t.entities
    extended = ext.extended_entities if ext and ext.extended_entities else t.extended_entities
    media = extended.media if extended else (ents.media if ents else [])
    return ents, media


def _v1_time(text: str) -> datetime | None:
    """Fast path for 'Wed Oct 10 20:19:24 +0000 2018' (strptime is ten times slower)."""
    parts = text.split()
    if len(parts) != 6 or parts[1] not in MONTHS or len(parts[4]) != 5 or parts[4][0] not in "+-":
        return None
    try:
        h, m, sec = (int(x) for x in parts[3].split(":"))
        off = timedelta(hours=int(parts[4][1:3]), minutes=int(parts[4][3:5])) * (-1 if parts[4][0] == "-" else 1)
        local = datetime(int(parts[5]), MONTHS[parts[1]], int(parts[2]), h, m, sec, tzinfo=UTC)
    except (ValueError, OverflowError):
        return None
    return local - off


def read_time(value: str | None) -> tuple[datetime | None, str | None]:
    """Parse a created_at; return (time, None) or (None, why it could not be read)."""
    if value:
        fast = _v1_time(value)
        if fast is not None:
            return fast, None
    try:
        return parse_time(value), None
    except (ValueError, OverflowError, OSError):
        return None, f"cannot read date {value!r}"


def to_post(t: Tweet, raw: bytes, author: Author | None = None, media: list[Media] | None = None) -> Post:
    """Normalize one v1.1 tweet (the retweet keeps its own id; its text is the retweeted status's)."""
    if author is None:
        u = t.user
        author = Author(id=u.id_str, handle=u.screen_name, name=u.name, bio=u.description) if u else Author()
    kind, repost_of, quote_of, reply_to = "post", None, None, None
    text = full_text(t)
    ents, items = _entities(t)
    retweeted = present(t.retweeted_status)
    if retweeted is not None:
        inner = _tweet.decode(retweeted)
        kind, repost_of = "repost", f"twitter:{inner.id_str}" if inner.id_str else None
        text = full_text(inner) or text
        ents, items = _entities(inner)
    quoted = t.quoted_status_id_str
    quoted_raw = present(t.quoted_status)
    if quoted is None and quoted_raw is not None:
        quoted = _tweet.decode(quoted_raw).id_str
    if quoted:
        quote_of = f"twitter:{quoted}"
        kind = "quote" if kind == "post" else kind
    if t.in_reply_to_status_id_str:
        reply_to = f"twitter:{t.in_reply_to_status_id_str}"
        kind = "reply" if kind == "post" else kind
    created, _ = read_time(t.created_at)
    tid = t.id_str or ""
    return Post(
        platform="twitter",
        id=tid,
        kind=kind,  # type: ignore[arg-type]
        author=author,
        created_at=created,
        time_quality=time_quality_of(created),  # type: ignore[arg-type]
        text=text,
        lang=t.lang if t.lang and t.lang not in NOT_LANGUAGES else None,
        url=f"https://x.com/{author.handle or 'i/web'}/status/{tid}",
        reply_to=reply_to,
        repost_of=repost_of,
        quote_of=quote_of,
        hashtags=[h.text for h in ents.hashtags] if ents else [],
        mentions=[m.screen_name for m in ents.user_mentions] if ents else [],
        links=[u.expanded_url or u.url for u in ents.urls] if ents else [],
        media=media if media is not None else [Media(type=m.type, url=m.media_url_https or m.media_url) for m in items],
        metrics=Metrics(likes=t.favorite_count, shares=t.retweet_count, replies=t.reply_count, quotes=t.quote_count),  # type: ignore[arg-type]  # (the guard clears a float)
        raw=raw,
    )


class TwitterV1Importer:
    """Twitter API v1.1 tweets; embedded retweeted and quoted statuses become posts of their own."""

    name = "twitter_v1"
    shardable = True  # lines are independent: parallel readers may split them (ImportOptions.shard)
    description = "Twitter API v1.1 JSON / JSON Lines (statuses, search results, stream captures)"
    example = "vigil ingest statuses.jsonl"

    def detect(self, path: Path, head: bytes) -> int:
        """v1.1 tweets carry `id_str` and a `user` with a `screen_name` (v2/twarc2 has neither)."""
        if not head or head.lstrip()[:1] not in (b"{", b"["):
            return 0
        if b'"id_str"' in head and b'"screen_name"' in head and b'"user"' in head:
            return 90
        if b'"id_str"' in head and (b'"delete"' in head or b'"full_text"' in head or b'"created_at"' in head):
            return 60
        return 0

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield every tweet, then the statuses it embeds (unless this file already gave that status)."""
        embedded_seen: set[str] = set()
        for item in iter_json_values(path, options.shard, salvage=True, lists=("statuses",)):
            if isinstance(item, Problem):
                yield item
            elif type(item) is Mended:
                yield from item.restore(self._value(path, item.where, item.data, embedded_seen))
            elif item[0].startswith("line 1, statuses["):  # a large search response, read status by status
                yield from self._tweet(path, item[0], item[1], embedded_seen, embedded=False)
            else:
                yield from self._value(path, item[0], item[1], embedded_seen)

    def _value(self, path: Path, where: str, raw: bytes, seen: set[str]) -> Iterator[Record]:
        try:
            env = _envelope.decode(raw)
        except DECODE_ERRORS as exc:
            lists = None if isinstance(exc, RecursionError) else salvage_lists(raw, ("statuses",))
            if lists is None:
                yield Problem(source=str(path), where=where, message=f"bad tweet JSON: {exc}")
                return
            env = Envelope(statuses=[msgspec.Raw(x) for x in lists["statuses"]])  # each status read alone
        if env.id_str is None and env.statuses is not None:  # a search/tweets.json response
            for i, status in enumerate(env.statuses):
                yield from self._tweet(path, f"{where}, statuses[{i}]", bytes(status), seen, embedded=False)
            return
        if env.id_str is None:
            if env.delete is not None and env.delete.status and env.delete.status.id_str:
                ms = env.delete.timestamp_ms
                at = parse_time(int(ms) / 1000) if ms and ms.isdigit() else None
                yield Deletion(uid=f"twitter:{env.delete.status.id_str}", at=at, raw=raw)
            elif present(env.id) is not None:
                msg = "tweet has no id_str (its numeric id may be damaged by float rounding); skipped"
                yield Problem(source=str(path), where=where, message=msg)
            else:
                yield Skipped(reason="not a tweet (stream notice or other object)")
            return
        yield from self._tweet(path, where, raw, seen, embedded=False)

    def _tweet(self, path: Path, where: str, raw: bytes, seen: set[str], embedded: bool) -> Iterator[Record]:
        try:
            t, dropped = decode_parts(_tweet, raw)
            if dropped:
                yield Problem(source=str(path), where=where, message=parts_message(dropped))
            if t.id_str is None:
                msg = "embedded status has no id_str; skipped"
                yield Problem(source=str(path), where=where, message=msg)
                return
            if embedded and t.id_str in seen:
                return
            seen.add(t.id_str)
            _, bad_time = read_time(t.created_at)
            if bad_time:
                yield Problem(source=str(path), where=where, message=f"tweet {t.id_str}: {bad_time}; stored undated")
                t.created_at = None
            yield to_post(t, raw)
        except DECODE_ERRORS as exc:  # a ValidationError is a DecodeError
            yield Problem(source=str(path), where=where, message=f"bad tweet: {exc}")
            return
        for inner, label in ((t.retweeted_status, "retweeted_status"), (t.quoted_status, "quoted_status")):
            data = present(inner)
            if data is not None:
                yield from self._tweet(path, f"{where}, {label}", data, seen, embedded=True)
