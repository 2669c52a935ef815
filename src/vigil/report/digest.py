"""The digest of a period as data: headline figures, stories day by day, each voice's words, silences, charts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import sqlalchemy as sa

from vigil.records import iso_z
from vigil.report import phrases as ph
from vigil.report.quotes import STORY_LABELS, Quote, QuoteReader
from vigil.report.tally import Candidate, Tally, tally
from vigil.store import schema
from vigil.store.deletions import deleted_posts
from vigil.store.engine import Workspace
from vigil.store.queries import normalize_time_bound
from vigil.watch.accounts import WORDS
from vigil.watch.events import Event, detect_events
from vigil.watch.silence import DEFAULT_SILENCE, VoiceStatus, judge_moment, parse_as_of, watch
from vigil.watch.voices import ensure_voices, find_voice

MAX_VOICES = 40  # sections; the other voices are named in one line
MAX_BINS = 72


@dataclass
class Story:
    """Reports of one kind of event, in one place, on one day: the first, and the independent voices reporting it."""

    key: str
    label: str
    place: str | None
    first: Quote
    voices: list[str]  # names, each voice once (speakers by their own name), reposts left out

    @property
    def title(self) -> str:
        """'Attacks reported · Karm al-Tin'."""
        return ph.label_title(self.label) + (f" · {self.place}" if self.place else "")


@dataclass
class Day:
    """One local day: its stories in order of first report, and the watch's events."""

    day: date
    title: str
    posts: int
    stories: list[Story] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


@dataclass
class VoiceSection:
    """One voice in the digest: who, their status now, and their significant posts in time order."""

    status: VoiceStatus
    role: str | None
    place: str | None
    platforms: list[str]
    quotes: list[Quote]
    posts: int
    silence_note: str | None
    points: list[Quote] = field(default_factory=list, repr=False)
    last_seen_local: str = ""

    @property
    def name(self) -> str:
        """The voice's name."""
        return self.status.name


@dataclass
class Digest:
    """Everything the HTML and Markdown renderers show."""

    title: str
    since: datetime
    until: datetime
    as_of: datetime
    tz: tzinfo
    silence: timedelta
    figures: dict[str, int]
    days: list[Day]
    voices: list[VoiceSection]
    others: list[str]
    hourly: list[tuple[datetime, Counter[str]]]
    bin_hours: int
    generated_at: datetime

    @property
    def tz_label(self) -> str:
        """The local zone's name."""
        return ph.tz_name(self.tz)

    @property
    def silent_now(self) -> list[VoiceSection]:
        """The silences that matter at the digest's moment (at risk, not acknowledged), most at risk first."""
        return [v for v in self.voices if v.status.alarm]

    @property
    def quiet_now(self) -> list[VoiceSection]:
        """The other voices silent at the digest's moment (outside, muted or acknowledged)."""
        alarm = {v.status.voice for v in self.silent_now}
        return [v for v in self.voices if v.status.status in ("silent", "gone") and v.status.voice not in alarm]


def group_stories(t: Tally, firsts: dict[int, Quote]) -> dict[date, list[Story]]:
    """Stories by local day of their first report, the gravest labels first, then by first report."""
    out: dict[date, list[Story]] = defaultdict(list)
    for (day, label, place), st in t.stories.items():
        story = Story(f"{day}:{label}:{place or ''}", label, place, firsts[st.first_pk], list(st.voices.values()))
        out[day].append(story)
    for stories in out.values():
        stories.sort(key=lambda s: (STORY_LABELS.index(s.label) > 2, s.first.at or datetime.min))
    return out


def event_phrase(e: Event, names: dict[int, str], tz: tzinfo) -> str:
    """One line for the day's timeline."""
    who = names.get(e.voice_id or -1, "someone")
    d = e.detail
    if e.kind == "silent":
        since = ph.when(d.get("since"))
        return f"{who} fell silent: nothing after {ph.clock(since, tz)}" if since else f"{who} fell silent"
    if e.kind == "reappeared":
        return f"{who} reappeared after {ph.hours_phrase(float(d.get('silent_hours') or 0))} of silence"
    if e.kind == "deleted":
        how = "no longer in a later complete export" if d.get("how") == "absent" else "deleted"
        return f"a post by {who} is {how}"
    if e.kind == "account":
        return f"{who}'s account {d.get('account')}: {WORDS.get(str(d.get('status')), d.get('status'))}"
    return f"{who} edited a post"


def _bins(t: Tally, since: datetime, until: datetime) -> tuple[list[tuple[datetime, Counter[str]]], int]:
    span = max(1.0, (until - since).total_seconds() / 3600)
    size = next(h for h in (1, 2, 3, 6, 12, 24, 48, 168) if span / h <= MAX_BINS or h == 168)
    start = since.replace(minute=0, second=0, microsecond=0)
    start -= timedelta(hours=start.hour % size) if size <= 24 else timedelta(0)
    n = int((until - start).total_seconds() // (size * 3600)) + 1
    return t.bins(start, size, n), size


def resolve_voices(ws: Workspace, keys: list[str]) -> set[int]:
    """Voice ids from ids, names or accounts."""
    with ws.engine.connect() as conn:
        return {find_voice(conn, k) for k in keys}


def _sections(
    t: Tally, statuses: list[VoiceStatus], info: dict[int, Any], names: dict[int, str], zone: tzinfo
) -> tuple[list[tuple[VoiceSection, list[Candidate], bool]], list[str]]:
    """A section per voice with something to quote (its quotes still to read, and whether it posts), and the others."""
    ranked: list[tuple[VoiceSection, list[Candidate], bool]] = []
    others: list[str] = []
    for s in statuses:
        v = t.voices.get(s.voice)
        if not v:
            continue
        chosen = v.chosen()
        if not any(c.significant for c in chosen) and s.status == "active":
            others.append(s.name)
            continue
        last = ph.when(s.last_seen)
        note = ph.since_phrase(last, zone) if last and s.status != "active" else None
        r = info.get(s.voice)
        section = VoiceSection(
            s,
            r.role if r else None,
            r.place if r else None,
            v.platform_names,
            [],
            v.posts,
            note,
            last_seen_local=ph.clock(last, zone) if last else "",
        )
        ranked.append((section, chosen, True))
    for vid in sorted(set(t.voices) - {s.voice for s in statuses}):  # speakers without an account of their own
        v = t.voices[vid]
        r = info.get(vid)
        status = VoiceStatus(vid, names.get(vid, f"voice {vid}"), [], "speaker", None, None, [], 0)
        section = VoiceSection(
            status, r.role if r else None, r.place if r else None, v.platform_names, [], v.posts, None
        )
        ranked.append((section, v.chosen(), False))
    return ranked, others


def build_digest(
    ws: Workspace,
    since: str | None = None,
    until: str | None = None,
    as_of: str | None = None,
    voices: list[str] | None = None,
    tz: str | None = None,
    silence: timedelta = DEFAULT_SILENCE,
    title: str = "Digest",
    max_voices: int = MAX_VOICES,
) -> Digest:
    """The digest of [since, until] judged at as_of (default: until, else now), times shown in tz."""
    ensure_voices(ws)
    zone = ph.parse_tz(tz)
    moment, _ = judge_moment(ws, parse_as_of(as_of or until) if (as_of or until) else None)
    lo, hi = normalize_time_bound(since), normalize_time_bound(until, end=True) or iso_z(moment)
    assert hi is not None
    statuses = watch(ws, moment, silence)
    names = {s.voice: s.name for s in statuses}
    vt = schema.voices.c
    with ws.engine.connect() as conn:
        info = {r.id: r for r in conn.execute(sa.select(vt.id, vt.name, vt.role, vt.place))}
    names.update({vid: r.name or f"voice {vid}" for vid, r in info.items() if vid not in names})
    wanted = resolve_voices(ws, voices) if voices else None
    deleted = deleted_posts(ws, iso_z(moment))
    events = detect_events(ws, moment, silence, statuses)  # before the tally: its every-post load then is gone
    for s in statuses:  # nothing below reads the watch's copy of every post (PostPoints): let it go before the tally
        s.posts = []
    with ws.engine.connect() as conn:
        t = tally(conn, lo, hi, zone, deleted, names, wanted)
    start = ph.when(lo) or t.first or moment
    end = ph.when(hi) or moment
    if not until and t.last and not as_of:
        end = t.last
    ranked, others = _sections(t, statuses, info, names, zone)
    ranked.sort(key=lambda x: (-x[0].status.risk, -len(x[1]), x[0].name.casefold()))
    others += [v.name for v, _, _ in ranked[max_voices:]]
    ranked = ranked[:max_voices]
    reader = QuoteReader(zone, deleted, names)  # the shown voices known, only what they show is read back as Quotes
    read = reader.by_pk(
        ws, [c.pk for _, chosen, _ in ranked for c in chosen] + [st.first_pk for st in t.stories.values()]
    )
    points = reader.posted_by(ws, lo, hi, [v.status.voice for v, _, posts in ranked if posts], wanted)
    for section, chosen, posts in ranked:
        section.quotes = [read[c.pk] for c in chosen]
        if posts:
            section.points = points.get(section.status.voice, [])
    sections = [section for section, _, _ in ranked]
    story_days = group_stories(t, read)
    shown = {v.status.voice for v in sections}
    day_events: dict[date, list[str]] = defaultdict(list)
    for e in events:
        at = ph.when(e.at)
        # silences and returns are only those that matter (detect_events leaves out the rest): each one is listed
        listed = e.kind in ("silent", "reappeared") and (wanted is None or e.voice_id in wanted)
        if at and start <= at <= max(end, moment) and (e.voice_id in shown or e.kind == "deleted" or listed):
            day_events[at.astimezone(zone).date()].append(f"{ph.clock(at, zone)} — {event_phrase(e, names, zone)}")
    days = [
        Day(
            d,
            ph.day_title(datetime(d.year, d.month, d.day, 12, tzinfo=zone), zone),
            t.per_day.get(d, 0),
            story_days.get(d, []),
            day_events.get(d, []),
        )
        for d in sorted(set(t.per_day) | set(story_days) | set(day_events))
    ]
    figures = {
        "posts": t.posts,
        "voices": len(t.voice_ids),
        "pleas": t.pleas,
        "farewells": t.farewells,
        "silent now": sum(v.status.alarm for v in sections),
        "deleted": t.deleted,
    }
    hourly, size = _bins(t, start, end)
    return Digest(
        title,
        start,
        end,
        moment,
        zone,
        silence,
        figures,
        days,
        sections,
        sorted(others),
        hourly,
        size,
        datetime.now(zone).replace(microsecond=0),
    )
