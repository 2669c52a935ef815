"""Real processes against one workspace: readers beside an ingest, kill -9 of either, Ctrl-C, a second ingest."""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vigil.store.engine import open_workspace
from vigil.store.lock import IngestLock

BENCH = Path(__file__).resolve().parents[2] / "bench"
VIGIL = [sys.executable, "-c", "from vigil.cli.start import run; run()"]
TWEETS = 20_000  # ~27 MB: read by two worker processes, as a large export is


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A twarc2 file of TWEETS generated tweets (bench/gen_twarc2.py)."""
    spec = importlib.util.spec_from_file_location("gen_twarc2", BENCH / "gen_twarc2.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write(tmp_path_factory.mktemp("src") / "tweets.jsonl", TWEETS, seed=5)


def _env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "200", "VIGIL_WORKSPACE": ""}


def _start(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*VIGIL, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()
    )


def _run(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VIGIL, *map(str, args)], capture_output=True, text=True, env=_env(), timeout=timeout, check=False
    )


def _stored(ws: Path) -> tuple[int, list[tuple[int, int, str]]]:
    """Posts in the workspace, and each capture's (new, updated, status), read as a reader reads."""
    con = sqlite3.connect(f"{(ws / 'vigil.db').resolve().as_uri()}?mode=ro", uri=True)
    try:
        posts = con.execute("SELECT count(*) FROM posts").fetchone()[0]
        caps = con.execute("SELECT new, updated, status FROM captures ORDER BY id").fetchall()
    finally:
        con.close()
    return posts, caps


def _wait_for_posts(ws: Path, proc: subprocess.Popen[str], at_least: int = 1, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if (ws / "vigil.db").exists():
            try:
                if _stored(ws)[0] >= at_least:
                    return
            except sqlite3.OperationalError:  # the schema is being created
                pass
        time.sleep(0.2)
    raise AssertionError(f"no {at_least} posts stored while the ingest ran (exit {proc.poll()})")


def test_readers_beside_an_ingest_never_break_it_and_the_capture_is_exact(source: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ingest = _start("ingest", "-w", ws, source)
    _wait_for_posts(ws, ingest)
    reads = []
    while ingest.poll() is None:
        for args in (["export", "-o", tmp_path / "e.jsonl"], ["watch"], ["search", "water"], ["stats"]):
            res = _run(*args, "-w", ws)
            reads.append((args[0], res.returncode, res.stderr.strip()[-300:]))
    out, err = ingest.communicate()
    assert ingest.returncode == 0, err
    assert "locked" not in err and "Traceback" not in err
    assert len(reads) >= 4 and [r for r in reads if r[1] != 0] == []
    posts, caps = _stored(ws)
    assert caps == [(posts, 0, "complete")]


def test_kill_9_of_a_reader_leaves_the_ingest_and_the_workspace_whole(source: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ingest = _start("ingest", "-w", ws, source)
    _wait_for_posts(ws, ingest)
    for _ in range(3):
        reader = _start("export", "-w", ws, "-o", tmp_path / "e.jsonl")
        time.sleep(0.5)
        reader.send_signal(signal.SIGKILL)
        reader.communicate()
    _, err = ingest.communicate(timeout=180)
    assert ingest.returncode == 0, err
    posts, caps = _stored(ws)
    assert caps == [(posts, 0, "complete")] and posts > TWEETS  # originals of retweets come in includes
    assert _run("export", "-w", ws, "-o", tmp_path / "all.jsonl").returncode == 0
    assert sum(1 for _ in (tmp_path / "all.jsonl").open()) == posts


def test_kill_9_of_the_writer_loses_nothing_committed_and_a_rerun_finishes(source: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ingest = _start("ingest", "-w", ws, source)
    _wait_for_posts(ws, ingest, at_least=1000)
    ingest.send_signal(signal.SIGKILL)
    ingest.communicate()
    posts, caps = _stored(ws)
    assert caps == [(posts, 0, "running")]  # the row says what its last commit stored, no more
    assert _run("stats", "-w", ws).returncode == 0  # the workspace opens
    res = _run("ingest", "-w", ws, source)
    assert res.returncode == 0, res.stderr
    total, caps = _stored(ws)
    assert caps[0] == (posts, 0, "interrupted") and caps[1][2] == "complete"
    assert caps[1][0] == total - posts  # the rest, new; what the first run committed is not stored twice


def test_ctrl_c_ends_with_one_line_and_the_capture_marked_interrupted(source: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ingest = _start("ingest", "-w", ws, source)
    _wait_for_posts(ws, ingest, at_least=1000)
    ingest.send_signal(signal.SIGINT)
    _, err = ingest.communicate(timeout=60)
    assert ingest.returncode == 130, err
    assert "Traceback" not in err
    posts, caps = _stored(ws)
    assert err.strip().splitlines()[-1] == f"interrupted: {posts:,} stored, re-run to continue"
    assert caps == [(posts, 0, "interrupted")]
    assert open_workspace(ws).engine  # opens for writing again


def test_a_second_ingest_waits_its_turn_with_a_message(source: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert _run("ingest", "-w", ws, source).returncode == 0
    lock = IngestLock(ws)
    lock.acquire()  # an ingest in progress, as far as any other process can tell
    try:
        second = _start("ingest", "-w", ws, source)
        assert second.stderr is not None
        line = second.stderr.readline()
        assert line.startswith(f"waiting: another ingest is writing to {ws} (pid {os.getpid()} since ")
        time.sleep(1)
        assert second.poll() is None and _stored(ws)[1][-1][2] == "complete"  # it waits: no capture started
    finally:
        lock.release()
    _, err = second.communicate(timeout=180)
    assert second.returncode == 0, err
    posts, caps = _stored(ws)
    assert caps == [(posts, 0, "complete"), (0, 0, "complete")]


def test_a_read_command_makes_no_workspace(tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    said = f"error: {missing}: no such workspace (`vigil ingest` or `vigil demo` creates one)"
    for args in (["export"], ["search", "x"], ["watch"], ["stats"], ["voices"], ["digest", "-o", tmp_path / "d.md"]):
        res = _run(*args, "-w", missing)
        assert (res.returncode, res.stderr.strip()) == (2, said)
    assert _run("-w", missing, "export").stderr.strip() == said  # -w before the command too
    assert not missing.exists()
