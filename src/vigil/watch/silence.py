"""The silence watch: each voice's status and risk at a moment, and the transitions (events) up to it."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import sqlalchemy as sa

from vigil.model import iso_z
from vigil.store import schema
from vigil.store.engine import Workspace
from vigil.watch.accounts import AccountState, account_history, changes, latest_states, voice_state
from vigil.watch.deletions import deleted_posts
from vigil.watch.voices import ensure_voices, list_voices

DEFAULT_SILENCE = timedelta(hours=12)
# How much the labels of a voice's last posts add to its risk; the first three decide who comes first.
LABEL_RISK = {
    "farewell": 45,
    "plea": 40,
    "missing": 30,
    "attack": 25,
    "casualties": 20,
    "evacuation": 10,
    "shortages": 10,
    "infrastructure": 5,
}
EYEWITNESS_ATTACK = 15  # a first-hand attack report weighs like a plea
STATUS_RISK = {"gone": 45, "silent": 40, "active": 0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "": 3600}
_dec = msgspec.json.Decoder()


def parse_duration(text: str) -> timedelta:
    """'12h', '90m', '2d', '1.5h' (a bare number is hours)."""
    m = _DURATION.match(text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"not a duration: {text!r} (try 12h, 90m, 2d)")
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])


def parse_as_of(text: str | None) -> datetime:
    """A moment given as a date or ISO time (UTC unless it says otherwise); now when None."""
    if not text:
        return datetime.now(UTC).replace(microsecond=0)
    from vigil.sources.base import parse_time

    value = text.strip()
    if len(value) == 10:
        value += "T23:59:59Z"
    dt = parse_time(value.replace(" ", "T"))
    if dt is None:
        raise ValueError(f"not a time: {text!r}")
    return dt


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def hours_between(a: str, b: datetime) -> float:
    """Hours from the ISO time a to b, one decimal."""
    return round((b - _time(a)).total_seconds() / 3600, 1)


@dataclass
class PostPoint:
    """What the watch needs of one post."""

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
        }


def _eyewitness(enrichment: str | None) -> bool:
    if not enrichment or "eyewitness" not in enrichment:
        return False
    value = _dec.decode(enrichment).get("eyewitness")
    return value is True or value == "yes" or (isinstance(value, (int, float)) and value >= 0.5)


def voice_posts(ws: Workspace, as_of: datetime) -> dict[int, list[PostPoint]]:
    """Each voice's posts up to as_of, oldest first, with labels and whether they are deleted by then."""
    p, a = schema.posts.c, schema.accounts.c
    cut = iso_z(as_of)
    deleted = deleted_posts(ws, cut)
    out: dict[int, list[PostPoint]] = defaultdict(list)
    with ws.engine.connect() as conn:
        rows = conn.execute(
            sa.select(a.voice_id, p.uid, p.created_at, p.labels, p.enrichment, p.repost_of, p.account_uid)
            .select_from(schema.posts.join(schema.accounts, p.account_uid == a.uid))
            .where(p.created_at.is_not(None), p.created_at <= cut, p.time_quality != "suspect")
            .order_by(p.created_at, p.pk)
        )
        for r in rows:
            if r.voice_id is None:
                continue
            out[r.voice_id].append(
                PostPoint(
                    r.uid,
                    r.created_at,
                    (r.labels or "").split(),
                    _eyewitness(r.enrichment),
                    r.uid in deleted,
                    r.repost_of is not None,
                    r.account_uid,
                )
            )
    return out


def risk_of(status: str, recent: list[PostPoint], silent_hours: float, window: timedelta) -> int:
    """0-100: silence after a farewell, plea or first-hand attack report first, then silence, then the rest."""
    weight = 0
    for post in recent:
        if post.repost:  # a repost's labels are the original author's situation, not this voice's
            continue
        w = max((LABEL_RISK.get(lab, 0) for lab in post.labels), default=0)
        if post.eyewitness and "attack" in post.labels:
            w += EYEWITNESS_ATTACK
        weight = max(weight, w)
    if status == "active":
        return min(30, weight // 2)
    overdue = silent_hours / (window.total_seconds() / 3600)
    return min(100, STATUS_RISK[status] + weight + min(10, int(overdue)))


def returns(posts: list[PostPoint], silence: timedelta) -> list[tuple[str, float]]:
    """Every return after a silence longer than the window: (the post's time, hours silent), oldest first."""
    out = []
    for prev, nxt in zip(posts, posts[1:], strict=False):
        gap = _time(nxt.at) - _time(prev.at)
        if gap > silence:
            out.append((nxt.at, round(gap.total_seconds() / 3600, 1)))
    return out


def last_return(posts: list[PostPoint], silence: timedelta) -> tuple[str, float] | None:
    """When the voice last came back after a silence longer than the window, and after how many hours."""
    found = returns(posts, silence)
    return found[-1] if found else None


def watch(ws: Workspace, as_of: datetime | None = None, silence: timedelta = DEFAULT_SILENCE) -> list[VoiceStatus]:
    """Every voice that has posted by as_of, most at risk first."""
    as_of = as_of or parse_as_of(None)
    ensure_voices(ws)
    infos = {v.id: v for v in list_voices(ws)}
    states = latest_states(ws, iso_z(as_of) or "")
    out: list[VoiceStatus] = []
    for vid, posts in voice_posts(ws, as_of).items():
        info = infos.get(vid)
        if info is None or not posts:
            continue
        last = posts[-1]
        start = iso_z(_time(last.at) - silence) or ""
        recent = [x for x in posts if x.at >= start]
        silent_hours = hours_between(last.at, as_of)
        account, stopped = voice_state({x.account: x.at for x in posts if x.account}, states)
        if stopped or all(x.deleted for x in recent):
            status = "gone"
        elif silent_hours * 3600 > silence.total_seconds():
            status = "silent"
        else:
            status = "active"
        out.append(
            VoiceStatus(
                vid,
                info.name,
                info.handles,
                status,
                last.at,
                silent_hours,
                last.labels,
                risk_of(status, recent, silent_hours, silence),
                last_return(posts, silence),
                info.role,
                info.place,
                posts,
                account,
            )
        )
    return sorted(out, key=lambda s: (-s.risk, -(s.silent_hours or 0), s.name.casefold()))


@dataclass
class Event:
    """A transition: silent, reappeared, deleted, edited or account; `key` makes recording it idempotent."""

    kind: str
    key: str
    at: str
    voice_id: int | None
    uid: str | None
    detail: dict[str, Any] = field(default_factory=dict)


def silence_events(statuses: list[VoiceStatus], as_of: datetime, silence: timedelta) -> list[Event]:
    """Every silence longer than the window, and every return from one, up to as_of."""
    out: list[Event] = []
    for s in statuses:
        for prev, nxt in zip(s.posts, [*s.posts[1:], None], strict=True):
            end = _time(nxt.at) if nxt else as_of
            gap = end - _time(prev.at)
            if gap <= silence:
                continue
            hours = round(gap.total_seconds() / 3600, 1)
            out.append(
                Event(
                    "silent",
                    f"silent:{s.voice}:{prev.uid}",
                    iso_z(_time(prev.at) + silence) or "",
                    s.voice,
                    prev.uid,
                    {"name": s.name, "since": prev.at, "last_labels": prev.labels},
                )
            )
            if nxt:
                out.append(
                    Event(
                        "reappeared",
                        f"reappeared:{s.voice}:{nxt.uid}",
                        nxt.at,
                        s.voice,
                        nxt.uid,
                        {"name": s.name, "since": prev.at, "silent_hours": hours},
                    )
                )
    return out


def change_events(ws: Workspace, as_of: datetime, voices: dict[str, int]) -> list[Event]:
    """Deleted and edited posts known by as_of."""
    cut = iso_z(as_of) or ""
    p, pv = schema.posts.c, schema.post_versions.c
    out: list[Event] = []
    gone = deleted_posts(ws, cut)
    with ws.engine.connect() as conn:
        info = (
            {
                r.uid: r
                for r in conn.execute(
                    sa.select(p.uid, p.account_uid, p.url, p.text, p.created_at).where(p.uid.in_(list(gone)))
                )
            }
            if gone
            else {}
        )
        coverage = dict(
            conn.execute(
                sa.select(schema.post_captures.c.capture_id, sa.func.max(p.created_at))
                .join(schema.posts, p.uid == schema.post_captures.c.uid)
                .group_by(schema.post_captures.c.capture_id)
            ).all()
        )
        edits = conn.execute(
            sa.select(pv.uid, pv.n, pv.edited_at, pv.capture_id, pv.captured_at, p.account_uid, p.url)
            .join(schema.posts, p.uid == pv.uid)
            .where(pv.n > 1)
            .order_by(pv.uid, pv.n)
        ).all()
    for d in gone.values():
        r = info.get(d.uid)
        detail = {
            "how": d.how,
            "url": r.url if r else None,
            "posted_at": r.created_at if r else None,
            "text": r.text[:280] if r else None,
        }
        out.append(Event("deleted", f"deleted:{d.uid}", d.at, voices.get(r.account_uid) if r else None, d.uid, detail))
    for e in edits:
        at = e.edited_at or coverage.get(e.capture_id) or e.captured_at
        if at and at <= cut:
            out.append(
                Event(
                    "edited",
                    f"edited:{e.uid}:{e.n}",
                    at,
                    voices.get(e.account_uid),
                    e.uid,
                    {"version": e.n, "url": e.url},
                )
            )
    return out


def account_events(ws: Workspace, as_of: datetime, voices: dict[str, int]) -> list[Event]:
    """What sources said about the voices' accounts by as_of: suspended, deactivated, active again..."""
    out: list[Event] = []
    for uid, states in account_history(ws, iso_z(as_of) or "").items():
        vid = voices.get(uid)
        if vid is None:  # an account nobody follows (a mentioned user): no alert
            continue
        for st in changes(states):
            detail = {"account": uid, "status": st.status, "detail": st.detail, "gone": st.gone}
            out.append(Event("account", f"account:{uid}:{st.status}:{st.at}", st.at, vid, None, detail))
    return out


def account_voices(ws: Workspace) -> dict[str, int]:
    """Account uid -> voice id."""
    a = schema.accounts.c
    with ws.engine.connect() as conn:
        return {r.uid: r.voice_id for r in conn.execute(sa.select(a.uid, a.voice_id)) if r.voice_id is not None}


def detect_events(
    ws: Workspace,
    as_of: datetime | None = None,
    silence: timedelta = DEFAULT_SILENCE,
    statuses: list[VoiceStatus] | None = None,
) -> list[Event]:
    """All transitions up to as_of, in time order."""
    as_of = as_of or parse_as_of(None)
    statuses = statuses if statuses is not None else watch(ws, as_of, silence)
    voices = account_voices(ws)
    events = silence_events(statuses, as_of, silence) + change_events(ws, as_of, voices)
    events += account_events(ws, as_of, voices)
    return sorted(events, key=lambda e: (e.at, e.key))
