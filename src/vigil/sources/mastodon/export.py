"""Where a Mastodon account export's files are: the folder, the .zip or .tar.gz as downloaded, or a bare outbox.json.

Nothing is extracted: the outbox is streamed, media files are only hashed, member names are never paths we write.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from vigil.records import Problem

OUTBOX = "outbox.json"
ACTOR = "actor.json"
MEDIA_DIRS = ("media_attachments/", "media/")  # media/ in the first exports (2018)
MAX_ACTOR = 16 << 20
ERRORS = (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError, RuntimeError, ValueError, EOFError, zlib.error)
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"


def media_key(name: str) -> str:
    """A media file's name as a Note's attachment url names it: from media_attachments/ (or media/) on."""
    name = name.replace("\\", "/")
    system = name.rfind("/system/")
    if system >= 0:
        name = name[system + len("/system/") :]
    for d in MEDIA_DIRS:
        at = name.find(d)
        if at == 0 or (at > 0 and name[at - 1] == "/"):
            return name[at:]
    return name.lstrip("/")


class Export:
    """The parts of an export the importer reads: the outbox stream, actor.json's bytes, and the media files held."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.actor: bytes | None = None
        self.media: dict[str, str] = {}  # media_key -> member name (or path under the folder)
        self.outbox_name = OUTBOX
        self._hashes: dict[str, str | None] = {}

    def problem(self, where: str, message: str) -> None:
        """Note a problem with the export's files."""
        self.problems.append(Problem(source=str(self.source), where=where, message=message))

    def outbox(self) -> IO[bytes] | None:
        """The outbox.json stream (None when the export holds none)."""
        raise NotImplementedError

    def sha256(self, member: str) -> str | None:
        """The SHA-256 of a media file, streamed once."""
        if member not in self._hashes:
            h = hashlib.sha256()
            try:
                for chunk in self._chunks(member):
                    h.update(chunk)
            except ERRORS:
                self._hashes[member] = None
            else:
                self._hashes[member] = h.hexdigest()
        return self._hashes[member]

    def _chunks(self, member: str) -> Iterator[bytes]:
        raise NotImplementedError

    def close(self) -> None:
        """Release open files."""


class FolderExport(Export):
    """An unpacked export (or a bare outbox.json, with actor.json and media_attachments/ beside it when there)."""

    def __init__(self, source: Path, root: Path, outbox: Path) -> None:
        super().__init__(source)
        self.root = root
        self.outbox_path = outbox
        self.outbox_name = outbox.name
        actor = root / ACTOR
        if actor.is_file() and not actor.is_symlink() and actor.stat().st_size <= MAX_ACTOR:
            self.actor = actor.read_bytes()
        for d in MEDIA_DIRS:
            top = root / d
            if not top.is_dir() or top.is_symlink():
                continue
            for folder, _, files in os.walk(top):  # (links to folders are not followed)
                for f in files:
                    rel = (Path(folder) / f).relative_to(root).as_posix()
                    self.media[media_key(rel)] = rel
        self._fh: IO[bytes] | None = None

    def outbox(self) -> IO[bytes] | None:
        """The outbox file, opened."""
        self._fh = self.outbox_path.open("rb")
        return self._fh

    def _chunks(self, member: str) -> Iterator[bytes]:
        with (self.root / member).open("rb") as fh:
            while chunk := fh.read(1 << 20):
                yield chunk

    def close(self) -> None:
        """Close the outbox."""
        if self._fh is not None:
            self._fh.close()


class ZipExport(Export):
    """The .zip Mastodon writes since 4.2: outbox.json, actor.json, media under media_attachments/."""

    def __init__(self, source: Path, zf: zipfile.ZipFile, prefix: str) -> None:
        super().__init__(source)
        self.zf = zf
        self.prefix = prefix
        names = [i.filename for i in zf.infolist() if not i.is_dir() and i.filename.startswith(prefix)]
        for name in names:
            rel = name[len(prefix) :]
            if rel.startswith(MEDIA_DIRS):
                self.media[media_key(rel)] = name
        if prefix + ACTOR in names and zf.getinfo(prefix + ACTOR).file_size <= MAX_ACTOR:
            try:
                self.actor = zf.read(prefix + ACTOR)
            except ERRORS as exc:
                self.problem(ACTOR, f"cannot read zip member: {exc}")
        self._fh: IO[bytes] | None = None

    def outbox(self) -> IO[bytes] | None:
        """outbox.json, decompressed as it is read."""
        self._fh = self.zf.open(self.prefix + OUTBOX)
        return self._fh

    def _chunks(self, member: str) -> Iterator[bytes]:
        with self.zf.open(member) as fh:
            while chunk := fh.read(1 << 20):
                yield chunk

    def close(self) -> None:
        """Close the zip."""
        if self._fh is not None:
            self._fh.close()
        self.zf.close()


class TarExport(Export):
    """The .tar.gz Mastodon wrote before 4.2, read in one pass (outbox spooled to a temporary file, media hashed)."""

    def __init__(self, source: Path) -> None:
        super().__init__(source)
        self._spool: IO[bytes] | None = None
        try:  # (gzip reads the several gzip members Mastodon 4.1 concatenates; tarfile's own reader stops at one)
            with gzip.open(source) as gz, tarfile.open(fileobj=gz, mode="r|") as tar:
                for info in tar:
                    if info.isfile():
                        self._member(tar, info)
        except ERRORS as exc:
            where = "outbox.json" if self._spool is None else "after outbox.json"
            self.problem(where, f"damaged or truncated .tar.gz ({exc}); what was read before it is kept")

    def _member(self, tar: tarfile.TarFile, info: tarfile.TarInfo) -> None:
        fh = tar.extractfile(info)
        if fh is None:
            return
        base = info.name.rsplit("/", 1)[-1]
        if base == OUTBOX and self._spool is None:
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
            shutil.copyfileobj(fh, self._spool, 1 << 20)
        elif base == ACTOR and self.actor is None and info.size <= MAX_ACTOR:
            self.actor = fh.read()
        elif MEDIA_DIRS[0] in info.name or info.name.startswith(MEDIA_DIRS):
            h = hashlib.sha256()
            while chunk := fh.read(1 << 20):
                h.update(chunk)
            self.media[media_key(info.name)] = info.name
            self._hashes[info.name] = h.hexdigest()

    def outbox(self) -> IO[bytes] | None:
        """The spooled outbox.json, from its start."""
        if self._spool is not None:
            self._spool.seek(0)
        return self._spool

    def _chunks(self, member: str) -> Iterator[bytes]:
        return iter(())  # (every media file was hashed during the pass)

    def close(self) -> None:
        """Drop the spooled outbox."""
        if self._spool is not None:
            self._spool.close()


def zip_prefix(names: list[str]) -> str | None:
    """The folder of outbox.json inside a zip ('' at its root), when actor.json is beside it."""
    best: str | None = None
    for name in names:
        head, _, base = name.rpartition("/")
        prefix = head + "/" if head else ""
        if base == OUTBOX and prefix + ACTOR in names and (best is None or len(prefix) < len(best)):
            best = prefix
    return best


def tar_first_member(head: bytes) -> str | None:
    """The name of the first member of a .tar.gz, from the file's first bytes."""
    if not head.startswith(GZIP_MAGIC):
        return None
    try:
        block = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 512)
    except zlib.error:
        return None
    if len(block) < 512:
        return None
    return block[:100].split(b"\0", 1)[0].decode("utf-8", "replace")


def is_export_folder(path: Path) -> bool:
    """An unpacked export: outbox.json and actor.json side by side."""
    return (path / OUTBOX).is_file() and (path / ACTOR).is_file()


def open_export(path: Path) -> Export | Problem:
    """Open a folder, a .zip, a .tar.gz or a bare outbox.json as an Export."""
    if path.is_dir():
        return FolderExport(path, path, path / OUTBOX)
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic.startswith(GZIP_MAGIC):
        export = TarExport(path)
        if export.outbox() is None:
            export.close()
            if export.problems:
                return export.problems[0]
            return Problem(source=str(path), where="-", message="no outbox.json in this archive")
        return export
    if magic == ZIP_MAGIC:
        try:
            zf = zipfile.ZipFile(path)
            prefix = zip_prefix(zf.namelist())
        except ERRORS as exc:
            return Problem(source=str(path), where="-", message=f"cannot open zip: {exc}")
        if prefix is None:
            zf.close()
            return Problem(source=str(path), where="-", message="no outbox.json and actor.json in this zip")
        return ZipExport(path, zf, prefix)
    return FolderExport(path, path.parent, path)
