"""Typed records that flow through the pipeline: posts, accounts, events and problems (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import msgspec

KINDS = ("post", "reply", "repost", "quote", "video", "live")
TIME_QUALITIES = ("exact", "minute", "second", "day", "no-timezone", "suspect", "unknown")
Kind = Literal["post", "reply", "repost", "quote", "video", "live"]
TimeQuality = Literal["exact", "minute", "second", "day", "no-timezone", "suspect", "unknown"]


class Author(msgspec.Struct, omit_defaults=True):
    """Who posted: the account as the platform names it."""

    id: str | None = None
    handle: str | None = None
    name: str | None = None
    bio: str | None = None


class Media(msgspec.Struct, omit_defaults=True):
    """One attached photo, video or file: a URL, or a path inside the export."""

    type: str = "file"
    url: str | None = None
    path: str | None = None
    sha256: str | None = None
    missing: bool = False


class Metrics(msgspec.Struct):
    """Reach figures at capture time; None when the source does not say."""

    likes: int | None = None
    shares: int | None = None
    replies: int | None = None
    quotes: int | None = None
    views: int | None = None


class Post(msgspec.Struct):
    """One normalized post, with its verbatim raw payload (fields may be given in order: see twarc2's to_post)."""

    platform: str
    id: str
    kind: Kind = "post"
    author: Author = msgspec.field(default_factory=Author)
    created_at: datetime | None = None
    time_quality: TimeQuality = "exact"
    text: str = ""
    transcript: str | None = None
    title: str | None = None
    lang: str | None = None
    url: str | None = None
    reply_to: str | None = None
    repost_of: str | None = None
    quote_of: str | None = None
    hashtags: list[str] = msgspec.field(default_factory=list)
    mentions: list[str] = msgspec.field(default_factory=list)
    links: list[str] = msgspec.field(default_factory=list)
    media: list[Media] = msgspec.field(default_factory=list)
    metrics: Metrics = msgspec.field(default_factory=Metrics)
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    raw: bytes = b""
    enrichment: dict[str, object] = msgspec.field(default_factory=dict)

    @property
    def uid(self) -> str:
        """Global identity: platform:native_id."""
        return f"{self.platform}:{self.id}"

    @property
    def author_uid(self) -> str | None:
        """Account identity: platform:author id (or handle when no id is given)."""
        key = self.author.id or self.author.handle
        return f"{self.platform}:{key}" if key else None


class Deletion(msgspec.Struct, kw_only=True):
    """A source says this post was deleted (the post is marked, never removed)."""

    uid: str
    at: datetime | None = None
    raw: bytes = b""


class HandleChange(msgspec.Struct, kw_only=True):
    """A source says an account now has this handle."""

    account_uid: str
    handle: str
    at: datetime | None = None


# Account statuses that mean the voice fell silent not by choice, or left: `vigil watch` calls the voice gone.
GONE_STATUSES = ("suspended", "deactivated", "takendown", "deleted", "not-found")


class AccountStatus(msgspec.Struct, kw_only=True):
    """A source says an account is suspended, deactivated, taken down, deleted, not found, moved or active again."""

    account_uid: str  # platform:id, or platform:@handle when the source names the account only by its handle
    status: str
    at: datetime | None = None  # None: the capture's start
    detail: str | None = None
    raw: bytes = b""


class Skipped(msgspec.Struct, kw_only=True):
    """A record the importer read and deliberately did not store (service message, other collection)."""

    reason: str


class Problem(msgspec.Struct, kw_only=True):
    """Bad input: where in which file, and what is wrong."""

    source: str
    where: str
    message: str

    def __str__(self) -> str:
        """One line: file, place, message (a line break in a file name or a value shows as a backslash-n)."""
        return f"{self.source}:{self.where}: {self.message}".replace("\r", "\\r").replace("\n", "\\n")


class Scope(msgspec.Struct, kw_only=True):
    """What a source covers completely (a channel, an account's archive): absences there mean deletion."""

    kind: str
    key: str


Record = Post | Deletion | HandleChange | AccountStatus | Skipped | Problem | Scope


def utc(dt: datetime) -> datetime:
    """Return dt in UTC (naive datetimes are taken as UTC)."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def iso_z(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with a trailing Z, to the second."""
    if dt is None:
        return None
    return utc(dt).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso() -> str:
    """The current UTC time as ISO 8601 with Z."""
    return iso_z(datetime.now(UTC)) or ""
