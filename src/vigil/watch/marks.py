"""What a desk says to the watch: where a voice is, a silence acknowledged, a voice muted — each with who and when."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from vigil.records import now_iso
from vigil.store import schema
from vigil.store.engine import Workspace
from vigil.watch.location import (
    LOCATIONS,
    OUTSIDE_POST_CUES,
    UNKNOWN,
    Location,
    gazetteer_names,
    infer_location,
)
from vigil.watch.voices import VoiceError, ensure_voices, find_voice


@dataclass(frozen=True)
class Mark:
    """One acknowledgement or mute: which voice, what, the silence it covers (its last post), who and when."""

    id: int
    voice_id: int
    kind: str  # "ack" or "mute"
    since: str | None
    actor: str | None
    at: str


@dataclass
class Marks:
    """The marks in force: acknowledged silences (voice -> the last posts they began after) and muted voices."""

    acked: dict[int, set[str]] = field(default_factory=dict)
    muted: set[int] = field(default_factory=set)

    def is_acked(self, voice: int, since: str | None) -> bool:
        """The silence that began after the voice's post at `since` was acknowledged."""
        return since is not None and since in self.acked.get(voice, ())


def set_location(ws: Workspace, key: str, location: str | None, actor: str | None = None) -> int:
    """Say a voice is inside or outside (None: unknown again, inferred); return its id."""
    if location is not None and location not in LOCATIONS:
        raise VoiceError(f"location must be one of {', '.join(LOCATIONS)} (or unknown), not {location!r}")
    ensure_voices(ws)
    v = schema.voices.c
    with ws.engine.begin() as conn:
        vid = find_voice(conn, key)
        conn.execute(
            schema.voices.update()
            .where(v.id == vid)
            .values(location=location, location_by=actor, location_at=now_iso() if location else None)
        )
    return vid


def voice_locations(ws: Workspace, firsthand: dict[int, int] | None = None) -> dict[int, Location]:
    """Each voice's location: as set by hand (who, when), else inferred from bios, place and first-hand posts."""
    v, a = schema.voices.c, schema.accounts.c
    places = gazetteer_names(ws.path)
    firsthand = firsthand if firsthand is not None else firsthand_counts(ws)
    bios: dict[int, list[str]] = {}
    with ws.engine.connect() as conn:
        for vid, bio in conn.execute(sa.select(a.voice_id, a.bio).where(a.bio.is_not(None), a.voice_id.is_not(None))):
            bios.setdefault(vid, []).append(bio)
        rows = conn.execute(sa.select(v.id, v.place, v.location, v.location_by, v.location_at)).all()
        words = _cue_posts(conn)
    out: dict[int, Location] = {}
    for r in rows:
        if r.location:
            by = f" by {r.location_by}" if r.location_by else ""
            out[r.id] = Location(r.location, f"set{by} at {r.location_at}" if r.location_at else f"set{by}")
            continue
        bio = "\n".join(bios.get(r.id, ()))
        found = infer_location(bio, r.place, places, firsthand.get(r.id, 0), words.get(r.id, ""))
        if found is not UNKNOWN:
            out[r.id] = found
    return out


def firsthand_counts(ws: Workspace) -> dict[int, int]:
    """Each voice's first-hand reports (triage's eyewitness, reposts left out), counted in SQL."""
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT a.voice_id, count(*) FROM posts p JOIN accounts a ON a.uid = p.account_uid "
            "WHERE p.repost_of IS NULL AND instr(p.enrichment, '\"eyewitness\":true') GROUP BY a.voice_id"
        )
        return {vid: n for vid, n in rows if vid is not None}


def _cue_posts(conn: sa.Connection) -> dict[int, str]:
    """Each voice's own posts (not reposts) that hold an outside cue, found through the full-text index."""
    query = " OR ".join('"' + cue.replace('"', "") + '"' for cue in OUTSIDE_POST_CUES)
    out: dict[int, str] = {}
    rows = conn.exec_driver_sql(
        "SELECT a.voice_id, p.text FROM posts_fts f JOIN posts p ON p.pk = f.rowid "
        "JOIN accounts a ON a.uid = p.account_uid "
        "WHERE posts_fts MATCH ? AND p.repost_of IS NULL AND a.voice_id IS NOT NULL",
        (query,),
    )
    for vid, text in rows:
        out[vid] = out.get(vid, "") + "\n" + text
    return out


def last_post(conn: sa.Connection, vid: int, as_of: str | None = None) -> str | None:
    """The time of the voice's last post (up to as_of)."""
    p, a = schema.posts.c, schema.accounts.c
    stmt = (
        sa.select(sa.func.max(p.created_at))
        .select_from(schema.posts.join(schema.accounts, p.account_uid == a.uid))
        .where(a.voice_id == vid, p.time_quality != "suspect")
    )
    if as_of:
        stmt = stmt.where(p.created_at <= as_of)
    found = conn.execute(stmt).scalar_one_or_none()
    return str(found) if found else None


def _mark(ws: Workspace, key: str, kind: str, actor: str | None, as_of: str | None = None) -> Mark:
    ensure_voices(ws)
    at = now_iso()
    with ws.engine.begin() as conn:
        vid = find_voice(conn, key)
        since = last_post(conn, vid, as_of) if kind == "ack" else None
        if kind == "ack" and since is None:
            raise VoiceError(f"voice {vid} has no post: no silence to acknowledge")
        row = {"voice_id": vid, "kind": kind, "since": since, "actor": actor, "at": at}
        mid = conn.execute(schema.watch_marks.insert().values(**row).returning(schema.watch_marks.c.id)).scalar_one()
    return Mark(int(mid), vid, kind, since, actor, at)


def acknowledge(ws: Workspace, key: str, actor: str | None = None, as_of: str | None = None) -> Mark:
    """Acknowledge a voice's current silence (the one after its last post, up to as_of): no more alerts for it."""
    return _mark(ws, key, "ack", actor, as_of)


def mute(ws: Workspace, key: str, actor: str | None = None) -> Mark:
    """Mute a voice: its silences are neither alerted nor listed until it is unmuted."""
    return _mark(ws, key, "mute", actor)


def unmute(ws: Workspace, key: str, actor: str | None = None) -> int:
    """Lift a voice's mutes; return how many were lifted."""
    ensure_voices(ws)
    m = schema.watch_marks.c
    with ws.engine.begin() as conn:
        vid = find_voice(conn, key)
        res = conn.execute(
            schema.watch_marks.update()
            .where(m.voice_id == vid, m.kind == "mute", m.lifted_at.is_(None))
            .values(lifted_at=now_iso(), lifted_by=actor)
        )
    return int(res.rowcount or 0)


def list_marks(ws: Workspace) -> list[Mark]:
    """Every mark in force (mutes not lifted), oldest first."""
    m = schema.watch_marks.c
    with ws.engine.connect() as conn:
        rows = conn.execute(
            sa.select(m.id, m.voice_id, m.kind, m.since, m.actor, m.at).where(m.lifted_at.is_(None)).order_by(m.id)
        ).all()
    return [Mark(r.id, r.voice_id, r.kind, r.since, r.actor, r.at) for r in rows]


def marks_in_force(ws: Workspace) -> Marks:
    """Acknowledged silences and muted voices."""
    out = Marks()
    for mk in list_marks(ws):
        if mk.kind == "mute":
            out.muted.add(mk.voice_id)
        elif mk.since:
            out.acked.setdefault(mk.voice_id, set()).add(mk.since)
    return out
