"""Registers the trained-models enricher through the same hook a plugin uses."""

from __future__ import annotations

from vigil.hookspecs import Enricher, hookimpl


@hookimpl
def vigil_enrichers() -> list[Enricher]:
    """The enricher that applies every model trained in the workspace."""
    from vigil.models.enricher import ModelEnricher

    return [ModelEnricher()]
