"""Where a chat's text and media are: a .txt with its media beside it, the folder it was unpacked to, or the .zip."""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from vigil.records import Media, Problem
from vigil.sources.digest import file_sha256

MAX_CHAT = 256 << 20  # a chat's text (40,000 messages are a few MB); larger declared or read sizes are refused
MAX_MEDIA = 1 << 30  # a media file hashed from a zip: no more than this is read, whatever the zip declares
CHAT_FILE = re.compile(r"^(?:_chat|WhatsApp Chat (?:with|-) .+)\.txt$", re.IGNORECASE)
_CHAT_NAME = re.compile(r"^WhatsApp Chat (?:with|-) (?P<name>.+?)(?: \(\d+\))?$", re.IGNORECASE)
_UNSAFE = re.compile(r"^([\\/]|[A-Za-z]:)")
ZIP_ERRORS = (OSError, EOFError, RuntimeError, ValueError, NotImplementedError, zipfile.BadZipFile, zlib.error)


def chat_name(*stems: str) -> str:
    """The chat's name from WhatsApp's file or zip name ('WhatsApp Chat with Harbor Group'), else the first stem."""
    for stem in stems:
        m = _CHAT_NAME.match(stem)
        if m:
            return m.group("name").strip()
    return next((s for s in stems if s and s != "_chat"), "chat")


def unsafe(name: str) -> bool:
    """A zip member name that is absolute or climbs out with `..`."""
    return bool(_UNSAFE.match(name)) or ".." in re.split(r"[\\/]", name)


def plain_name(name: str) -> bool:
    """A file name WhatsApp writes: no folder, no way out of the chat's folder."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name and ":" not in name


def is_symlink(info: zipfile.ZipInfo) -> bool:
    """Whether a zip member is stored as a symbolic link (Unix mode bits in its external attributes)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def sha256_stream(chunks: Iterator[bytes], cap: int) -> str | None:
    """SHA-256 of the chunks, or None once more than cap bytes came."""
    h = hashlib.sha256()
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > cap:
            return None
        h.update(chunk)
    return h.hexdigest()


class Chat:
    """One chat's text and the media files it can reach."""

    def __init__(self, source: Path, where: str, name: str) -> None:
        self.source = source  # the file or zip named on the command line (or the folder)
        self.where = where  # the chat text's path as a user would find it
        self.name = name

    def check(self) -> Problem | None:
        """Why the chat's text cannot be read, judged before reading it."""
        raise NotImplementedError

    def open(self) -> BinaryIO:
        """The chat's text as a binary stream (read twice: once for the date order, once for the messages)."""
        raise NotImplementedError

    def media(self, name: str, type_: str) -> tuple[Media, str | None]:
        """The attached file as Media (hashed when present), and why it was refused if it was."""
        raise NotImplementedError


class FileChat(Chat):
    """A chat .txt on disk, its media in the same folder."""

    def __init__(self, source: Path, file: Path, name: str) -> None:
        super().__init__(source, str(file), name)
        self.file = file
        self.root = file.parent.resolve()

    def check(self) -> Problem | None:
        """Why the text cannot be read: missing, or larger than any chat."""
        try:
            size = self.file.stat().st_size
        except OSError as exc:
            return Problem(source=self.where, where="-", message=f"cannot read: {exc.strerror}")
        if size > MAX_CHAT:
            return Problem(source=self.where, where="-", message=f"over {MAX_CHAT >> 20} MiB: not a chat text; skipped")
        return None

    def open(self) -> BinaryIO:
        """The text, to read line by line."""
        return self.file.open("rb", buffering=1 << 20)

    def media(self, name: str, type_: str) -> tuple[Media, str | None]:
        """A file beside the chat text, never one outside its folder (a path, or a link pointing out)."""
        if not plain_name(name):
            return Media(type=type_, missing=True), f"attached file {name!r} is not a plain file name; not read"
        full = self.root / name
        try:
            real = full.resolve()
            if not real.is_relative_to(self.root):
                return Media(type=type_, path=name, missing=True), f"attached file {name!r} links outside the chat"
            if not real.is_file():
                return Media(type=type_, path=name, missing=True), None
            return Media(type=type_, path=name, sha256=file_sha256(real)), None
        except (OSError, RuntimeError, ValueError):
            return Media(type=type_, path=name, missing=True), None


class ZipChat(Chat):
    """A chat inside the .zip WhatsApp writes; its media are members of the same folder, read in place."""

    def __init__(self, source: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, members: dict[str, zipfile.ZipInfo]):
        stem = PurePosixPath(info.filename).stem
        folder = PurePosixPath(info.filename).parent.name
        super().__init__(source, f"{source}:{info.filename}", chat_name(stem, folder, source.stem))
        self.zf = zf
        self.info = info
        self.prefix = info.filename.rpartition("/")[0]
        self.prefix += "/" if self.prefix else ""
        self.members = members

    def check(self) -> Problem | None:
        """A member declaring more than any chat text is refused before a byte of it is read."""
        if self.info.file_size > MAX_CHAT:
            msg = f"declares {self.info.file_size / 1e6:.0f} MB, over {MAX_CHAT >> 20} MiB for a chat text; skipped"
            return Problem(source=str(self.source), where=f"member {self.info.filename}", message=msg)
        return None

    def open(self) -> BinaryIO:
        """The member, decompressed as it is read (never more than MAX_CHAT bytes are taken from it)."""
        return self.zf.open(self.info)  # type: ignore[return-value]

    def media(self, name: str, type_: str) -> tuple[Media, str | None]:
        """A member beside the chat text, hashed as it streams; links and oversized members are refused."""
        if not plain_name(name):
            return Media(type=type_, missing=True), f"attached file {name!r} is not a plain file name; not read"
        info = self.members.get(self.prefix + name)
        if info is None:
            return Media(type=type_, path=name, missing=True), None
        if is_symlink(info):
            return Media(type=type_, path=name, missing=True), f"zip member {info.filename!r} is a link; not read"
        if info.file_size > MAX_MEDIA:
            msg = f"zip member {info.filename!r} declares over 1 GiB; not hashed"
            return Media(type=type_, path=name, missing=True), msg
        try:
            with self.zf.open(info) as fh:
                digest = sha256_stream(iter(lambda: fh.read(1 << 20), b""), info.file_size)
        except ZIP_ERRORS as exc:
            return Media(type=type_, path=name, missing=True), f"zip member {info.filename!r} is damaged: {exc}"
        if digest is None:
            msg = f"zip member {info.filename!r} gives more than the {info.file_size} bytes it declares; not hashed"
            return Media(type=type_, path=name, missing=True), msg
        return Media(type=type_, path=name, sha256=digest), None


def zip_chat_members(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The chat texts of a zip: _chat.txt or 'WhatsApp Chat with X.txt', at the top or one folder down."""
    found = []
    for info in zf.infolist():
        parts = info.filename.split("/")
        if len(parts) <= 2 and CHAT_FILE.match(parts[-1]) and not unsafe(info.filename) and not info.is_dir():
            found.append(info)
    return found


def folder_chat_files(folder: Path) -> list[Path]:
    """The chat texts in a folder WhatsApp's zip was unpacked to (never followed out through a link)."""
    try:
        return sorted(p for p in folder.iterdir() if CHAT_FILE.match(p.name) and p.is_file() and not p.is_symlink())
    except OSError:
        return []
