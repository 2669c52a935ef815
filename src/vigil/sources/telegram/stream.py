"""A Telegram export walked through a bounded window: one chat's result.json or a full account export.

The top-level object is walked key by key; each chat of `chats.list` (and `left_chats.list`) is walked the same
way and its `messages` read one by one, so no chat is held whole. A chat's `name`, `type` and `id` come before its
messages in the exports Telegram Desktop writes; when one comes after them, the messages are read in a second pass
once the chat's object has been walked.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

import msgspec

from vigil.records import Problem, Record
from vigil.sources.arrays import Damage, Window, iter_items
from vigil.sources.base import DECODE_ERRORS
from vigil.sources.parts import decode_parts, parts_message
from vigil.sources.telegram.media import MediaResolver
from vigil.sources.telegram.types import Chat, scope_of
from vigil.sources.walk import Broken, elements, members, skip_value, take_value

if TYPE_CHECKING:
    from vigil.sources.telegram.importer import TelegramImporter

_chat = msgspec.json.Decoder(Chat)
HEADER = ("name", "type", "id")  # the fields of a chat read before its messages
INCOMPLETE = "; the chat is not marked complete (deletions cannot be inferred from it)"


class _Stop(Exception):
    """The reading cannot go on past a damage already said (an array that never closes)."""


class _Later(NamedTuple):
    """Where a chat's messages begin, when they came before its header: read in a second pass."""

    offset: int
    line: int


class Walk:
    """One export's walk: its file, media, reader, and the chats met so far."""

    def __init__(self, reader: TelegramImporter, file: Path, fh: IO[bytes], media: MediaResolver) -> None:
        self.reader = reader
        self.file = file
        self.fh = fh
        self.media = media
        self.chats = 0

    def problem(self, where: str, message: str) -> Problem:
        """A Problem of this file."""
        return Problem(source=str(self.file), where=where, message=message)

    def records(self) -> Iterator[Record]:
        """Every chat's records in file order; a Problem where the file's JSON cannot be followed."""
        win = Window.opened(self.fh)
        try:
            yield from self._chat(win, top=True)
        except Broken as exc:
            yield self.problem(exc.where, f"bad JSON ({exc.message}); the chats before it were read")
        except _Stop:
            return
        if not self.chats:
            yield self.problem("top level", "no `messages` and no `chats.list`: no chat")

    def _chat(self, win: Window, top: bool = False) -> Iterator[Record]:
        """The object at the window: a chat (its header, then its messages), or the top of a full export."""
        fields: dict[str, bytes] = {}
        chat: Chat | None = None
        read = False  # whether its header was read (chat stays None when it could not be)
        later: _Later | None = None
        complete = True
        seen = False  # whether it has `messages`
        label = "top level" if top else f"chat {self.chats + 1}"
        if not top:
            self.chats += 1
        for key in members(win):
            if top and key in ("chats", "left_chats"):
                yield from self._lists(win)
            elif key in HEADER:
                fields[key] = take_value(win)
            elif key == "messages" and not seen:
                seen = True
                if top:
                    self.chats += 1
                    label = f"chat {self.chats}"
                if win.skip_space() != b"[":
                    fields[key] = take_value(win)  # (its reader says it is not a list)
                elif not all(k in fields for k in HEADER):
                    line = win.line_at(win.pos)
                    later = _Later(win.offset + win.pos, line)
                    skip_value(win)
                else:
                    chat, read = (yield from self._header(label, fields)), True
                    if chat is not None:
                        complete = yield from self._messages(chat, win)
        if not seen:  # a chat without messages is complete; the top of a full export is no chat
            if not top:
                chat = yield from self._header(label, fields)
                if chat is not None:
                    yield scope_of(chat)
            return
        if not read:
            chat = yield from self._header(label, fields)
            if chat is not None and later is not None:
                complete = yield from self._second_pass(chat, later)
        if chat is not None and complete:
            yield scope_of(chat)

    def _lists(self, win: Window) -> Iterator[Record]:
        """The chats of a `chats` or `left_chats` section, each walked alone."""
        for key in members(win):
            if key == "list":
                for _ in elements(win):
                    yield from self._chat(win)

    def _header(self, label: str, fields: dict[str, bytes]) -> Generator[Record, None, Chat | None]:
        """The chat its header fields give, or None (said) when it cannot be read."""
        raw = b"{" + b",".join(json.dumps(k).encode() + b":" + v for k, v in fields.items()) + b"}"
        try:
            chat, dropped = decode_parts(_chat, raw)
        except DECODE_ERRORS as exc:
            yield self.problem(label, f"bad chat: {exc}; its messages skipped")
            return None
        if dropped:
            yield self.problem(label, parts_message(dropped))
        if chat.id is None:
            yield self.problem(label, "chat without `id`; its messages skipped")
            return None
        return chat

    def _messages(self, chat: Chat, win: Window) -> Generator[Record, None, bool]:
        """The messages of the array at the window, each read alone; whether all of them were read."""
        win.pos += 1  # past the '['
        complete = True
        items = iter_items(win)
        while True:
            try:
                item = next(items)
            except StopIteration as stop:
                if not stop.value:
                    raise _Stop from None  # (the damage that ended the array was said)
                return complete
            if isinstance(item, Damage):
                where = f"chat {chat.id}, " + item.where.replace("item", "message", 1)
                yield self.problem(where, item.message.replace("item", "message") + INCOMPLETE)
                complete = False
                continue
            complete &= yield from self.reader.read_message(self.file, chat, item[0], item[1], self.media)

    def _second_pass(self, chat: Chat, later: _Later) -> Generator[Record, None, bool]:
        """A chat's messages read again from where they begin, once its header is known."""
        back = self.fh.tell()
        self.fh.seek(later.offset)
        win = Window(self.fh, line=later.line)
        win.offset = later.offset
        win.line_start = False
        win.more()
        try:
            return (yield from self._messages(chat, win))
        finally:
            self.fh.seek(back)
