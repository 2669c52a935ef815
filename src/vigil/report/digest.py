"""The digest of a period as data: headline figures, stories day by day, each voice's words, silences, charts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property
from typing import Any

import msgspec
import sqlalchemy as sa

from vigil.model import iso_z
from vigil.report import phrases as ph
from vigil.store import schema
from vigil.store.engine import Workspace
from vigil.store.queries import normalize_time_bound
from vigil.watch.accounts import WORDS
from vigil.watch.deletions import Deleted, deleted_posts
from vigil.watch.silence import DEFAULT_SILENCE, Event, VoiceStatus, detect_events, parse_as_of, watch
from vigil.watch.voices import ensure_voices, find_voice

# Labels that make a post news, most telling first; the first one a post has names its story.
STORY_LABELS = (
    "farewell",
    "plea",
    "attack",
    "casualties",
    "missing",
    "evacuation",
    "rights",
    "infrastructure",
    "shortages",
    "aid",
)
SIGNIFICANT_PRIORITIES = frozenset({"critical", "high", "medium"})
MAX_QUOTES = 12
MAX_VOICES = 40  # sections; the other voices are named in one line
ALARM_RISK = 60  # silent, and the last posts carried at least a casualties report
MAX_BINS = 72
FALLBACK_QUOTES = 5
_dec = msgspec.json.Decoder()


@dataclass
class Quote:
    """One post as the digest quotes it: verbatim words, who, where, when (local and UTC), reach, marks."""

    uid: str
    platform: str
    kind: str
    voice_id: int | None
    voice_name: str
    handle: str | None
    at: datetime | None
    tz: tzinfo
    text: str
    transcript: str | None
    title: str | None
    url: str | None
    labels: list[str]
    priority: str | None
    eyewitness: bool
    likes: int | None
    shares: int | None
    views: int | None
    places: list[str]
    repost: bool
    time_quality: str
    deleted: Deleted | None = None
    deleted_note: str | None = None
    earlier: list[str] = field(default_factory=list)
    speaker_id: int | None = None
    speaker_name: str | None = None

    @cached_property
    def reach(self) -> list[str]:
        """'liked 21,000 times', 'shared 9,000 times', '100,000 views'."""
        return ph.reach(self.likes, self.shares, self.views)

    @property
    def reach_total(self) -> int:
        """Likes, shares and views together (to rank posts when nothing is flagged)."""
        return (self.likes or 0) + (self.shares or 0) + (self.views or 0)

    @property
    def local(self) -> str:
        """'Wed 4 Mar 08:55' in the digest's zone (the day only when the source gives no time)."""
        if self.at is None:
            return "time unknown"
        if self.time_quality == "day":
            t = self.at.astimezone(self.tz)
            return f"{t:%a} {t.day} {t:%b}"
        return ph.clock(self.at, self.tz)

    @property
    def utc(self) -> str:
        """'06:55 UTC', or 'day only'."""
        if self.at is None or self.time_quality == "day":
            return "day only"
        return f"{self.at:%H:%M} UTC"

    @property
    def platform_name(self) -> str:
        """The platform as readers know it (X/Twitter, Telegram, Bluesky)."""
        return ph.platform_name(self.platform)

    @property
    def words(self) -> str:
        """What to quote: the transcript of a video or live post when there is one, else the text."""
        return self.transcript if self.kind in ("video", "live") and self.transcript else self.text

    @property
    def from_transcript(self) -> bool:
        """True when the quote is a transcript."""
        return self.words is self.transcript

    @cached_property
    def story_label(self) -> str | None:
        """The label that names this post's story."""
        return next((lab for lab in STORY_LABELS if lab in self.labels), None)

    @property
    def significant(self) -> bool:
        """Worth quoting: a story label, a raised priority, deleted, edited or spoken by someone else."""
        return bool(
            self.story_label
            or self.priority in SIGNIFICANT_PRIORITIES
            or self.deleted
            or self.earlier
            or self.speaker_id
        )


@dataclass
class Story:
    """Reports of one kind of event, in one place, on one day: how many independent voices, and the first."""

    key: str
    label: str
    place: str | None
    quotes: list[Quote]

    @property
    def title(self) -> str:
        """'Attacks reported · Karm al-Tin'."""
        return ph.label_title(self.label) + (f" · {self.place}" if self.place else "")

    @property
    def first(self) -> Quote:
        """The earliest report."""
        return self.quotes[0]

    @property
    def voices(self) -> list[str]:
        """Names of the independent voices reporting it (reposts excluded, each voice once)."""
        seen: dict[int | str, str] = {}
        for q in self.quotes:
            who = q.speaker_id or q.voice_id or q.uid
            seen.setdefault(who, q.speaker_name or q.voice_name)
        return list(seen.values())


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
        """Voices silent or gone at the digest's moment after a plea, farewell or attack report, most at risk first."""
        return [
            v
            for v in self.voices
            if v.status.status == "gone" or (v.status.status == "silent" and v.status.risk >= ALARM_RISK)
        ]

    @property
    def quiet_now(self) -> list[VoiceSection]:
        """The other voices silent at the digest's moment."""
        alarm = {v.status.voice for v in self.silent_now}
        return [v for v in self.voices if v.status.status in ("silent", "gone") and v.status.voice not in alarm]


def _safe_url(url: str | None) -> str | None:
    return url if url and url.startswith(("https://", "http://")) else None


def _places(enrichment: dict[str, Any]) -> list[str]:
    out = []
    for p in enrichment.get("places") or []:
        name = p.get("name") if isinstance(p, dict) else p
        if isinstance(name, str) and name not in out:
            out.append(name)
    return out


def _eyewitness(enrichment: dict[str, Any]) -> bool:
    v = enrichment.get("eyewitness")
    return v is True or v == "yes" or (isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0.5)


def load_quotes(
    ws: Workspace, since: str | None, until: str, tz: tzinfo, deleted: dict[str, Deleted], names: dict[int, str]
) -> list[Quote]:
    """Every post of the period with a known time, oldest first."""
    p, a = schema.posts.c, schema.accounts.c
    stmt = (
        sa.select(
            p.uid,
            p.platform,
            p.kind,
            p.author_handle,
            p.created_at,
            p.time_quality,
            p.text,
            p.transcript,
            p.title,
            p.url,
            p.labels,
            p.priority,
            p.enrichment,
            p.likes,
            p.shares,
            p.views,
            p.repost_of,
            p.versions,
            p.speaker_voice,
            a.voice_id,
            a.name.label("account_name"),
        )
        .select_from(schema.posts.outerjoin(schema.accounts, p.account_uid == a.uid))
        .where(p.created_at.is_not(None), p.created_at <= until, p.time_quality != "suspect")
        .order_by(p.created_at, p.pk)
    )
    if since:
        stmt = stmt.where(p.created_at >= since)
    out: list[Quote] = []
    with ws.engine.connect() as conn:
        rows = conn.execute(stmt).all()
        edited = [r.uid for r in rows if r.versions > 1]
        earlier: dict[str, list[str]] = defaultdict(list)
        for i in range(0, len(edited), 500):
            pv = schema.post_versions.c
            for uid, text in conn.execute(
                sa.select(pv.uid, pv.text).where(pv.uid.in_(edited[i : i + 500])).order_by(pv.uid, pv.n)
            ):
                earlier[uid].append(text)
    for r in rows:
        e = (
            _dec.decode(r.enrichment)
            if r.enrichment and ('"places"' in r.enrichment or '"eyewitness"' in r.enrichment)
            else {}
        )
        at = ph.when(r.created_at)
        assert at is not None
        versions = earlier.get(r.uid, [])
        q = Quote(
            uid=r.uid,
            platform=r.platform,
            kind=r.kind,
            voice_id=r.voice_id,
            voice_name=names.get(r.voice_id, r.account_name or r.author_handle or "unknown"),
            handle=r.author_handle,
            at=at,
            tz=tz,
            text=r.text,
            transcript=r.transcript,
            title=r.title,
            url=_safe_url(r.url),
            labels=(r.labels or "").split(),
            priority=r.priority,
            eyewitness=_eyewitness(e),
            likes=r.likes,
            shares=r.shares,
            views=r.views,
            places=_places(e) if e else [],
            repost=r.repost_of is not None,
            time_quality=r.time_quality,
            earlier=versions[:-1] if len(versions) > 1 else [],
        )
        d = deleted.get(r.uid)
        if d:
            q.deleted = d
            dt = ph.when(d.at)
            assert dt is not None
            q.deleted_note = (
                f"deleted (gone from a later complete export covering up to {ph.clock(dt, tz)})"
                if d.how == "absent"
                else f"deleted {ph.clock(dt, tz)}"
            )
        if r.speaker_voice and r.speaker_voice != r.voice_id:
            q.speaker_id, q.speaker_name = r.speaker_voice, names.get(r.speaker_voice)
        out.append(q)
    return out


def group_stories(quotes: list[Quote], tz: tzinfo) -> dict[date, list[Story]]:
    """Stories by local day of their first report: same story label and first place (reposts left out)."""
    groups: dict[tuple[date, str, str | None], list[Quote]] = {}
    for q in quotes:
        if q.repost or q.at is None or not q.story_label:
            continue
        key = (q.at.astimezone(tz).date(), q.story_label, q.places[0] if q.places else None)
        groups.setdefault(key, []).append(q)
    out: dict[date, list[Story]] = defaultdict(list)
    for (day, label, place), qs in groups.items():
        out[day].append(Story(f"{day}:{label}:{place or ''}", label, place, qs))
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


def _voice_quotes(points: list[Quote]) -> list[Quote]:
    own = [q for q in points if not q.repost]
    chosen = [q for q in own if q.significant]
    if not chosen:  # no triage (or nothing flagged): the most read posts and the last one
        chosen = sorted(own, key=lambda q: -q.reach_total)
        chosen = chosen[:FALLBACK_QUOTES] + own[-1:]
    if len(chosen) > MAX_QUOTES:
        rank = {"critical": 0, "high": 1, "medium": 2}
        chosen = sorted(chosen, key=lambda q: (rank.get(q.priority or "", 3), -(q.at or datetime.min).timestamp()))
        chosen = chosen[:MAX_QUOTES]
    return sorted({q.uid: q for q in chosen}.values(), key=lambda q: q.at or datetime.min)


def _bins(quotes: list[Quote], since: datetime, until: datetime) -> tuple[list[tuple[datetime, Counter[str]]], int]:
    span = max(1.0, (until - since).total_seconds() / 3600)
    size = next(h for h in (1, 2, 3, 6, 12, 24, 48, 168) if span / h <= MAX_BINS or h == 168)
    start = since.replace(minute=0, second=0, microsecond=0)
    start -= timedelta(hours=start.hour % size) if size <= 24 else timedelta(0)
    n = int((until - start).total_seconds() // (size * 3600)) + 1
    bins: list[tuple[datetime, Counter[str]]] = [(start + timedelta(hours=i * size), Counter()) for i in range(n)]
    for q in quotes:
        if q.at is None or q.repost:
            continue
        i = int((q.at - start).total_seconds() // (size * 3600))
        if 0 <= i < n:
            bins[i][1][q.story_label or "other"] += 1
    return bins, size


def resolve_voices(ws: Workspace, keys: list[str]) -> set[int]:
    """Voice ids from ids, names or accounts."""
    with ws.engine.connect() as conn:
        return {find_voice(conn, k) for k in keys}


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
    moment = parse_as_of(as_of or until)
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
    quotes = load_quotes(ws, lo, hi, zone, deleted, names)
    if wanted is not None:
        quotes = [q for q in quotes if q.voice_id in wanted or q.speaker_id in wanted]
    start = ph.when(lo) or (quotes[0].at if quotes and quotes[0].at else moment)
    end = ph.when(hi) or moment
    if not until and quotes and quotes[-1].at and not as_of:
        end = quotes[-1].at
    by_voice: dict[int, list[Quote]] = defaultdict(list)
    for q in quotes:
        if q.voice_id is not None:
            by_voice[q.voice_id].append(q)
        if q.speaker_id is not None and q.speaker_id != q.voice_id:
            by_voice[q.speaker_id].append(q)
    sections: list[VoiceSection] = []
    others: list[str] = []
    for s in statuses:
        pts = by_voice.get(s.voice)
        if not pts:
            continue
        chosen = _voice_quotes(pts)
        if not any(q.significant for q in chosen) and s.status == "active":
            others.append(s.name)
            continue
        last = ph.when(s.last_seen)
        note = ph.since_phrase(last, zone) if last and s.status != "active" else None
        r = info.get(s.voice)
        sections.append(
            VoiceSection(
                s,
                r.role if r else None,
                r.place if r else None,
                sorted({q.platform_name for q in pts}),
                chosen,
                len(pts),
                note,
                [q for q in pts if q.voice_id == s.voice],
                ph.clock(last, zone) if last else "",
            )
        )
    for vid in sorted(set(by_voice) - {s.voice for s in statuses}):  # speakers without an account of their own
        pts = by_voice[vid]
        r = info.get(vid)
        status = VoiceStatus(vid, names.get(vid, f"voice {vid}"), [], "speaker", None, None, [], 0)
        sections.append(
            VoiceSection(
                status,
                r.role if r else None,
                r.place if r else None,
                sorted({q.platform_name for q in pts}),
                _voice_quotes(pts),
                len(pts),
                None,
            )
        )
    sections.sort(key=lambda v: (-v.status.risk, -len(v.quotes), v.name.casefold()))
    if len(sections) > max_voices:
        others += [v.name for v in sections[max_voices:]]
        sections = sections[:max_voices]
    story_days = group_stories(quotes, zone)
    per_day = Counter(q.at.astimezone(zone).date() for q in quotes if q.at)
    shown = {v.status.voice for v in sections}
    day_events: dict[date, list[str]] = defaultdict(list)
    for e in detect_events(ws, moment, silence, statuses):
        at = ph.when(e.at)
        if at and start <= at <= max(end, moment) and (e.voice_id in shown or e.kind == "deleted"):
            day_events[at.astimezone(zone).date()].append(f"{ph.clock(at, zone)} — {event_phrase(e, names, zone)}")
    days = [
        Day(
            d,
            ph.day_title(datetime(d.year, d.month, d.day, 12, tzinfo=zone), zone),
            per_day.get(d, 0),
            story_days.get(d, []),
            day_events.get(d, []),
        )
        for d in sorted(set(per_day) | set(story_days) | set(day_events))
    ]
    own = [q for q in quotes if not q.repost]
    figures = {
        "posts": len(quotes),
        "voices": len({q.voice_id for q in quotes}),
        "pleas": sum("plea" in q.labels for q in own),
        "farewells": sum("farewell" in q.labels for q in own),
        "silent now": sum(v.status.status in ("silent", "gone") for v in sections),
        "deleted": sum(q.deleted is not None for q in quotes),
    }
    hourly, size = _bins(quotes, start, end)
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
