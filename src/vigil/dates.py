"""Dates and times as people type them: ISO, 13/04/2026 (in a stated order), now, yesterday, 2 days ago.

One parser for every --since, --until and --as-of. A day alone means its start (or, for an upper bound, its
last second) in the given zone, so `--since D --until D --tz +03:00` covers the local day D.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

ORDERS = ("dmy", "mdy", "ymd")
ORDER_ENV = "VIGIL_DATE_ORDER"  # `vigil --date-order dmy COMMAND` sets it for the command
_AGO = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\s+ago$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_NUMERIC = re.compile(r"^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}


class DateError(ValueError):
    """A date or time that cannot be read, or could be read two ways (the message says how to fix it)."""


def parse_moment(
    text: str,
    *,
    end: bool = False,
    tz: tzinfo = UTC,
    order: str | None = None,
    now: datetime | None = None,
) -> datetime:
    """An aware datetime from what a person typed; a day alone is its first second (its last with end=True) in tz.

    Accepted: 2026-04-13, 2026-04-13T08:00, 2026-04-13 08:00:00+03:00, 13/04/2026 (and 13.04.2026, 13-04-2026,
    with an optional time) when the order is stated or the day is over 12, now, today, yesterday, tomorrow,
    "2 days ago", "90 minutes ago", "3h ago". A time without a zone is in tz.
    """
    value = " ".join(text.strip().lower().split())
    if not value:
        raise DateError("empty date")
    current = (now or datetime.now(UTC)).astimezone(tz)
    if value == "now":
        return current.replace(microsecond=0)
    if value in _DAY_WORDS:
        return _day_bound(current.date() + timedelta(days=_DAY_WORDS[value]), tz, end)
    m = _AGO.match(value)
    if m:
        return (current - timedelta(seconds=float(m.group(1)) * _UNIT_SECONDS[m.group(2)[0]])).replace(microsecond=0)
    m = _NUMERIC.match(value)
    if m and not (len(m.group(1)) == 4 and m.group(2) == "-"):  # 2026-04-13 is ISO, read below
        day = _numeric_day(text.strip(), m, order if order is not None else os.environ.get(ORDER_ENV) or None)
        if m.group(5) is None:
            return _day_bound(day, tz, end)
        at = time(int(m.group(5)), int(m.group(6)), int(m.group(7) or 0))
        return datetime.combine(day, at, tzinfo=tz)
    return _iso(text.strip(), tz, end)


def _day_bound(day: date, tz: tzinfo, end: bool) -> datetime:
    return datetime.combine(day, time(23, 59, 59) if end else time(0, 0), tzinfo=tz)


def _iso(text: str, tz: tzinfo, end: bool) -> datetime:
    value = text.replace(" ", "T", 1) if len(text) > 10 else text
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        if len(value) == 10:
            return _day_bound(date.fromisoformat(value), tz, end)
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise DateError(
            f"not a date or time: {text!r} (try 2026-04-13, 2026-04-13T08:00, 13/04/2026, yesterday, 2 days ago, now)"
        ) from None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=tz)


def _numeric_day(text: str, m: re.Match[str], order: str | None) -> date:
    """13/04/2026, 04/13/2026 or 2026/04/13, in the order stated or the only one that makes a date."""
    a, b, c = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if order is not None and order not in ORDERS:
        raise DateError(f"unknown date order {order!r} (one of: {', '.join(ORDERS)})")
    if len(m.group(1)) == 4:
        candidates = {"ymd": (a, b, c)}
    elif len(m.group(4)) != 4:
        raise DateError(f"{text!r}: write the year with four digits (13/04/2026)")
    else:
        candidates = {"dmy": (c, b, a), "mdy": (c, a, b)}
    valid = {}
    for name, (y, mo, d) in candidates.items():
        try:
            valid[name] = date(y, mo, d)
        except ValueError:
            continue
    if order is not None and order in candidates:
        if order not in valid:
            raise DateError(f"{text!r} is not a date in the order {order}")
        return valid[order]
    if len(set(valid.values())) == 1:
        return next(iter(valid.values()))
    if not valid:
        raise DateError(f"{text!r} is not a date")
    return _ambiguous(text, valid)


def _ambiguous(text: str, valid: dict[str, date]) -> date:
    readings = " or ".join(f"{d:%d %B %Y} ({name})" for name, d in valid.items())
    raise DateError(f"{text!r} could be {readings}: add --date-order dmy or --date-order mdy")


def parse_zone(text: str | None) -> tzinfo:
    """'UTC', '+02:00', 'UTC+2' or an IANA name such as 'Europe/Kyiv' (vigil.sources.zones, as ingest --tz reads it)."""
    from vigil.sources.zones import parse_tz

    try:
        return parse_tz(text.strip() if text else text)
    except ValueError as exc:
        raise DateError(str(exc)) from None


def iso_utc(dt: datetime) -> str:
    """'2026-04-13T05:00:00Z': how the store writes times, so bounds compare with stored ones as strings."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
