"""The labelling queue: unlabelled posts, least certain first, and a session with one key per label, undo and skip."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

import msgspec
import numpy as np
import sqlalchemy as sa

from vigil.models import labels as human
from vigil.models.classifier import Classifier
from vigil.models.enrichment import iter_stored, text_of
from vigil.store import schema
from vigil.store.engine import Workspace

UNDO, SKIP, QUIT = "u", "s", "q"
_KEYS = [c for c in string.digits[1:] + "0" + string.ascii_lowercase if c not in (UNDO, SKIP, QUIT)]


@dataclass
class QueueItem:
    """A post to label, with the model's guess and how sure it is."""

    uid: str
    text: str
    guess: str | None = None
    score: float | None = None
    margin: float | None = None  # top probability minus the next: small means unsure


def key_map(label_names: list[str]) -> dict[str, str]:
    """One key per label: 1-9, 0, then letters (u, s and q are taken by undo, skip and quit)."""
    if len(label_names) > len(_KEYS):
        raise ValueError(f"at most {len(_KEYS)} labels can have a key")
    return dict(zip(_KEYS, label_names, strict=False))


def build(ws: Workspace, task: str, clf: Classifier | None = None, limit: int | None = None) -> list[QueueItem]:
    """Posts without a label for this task; with a model, least certain first (smallest margin), else oldest first."""
    done = set(human.latest(ws, task))
    items: list[QueueItem] = []
    for batch in iter_stored(ws):
        fresh = [QueueItem(post.uid, text_of(post)) for _, post in batch if post.uid not in done]
        fresh = [it for it in fresh if it.text.strip()]
        if clf is not None and fresh:
            proba = clf.predict_proba([it.text for it in fresh])
            top2 = np.sort(proba, axis=1)[:, -2:]
            best = proba.argmax(axis=1)
            for it, b, pair in zip(fresh, best, top2, strict=True):
                it.guess, it.score, it.margin = clf.classes[int(b)], float(pair[1]), float(pair[1] - pair[0])
        items.extend(fresh)
    if clf is not None:
        items.sort(key=lambda it: it.margin if it.margin is not None else 1.0)
    return items[:limit] if limit else items


@dataclass
class Session:
    """Walks a queue: a label key stores a label and moves on, skip moves on, undo steps back and unstores."""

    ws: Workspace
    task: str
    items: list[QueueItem]
    keys: dict[str, str]
    position: int = 0
    history: list[tuple[int, int | None]] = field(default_factory=list)
    labelled: int = 0

    @property
    def current(self) -> QueueItem | None:
        """The item on screen, or None when the queue is done."""
        return self.items[self.position] if self.position < len(self.items) else None

    def press(self, key: str) -> bool:
        """Handle one key; return False when the session should end."""
        if key == QUIT:
            return False
        if key == UNDO:
            if self.history:
                self.position, label_id = self.history.pop()
                if label_id is not None:
                    human.remove(self.ws, label_id)
                    self.labelled -= 1
            return True
        item = self.current
        if item is None:
            return True
        if key == SKIP:
            self.history.append((self.position, None))
        elif key in self.keys:
            label_id = human.add(self.ws, item.uid, self.task, self.keys[key])
            self.history.append((self.position, label_id))
            self.labelled += 1
        else:
            return True
        self.position += 1
        return True


@dataclass
class Card:
    """What a labeller needs beside the text: who, where, when (local and UTC), the labels so far, the thread."""

    uid: str
    platform: str
    author: str  # '@handle (Name)' as the source gave them
    local: str  # '2026-03-02 10:10 UTC+02:00'
    utc: str  # '2026-03-02 08:10 UTC'
    url: str | None
    triage: list[tuple[str, list[str]]]  # each triage label with the cues that gave it
    human: list[tuple[str, str]]  # (task, label) set by people, newest per task
    reply_to: str | None  # the uid of the post this one answers
    parent: str | None  # '@handle, 2026-03-02 07:55 UTC: its text' when that post is stored


_json = msgspec.json.Decoder()
PARENT_CHARS = 280  # how much of the post replied to the card shows


def _who(handle: str | None, name: str | None) -> str:
    if handle and name and name != handle:
        return f"@{handle} ({name})"
    return f"@{handle}" if handle else (name or "unknown author")


def _times(created_at: str | None, tz: tzinfo) -> tuple[str, str]:
    if not created_at:
        return "time unknown", "time unknown"
    at = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    local = at.astimezone(tz)
    offset = local.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{local:%Y-%m-%d %H:%M} {zone}", f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def card(ws: Workspace, uid: str, tz: tzinfo = UTC) -> Card | None:
    """The card of a stored post (None when the workspace does not hold it)."""
    p, a, h = schema.posts.c, schema.accounts.c, schema.human_labels.c
    cols = (p.uid, p.platform, p.author_handle, p.author_name, p.created_at, p.url, p.reply_to, p.enrichment)
    with ws.engine.connect() as conn:
        row = conn.execute(
            sa.select(*cols, a.name.label("account_name"))
            .select_from(schema.posts.outerjoin(schema.accounts, a.uid == p.account_uid))
            .where(p.uid == uid)
        ).first()
        if row is None:
            return None
        people = conn.execute(
            sa.select(h.task, h.label).where(h.uid == uid).order_by(h.task, h.set_at.desc(), h.id.desc())
        ).all()
        parent = None
        if row.reply_to:
            parent = conn.execute(
                sa.select(p.author_handle, p.author_name, p.created_at, p.text).where(p.uid == row.reply_to)
            ).first()
    enrichment: dict[str, Any] = _json.decode(row.enrichment) if row.enrichment else {}
    cues = enrichment.get("cues") or {}
    triage = [(lab, [str(c) for c in cues.get(lab, [])]) for lab in enrichment.get("labels") or []]
    human_labels: dict[str, str] = {}
    for task, lab in people:
        human_labels.setdefault(task, lab)  # the newest per task comes first
    local, utc = _times(row.created_at, tz)
    parent_line = None
    if parent is not None:
        text = parent.text or ""
        text = text if len(text) <= PARENT_CHARS else text[:PARENT_CHARS] + "…"
        parent_line = f"{_who(parent.author_handle, parent.author_name)}, {_times(parent.created_at, tz)[1]}: {text}"
    return Card(
        uid=row.uid,
        platform=row.platform,
        author=_who(row.author_handle, row.author_name or row.account_name),
        local=local,
        utc=utc,
        url=row.url,
        triage=triage,
        human=list(human_labels.items()),
        reply_to=row.reply_to,
        parent=parent_line,
    )
