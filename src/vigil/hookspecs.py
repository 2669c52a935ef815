"""Extension points: built-in importers, enrichers and alert sinks register here exactly as plugins do.

What each hook's objects must provide is a Protocol: `vigil.sources.base.Importer`,
`Enricher` below, `vigil.watch.alerts.SinkFactory` (see docs/plugins.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import pluggy

if TYPE_CHECKING:
    from vigil.records import Post
    from vigil.sources.base import Importer
    from vigil.store.engine import Workspace
    from vigil.watch.alerts import SinkFactory

hookspec = pluggy.HookspecMarker("vigil")
hookimpl = pluggy.HookimplMarker("vigil")


class Enricher(Protocol):
    """Adds fields to new or changed posts before they are stored (triage, models)."""

    name: str
    order: int

    def prepare(self, ws: Workspace) -> None:
        """Load what the enricher needs once per run (lexicons, gazetteer, models)."""
        ...

    def enrich(self, posts: list[Post]) -> None:
        """Set post.enrichment fields in place."""
        ...


@hookspec
def vigil_importers() -> list[Importer]:
    """Return importer objects, one per export format."""
    raise NotImplementedError


@hookspec
def vigil_enrichers() -> list[Enricher]:
    """Return enricher objects run on every batch of new or changed posts."""
    raise NotImplementedError


@hookspec
def vigil_alert_sinks() -> list[type[SinkFactory]]:
    """Return alert sink classes for `vigil watch --alerts`."""
    raise NotImplementedError
