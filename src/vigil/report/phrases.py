"""How the digest words times, reach and labels (English), and which time zone is local."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from vigil.sources.zones import parse_tz as parse_tz  # the digest names its zone as ingest --tz does
from vigil.words import count

LABEL_TITLES = {
    "plea": "Pleas for help",
    "farewell": "Farewells",
    "attack": "Attacks reported",
    "casualties": "Casualties",
    "missing": "People missing",
    "evacuation": "Evacuation",
    "infrastructure": "Infrastructure",
    "shortages": "Shortages",
    "rights": "Rights abuses",
    "advice": "Advice",
    "aid": "Aid",
    "sympathy": "Sympathy",
}
PLATFORMS = {
    "twitter": "X/Twitter",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "youtube": "YouTube",
    "csv": "relay sheet",
}


def tz_name(tz: tzinfo) -> str:
    """A short label for the local zone: 'UTC+2', 'UTC+5:30' or the IANA key."""
    if isinstance(tz, ZoneInfo):
        return tz.key
    off = tz.utcoffset(None) or timedelta(0)
    if not off:
        return "UTC"
    sign = "+" if off >= timedelta(0) else "-"
    minutes = abs(int(off.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def when(value: str | datetime | None) -> datetime | None:
    """An aware datetime from a stored ISO time."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def clock(dt: datetime, tz: tzinfo) -> str:
    """'Wed 4 Mar 08:55' in the zone."""
    t = dt.astimezone(tz)
    return f"{t:%a} {t.day} {t:%b %H:%M}"


def day_title(dt: datetime, tz: tzinfo) -> str:
    """'Wednesday 4 March 2026' in the zone."""
    t = dt.astimezone(tz)
    return f"{t:%A} {t.day} {t:%B %Y}"


def since_phrase(dt: datetime, tz: tzinfo) -> str:
    """'nothing since Wednesday 4 March 14:00 (local)'."""
    t = dt.astimezone(tz)
    return f"nothing since {t:%A} {t.day} {t:%B %H:%M}"


def hours_phrase(hours: float) -> str:
    """'50 hours', '3 days 4 hours'."""
    h = round(hours)
    if h < 48:
        return count(h, "hour")
    return count(h // 24, "day") + (f" {count(h % 24, 'hour')}" if h % 24 else "")


def figure_name(name: str, n: int) -> str:
    """A headline figure's name for its number: '1 farewell', '2 farewells' ('silent now' and 'deleted' stay)."""
    if n == 1 and name.endswith("s") and " " not in name:
        return name[:-1]
    return name


def reach(likes: int | None, shares: int | None, views: int | None) -> list[str]:
    """'liked 21,000 times', 'shared 9,000 times', '100,000 views' (only the figures the source gave)."""
    out = []
    if likes:
        out.append(f"liked {count(likes, 'time')}")
    if shares:
        out.append(f"shared {count(shares, 'time')}")
    if views:
        out.append(count(views, "view"))
    return out


def platform_name(platform: str) -> str:
    """The platform as readers know it."""
    return PLATFORMS.get(platform, platform.capitalize())


def label_title(label: str) -> str:
    """'attack' -> 'Attacks reported'."""
    return LABEL_TITLES.get(label, label.capitalize())
