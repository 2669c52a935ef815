"""Registers the built-in importers through the same hook a third-party plugin uses."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from vigil.hookspecs import hookimpl

if TYPE_CHECKING:
    from vigil.sources.base import Importer

BUILTIN_IMPORTERS = (
    "vigil.sources.twarc2.importer:Twarc2Importer",
    "vigil.sources.x_archive.importer:XArchiveImporter",
    "vigil.sources.twitter_v1.importer:TwitterV1Importer",
    "vigil.sources.csv.importer:CsvImporter",
    "vigil.sources.telegram.importer:TelegramImporter",
    "vigil.sources.mastodon.importer:MastodonImporter",
    "vigil.sources.bluesky.importer:BlueskyImporter",
    "vigil.sources.ytdlp.importer:YtDlpImporter",
    "vigil.sources.whatsapp.importer:WhatsAppImporter",
)


@hookimpl
def vigil_importers() -> list[Importer]:
    """The importers that ship with Vigil."""
    found = []
    for spec in BUILTIN_IMPORTERS:
        module, _, cls = spec.partition(":")
        found.append(getattr(importlib.import_module(module), cls)())
    return found
