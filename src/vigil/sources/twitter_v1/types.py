"""The parts of Twitter API v1.1 tweet objects (and archive tweets, which share them) that Vigil reads."""

from __future__ import annotations

import msgspec


class User(msgspec.Struct):
    """The `user` object of a tweet."""

    id_str: str | None = None
    screen_name: str | None = None
    name: str | None = None
    description: str | None = None


class Hashtag(msgspec.Struct):
    """A hashtag entity."""

    text: str = ""


class UserMention(msgspec.Struct):
    """An @mention entity."""

    screen_name: str = ""
    id_str: str | None = None


class Url(msgspec.Struct):
    """A link entity."""

    url: str = ""
    expanded_url: str | None = None


class Variant(msgspec.Struct):
    """One encoding of a video."""

    url: str = ""
    content_type: str | None = None


class VideoInfo(msgspec.Struct):
    """The encodings of a video or animated GIF."""

    variants: list[Variant] = []


class MediaItem(msgspec.Struct):
    """A photo, video or animated GIF entity."""

    type: str = "photo"
    media_url_https: str | None = None
    media_url: str | None = None
    video_info: VideoInfo | None = None


class Entities(msgspec.Struct):
    """Entities of a tweet."""

    hashtags: list[Hashtag] = []
    user_mentions: list[UserMention] = []
    urls: list[Url] = []
    media: list[MediaItem] = []


class ExtendedEntities(msgspec.Struct):
    """All the media of a tweet (entities.media holds only the first)."""

    media: list[MediaItem] = []


class ExtendedTweet(msgspec.Struct):
    """The untruncated text and entities of a streamed tweet over 140 characters."""

    full_text: str | None = None
    entities: Entities | None = None
    extended_entities: ExtendedEntities | None = None


class Tweet(msgspec.Struct):
    """A v1.1 tweet; embedded retweeted and quoted statuses stay raw so they can be stored verbatim."""

    id_str: str | None = None
    text: str | None = None
    full_text: str | None = None
    created_at: str | None = None
    lang: str | None = None
    user: User | None = None
    in_reply_to_status_id_str: str | None = None
    quoted_status_id_str: str | None = None
    retweeted_status: msgspec.Raw = msgspec.Raw()
    quoted_status: msgspec.Raw = msgspec.Raw()
    entities: Entities | None = None
    extended_entities: ExtendedEntities | None = None
    extended_tweet: ExtendedTweet | None = None
    favorite_count: int | float | None = None  # (a float or 2^63+ is damage: reported and not stored)
    retweet_count: int | float | None = None
    reply_count: int | float | None = None
    quote_count: int | float | None = None
    deleted_at: str | None = None


def present(raw: msgspec.Raw) -> bytes | None:
    """The bytes of an optional raw field, or None when it is absent or null."""
    data = bytes(raw)
    return data if data and data != b"null" else None


class DeletedStatus(msgspec.Struct):
    """The status a stream deletion notice names."""

    id_str: str | None = None


class DeleteBody(msgspec.Struct):
    """The body of a stream deletion notice."""

    status: DeletedStatus | None = None
    timestamp_ms: str | None = None


class Envelope(msgspec.Struct):
    """What a line of a v1.1 stream may be: a tweet (id_str), a deletion notice, or another notice."""

    id_str: str | None = None
    id: msgspec.Raw = msgspec.Raw()
    delete: DeleteBody | None = None
    statuses: list[msgspec.Raw] | None = None  # a search/tweets.json response: {"statuses": [...], "search_metadata"}
