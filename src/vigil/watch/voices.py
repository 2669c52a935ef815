"""Voices: the people behind accounts (one voice, several accounts), their role and place, and who speaks in a post."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import msgspec
import sqlalchemy as sa

from vigil.records import now_iso
from vigil.store import schema
from vigil.store.engine import Workspace

# Bio words -> role, most specific first (the first match wins).
ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("organisation", ("official account", "organisation", "organization")),
    ("civil-defence volunteer", ("civil defence", "civil defense", "white helmets", "rescue volunteer", "rescuer")),
    ("doctor", ("doctor", "physician", "surgeon", "dr.", "md ")),
    ("nurse", ("nurse", "nursing")),
    ("paramedic", ("paramedic", "ambulance")),
    ("journalist", ("journalist", "reporter", "correspondent", "photojournalist", "stringer", "editor")),
    ("photographer", ("photographer", "filmmaker", "videographer")),
    ("teacher", ("teacher", "lecturer", "professor", "headmaster")),
    ("student", ("student",)),
    ("aid worker", ("aid worker", "humanitarian", "relief worker", "ngo")),
    ("activist", ("activist", "human rights defender", "organiser", "organizer", "campaigner")),
    ("organisation", ("society", "hospital", "council", "collective")),
)
_PLACE = re.compile(r"(?:📍\s*|\b(?:based in|living in|lives in|from|in)\s+)([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)*)")
_WORD = re.compile(r"\w+")
_dec = msgspec.json.Decoder()
_enc = msgspec.json.Encoder()


class VoiceError(Exception):
    """A voice or account the user named does not exist, or the request makes no sense."""


def role_from_bio(bio: str | None) -> str | None:
    """The role a bio states, if any (activist, journalist, teacher, doctor, nurse, civil-defence volunteer…)."""
    if not bio:
        return None
    text = " " + bio.casefold() + " "
    for role, words in ROLES:
        if any(w in text for w in words):
            return role
    return None


def place_from_bio(bio: str | None) -> str | None:
    """The place a bio names after 'in', 'from', 'based in' or a 📍 pin."""
    if not bio:
        return None
    m = _PLACE.search(bio)
    return m.group(1) if m else None


def ensure_voices(ws: Workspace) -> int:
    """Give every account without a voice its own voice (name, role and place from the account); return how many.

    A read-only workspace (a read command's) writes nothing: the ingest gives new accounts their voices as it
    commits them (see add_voices).
    """
    if ws.read_only:
        return 0
    with ws.engine.begin() as conn:
        return add_voices(conn)


def add_voices(conn: sa.Connection, bios: bool = True) -> int:
    """ensure_voices inside the caller's transaction (the ingest's); bios=False skips filling roles and places."""
    a, v = schema.accounts.c, schema.voices.c
    rows = conn.execute(sa.select(a.uid, a.handle, a.name, a.bio).where(a.voice_id.is_(None))).all()
    if rows:
        first = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(v.id), 0))).scalar_one()) + 1
        now = now_iso()
        conn.execute(
            schema.voices.insert(),
            [
                {
                    "id": first + i,
                    "name": r.name or r.handle or r.uid,
                    "role": role_from_bio(r.bio),
                    "place": place_from_bio(r.bio),
                    "created_at": now,
                }
                for i, r in enumerate(rows)
            ],
        )
        conn.execute(
            schema.accounts.update().where(a.uid == sa.bindparam("account")).values(voice_id=sa.bindparam("vid")),
            [{"account": r.uid, "vid": first + i} for i, r in enumerate(rows)],
        )
    if bios:
        _fill_from_bios(conn)
    return len(rows)


def _fill_from_bios(conn: sa.Connection) -> None:
    """Fill a missing role or place from the voice's accounts' bios (a bio may arrive after the first capture)."""
    a, v = schema.accounts.c, schema.voices.c
    rows = conn.execute(
        sa.select(v.id, v.role, v.place, v.manual, a.bio)
        .join(schema.accounts, a.voice_id == v.id)
        .where(sa.or_(v.role.is_(None), v.place.is_(None)), a.bio.is_not(None))
    ).all()
    for r in rows:
        manual = _dec.decode(r.manual) if r.manual else {}
        changes = {}
        if r.role is None and "role" not in manual and (role := role_from_bio(r.bio)):
            changes["role"] = role
        if r.place is None and "place" not in manual and (place := place_from_bio(r.bio)):
            changes["place"] = place
        if changes:
            conn.execute(schema.voices.update().where(v.id == r.id).values(**changes))


def account_label(platform: str, handle: str | None, name: str | None, uid: str) -> str:
    """How `vigil voices`, the watch and alerts show an account: platform:handle, or platform:channel name."""
    return f"{platform}:{handle or name or uid.partition(':')[2]}"


def find_account(conn: sa.Connection, key: str) -> str:
    """An account uid from what `vigil voices` shows: uid, [platform:]handle, [platform:]channel name, @handle.

    Case-insensitive; a handle wins over an id, an id over a name; several matches are listed in the error.
    """
    a = schema.accounts.c
    k = key.strip()
    rows = list(conn.execute(sa.select(a.uid, a.platform, a.native_id, a.handle, a.name)).all())
    if any(r.uid == k for r in rows):
        return k
    platform, sep, rest = k.partition(":")
    platforms = {r.platform for r in rows}
    if sep and platform.casefold() in platforms:
        pool, want = [r for r in rows if r.platform == platform.casefold()], rest.strip()
    else:
        pool, want = rows, k
    want = want.casefold()
    bare = want.lstrip("@")
    tiers = (
        [r for r in pool if r.handle and r.handle.casefold().lstrip("@") == bare],
        [r for r in pool if r.native_id.casefold() == want or r.uid.casefold() == want],
        [r for r in pool if r.name and r.name.casefold() == want],
    )
    for found in tiers:
        if len(found) == 1:
            return str(found[0].uid)
        if len(found) > 1:
            listed = "; ".join(f"{account_label(r.platform, r.handle, r.name, r.uid)} ({r.uid})" for r in found[:10])
            more = f" and {len(found) - 10} more" if len(found) > 10 else ""
            raise VoiceError(f"{key!r} names {len(found)} accounts: {listed}{more}; give one of these")
    raise VoiceError(f"no account {key!r} (give what `vigil voices` shows: a handle, a channel name or a uid)")


def find_voice(conn: sa.Connection, key: str) -> int:
    """A voice id from its number, its exact name (case-insensitive) or one of its accounts."""
    v = schema.voices.c
    k = key.strip()
    if k.isdigit():
        row = conn.execute(sa.select(v.id).where(v.id == int(k))).first()
        if row:
            return int(row.id)
    rows = conn.execute(sa.select(v.id).where(sa.func.lower(v.name) == k.lower())).all()
    if len(rows) == 1:
        return int(rows[0].id)
    uid = find_account(conn, k)
    vid = conn.execute(sa.select(schema.accounts.c.voice_id).where(schema.accounts.c.uid == uid)).scalar_one()
    if vid is None:
        raise VoiceError(f"account {uid} has no voice yet")
    return int(vid)


def _manual(conn: sa.Connection, vid: int) -> dict[str, object]:
    raw = conn.execute(sa.select(schema.voices.c.manual).where(schema.voices.c.id == vid)).scalar_one_or_none()
    return dict(_dec.decode(raw)) if raw else {}


def _log(manual: dict[str, object], what: dict[str, object], actor: str | None) -> None:
    """Keep who changed a voice by hand, what and when, in its `manual` record (`changes`, oldest first)."""
    log = list(manual.get("changes") or [])  # type: ignore[call-overload]
    log.append({**what, "by": actor, "at": now_iso()})
    manual["changes"] = log


def link(ws: Workspace, keys: list[str], actor: str | None = None) -> int:
    """Join the accounts named by keys into one voice (the first account's); return its id. actor: who did it."""
    if len(keys) < 2:
        raise VoiceError("name at least two accounts to link")
    ensure_voices(ws)
    a, v = schema.accounts.c, schema.voices.c
    with ws.engine.begin() as conn:
        uids = [find_account(conn, k) for k in keys]
        target = int(conn.execute(sa.select(a.voice_id).where(a.uid == uids[0])).scalar_one())
        olds = {int(x) for x in conn.execute(sa.select(a.voice_id).where(a.uid.in_(uids[1:]))).scalars()} - {target}
        conn.execute(schema.accounts.update().where(a.voice_id.in_(olds)).values(voice_id=target))
        conn.execute(schema.posts.update().where(schema.posts.c.speaker_voice.in_(olds)).values(speaker_voice=target))
        conn.execute(schema.events.update().where(schema.events.c.voice_id.in_(olds)).values(voice_id=target))
        manual = _manual(conn, target)
        linked = sorted({*(manual.get("linked") or []), *uids})  # type: ignore[misc]
        manual["linked"] = linked
        _log(manual, {"link": uids}, actor)
        conn.execute(schema.voices.update().where(v.id == target).values(manual=_enc.encode(manual).decode()))
        conn.execute(schema.voices.delete().where(v.id.in_(olds)))
    return target


def set_voice(
    ws: Workspace,
    key: str,
    *,
    name: str | None = None,
    role: str | None = None,
    place: str | None = None,
    actor: str | None = None,
) -> int:
    """Set a voice's name, role or place by hand (kept over anything read from bios); return its id."""
    ensure_voices(ws)
    changes = {k: val for k, val in (("name", name), ("role", role), ("place", place)) if val is not None}
    if not changes:
        raise VoiceError("nothing to set: give --name, --role or --place")
    with ws.engine.begin() as conn:
        vid = find_voice(conn, key)
        manual = _manual(conn, vid)
        manual.update(changes)
        _log(manual, {"set": changes}, actor)
        values = {**changes, "manual": _enc.encode(manual).decode()}
        conn.execute(schema.voices.update().where(schema.voices.c.id == vid).values(**values))
    return vid


def attribute(ws: Workspace, post_uid: str, voice_key: str, create: bool = False) -> int:
    """Record that voice speaks in the post (posted by another account); return the voice id.

    With create, a voice named voice_key is made when none matches (a speaker without an account of their own).
    """
    ensure_voices(ws)
    p = schema.posts.c
    with ws.engine.begin() as conn:
        if not conn.execute(sa.select(p.pk).where(p.uid == post_uid)).first():
            raise VoiceError(f"no post {post_uid!r} (give its uid, platform:id)")
        try:
            vid = find_voice(conn, voice_key)
        except VoiceError:
            if not create:
                raise
            manual = _enc.encode({"name": voice_key.strip()}).decode()
            vid = conn.execute(
                schema.voices.insert()
                .values(name=voice_key.strip(), manual=manual, created_at=now_iso())
                .returning(schema.voices.c.id)
            ).scalar_one()
        res = conn.execute(schema.posts.update().where(p.uid == post_uid).values(speaker_voice=vid))
        if not res.rowcount:
            raise VoiceError(f"no post {post_uid!r} (give its uid, platform:id)")
    return vid


@dataclass
class VoiceInfo:
    """A voice as `vigil voices` lists it."""

    id: int
    name: str
    role: str | None
    place: str | None
    accounts: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    posts: int = 0
    first_seen: str | None = None
    last_seen: str | None = None


def list_voices(ws: Workspace, as_of: str | None = None, counts: bool = True) -> list[VoiceInfo]:
    """Every voice with its accounts, platforms, post count and first and last post (up to as_of), by name.

    counts=False leaves out the post count and first and last post (a pass over every post: ~8 s for 1M).
    """
    ensure_voices(ws)
    a, v, p = schema.accounts.c, schema.voices.c, schema.posts.c
    out: dict[int, VoiceInfo] = {}
    with ws.engine.connect() as conn:
        for r in conn.execute(sa.select(v.id, v.name, v.role, v.place)):
            out[r.id] = VoiceInfo(r.id, r.name or f"voice {r.id}", r.role, r.place)
        accounts = sa.select(a.uid, a.platform, a.handle, a.name, a.voice_id).order_by(a.platform, a.uid)
        for acc in conn.execute(accounts):
            info = out.get(acc.voice_id)
            if info is None:
                continue
            info.accounts.append(acc.uid)
            info.handles.append(account_label(acc.platform, acc.handle, acc.name, acc.uid))
            if acc.platform not in info.platforms:
                info.platforms.append(acc.platform)
        if not counts:
            return sorted(out.values(), key=lambda i: (i.name.casefold(), i.id))
        stmt = (
            sa.select(a.voice_id, sa.func.count(), sa.func.min(p.created_at), sa.func.max(p.created_at))
            .select_from(schema.posts.join(schema.accounts, p.account_uid == a.uid))
            .group_by(a.voice_id)
        )
        if as_of:
            stmt = stmt.where(p.created_at <= as_of)
        for vid, n, first, last in conn.execute(stmt):
            if vid in out:
                out[vid].posts, out[vid].first_seen, out[vid].last_seen = n, first, last
    return sorted(out.values(), key=lambda i: (i.name.casefold(), i.id))


def voice_refs(ws: Workspace) -> dict[int, dict[str, object]]:
    """Every voice as the export shows it: {id, name, role} by id (every account given its voice first)."""
    ensure_voices(ws)
    v = schema.voices.c
    with ws.engine.connect() as conn:
        rows = conn.execute(sa.select(v.id, v.name, v.role))
        return {r.id: {"id": r.id, "name": r.name, "role": r.role} for r in rows}
