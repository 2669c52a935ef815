"""The watch's board and the headline figures, computed in the background and kept until the store changes.

The watch reads every post (seconds of pure Python for a million), so no page computes it, nor the server's
process (it would hold the GIL the pages need): a thread asks a worker process to recompute it when the store
has new posts or captures (checked every CHECK_EVERY seconds, at most once per MIN_GAP) or when it is older than
MAX_AGE, and pages show the last one with the moment it was computed.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from vigil.store import schema
from vigil.store.engine import Workspace, open_workspace
from vigil.store.lock import yield_to_ingest
from vigil.store.queries import stats
from vigil.watch.silence import DEFAULT_SILENCE, VoiceStatus, parse_as_of, returns, watch

CHECK_EVERY = 5.0
MIN_GAP = 60.0  # seconds between two computations while an ingest keeps changing the store
MAX_AGE = 300.0  # recompute at least this often: silences grow with the clock


@dataclass
class Voice:
    """One row of the board: the watch's status without its posts, and the voice's silences."""

    status: VoiceStatus
    silences: list[tuple[str, float]]  # (came back at, after hours)


@dataclass
class Snapshot:
    """One computation of the board."""

    as_of: datetime
    computed_at: float
    seconds: float
    voices: list[Voice]
    by_id: dict[int, Voice]
    figures: dict[str, Any]
    key: tuple[Any, ...] = field(default_factory=tuple)
    statuses: dict[str, int] = field(default_factory=dict)  # how many voices are active, silent, gone
    yielded: bool = False  # computed beside an ingest, by a worker that now runs on idle CPU time only


def store_key(conn: sa.Connection) -> tuple[Any, ...]:
    """What changes when an ingest writes: the newest post and capture, and how many captures have ended."""
    p, c = schema.posts.c, schema.captures.c
    return (
        conn.execute(sa.select(sa.func.max(p.pk))).scalar(),
        conn.execute(sa.select(sa.func.max(c.id))).scalar(),
        conn.execute(sa.select(sa.func.count()).where(c.ended_at.is_not(None))).scalar(),
    )


def compute(ws: Workspace, as_of: str | None, silence: timedelta = DEFAULT_SILENCE) -> Snapshot:
    """The board now (or at a fixed as_of): every voice's status, most at risk first, and the figures."""
    t0 = time.perf_counter()
    moment = parse_as_of(as_of)
    with ws.engine.connect() as conn:
        key = store_key(conn)
    statuses = watch(ws, moment, silence)
    voices = []
    for s in statuses:
        voices.append(Voice(s, returns(s.posts, silence)))
        s.posts = []  # the board keeps no post of its own: a million PostPoints would stay in memory
    figures = stats(ws)
    return Snapshot(
        moment, time.time(), time.perf_counter() - t0, voices, {v.status.voice: v for v in voices}, figures, key
    )


def _exit_with(parent: int) -> None:
    """In the worker: exit when the server that started it is gone (killed, not shut down)."""

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(2)
        os._exit(0)

    threading.Thread(target=watch_parent, name="vigil-board-parent", daemon=True).start()


def compute_at(path: str, as_of: str | None, silence_s: float) -> Snapshot:
    """compute() in a worker process, on the workspace opened there.

    Read-write (accounts an older Vigil left without voices get them), except while an ingest writes: then
    read-only, on CPU time the ingest leaves (the worker keeps that priority: the board starts another).
    """
    beside = yield_to_ingest(Path(path))
    ws = open_workspace(path, create=False, write=not beside)
    try:
        snap = compute(ws, as_of, timedelta(seconds=silence_s))
    finally:
        ws.close()
    snap.yielded = beside
    return snap


class Board:
    """Holds the latest snapshot; a daemon thread refreshes it."""

    def __init__(self, ws: Workspace, as_of: str | None = None, silence: timedelta = DEFAULT_SILENCE) -> None:
        self.ws, self.as_of, self.silence = ws, as_of, silence
        self.snapshot: Snapshot | None = None
        self.error: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vigil-board", daemon=True)
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Compute in the background from now on."""
        self._thread.start()

    def stop(self) -> None:
        """End the thread."""
        self._stop.set()
        self._wake.set()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def refresh(self) -> None:
        """Recompute soon (after a change made on the desk)."""
        self._wake.set()

    def _due(self) -> bool:
        snap = self.snapshot
        if snap is None:
            return True
        age = time.time() - snap.computed_at
        if age > MAX_AGE and self.as_of is None:
            return True
        if age < MIN_GAP:
            return False
        with self.ws.engine.connect() as conn:
            return store_key(conn) != snap.key

    def _run(self) -> None:
        forced = True
        while not self._stop.is_set():
            try:
                if forced or self._due():
                    if self._pool is None:
                        self._pool = ProcessPoolExecutor(
                            1,
                            mp_context=multiprocessing.get_context("spawn"),
                            initializer=_exit_with,
                            initargs=(os.getpid(),),
                        )
                    job = self._pool.submit(compute_at, str(self.ws.path), self.as_of, self.silence.total_seconds())
                    self.snapshot = job.result()
                    if self.snapshot.yielded:  # its worker runs on idle CPU time now: the next one starts anew
                        self._pool.shutdown(wait=True)
                        self._pool = None
                    self.error = None
                    # the board's objects live until the next one: keep the collector from walking them again and
                    # again during requests (20,000 voices at 1M posts; see docs/web.md, Speed)
                    gc.collect()
                    gc.freeze()
            except Exception as exc:  # noqa: BLE001 - keep serving the last board; the page shows the error
                self.error = f"{type(exc).__name__}: {exc}"
            forced = self._wake.wait(CHECK_EVERY)
            self._wake.clear()

    def wait(self, timeout: float = 60.0) -> Snapshot | None:
        """The snapshot, waiting up to timeout for the first one (tests, the bench)."""
        end = time.time() + timeout
        while self.snapshot is None and time.time() < end:
            time.sleep(0.05)
        return self.snapshot
