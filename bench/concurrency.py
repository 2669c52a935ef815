"""An ingest with readers beside it: failures, the ingest's time against its time alone, exact captures.

    python bench/concurrency.py                 # 200,000 tweets: alone, with a reader loop, alone again
    python bench/concurrency.py --tweets 20000  # a quick look

The reader loop runs `vigil export`, `vigil watch` and `vigil search` one after another (each a new process, as
a desk's terminals would), pausing --pause seconds between reads, for as long as the ingest runs. The ingest
beside readers is compared with the mean of the two runs alone around it (the machine's speed drifts between
runs). Captures are exact when each capture's `new` equals the posts stored and its status is `complete`.
Where the ingest's time goes beside readers: its CPU seconds (its processes and workers, from wait4), how often
it was preempted (involuntary context switches), the largest WAL seen during the run (sampled every 0.1 s; a reader's
snapshot keeps SQLite from checkpointing past it) and the readers' own CPU seconds.
Generated files and workspaces go to bench/out/. Prints a Markdown table and writes bench/out/concurrency.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
VIGIL = [sys.executable, "-c", "from vigil.cli.start import run; run()"]
sys.path.insert(0, str(HERE))

import gen_twarc2  # noqa: E402

READS = (["export", "-o", os.devnull], ["watch", "--format", "jsonl"], ["search", "water"])


def _run(cmd: list[str]) -> tuple[int, str, float, int]:
    """Run a command to its end: exit code, stderr's tail, CPU seconds (it and its children), preemptions."""
    with subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env()) as proc:
        assert proc.stderr is not None
        err = proc.stderr.read().decode(errors="replace")
        _, status, use = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, err.strip()[-500:], use.ru_utime + use.ru_stime, use.ru_nivcsw


class WalWatch(threading.Thread):
    """Samples the size of the workspace's WAL file; keeps the largest."""

    def __init__(self, ws: Path) -> None:
        super().__init__(daemon=True)
        self.wal = ws / "vigil.db-wal"
        self.stop = threading.Event()
        self.largest = 0

    def run(self) -> None:
        while not self.stop.wait(0.1):
            with contextlib.suppress(OSError):  # no WAL yet
                self.largest = max(self.largest, self.wal.stat().st_size)


def _env() -> dict[str, str]:
    return {**os.environ, "VIGIL_WORKSPACE": "", "COLUMNS": "200"}


def _captures(ws: Path) -> tuple[int, list[tuple[int, int, str]]]:
    con = sqlite3.connect(f"{(ws / 'vigil.db').as_uri()}?mode=ro", uri=True)
    try:
        posts = con.execute("SELECT count(*) FROM posts").fetchone()[0]
        caps = [tuple(r) for r in con.execute("SELECT new, updated, status FROM captures ORDER BY id")]
    finally:
        con.close()
    return posts, caps  # type: ignore[return-value]


class ReaderLoop(threading.Thread):
    """Runs the reads in turn until stopped; counts them and their failures."""

    def __init__(self, ws: Path, pause: float) -> None:
        super().__init__(daemon=True)
        self.ws, self.pause = ws, pause
        self.stop = threading.Event()
        self.done: list[tuple[str, int, float, float]] = []  # (command, exit code, seconds, CPU seconds)
        self.errors: list[str] = []

    def run(self) -> None:
        while not (self.ws / "vigil.db").exists() and not self.stop.is_set():
            time.sleep(0.1)
        while not self.stop.is_set():
            for args in READS:
                if self.stop.is_set():
                    return
                t0 = time.monotonic()
                code, err, cpu, _ = _run([*VIGIL, *args, "-w", str(self.ws)])
                self.done.append((args[0], code, time.monotonic() - t0, cpu))
                if code != 0:
                    self.errors.append(f"{args[0]} exit {code}: {err[-300:]}")
                self.stop.wait(self.pause)


def ingest(source: Path, ws: Path, pause: float | None) -> dict[str, object]:
    """One ingest into a fresh workspace, with a reader loop beside it when pause is not None."""
    shutil.rmtree(ws, ignore_errors=True)
    reader = ReaderLoop(ws, pause) if pause is not None else None
    wal = WalWatch(ws)
    wal.start()
    if reader:
        reader.start()
    t0 = time.monotonic()
    code, err, cpu, preempted = _run([*VIGIL, "ingest", "-w", str(ws), str(source)])
    took = time.monotonic() - t0
    wal.stop.set()
    if reader:
        reader.stop.set()
        reader.join()
    posts, caps = _captures(ws)
    failed_reads = [d for d in reader.done if d[1] != 0] if reader else []
    return {
        "seconds": round(took, 1),
        "cpu_seconds": round(cpu, 1),
        "preempted": preempted,
        "wal_largest_mb": round(wal.largest / 1e6, 1),
        "exit": code,
        "ingest_error": err if code else "",
        "posts": posts,
        "captures": caps,
        "exact": caps == [(posts, 0, "complete")],
        "reads": {cmd: sum(1 for d in reader.done if d[0] == cmd) for cmd, *_ in READS} if reader else {},
        "read_seconds": round(sum(d[2] for d in reader.done), 1) if reader else 0.0,
        "read_cpu_seconds": round(sum(d[3] for d in reader.done), 1) if reader else 0.0,
        "failed_reads": len(failed_reads),
        "read_errors": reader.errors[:5] if reader else [],
    }


def _three(a: dict[str, object], b: dict[str, object], c: dict[str, object], key: str) -> str:
    return " / ".join(f"{r[key]:,}" for r in (a, b, c))


def main() -> None:
    """Run alone, beside readers, alone; print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tweets", type=int, default=200_000)
    ap.add_argument("--pause", type=float, default=1.0, help="seconds between two reads of the loop")
    args = ap.parse_args()
    source = gen_twarc2.ensure(OUT, args.tweets)
    ws = OUT / "ws-concurrency"
    alone1 = ingest(source, ws, None)
    beside = ingest(source, ws, args.pause)
    alone2 = ingest(source, ws, None)
    base = (float(alone1["seconds"]) + float(alone2["seconds"])) / 2  # type: ignore[arg-type]
    ratio = float(beside["seconds"]) / base  # type: ignore[arg-type]
    failures = sum(int(r["exit"] != 0) for r in (alone1, beside, alone2)) + int(beside["failed_reads"])  # type: ignore[call-overload]
    exact = all(r["exact"] for r in (alone1, beside, alone2))
    rows = [
        ("tweets", f"{args.tweets:,}"),
        ("posts stored", f"{beside['posts']:,}"),
        ("ingest alone (s)", f"{alone1['seconds']} / {alone2['seconds']}"),
        ("ingest beside the reader loop (s)", f"{beside['seconds']}"),
        ("beside / alone", f"{ratio:.3f} ({(ratio - 1) * 100:+.1f} %; target ≤ +10 %)"),
        ("ingest CPU alone, alone, beside (s)", _three(alone1, alone2, beside, "cpu_seconds")),
        ("ingest preempted alone, alone, beside", _three(alone1, alone2, beside, "preempted")),
        ("largest WAL alone, alone, beside (MB)", _three(alone1, alone2, beside, "wal_largest_mb")),
        ("readers' CPU (s)", f"{beside['read_cpu_seconds']}"),
        ("reads done (export, watch, search)", ", ".join(f"{k} {v}" for k, v in beside["reads"].items())),  # type: ignore[union-attr]
        ("failures (ingests and reads)", str(failures)),
        ("captures exact", "yes" if exact else f"no: {[r['captures'] for r in (alone1, beside, alone2)]}"),
    ]
    print("| figure | value |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    for err in beside["read_errors"]:  # type: ignore[union-attr]
        print("read error:", err)
    for r in (alone1, beside, alone2):
        if r["ingest_error"]:
            print("ingest error:", r["ingest_error"])
    result = {"alone": [alone1, alone2], "beside": beside, "ratio": ratio, "failures": failures, "exact": exact}
    (OUT / "concurrency.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
