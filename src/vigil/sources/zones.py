"""Time zones as a user names them: 'UTC', '+02:00', 'UTC+2' or an IANA name such as 'Europe/Kyiv'."""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def parse_tz(text: str | None) -> tzinfo:
    """'UTC', '+02:00', 'UTC+2' or an IANA name such as 'Europe/Kyiv'; ValueError for anything else."""
    if not text or text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    m = _OFFSET.match(text.strip())
    if m:
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return timezone(-delta if m.group(1) == "-" else delta)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {text!r} (try +02:00 or Europe/Kyiv)") from exc
