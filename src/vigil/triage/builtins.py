"""Registers the triage enricher through the same hook a plugin uses."""

from __future__ import annotations

from typing import Any

from vigil.hookspecs import hookimpl


@hookimpl
def vigil_enrichers() -> list[Any]:
    """The built-in triage enricher."""
    from vigil.triage.enricher import TriageEnricher

    return [TriageEnricher()]
