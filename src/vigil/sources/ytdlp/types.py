"""The fields of a yt-dlp .info.json that Vigil reads (everything else stays in the raw payload)."""

from __future__ import annotations

import msgspec

Number = int | float | None


class Info(msgspec.Struct):
    """One video's (or a playlist's) metadata as yt-dlp --write-info-json writes it."""

    id: str | int | None = None
    type: str | None = msgspec.field(name="_type", default=None)
    extractor_key: str | None = None
    extractor: str | None = None
    webpage_url: str | None = None
    original_url: str | None = None
    title: str | None = None
    description: str | None = None
    uploader: str | None = None
    uploader_id: str | None = None
    channel: str | None = None
    channel_id: str | None = None
    channel_url: str | None = None
    timestamp: Number = None
    upload_date: str | None = None
    release_timestamp: Number = None
    release_date: str | None = None
    duration: Number = None
    view_count: Number = None
    like_count: Number = None
    comment_count: Number = None
    repost_count: Number = None
    is_live: bool | None = None
    was_live: bool | None = None
    live_status: str | None = None
    tags: list[object] | None = None
    language: str | None = None
    thumbnail: str | None = None
    filename: str | None = msgspec.field(name="_filename", default=None)
    requested_subtitles: dict[str, msgspec.Raw] | None = None
    subtitles: dict[str, msgspec.Raw] | None = None
    automatic_captions: dict[str, msgspec.Raw] | None = None
    entries: list[msgspec.Raw] | None = None  # a playlist's videos (older yt-dlp wrote playlists without _type)
