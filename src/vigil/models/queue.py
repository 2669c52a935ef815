"""The labelling queue: unlabelled posts, least certain first, and a session with one key per label, undo and skip."""

from __future__ import annotations

import string
from dataclasses import dataclass, field

import numpy as np

from vigil.models import labels as human
from vigil.models.classifier import Classifier
from vigil.models.enrichment import iter_stored, text_of
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
