"""The web desk's speed: each page's p50/p95 over HTTP against `vigil serve`, while `vigil ingest` writes.

    python bench/web.py --tweets 200000                      # generate (bench/gen_twarc2.py), ingest, measure
    python bench/web.py --workspace WS --live FILE.jsonl     # an ingested workspace; FILE is ingested meanwhile

Targets (issue 18): every page p95 <= 300 ms, search p95 <= 150 ms for the queries of `make bench`. The server
and the ingest run as their own processes; requests are sequential, one client, after one warming pass.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import gen_twarc2  # noqa: E402
from run import QUERIES  # noqa: E402

PASSWORD = "bench password, not secret"
PAGE_TARGET, SEARCH_TARGET = 300.0, 150.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def vigil(*args: str, stdin: str = "") -> None:
    subprocess.run([str(BIN / "vigil"), *args], input=stdin, text=True, check=True, capture_output=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def sample(ws: Path) -> dict[str, list[str]]:
    """Post uids and voice ids to visit, spread over the store."""
    with sqlite3.connect(f"file:{ws / 'vigil.db'}?mode=ro", uri=True) as conn:
        top = conn.execute("SELECT max(pk) FROM posts").fetchone()[0] or 0
        rng = random.Random(7)
        uids = [
            r[0]
            for pk in rng.sample(range(1, top + 1), min(40, top))
            for r in conn.execute("SELECT uid FROM posts WHERE pk >= ? LIMIT 1", (pk,))
        ]
        voices = [str(r[0]) for r in conn.execute("SELECT id FROM voices ORDER BY random() LIMIT 20")]
    return {"uids": uids, "voices": voices}


def cases(s: dict[str, list[str]]) -> dict[str, list[str]]:
    """Page name -> the URLs it is measured on (cycled)."""
    return {
        "now": ["/"],
        "queue": ["/queue"],
        "queue, next page": ["/queue?after=high%7C2026-03-02T00%3A00%3A00Z%7C999999999"],
        "queue, label plea": ["/queue?label=plea"],
        "queue, Arabic, 2 days": ["/queue?lang=ar&since=2026-03-02&until=2026-03-03"],
        "queue, place": ["/queue?place=Old+Market"],
        "voices": ["/voices"],
        "voices, silent": ["/voices?status=silent"],
        "voice": [f"/voices/{v}" for v in s["voices"]],
        "post": ["/post?uid=" + httpx.QueryParams({"u": u})["u"] for u in s["uids"]],
        "post, raw payload": [],  # filled from the post pages
        "search": ["/search?" + str(httpx.QueryParams({"q": q})) for q in QUERIES],
        "search, filtered": ["/search?q=trapped&since=2026-03-02&until=2026-03-03"],
        "audit": ["/audit"],
        "digest form": ["/digest"],
    }


_CPU = re.compile(r"cpu;dur=([0-9.]+)")


def measure(c: httpx.Client, urls: list[str], rounds: int, cpu: list[float]) -> list[float]:
    """Wall ms of each request (client side); the server's CPU ms (its Server-Timing header) go to cpu."""
    times = []
    for u in urls[: max(1, min(len(urls), rounds))]:  # warm once
        c.get(u)
    for i in range(rounds):
        u = urls[i % len(urls)]
        t0 = time.perf_counter()
        r = c.get(u)
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (u, r.status_code, r.text[:200])
        m = _CPU.search(r.headers.get("server-timing", ""))
        cpu.append(float(m.group(1)) if m else float("nan"))
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path)
    ap.add_argument("--tweets", type=int, default=200_000, help="generate and ingest this many (no --workspace)")
    ap.add_argument("--live", type=Path, help="a file to ingest while measuring (default: 100,000 new tweets)")
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--digest", type=int, default=3, help="digest views to time (0: none)")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    ws = args.workspace
    if ws is None:
        src = gen_twarc2.ensure(OUT, args.tweets)
        ws = OUT / f"web-ws-{args.tweets}"
        if not (ws / "vigil.db").exists():
            vigil("ingest", str(src), "--workspace", str(ws))
    live = args.live or gen_twarc2.ensure(OUT, 100_000, seed=11)
    try:
        vigil("user", "add", "bench", "--role", "editor", "--password-stdin", "--workspace", str(ws), stdin=PASSWORD)
    except subprocess.CalledProcessError:
        vigil("user", "passwd", "bench", "--password-stdin", "--workspace", str(ws), stdin=PASSWORD)
    with sqlite3.connect(f"file:{ws / 'vigil.db'}?mode=ro", uri=True) as conn:
        posts = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    port = free_port()
    server = subprocess.Popen([str(BIN / "vigil"), "serve", "--workspace", str(ws), "--port", str(port)])
    url = f"http://127.0.0.1:{port}"
    c = httpx.Client(base_url=url, timeout=120)
    t0 = time.time()
    while True:
        try:
            page = c.get("/login")
            break
        except httpx.HTTPError:
            time.sleep(0.3)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    c.post("/login", data={"csrf": token, "name": "bench", "password": PASSWORD})
    while "being computed" in c.get("/").text:
        time.sleep(0.5)
    board_s = time.time() - t0
    ingest = subprocess.Popen(
        [str(BIN / "vigil"), "ingest", str(live), "--workspace", str(ws)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(3)  # the ingest is writing
    results: dict[str, dict[str, float]] = {}
    try:
        all_cases = cases(sample(ws))
        raws = []
        for u in all_cases["post"][:10]:
            raws += [f"/raw?sha256={m}" for m in re.findall(r"/raw\?sha256=([0-9a-f]{64})", c.get(u).text)[:1]]
        all_cases["post, raw payload"] = raws or ["/"]
        for name, urls in all_cases.items():
            cpu: list[float] = []
            times = measure(c, urls, args.rounds, cpu)
            results[name] = {
                "p50": statistics.median(times),
                "p95": percentile(times, 0.95),
                "cpu_p50": statistics.median(cpu),
                "cpu_p95": percentile(cpu, 0.95),
                "n": len(times),
            }
            r = results[name]
            print(
                f"{name:24} p50 {r['p50']:7.1f} ms   p95 {r['p95']:7.1f} ms   "
                f"server CPU p50 {r['cpu_p50']:6.1f} ms  p95 {r['cpu_p95']:6.1f} ms",
                flush=True,
            )
        digest_ms = []
        for _ in range(args.digest):
            t = time.perf_counter()
            c.get("/digest/view?since=2026-03-02&until=2026-03-02", timeout=1800)
            digest_ms.append(round((time.perf_counter() - t) * 1000))
        running = ingest.poll() is None
    finally:
        ingest.terminate()
        server.terminate()
        ingest.wait()
        server.wait()
    report = {
        "posts": posts,
        "board_seconds": board_s,
        "ingest_running_to_the_end": running,
        "pages": results,
        "digest_view_one_day_ms": digest_ms,
    }
    (OUT / "web.json").write_text(json.dumps(report, indent=2))
    print(f"posts {posts:,}; first board {board_s:.1f} s; ingest still running at the end: {running}")
    print("digest view of one day (ms):", digest_ms)
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print("load average at the end:", " ".join(load), f"({os.cpu_count()} cores)")
    worst_page = max(v["p95"] for k, v in results.items() if not k.startswith("search"))
    worst_search = max(v["p95"] for k, v in results.items() if k.startswith("search"))
    print(f"pages p95 max {worst_page:.0f} ms (target {PAGE_TARGET:.0f})")
    print(f"search p95 max {worst_search:.0f} ms (target {SEARCH_TARGET:.0f})")


if __name__ == "__main__":
    main()
