"""Garbage collection paced by batches: an ingest loop allocates millions of short-lived objects.

Python's automatic collector runs every 700 allocations and walks the growing caches of triage again and
again (about a fifth of a worker's time on the benchmark). During a batch loop it is switched off. After each
batch what survived it (mostly new cache entries) is frozen, so no collection walks it again; every
`full_every` batches everything is collected, so reference cycles still go (a batch loop makes few: at most
`full_every` batches' worth waits for that collection). Collecting the young generation after every batch
instead cost ~5 % of a worker's time, spent walking those cache entries once each.
"""

from __future__ import annotations

import gc
from types import TracebackType


class BatchGC:
    """Automatic collection off inside the block; `batch()` after each batch freezes what a batch left."""

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
        """Freeze what the batch left; every `full_every` batches, collect everything first."""
        self.n += 1
        if self.n % self.full_every == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        gc.unfreeze()
        if self.was_enabled:
            gc.enable()
