"""The watch's events: silences that matter and returns from them, deletions, edits and account changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from vigil.records import iso_z
from vigil.store import schema
from vigil.store.deletions import deleted_posts
from vigil.store.engine import Workspace
from vigil.watch.accounts import account_history, changes
from vigil.watch.marks import Marks, marks_in_force
from vigil.watch.silence import (
    DEFAULT_SILENCE,
    VoiceStatus,
    _naive,
    _time,
    account_voices,
    parse_as_of,
    post_limits,
    watch,
)


@dataclass
class Event:
    """A transition: silent, reappeared, deleted, edited or account; `key` makes recording it idempotent."""

    kind: str
    key: str
    at: str
    voice_id: int | None
    uid: str | None
    detail: dict[str, Any] = field(default_factory=dict)


def silence_events(
    statuses: list[VoiceStatus], as_of: datetime, silence: timedelta, marks: Marks | None = None
) -> list[Event]:
    """Every silence that matters up to as_of (one per silence), and the return from it.

    A silence is a gap longer than the voice's limit (its rhythm, the window as a floor); it matters when the voice
    counts (not outside, not muted) and it was not acknowledged.
    """
    out: list[Event] = []
    marks = marks or Marks()
    end_of_all = as_of.astimezone(UTC).replace(tzinfo=None)
    for s in statuses:
        if not s.counts:
            continue
        times = [_naive(x.at) for x in s.posts]  # each time read once
        limits = s.limits or post_limits(s.posts, silence)
        for prev, nxt, t0, t1, limit in zip(
            s.posts, [*s.posts[1:], None], times, [*times[1:], end_of_all], limits, strict=True
        ):
            gap = t1 - t0
            if gap <= limit or marks.is_acked(s.voice, prev.at):
                continue
            hours = round(gap.total_seconds() / 3600, 1)
            out.append(
                Event(
                    "silent",
                    f"silent:{s.voice}:{prev.uid}",
                    iso_z(_time(prev.at) + limit) or "",
                    s.voice,
                    prev.uid,
                    {
                        "name": s.name,
                        "since": prev.at,
                        "last_labels": prev.labels,
                        "limit_hours": round(limit.total_seconds() / 3600, 1),
                        "location": s.location.value,
                    },
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


def detect_events(
    ws: Workspace,
    as_of: datetime | None = None,
    silence: timedelta = DEFAULT_SILENCE,
    statuses: list[VoiceStatus] | None = None,
) -> list[Event]:
    """All transitions up to as_of, in time order."""
    as_of = as_of or parse_as_of(None)
    marks = marks_in_force(ws)
    statuses = statuses if statuses is not None else watch(ws, as_of, silence, marks)
    voices = account_voices(ws)
    events = silence_events(statuses, as_of, silence, marks) + change_events(ws, as_of, voices)
    events += account_events(ws, as_of, voices)
    return sorted(events, key=lambda e: (e.at, e.key))
