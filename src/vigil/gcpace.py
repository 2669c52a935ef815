"""Garbage collection paced by batches: an ingest loop allocates millions of short-lived objects.

Python's automatic collector runs every 700 allocations and walks the growing caches of triage again and
again (about a fifth of a worker's time on the benchmark). During a batch loop it is switched off; young
objects are collected after each batch, everything every `full_every` batches, so reference cycles still go.
"""

from __future__ import annotations

import gc
from types import TracebackType


class BatchGC:
    """Automatic collection off inside the block; `batch()` after each batch collects what a batch left."""

    def __init__(self, full_every: int = 50) -> None:
        self.full_every = full_every
        self.n = 0
        self.was_enabled = False

    def __enter__(self) -> BatchGC:
        self.was_enabled = gc.isenabled()
        gc.freeze()  # what exists now (modules, lexicons, gazetteer) is never walked again
        gc.disable()
        return self

    def batch(self) -> None:
        """Collect the young generations; every `full_every` batches, all of them."""
        self.n += 1
        gc.collect(2 if self.n % self.full_every == 0 else 1)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        gc.unfreeze()
        if self.was_enabled:
            gc.enable()
