"""`make bench`: ingest speed against the floor, memory, re-ingest, search latency and `vigil --help` time.

    python bench/run.py                  # 200,000 tweets, search over them (a few minutes)
    python bench/run.py --full           # also 1M tweets: peak memory, search p95, watch, voices, digest
    python bench/run.py --runs 3         # medians of 3 runs for the timed steps
    VIGIL_BENCH_FULL=1 make bench        # --full through make

Generated files and workspaces go to bench/out/ (reused between runs; `make clean` removes them).
Prints a Markdown table and writes bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import gen_twarc2  # noqa: E402

QUERIES = [
    "trapped",
    "ambulances",
    '"north gate"',
    "blood*",
    "evacuation OR evacuate",
    "shelling NOT stadium",
    "محاصرون",
    '"شارع الجسر"',
    "HarborUnderSiege",
    "children water",
]


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _hwm_kb(pid: int) -> int:
    return _status_kb(pid, "VmHWM:")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a live process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def run_measured(cmd: list[str]) -> dict[str, float]:
    """Run cmd; wall time, CPU, and peak RSS (VmHWM) of the process, of its largest child (an ingest worker),
    and of the whole tree at once (the largest sum of VmRSS over the process and its children)."""
    peak = {"main": 0, "child": 0, "tree": 0, "workers": 0}
    cpu_main = [0.0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak["main"] = max(peak["main"], _hwm_kb(proc.pid))
            cpu_main[0] = max(cpu_main[0], _cpu_s(proc.pid))
            tree = _status_kb(proc.pid, "VmRSS:")
            kids = _children(proc.pid)
            peak["workers"] = max(peak["workers"], len(kids))
            for child in kids:
                peak["child"] = max(peak["child"], _hwm_kb(child))
                tree += _status_kb(child, "VmRSS:")
            peak["tree"] = max(peak["tree"], tree)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.join()
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    # ru_maxrss of a reaped child covers it and its reaped children: an upper bound when sampling missed the end
    return {
        "wall": wall,
        "rss_main_mb": max(peak["main"], 0) / 1024,
        "rss_worker_mb": peak["child"] / 1024,
        "rss_max_mb": usage.ru_maxrss / 1024,
        "rss_tree_mb": peak["tree"] / 1024,
        "workers": peak["workers"],
        "cpu": usage.ru_utime + usage.ru_stime,  # the process and its reaped children (the workers)
        "cpu_main": cpu_main[0],  # the last sample: close to, not exactly, the process's own CPU
    }


def last_capture(ws: Path) -> dict[str, int]:
    con = sqlite3.connect(ws / "vigil.db")
    sql = "SELECT new, updated, unchanged, skipped, failed FROM captures ORDER BY id DESC LIMIT 1"
    row = con.execute(sql).fetchone()
    posts = con.execute("SELECT count(*) FROM posts").fetchone()[0]
    con.close()
    return dict(zip(("new", "updated", "unchanged", "skipped", "failed"), row, strict=True)) | {"posts": posts}


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def bench_ingest(source: Path, tweets: int, runs: int) -> dict[str, object]:
    """Each run times the floor, then `vigil ingest` into a fresh workspace, the same again, and the ingest with no
    enricher, back to back: a ratio compares two runs made under the same load (this machine's speed drifts)."""
    floor_db = OUT / f"floor-{tweets}.db"
    floors, firsts, agains, bare, counts = [], [], [], [], []
    ws = OUT / f"ws-{tweets}"
    for _ in range(runs):
        floors.append(run_measured([sys.executable, str(HERE / "floor.py"), str(source), str(floor_db)]))
        fresh(ws)
        firsts.append(run_measured([str(BIN / "vigil"), "ingest", "-w", str(ws), str(source)]))
        first_counts = last_capture(ws)
        agains.append(run_measured([str(BIN / "vigil"), "ingest", "-w", str(ws), str(source)]))
        counts.append((first_counts, last_capture(ws)))
        code = (  # the same command with no enricher registered: what triage costs
            "import sys; from vigil import plugins; plugins.enrichers = lambda: []; from vigil.cli.main import run; "
            f"sys.argv = ['vigil', 'ingest', '-w', {str(fresh(ws))!r}, {str(source)!r}]; run()"
        )
        bare.append(run_measured([sys.executable, "-c", code]))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{floor_db}{suffix}").unlink(missing_ok=True)
    med = statistics.median
    pairs = [i["wall"] / f["wall"] for f, i in zip(floors, firsts, strict=True)]
    return {
        "bare_s": med(r["wall"] for r in bare),
        "tweets": tweets,
        "floor_s": med(r["wall"] for r in floors),
        "ingest_s": med(r["wall"] for r in firsts),
        "ratio": med(pairs),  # the median of the ratios of runs made back to back
        "bare_ratio": med(b["wall"] / f["wall"] for f, b in zip(floors, bare, strict=True)),
        "reingest_s": med(r["wall"] for r in agains),
        "reingest_ratio": med(a["wall"] / i["wall"] for i, a in zip(firsts, agains, strict=True)),
        "ingest_cpu_s": med(r["cpu"] for r in firsts),
        "floor_cpu_s": med(r["cpu"] for r in floors),
        "bare_cpu_s": med(r["cpu"] for r in bare),
        "rss_main_mb": max(r["rss_main_mb"] for r in firsts),
        "rss_worker_mb": max(r["rss_worker_mb"] for r in firsts),
        "rss_max_mb": max(r["rss_max_mb"] for r in firsts),
        "rss_tree_mb": max(r["rss_tree_mb"] for r in firsts),
        "workers": max(r["workers"] for r in firsts),
        "ingest_cpu_main_s": med(r["cpu_main"] for r in firsts),
        "first": counts[-1][0],
        "again": counts[-1][1],
        "runs": runs,
        "all_ingest_s": [round(r["wall"], 2) for r in firsts],
        "all_floor_s": [round(r["wall"], 2) for r in floors],
        "all_ratios": [round(r, 2) for r in pairs],
        "all_reingest_s": [round(r["wall"], 2) for r in agains],
        "all_bare_s": [round(r["wall"], 2) for r in bare],
    }


def _p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def _timed_search(ws: object, query: str, f: object, fresh: bool) -> tuple[float, float, object]:
    """Wall and CPU seconds of one search() call (after dropping pooled connections when fresh), and its hits."""
    from vigil.store.queries import search

    if fresh:  # what one `vigil search` process finds: the OS page cache warm, SQLite's own cache empty
        ws.engine.dispose()  # type: ignore[attr-defined]
    w0, c0 = time.perf_counter(), time.thread_time()
    hits = search(ws, query, f, limit=20)  # type: ignore[arg-type]
    return time.perf_counter() - w0, time.thread_time() - c0, hits


def bench_search(ws_path: Path, rounds: int = 20) -> dict[str, object]:
    """`vigil search` in-process: the query function the command calls, p50/p95 per query and over all of them."""
    from vigil.store.engine import open_workspace
    from vigil.store.queries import PostFilter

    ws = open_workspace(ws_path, create=False)
    filtered = {"trapped": PostFilter(since="2026-03-02", until="2026-03-03")}
    cases: list[tuple[str, object]] = [(q, None) for q in QUERIES] + list(filtered.items())
    for q, f in cases:  # warm the OS page cache as a desk's second query would find it
        _timed_search(ws, q, f, fresh=False)
    per: dict[str, dict[str, list[float]]] = {}
    info: dict[str, object] = {}
    for fresh in (False, True):
        for q, f in cases:  # each query's rounds back to back; queries do not evict each other's pages between rounds
            key = ("filtered: " if f else "") + q + (" (fresh connection)" if fresh else "")
            walls, cpus = per.setdefault(key, {"wall": [], "cpu": []}).values()
            for _ in range(rounds):
                wall, cpu, hits = _timed_search(ws, q, f, fresh)
                walls.append(wall * 1000)
                cpus.append(cpu * 1000)
            info[key] = {"hits": len(hits), "ranked": hits.ranked, "matches": hits.matches}  # type: ignore[attr-defined]
    with ws.engine.connect() as conn:
        posts = conn.exec_driver_sql("SELECT count(*) FROM posts").scalar_one()
    ws.close()
    warm = [t for k, v in per.items() if not k.startswith("filtered") and "fresh" not in k for t in v["wall"]]
    fresh_all = [t for k, v in per.items() if not k.startswith("filtered") and "fresh" in k for t in v["wall"]]
    cpu = [t for k, v in per.items() if not k.startswith("filtered") and "fresh" not in k for t in v["cpu"]]
    flt = [t for k, v in per.items() if k.startswith("filtered") and "fresh" not in k for t in v["wall"]]
    return {
        "posts": posts,
        "p50_ms": statistics.median(warm),
        "p95_ms": _p95(warm),
        "max_ms": max(warm),
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": _p95(cpu),
        "fresh_p50_ms": statistics.median(fresh_all),
        "fresh_p95_ms": _p95(fresh_all),
        "filtered_p95_ms": _p95(flt),
        "queries": len(QUERIES),
        "rounds": rounds,
        "per_query": {
            k: info[k] | {"p50_ms": round(statistics.median(v["wall"]), 1), "p95_ms": round(_p95(v["wall"]), 1),
                          "cpu_p50_ms": round(statistics.median(v["cpu"]), 1)}
            for k, v in per.items()
        },
    }  # fmt: skip


def search_table(s: dict) -> str:
    """Per query: how many posts matched, how many were ranked, wall p50/p95 and CPU p50."""
    lines = ["| search query | matches | ranked | p50 ms | p95 ms | CPU p50 ms |", "|---|---:|---:|---:|---:|---:|"]
    for q, r in s["per_query"].items():
        matches = f"{r['matches']:,}" if r["matches"] else "-"
        ranked = f"newest {r['ranked']:,}" if r["ranked"] else "all"
        lines.append(f"| `{q}` | {matches} | {ranked} | {r['p50_ms']} | {r['p95_ms']} | {r['cpu_p50_ms']} |")
    return "\n".join(lines)


def bench_help(runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "vigil"), "--help"], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def table(res: dict[str, object]) -> str:
    ing: dict = res["ingest"]  # type: ignore[assignment]
    n_posts = ing["first"]["new"]
    k = f"{ing['tweets'] // 1000}k"
    cores = os.cpu_count() or 1

    def per(cpu_s: float) -> float:
        """Microseconds of CPU per post stored."""
        return cpu_s / n_posts * 1e6

    rows = [
        (f"Ingest {k} tweets: the floor (parse, keep raw JSON, FTS5; one transaction)", f"{ing['floor_s']:.1f} s", ""),
        (f"Ingest {k} tweets: `vigil ingest`, fresh workspace, end to end", f"{ing['ingest_s']:.1f} s",
         f"{n_posts:,} posts stored"),
        ("Ratio vigil / floor (median over runs made back to back)", f"{ing['ratio']:.2f}×",
         "target ≤ 4×; runs: " + " / ".join(f"{r:.2f}×" for r in ing["all_ratios"])),
        ("Posts per second (posts stored / wall time)", f"{n_posts / ing['ingest_s']:,.0f}", "target ≥ 13,000"),
        ("Tweets per second (tweets in `data` / wall time)", f"{ing['tweets'] / ing['ingest_s']:,.0f}", ""),
        ("CPU: all processes / the main (writing) process", f"{ing['ingest_cpu_s']:.1f} s / "
         f"{ing['ingest_cpu_main_s']:.1f} s", f"{ing['workers']} worker process(es) parse and triage"),
        ("CPU per post: the floor / `vigil ingest` / with no enricher",
         f"{per(ing['floor_cpu_s']):.0f} / {per(ing['ingest_cpu_s']):.0f} / {per(ing['bare_cpu_s']):.0f} µs",
         f"13,000 posts/s on {cores} cores leaves at most {cores / 13_000 * 1e6:.0f} µs of CPU per post"),
        ("Peak RSS, main process / largest worker", f"{ing['rss_main_mb']:.0f} MB / {ing['rss_worker_mb']:.0f} MB",
         "target ≤ 400 MB"),
        ("Peak RSS of all ingest processes at once", f"{ing['rss_tree_mb']:.0f} MB", ""),
        ("Same, with no enricher registered (what triage costs)", f"{ing['bare_s']:.1f} s",
         f"{n_posts / ing['bare_s']:,.0f} posts/s; {ing['bare_ratio']:.2f}× the floor"),
        ("Re-ingest same file", f"{ing['reingest_s']:.1f} s",
         f"{ing['reingest_ratio']:.2f}× first run; new {ing['again']['new']}, "
         f"updated {ing['again']['updated']}"),
    ]  # fmt: skip
    full = res.get("full")
    if isinstance(full, dict):
        rows += [
            ("Ingest 1M: `vigil ingest`", f"{full['ingest_s']:.1f} s",
             f"{full['first']['new']:,} posts, {full['first']['new'] / full['ingest_s']:,.0f} posts/s"),
            ("Peak RSS 1M, main process / largest worker",
             f"{full['rss_main_mb']:.0f} MB / {full['rss_worker_mb']:.0f} MB", "target: same as 200k"),
            ("Peak RSS 1M, all ingest processes at once", f"{full['rss_tree_mb']:.0f} MB", "target: same as 200k"),
        ]  # fmt: skip
    watch = res.get("watch")
    if isinstance(watch, dict):
        rows.append(("`vigil watch` over 1M posts (20,000 voices; table of the 100 most at risk)",
                     f"{watch['wall']:.1f} s", f"peak RSS {watch['rss_mb']:.0f} MB"))  # fmt: skip
    for key, what in (
        ("voices", "`vigil voices -f jsonl` over 1M posts (20,000 voices, each with its count, first and last post)"),
        ("digest", "`vigil digest` over 1M posts, the whole period (HTML, 40 voice sections)"),
    ):
        got = res.get(key)
        if isinstance(got, dict):
            rows.append((what, f"{got['wall']:.1f} s", f"peak RSS {got['rss_mb']:.0f} MB"))
    s: dict = res["search"]  # type: ignore[assignment]
    rows += [
        (f"`vigil search` over {s['posts']:,} posts, in-process (p50 / p95)",
         f"{s['p50_ms']:.1f} / {s['p95_ms']:.1f} ms",
         f"{s['queries']} queries × {s['rounds']}; target p95 < 100 ms; CPU p50 / p95 {s['cpu_p50_ms']:.1f} / "
         f"{s['cpu_p95_ms']:.1f} ms"),
        ("`vigil search`, a fresh connection per query (p50 / p95)",
         f"{s['fresh_p50_ms']:.1f} / {s['fresh_p95_ms']:.1f} ms", "SQLite's page cache empty, as in a new process"),
        ("`vigil search` with a date filter (p95)", f"{s['filtered_p95_ms']:.1f} ms", ""),
        ("`vigil --help` wall time (median of 7)", f"{res['help_s'] * 1000:.0f} ms", "target < 500 ms"),
    ]  # fmt: skip
    lines = ["| measure | value | note |", "|---|---:|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines) + "\n\n" + search_table(s)


def main() -> None:
    ap = argparse.ArgumentParser(description="Vigil benchmarks")
    ap.add_argument("--tweets", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=int(os.environ.get("VIGIL_BENCH_RUNS", "1")))
    ap.add_argument("--full", action="store_true", default=os.environ.get("VIGIL_BENCH_FULL") == "1")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    print(f"generating {args.tweets:,} tweets (cached in {OUT}) …", file=sys.stderr)
    source = gen_twarc2.ensure(OUT, args.tweets, args.seed)
    res: dict[str, object] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}",
        "command": " ".join(["python bench/run.py", *sys.argv[1:]]),
    }
    print(f"ingest: floor vs vigil, {args.runs} run(s) …", file=sys.stderr)
    res["ingest"] = bench_ingest(source, args.tweets, args.runs)
    search_ws = OUT / f"ws-{args.tweets}"
    if args.full:
        big = 1_000_000
        print(f"generating {big:,} tweets …", file=sys.stderr)
        big_source = gen_twarc2.ensure(OUT, big, args.seed)
        print("ingest 1M …", file=sys.stderr)
        ws = fresh(OUT / f"ws-{big}")
        r = run_measured([str(BIN / "vigil"), "ingest", "-w", str(ws), str(big_source)])
        res["full"] = r | {"ingest_s": r["wall"], "first": last_capture(ws)}
        search_ws = ws
        print("watch over 1M …", file=sys.stderr)  # every voice's status: reads every post's time and labels
        w = run_measured([str(BIN / "vigil"), "watch", "-w", str(ws), "--as-of", "2026-03-07T00:00:00Z"])
        res["watch"] = {"wall": w["wall"], "rss_mb": w["rss_max_mb"]}
        print("voices and digest over 1M …", file=sys.stderr)  # the later stages must scale like ingest
        v = run_measured([str(BIN / "vigil"), "voices", "-w", str(ws), "-f", "jsonl"])
        res["voices"] = {"wall": v["wall"], "rss_mb": v["rss_max_mb"]}
        d = run_measured([str(BIN / "vigil"), "digest", "-w", str(ws), "-o", str(OUT / "digest-1m.html"),
                          "--as-of", "2026-03-07T00:00:00Z"])  # fmt: skip
        res["digest"] = {"wall": d["wall"], "rss_mb": d["rss_max_mb"]}
    print(f"search over {search_ws.name} …", file=sys.stderr)
    res["search"] = bench_search(search_ws)
    res["help_s"] = bench_help()
    (OUT / "results.json").write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{res['machine']}; {res['when']}; `{res['command']}`\n")
    print(table(res))


if __name__ == "__main__":
    main()
