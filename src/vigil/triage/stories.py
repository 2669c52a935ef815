"""Stories: reposts, forwards, quotes and near-identical copies of one post share one story id."""

from __future__ import annotations

import hashlib
import re

from vigil.triage.arabic import fold

_RT_PREFIX = re.compile(r"^\s*(?:RT|MT)\s+@\w+:?\s*", re.IGNORECASE)
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|[#]|[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")
MIN_CHARS = 25  # shorter texts ("help!", "same") say too little to call two posts one story
PREFIX_CHARS = 120  # copies truncated by a platform ("…") still share their beginning


def fingerprint(text: str) -> str | None:
    """The normalised beginning of a text (no links, mentions, RT prefix, punctuation, case), or None if too short."""
    t = _RT_PREFIX.sub("", text)
    t = _SPACE.sub(" ", _NOISE.sub(" ", fold(t).casefold())).strip()
    t = t.rstrip(".… ")
    if len(t) < MIN_CHARS:
        return None
    return t[:PREFIX_CHARS]


def story_of_text(text: str) -> str | None:
    """A story id from the text alone ('s' + 12 hex), or None when the text is too short."""
    fp = fingerprint(text)
    if fp is None:
        return None
    return "s" + hashlib.sha1(fp.encode(), usedforsecurity=False).hexdigest()[:12]


def story_of_uid(uid: str) -> str:
    """A story id for a post whose text is too short to compare: its root post's uid."""
    return "u" + hashlib.sha1(uid.encode(), usedforsecurity=False).hexdigest()[:12]
