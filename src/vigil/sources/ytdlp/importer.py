"""yt-dlp .info.json: one video's metadata, its description verbatim, its transcript from the subtitle files."""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from vigil.records import Author, Media, Metrics, Post, Problem, Record, Skipped
from vigil.sources.arrays import Damage, Window, iter_items
from vigil.sources.base import (
    DECODE_ERRORS,
    STREAM_BYTES,
    ImportOptions,
    encoding_problem,
    first_json_char,
    item_where,
    parse_time,
    time_quality_of,
)
from vigil.sources.walk import Broken, members, take_value
from vigil.sources.ytdlp import subtitles
from vigil.sources.ytdlp.types import Info, Number

_info = msgspec.json.Decoder(Info)
_any = msgspec.json.Decoder()
INFO_SUFFIX = ".info.json"
LIVE_CHAT_SUFFIX = ".live_chat.json"
LIVE_STATUSES = ("is_live", "was_live", "post_live")
THUMB_SUFFIXES = (".webp", ".jpg", ".jpeg", ".png")
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


# Platforms whose posts Vigil's other importers read: a yt-dlp record of a video there shares its id with the post
# (a tweet's video has the tweet's id). Stored under the same uid, the video's title and transcript became a
# "version" of the post and watch reported an edit that never happened; the video gets uid <post uid>#video.
POST_PLATFORMS = frozenset({"twitter", "telegram", "bluesky", "mastodon"})
VIDEO_SUFFIX = "#video"


def stem_of(path: Path) -> str:
    """NAME of NAME.info.json (the name yt-dlp gives the video and its subtitles)."""
    name = path.name
    return name[: -len(INFO_SUFFIX)] if name.endswith(INFO_SUFFIX) else path.stem


def _int(value: Number) -> int | None:
    return int(value) if value is not None else None


def _day(value: str | None) -> datetime | None:
    m = _DATE.match(value or "")
    if not m:
        return None
    try:
        return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
    except ValueError:
        return None


def when(info: Info) -> tuple[datetime | None, str]:
    """Upload time: the Unix timestamp (exact) else upload_date YYYYMMDD (the day, at 00:00Z)."""
    for stamp in (info.timestamp, info.release_timestamp):
        if stamp is not None:
            try:
                dt = parse_time(stamp)
            except (ValueError, OverflowError, OSError):
                continue
            return dt, time_quality_of(dt)
    for date in (info.upload_date, info.release_date):
        day = _day(date)
        if day is not None:
            return day, "day"
    return None, "unknown"


def kind_of(info: Info) -> str:
    """'live' for a stream (live now, or recorded live), else 'video'."""
    if info.live_status in LIVE_STATUSES or info.is_live or info.was_live:
        return "live"
    return "video"


def _sibling(path: Path, name: str | None) -> Path | None:
    if not name:
        return None
    p = path.parent / Path(name).name
    return p if p.is_file() else None


def _thumbnail_file(path: Path, stem: str) -> Path | None:
    for suffix in THUMB_SUFFIXES:
        p = path.parent / f"{stem}{suffix}"
        if p.is_file():
            return p
    return None


def decode_problem(path: Path, data: bytes, exc: Exception) -> Problem:
    """Where the .info.json is broken: line and column of bad JSON (stdlib json names them even when truncated)."""
    try:
        json.loads(data)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        hint = "; is the file truncated?" if err.pos >= len(data.rstrip()) - 64 or "Unterminated" in err.msg else ""
        return Problem(source=str(path), where=where, message=f"bad JSON in .info.json ({err.msg}){hint}")
    except (UnicodeDecodeError, RecursionError) as err:
        return Problem(source=str(path), where="offset 0", message=f"unreadable .info.json: {err}")
    return Problem(source=str(path), where="offset 0", message=f"unexpected value in .info.json: {exc}")


MAX_NESTING = 3  # a channel's tabs hold playlists: deeper nesting is not something yt-dlp writes


def _is_playlist(info: Info) -> bool:
    """A playlist, a channel tab or a multi-video post (older yt-dlp wrote playlists with `entries` but no `_type`)."""
    return info.type in ("playlist", "multi_video") or (info.type is None and info.entries is not None)


class YtDlpImporter:
    """One video's .info.json as yt-dlp writes it, with NAME.LANG.vtt/.srt subtitles beside it."""

    name = "ytdlp"
    description = "yt-dlp .info.json (video metadata; description verbatim; transcript from .vtt/.srt beside it)"
    example = "vigil ingest downloads/"

    def detect(self, path: Path, head: bytes) -> int:
        """Files named *.info.json (or *.live_chat.json); other JSON whose head has extractor_key and webpage_url."""
        if not head:
            return 0
        name = path.name.lower()
        if name.endswith(INFO_SUFFIX) and first_json_char(head) == "{":
            return 95
        if name.endswith(LIVE_CHAT_SUFFIX):
            return 60
        if first_json_char(head) == "{" and b'"extractor_key"' in head and b'"webpage_url"' in head:
            return 90
        return 0

    def iter_records(self, path: Path, options: ImportOptions) -> Generator[Record, None, None]:
        """Yield the video's post (transcript included when a subtitle file reads), or the problems."""
        source = str(path)
        if path.name.lower().endswith(LIVE_CHAT_SUFFIX):
            yield Skipped(reason="yt-dlp live chat replay (not imported)")
            return
        try:
            if path.stat().st_size > STREAM_BYTES and (yield from self._stream(path)):
                return
            data = path.read_bytes()
        except OSError as exc:
            yield Problem(source=source, where="-", message=f"cannot read: {exc.strerror}")
            return
        raw, data = data, data.removeprefix(b"\xef\xbb\xbf")
        bad = encoding_problem(path, data[:4096])
        if bad:
            yield bad
            return
        try:
            info = _info.decode(data)
        except DECODE_ERRORS as exc:
            yield decode_problem(path, data, exc)
            return
        if _is_playlist(info):
            if path.name.lower().endswith(INFO_SUFFIX):  # --write-info-json: its videos have their own files
                yield Skipped(
                    reason=f"yt-dlp {info.type or 'playlist'} metadata (its videos have their own .info.json)"
                )
            else:  # a `yt-dlp -J` dump: the videos are inline, and nowhere else
                yield from self._dump(path, info, "", 0)
            return
        if info.id is None or not info.extractor_key:
            yield Problem(source=source, where="offset 0", message="no id or extractor_key: not a yt-dlp .info.json")
            return
        post = self.to_post(path, info, raw)
        stem = stem_of(path)
        manual = set(info.subtitles or {})
        auto = set(info.automatic_captions or {}) - manual
        listed = manual | auto | set(info.requested_subtitles or {})
        for sub in subtitles.ranked(subtitles.find(path, stem, listed, manual, auto), info.language):
            cues = subtitles.read_cues(sub.path)
            if isinstance(cues, Problem):
                yield cues
                continue
            post.transcript = subtitles.plain_text(cues) or None
            break
        yield post

    def _dump(self, path: Path, playlist: Info, where: str, depth: int) -> Iterator[Record]:
        """Each full video info dict among a dumped playlist's entries as the post its own .info.json gives."""
        entries = ((f"{where}entries[{i}]", bytes(raw)) for i, raw in enumerate(playlist.entries or []))
        yield from self._entries(path, entries, depth)

    def _entries(self, path: Path, entries: Iterable[tuple[str, bytes] | Problem], depth: int) -> Iterator[Record]:
        """The posts of a playlist's entries (where, raw JSON), a nested playlist's too."""
        flat = 0
        for item in entries:
            if isinstance(item, Problem):
                yield item
                continue
            at, raw = item
            try:
                entry = _info.decode(raw)
            except DECODE_ERRORS as exc:
                yield Problem(source=str(path), where=at, message=f"unreadable playlist entry: {exc}")
                continue
            if _is_playlist(entry):  # a channel's tabs: playlists of playlists
                if depth >= MAX_NESTING:
                    yield Problem(source=str(path), where=at, message="playlists nested too deep; not read")
                else:
                    yield from self._dump(path, entry, f"{at}.", depth + 1)
            elif entry.type in (None, "video") and entry.id is not None and entry.extractor_key:
                yield self.to_post(path, entry, raw, stem=None)
            else:
                flat += 1  # `--flat-playlist`: {_type: url, id, url, title} only
        if flat:
            noun = "entry" if flat == 1 else "entries"
            yield Skipped(reason=f"{flat} flat {noun} of a yt-dlp -J dump (a URL and a title; no video metadata)")

    def _stream(self, path: Path) -> Generator[Record, None, bool]:
        """A large playlist read entry by entry through a bounded window; False when it has no `entries` array.

        yt-dlp writes `_type` before `entries`; a file whose `_type` comes after them is taken for a playlist.
        """
        with path.open("rb") as fh:
            win = Window.opened(fh)
            kind: object = None
            try:
                for key in members(win):
                    if key == "_type":
                        kind = _any.decode(take_value(win))
                    elif key == "entries" and win.skip_space() == b"[":
                        if kind not in (None, "playlist", "multi_video"):
                            return False
                        if path.name.lower().endswith(INFO_SUFFIX):
                            reason = f"yt-dlp {kind or 'playlist'} metadata (its videos have their own .info.json)"
                            yield Skipped(reason=reason)
                            return True
                        win.pos += 1
                        yield from self._entries(path, _items(path, win), 0)
                        return True
            except Broken as exc:
                yield Problem(source=str(path), where=exc.where, message=f"bad JSON in .info.json ({exc.message})")
                return True
            except DECODE_ERRORS as exc:
                yield Problem(source=str(path), where="_type", message=f"bad JSON in .info.json ({exc})")
                return True
        return False

    def to_post(self, path: Path, info: Info, data: bytes, stem: str | None = "") -> Post:
        """Normalize the metadata (the transcript is added by the caller)."""
        created, quality = when(info)
        url = info.webpage_url or info.original_url
        video = _sibling(path, info.filename)
        thumb = _thumbnail_file(path, stem_of(path) if stem == "" else stem) if stem is not None else None
        media = [Media(type="video", url=url, path=str(video) if video else None)]
        if info.thumbnail or thumb:
            media.append(Media(type="photo", url=info.thumbnail, path=str(thumb) if thumb else None))
        handle = (info.uploader_id or "").lstrip("@") or None
        platform = (info.extractor_key or "").lower()
        native = str(info.id)
        if platform in POST_PLATFORMS:  # the post itself is another capture's: this is the record of its video
            native = f"{native}{VIDEO_SUFFIX}"
        return Post(
            platform=platform,
            id=native,
            kind=kind_of(info),  # type: ignore[arg-type]
            author=Author(id=info.channel_id or info.uploader_id, handle=handle, name=info.channel or info.uploader),
            created_at=created,
            time_quality=quality,  # type: ignore[arg-type]
            text=info.description or "",
            title=info.title,
            lang=info.language or None,
            url=url,
            hashtags=[t for t in info.tags or [] if isinstance(t, str)],
            media=media,
            metrics=Metrics(
                likes=_int(info.like_count),
                shares=_int(info.repost_count),
                replies=_int(info.comment_count),
                views=_int(info.view_count),
            ),
            raw=data,
        )


def _items(path: Path, win: Window) -> Iterator[tuple[str, bytes] | Problem]:
    """(entries[i], raw JSON) for each entry of the array the window is inside; a Problem per damaged one."""
    for item in iter_items(win):
        if isinstance(item, Damage):
            yield Problem(source=str(path), where=item_where(item.where, "entries"), message=item.message)
        else:
            yield f"entries[{item[0] - 1}]", item[1]
