"""Reading a shape fixture the way `vigil ingest` does: detect its format, then read every record."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DATA

from vigil.ingest.pipeline import detect
from vigil.records import Deletion, Post, Problem, Record, Skipped
from vigil.sources.base import ImportOptions

SHAPES = DATA / "shapes"


class Read:
    """What one fixture gave: the format detected, its posts by uid, and the other records by kind."""

    def __init__(self, path: Path) -> None:
        unit = detect(path, ImportOptions())
        assert unit.importer is not None, unit.problem
        self.format: str = unit.importer.name
        self.records: list[Record] = list(unit.importer.iter_records(path, ImportOptions()))
        self.posts: dict[str, Post] = {r.uid: r for r in self.records if isinstance(r, Post)}
        self.problems = [r for r in self.records if isinstance(r, Problem)]
        self.skipped = [r.reason for r in self.records if isinstance(r, Skipped)]
        self.deletions = [r for r in self.records if isinstance(r, Deletion)]


def read(*parts: str) -> Read:
    """Detect and read the fixture at tests/data/shapes/PARTS."""
    return Read(SHAPES.joinpath(*parts))
