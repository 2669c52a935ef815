"""A read command beside a running ingest takes idle CPU priority before the CLI loads; a writer never does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.watch.city import load_city

from vigil.cli.start import read_command
from vigil.store.lock import IngestLock

pytestmark = pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="idle scheduling is Linux's")

# The child says, when the priority is decided, whether Typer was loaded yet, and at its exit its policy.
CHILD = """
import atexit, os, sys
import vigil.store.lock as lock
decide = lock.yield_to_ingest
def spy(root):
    idle = decide(root)
    sys.stderr.write(f"decided with typer loaded: {'typer' in sys.modules}\\n")
    return idle
lock.yield_to_ingest = spy
atexit.register(lambda: sys.stderr.write(f"policy at exit: {os.sched_getscheduler(0)}\\n"))
from vigil.cli.{module} import run
run()
"""


def _vigil(*args: str, module: str = "start") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "VIGIL_WORKSPACE": ""}
    code = CHILD.replace("{module}", module)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120)


def _policy(res: subprocess.CompletedProcess[str]) -> int:
    assert res.returncode == 0, res.stderr
    return int(res.stderr.rsplit("policy at exit: ", 1)[1].split()[0])


def test_a_reader_beside_an_ingest_runs_idle_from_its_first_import(ws, tmp_path: Path) -> None:
    load_city(ws)
    w = str(ws.path)
    assert _policy(_vigil("export", "-w", w)) == os.SCHED_OTHER  # no ingest: the reader keeps its priority
    lock = IngestLock(ws.path)
    lock.acquire()  # an ingest (this process) writes to the workspace
    try:
        export = _vigil("export", "-w", w, "-o", os.devnull)
        assert _policy(export) == os.SCHED_IDLE
        assert "decided with typer loaded: False" in export.stderr  # before the CLI loaded
        search = _vigil("-w", w, "search", "water", module="main")  # `python -m`-like start: the command decides
        assert _policy(search) == os.SCHED_IDLE and "decided with typer loaded: True" in search.stderr
        assert _policy(_vigil("voice", "suggest", f"--workspace={w}")) == os.SCHED_IDLE
        # a watch that records alerts writes: it must not hold the write lock at idle priority
        alerts = _vigil("watch", "-w", w, "--as-of", "2026-03-04T12:00:00Z", "--jsonl-out", str(tmp_path / "a.jsonl"))
        assert _policy(alerts) == os.SCHED_OTHER and (tmp_path / "a.jsonl").stat().st_size > 0
        assert _policy(_vigil("voice", "link", "lina_h", "telegram:lina_channel", "-w", w)) == os.SCHED_OTHER
    finally:
        lock.release()
    assert _policy(_vigil("watch", "-w", w, "--as-of", "2026-03-04T12:00:00Z")) == os.SCHED_OTHER  # ingest ended


@pytest.mark.parametrize(
    ("args", "reads", "workspace"),
    [
        (["export", "-w", "ws"], True, "ws"),
        (["-w", "a", "export", "--since", "yesterday", "-w", "b"], True, "b"),  # the command's own -w wins
        (["--workspace=ws", "search", "water"], True, "ws"),
        (["-wws", "stats"], True, "ws"),
        (["--date-order", "dmy", "watch", "--as-of", "04/03/2026"], True, None),
        (["watch", "--alerts"], False, None),
        (["watch", "--ack", "Lina"], False, None),
        (["watch", "--webhook=http://127.0.0.1:9/"], False, None),
        (["voice", "suggest"], True, None),
        (["voice", "link", "a", "b"], False, None),
        (["label", "export", "-o", "x.csv"], True, None),
        (["label"], False, None),
        (["model", "list"], True, None),
        (["ingest", "-w", "ws", "export"], False, "ws"),  # a file named export is not the command
        (["demo"], False, None),
        (["--help"], False, None),
        ([], False, None),
    ],
)
def test_which_command_lines_surely_only_read(args: list[str], reads: bool, workspace: str | None) -> None:
    assert read_command(args) == (reads, workspace)


def test_the_process_that_holds_the_lock_never_yields_to_itself(tmp_path: Path) -> None:
    from vigil.store.lock import yield_to_ingest

    lock = IngestLock(tmp_path)
    lock.acquire()
    try:
        assert not IngestLock(tmp_path).held_elsewhere() and not yield_to_ingest(tmp_path)
        assert os.sched_getscheduler(0) == os.SCHED_OTHER
    finally:
        lock.release()
