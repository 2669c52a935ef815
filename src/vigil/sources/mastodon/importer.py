"""Mastodon API v1 statuses (a JSON list, one status, or one status a line) and account exports (the outbox)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import msgspec

from vigil.records import AccountStatus, Author, Media, Metrics, Post, Problem, Record, Skipped
from vigil.sources.base import ImportOptions, iter_json_values, read_head, time_quality_of
from vigil.sources.guard import Mended
from vigil.sources.mastodon.activity import iso_time
from vigil.sources.mastodon.export import (
    ERRORS,
    GZIP_MAGIC,
    MEDIA_DIRS,
    ZIP_MAGIC,
    is_export_folder,
    media_key,
    tar_first_member,
    zip_prefix,
)
from vigil.sources.mastodon.html_text import html_to_text
from vigil.sources.mastodon.outbox import read_export
from vigil.sources.mastodon.types import Account, Attachment, Status
from vigil.sources.parts import decode_parts, parts_message
from vigil.sources.shape import salvage_lists

_status = msgspec.json.Decoder(Status)
MAX_LOCAL_IDS = 500_000  # local id -> uri remembered per file, so a reply can name its parent (bounded memory)


class _QuoteIds(msgspec.Struct):
    quoted_status: _Ids | None = None


class _Ids(msgspec.Struct):
    """Only the ids of a status and of the statuses it embeds."""

    id: str | int | None = None
    uri: str | None = None
    reblog: _Ids | None = None
    quote: _QuoteIds | None = None
    statuses: list[_Ids] | None = None  # (an /api/v2/search result's)


_ids = msgspec.json.Decoder(_Ids)


class _Search(msgspec.Struct):
    """An /api/v2/search result: accounts, statuses and hashtags (only the statuses are posts)."""

    statuses: list[msgspec.Raw] | None = None


_search = msgspec.json.Decoder(_Search)


class _AccountRaw(msgspec.Struct):
    account: msgspec.Raw = msgspec.field(default_factory=lambda: msgspec.Raw(b"null"))


_account_raw = msgspec.json.Decoder(_AccountRaw)


def account_status(s: Status, raw: bytes) -> AccountStatus | None:
    """A suspended or moved account of a status, with the account object verbatim as evidence (undated)."""
    acc = s.account
    if acc is None or not (acc.suspended or acc.moved):
        return None
    uid = author_of(acc, s.uri).id
    if not uid:
        return None
    evidence = bytes(_account_raw.decode(raw).account)
    if acc.suspended:
        return AccountStatus(account_uid=f"mastodon:{uid}", status="suspended", raw=evidence)
    assert acc.moved is not None
    target = _global(acc.moved.acct or "", acc.moved.url) or acc.moved.url
    return AccountStatus(account_uid=f"mastodon:{uid}", status="moved", detail=target, raw=evidence)


def local_ids(path: Path) -> dict[str, str]:
    """Local id -> uri of the statuses in a file: the API names a reply's parent only by its instance-local id."""
    out: dict[str, str] = {}
    for item in iter_json_values(path, lists=("statuses",)):
        if isinstance(item, Problem):
            continue  # reported when the file is read for its statuses
        try:
            top = _ids.decode(item[1])
        except (msgspec.DecodeError, ValueError, RecursionError):
            continue
        found: list[_Ids | None] = [top, *(top.statuses or [])]  # (a search result's statuses)
        for s in found:
            depth = 0
            while s is not None and depth <= MAX_DEPTH and len(out) < MAX_LOCAL_IDS:
                if s.id is not None and s.uri:
                    out[str(s.id)] = s.uri
                if s.quote is not None and s.quote.quoted_status is not None:
                    q = s.quote.quoted_status
                    if q.id is not None and q.uri:
                        out[str(q.id)] = q.uri
                s, depth = s.reblog, depth + 1
    return out


MAX_DEPTH = 3  # a boost of a quote of a quote: deeper nesting is not something a server sends
MEDIA_TYPES = {"image": "photo", "gifv": "animated_gif", "video": "video", "audio": "audio"}


def _host(url: str | None) -> str | None:
    try:
        return urlsplit(url).hostname if url else None
    except ValueError:  # a malformed URL such as 'https://[x'
        return None


def _global(acct: str, url: str | None) -> str:
    """user@domain: a local acct takes the domain of its URL."""
    host = _host(url) if "@" not in acct else None
    return f"{acct}@{host}" if acct and host else acct


def author_of(account: Account | None, fallback_url: str | None) -> Author:
    """The account, named globally: handle user@domain (the domain from its URL when acct is local)."""
    if account is None:
        return Author()
    handle = _global(account.acct or account.username or "", account.url or fallback_url) or None
    bio = html_to_text(account.note)[0] if account.note else None
    return Author(id=handle or account.url, handle=handle, name=account.display_name or None, bio=bio or None)


def _media(a: Attachment) -> Media:
    return Media(type=MEDIA_TYPES.get(a.type, "file"), url=a.remote_url or a.url or a.preview_url)


def to_post(s: Status, raw: bytes, inner: Post | None, problems: list[str]) -> Post:
    """Normalize one status; a boost takes the text, title, tags, links and media of the boosted post."""
    created = iso_time(s.created_at, problems, "created_at")
    text, links = html_to_text(s.content)
    tag_urls = {t.url for t in s.tags} | {m.url for m in s.mentions}
    post = Post(
        platform="mastodon",
        id=s.uri or "",
        kind="reply" if s.in_reply_to_id else "post",
        author=author_of(s.account, s.uri),
        created_at=created,
        time_quality=time_quality_of(created),  # type: ignore[arg-type]
        text=text,
        title=s.spoiler_text or None,
        lang=s.language or None,
        url=s.url,
        hashtags=[t.name for t in s.tags],
        mentions=[_global(m.acct, m.url) for m in s.mentions],
        links=[u for u in links if u not in tag_urls],
        media=[_media(a) for a in s.media_attachments],
        metrics=Metrics(
            likes=s.favourites_count, shares=s.reblogs_count, replies=s.replies_count, quotes=s.quotes_count
        ),
        edited_at=iso_time(s.edited_at, problems, "edited_at"),
        raw=raw,
    )
    if inner is not None:
        post.kind = "repost"
        post.repost_of = inner.uid
        post.text, post.title = inner.text, inner.title
        post.hashtags, post.mentions, post.links, post.media = inner.hashtags, inner.mentions, inner.links, inner.media
        post.lang = post.lang or inner.lang
    return post


SIDECARS = frozenset({"actor.json", "likes.json", "bookmarks.json"})  # an export's files that hold no posts


def _statuses(head: bytes) -> bool:
    """API statuses: `uri`, `account` with `acct`, and `content` or `reblog`."""
    return b'"uri"' in head and b'"acct"' in head and (b'"content"' in head or b'"reblog"' in head)


def _is_outbox(head: bytes) -> bool:
    """An export's outbox.json: an OrderedCollection of Create and Announce activities."""
    collection = b'"orderedItems"' in head and b'"OrderedCollection"' in head
    return collection and (b'"Create"' in head or b'"Announce"' in head)


def _export_score(path: Path, head: bytes) -> int:
    """How sure it is that path is an account export: the folder, the .zip, the .tar.gz or the outbox.json."""
    if path.is_dir():
        return 95 if is_export_folder(path) else 0
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as zf:
                return 95 if zip_prefix(zf.namelist()) is not None else 0
        except ERRORS:
            return 0
    if head.startswith(GZIP_MAGIC):
        name = tar_first_member(head) or ""
        first = name.rsplit("/", 1)[-1]
        return 95 if first in ("outbox.json", "actor.json") or media_key(name).startswith(MEDIA_DIRS) else 0
    return 90 if _is_outbox(head) else 0


class MastodonImporter:
    """Mastodon (and compatible servers') API v1 Status JSON, and the account export Mastodon writes."""

    name = "mastodon"
    description = "Mastodon API v1 statuses (JSON list, one status, or JSONL) and account exports (outbox.json, .zip)"
    example = "vigil ingest statuses.jsonl"

    def detect(self, path: Path, head: bytes) -> int:
        """Statuses carry `uri`, `account` with `acct`, and `content` or `reblog`; an export has its outbox."""
        if path.is_dir() or head.startswith((ZIP_MAGIC, GZIP_MAGIC)):
            return _export_score(path, head)
        if _statuses(head):
            return 90
        if path.name in SIDECARS and b'"@context"' in head:
            return 50
        return _export_score(path, head)

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield each status, and a boosted or quoted status as its own post before the one that embeds it."""
        head = b"" if path.is_dir() else read_head(path)
        if path.name in SIDECARS and b'"@context"' in head and not _is_outbox(head):
            yield Skipped(reason=f"{path.name}: part of a Mastodon account export, read with its outbox.json")
            return
        if path.is_dir() or head.startswith((ZIP_MAGIC, GZIP_MAGIC)) or (_is_outbox(head) and not _statuses(head)):
            yield from read_export(path)
            return
        ids = local_ids(path)
        for item in iter_json_values(path, salvage=True, lists=("statuses",)):
            if isinstance(item, Problem):
                yield item
            elif type(item) is Mended:
                yield from item.restore(self._status(path, item.where, item.data, 0, ids))
            else:
                yield from self._status(path, item[0], item[1], ids=ids)  # type: ignore[misc]

    def _status(
        self, path: Path, where: str, raw: bytes, depth: int = 0, ids: dict[str, str] | None = None
    ) -> Iterator[Record]:
        """A status, after the boosted or quoted status it embeds (each stored as its own post)."""
        try:
            s, dropped = decode_parts(_status, raw)
        except (msgspec.DecodeError, RecursionError, ValueError) as exc:
            lists = None
            if depth == 0 and not isinstance(exc, RecursionError) and b'"statuses"' in raw:
                lists = salvage_lists(raw, ("statuses",))
            if lists is None:
                yield Problem(source=str(path), where=where, message=f"bad status JSON: {exc}")
                return
            for i, item in enumerate(lists["statuses"]):  # a damaged search result: each status read alone
                yield from self._status(path, f"{where}, statuses[{i}]", item, 0, ids)
            return
        if dropped:
            yield Problem(source=str(path), where=where, message=parts_message(dropped))
        if not s.uri and depth == 0:
            search = _search.decode(raw) if b'"statuses"' in raw else None
            if search is not None and search.statuses is not None:  # an /api/v2/search result
                for i, item in enumerate(search.statuses):
                    yield from self._status(path, f"{where}, statuses[{i}]", bytes(item), 0, ids)
                return
        embedded: dict[str, Post | None] = {"reblog": None, "quote": None}
        sources = {"reblog": s.reblog, "quote": s.quote.quoted_status if s.quote else None}
        for key, value in sources.items():
            inner = bytes(value) if value is not None else b"null"
            if inner == b"null":
                continue
            if depth >= MAX_DEPTH:
                yield Problem(source=str(path), where=f"{where}, {key}", message="statuses nested too deep; not read")
                continue
            last = None
            for rec in self._status(path, f"{where}, {key}", inner, depth + 1, ids):
                last = rec
                yield rec
            if isinstance(last, Post) and last.raw == inner:  # the embedded status itself comes last
                embedded[key] = last
        if not s.uri:
            yield Problem(source=str(path), where=where, message="status without `uri` (its global id); skipped")
            return
        problems: list[str] = []
        post = to_post(s, raw, embedded["reblog"], problems)
        if bytes(s.reblog) != b"null":
            post.kind = "repost"  # even when the boosted status could not be read
        if s.quote is not None and post.kind == "post":
            post.kind = "quote"
        if s.quote is not None and embedded["quote"] is not None:
            post.quote_of = embedded["quote"].uid
        ids = ids or {}
        if s.quote is not None and post.quote_of is None and (s.quote.quoted_status_id or "") in ids:
            post.quote_of = f"mastodon:{ids[s.quote.quoted_status_id or '']}"  # a shallow quote of a status in the file
        if s.in_reply_to_id is not None and str(s.in_reply_to_id) in ids:
            post.reply_to = f"mastodon:{ids[str(s.in_reply_to_id)]}"
        yield from (Problem(source=str(path), where=where, message=p) for p in problems)
        status = account_status(s, raw)
        if status is not None:
            yield status  # the post stays last: a status that embeds this one takes the last record as its post
        yield post
