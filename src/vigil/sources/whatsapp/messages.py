"""A chat's lines grouped into messages, and what each message is: text, media, a deletion or a system line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from vigil.sources.whatsapp.lines import Header, parse_header

MARKS = "\u200e\u200f\u202a\u202b\u202c\u2068\u2069\ufeff"
# What WhatsApp writes in place of a message, a file or a group event (English exports).
DELETED = frozenset(["This message was deleted", "You deleted this message"])
_SYSTEM = re.compile(
    r"(?:Messages and calls are end-to-end encrypted"
    r"|Messages (?:you send )?to this (?:group|chat) are now secured with end-to-end encryption"
    r"|Your security code with .+ changed"
    r"|You(?:'re| are) now an admin"
    r"|.+?'s security code changed"
    r"|.+? (?:created group |created this group|added |removed |left$|joined using this group's invite link"
    r"|joined from the community|changed the subject |changed this group's icon|deleted this group's icon"
    r"|changed the group description|changed the group name|changed (?:their|the) phone number|changed to \+"
    r"|changed (?:this group's|the group) settings|turned (?:on|off) disappearing messages|pinned a message"
    r"|is now an admin|is no longer an admin|was added|were added|requested to join))"
)
# System lines whose quoted part may hold ": " (a subject, a group name): recognised before a sender is split off.
_SYSTEM_QUOTING = re.compile(r'[^:"\u201c]+? (?:created group |changed the subject |changed the group name )')
_ATTACHED = re.compile(r"<\s?attached:\s?(?P<name>[^<>\n]+?)\s?>")
_FILE_ATTACHED = re.compile(r"^(?P<name>[^\n]+?) \(file attached\)$")
_OMITTED = re.compile(
    r"^(?:<Media omitted>|(?:image|video|audio|sticker|GIF|document|Contact card|media) omitted|.+ document omitted)$"
)
MEDIA_TYPES = (
    (("-PHOTO-", "IMG-"), "photo"),
    (("-VIDEO-", "VID-"), "video"),
    (("-AUDIO-", "PTT-", "AUD-"), "audio"),
    (("-STICKER-", "STK-"), "sticker"),
    (("-GIF-",), "animated_gif"),
)
OMITTED_TYPES = {"image": "photo", "video": "video", "audio": "audio", "sticker": "sticker", "GIF": "animated_gif"}
SUFFIX_TYPES = {
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".webp", ".heic", ".gif"), "photo"),
    **dict.fromkeys((".mp4", ".mov", ".3gp", ".m4v", ".webm"), "video"),
    **dict.fromkeys((".opus", ".ogg", ".m4a", ".mp3", ".aac", ".amr", ".wav"), "audio"),
}


class Message(NamedTuple):
    """One message's lines: where it starts, its header, its text after the sender and its raw bytes."""

    lineno: int
    header: Header
    sender: str | None  # None for a system line
    text: str
    raw: bytes


class Body(NamedTuple):
    """What a message's text is: 'text', 'media' (a file named or omitted), 'deleted' or 'system'."""

    kind: str
    file: str | None = None  # the attached file's name as the chat writes it
    type: str = "file"  # the media's type (photo, video, audio…)


def unmarked(text: str) -> str:
    """Text without the direction marks iOS puts before dates, events and attachments."""
    return text.strip(MARKS + " ")


def split_sender(h: Header) -> tuple[str | None, str]:
    """(sender, text) of a header's rest; no sender for a system line."""
    rest = h.rest
    if _SYSTEM_QUOTING.match(unmarked(rest)) and not h.ios:
        return None, rest
    sender, sep, text = rest.partition(": ")
    if not sep:
        if rest.endswith(":"):  # an empty message: 'Luke: '
            return rest[:-1], ""
        return None, rest
    if h.ios and text.startswith("\u200e") and _SYSTEM.match(unmarked(text).rstrip(".")):
        return None, text  # iOS names the group as the sender of its events
    if not h.ios and _SYSTEM.match(unmarked(rest).rstrip(".")) and not _SYSTEM.match(unmarked(text).rstrip(".")):
        return None, rest
    return sender, text


def classify(m: Message) -> Body:
    """What the message's text says it is."""
    if m.sender is None:
        return Body("system")
    first = m.text.split("\n", 1)[0]
    plain = unmarked(first)
    if plain.rstrip(".") in DELETED and "\n" not in m.text:
        return Body("deleted")
    found = _ATTACHED.search(first)
    if found:
        return Body("media", file=found.group("name"), type=media_type(found.group("name")))
    found = _FILE_ATTACHED.match(unmarked(first))
    if found:
        name = unmarked(found.group("name"))
        return Body("media", file=name, type=media_type(name))
    if _OMITTED.match(plain):
        return Body("media", type=OMITTED_TYPES.get(plain.split()[0], "file"))
    return Body("text")


def media_type(name: str | None) -> str:
    """photo, video, audio, sticker, animated_gif or file, from WhatsApp's file name or its suffix."""
    if not name:
        return "file"
    upper = name.upper()
    for marks, kind in MEDIA_TYPES:
        if any(mark in upper for mark in marks):
            return kind
    dot = name.rfind(".")
    return SUFFIX_TYPES.get(name[dot:].lower(), "file") if dot >= 0 else "file"


class Line(NamedTuple):
    """One line of the chat: its number, its text (no line break) and its bytes (a CR kept)."""

    n: int
    text: str
    raw: bytes


def group_lines(lines: Iterable[Line]) -> Iterator[Message | int]:
    """Messages from the lines (a line without a stamp continues the message above); an int is a line before any."""
    header: Header | None = None
    current: list[Line] = []
    for line in lines:
        h = parse_header(line.text)
        if h is None:
            if header is not None:
                current.append(line)
            elif line.text.strip(MARKS + " \t"):
                yield line.n
            continue
        if header is not None:
            yield _message(header, current)
        header, current = h, [line]
    if header is not None:
        while len(current) > 1 and not current[-1].text:
            current.pop()  # the file's last line break, not a blank line of the message
        yield _message(header, current)


def _message(h: Header, lines: list[Line]) -> Message:
    sender, text = split_sender(h)
    if len(lines) > 1:
        text = "\n".join([text, *(ln.text for ln in lines[1:])])
    return Message(lines[0].n, h, sender, text, b"\n".join(ln.raw for ln in lines).removesuffix(b"\r"))
