"""The silence watch: each voice's status and risk at a moment, and the transitions (events) up to it."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import attrgetter
from typing import Any

import msgspec
import sqlalchemy as sa

from vigil.records import iso_z
from vigil.store import schema
from vigil.store.deletions import deleted_posts
from vigil.store.engine import Workspace
from vigil.store.reading import no_gc
from vigil.watch.accounts import AccountState, latest_states, voice_state
from vigil.watch.location import OUTSIDE, UNKNOWN, Location
from vigil.watch.marks import Marks, marks_in_force, voice_locations
from vigil.watch.rhythm import limit_after, usual_limit
from vigil.watch.voices import VoiceInfo, ensure_voices, list_voices

DEFAULT_SILENCE = timedelta(hours=12)
STALE = timedelta(days=1)  # newest post older than this: the data is an archive, judged as of its last post
# How much the labels of a voice's last posts add to its risk. Farewell, plea and first-hand attack report are ten
# apart, more than the hours can add (at most 9), so they order who comes first; the hours order the rest.
LABEL_RISK = {
    "farewell": 50,
    "plea": 40,
    "missing": 20,
    "attack": 15,
    "casualties": 12,
    "evacuation": 10,
    "shortages": 10,
    "infrastructure": 5,
}
EYEWITNESS_ATTACK = 30  # a first-hand attack report: below a plea, above everything else
STATUS_RISK = {"gone": 45, "silent": 40, "active": 0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "": 3600}
_at = attrgetter("at")


def parse_duration(text: str) -> timedelta:
    """'12h', '90m', '2d', '1.5h' (a bare number is hours)."""
    m = _DURATION.match(text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"not a duration: {text!r} (try 12h, 90m, 2d)")
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])


def judge_moment(ws: Workspace, as_of: datetime | None) -> tuple[datetime, str | None]:
    """The moment to judge: as_of when given; else now, or the last post when the newest is older than STALE.

    The second value says why when it is the last post ("data ends at 2026-03-08 11:40 UTC").
    """
    if as_of is not None:
        return as_of, None
    now = parse_as_of(None)
    p = schema.posts.c
    with ws.engine.connect() as conn:
        newest = conn.execute(
            sa.select(sa.func.max(p.created_at)).where(p.time_quality != "suspect", p.created_at <= iso_z(now))
        ).scalar_one_or_none()
    if newest and now - _time(newest) > STALE:
        return _time(newest), f"data ends at {newest[:16].replace('T', ' ')} UTC: judged as of the last post"
    return now, None


def parse_as_of(text: str | None) -> datetime:
    """A moment as vigil.dates reads it (a day alone: its last second, UTC unless it says otherwise); now when None."""
    if not text:
        return datetime.now(UTC).replace(microsecond=0)
    from vigil.dates import parse_moment

    return parse_moment(text, end=True).astimezone(UTC)


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _naive(value: str) -> datetime:
    """A stored time (`YYYY-MM-DDTHH:MM:SSZ`, UTC) as a naive datetime: differences of aware ones cost more."""
    return datetime.fromisoformat(value[:19])


def hours_between(a: str, b: datetime) -> float:
    """Hours from the ISO time a to b, one decimal."""
    return round((b - _time(a)).total_seconds() / 3600, 1)


@dataclass(slots=True)
class PostPoint:
    """What the watch needs of one post (a million of them for a million posts: slots keep them small).

    Posts with the same labels share one `labels` list: read it, never change it in place.
    """

    uid: str
    at: str
    labels: list[str]
    eyewitness: bool
    deleted: bool
    repost: bool = False
    account: str | None = None


@dataclass
class VoiceStatus:
    """One voice at a moment: the row `vigil watch` prints."""

    voice: int
    name: str
    handles: list[str]
    status: str
    last_seen: str | None
    silent_hours: float | None
    last_labels: list[str]
    risk: int
    returned: tuple[str, float] | None = None  # (when, after how many hours) of the last return from silence
    role: str | None = None
    place: str | None = None
    posts: list[PostPoint] = field(default_factory=list, repr=False)
    account: AccountState | None = None  # the latest status a source gave for one of the voice's accounts
    location: Location = UNKNOWN  # inside, outside or unknown, and why
    limit_hours: float | None = None  # how long a gap may last before it is a silence (the voice's rhythm)
    acked: bool = False  # the current silence was acknowledged
    muted: bool = False
    limits: list[timedelta] = field(default_factory=list, repr=False)  # the limit after each post
    own_posts: int = 1  # posts that are not reposts

    @property
    def relays_only(self) -> bool:
        """Every post is a repost of someone else's: its silence says nothing of its own situation."""
        return self.own_posts == 0

    @property
    def counts(self) -> bool:
        """Counted as at risk: not outside, not muted, and posting words of its own."""
        return self.location.value != OUTSIDE and not self.muted and not self.relays_only

    @property
    def alarm(self) -> bool:
        """Silent or gone, counted, and not acknowledged: a silence that matters."""
        return self.status in ("silent", "gone") and self.counts and not self.acked

    @property
    def gone_reason(self) -> str | None:
        """Why a gone voice is gone: its account's status (and as of when), or its recent posts deleted."""
        if self.status != "gone":
            return None
        return self.account.phrase() if self.account and self.account.gone else "recent posts deleted"

    def row(self) -> dict[str, Any]:
        """The JSONL row."""
        return {
            "voice": self.voice,
            "name": self.name,
            "handles": self.handles,
            "status": self.status,
            "last_seen": self.last_seen,
            "silent_hours": self.silent_hours,
            "last_labels": self.last_labels,
            "risk": self.risk,
            "reason": self.gone_reason,
            "account_status": self.account.row() if self.account else None,
            "location": self.location.value,
            "location_reason": self.location.reason,
            "limit_hours": self.limit_hours,
            "at_risk": self.counts,
            "acknowledged": self.acked,
            "muted": self.muted,
        }


class _Eyewitness(msgspec.Struct):
    eyewitness: Any = None


_dec_eyewitness = msgspec.json.Decoder(_Eyewitness)  # reads that one key (0.6 µs a post; a whole dict: 2.5 µs)


def _eyewitness(enrichment: str | None) -> bool:
    if not enrichment or "eyewitness" not in enrichment:
        return False
    value = _dec_eyewitness.decode(enrichment).eyewitness
    return value is True or value == "yes" or (isinstance(value, (int, float)) and value >= 0.5)


_VOICE_POSTS = (
    "SELECT account_uid, uid, created_at, labels, enrichment, repost_of IS NOT NULL FROM posts "
    "WHERE created_at IS NOT NULL AND created_at <= ? AND time_quality != 'suspect' ORDER BY created_at, pk"
)


def voice_posts(ws: Workspace, as_of: datetime) -> dict[int, list[PostPoint]]:
    """Each voice's posts up to as_of, oldest first, with labels and whether they are deleted by then."""
    cut = iso_z(as_of)
    deleted = deleted_posts(ws, cut)
    out: dict[int, list[PostPoint]] = defaultdict(list)
    voice_of = account_voices(ws)
    # Plain rows, and each account's voice looked up in a dict: over a million posts, SQLAlchemy rows cost ~10 s
    # more and joining accounts in SQL ~3.5 s. No automatic garbage collection while they load: it would walk
    # the growing lists again and again (they hold no cycles).
    with ws.engine.connect() as conn, no_gc():
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        # one object per distinct label set, time and account (a million posts repeat them): ~150 MB less per 1M
        label_lists: dict[str | None, list[str]] = {}
        texts: dict[str, str] = {}
        for account, uid, at, labels, enrichment, repost in cur.execute(_VOICE_POSTS, (cut,)):
            vid = voice_of.get(account)
            if vid is None:
                continue
            got = label_lists.get(labels)
            if got is None:
                got = label_lists[labels] = labels.split() if labels else []
            out[vid].append(
                PostPoint(
                    uid,
                    texts.setdefault(at, at),
                    got,
                    _eyewitness(enrichment),
                    uid in deleted,
                    bool(repost),
                    texts.setdefault(account, account),
                )
            )
        cur.close()
    return out


def risk_of(status: str, recent: list[PostPoint], silent_hours: float, window: timedelta) -> int:
    """0-100: silence after a farewell, plea or first-hand attack report first, then silence, then the rest."""
    weight = 0
    for post in recent:
        if post.repost:  # a repost's labels are the original author's situation, not this voice's
            continue
        w = max((LABEL_RISK.get(lab, 0) for lab in post.labels), default=0)
        if post.eyewitness and "attack" in post.labels:
            w = max(w, EYEWITNESS_ATTACK)
        weight = max(weight, w)
    if status == "active":
        return min(30, weight // 2)
    overdue = silent_hours / (window.total_seconds() / 3600)
    return min(100, STATUS_RISK[status] + weight + min(9, int(overdue)))


def post_limits(posts: list[PostPoint], silence: timedelta, times: list[datetime] | None = None) -> list[timedelta]:
    """The limit after each post: the voice's rhythm, or the window alone after its farewell or plea."""
    usual = usual_limit(times or [_naive(x.at) for x in posts], silence)
    return [limit_after(x.labels, x.repost, usual, silence) for x in posts]


def returns(
    posts: list[PostPoint],
    silence: timedelta,
    limits: list[timedelta] | None = None,
    times: list[datetime] | None = None,
) -> list[tuple[str, float]]:
    """Every return after a silence (a gap over the voice's limit): (the post's time, hours silent), oldest first."""
    out = []
    times = times or [_naive(x.at) for x in posts]  # each time read once
    limits = limits or post_limits(posts, silence, times)
    for nxt, t0, t1, limit in zip(posts[1:], times, times[1:], limits, strict=False):
        gap = t1 - t0
        if gap > limit:
            out.append((nxt.at, round(gap.total_seconds() / 3600, 1)))
    return out


def last_return(
    posts: list[PostPoint],
    silence: timedelta,
    limits: list[timedelta] | None = None,
    times: list[datetime] | None = None,
) -> tuple[str, float] | None:
    """When the voice last came back after a silence, and after how many hours."""
    found = returns(posts, silence, limits, times)
    return found[-1] if found else None


def watch(
    ws: Workspace,
    as_of: datetime | None = None,
    silence: timedelta = DEFAULT_SILENCE,
    marks: Marks | None = None,
) -> list[VoiceStatus]:
    """Every voice that has posted by as_of: the silences that matter first, most at risk first."""
    as_of = as_of or parse_as_of(None)
    ensure_voices(ws)
    infos = {v.id: v for v in list_voices(ws, counts=False)}  # names, handles, roles: the posts come below
    states = latest_states(ws, iso_z(as_of) or "")
    marks = marks if marks is not None else marks_in_force(ws)
    out: list[VoiceStatus] = []
    with no_gc():  # a million posts loaded: a collection now would walk them all, again and again
        by_voice = voice_posts(ws, as_of)
        firsthand = {vid: sum(x.eyewitness and not x.repost for x in posts) for vid, posts in by_voice.items()}
        where = voice_locations(ws, firsthand)
        for vid, posts in by_voice.items():
            info = infos.get(vid)
            if info is not None and posts:
                st = _voice_status(vid, posts, info, states, as_of, silence)
                st.location = where.get(vid, UNKNOWN)
                st.muted = vid in marks.muted
                st.acked = st.status != "active" and marks.is_acked(vid, st.last_seen)
                out.append(st)
        out.sort(key=watch_order)  # still without collections: the posts are loaded
    return out


def watch_order(s: VoiceStatus) -> tuple[bool, int, float, str]:
    """Silences that matter first; then by risk (farewell, plea, first-hand attack report), then by hours."""
    return (not s.alarm, -s.risk, -(s.silent_hours or 0), s.name.casefold())


def _voice_status(
    vid: int,
    posts: list[PostPoint],
    info: VoiceInfo,
    states: dict[str, AccountState],
    as_of: datetime,
    silence: timedelta,
) -> VoiceStatus:
    """A voice's status at as_of, from its posts (in time order, at least one)."""
    last = posts[-1]
    start = iso_z(_time(last.at) - silence) or ""
    recent = posts[bisect_left(posts, start, key=_at) :]  # posts are in time order
    silent_hours = hours_between(last.at, as_of)
    accounts = {x.account: x.at for x in posts if x.account} if states else {}
    account, stopped = voice_state(accounts, states)
    times = [_naive(x.at) for x in posts]  # each time read once
    limits = post_limits(posts, silence, times)
    if stopped or all(x.deleted for x in recent):
        status = "gone"
    elif silent_hours * 3600 > limits[-1].total_seconds():
        status = "silent"
    else:
        status = "active"
    return VoiceStatus(
        vid,
        info.name,
        info.handles,
        status,
        last.at,
        silent_hours,
        last.labels,
        risk_of(status, recent, silent_hours, silence),
        last_return(posts, silence, limits, times),
        info.role,
        info.place,
        posts,
        account,
        limit_hours=round(limits[-1].total_seconds() / 3600, 1),
        limits=limits,
        own_posts=sum(not x.repost for x in posts),
    )


def account_voices(ws: Workspace) -> dict[str, int]:
    """Account uid -> voice id."""
    a = schema.accounts.c
    with ws.engine.connect() as conn:
        return {r.uid: r.voice_id for r in conn.execute(sa.select(a.uid, a.voice_id)) if r.voice_id is not None}
