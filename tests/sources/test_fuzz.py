"""Seeded mutation fuzzing over every importer's fixtures: no exception escapes, good records survive a bad
neighbour, and re-ingesting a damaged file adds nothing.

Bounded by VIGIL_FUZZ_SECONDS over all importers (about half a minute in `make test`; `make fuzz` runs longer).
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.plugins import importers
from vigil.records import Post, Problem, Record
from vigil.sources.base import ImportOptions
from vigil.sources.guard import Internal, guarded
from vigil.store.engine import open_workspace

BUDGET = float(os.environ.get("VIGIL_FUZZ_SECONDS", "32"))
SEED = int(os.environ.get("VIGIL_FUZZ_SEED", "16"))
FORMATS = ("twarc2", "twitter_v1", "mastodon", "bluesky", "telegram", "x_archive", "ytdlp", "csv")
LINE_FORMATS = ("twarc2", "twitter_v1", "mastodon", "bluesky")
SHAPE_FIXTURES = {"mastodon": ("archive/outbox.json",), "ytdlp": ("dump_single_json/playlist.json",)}
REINGEST_EVERY = 25  # mutants that are also ingested twice into a real workspace


def _insert(data: bytes, rng: random.Random, piece: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at:]


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    lambda d, r: _insert(d, r, b"\x00"),
    lambda d, r: _insert(d, r, bytes([r.randrange(0x80, 0x100)])),  # a byte that is not UTF-8 on its own
    lambda d, r: _insert(d, r, b"NaN"),
    lambda d, r: _insert(d, r, b"\\ud83d"),
    lambda d, r: _insert(d, r, b"99999999999999999999"),
    lambda d, r: _insert(d, r, b"1e308"),
    lambda d, r: _insert(d, r, r.choice([b"{", b"}", b"[", b"]", b",", b'"', b":", b"\n"])),
    lambda d, r: d[: r.randrange(len(d) + 1)],  # truncated
    lambda d, r: (lambda a, b: d[:a] + d[b:])(*sorted((r.randrange(len(d) + 1), r.randrange(len(d) + 1)))),
    lambda d, r: (
        (lambda a: d[:a] + bytes([d[a] ^ (1 << r.randrange(8))]) + d[a + 1 :])(r.randrange(len(d))) if d else d
    ),
    lambda d, r: d.replace(b'"9', b"9", 1).replace(b'": "', b'": 7, "x": "', 1),  # wrong types
    lambda d, r: d.replace(b"2026-", b"9999-", 1),
]


def fixtures(fmt: str) -> list[Path]:
    """The sources of a format to mutate: its files (for a folder format, the file inside holding the records)."""
    root = DATA / fmt
    if fmt == "telegram":
        return sorted(root.rglob("result.json")) + sorted(root.glob("*.json"))
    if fmt == "x_archive":
        return sorted(root.rglob("tweets.js"))
    found = [p for p in sorted(root.iterdir()) if p.is_file() and p.suffix in (".json", ".jsonl", ".csv")]
    return found + [DATA / "shapes" / fmt / name for name in SHAPE_FIXTURES.get(fmt, ())]


def target_of(fmt: str, path: Path, work: Path) -> Path:
    """What is ingested for a mutated file: its archive or export folder for the folder formats."""
    if fmt == "x_archive" and path.parent.name == "data":
        return path.parent.parent
    if fmt == "telegram" and path.name == "result.json" and path.parent != work:
        return path.parent
    return path


def records(fmt: str, target: Path) -> list[Record]:
    """What ingest reads from target, through the same guard: an escaped exception shows as an Internal problem."""
    return list(guarded(importers()[fmt], target, ImportOptions(forced_format=fmt)))


def copy_source(src: Path, dest_root: Path) -> Path:
    """A copy of a fixture (with its folder, for folder formats) to mutate."""
    if src.parent.name == "data" or (src.name == "result.json" and src.parent != DATA / "telegram"):
        folder = src.parent.parent if src.parent.name == "data" else src.parent
        shutil.copytree(folder, dest_root / folder.name, dirs_exist_ok=True)
        return dest_root / folder.name / src.relative_to(folder)
    dest_root.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(src, dest_root / src.name))


def posts_by_uid(recs: list[Record]) -> dict[str, Post]:
    return {r.uid: r for r in recs if isinstance(r, Post)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_mutants_never_raise_and_good_lines_survive(fmt, tmp_path):
    rng = random.Random(f"{SEED}:{fmt}")
    sources = fixtures(fmt)
    assert sources, f"no fixtures for {fmt}"
    deadline = time.monotonic() + BUDGET / len(FORMATS)
    n = 0
    while time.monotonic() < deadline:
        src = sources[n % len(sources)]
        work = tmp_path / f"m{n}"
        path = copy_source(src, work)
        original = path.read_bytes()
        lines = original.split(b"\n")
        line_mode = fmt in LINE_FORMATS and path.suffix == ".jsonl" and len(lines) > 2
        if line_mode:  # damage one line: every post of the other lines must still come in
            k = rng.randrange(len(lines) - 1)
            lines[k] = rng.choice(MUTATIONS)(lines[k], rng).replace(b"\n", b" ")
            path.write_bytes(b"\n".join(lines))
        else:
            mutant = original
            for _ in range(rng.randint(1, 3)):
                mutant = rng.choice(MUTATIONS)(mutant, rng)
            path.write_bytes(mutant)
        target = target_of(fmt, path, work)
        recs = records(fmt, target)
        internal = [str(r) for r in recs if isinstance(r, Internal)]
        assert not internal, f"mutant {n} of {src.name} (seed {SEED}): {internal}"
        assert all(isinstance(r, Problem) or not isinstance(r, Exception) for r in recs)
        if line_mode:
            got = posts_by_uid(recs)
            for j, line in enumerate(lines):
                if j == k or not line.strip():
                    continue
                alone = work / f"line{j}.jsonl"
                alone.write_bytes(line + b"\n")
                for uid in posts_by_uid(records(fmt, alone)):
                    assert uid in got, f"mutant {n} of {src.name} line {k + 1} lost {uid} of line {j + 1}"
        if n % REINGEST_EVERY == 0:
            ws = open_workspace(work / "ws")
            try:
                opts = ImportOptions(forced_format=fmt)
                first = ingest(ws, [target], opts)
                again = ingest(ws, [target], opts)
                assert all(r.counts.new == 0 and r.counts.updated == 0 for r in again), (
                    f"mutant {n} of {src.name}: re-ingest changed {[(r.counts.new, r.counts.updated) for r in again]}"
                )
                assert sum(r.counts.posts for r in first) >= 0
            finally:
                ws.close()
        shutil.rmtree(work, ignore_errors=True)
        n += 1
    assert n > 0
