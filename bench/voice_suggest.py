"""`vigil voice suggest` at scale: a workspace of ~20,000 X accounts (twarc2, up to 1M posts) and Telegram channels.

The channels carry names of X accounts written the ways people write them across platforms ("Dr Amal 5 | د. Amal
5", "Amal 5 (official)", "Amal 5 - channel"), in one full Telegram Desktop export (`chats.list`). The workspace is
built once (reused when it exists); then `vigil voice suggest` runs in a child process and the script prints its
wall time, CPU time and peak RSS.

    nice -n 10 python bench/voice_suggest.py --tweets 1000000 --out bench/out
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_twarc2  # noqa: E402

VIGIL = [sys.executable, "-c", "from vigil.cli.main import run; run()"]


def write_channels(path: Path, channels: int, seed: int) -> Path:
    """A full Telegram export: `channels` public channels named after X accounts, five messages each."""
    users = gen_twarc2.Generator(seed).users
    chats = []
    for i in range(channels):
        user = users[(i * 9973) % len(users)]
        name = str(user["name"])
        shown = (f"Dr {name} | د. {name}", f"{name} (official)", f"{name} - channel")[i % 3]
        cid = 3_000_000_000 + i
        messages = [
            {
                "id": n,
                "type": "message",
                "date": f"2026-03-0{1 + n}T10:00:00",
                "date_unixtime": str(1772359200 + n * 86400 + i),
                "from": shown,
                "from_id": f"channel{cid}",
                "text": f"Update {n} from the shelter: water for two more days.",
                "text_entities": [],
            }
            for n in range(1, 6)
        ]
        chats.append({"name": shown, "type": "public_channel", "id": cid, "messages": messages})
    path.mkdir(parents=True, exist_ok=True)
    body = {"about": "bench", "chats": {"about": "", "list": chats}}
    (path / "result.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def build(ws: Path, out: Path, tweets: int, channels: int, seed: int) -> None:
    """Ingest the twarc2 file and the channels into a new workspace."""
    src = gen_twarc2.ensure(out, tweets, seed)
    tg = write_channels(out / f"telegram-{channels}-seed{seed}", channels, seed)
    t0 = time.perf_counter()
    subprocess.run([*VIGIL, "ingest", str(src), str(tg), "--workspace", str(ws)], check=True)
    print(f"built {ws} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def measure(ws: Path) -> dict[str, float]:
    """Run `vigil voice suggest` as a desk would (the 100 most likely shown): wall and CPU seconds, peak RSS (MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*VIGIL, "voice", "suggest", "--workspace", str(ws)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.stdout is not None
    text = proc.stdout.read().decode()
    found = re.search(r"of ([\d,]+) links", text)
    lines = int(found.group(1).replace(",", "")) if found else sum(1 for x in text.splitlines() if x[:1].isdigit())
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"vigil voice suggest failed ({status})")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "suggestions": lines,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tweets", type=int, default=1_000_000)
    ap.add_argument("--channels", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--workspace", type=Path, help="default: <out>/voices-<tweets>-<channels>")
    args = ap.parse_args()
    ws = args.workspace or args.out / f"voices-{args.tweets}-{args.channels}"
    if not (ws / "vigil.db").exists():
        build(ws, args.out, args.tweets, args.channels, args.seed)
    import sqlite3

    with sqlite3.connect(ws / "vigil.db") as db:
        accounts = db.execute("SELECT count(*) FROM accounts").fetchone()[0]
        posts = db.execute("SELECT count(*) FROM posts").fetchone()[0]
    got = measure(ws)
    print(
        f"vigil voice suggest: {accounts:,} accounts, {posts:,} posts: {got['wall_s']:.1f} s wall, "
        f"{got['cpu_s']:.1f} s CPU, peak RSS {got['rss_mb']:.0f} MB, {got['suggestions']:,} suggestions"
    )


if __name__ == "__main__":
    main()
