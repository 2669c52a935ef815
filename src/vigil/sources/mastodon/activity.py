"""A Mastodon account export's outbox: ActivityPub `Create` (a Note) and `Announce` (a boost) activities as posts."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import msgspec

from vigil.records import Author, Media, Metrics, Post
from vigil.sources.base import parse_time, time_quality_of
from vigil.sources.mastodon.html_text import html_to_text


class Actor(msgspec.Struct, rename="camel"):
    """actor.json: the account that wrote the outbox."""

    id: str | None = None
    preferred_username: str | None = None
    name: str | None = None
    summary: str | None = None
    url: str | None = None


class Tag(msgspec.Struct):
    """A Note's `tag` item: a Hashtag (`#name`), a Mention (`@user` or `@user@domain`, href the actor) or an Emoji."""

    type: str | None = None
    href: str | None = None
    name: str | None = None


class Attachment(msgspec.Struct, rename="camel"):
    """A Note's `attachment` item: a Document (media; the export's url is the file's path in it) or a Link card."""

    type: str | None = None
    media_type: str | None = None
    url: str | None = None
    href: str | None = None


class Count(msgspec.Struct, rename="camel"):
    """A `likes` or `shares` collection: only its size is written."""

    total_items: int | None = None


class Note(msgspec.Struct, rename="camel"):
    """The status a Create activity carries (a Question for a poll)."""

    id: str | None = None
    type: str | None = None
    summary: str | None = None
    in_reply_to: str | None = None
    published: str | None = None
    updated: str | None = None
    url: str | None = None
    attributed_to: str | None = None
    content: str | None = None
    content_map: dict[str, str] | None = None
    attachment: list[Attachment] = []
    tag: list[Tag] = []
    likes: Count | None = None
    shares: Count | None = None
    quote: str | None = None  # Mastodon 4.5: the quoted status's URI


class Activity(msgspec.Struct):
    """One item of the outbox: its object is the Note (Create), or the boosted status's URI (Announce)."""

    id: str | None = None
    type: str | None = None
    actor: str | None = None
    published: str | None = None
    object: msgspec.Raw = msgspec.field(default_factory=lambda: msgspec.Raw(b"null"))


MEDIA_PREFIXES = (("image/", "photo"), ("video/", "video"), ("audio/", "audio"))


def _host(url: str | None) -> str | None:
    try:
        return urlsplit(url).hostname if url else None
    except ValueError:
        return None


def actor_author(actor: Actor | None, actor_uri: str | None) -> Author:
    """The account as the API names it: handle user@domain (so its posts join those read from the API)."""
    if actor is not None and actor.preferred_username:
        host = _host(actor.url) or _host(actor.id) or _host(actor_uri)
        handle = f"{actor.preferred_username}@{host}" if host else actor.preferred_username
        bio = html_to_text(actor.summary)[0] if actor.summary else None
        return Author(id=handle, handle=handle, name=actor.name or None, bio=bio or None)
    path = urlsplit(actor_uri or "").path.rstrip("/").split("/")
    host = _host(actor_uri)
    if host and len(path) == 3 and path[1] == "users":  # https://host/users/NAME, Mastodon's actor URI
        return Author(id=f"{path[2]}@{host}", handle=f"{path[2]}@{host}")
    return Author(id=actor_uri) if actor_uri else Author()


def iso_time(value: str | None, problems: list[str], label: str) -> datetime | None:
    """An ISO 8601 time, or None with a problem noted (Mastodon's API and its ActivityPub export write the same)."""
    try:
        return parse_time(value)
    except (ValueError, OverflowError, OSError):
        problems.append(f"{label} {value!r} is not an ISO 8601 time")
        return None


def _mention(tag: Tag) -> str:
    """@user@domain as user@domain; a local @user takes the domain of its actor URI."""
    name = (tag.name or "").lstrip("@")
    host = _host(tag.href)
    return f"{name}@{host}" if name and "@" not in name and host else name


def media_type(mime: str | None) -> str:
    """photo, video, audio or file, from a MIME type."""
    for prefix, kind in MEDIA_PREFIXES:
        if (mime or "").startswith(prefix):
            return kind
    return "file"


def note_post(note: Note, author: Author, raw: bytes, media: list[Media], problems: list[str]) -> Post:
    """A Note as the post the API form of the same status gives: the same uid, text, author and tags."""
    created = iso_time(note.published, problems, "published")
    text, links = html_to_text(note.content or "")
    tags = [t for t in note.tag if t.type == "Hashtag" and t.name]
    mentions = [t for t in note.tag if t.type == "Mention"]
    tag_urls = {t.href for t in tags} | {t.href for t in mentions}
    cards = [a.href for a in note.attachment if a.type == "Link" and a.href]
    post = Post(
        platform="mastodon",
        id=note.id or "",
        kind="reply" if note.in_reply_to else "post",
        author=author,
        created_at=created,
        time_quality=time_quality_of(created),  # type: ignore[arg-type]
        text=text,
        title=note.summary or None,
        lang=next(iter(note.content_map), None) if note.content_map else None,
        url=note.url,
        hashtags=[(t.name or "").lstrip("#") for t in tags],
        mentions=[_mention(t) for t in mentions],
        links=[u for u in links if u not in tag_urls] + [u for u in cards if u not in links],
        media=media,
        metrics=Metrics(
            likes=note.likes.total_items if note.likes else None,
            shares=note.shares.total_items if note.shares else None,
        ),
        edited_at=iso_time(note.updated, problems, "updated"),
        raw=raw,
    )
    if note.in_reply_to:
        post.reply_to = f"mastodon:{note.in_reply_to}"
    if note.quote:
        post.kind = "quote" if post.kind == "post" else post.kind
        post.quote_of = f"mastodon:{note.quote}"
    return post


def announce_post(act: Activity, author: Author, raw: bytes, boosted: str | None, problems: list[str]) -> Post:
    """A boost: kind repost of the boosted status's uid; the outbox names that status only by its URI (no text)."""
    created = iso_time(act.published, problems, "published")
    return Post(
        platform="mastodon",
        id=act.id or "",
        kind="repost",
        author=author,
        created_at=created,
        time_quality=time_quality_of(created),  # type: ignore[arg-type]
        text="",
        repost_of=f"mastodon:{boosted}" if boosted else None,
        raw=raw,
    )
