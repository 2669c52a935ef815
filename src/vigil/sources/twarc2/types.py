"""The parts of Twitter API v2 objects (as twarc2 writes them) that Vigil reads."""

from __future__ import annotations

import msgspec

# Objects decoded from JSON hold no reference cycles: gc=False keeps them out of the collector's lists (with the
# unread `edit_history_tweet_ids` skipped rather than decoded: ~1.9k instructions fewer a tweet).


class Tag(msgspec.Struct, gc=False):
    """A hashtag or cashtag entity."""

    tag: str = ""


class Mention(msgspec.Struct, gc=False):
    """An @mention entity."""

    username: str = ""
    id: str | None = None


class Url(msgspec.Struct, gc=False):
    """A link entity."""

    url: str = ""
    expanded_url: str | None = None
    unwound_url: str | None = None


class Entities(msgspec.Struct, gc=False):
    """Entities of a tweet."""

    hashtags: list[Tag] = []
    mentions: list[Mention] = []
    urls: list[Url] = []


class PublicMetrics(msgspec.Struct, gc=False):
    """Public metrics of a tweet."""

    retweet_count: int | float | None = None  # (a float or a figure over 2^63 is damage: reported, not stored)
    reply_count: int | float | None = None
    like_count: int | float | None = None
    quote_count: int | float | None = None
    impression_count: int | float | None = None


class UserMetrics(msgspec.Struct, gc=False):
    """Public metrics of a user (unused but decoded leniently)."""

    followers_count: int | None = None


class User(msgspec.Struct, gc=False):
    """A user object from includes.users or a flattened tweet's author."""

    id: str = ""  # (`twarc2 flatten` writes {} for a user the page lacked)
    username: str | None = None
    name: str | None = None
    description: str | None = None


class NoteTweet(msgspec.Struct, gc=False):
    """The full text of a long tweet."""

    text: str = ""


class MediaItem(msgspec.Struct, gc=False):
    """An item of includes.media (or of a flattened tweet's attachments.media)."""

    media_key: str = ""  # (`twarc2 flatten` writes {} for a media object the page lacked)
    type: str = "photo"
    url: str | None = None
    preview_image_url: str | None = None


class Attachments(msgspec.Struct, gc=False):
    """Media keys attached to a tweet; `twarc2 flatten` puts the media objects themselves beside them."""

    media_keys: list[str] = []
    media: list[MediaItem] = []


class Reference(msgspec.Struct, gc=False):
    """A referenced tweet; in flattened files it carries the whole tweet."""

    type: str
    id: str
    text: str | None = None
    created_at: str | None = None
    note_tweet: NoteTweet | None = None
    author: User | None = None


class Tweet(msgspec.Struct, gc=False):
    """A v2 tweet; flattened files add `author` and expand referenced tweets."""

    id: str
    text: str = ""
    author_id: str | None = None
    created_at: str | None = None
    lang: str | None = None
    public_metrics: PublicMetrics | None = None
    entities: Entities | None = None
    referenced_tweets: list[Reference] = []
    attachments: Attachments | None = None
    note_tweet: NoteTweet | None = None
    author: User | None = None


class Includes(msgspec.Struct, gc=False):
    """The expansions of a page."""

    users: list[User] = []
    tweets: list[msgspec.Raw] = []
    media: list[MediaItem] = []


class ApiError(msgspec.Struct, gc=False):
    """An entry of a page's `errors`: a resource the API did not return, and why."""

    title: str | None = None
    detail: str | None = None
    type: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    parameter: str | None = None
    value: str | None = None


class TwarcMeta(msgspec.Struct, gc=False):
    """What twarc2 adds to a page: when it was retrieved."""

    retrieved_at: str | None = None


class Page(msgspec.Struct, gc=False):
    """One line: a response page (tweets in `data`, expansions in `includes`) or, with `id`, a flattened tweet."""

    data: list[msgspec.Raw] | None = None
    includes: Includes = msgspec.field(default_factory=Includes)
    id: str | None = None
    errors: list[msgspec.Raw] = []
    twarc: TwarcMeta | None = msgspec.field(default=None, name="__twarc")


class StreamPage(msgspec.Struct, gc=False):
    """A `twarc2 stream` line: one tweet in `data` (an object, not a list), the rules it matched beside it."""

    data: msgspec.Raw
    includes: Includes = msgspec.field(default_factory=Includes)
    errors: list[msgspec.Raw] = []
    twarc: TwarcMeta | None = msgspec.field(default=None, name="__twarc")


class Expanded(msgspec.Struct, gc=False):
    """The raw referenced tweets of a flattened tweet (`twarc2 flatten` expands each into a whole tweet)."""

    referenced_tweets: list[msgspec.Raw] = []
