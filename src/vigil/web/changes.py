"""Every change the desk makes, each written with its audit entry in one transaction.

Acknowledging or muting a silence and marking a voice inside or outside the city are kept in the voice's
`manual` JSON (the column `vigil voice set` already uses) by `acknowledge_silence`, `mute_silence` and
`set_inside` here, until the watch has functions of its own for them.
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


def set_inside(ws: Workspace, user: User, vid: int, inside: bool | None) -> None:
    """Mark a voice as inside the city (True), outside (False) or unknown (None)."""
    with ws.engine.begin() as conn:
        _set_manual(conn, user, vid, "voice.inside", {"inside": inside})


def acknowledge_silence(ws: Workspace, user: User, vid: int, last_seen: str | None, note: str = "") -> None:
    """Say that someone on the desk has seen this voice's silence (the one since last_seen) and is on it."""
    with ws.engine.begin() as conn:
        ack = {"since": last_seen, "by": user.name, "at": now_iso(), "note": note}
        _set_manual(conn, user, vid, "silence.ack", {"acknowledged": ack})


def mute_silence(ws: Workspace, user: User, vid: int, muted: bool) -> None:
    """Stop (or start again) counting this voice among the voices at risk."""
    with ws.engine.begin() as conn:
        _set_manual(conn, user, vid, "silence.mute", {"muted": muted})


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


def voice_marks(manual: str | None) -> dict[str, Any]:
    """What the desk keeps in a voice's manual JSON: inside, acknowledged, muted."""
    m = json.loads(manual) if manual else {}
    return {"inside": m.get("inside"), "acknowledged": m.get("acknowledged"), "muted": bool(m.get("muted"))}
