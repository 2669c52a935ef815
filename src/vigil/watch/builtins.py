"""Registers the built-in alert sinks through the same hook a third-party plugin uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vigil.hookspecs import hookimpl

if TYPE_CHECKING:
    from vigil.watch.alerts import SinkFactory


@hookimpl
def vigil_alert_sinks() -> list[type[SinkFactory]]:
    """The alert sink classes that ship with Vigil: terminal, JSONL file, webhook."""
    from vigil.watch.sinks.jsonl import JsonlSink
    from vigil.watch.sinks.terminal import TerminalSink
    from vigil.watch.sinks.webhook import WebhookSink

    return [TerminalSink, JsonlSink, WebhookSink]
