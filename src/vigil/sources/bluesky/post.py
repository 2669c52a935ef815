"""Turn a Bluesky post record (with its author and AppView extras) into a Post."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from vigil.records import Author, Media, Metrics, Post
from vigil.sources.base import parse_time, time_quality_of
from vigil.sources.bluesky.types import EmbedView, Facet, PostRecord, Profile, RecordEmbed

PLATFORM = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
CDN = "https://cdn.bsky.app/img/feed_fullsize/plain"
VIDEO_CDN = "https://video.bsky.app/watch"


def uid_of(uri: str) -> str:
    """The Vigil uid of an at:// URI."""
    return f"{PLATFORM}:{uri}"


def did_of(uri: str) -> str:
    """The repository (DID) of an at:// URI."""
    return uri.removeprefix("at://").split("/", 1)[0]


def is_post_uri(uri: str | None) -> bool:
    """True for at://<did>/app.bsky.feed.post/<rkey>."""
    return bool(uri) and f"/{POST_COLLECTION}/" in (uri or "")


def clean_handle(handle: str | None) -> str | None:
    """The handle, or None for the AppView's 'handle.invalid' placeholder."""
    return None if not handle or handle == "handle.invalid" else handle


def post_url(uri: str, handle: str | None) -> str:
    """https://bsky.app/profile/<handle or did>/post/<rkey>."""
    rkey = uri.rsplit("/", 1)[-1]
    return f"https://bsky.app/profile/{clean_handle(handle) or did_of(uri)}/post/{rkey}"


def author_of(profile: Profile | None, did: str) -> Author:
    """An Author from a profile view (or only the DID when there is none)."""
    if profile is None:
        return Author(id=did)
    return Author(
        id=profile.did or did,
        handle=clean_handle(profile.handle),
        name=profile.display_name or None,
        bio=profile.description or None,
    )


def facet_entities(text: str, facets: list[Facet]) -> tuple[list[str], list[str], list[str]]:
    """Hashtags, mention handles and links from facets, whose spans are UTF-8 byte offsets."""
    data = text.encode("utf-8")
    tags: list[str] = []
    mentions: list[str] = []
    links: list[str] = []
    for facet in sorted(facets, key=lambda f: f.index.byte_start):
        start, end = facet.index.byte_start, facet.index.byte_end
        span = data[start:end].decode("utf-8", errors="replace") if 0 <= start < end <= len(data) else ""
        for feat in facet.features:
            kind = feat.type.rsplit("#", 1)[-1]
            if kind == "tag" and feat.tag:
                tags.append(feat.tag.lstrip("#"))
            elif kind == "mention" and (feat.did or span):
                handle = span[1:] if span.startswith("@") and "\ufffd" not in span else None
                mentions.append(handle or feat.did or span)
            elif kind == "link" and feat.uri:
                links.append(feat.uri)
    return tags, mentions, links


def _blob_media(did: str, embed: RecordEmbed) -> list[Media]:
    media: list[Media] = []
    for img in embed.images:
        cid = img.image and ((img.image.ref.link if img.image.ref else None) or img.image.cid)
        media.append(Media(type="photo", url=f"{CDN}/{did}/{cid}@jpeg" if cid else None))
    if embed.video is not None:
        cid = (embed.video.ref.link if embed.video.ref else None) or embed.video.cid
        media.append(Media(type="video", url=f"{VIDEO_CDN}/{did}/{cid}/playlist.m3u8" if cid else None))
    if embed.media is not None:
        media += _blob_media(did, embed.media)
    return media


def _view_media(view: EmbedView) -> list[Media]:
    media = [Media(type="photo", url=i.fullsize or i.thumb) for i in view.images]
    if view.playlist:
        media.append(Media(type="video", url=view.playlist))
    if view.media is not None:
        media += _view_media(view.media)
    return media


def quoted_uri(embed: RecordEmbed | None) -> str | None:
    """The at:// URI of a quoted post (record or recordWithMedia embed), if any."""
    if embed is None or embed.record is None:
        return None
    ref = embed.record
    uri = ref.record.uri if ref.record is not None else ref.uri
    return uri if is_post_uri(uri) else None


def _external(embed: RecordEmbed | None) -> str | None:
    while embed is not None:
        if embed.external is not None and embed.external.uri:
            return embed.external.uri
        embed = embed.media
    return None


@dataclass
class Extras:
    """What the AppView adds to a record: indexing time, counts, hydrated embed."""

    indexed_at: datetime | None = None
    metrics: Metrics = field(default_factory=Metrics)
    view: EmbedView | None = None


def created_and_quality(created_at: str | None, reference: datetime | None) -> tuple[datetime | None, str]:
    """The client-set createdAt and how far to trust it, judged against the indexing time when known."""
    try:
        created = parse_time(created_at)
    except (ValueError, OverflowError, OSError):
        created = None
    if created is None:
        return reference, ("suspect" if reference else "unknown")
    return created, time_quality_of(created, reference)


def record_to_post(uri: str, record: PostRecord, author: Author, raw: bytes, extras: Extras | None = None) -> Post:
    """Normalize one app.bsky.feed.post record."""
    extras = extras or Extras()
    created, quality = created_and_quality(record.created_at, extras.indexed_at)
    tags, mentions, links = facet_entities(record.text, record.facets)
    external = _external(record.embed)
    if external and external not in links:
        links.append(external)
    if extras.view is not None:
        media = _view_media(extras.view)
    else:
        media = _blob_media(author.id or did_of(uri), record.embed) if record.embed else []
    reply_to = uid_of(record.reply.parent.uri) if record.reply and record.reply.parent else None
    quote = quoted_uri(record.embed)
    kind = "reply" if reply_to else "quote" if quote else "post"
    lang = record.langs[0] if record.langs else None
    return Post(
        platform=PLATFORM,
        id=uri,
        kind=kind,  # type: ignore[arg-type]
        author=author,
        created_at=created,
        time_quality=quality,  # type: ignore[arg-type]
        text=record.text,
        lang=lang,
        url=post_url(uri, author.handle),
        reply_to=reply_to,
        quote_of=uid_of(quote) if quote else None,
        hashtags=tags,
        mentions=mentions,
        links=links,
        media=media,
        metrics=extras.metrics,
        raw=raw,
    )
