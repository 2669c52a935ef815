"""What one capture did: the counts the writer and the account events keep."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CaptureCounts:
    """What a capture did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    scopes: list[dict[str, str]] = field(default_factory=list)

    @property
    def posts(self) -> int:
        """Posts read, whatever became of them."""
        return self.new + self.updated + self.unchanged
