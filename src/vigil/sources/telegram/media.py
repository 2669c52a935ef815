"""Media of a Telegram export: paths relative to the export folder, hashed when the file is there."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from vigil.records import Media
from vigil.sources.digest import file_sha256
from vigil.sources.telegram.types import Message, is_placeholder

MEDIA_TYPES = {
    "video_file": "video",
    "video_message": "video",
    "animation": "animated_gif",
    "voice_message": "audio",
    "audio_file": "audio",
    "sticker": "sticker",
}
_DRIVE = re.compile(r"^[A-Za-z]:")


class MediaResolver:
    """Turns the paths a message gives into Media, refusing any that leave the export folder."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def media_of(self, m: Message) -> tuple[list[Media], list[str]]:
        """The message's photo, file and thumbnail, and a message for each refused path."""
        if m.photo is None and m.file is None and m.thumbnail is None:
            return [], []
        found: list[Media] = []
        refused: list[str] = []
        kind = MEDIA_TYPES.get(m.media_type or "", "file")
        for value, type_ in ((m.photo, "photo"), (m.file, kind), (m.thumbnail, "thumbnail")):
            if value is None:
                continue
            if type_ == "thumbnail" and is_placeholder(value):
                continue  # the file's own placeholder already says it is missing
            media, why = self.resolve(value, type_)
            found.append(media)
            if why:
                refused.append(why)
        return found, refused

    def resolve(self, value: str, type_: str) -> tuple[Media, str | None]:
        """Media for one path; the second item says why a path was refused."""
        if is_placeholder(value):
            return Media(type=type_, missing=True), None
        rel = value.replace("\\", "/")
        pure = PurePosixPath(rel)
        if pure.is_absolute() or _DRIVE.match(rel) or ".." in pure.parts:
            return Media(type=type_, missing=True), f"media path {value!r} leaves the export folder; not read"
        full = self.root / pure
        try:
            real = full.resolve()
            if not real.is_relative_to(self.root):
                return Media(type=type_, missing=True), f"media path {value!r} links outside the export folder"
            if not real.is_file():
                return Media(type=type_, path=value, missing=True), None
            return Media(type=type_, path=value, sha256=file_sha256(real)), None
        except (OSError, RuntimeError, ValueError):
            return Media(type=type_, path=value, missing=True), None
