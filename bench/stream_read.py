"""Peak memory of `vigil ingest` on large one-document files: each is written (~1 GB by default) and ingested.

Shapes: a full Telegram Desktop account export (`result.json`: contacts, then `chats.list[].messages`,
pretty-printed as Telegram writes it), a `yt-dlp -J` dump of a channel (one line, `entries` of full video info
dicts), and a Twitter v1.1 `search/tweets.json` response (`{"statuses": [...], "search_metadata": ...}`).
Each is ingested by `vigil ingest` in a fresh workspace under `/usr/bin/time`, which gives the peak RSS of the
largest process (the reader's worker or the writer) and the CPU time of all of them. The target: every peak under
1,024 MiB. Files and workspaces are written to a temporary folder (default /tmp) and removed afterwards.

    nice -n 10 python bench/stream_read.py                    # every shape, ~1 GB each
    python bench/stream_read.py --mb 100 telegram             # one shape, smaller
    python bench/stream_read.py --reader --mb 300             # the importer alone, streamed and read whole
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

VIGIL = Path(sys.executable).parent / "vigil"
TARGET_MIB = 1024
ARABIC = "نحن بخير، الماء مقطوع منذ يومين والطريق إلى المستشفى مغلق. "
ENGLISH = "Route open on Coast Road until 14:00; the bridge is closed from the east side. "


def _fill(fh, items: Iterator[str], size: int, sep: str) -> int:
    """Write items separated by sep until the file holds about size bytes; the number written."""
    n = 0
    written = fh.tell()
    for item in items:
        if n:
            fh.write(sep)
        fh.write(item)
        written += len(item.encode()) + len(sep)
        n += 1
        if written >= size:
            break
    return n


def telegram(path: Path, size: int) -> int:
    """A full account export: contacts before 40 chats, each a few thousand channel posts (indent 1)."""

    def messages(chat: int) -> Iterator[str]:
        for i in range(1, 1 << 30):
            text = [ENGLISH * 6, {"type": "hashtag", "text": "#NorthGate"}, " ", ARABIC * 8 + str(i)]
            msg = {
                "id": i,
                "type": "message",
                "date": "2026-03-01T14:05:09",
                "date_unixtime": str(1772366709 + i),
                "from": f"Channel {chat}",
                "from_id": f"channel{chat}",
                "text": text,
                "text_entities": [{"type": "plain", "text": ENGLISH * 6}, {"type": "hashtag", "text": "#NorthGate"}],
            }
            if i % 10 == 0:
                msg["photo"] = f"photos/photo_{i}.jpg"
            yield json.dumps(msg, ensure_ascii=False, indent=1).replace("\n", "\n    ")

    contacts = [{"user_id": i, "first_name": f"Contact {i}", "phone_number": f"+1555{i:07d}"} for i in range(5_000)]
    head = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 1, "first_name": "Bench", "phone_number": "+15550000000"},
        "contacts": {"about": "Contacts", "list": contacts},
        "frequent_contacts": {"about": "Frequent", "list": [{"id": 9, "category": "people", "rating": 1.5}]},
    }
    n = 0
    chats = 40
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "chats": {\n  "about": "x",\n  "list": [\n')
        for c in range(1, chats + 1):
            cid = 1_500_000_000 + c
            fh.write(f'   {{\n    "name": "Channel {c}",\n    "type": "public_channel",\n    "id": {cid},\n')
            fh.write('    "messages": [\n    ')
            n += _fill(fh, messages(cid), size * c // chats, ",\n    ")
            fh.write("\n    ]\n   }" + (",\n" if c < chats else "\n"))
        fh.write('  ]\n },\n "left_chats": {\n  "about": "x",\n  "list": []\n }\n}\n')
    return n


def ytdlp(path: Path, size: int) -> int:
    """`yt-dlp -J` of a channel: one line, `_type` then `entries` of full video info dicts (formats and all)."""

    def entries() -> Iterator[str]:
        for i in range(1, 1 << 30):
            vid = f"v{i:010d}"
            formats = [
                {
                    "format_id": str(f),
                    "ext": "mp4",
                    "url": f"https://rr{f}.example/videoplayback?id={vid}&itag={f}&sig=" + "x" * 200,
                    "width": 256 * f,
                    "height": 144 * f,
                    "tbr": 100.5 * f,
                    "http_headers": {"User-Agent": "Mozilla/5.0", "Accept": "*/*"},
                }
                for f in range(1, 25)
            ]
            info = {
                "id": vid,
                "title": f"Report {i} from the north gate",
                "formats": formats,
                "description": ENGLISH * 4 + ARABIC * 4,
                "uploader": "Harbor Voices",
                "uploader_id": "@harborvoices",
                "channel_id": "UCharborvoices000000001",
                "channel": "Harbor Voices",
                "timestamp": 1772366709 + i,
                "view_count": i,
                "tags": ["harbor", "water"],
                "webpage_url": f"https://www.youtube.com/watch?v={vid}",
                "extractor": "youtube",
                "extractor_key": "Youtube",
                "_type": "video",
            }
            yield json.dumps(info, ensure_ascii=False)

    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"id": "UCharborvoices000000001", "title": "Harbor Voices - Videos", "_type": "playlist", ')
        fh.write('"entries": [')
        n = _fill(fh, entries(), size, ", ")
        fh.write('], "extractor_key": "YoutubeTab", "webpage_url": "https://www.youtube.com/@harborvoices/videos"}')
    return n


def twitter_v1(path: Path, size: int) -> int:
    """A v1.1 search/tweets.json response: compact, `statuses` of full tweets with their users and entities."""

    def statuses() -> Iterator[str]:
        for i in range(1, 1 << 30):
            user = {
                "id": 7 + i % 5000,
                "id_str": str(7 + i % 5000),
                "name": f"Voice {i % 5000}",
                "screen_name": f"voice{i % 5000}",
                "description": ENGLISH,
                "followers_count": i,
                "profile_image_url_https": "https://pbs.example/profile_images/1/x_normal.jpg",
            }
            tweet = {
                "created_at": "Mon Apr 13 19:31:45 +0000 2026",
                "id": 1779000000000000000 + i,
                "id_str": str(1779000000000000000 + i),
                "full_text": (ENGLISH + ARABIC)[: 200 + i % 80] + f" #{i % 50}",
                "truncated": False,
                "entities": {"hashtags": [{"text": str(i % 50), "indices": [0, 3]}], "user_mentions": [], "urls": []},
                "metadata": {"iso_language_code": "en", "result_type": "recent"},
                "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
                "user": user,
                "retweet_count": i % 7,
                "favorite_count": i % 11,
                "lang": "en",
            }
            yield json.dumps(tweet, ensure_ascii=False)

    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"statuses": [')
        n = _fill(fh, statuses(), size, ",")
        fh.write('], "search_metadata": {"count": 100, "query": "%23NorthGate"}}')
    return n


SHAPES: dict[str, tuple[str, Callable[[Path, int], int]]] = {
    "telegram": ("result.json", telegram),
    "ytdlp": ("channel.json", ytdlp),
    "twitter_v1": ("search_tweets.json", twitter_v1),
}


def ingest(path: Path, workspace: Path) -> tuple[float, float, float, str]:
    """Peak RSS (MiB) of the largest process, CPU seconds, wall seconds, and the summary line."""
    cmd = ["/usr/bin/time", "-f", "TIME %M %U %S %e", str(VIGIL), "ingest", "-w", str(workspace), str(path)]
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    timing = [ln for ln in done.stderr.splitlines() if ln.startswith("TIME ")][-1].split()
    summary = [ln.strip() for ln in (done.stdout + done.stderr).splitlines() if "post" in ln.lower()][-1:]
    return int(timing[1]) / 1024, float(timing[2]) + float(timing[3]), float(timing[4]), " ".join(summary)


READER = """
import resource, sys, time
from pathlib import Path
import vigil.sources.base as base
import vigil.sources.telegram.importer as telegram
import vigil.sources.ytdlp.importer as ytdlp
from vigil.sources.twitter_v1.importer import TwitterV1Importer
if sys.argv[3] == "whole":
    base.STREAM_BYTES = telegram.STREAM_BYTES = ytdlp.STREAM_BYTES = 1 << 62
    base.MAX_LINE = 1 << 62
importer = {"telegram": telegram.TelegramImporter, "ytdlp": ytdlp.YtDlpImporter, "twitter_v1": TwitterV1Importer}
cpu = time.process_time()
n = sum(1 for _ in importer[sys.argv[1]]().iter_records(Path(sys.argv[2]), base.ImportOptions()))
cpu = time.process_time() - cpu
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, cpu)
"""


def read_only(name: str, path: Path, how: str) -> tuple[int, float, float]:
    """Records, peak RSS (MiB) and CPU seconds of the importer alone reading the file (`streamed` or `whole`)."""
    out = subprocess.run([sys.executable, "-c", READER, name, str(path), how], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    n, rss, cpu = out.stdout.split()
    return int(n), float(rss), float(cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shapes", nargs="*", help=f"shapes to measure: {', '.join(SHAPES)} (default: all)")
    ap.add_argument("--mb", type=int, default=1000, help="size of each file in MB (default 1000)")
    ap.add_argument("--dir", default=tempfile.gettempdir(), help="where files and workspaces go (default /tmp)")
    ap.add_argument("--reader", action="store_true", help="time the importer alone, streamed and read whole")
    args = ap.parse_args()
    unknown = set(args.shapes) - set(SHAPES)
    if unknown:
        ap.error(f"unknown shape {', '.join(sorted(unknown))}: choose among {', '.join(SHAPES)}")
    rows = []
    for name in args.shapes or list(SHAPES):
        folder = Path(tempfile.mkdtemp(prefix=f"vigil-stream-{name}-", dir=args.dir))
        try:
            filename, write = SHAPES[name]
            path = folder / filename
            items = write(path, args.mb * 1_000_000)
            size = path.stat().st_size / (1 << 20)
            if args.reader:
                for how in ("streamed", "whole"):
                    n, rss, cpu = read_only(name, path, how)
                    rows.append(f"| {name} | {size:,.0f} MiB | {how} | {n:,} records | {rss:,.0f} MiB | {cpu:.1f} s |")
                    print(rows[-1])
                continue
            peak, cpu, wall, summary = ingest(path, folder / "ws")
            met = "yes" if peak < TARGET_MIB else "NO"
            cells = [name, f"{size:,.0f} MiB", f"{items:,}", f"{peak:,.0f} MiB", f"{cpu:.0f} s", f"{wall:.0f} s", met]
            rows.append("| " + " | ".join(cells) + " |")
            print(f"stream_read: {name}: {size:,.0f} MiB, {items:,} items -> peak {peak:,.0f} MiB, CPU {cpu:.0f} s")
            print(f"stream_read:   {summary}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.reader:
        print("| shape | file | read | records | peak RSS | CPU |\n|---|---:|---|---:|---:|---:|")
    else:
        print("| shape | file | items | peak RSS | CPU | wall | < 1,024 MiB |\n|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
