"""The enrichers of an ingest as one function, shared by the pipeline and its workers."""

from __future__ import annotations

from typing import Any

from vigil import plugins
from vigil.hookspecs import Enricher
from vigil.records import Post
from vigil.store.engine import Workspace

__all__ = ["Enricher", "LazyEnrich", "SetupError"]


class SetupError(Exception):
    """An enricher cannot start (its message names the file and line)."""


class LazyEnrich:
    """Enrichers as one function, prepared on first use (a re-ingest, or a run whose worker enriches, needs none)."""

    def __init__(self, ws: Workspace, enrichers: list[Any] | None = None) -> None:
        self.ws = ws
        self.enrichers = plugins.enrichers() if enrichers is None else enrichers
        self.prepared = False

    def __call__(self, posts: list[Post]) -> None:
        """Enrich posts in place."""
        if not self.prepared:
            for e in self.enrichers:
                try:
                    e.prepare(self.ws)
                except (ValueError, OSError) as exc:  # a bad workspace lexicon, gazetteer or model file
                    raise SetupError(f"{e.name}: {exc}") from exc
            self.prepared = True
        for e in self.enrichers:
            e.enrich(posts)
