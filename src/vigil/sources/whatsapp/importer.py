"""WhatsApp chat exports: the chat text (Android or iOS layout), or the .zip WhatsApp writes with the media."""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, tzinfo
from pathlib import Path
from typing import BinaryIO

from vigil.records import Author, Media, Post, Problem, Record, Skipped
from vigil.sources.base import ImportOptions, time_quality_of
from vigil.sources.whatsapp.files import (
    CHAT_FILE,
    MAX_CHAT,
    ZIP_ERRORS,
    Chat,
    FileChat,
    ZipChat,
    chat_name,
    folder_chat_files,
    unsafe,
    zip_chat_members,
)
from vigil.sources.whatsapp.lines import OrderVotes, parse_header, wall_clock
from vigil.sources.whatsapp.messages import Line, Message, classify, group_lines
from vigil.sources.zones import parse_tz

_URL = re.compile(r"https?://[^\s<>\"]+")
CHAT_FOLDER = re.compile(r"^WhatsApp Chat (?:with|-) ", re.IGNORECASE)  # the folder WhatsApp's zip unpacks to
SNIFF_LINES = 20


def looks_like_chat(head: bytes) -> bool:
    """Whether a text starts with WhatsApp message lines: its first line, and most of the first lines, have a stamp."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = [ln for ln in text.split("\n")[:-1] if ln.strip()] or [text]
    lines = lines[:SNIFF_LINES]
    if not lines or parse_header(lines[0]) is None:
        return False
    return sum(parse_header(ln) is not None for ln in lines) * 2 >= len(lines)


def read_lines(fh: BinaryIO, where: str, problems: list[Problem] | None) -> Iterator[Line]:
    """A chat text's lines one by one: bad UTF-8 read with U+FFFD (and reported), none past MAX_CHAT bytes."""
    size = 0
    n = 0
    while line := fh.readline(MAX_CHAT + 1 - size):
        n += 1
        size += len(line)
        if size > MAX_CHAT:
            if problems is not None:
                msg = f"over {MAX_CHAT >> 20} MiB: the messages after this line were not read"
                problems.append(Problem(source=where, where=f"line {n}", message=msg))
            return
        if n == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[3:]
        raw = line.removesuffix(b"\n")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = raw.decode("utf-8", errors="replace")
            if problems is not None:
                msg = f"invalid UTF-8 at byte {exc.start + 1} of the line; read with U+FFFD in its place"
                problems.append(Problem(source=where, where=f"line {n}", message=msg))
        yield Line(n, text.removesuffix("\r"), raw)


class WhatsAppImporter:
    """A WhatsApp chat export: one post per message, media linked and hashed when the export holds them."""

    name = "whatsapp"
    description = "WhatsApp chat export (_chat.txt or 'WhatsApp Chat with X.txt', the folder, or the .zip with media)"
    example = "vigil ingest 'WhatsApp Chat - Harbor Group.zip' --tz Europe/Kyiv"

    def detect(self, path: Path, head: bytes) -> int:
        """A folder or zip holding a chat text, or a text whose first lines are WhatsApp message lines."""
        if not head:
            if not path.is_dir():
                return 0
            chats = folder_chat_files(path)
            if not any(f.name == "_chat.txt" for f in chats) and not CHAT_FOLDER.match(path.name):
                return 0  # a chat .txt among other exports: the folder is walked and the .txt read on its own
            for f in chats:
                try:
                    with f.open("rb") as fh:
                        if looks_like_chat(fh.read(64 * 1024)):
                            return 90
                except OSError:
                    continue
            return 0
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(path) as zf:
                    return 90 if zip_chat_members(zf) else 0
            except ZIP_ERRORS:
                return 0
        if not looks_like_chat(head):
            return 0
        return 90 if CHAT_FILE.match(path.name) else 75

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield each chat's messages as posts (system lines skipped), with a Problem per line that cannot be read."""
        try:
            zone = parse_tz(options.tz) if options.tz else None
        except ValueError as exc:
            yield Problem(source=str(path), where="--tz", message=str(exc))
            return
        if path.is_dir():
            chats: list[Chat] = [FileChat(path, f, chat_name(f.stem, path.name)) for f in folder_chat_files(path)]
            if not chats:
                yield Problem(source=str(path), where="-", message="no _chat.txt or 'WhatsApp Chat with ….txt' here")
            for chat in chats:
                yield from self._chat(chat, zone, options)
            return
        try:
            is_zip = zipfile.is_zipfile(path)
        except OSError:
            is_zip = False
        if not is_zip:
            yield from self._chat(FileChat(path, path, chat_name(path.stem, path.parent.name)), zone, options)
            return
        try:
            zf = zipfile.ZipFile(path)
        except ZIP_ERRORS as exc:
            yield Problem(source=str(path), where="-", message=f"cannot open zip: {exc}")
            return
        with zf:
            members: dict[str, zipfile.ZipInfo] = {}
            for info in zf.infolist():
                if unsafe(info.filename):
                    msg = f"zip member {info.filename!r} escapes the archive; skipped"
                    yield Problem(source=str(path), where=f"member {info.filename}", message=msg)
                elif info.filename in members:
                    msg = "a second member of the same name; the first is used"
                    yield Problem(source=str(path), where=f"member {info.filename}", message=msg)
                else:
                    members[info.filename] = info
            found = zip_chat_members(zf)
            if not found:
                yield Problem(source=str(path), where="-", message="no _chat.txt or 'WhatsApp Chat with ….txt' in zip")
            for info in found:
                if members.get(info.filename) is info:
                    yield from self._chat(ZipChat(path, zf, info, members), zone, options)

    def _chat(self, chat: Chat, zone: tzinfo | None, options: ImportOptions) -> Iterator[Record]:
        """Two passes over the text, each holding one message at a time: the date order, then the messages."""
        refused = chat.check()
        if refused:
            yield refused
            return
        votes = OrderVotes()
        try:
            with chat.open() as fh:
                if fh.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                    msg = "file is UTF-16 encoded; re-save it as UTF-8"
                    yield Problem(source=chat.where, where="offset 0", message=msg)
                    return
            with chat.open() as fh:
                for line in read_lines(fh, chat.where, None):
                    h = parse_header(line.text)
                    if h is not None:
                        votes.add(h)
        except ZIP_ERRORS:
            pass  # the second pass meets the same damage and says where
        order = votes.decide(options.date_order)
        if order.ambiguous:
            msg = "every date reads both day-first and month-first; read day-first (say --date-order mdy if wrong)"
            yield Problem(source=chat.where, where="dates", message=msg)
        seen: dict[str, int] = {}
        problems: list[Problem] = []
        n = 0
        before = True
        try:
            with chat.open() as fh:
                for item in group_lines(read_lines(fh, chat.where, problems)):
                    yield from problems
                    problems.clear()
                    if isinstance(item, int):
                        if before:
                            msg = "text before the first message (no date and time stamp); skipped"
                            yield Problem(source=chat.where, where=f"line {item}", message=msg)
                            before = False
                        continue
                    before = False
                    n = item.lineno
                    yield from self._message(chat, item, order.order, zone, seen)
        except ZIP_ERRORS as exc:
            msg = f"damaged zip member: {exc}; the messages before it were read"
            yield Problem(source=chat.where, where=f"after line {n}", message=msg)
        yield from problems

    def _message(
        self, chat: Chat, m: Message, order: str, zone: tzinfo | None, seen: dict[str, int]
    ) -> Iterator[Record]:
        where = f"line {m.lineno}"
        local = wall_clock(m.header, order)
        if local is None:
            msg = f"no such date and time in the {order} order; message skipped"
            yield Problem(source=chat.where, where=where, message=msg)
            return
        body = classify(m)
        if body.kind == "system":
            yield Skipped(reason="whatsapp system message")
            return
        stamp = local.isoformat(timespec="seconds" if m.header.second is not None else "minutes")
        n = seen.get(stamp, 0) + 1  # the n-th message of that minute (second): stable as the chat grows at the end
        seen[stamp] = n
        created = local.replace(tzinfo=zone).astimezone(UTC) if zone else local.replace(tzinfo=UTC)
        quality = "second" if m.header.second is not None else "minute"
        if time_quality_of(created) == "suspect":
            quality = "suspect"
        media = []
        if body.kind == "media":
            found, why = chat.media(body.file, body.type) if body.file else (Media(type=body.type, missing=True), None)
            media.append(found)
            if why:
                yield Problem(source=chat.where, where=where, message=why)
        sender = m.sender or ""
        yield Post(
            platform="whatsapp",
            id=f"{chat.name}/{stamp}/{n}",
            author=Author(handle=sender, name=sender),
            created_at=created,
            time_quality=quality,  # type: ignore[arg-type]
            text=m.text,
            links=list(dict.fromkeys(_URL.findall(m.text))),
            media=media,
            deleted_at=created if body.kind == "deleted" else None,
            raw=m.raw,
        )
