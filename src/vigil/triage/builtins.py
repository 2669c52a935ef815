"""Registers the triage enricher through the same hook a plugin uses."""

from __future__ import annotations

from vigil.hookspecs import Enricher, hookimpl


@hookimpl
def vigil_enrichers() -> list[Enricher]:
    """The built-in triage enricher."""
    from vigil.triage.enricher import TriageEnricher

    return [TriageEnricher()]
