"""Telegram Desktop JSON export: one chat's result.json, or a full export with `chats.list`, plus its media."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from vigil.records import Author, Media, Metrics, Post, Problem, Record, Skipped
from vigil.sources.base import (
    DECODE_ERRORS,
    ImportOptions,
    encoding_problem,
    json_error_where,
    read_head,
    time_quality_of,
)
from vigil.sources.guard import mended
from vigil.sources.parts import decode_parts, parts_message
from vigil.sources.telegram.media import MediaResolver
from vigil.sources.telegram.stream import Walk
from vigil.sources.telegram.types import CHANNEL_TYPES, Chat, Export, Message, TextPiece, scope_of

_export = msgspec.json.Decoder(Export)
_message = msgspec.json.Decoder(Message)
_chat = msgspec.json.Decoder(Chat)
_any = msgspec.json.Decoder()
STREAM_BYTES = 64 << 20  # an export larger than this is read message by message, never held whole
CHAT_TYPES = (b'"public_channel"', b'"private_channel"', b'"private_group"', b'"personal_chat"', b'"public_supergroup"')
_LOCAL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_PEER_PREFIX = re.compile(r"^[a-z]+(?=-?\d+$)")


def looks_like_export(head: bytes) -> bool:
    """Whether the head of a JSON file reads like a Telegram Desktop export."""
    if b'"personal_information"' in head or (b'"chats"' in head and b'"list"' in head):
        return True
    if b'"messages"' not in head:
        return False
    return b'"date_unixtime"' in head or b'"from_id"' in head or any(t in head for t in CHAT_TYPES)


def is_html_export(folder: Path) -> bool:
    """Whether a folder is Telegram Desktop's HTML export (messages.html with its css/ and js/)."""
    return (folder / "messages.html").is_file() and ((folder / "css").is_dir() or (folder / "js").is_dir())


def message_text(text: str | list[str | TextPiece]) -> str:
    """The text exactly as written: a string, or the concatenation of its pieces."""
    if isinstance(text, str):
        return text
    return "".join(p if isinstance(p, str) else p.text for p in text)


def _entities(m: Message) -> tuple[list[str], list[str], list[str]]:
    pieces = m.text_entities
    if pieces is None:
        pieces = [p for p in m.text if isinstance(p, TextPiece)] if isinstance(m.text, list) else []
    tags: list[str] = []
    mentions: list[str] = []
    links: list[str] = []
    for p in pieces:
        if p.type == "hashtag":
            tags.append(p.text.lstrip("#"))
        elif p.type == "mention":
            mentions.append(p.text.lstrip("@"))
        elif p.type == "link":
            links.append(p.text)
        elif p.type == "text_link" and p.href:
            links.append(p.href)
    return list(dict.fromkeys(tags)), list(dict.fromkeys(mentions)), list(dict.fromkeys(links))


def _time(unix: str | int | None, local: str | None, label: str) -> tuple[datetime | None, str, str | None]:
    """(time, quality, problem): Unix seconds are exact; a bare local date is taken as UTC."""
    if unix is not None:
        text = str(unix).strip()
        try:
            dt = datetime.fromtimestamp(int(text), tz=UTC)
            return dt, time_quality_of(dt), None
        except (ValueError, OverflowError, OSError):
            if local is None:
                return None, "unknown", f"{label}_unixtime {unix!r} is not Unix seconds"
    if local is None:
        return None, "unknown", None
    if _LOCAL_DATE.fullmatch(local.strip()):
        dt = datetime.fromisoformat(local.strip()).replace(tzinfo=UTC)
        quality = time_quality_of(dt)
        return dt, ("no-timezone" if quality == "exact" else quality), None
    return None, "unknown", f"{label} {local!r} is not a YYYY-MM-DDTHH:MM:SS time"


def _peer(peer_id: str | None, chat_id: str) -> str:
    """A chat id from a peer id such as 'channel123' (the chat itself when none is given)."""
    return _PEER_PREFIX.sub("", peer_id) if peer_id else chat_id


def _where_of(exc: Exception, data: bytes) -> str:
    if "truncated" in str(exc):
        line = data.count(b"\n") + 1
        col = len(data) - (data.rfind(b"\n") + 1) + 1
        return f"line {line}, column {col} (end of file)"
    return json_error_where(exc, data)


class TelegramImporter:
    """A Telegram Desktop export folder (result.json with photos/, files/…) or a result.json file."""

    name = "telegram"
    description = "Telegram Desktop JSON export (result.json of one chat or a full export, with its media)"
    example = "vigil ingest ChatExport_2024-03-01/"

    def detect(self, path: Path, head: bytes) -> int:
        """A folder with a Telegram result.json is claimed whole; a result.json or JSON with messages and from_id."""
        if not head:
            result = path / "result.json"
            if not result.is_file():
                return 60 if is_html_export(path) else 0
            try:
                return 95 if looks_like_export(read_head(result)) else 0
            except OSError:
                return 0
        if looks_like_export(head):
            return 95 if path.name == "result.json" else 85
        return 0

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield every chat's messages as posts, then one Scope per completely read chat."""
        if path.is_dir() and not (path / "result.json").is_file():
            msg = "a Telegram Desktop HTML export: export the chat again choosing 'Machine-readable JSON'"
            yield Problem(source=str(path), where="messages.html", message=msg)
            return
        file = path / "result.json" if path.is_dir() else path
        media = MediaResolver(file.parent)
        try:
            if file.stat().st_size > STREAM_BYTES:
                with file.open("rb") as fh:
                    yield from Walk(self, file, fh, media).records()
                return
            data = file.read_bytes()
        except OSError as exc:
            yield Problem(source=str(file), where="-", message=f"cannot read: {exc.strerror}")
            return
        if data.startswith(codecs.BOM_UTF8):
            data = data[3:]
        bad = encoding_problem(file, data[:4096])
        if bad:
            yield bad
            return
        try:
            export = _export.decode(data)
        except msgspec.ValidationError as exc:
            yield Problem(source=str(file), where="top level", message=f"not a Telegram export: {exc}")
            return
        except DECODE_ERRORS as exc:
            salvaged = list(Walk(self, file, io.BytesIO(data), media).records())  # each chat and message alone
            if not any(isinstance(r, Post) for r in salvaged):
                yield Problem(source=str(file), where=_where_of(exc, data), message=f"bad JSON: {exc}")
            yield from salvaged
            return
        chats = export.all_chats()
        if not chats:
            yield Problem(source=str(file), where="top level", message="no `messages` and no `chats.list`: no chat")
        for n, item in enumerate(chats, 1):
            if isinstance(item, Chat):
                chat = item
            else:
                try:
                    chat, dropped = decode_parts(_chat, bytes(item))
                except DECODE_ERRORS as exc:
                    yield Problem(source=str(file), where=f"chat {n}", message=f"bad chat: {exc}; its messages skipped")
                    continue
                if dropped:
                    yield Problem(source=str(file), where=f"chat {n}", message=parts_message(dropped))
            if chat.id is None:
                yield Problem(source=str(file), where=f"chat {n}", message="chat without `id`; its messages skipped")
                continue
            complete = True
            for i, raw in enumerate(chat.messages or [], 1):
                complete &= yield from self.read_message(file, chat, i, bytes(raw), media)
            if complete:
                yield scope_of(chat)

    def read_message(
        self, file: Path, chat: Chat, i: int, raw: bytes, media: MediaResolver
    ) -> Generator[Record, None, bool]:
        """One message's records, invalid UTF-8 mended; False when it could not be read (its chat is not complete)."""
        chat_id = str(chat.id)
        try:
            m, dropped = decode_parts(_message, raw)
        except DECODE_ERRORS as exc:
            if not raw.isascii() and not _is_utf8(raw):
                problem, fixed = mended(file, f"chat {chat_id}, message {i}", raw)
                if fixed is not None:  # invalid UTF-8: kept with U+FFFD, the payload verbatim, flagged
                    yield problem
                    got, read = _drain(self.read_message(file, chat, i, fixed.data, media))
                    yield from fixed.restore(got)
                    return read
            try:
                found = _any.decode(raw)
                mid = found.get("id") if isinstance(found, dict) else None
            except DECODE_ERRORS:
                mid = None
            where = f"chat {chat_id}, message {i}" + (f" (id {mid})" if mid is not None else "")
            note = "; the chat is not marked complete (deletions cannot be inferred from it)"
            yield Problem(source=str(file), where=where, message=f"bad message: {exc}{note}")
            return False
        where = f"chat {chat_id}, message {i} (id {m.id})"
        if dropped:
            yield Problem(source=str(file), where=where, message=parts_message(dropped))
        if m.type != "message":
            yield Skipped(reason=f"telegram {m.type} message")
            return True
        created, quality, why = _time(m.date_unixtime, m.date, "date")
        if why or (created is None and m.date is None):
            yield Problem(source=str(file), where=where, message=why or "message without a date")
        edited, _, why = _time(m.edited_unixtime, m.edited, "edited")
        if why:
            yield Problem(source=str(file), where=where, message=why)
        attached, refused = media.media_of(m)
        for why in refused:
            yield Problem(source=str(file), where=where, message=why)
        yield self.to_post(chat, m, raw, created, quality, edited, attached)
        return True

    def to_post(
        self,
        chat: Chat,
        m: Message,
        raw: bytes,
        created: datetime | None,
        quality: str,
        edited: datetime | None,
        attached: list[Media],
    ) -> Post:
        """Normalize one message of a chat."""
        chat_id = str(chat.id)
        author = Author(id=_sender_id(m.from_id, chat_id, chat.type), name=m.from_)
        if m.from_id is None and chat.type in CHANNEL_TYPES:
            author = Author(id=f"channel{chat_id}", name=m.from_ or (str(chat.name) if chat.name is not None else None))
        kind = "post"
        reply_to = None
        if m.reply_to_message_id is not None:
            kind = "reply"
            reply_to = f"telegram:{_peer(m.reply_to_peer_id, chat_id)}/{m.reply_to_message_id}"
        elif m.forwarded_from is not msgspec.UNSET:
            kind = "repost"
        tags, mentions, links = _entities(m)
        return Post(
            platform="telegram",
            id=f"{chat_id}/{m.id}",
            kind=kind,  # type: ignore[arg-type]
            author=author,
            created_at=created,
            time_quality=quality,  # type: ignore[arg-type]
            text=message_text(m.text),
            reply_to=reply_to,
            hashtags=tags,
            mentions=mentions,
            links=links,
            media=attached,
            metrics=Metrics(likes=sum(r.count for r in m.reactions) if m.reactions else None),
            edited_at=edited,
            raw=raw,
        )


def _is_utf8(data: bytes) -> bool:
    """Whether bytes are valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _drain(gen: Generator[Record, None, bool]) -> tuple[list[Record], bool]:
    """A generator's records and what it returned (records that are mended before they are yielded)."""
    got: list[Record] = []
    while True:
        try:
            got.append(next(gen))
        except StopIteration as stop:
            return got, bool(stop.value)


def _sender_id(from_id: str | int | None, chat_id: str, chat_type: str | None) -> str | None:
    """The sender as newer exports name it: an older export's number is `channel<id>` (the channel) or `user<id>`."""
    if not isinstance(from_id, int):
        return from_id
    if str(from_id) == chat_id and chat_type in CHANNEL_TYPES:
        return f"channel{from_id}"
    return f"user{from_id}"
