"""What one capture did: the counts the writer and the account events keep."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


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


class Tally(NamedTuple):
    """The counts a rolled-back write takes back."""

    new: int
    updated: int
    unchanged: int
    skipped: int

    @classmethod
    def of(cls, c: CaptureCounts) -> Tally:
        """The counts now."""
        return cls(c.new, c.updated, c.unchanged, c.skipped)

    def restore(self, c: CaptureCounts) -> None:
        """Set the counts back to these."""
        c.new, c.updated, c.unchanged, c.skipped = self
