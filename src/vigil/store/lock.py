"""One ingest at a time per workspace: an advisory lock on a file in the workspace; readers yield to it.

The kernel releases the lock when the process ends, however it ends (kill -9 included). This module is cheap to
import (no SQLAlchemy): a read command asks it, before its heavy imports, whether an ingest is running.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from vigil.records import now_iso

if TYPE_CHECKING:
    from vigil.store.engine import Workspace

LOCK_NAME = "ingest.lock"
READER_NICE = 19  # where idle scheduling is not available: the lowest CPU priority


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
        if m is None or int(m.group(1)) == os.getpid():  # this process holds it (through another IngestLock)
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
    from vigil.store import schema

    c = schema.captures.c
    with ws.engine.begin() as conn:
        res = conn.execute(schema.captures.update().where(c.status == "running").values(status="interrupted"))
    return int(res.rowcount or 0)


def running_captures(ws: Workspace) -> list[int]:
    """Ids of the captures whose ingest has not ended (or was killed before it could say so)."""
    import sqlalchemy as sa

    from vigil.store import schema

    c = schema.captures.c
    with ws.engine.connect() as conn:
        return [int(r[0]) for r in conn.execute(sa.select(c.id).where(c.status == "running"))]


_idle = False  # this process runs under SCHED_IDLE (or nice 19) already


def yield_to_ingest(root: Path) -> bool:
    """While an ingest writes to this workspace, run this reader on CPU time the ingest leaves; whether it does.

    Linux SCHED_IDLE: the reader runs only when a core would otherwise be idle (elsewhere, nice 19). Once taken
    it stays for the life of the process (an unprivileged process cannot take its priority back), so only
    processes that read and then end call it: a reader that took the write lock at this priority would hold the
    ingest up.
    """
    global _idle
    if _idle:
        return True
    if not IngestLock(root).held_elsewhere():
        return False
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(READER_NICE)
    _idle = True
    return True
