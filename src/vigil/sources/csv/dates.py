"""Read the dates spreadsheets hold: ISO 8601, '2013-04-15 14:50:00', Twitter's v1.1 style, RFC 2822, Unix time."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from vigil.sources.base import time_quality_of

_SECONDS = re.compile(r"\d{9,11}(\.\d+)?")
_MILLIS = re.compile(r"\d{12,14}")
FORMATS = ("%a %b %d %H:%M:%S %z %Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")


def _parse(text: str) -> tuple[datetime, str]:
    if _SECONDS.fullmatch(text):
        return datetime.fromtimestamp(float(text), tz=UTC), "exact"
    if _MILLIS.fullmatch(text):
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC), "exact"
    try:
        dt = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        dt = None
    if dt is None:
        for fmt in FORMATS:
            try:
                dt = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if dt is None:
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise ValueError(text) from None
    if ":" not in text:
        return dt.replace(tzinfo=UTC), "day"
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC), "no-timezone"
    return dt.astimezone(UTC), "exact"


def read_time(value: str) -> tuple[datetime, str]:
    """Parse a spreadsheet date into aware UTC and say how far to trust it; ValueError when unreadable."""
    dt, quality = _parse(value.strip())
    if time_quality_of(dt) == "suspect":
        return dt, "suspect"
    return dt, quality
