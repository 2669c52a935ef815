"""The JSONL file alert sink: one JSON object per event appended to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

_enc = msgspec.json.Encoder()


class JsonlSink:
    """Append each alert once to a JSON Lines file (created when missing)."""

    kind = "jsonl"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.name = f"jsonl:{self.path.resolve()}"

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> JsonlSink | None:
        """Configured by --jsonl-out FILE."""
        path = options.get("jsonl_out")
        return cls(Path(path)) if path else None

    def send(self, alert: dict[str, Any]) -> None:
        """Append the alert as one line."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as fh:
            fh.write(_enc.encode(alert) + b"\n")
