"""The floor: the least work an ingest can do — parse the twarc2 file, keep each tweet's raw JSON, index its text.

One SQLite transaction, the same pragmas and FTS5 tokenizer as a Vigil workspace, no normalising, no triage,
no history. `vigil ingest` is measured against this.

    python bench/floor.py bench/out/tweets-200000-seed7.jsonl bench/out/floor.db
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import msgspec


class _Tweet(msgspec.Struct):
    id: str
    text: str = ""


class _Includes(msgspec.Struct):
    tweets: list[msgspec.Raw] = []


class _Page(msgspec.Struct):
    data: list[msgspec.Raw] = []
    includes: _Includes = msgspec.field(default_factory=_Includes)


def run(source: Path, db: Path) -> int:
    """Load source into a fresh database at db; return the number of tweets stored."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    page_dec = msgspec.json.Decoder(_Page)
    tweet_dec = msgspec.json.Decoder(_Tweet)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA cache_size=-65536")
    con.execute("CREATE TABLE tweets(pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, raw BLOB NOT NULL)")
    con.execute("CREATE VIRTUAL TABLE tweets_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    seen: set[str] = set()
    pk = 0
    con.execute("BEGIN")
    with source.open("rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            page = page_dec.decode(line)
            rows, fts = [], []
            for item in [*page.data, *page.includes.tweets]:
                t = tweet_dec.decode(item)
                if t.id in seen:
                    continue
                seen.add(t.id)
                pk += 1
                rows.append((pk, t.id, bytes(item)))
                fts.append((pk, t.text))
            con.executemany("INSERT INTO tweets(pk, id, raw) VALUES (?, ?, ?)", rows)
            con.executemany("INSERT INTO tweets_fts(rowid, text) VALUES (?, ?)", fts)
    con.execute("COMMIT")
    con.close()
    return pk


def main() -> None:
    source, db = Path(sys.argv[1]), Path(sys.argv[2])
    t0 = time.perf_counter()
    n = run(source, db)
    print(f"{n} tweets in {time.perf_counter() - t0:.2f}s")


if __name__ == "__main__":
    main()
