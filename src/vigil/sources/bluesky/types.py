"""The parts of Bluesky records, AppView views and Jetstream events that Vigil reads."""

from __future__ import annotations

import msgspec


class Profile(msgspec.Struct, rename="camel"):
    """An account as the AppView shows it (ProfileViewBasic)."""

    did: str = ""
    handle: str | None = None
    display_name: str | None = None
    description: str | None = None


class StrongRef(msgspec.Struct):
    """A reference to a record: its at:// URI (and CID)."""

    uri: str = ""
    cid: str | None = None


class ReplyRef(msgspec.Struct):
    """The thread a reply belongs to."""

    root: StrongRef | None = None
    parent: StrongRef | None = None


class ByteSlice(msgspec.Struct, rename="camel"):
    """A facet's span: UTF-8 byte offsets into the text, end exclusive."""

    byte_start: int = 0
    byte_end: int = 0


class Feature(msgspec.Struct):
    """One facet feature: #mention (did), #link (uri) or #tag (tag)."""

    type: str = msgspec.field(name="$type", default="")
    did: str | None = None
    uri: str | None = None
    tag: str | None = None


class Facet(msgspec.Struct):
    """Rich-text annotation over a byte span of the text."""

    index: ByteSlice = msgspec.field(default_factory=ByteSlice)
    features: list[Feature] = []


class BlobLink(msgspec.Struct):
    """The CID of a blob ({"$link": cid})."""

    link: str = msgspec.field(name="$link", default="")


class Blob(msgspec.Struct, rename="camel"):
    """An uploaded file (image, video); old records give `cid` instead of `ref`."""

    ref: BlobLink | None = None
    cid: str | None = None
    mime_type: str | None = None


class ImageRef(msgspec.Struct):
    """An image of an images embed in a record."""

    image: Blob | None = None
    alt: str = ""


class External(msgspec.Struct):
    """A link card."""

    uri: str = ""
    title: str | None = None


class EmbedRecordField(msgspec.Struct):
    """`embed.record`: a strong ref (record embed) or {record: strong ref} (recordWithMedia)."""

    uri: str | None = None
    cid: str | None = None
    record: StrongRef | None = None


class RecordEmbed(msgspec.Struct):
    """An embed inside a post record (images, video, external link, quoted record, record with media)."""

    type: str = msgspec.field(name="$type", default="")
    images: list[ImageRef] = []
    video: Blob | None = None
    external: External | None = None
    record: EmbedRecordField | None = None
    media: RecordEmbed | None = None


class PostRecord(msgspec.Struct, rename="camel"):
    """An app.bsky.feed.post record, as its author's client wrote it."""

    text: str = ""
    created_at: str | None = None
    langs: list[str] = []
    facets: list[Facet] = []
    reply: ReplyRef | None = None
    embed: RecordEmbed | None = None


class ImageView(msgspec.Struct):
    """An image as the AppView serves it."""

    thumb: str | None = None
    fullsize: str | None = None
    alt: str = ""


class EmbedView(msgspec.Struct):
    """An embed as the AppView hydrates it; `record` is kept raw (a viewRecord, or {record: viewRecord})."""

    type: str = msgspec.field(name="$type", default="")
    images: list[ImageView] = []
    playlist: str | None = None
    thumbnail: str | None = None
    external: External | None = None
    record: msgspec.Raw = msgspec.Raw()
    media: EmbedView | None = None


class PostView(msgspec.Struct, rename="camel"):
    """A post as the AppView serves it (PostView); also reads notFoundPost / blockedPost stubs."""

    uri: str = ""
    type: str = msgspec.field(name="$type", default="")
    cid: str | None = None
    author: Profile | None = None
    record: PostRecord | None = None
    embed: EmbedView | None = None
    indexed_at: str | None = None
    like_count: int | None = None
    repost_count: int | None = None
    reply_count: int | None = None
    quote_count: int | None = None
    not_found: bool = False
    blocked: bool = False


class ViewRecord(msgspec.Struct, rename="camel"):
    """A quoted record as the AppView embeds it (app.bsky.embed.record#viewRecord)."""

    type: str = msgspec.field(name="$type", default="")
    uri: str | None = None
    cid: str | None = None
    author: Profile | None = None
    value: PostRecord | None = None
    indexed_at: str | None = None
    like_count: int | None = None
    repost_count: int | None = None
    reply_count: int | None = None
    quote_count: int | None = None
    embeds: list[EmbedView] = []
    record: msgspec.Raw = msgspec.Raw()


class Reason(msgspec.Struct, rename="camel"):
    """Why a post is in a feed: a repost (by, indexedAt) or a pin."""

    type: str = msgspec.field(name="$type", default="")
    by: Profile | None = None
    indexed_at: str | None = None


class FeedReplyRef(msgspec.Struct):
    """The root and parent posts of a reply in a feed item."""

    root: msgspec.Raw = msgspec.Raw()
    parent: msgspec.Raw = msgspec.Raw()


class FeedItem(msgspec.Struct):
    """One item of getAuthorFeed / getTimeline (FeedViewPost)."""

    post: msgspec.Raw = msgspec.Raw()
    reply: FeedReplyRef | None = None
    reason: Reason | None = None


class ThreadNode(msgspec.Struct):
    """A node of getPostThread: a post with its parent and replies, or a notFound / blocked stub."""

    type: str = msgspec.field(name="$type", default="")
    post: msgspec.Raw = msgspec.Raw()
    parent: msgspec.Raw = msgspec.Raw()
    replies: list[msgspec.Raw] = []


class JetCommit(msgspec.Struct):
    """A repository commit of a Jetstream event."""

    operation: str = ""
    collection: str = ""
    rkey: str = ""
    rev: str | None = None
    cid: str | None = None
    record: msgspec.Raw = msgspec.Raw()


class JetIdentity(msgspec.Struct):
    """An identity event: the account's handle now."""

    did: str = ""
    handle: str | None = None
    seq: int | None = None
    time: str | None = None


class JetAccount(msgspec.Struct):
    """An account event: active or not, and why."""

    did: str = ""
    active: bool | None = None
    status: str | None = None  # when not active: takendown, suspended, deleted, deactivated, desynchronized, throttled
    seq: int | None = None
    time: str | None = None


class Line(msgspec.Struct):
    """One JSON value of a file: an AppView response, a bare PostView, or a Jetstream event."""

    posts: list[msgspec.Raw] | None = None
    feed: list[msgspec.Raw] | None = None
    thread: msgspec.Raw = msgspec.Raw()
    uri: str | None = None
    did: str | None = None
    time_us: int | None = None
    kind: str | None = None
    commit: JetCommit | None = None
    identity: JetIdentity | None = None
    account: JetAccount | None = None


def present(raw: msgspec.Raw) -> bytes | None:
    """The bytes of an optional raw field, or None when it is absent or null."""
    data = bytes(raw)
    return None if not data or data == b"null" else data
