"""The plugin manager: built-ins first, then anything installed under the `vigil` entry point group."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pluggy

from vigil import hookspecs

if TYPE_CHECKING:
    from vigil.hookspecs import Enricher
    from vigil.sources.base import Importer
    from vigil.watch.alerts import SinkFactory

BUILTINS = (
    "vigil.sources.builtins",
    "vigil.triage.builtins",
    "vigil.models.builtins",
    "vigil.watch.builtins",
)


@lru_cache(maxsize=1)
def manager() -> pluggy.PluginManager:
    """Build the plugin manager once per process."""
    import importlib

    pm = pluggy.PluginManager("vigil")
    pm.add_hookspecs(hookspecs)
    for name in BUILTINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        pm.register(module, name)
    pm.load_setuptools_entrypoints("vigil")
    return pm


def importers() -> dict[str, Importer]:
    """All registered importers by name, in registration order."""
    found: dict[str, Importer] = {}
    for batch in reversed(manager().hook.vigil_importers()):
        for imp in batch:
            found.setdefault(imp.name, imp)
    return found


def enrichers() -> list[Enricher]:
    """All registered enrichers, sorted by their `order`."""
    items = [e for batch in manager().hook.vigil_enrichers() for e in batch]
    return sorted(items, key=lambda e: getattr(e, "order", 50))


def alert_sinks() -> list[type[SinkFactory]]:
    """All registered alert sink classes."""
    return [s for batch in manager().hook.vigil_alert_sinks() for s in batch]
