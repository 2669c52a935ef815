"""One ingest at a time per workspace: an advisory lock on a file in the workspace.

The kernel releases it when the process ends, however it ends (kill -9 included).
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from vigil.records import now_iso
from vigil.store import schema
from vigil.store.engine import Workspace

LOCK_NAME = "ingest.lock"


class IngestLock:
    """The workspace's ingest lock: held from the first capture of a run to its last."""

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_NAME
        self._fd: int | None = None

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it ("pid 123 since 2026-04-13T08:00:00Z"), or ''."""
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def acquire(self, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the lock; when another ingest holds it, say so through on_wait and wait for it to finish."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    who = self.holder()
                    on_wait(f"waiting: another ingest is writing to {self.path.parent}" + (f" ({who})" if who else ""))
                fcntl.flock(fd, fcntl.LOCK_EX)  # Ctrl-C interrupts the wait
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {now_iso()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Let the next ingest in."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def held_elsewhere(self) -> bool:
        """Whether another live process holds the lock now (an ingest runs), read without touching the lock."""
        if self._fd is not None:
            return False
        m = re.match(r"pid (\d+) ", self.holder())
        if m is None:
            return False
        try:
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:  # killed (kill -9) before it could clear the file: the lock is free
            return False
        except PermissionError:  # alive, another user's
            return True
        return True


def close_abandoned(ws: Workspace) -> int:
    """Mark `interrupted` the captures still `running` that no ingest writes (its process was killed); how many.

    Call it holding the ingest lock: then no capture of this workspace is being written.
    """
    c = schema.captures.c
    with ws.engine.begin() as conn:
        res = conn.execute(schema.captures.update().where(c.status == "running").values(status="interrupted"))
    return int(res.rowcount or 0)


def running_captures(ws: Workspace) -> list[int]:
    """Ids of the captures whose ingest has not ended (or was killed before it could say so)."""
    c = schema.captures.c
    with ws.engine.connect() as conn:
        return [int(r[0]) for r in conn.execute(sa.select(c.id).where(c.status == "running"))]
