"""Shared by the streaming tests: how much memory reading a large Telegram export takes."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

import vigil.sources.telegram.importer as telegram
from vigil.records import Post
from vigil.sources.base import ImportOptions


def telegram_posts_and_peak(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """The posts read from a Telegram export streamed (files over 16 MiB) and the peak of traced memory meanwhile."""
    monkeypatch.setattr(telegram, "STREAM_BYTES", 16 << 20)
    tracemalloc.start()
    try:
        n = sum(isinstance(r, Post) for r in telegram.TelegramImporter().iter_records(path, ImportOptions()))
        return n, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
