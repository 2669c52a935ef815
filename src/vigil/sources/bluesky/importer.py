"""Bluesky: AppView JSON responses (searchPosts, getAuthorFeed, getPostThread) and Jetstream JSONL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import msgspec

from vigil.records import Problem, Record
from vigil.sources.base import DECODE_ERRORS, ImportOptions, iter_json_values
from vigil.sources.bluesky.appview import AppViewReader
from vigil.sources.bluesky.jetstream import JetstreamReader
from vigil.sources.bluesky.types import Line
from vigil.sources.guard import Mended
from vigil.sources.shape import salvage_lists

_line = msgspec.json.Decoder(Line)
_AT_URI = re.compile(rb'"uri"\s*:\s*"at://')
_RESPONSE_KEY = re.compile(rb'"(?:posts|feed|thread)"\s*:')
_JET_KIND = re.compile(rb'"kind"\s*:\s*"(?:commit|identity|account)"')
_BYTE = re.compile(r"\(byte (\d+)\)")


def _column(where: str, exc: Exception) -> str:
    """Add the column msgspec names ('invalid character (byte 10)') to a line's place."""
    m = _BYTE.search(str(exc))
    return f"{where}, column {int(m[1]) + 1}" if m else where


class BlueskyImporter:
    """AppView responses (one JSON document, or one a line) and Jetstream events (one a line)."""

    name = "bluesky"
    description = (
        "Bluesky AppView JSON (searchPosts, getAuthorFeed, getPostThread; one response or JSONL) and Jetstream JSONL"
    )
    example = "vigil ingest search.json jetstream.jsonl"

    def detect(self, path: Path, head: bytes) -> int:
        """Jetstream lines carry `time_us` and a `kind`; AppView responses carry at:// URIs under posts/feed/thread."""
        if not head:
            return 0
        if b'"time_us"' in head and _JET_KIND.search(head) and b'"did:' in head:
            return 95
        if _AT_URI.search(head) and (_RESPONSE_KEY.search(head) or b"app.bsky.feed.post" in head):
            return 95
        return 0

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield the posts, deletions, handle changes and skips of every value in the file."""
        source = str(path)
        appview = AppViewReader(source)
        jetstream = JetstreamReader(source)
        for item in iter_json_values(path, salvage=True):
            if isinstance(item, Problem):
                yield item
            elif type(item) is Mended:
                yield from item.restore(self._value(item.where, item.data, appview, jetstream))
            else:
                yield from self._value(item[0], item[1], appview, jetstream)  # type: ignore[misc]

    def _value(self, where: str, raw: bytes, appview: AppViewReader, jetstream: JetstreamReader) -> Iterator[Record]:
        raw = raw.rstrip(b"\r\n")
        try:
            line = _line.decode(raw)
        except DECODE_ERRORS as exc:
            lists = None if isinstance(exc, RecursionError) else salvage_lists(raw, ("posts", "feed"))
            if lists is None:
                yield Problem(source=appview.source, where=_column(where, exc), message=f"bad JSON: {exc}")
                return
            # One damaged post must not lose the response: each item is read alone, the bad ones reported.
            line = Line(
                posts=[msgspec.Raw(x) for x in lists["posts"]] if "posts" in lists else None,
                feed=[msgspec.Raw(x) for x in lists["feed"]] if "feed" in lists else None,
            )
        if line.time_us is not None and line.kind is not None:
            yield from jetstream.read(where, line, raw)
        else:
            yield from appview.read(where, line, raw)
