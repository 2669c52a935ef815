"""The board's worker beside an ingest: it reads read-only on idle CPU time, and the next worker starts anew."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

import pytest
from tests.watch.city import AS_OF, load_city

from vigil.store.lock import IngestLock
from vigil.web.board import Board, compute_at

pytestmark = pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="idle scheduling is Linux's")


def _policy_after(path: str) -> tuple[bool, int]:
    """In a fresh worker: compute the board, then say whether it yielded and its scheduling policy."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        snap = pool.submit(compute_at, path, AS_OF, 12 * 3600.0).result()
        pid = next(iter(pool._processes))  # the one worker
        return snap.yielded, os.sched_getscheduler(pid)


def test_the_board_yields_to_an_ingest_and_its_next_worker_does_not(ws) -> None:
    load_city(ws)
    assert _policy_after(str(ws.path)) == (False, os.SCHED_OTHER)
    lock = IngestLock(ws.path)
    lock.acquire()  # an ingest (this process) writes to the workspace
    board = Board(ws, AS_OF)
    try:
        assert _policy_after(str(ws.path)) == (True, os.SCHED_IDLE)
        board.start()
        first = board.wait(120)
        assert first is not None and first.yielded and board.error is None
        assert len(first.voices) > 3  # the same board, read on a read-only connection
        deadline = time.time() + 30
        while board._pool is not None and time.time() < deadline:  # the idle worker is let go
            time.sleep(0.05)
        assert board._pool is None
        lock.release()  # the ingest ended
        board.refresh()
        deadline = time.time() + 120
        while board.snapshot is first and time.time() < deadline:
            time.sleep(0.05)
        second = board.snapshot
        assert second is not None and second is not first and not second.yielded
        assert [v.status.voice for v in second.voices] == [v.status.voice for v in first.voices]
        assert board._pool is not None
        pid = next(iter(board._pool._processes))
        assert os.sched_getscheduler(pid) == os.SCHED_OTHER  # a new worker, at the server's priority
    finally:
        lock.release()
        board.stop()
