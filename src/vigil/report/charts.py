"""Inline SVG charts for the digest: posts per hour by label, and each voice's activity and silence on one axis."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from vigil.report import phrases as ph

if TYPE_CHECKING:
    from vigil.report.digest import Digest, VoiceSection

COLOURS = {
    "farewell": "#6a1b9a",
    "plea": "#c62828",
    "attack": "#e65100",
    "casualties": "#4e342e",
    "missing": "#f9a825",
    "evacuation": "#1565c0",
    "rights": "#ad1457",
    "infrastructure": "#546e7a",
    "shortages": "#00838f",
    "aid": "#2e7d32",
    "other": "#b0bec5",
}
WIDTH = 960
LEFT = 170  # room for voice names
RIGHT = 16


def _x(t: datetime, start: datetime, end: datetime, left: int = LEFT) -> float:
    span = max(1.0, (end - start).total_seconds())
    return round(left + (t - start).total_seconds() / span * (WIDTH - left - RIGHT), 1)


def _day_ticks(start: datetime, end: datetime, tz: tzinfo) -> list[datetime]:
    local = start.astimezone(tz)
    t = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    out = []
    while t <= end:
        out.append(t)
        t += timedelta(days=1)
    return out


def _axis(start: datetime, end: datetime, tz: tzinfo, top: int, bottom: int, left: int) -> list[str]:
    parts = [f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" class="axis"/>']
    ticks = _day_ticks(start, end, tz)
    step = max(1, len(ticks) // 10)
    for i, t in enumerate(ticks):
        x = _x(t, start, end, left)
        parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" class="grid"/>')
        if i % step == 0:
            parts.append(f'<text x="{x + 3}" y="{bottom + 14}" class="tick">{escape(f"{t:%a} {t.day} {t:%b}")}</text>')
    return parts


def posts_by_label(d: Digest) -> Markup:
    """Stacked bars: posts per hour (or wider bin) by the label that names their story."""
    height, top, bottom, left = 230, 10, 180, 40
    peak = max((sum(c.values()) for _, c in d.hourly), default=0) or 1
    bin_w = max(1.0, (WIDTH - left - RIGHT) / max(1, len(d.hourly)) - 1)
    unit = "hour" if d.bin_hours == 1 else f"{d.bin_hours} hours"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
        f'aria-label="Posts per {unit} by label">',
        f'<text x="{left - 6}" y="{top + 8}" class="tick" text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{bottom}" class="tick" text-anchor="end">0</text>',
    ]
    parts += _axis(d.since, d.until, d.tz, top, bottom, left)
    used: list[str] = []
    for start, counts in d.hourly:
        x = _x(start, d.since, d.until, left)
        y = float(bottom)
        for label in (*COLOURS, *sorted(set(counts) - set(COLOURS))):
            n = counts.get(label, 0)
            if not n:
                continue
            if label not in used:
                used.append(label)
            h = n / peak * (bottom - top)
            y -= h
            tip = f"{ph.clock(start, d.tz)}: {n} {label}"
            parts.append(
                f'<rect x="{max(x, left)}" y="{y:.1f}" width="{bin_w:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS.get(label, "#90a4ae")}"><title>{escape(tip)}</title></rect>'
            )
    x = left
    for label in used:
        parts.append(
            f'<rect x="{x}" y="{height - 22}" width="10" height="10" fill="{COLOURS.get(label, "#90a4ae")}"/>'
            f'<text x="{x + 14}" y="{height - 13}" class="legend">{escape(label)}</text>'
        )
        x += 24 + 7 * len(label)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped


def _gaps(v: VoiceSection, d: Digest) -> list[tuple[datetime, datetime, bool]]:
    times = [q.at for q in v.points if q.at is not None]
    limit = max(d.silence, timedelta(hours=v.status.limit_hours or 0))  # the voice's usual gap: nights unshaded
    out = []
    for a, b in zip(times, times[1:], strict=False):
        if b - a > limit:
            out.append((a, b, False))
    if times and v.status.status in ("silent", "gone"):
        out.append((times[-1], max(d.until, min(d.as_of, d.until + d.silence * 4)), True))
    return out


def voice_timeline(d: Digest) -> Markup:
    """One row per voice: a mark per post (coloured by label, hollow when deleted) and shaded silences."""
    row, top = 34, 8
    voices = d.voices
    end = max(d.until, min(d.as_of, d.until + d.silence * 4))
    bottom = top + row * max(1, len(voices))
    height = bottom + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
        'aria-label="Each voice: posts and silences">'
    ]
    parts += _axis(d.since, end, d.tz, top, bottom, LEFT)
    for i, v in enumerate(voices):
        y = top + i * row + row / 2
        name = v.name if len(v.name) <= 24 else v.name[:23] + "…"
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4}" class="name" text-anchor="end">{escape(name)}</text>')
        parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" class="lane"/>')
        for a, b, ongoing in _gaps(v, d):
            x1, x2 = _x(a, d.since, end), _x(min(b, end), d.since, end)
            hours = ph.hours_phrase((b - a).total_seconds() / 3600)
            cls = "silence-now" if ongoing else "silence"
            tip = f"{v.name}: silent {hours}" + (" (still silent)" if ongoing else "")
            parts.append(
                f'<rect x="{x1}" y="{y - 9}" width="{max(1.0, x2 - x1):.1f}" height="18" class="{cls}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if x2 - x1 > 70:
                parts.append(
                    f'<text x="{(x1 + x2) / 2:.1f}" y="{y + 4}" class="gap" text-anchor="middle">'
                    f"{escape('silent ' + hours)}</text>"
                )
        for q in v.points:
            if q.at is None:
                continue
            x = _x(q.at, d.since, end)
            colour = COLOURS.get(q.story_label or "other", "#90a4ae")
            r = 6 if q.story_label in ("farewell", "plea") else 4
            tip = f"{q.local} — {q.platform_name}" + (f" — {', '.join(q.labels)}" if q.labels else "")
            if q.deleted:
                tip += " — deleted"
                parts.append(
                    f'<circle cx="{x}" cy="{y}" r="{r}" fill="#fff" stroke="{colour}" stroke-width="2">'
                    f"<title>{escape(tip)}</title></circle>"
                )
            else:
                parts.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}"><title>{escape(tip)}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
