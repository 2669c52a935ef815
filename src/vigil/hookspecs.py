"""Extension points: built-in importers, enrichers and alert sinks register here exactly as plugins do."""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("vigil")
hookimpl = pluggy.HookimplMarker("vigil")


@hookspec
def vigil_importers() -> list[Any]:
    """Return importer objects (see vigil.sources.base.Importer)."""
    raise NotImplementedError


@hookspec
def vigil_enrichers() -> list[Any]:
    """Return enricher objects (see vigil.ingest.pipeline.Enricher) run on every batch of new or changed posts."""
    raise NotImplementedError


@hookspec
def vigil_alert_sinks() -> list[Any]:
    """Return alert sink classes for `vigil watch --alerts`."""
    raise NotImplementedError
