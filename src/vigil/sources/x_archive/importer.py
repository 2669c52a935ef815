"""X/Twitter "Download your archive": tweets, deleted tweets, the owner's account and the media files kept."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import msgspec

from vigil.records import Author, Deletion, Media, Problem, Record, Scope
from vigil.sources.base import DECODE_ERRORS, Damage, ImportOptions
from vigil.sources.twitter_v1.importer import read_time, to_post
from vigil.sources.twitter_v1.types import MediaItem, Tweet, present
from vigil.sources.x_archive.archive import (
    MEDIA_DIRS,
    TWEETS,
    ZIP_ERRORS,
    ZIP_MAGICS,
    Archive,
    folder_data_dir,
    open_archive,
    zip_prefix,
)
from vigil.sources.x_archive.notes import Notes
from vigil.sources.x_archive.types import AccountItem, Item, ProfileItem
from vigil.sources.x_archive.ytd import iter_items, member_items

_item = msgspec.json.Decoder(Item)
_tweet = msgspec.json.Decoder(Tweet, strict=False)  # the archive gives numbers as strings
_account = msgspec.json.Decoder(AccountItem)
_profile = msgspec.json.Decoder(ProfileItem)


def _first(archive: Archive, name: str, decoder: msgspec.json.Decoder) -> tuple[object | None, Problem | None]:
    data = archive.read(name)
    if isinstance(data, Problem):
        return None, data
    for item in iter_items(data):
        if isinstance(item, Damage):
            return None, Problem(
                source=str(archive.source), where=f"{archive.where(name)}, {item.where}", message=item.message
            )
        try:
            return decoder.decode(item[1]), None
        except DECODE_ERRORS as exc:
            return None, Problem(source=str(archive.source), where=archive.where(name), message=f"bad JSON: {exc}")
    return None, None


def _basename(url: str | None) -> str | None:
    return url.split("?", 1)[0].rsplit("/", 1)[-1] if url else None


class XArchiveImporter:
    """The owner's tweets from an X archive (folder, .zip or tweets.js), with their media files when kept."""

    name = "x_archive"
    description = "X/Twitter 'Download your archive' (the folder, the .zip, or data/tweets.js)"
    example = "vigil ingest twitter-2026-03-01-abc123.zip"

    def detect(self, path: Path, head: bytes) -> int:
        """A folder or zip holding data/tweets.js (or tweet.js), or a bare file starting `window.YTD.tweets.`."""
        if path.is_dir():
            return 95 if folder_data_dir(path) else 0
        if head.startswith(ZIP_MAGICS) and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as zf:
                    names = zf.namelist()
                    if not names and path.suffix.lower() == ".zip":
                        return 40  # an empty zip: said so, not "unknown format"
                    return 95 if zip_prefix(names) is not None else 0
            except ZIP_ERRORS:
                return 0
        if head.startswith(ZIP_MAGICS) and path.suffix.lower() == ".zip" and b"data/tweet" in head:
            return 60  # a damaged archive zip (no table of contents): said so, not "unknown format"
        if head.lstrip().startswith((b"window.YTD.tweets.", b"window.YTD.tweet.")) and TWEETS.match(path.name):
            return 95
        return 0

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield the owner's tweets (long ones whole), then deleted tweets and their deletions, then the scope."""
        archive = open_archive(path)
        if isinstance(archive, Problem):
            yield archive
            return
        try:
            yield from archive.problems
            author, problems = self._author(archive)
            yield from problems
            notes = Notes()
            yield from notes.load(archive)
            complete = True
            media = archive.media_files()
            for name in archive.tweet_files():
                for rec in self._file(archive, name, author, media, notes, deleted=False):
                    complete = complete and not isinstance(rec, Problem)
                    yield rec
            for name in archive.deleted_files():
                yield from self._file(archive, name, author, media, notes, deleted=True)
            yield from notes.unused(str(archive.source))
            if author.id and complete and archive.whole:  # a damaged archive is not the account's complete set
                yield Scope(kind="account", key=f"twitter:{author.id}")
        finally:
            archive.close()

    def _author(self, archive: Archive) -> tuple[Author, list[Problem]]:
        problems: list[Problem] = []
        author = Author()
        if "account.js" not in archive.names:
            msg = "no account.js beside the tweets: posts are stored without an author"
            problems.append(Problem(source=str(archive.source), where=archive.where("account.js"), message=msg))
        else:
            acc, bad = _first(archive, "account.js", _account)
            if bad:
                problems.append(bad)
            if isinstance(acc, AccountItem) and acc.account:
                a = acc.account
                author = Author(id=a.account_id, handle=a.username, name=a.account_display_name)
        if "profile.js" in archive.names:
            prof, bad = _first(archive, "profile.js", _profile)
            if bad:
                problems.append(bad)
            if isinstance(prof, ProfileItem) and prof.profile and prof.profile.description:
                author.bio = prof.profile.description.bio
        return author, problems

    def _file(
        self, archive: Archive, name: str, author: Author, media: set[str], notes: Notes, deleted: bool
    ) -> Iterator[Record]:
        src = str(archive.source)
        for item in member_items(archive, name):
            if isinstance(item, Problem):
                yield item
                continue
            where, raw = item
            try:
                inner = present(_item.decode(raw).tweet) or raw
                t = _tweet.decode(inner)
            except DECODE_ERRORS as exc:
                yield Problem(source=src, where=where, message=f"bad tweet: {exc}")
                continue
            if not t.id_str:
                yield Problem(source=src, where=where, message="tweet has no id_str; skipped")
                continue
            _, bad_time = read_time(t.created_at)
            if bad_time:
                yield Problem(source=src, where=where, message=f"tweet {t.id_str}: {bad_time}; stored undated")
                t.created_at = None
            try:
                post = to_post(t, inner, msgspec.structs.replace(author), self._media(archive, t, media))
            except DECODE_ERRORS as exc:  # an embedded status the archive should not hold
                yield Problem(source=src, where=where, message=f"bad tweet: {exc}")
                continue
            if post.kind == "post" and post.text.startswith("RT @"):
                post.kind = "repost"  # the archive keeps retweets as "RT @name: …" without the original's id
            ambiguous = notes.join(post, src)  # a long post's whole text, from note-tweet.js
            if ambiguous:
                yield ambiguous
            yield post
            if deleted:
                at, _ = read_time(t.deleted_at)
                yield Deletion(uid=post.uid, at=at)

    def _media(self, archive: Archive, t: Tweet, held: set[str]) -> list[Media]:
        ext = t.extended_entities
        items: list[MediaItem] = ext.media if ext else (t.entities.media if t.entities else [])
        out = []
        for m in items:
            url = m.media_url_https or m.media_url
            names = [_basename(v.url) for v in (m.video_info.variants if m.video_info else [])] + [_basename(url)]
            found = _held_file(t.id_str or "", names, held)
            if found:
                out.append(Media(type=m.type, url=url, path=archive.where(found), sha256=archive.sha256(found)))
            else:
                out.append(Media(type=m.type, url=url, missing=bool(held)))
        return out


def _held_file(tweet_id: str, names: list[str | None], held: set[str]) -> str | None:
    """The archive's copy of a media item: tweets_media/<tweet id>-<file name of its URL>."""
    for base in names:
        for folder in MEDIA_DIRS:
            name = f"{folder}{tweet_id}-{base}"
            if base and name in held:
                return name
    return None
