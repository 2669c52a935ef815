"""Long posts: tweets.js keeps only their first 280 characters; note-tweet.js keeps the whole text, without the id.

A note is joined to the one tweet of the same second (±1 s) whose text, less the trailing "…" and t.co link, begins
the note's text. Anything ambiguous or unmatched is reported, never guessed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

import msgspec

from vigil.records import Post, Problem
from vigil.sources.x_archive.archive import NOTES, Archive
from vigil.sources.x_archive.ytd import member_items


class NoteUrl(msgspec.Struct, rename="camel"):
    """A link in the note's text."""

    expanded_url: str | None = None


class NoteMention(msgspec.Struct, rename="camel"):
    """A mention in the note's text."""

    screen_name: str | None = None


class NoteTag(msgspec.Struct):
    """A hashtag in the note's text."""

    text: str | None = None


class NoteCore(msgspec.Struct):
    """The note's text and its entities."""

    text: str = ""
    urls: list[NoteUrl] = []
    mentions: list[NoteMention] = []
    hashtags: list[NoteTag] = []


class NoteTweet(msgspec.Struct, rename="camel"):
    """One element's `noteTweet` object."""

    created_at: str | None = None
    core: NoteCore | None = None


class NoteItem(msgspec.Struct, rename="camel"):
    """One element of note-tweet.js: `{"noteTweet": {...}}`."""

    note_tweet: msgspec.Raw = msgspec.Raw()


_item = msgspec.json.Decoder(NoteItem)
_note = msgspec.json.Decoder(NoteTweet)


@dataclass
class Note:
    """A long post's full text, where it was read, and its raw JSON."""

    where: str
    created_at: str
    note: NoteTweet
    raw: bytes
    used: bool = False


def _second(dt: datetime) -> int:
    return int(dt.timestamp())


def _begins(text: str) -> str:
    """What a truncated tweet's text says of its note: the text without the trailing "…" and t.co link."""
    t = text
    while True:  # (string methods, not a regex: a line of spaces must not cost quadratic time)
        t = t.rstrip()
        if t.endswith("…"):
            t = t[:-1]
            continue
        if t.endswith("..."):
            t = t[:-3]
            continue
        head, sep, tail = t.rpartition("https://t.co/")
        if sep and tail.isascii() and tail.isalnum():
            t = head
            continue
        return html.unescape(t)


class Notes:
    """An archive's long posts by the second they were made."""

    def __init__(self) -> None:
        self.by_second: dict[int, list[Note]] = {}

    def load(self, archive: Archive) -> list[Problem]:
        """Read every note-tweet.js of the archive; return what could not be read."""
        problems: list[Problem] = []
        src = str(archive.source)
        for name in sorted(n for n in archive.names if NOTES.match(n)):
            for item in member_items(archive, name):
                if isinstance(item, Problem):
                    problems.append(item)
                    continue
                where, raw = item
                try:
                    inner = bytes(_item.decode(raw).note_tweet) or raw
                    note = _note.decode(inner)
                    at = datetime.fromisoformat((note.created_at or "").replace("Z", "+00:00"))
                except (msgspec.DecodeError, RecursionError, ValueError) as exc:  # ValueError: a bad createdAt
                    problems.append(Problem(source=src, where=where, message=f"bad long post (note): {exc}"))
                    continue
                if note.core is None or not note.core.text:
                    continue
                self.by_second.setdefault(_second(at), []).append(Note(where, note.created_at or "", note, inner))
        return problems

    def join(self, post: Post, source: str) -> Problem | None:
        """Give a truncated post its note's whole text (raw: the tweet and the note, each verbatim); None if fine."""
        if not self.by_second or post.created_at is None or post.kind == "repost":
            return None
        s = _second(post.created_at)
        near = [note for t in (s, s - 1, s + 1) for note in self.by_second.get(t, ())]
        begins = _begins(post.text) if near else ""  # (most tweets have no note near their second)
        if not begins:
            return None
        found = [n for n in near if n.note.core is not None and html.unescape(n.note.core.text).startswith(begins)]
        if not found:
            return None
        if len(found) > 1:
            wheres = ", ".join(n.where for n in found)
            msg = f"{len(found)} long posts could continue tweet {post.id}; its text is kept as cut"
            return Problem(source=source, where=wheres, message=msg)
        note = found[0]
        note.used = True
        core = note.note.core
        assert core is not None
        if core.text == post.text:
            return None
        post.text = core.text
        post.raw = b'{"tweet":' + post.raw + b',"noteTweet":' + note.raw + b"}"
        post.hashtags += [h.text for h in core.hashtags if h.text and h.text not in post.hashtags]
        post.mentions += [m.screen_name for m in core.mentions if m.screen_name and m.screen_name not in post.mentions]
        post.links += [u.expanded_url for u in core.urls if u.expanded_url and u.expanded_url not in post.links]
        return None

    def unused(self, source: str) -> list[Problem]:
        """A problem for each long post no tweet matched (its text would otherwise be lost silently)."""
        return [
            Problem(
                source=source,
                where=n.where,
                message=f"long post of {n.created_at} matches no tweet in tweets.js; its full text is not stored",
            )
            for notes in self.by_second.values()
            for n in notes
            if not n.used
        ]
