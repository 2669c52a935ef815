"""A third-party plugin as someone outside Vigil would write it: an importer, an enricher and an alert sink."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vigil.hookspecs import hookimpl
from vigil.records import Author, Post, Problem, Record
from vigil.sources.base import ImportOptions


class ToyImporter:
    """Reads `.toy` files: one post per line, `id|handle|ISO time|text`."""

    name = "toy"
    description = "Toy posts, one per line: id|handle|time|text"
    example = "vigil ingest posts.toy"

    def detect(self, path: Path, head: bytes) -> int:
        """Sure of a .toy file, blind to anything else."""
        return 90 if path.suffix == ".toy" else 0

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield a post per good line and a problem per bad one."""
        with path.open("rb") as fh:
            for n, raw in enumerate(fh, 1):
                parts = raw.rstrip(b"\n").decode("utf-8", "replace").split("|", 3)
                if len(parts) != 4:
                    yield Problem(source=str(path), where=f"line {n}", message="expected id|handle|time|text")
                    continue
                pid, handle, when, text = parts
                yield Post(
                    platform="toy",
                    id=pid,
                    author=Author(id=handle, handle=handle),
                    created_at=datetime.fromisoformat(when).astimezone(UTC),
                    text=text,
                    raw=raw,
                )


class ShoutEnricher:
    """Counts the exclamation marks of a post (a stand-in for a real classifier)."""

    name = "toy-shout"
    order = 90

    def prepare(self, ws: Any) -> None:
        """Nothing to load."""

    def enrich(self, posts: list[Post]) -> None:
        """Set enrichment["shout"]."""
        for post in posts:
            post.enrichment["shout"] = post.text.count("!")


class FileSink:
    """Appends each alert as a JSON line to the file named by VIGIL_TOY_SINK."""

    kind = "toy-file"

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = f"toy-file:{path}"

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> FileSink | None:
        """Configured from the environment, since `vigil watch` has no option of this plugin's."""
        path = os.environ.get("VIGIL_TOY_SINK")
        return cls(path) if path else None

    def send(self, alert: dict[str, Any]) -> None:
        """Append the alert."""
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(alert, ensure_ascii=False) + "\n")


@hookimpl
def vigil_importers() -> list[Any]:
    """The toy importer."""
    return [ToyImporter()]


@hookimpl
def vigil_enrichers() -> list[Any]:
    """The shout counter."""
    return [ShoutEnricher()]


@hookimpl
def vigil_alert_sinks() -> list[Any]:
    """The file sink."""
    return [FileSink]
