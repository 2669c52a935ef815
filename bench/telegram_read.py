"""Telegram reader throughput on a synthetic channel export: prints messages per CPU-second and peak memory.

The export (default 100,000 messages, about 50 MB) is written to a temporary folder and only read, not stored,
so the figure is the importer's own cost (msgspec decode, text pieces, times, media paths). An export over 64 MiB
is streamed message by message; `--whole` reads it as one document instead, for comparison:

    python bench/telegram_read.py 300000            # streamed (about 150 MB)
    python bench/telegram_read.py 300000 --whole    # held whole
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import vigil.sources.telegram.importer as telegram  # noqa: E402
from vigil.sources.base import ImportOptions  # noqa: E402


def write_export(folder: Path, n: int) -> Path:
    """A one-channel result.json with n messages: list-shaped texts, Arabic, every tenth with an absent photo."""
    with (folder / "result.json").open("w", encoding="utf-8") as fh:
        fh.write('{\n "name": "Bench Channel",\n "type": "public_channel",\n "id": 1,\n "messages": [\n')
        for i in range(1, n + 1):
            msg = {
                "id": i,
                "type": "message",
                "date": "2026-03-01T14:05:09",
                "date_unixtime": str(1772366709 + i),
                "from": "Bench Channel",
                "from_id": "channel1",
                "text": ["Route open: ", {"type": "bold", "text": "Coast Road"}, " ", {"type": "hashtag", "text": "#H"}]
                + [" نحن بخير، الماء مقطوع منذ يومين"],
                "text_entities": [{"type": "bold", "text": "Coast Road"}, {"type": "hashtag", "text": "#H"}],
            }
            if i % 10 == 0:
                msg["photo"] = f"photos/photo_{i}.jpg"
            fh.write(json.dumps(msg, ensure_ascii=False, indent=1) + (",\n" if i < n else "\n"))
        fh.write(" ]\n}\n")
    return folder / "result.json"


def main(n: int = 100_000, whole: bool = False) -> None:
    if whole:
        telegram.STREAM_BYTES = 1 << 62
    with tempfile.TemporaryDirectory() as tmp:
        result = write_export(Path(tmp), n)
        size = result.stat().st_size
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu = time.process_time()
        posts = sum(1 for _ in telegram.TelegramImporter().iter_records(Path(tmp), ImportOptions()))
        cpu = time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    how = "held whole" if whole or size <= telegram.STREAM_BYTES else "streamed"
    print(f"telegram_read: {n} messages ({size / 1e6:.0f} MB, {how}) -> {posts - 1} posts + 1 scope")
    print(f"telegram_read: {n / cpu:,.0f} messages per CPU-second ({cpu:.1f} s)")
    print(f"telegram_read: peak RSS {rss / 1024:.0f} MB (before reading {rss0 / 1024:.0f} MB)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--whole"]
    main(int(args[0]) if args else 100_000, whole="--whole" in sys.argv[1:])
