"""Stories: reposts, forwards, quotes and near-identical copies of one post share one story id."""

from __future__ import annotations

import hashlib
import re

from vigil.triage.arabic import fold

_RT_PREFIX = re.compile(r"^\s*(?:RT|MT)\s+@\w+:?\s*", re.IGNORECASE)
_LINKS = re.compile(r"https?://\S+|www\.\S+|@\w+")  # links and mentions: no part of a story
_LETTERS = re.compile(r"[^\W_]+")  # runs of letters and digits: the words a fingerprint keeps
MIN_CHARS = 25  # shorter texts ("help!", "same") say too little to call two posts one story
PREFIX_CHARS = 120  # copies truncated by a platform ("…") still share their beginning


def fingerprint(text: str) -> str | None:
    """The normalised beginning of a text (no links, mentions, RT prefix, punctuation, case), or None if too short."""
    t = _RT_PREFIX.sub("", text) if "@" in text else text  # the prefix names someone
    t = fold(t).casefold()
    if "@" in t or "http" in t or "www." in t:
        t = _LINKS.sub(" ", t)
    t = " ".join(_LETTERS.findall(t))  # punctuation and underscores as spaces, spaces collapsed
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
