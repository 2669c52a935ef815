"""SHA-256 of files, streamed: sources, media beside an export, training data."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def feed(h: Any, path: Path) -> int:
    """Stream a file's bytes into hash h; return how many there were."""
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return size


def source_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a source file (for a folder: of its files' relative names and contents, in order)."""
    if path.is_file():
        return file_sha256(path), path.stat().st_size
    h = hashlib.sha256()
    size = 0
    for p in sorted(path.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(path)).encode() + b"\x00")
            size += feed(h, p)
    return h.hexdigest(), size
