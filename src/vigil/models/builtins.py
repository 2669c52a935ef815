"""Registers the models' enrichers through the same hook a plugin uses."""

from __future__ import annotations

from vigil.hookspecs import Enricher, hookimpl


@hookimpl
def vigil_enrichers() -> list[Enricher]:
    """The built-in triage model (after the rules) and the enricher of every model trained in the workspace."""
    from vigil.models.enricher import ModelEnricher
    from vigil.models.triage_enricher import TriageModelEnricher

    return [TriageModelEnricher(), ModelEnricher()]
