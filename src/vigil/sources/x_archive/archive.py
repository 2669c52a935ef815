"""Where an archive's files are: a folder, a .zip read in place (never extracted), or a bare tweets.js."""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from vigil.records import Problem

TWEETS = re.compile(r"^tweets?(-part\d+)?\.js$")
DELETED = re.compile(r"^deleted-tweets?(-part\d+)?\.js$")
NOTES = re.compile(r"^note-tweets?(-part\d+)?\.js$")
MEDIA_DIRS = ("tweets_media/", "tweet_media/")
MAX_MEMBER = 1 << 30
ZIP_ERRORS = (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError, zlib.error, NotImplementedError)
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first member, or the end record of an empty zip
_UNSAFE = re.compile(r"^([\\/]|[A-Za-z]:)")


def _part(name: str) -> tuple[int, str]:
    m = re.search(r"part(\d+)\.js$", name.partition("#")[0])
    return (int(m.group(1)) if m else 0, name)


def unsafe(name: str) -> bool:
    """A zip member name that is absolute or climbs out with `..`."""
    return bool(_UNSAFE.match(name)) or ".." in re.split(r"[\\/]", name)


class Archive:
    """The files of an archive's data folder by name ('tweets.js', 'tweets_media/1-a.jpg'), wherever they live."""

    def __init__(self, source: Path, prefix: str) -> None:
        self.source = source
        self.prefix = prefix  # the data folder's path inside the archive ('data/', or '' for a bare file)
        self.names: set[str] = set()
        self.problems: list[Problem] = []
        self.whole = True  # False for a bare tweets.js: one file is not the account's complete set

    def tweet_files(self) -> list[str]:
        """tweets.js, tweet.js and their -partN siblings, in order (a second member of the same name too)."""
        return sorted((n for n in self.names if TWEETS.match(n.partition("#")[0])), key=_part)

    def deleted_files(self) -> list[str]:
        """deleted-tweets.js and its -partN siblings, in order."""
        return sorted((n for n in self.names if DELETED.match(n.partition("#")[0])), key=_part)

    def media_files(self) -> set[str]:
        """The names of the media files the archive holds."""
        return {n for n in self.names if n.startswith(MEDIA_DIRS)}

    def where(self, name: str) -> str:
        """A member's path from the archive root, as a user would find it (a second copy of a name says so)."""
        base, _, copy = name.partition("#")
        return self.prefix + base + (f" (copy {copy})" if copy else "")

    def read(self, name: str) -> bytes | Problem:
        """A member's bytes, or why they cannot be read."""
        raise NotImplementedError

    def open(self, name: str) -> IO[bytes] | Problem:
        """A member opened to be streamed, or why it cannot be."""
        raise NotImplementedError

    def sha256(self, name: str) -> str | None:
        """The SHA-256 of a member, streamed."""
        h = hashlib.sha256()
        try:
            for chunk in self._chunks(name):
                h.update(chunk)
        except ZIP_ERRORS:
            return None
        return h.hexdigest()

    def _chunks(self, name: str) -> Iterator[bytes]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the open zip, if any."""


class FolderArchive(Archive):
    """An unpacked archive: the data folder on disk."""

    def __init__(self, source: Path, data_dir: Path, prefix: str, only: str | None = None) -> None:
        super().__init__(source, prefix)
        self.data_dir = data_dir
        self.whole = only is None
        root = data_dir.resolve()
        wanted = None if only is None else {only, "account.js", "profile.js"}
        for p in data_dir.iterdir():
            named = wanted is None or p.name in wanted or NOTES.match(p.name)  # a bare tweets.js: its long posts too
            if not (p.is_file() and named):
                continue
            if p.resolve().is_relative_to(root):
                self.names.add(p.name)
            else:
                msg = f"a link out of the archive ({p.resolve()}); not read"
                self.problems.append(Problem(source=str(source), where=prefix + p.name, message=msg))
        for sub in MEDIA_DIRS:
            d = data_dir / sub
            if d.is_dir():
                for p in d.iterdir():
                    if p.is_file() and p.resolve().is_relative_to(root):
                        self.names.add(sub + p.name)

    def read(self, name: str) -> bytes | Problem:
        """A file's bytes, or why they cannot be read."""
        try:
            return (self.data_dir / name).read_bytes()
        except OSError as exc:
            return Problem(source=str(self.source), where=self.where(name), message=f"cannot read: {exc.strerror}")

    def open(self, name: str) -> IO[bytes] | Problem:
        """The file, opened."""
        try:
            return (self.data_dir / name).open("rb")
        except OSError as exc:
            return Problem(source=str(self.source), where=self.where(name), message=f"cannot read: {exc.strerror}")

    def _chunks(self, name: str) -> Iterator[bytes]:
        with (self.data_dir / name).open("rb") as fh:
            while chunk := fh.read(1 << 20):
                yield chunk


class ZipArchive(Archive):
    """A zipped archive, read member by member; unsafe member names are reported and never opened."""

    def __init__(self, source: Path, zf: zipfile.ZipFile, prefix: str) -> None:
        super().__init__(source, prefix)
        self.zf = zf
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            if unsafe(info.filename):
                msg = f"zip member '{info.filename}' escapes the archive; skipped"
                self.problems.append(Problem(source=str(source), where=f"member {info.filename}", message=msg))
            elif info.filename.startswith(prefix) and not info.is_dir():
                name = info.filename[len(prefix) :]
                if name in self.infos:  # two members of one name: both are read, the second said to be a copy
                    copies = sum(1 for n in self.infos if n.partition("#")[0] == name)
                    name = f"{name}#{copies + 1}"
                    msg = f"another member named '{info.filename}': read as well, as copy {copies + 1}"
                    self.problems.append(Problem(source=str(source), where=f"member {info.filename}", message=msg))
                self.infos[name] = info
                self.names.add(name)

    def read(self, name: str) -> bytes | Problem:
        """A member's bytes (at most MAX_MEMBER), or why they cannot be read."""
        where = self.where(name)
        info = self.infos[name]
        if info.file_size > MAX_MEMBER:  # judged by the size it declares, before reading a byte of it
            size = f"{info.file_size / 2**30:.1f} GiB"
            msg = f"zip member declares {size} uncompressed, over {MAX_MEMBER >> 30} GiB; skipped"
            return Problem(source=str(self.source), where=where, message=msg)
        try:
            with self.zf.open(info) as fh:
                data = fh.read(info.file_size + 1)  # (zipfile stops at the declared size, and checks it)
        except ZIP_ERRORS as exc:
            return Problem(source=str(self.source), where=where, message=f"cannot read zip member: {exc}")
        return data

    def open(self, name: str) -> IO[bytes] | Problem:
        """The member, decompressed as it is read (judged first by the size it declares)."""
        info = self.infos[name]
        if info.file_size > MAX_MEMBER:
            size = f"{info.file_size / 2**30:.1f} GiB"
            msg = f"zip member declares {size} uncompressed, over {MAX_MEMBER >> 30} GiB; skipped"
            return Problem(source=str(self.source), where=self.where(name), message=msg)
        try:
            return self.zf.open(info)
        except ZIP_ERRORS as exc:
            return Problem(source=str(self.source), where=self.where(name), message=f"cannot read zip member: {exc}")

    def _chunks(self, name: str) -> Iterator[bytes]:
        with self.zf.open(self.infos[name]) as fh:
            while chunk := fh.read(1 << 20):
                yield chunk

    def close(self) -> None:
        """Close the zip file."""
        self.zf.close()


def zip_prefix(names: list[str]) -> str | None:
    """The data folder inside a zip ('data/', or 'top/data/' when the archive was re-zipped in a folder)."""
    best: str | None = None
    for name in names:
        head, _, base = name.rpartition("/")
        if TWEETS.match(base) and (head == "data" or head.endswith("/data")) and not unsafe(name):
            prefix = head + "/"
            if best is None or len(prefix) < len(best):
                best = prefix
    return best


def folder_data_dir(path: Path) -> Path | None:
    """The data folder of an unpacked archive (path/data), or path itself when it holds tweets.js."""
    for d in (path / "data", path):
        if d.is_dir() and any(TWEETS.match(p.name) for p in d.iterdir() if p.is_file()):
            return d
    return None


def open_archive(path: Path) -> Archive | Problem:
    """Open a folder, a zip or a bare tweets.js as an Archive."""
    if path.is_dir():
        d = folder_data_dir(path)
        if d is None:
            return Problem(source=str(path), where="-", message="no data/tweets.js in this folder")
        return FolderArchive(path, d, "data/" if d != path else "")
    if zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
        except ZIP_ERRORS as exc:
            return Problem(source=str(path), where="-", message=f"cannot open zip: {exc}")
        prefix = zip_prefix(zf.namelist())
        if prefix is None:
            empty = not zf.namelist()
            zf.close()
            return Problem(
                source=str(path), where="-", message="an empty zip" if empty else "no data/tweets.js in this zip"
            )
        return ZipArchive(path, zf, prefix)
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic in ZIP_MAGICS:
        msg = "a damaged or truncated zip (its table of contents is missing): download the archive again"
        return Problem(source=str(path), where="end of file", message=msg)
    prefix = "data/" if path.parent.name == "data" else ""
    return FolderArchive(path, path.parent, prefix, only=path.name)
