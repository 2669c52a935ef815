"""The terminal alert sink: one line per event on standard output."""

from __future__ import annotations

import sys
from typing import IO, Any


def alert_line(alert: dict[str, Any]) -> str:
    """A one-line summary of an alert."""
    d = alert.get("detail") or {}
    who = alert.get("name") or "?"
    kind = alert["kind"]
    if kind == "silent":
        what = f"{who} silent since {d.get('since')} (last: {' '.join(d.get('last_labels') or []) or 'no labels'})"
    elif kind == "reappeared":
        what = f"{who} reappeared after {d.get('silent_hours')} h of silence"
    elif kind == "deleted":
        how = "absent from a later complete export" if d.get("how") == "absent" else "deleted at the source"
        what = f"{who}: post {alert.get('uid')} {how}"
    elif kind == "account":
        what = f"{who}: account {d.get('account')} {d.get('status')}" + (f" ({d['detail']})" if d.get("detail") else "")
    elif kind == "edited":
        what = f"{who}: post {alert.get('uid')} edited (version {d.get('version')})"
    else:
        what = f"{who}: {alert.get('uid') or ''}"
    return f"{alert['at']}  {kind.upper():<10} {what}".replace("\n", " ")


class TerminalSink:
    """Print each alert once as a line (control characters of user content removed)."""

    kind = "terminal"
    name = "terminal"

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> TerminalSink | None:
        """Used unless --alerts was given without the terminal (never the case from the CLI)."""
        return cls(options.get("stream")) if options.get("terminal", True) else None

    def send(self, alert: dict[str, Any]) -> None:
        """Write the alert's line."""
        line = "".join(c for c in alert_line(alert) if c.isprintable())
        out = self.stream or sys.stdout
        out.write(line + "\n")
        out.flush()
