"""Every change the desk makes, each written with its audit entry (in one transaction where the store allows).

Acknowledging or muting a silence and saying where a voice is go through the watch's own functions
(`vigil.watch.marks`: `watch_marks` and `voices.location`, as `vigil watch --ack` and `vigil voice set --inside`
write them); the desk adds the audit entry.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from vigil.records import now_iso
from vigil.store import schema
from vigil.store.engine import Workspace
from vigil.triage.labels import LABELS
from vigil.web import audit
from vigil.web.users import User

TASK = "triage"  # the post's main label as a person gives it: `vigil model train --task triage` learns it
NOT_RELEVANT = "not-relevant"
ADDED = "yes"  # an added label X is task `triage:X`, label `yes`


class ChangeError(Exception):
    """A change that cannot be made (unknown label, post or voice)."""


def _latest_label(conn: sa.Connection, uid: str, task: str) -> str | None:
    h = schema.human_labels.c
    stmt = sa.select(h.label).where(h.uid == uid, h.task == task).order_by(h.set_at.desc(), h.id.desc()).limit(1)
    return conn.execute(stmt).scalar_one_or_none()


def label_posts(ws: Workspace, user: User, uids: list[str], action: str, label: str | None = None) -> int:
    """Confirm, correct, add a label to or mark not relevant each post: human labels as `vigil label` writes."""
    if action in ("correct", "add") and label not in LABELS:
        raise ChangeError(f"unknown label {label!r}")
    if action not in ("confirm", "correct", "add", NOT_RELEVANT):
        raise ChangeError(f"unknown action {action!r}")
    p, now, n = schema.posts.c, now_iso(), 0
    with ws.engine.begin() as conn:
        for uid in uids:
            machine = conn.execute(sa.select(p.labels).where(p.uid == uid)).first()
            if machine is None:
                raise ChangeError(f"no post {uid!r}")
            labels = (machine.labels or "").split()
            task, value = TASK, label
            if action == "confirm":
                value = next((x for x in LABELS if x in labels), None)
                if value is None:
                    raise ChangeError(f"post {uid} has no triage label to confirm")
            elif action == NOT_RELEVANT:
                value = NOT_RELEVANT
            elif action == "add":
                task, value = f"{TASK}:{label}", ADDED
            assert value is not None
            before = _latest_label(conn, uid, task)
            conn.execute(
                schema.human_labels.insert().values(uid=uid, task=task, label=value, set_by=user.name, set_at=now)
            )
            audit.record(
                conn,
                user.name,
                f"label.{action}",
                f"post:{uid}",
                {"task": task, "label": before, "machine": labels},
                {"task": task, "label": value},
            )
            n += 1
    return n


def assign(ws: Workspace, user: User, uids: list[str], assignee: str) -> int:
    """Give posts to a colleague (empty assignee: take them back)."""
    a = schema.assignments.c
    with ws.engine.begin() as conn:
        if (
            assignee
            and not conn.execute(sa.select(schema.web_users.c.name).where(schema.web_users.c.name == assignee)).first()
        ):
            raise ChangeError(f"no user {assignee!r}")
        for uid in uids:
            before = conn.execute(sa.select(a.assignee).where(a.uid == uid)).scalar_one_or_none()
            conn.execute(schema.assignments.delete().where(a.uid == uid))
            if assignee:
                conn.execute(
                    schema.assignments.insert().values(
                        uid=uid, assignee=assignee, assigned_by=user.name, assigned_at=now_iso()
                    )
                )
            audit.record(conn, user.name, "assign", f"post:{uid}", before, assignee or None)
    return len(uids)


def save_filter(ws: Workspace, user: User, name: str, query: str) -> None:
    """Keep a queue filter under a name, for this user."""
    if not name.strip():
        raise ChangeError("give the filter a name")
    f = schema.saved_filters.c
    with ws.engine.begin() as conn:
        conn.execute(schema.saved_filters.delete().where(f.user == user.name, f.name == name.strip()))
        conn.execute(
            schema.saved_filters.insert().values(user=user.name, name=name.strip(), query=query, created_at=now_iso())
        )


def delete_filter(ws: Workspace, user: User, name: str) -> None:
    """Forget one of this user's saved filters."""
    f = schema.saved_filters.c
    with ws.engine.begin() as conn:
        conn.execute(schema.saved_filters.delete().where(f.user == user.name, f.name == name))


def _voice(conn: sa.Connection, vid: int) -> Any:
    v = schema.voices.c
    row = conn.execute(sa.select(v.id, v.name, v.role, v.place, v.manual).where(v.id == vid)).first()
    if row is None:
        raise ChangeError(f"no voice {vid}")
    return row


def _set_manual(conn: sa.Connection, user: User, vid: int, action: str, changes: dict[str, Any]) -> None:
    """Merge changes into a voice's manual JSON (and its role/place columns), audited."""
    row = _voice(conn, vid)
    manual = json.loads(row.manual) if row.manual else {}
    before = {k: manual.get(k) for k in changes}
    manual.update(changes)
    columns = {k: changes[k] for k in ("role", "place", "name") if k in changes}
    conn.execute(
        schema.voices.update()
        .where(schema.voices.c.id == vid)
        .values(manual=json.dumps(manual, ensure_ascii=False), **columns)
    )
    audit.record(conn, user.name, action, f"voice:{vid}", before, changes)


def set_voice(ws: Workspace, user: User, vid: int, role: str | None, place: str | None) -> None:
    """Set a voice's role and place by hand (kept over what bios say, as `vigil voice set` does)."""
    changes = {k: v.strip() for k, v in (("role", role), ("place", place)) if v is not None and v.strip()}
    if not changes:
        raise ChangeError("nothing to set: give a role or a place")
    with ws.engine.begin() as conn:
        _set_manual(conn, user, vid, "voice.set", changes)


def _location(conn: sa.Connection, vid: int) -> str | None:
    return conn.execute(sa.select(schema.voices.c.location).where(schema.voices.c.id == vid)).scalar_one_or_none()


def set_inside(ws: Workspace, user: User, vid: int, inside: bool | None) -> None:
    """Say a voice is inside the city (True), outside (False) or unknown again (None): the watch's set_location."""
    from vigil.watch.location import INSIDE, OUTSIDE
    from vigil.watch.marks import set_location
    from vigil.watch.voices import VoiceError

    value = None if inside is None else INSIDE if inside else OUTSIDE
    with ws.engine.connect() as conn:
        _voice(conn, vid)
        before = _location(conn, vid)
    try:
        set_location(ws, str(vid), value, actor=user.name)
    except VoiceError as exc:
        raise ChangeError(str(exc)) from exc
    with ws.engine.begin() as conn:
        audit.record(conn, user.name, "voice.location", f"voice:{vid}", {"location": before}, {"location": value})


def acknowledge_silence(ws: Workspace, user: User, vid: int, as_of: str | None, note: str = "") -> None:
    """Acknowledge the voice's current silence (the one after its last post up to as_of): the watch's acknowledge."""
    from vigil.watch.marks import acknowledge
    from vigil.watch.voices import VoiceError

    with ws.engine.connect() as conn:
        _voice(conn, vid)
    try:
        mark = acknowledge(ws, str(vid), actor=user.name, as_of=as_of)
    except VoiceError as exc:
        raise ChangeError(str(exc)) from exc
    with ws.engine.begin() as conn:
        after = {"since": mark.since, "note": note} if note else {"since": mark.since}
        audit.record(conn, user.name, "silence.ack", f"voice:{vid}", None, after)


def mute_silence(ws: Workspace, user: User, vid: int, muted: bool) -> None:
    """Mute a voice's silences, or lift its mutes: the watch's mute and unmute."""
    from vigil.watch.marks import mute, unmute
    from vigil.watch.voices import VoiceError

    with ws.engine.connect() as conn:
        _voice(conn, vid)
    try:
        mute(ws, str(vid), actor=user.name) if muted else unmute(ws, str(vid), actor=user.name)
    except VoiceError as exc:
        raise ChangeError(str(exc)) from exc
    with ws.engine.begin() as conn:
        audit.record(conn, user.name, "silence.mute", f"voice:{vid}", {"muted": not muted}, {"muted": muted})


def link_accounts(ws: Workspace, user: User, keys: list[str]) -> int:
    """Join accounts into one voice (the watch's `link`), audited with each account's voice before and after."""
    from vigil.watch.voices import VoiceError, link

    a = schema.accounts.c
    with ws.engine.connect() as conn:
        before = {r.uid: r.voice_id for r in conn.execute(sa.select(a.uid, a.voice_id).where(a.uid.in_(keys)))}
    try:
        target = link(ws, keys)
    except VoiceError as exc:
        raise ChangeError(str(exc)) from exc
    with ws.engine.begin() as conn:
        audit.record(conn, user.name, "voice.link", f"voice:{target}", before, {"voice": target, "accounts": keys})
    return target


def voice_marks(conn: sa.Connection, vid: int | None = None) -> dict[int, dict[str, Any]]:
    """Where each voice is (set by hand) and its marks in force: {inside, acknowledged {since, by, at}, muted}."""
    from vigil.watch.location import INSIDE, OUTSIDE

    v, m = schema.voices.c, schema.watch_marks.c
    out: dict[int, dict[str, Any]] = {}
    located = sa.select(v.id, v.location).where(v.location.is_not(None))
    marks = sa.select(m.voice_id, m.kind, m.since, m.actor, m.at).where(m.lifted_at.is_(None)).order_by(m.id)
    if vid is not None:
        located, marks = located.where(v.id == vid), marks.where(m.voice_id == vid)
    for voice, location in conn.execute(located):
        where = {INSIDE: True, OUTSIDE: False}.get(location)
        out.setdefault(voice, {"inside": None, "acknowledged": None, "muted": False})["inside"] = where
    for voice, kind, since, actor, at in conn.execute(marks):
        entry = out.setdefault(voice, {"inside": None, "acknowledged": None, "muted": False})
        if kind == "mute":
            entry["muted"] = True
        else:
            entry["acknowledged"] = {"since": since, "by": actor, "at": at}
    return out
