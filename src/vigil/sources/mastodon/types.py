"""The parts of Mastodon API v1 Status entities that Vigil reads."""

from __future__ import annotations

import msgspec


class MovedTo(msgspec.Struct):
    """The account an account moved to (Account.moved)."""

    acct: str | None = None
    url: str | None = None


class Account(msgspec.Struct):
    """The account that posted: `acct` is user@domain, or just user on its own server."""

    id: str | None = None
    username: str | None = None
    acct: str | None = None
    display_name: str | None = None
    note: str | None = None
    url: str | None = None
    suspended: bool | None = None  # only present (true) when the server suspended the account
    moved: MovedTo | None = None  # the account is inactive: its user moved to this one


class Tag(msgspec.Struct):
    """A hashtag used in a status."""

    name: str = ""
    url: str | None = None


class Mention(msgspec.Struct):
    """An account mentioned in a status."""

    acct: str = ""
    url: str | None = None


class Attachment(msgspec.Struct):
    """An attached image, video, gifv, audio or unknown file."""

    type: str = "unknown"
    url: str | None = None
    remote_url: str | None = None
    preview_url: str | None = None
    description: str | None = None


def _null() -> msgspec.Raw:
    return msgspec.Raw(b"null")


class QuoteRef(msgspec.Struct):
    """Mastodon 4.5 `quote`: a Quote with the quoted status, or a ShallowQuote with only its local id."""

    state: str | None = None
    quoted_status: msgspec.Raw = msgspec.field(default_factory=_null)
    quoted_status_id: str | None = None


class Status(msgspec.Struct):
    """A status; a boosted or quoted status is kept raw (b"null" when none), to store it verbatim as its own post."""

    uri: str | None = None
    id: str | int | None = None
    url: str | None = None
    created_at: str | None = None
    edited_at: str | None = None
    account: Account | None = None
    content: str = ""
    spoiler_text: str = ""
    language: str | None = None
    in_reply_to_id: str | None = None
    reblog: msgspec.Raw = msgspec.field(default_factory=_null)
    quote: QuoteRef | None = None
    tags: list[Tag] = []
    mentions: list[Mention] = []
    media_attachments: list[Attachment] = []
    favourites_count: int | None = None
    reblogs_count: int | None = None
    replies_count: int | None = None
    quotes_count: int | None = None
