"""Stories: reposts, forwards, quotes and near-identical copies of one post share one story id."""

from __future__ import annotations

import hashlib
import re

from vigil.triage.arabic import blank_non_words, fold

_RT_PREFIX = re.compile(r"^\s*(?:RT|MT)\s+@\w+:?\s*", re.IGNORECASE)
_LINKS = re.compile(r"https?://\S+|www\.\S+|@\w+")  # links and mentions: no part of a story
_LETTERS = re.compile(r"[^\W_]+")  # runs of letters and digits: the words a fingerprint keeps
MIN_CHARS = 25  # shorter texts ("help!", "same") say too little to call two posts one story
# the bytes of a text's UTF-8 that are ASCII non-letters (all but A-Z a-z 0-9, as _LETTERS reads ASCII) as spaces
_SPACES = bytes(c if c >= 128 or chr(c).isalnum() else 32 for c in range(256))
PREFIX_CHARS = 120  # copies truncated by a platform ("…") still share their beginning


def fingerprint(text: str) -> str | None:
    """The normalised beginning of a text (no links, mentions, RT prefix, punctuation, case), or None if too short."""
    t = _RT_PREFIX.sub("", text) if "@" in text else text  # the prefix names someone
    t = fold(t).casefold()
    if "@" in t or "http" in t or "www." in t:
        t = _LINKS.sub(" ", t)
    # punctuation and underscores as spaces, spaces collapsed, by bytes.translate without a regex scan (a tweet:
    # 6.4 -> 1.7 us; 327.7k -> 320.8k instructions per post in a worker's steady state); the non-ASCII characters
    # that are no letters blanked first (an Arabic text: 39.2k -> 23.0k instructions)
    if not t.isascii():
        t = blank_non_words(t)
    t = b" ".join(t.encode().translate(_SPACES).split()).decode()
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
