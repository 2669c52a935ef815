"""Ctrl-C during an ingest takes effect between batches, never inside a SQLite statement.

A KeyboardInterrupt raised inside a user-defined SQL function (the search index's normaliser) reaches Python
as an OperationalError, and one raised inside a commit can leave the capture's counts unwritten. So the first
Ctrl-C only asks to stop; the ingest stops at the next batch boundary. A second Ctrl-C stops at once.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType


class DeferredInterrupt:
    """While active (in the main thread), SIGINT sets a flag that `checkpoint()` turns into KeyboardInterrupt."""

    def __init__(self) -> None:
        self.asked = False
        self._old: object = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True

    def __enter__(self) -> DeferredInterrupt:
        global _active
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
            _active = self
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        global _active
        if _active is self:
            signal.signal(signal.SIGINT, self._old)  # type: ignore[arg-type]
            _active = None


_active: DeferredInterrupt | None = None


def checkpoint() -> None:
    """Raise KeyboardInterrupt here if Ctrl-C was pressed since the last batch."""
    if _active is not None and _active.asked:
        _active.asked = False
        raise KeyboardInterrupt
