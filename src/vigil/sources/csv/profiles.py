"""Tweet CSVs whose headers their tools document (twarc-csv, 4CAT, minet/twitwi): read without a --map."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

from vigil.records import Metrics, Post
from vigil.sources.csv.columns import ColumnMap

Cell = Callable[[str], str | None]


class Profile(NamedTuple):
    """A tool's tweet CSV: the columns that identify it, which column holds which field, and its references."""

    name: str
    signature: frozenset[str]  # every one of these header cells is present
    columns: dict[str, str]  # post field -> header cell ('a|b': the first of these present)
    refs: dict[str, str]  # reply_to / repost_of / quote_of -> the column with the referenced tweet's id
    flags: dict[str, str]  # kind -> a yes/no column that says the row is one (4CAT gives no referenced ids)
    escaped_text: bool = False  # twarc-csv writes a line break in a text as backslash-n


_METRICS_V2 = {
    "likes": "public_metrics.like_count",
    "shares": "public_metrics.retweet_count",
    "replies": "public_metrics.reply_count",
    "quotes": "public_metrics.quote_count",
    "views": "public_metrics.impression_count",
}
# twarc-csv (`twarc2 csv`, DEFAULT_TWEET_COLUMNS in its dataframe_converter.py), from 0.5 on, and the first
# releases that kept `referenced_tweets` as one JSON cell and marked inlined referenced tweets in a `type` column.
TWARC_CSV = Profile(
    "twarc-csv",
    frozenset(["id", "text", "author_id", "created_at", "author.username", "public_metrics.like_count"]),
    {"id": "id", "text": "text", "created_at": "created_at", "author": "author.username",
     "author_name": "author.name", "author_id": "author_id", "lang": "lang", **_METRICS_V2},
    {"reply_to": "referenced_tweets.replied_to.id", "repost_of": "referenced_tweets.retweeted.id",
     "quote_of": "referenced_tweets.quoted.id"},
    {},
    escaped_text=True,
)  # fmt: skip
# 4CAT's Twitter API v2 datasource (map_item in datasources/twitterv2/search_twitter.py): its CSV export.
FOURCAT = Profile(
    "4cat-twitter",
    frozenset(["id", "thread_id", "body", "author", "author_fullname", "is_retweet", "is_quote_tweet", "is_reply"]),
    {"id": "id", "text": "body", "created_at": "unix_timestamp|timestamp", "author": "author",
     "author_name": "author_fullname", "author_id": "author_id", "lang": "language_guess", "url": "link",
     "likes": "like_count",
     "shares": "retweet_count", "replies": "reply_count", "quotes": "quote_count", "views": "impression_count"},
    {},
    {"repost": "is_retweet", "quote": "is_quote_tweet", "reply": "is_reply"},
)  # fmt: skip
# minet's tweet CSVs (`minet tw scrape tweets`, `minet tw tweets`…), written with twitwi's TWEET_FIELDS.
MINET = Profile(
    "minet-twitwi",
    frozenset(["id", "timestamp_utc", "local_time", "user_screen_name", "text", "retweeted_id", "quoted_id"]),
    {"id": "id", "text": "text", "created_at": "timestamp_utc", "author": "user_screen_name",
     "author_name": "user_name", "author_id": "user_id", "lang": "lang", "url": "url", "likes": "like_count",
     "shares": "retweet_count", "replies": "reply_count", "views": "impression_count"},
    {"reply_to": "to_tweetid", "repost_of": "retweeted_id", "quote_of": "quoted_id"},
    {},
)  # fmt: skip
PROFILES = (TWARC_CSV, FOURCAT, MINET)
KIND_OF_REF = {"repost_of": "repost", "quote_of": "quote", "reply_to": "reply"}


def match(header: list[str]) -> Profile | None:
    """The tool whose documented header this is (its signature columns all present, as written), if any."""
    names = {h.strip() for h in header}
    return next((p for p in PROFILES if p.signature <= names), None)


def column_map(profile: Profile, header: list[str]) -> ColumnMap:
    """The profile's fields mapped to this header's columns (the ones present), the platform fixed to twitter."""
    where: dict[str, int] = {}
    for i, h in enumerate(header):
        where.setdefault(h.strip(), i)
    cmap = ColumnMap(header, fixed={"platform": "twitter"})
    for name, columns in profile.columns.items():
        found = next((where[c] for c in columns.split("|") if c in where), None)
        if found is not None:
            cmap.index[name] = found
    return cmap


def unescape(text: str) -> str:
    """A twarc-csv text as the tweet wrote it: a JSON-encoded cell decoded, else its backslash-n made line breaks."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, str):
            return value
    return text.replace("\\n", "\n")


def refine(profile: Profile, post: Post, cell: Cell) -> Post:
    """Kind and references from the profile's columns (the last kind named wins: repost over quote over reply)."""
    kind = "post"
    for field, column in profile.refs.items():
        ref = (cell(column) or "").strip()
        if ref.endswith(".0") and ref[:-2].isdigit():
            ref = ref[:-2]  # pandas wrote an id column with gaps as floats
        if ref and ref.isdigit():
            setattr(post, field, f"twitter:{ref}")
            kind = KIND_OF_REF[field] if kind != "repost" else kind
    if profile.name == "twarc-csv" and kind == "post":
        kind = _old_twarc_kind(post, cell)
    for name, column in profile.flags.items():
        if (cell(column) or "").strip().lower() in ("yes", "true", "1") and kind != "repost":
            kind = name
    if kind != "post":
        post.kind = kind  # type: ignore[assignment]
    if kind == "repost" and profile.name == "twarc-csv":
        post.metrics = Metrics()  # twarc-csv copies the retweeted tweet's metrics onto its retweet
    if profile.escaped_text:
        post.text = unescape(post.text)
    return post


def _old_twarc_kind(post: Post, cell: Cell) -> str:
    """Early twarc-csv: `referenced_tweets` is one JSON cell ([{"type": "quoted", "id": "…"}])."""
    value = cell("referenced_tweets")
    if not value or not value.strip().startswith("["):
        return "post"
    try:
        refs = json.loads(value)
    except ValueError:
        return "post"
    kind = "post"
    for ref in refs if isinstance(refs, list) else []:
        if not isinstance(ref, dict) or not str(ref.get("id", "")).isdigit():
            continue
        field = {"replied_to": "reply_to", "retweeted": "repost_of", "quoted": "quote_of"}.get(ref.get("type", ""))
        if field:
            setattr(post, field, f"twitter:{ref['id']}")
            kind = KIND_OF_REF[field] if kind != "repost" else kind
    return kind
