"""Which CSV column holds which post field: the user's --map, or well-known header names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELDS = (
    "id", "text", "created_at", "author", "author_name", "author_id", "platform", "url", "lang",
    "likes", "shares", "replies", "quotes", "views", "reply_to", "kind",
)  # fmt: skip
REQUIRED = ("id", "text")
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "tweet id", "tweetid", "id str", "post id", "status id", "message id"),
    "text": ("text", "tweet text", "full text", "tweet", "content", "message", "body", "post text"),
    "created_at": ("created at", "date", "datetime", "timestamp", "time", "posted at", "tweet date", "published"),
    "author": ("author", "user", "username", "screen name", "handle", "user screen name", "from user"),
    "author_name": ("author name", "display name", "user display name"),
    "author_id": ("author id", "user id", "from user id"),
    "platform": ("platform", "network"),
    "url": ("url", "link", "permalink", "tweet url", "post url"),
    "lang": ("lang", "language"),
    "likes": ("likes", "like count", "favorite count", "favorites", "favourites"),
    "shares": ("shares", "retweets", "retweet count", "reposts", "repost count"),
    "replies": ("replies", "reply count"),
    "quotes": ("quotes", "quote count"),
    "views": ("views", "view count", "impressions"),
    "reply_to": ("reply to", "in reply to", "in reply to status id", "in reply to status id str"),
    "kind": ("kind", "type", "post type"),
}
_SEP = re.compile(r"[\s_\-]+")


def norm(header: str) -> str:
    """How a header is compared with a --map: surrounding spaces stripped, case folded."""
    return header.strip().casefold()


def loose(header: str) -> str:
    """How a header is compared with the well-known names: also `_`, `-` and spaces alike."""
    return _SEP.sub(" ", norm(header)).strip()


@dataclass
class ColumnMap:
    """Field -> column index, fixed values (`platform==twitter`), and the header as the file gives it."""

    header: list[str]
    index: dict[str, int] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> str:
        """The header cell (as given) of a mapped field."""
        return self.header[self.index[name]].strip()


def guess(header: list[str]) -> ColumnMap:
    """Map fields to columns by well-known header names (the first matching column wins)."""
    cmap = ColumnMap(header)
    by_name: dict[str, int] = {}
    for i, h in enumerate(header):
        by_name.setdefault(loose(h), i)
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in by_name:
                cmap.index[name] = by_name[alias]
                break
    return cmap


def resolve(header: list[str], spec: dict[str, str]) -> tuple[ColumnMap, list[str]]:
    """Apply a --map to a header; return the map and what is wrong with it (unknown fields or columns)."""
    cmap = ColumnMap(header)
    errors: list[str] = []
    by_name: dict[str, int] = {}
    for i, h in enumerate(header):
        by_name.setdefault(norm(h), i)
    for name, column in spec.items():
        key = name.strip().lower()
        if key not in FIELDS:
            errors.append(f"unknown field {name!r} in --map (known: {', '.join(FIELDS)})")
        elif column.startswith("=") and key not in REQUIRED:
            cmap.fixed[key] = column[1:].strip()
        elif norm(column) in by_name:
            cmap.index[key] = by_name[norm(column)]
        else:
            shown = ", ".join(repr(h.strip()) for h in header)
            errors.append(f"column {column!r} (for {key}) is not in the header ({shown})")
    errors += [f"--map gives no column for {k}" for k in REQUIRED if k not in cmap.index and k not in spec]
    return cmap, errors
