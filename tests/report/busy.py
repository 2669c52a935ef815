"""A busy workspace for the digest: voices posting many times, with ties, reposts, edits, deletions and speakers."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from vigil.ingest.writer import CaptureWriter
from vigil.records import Author, Deletion, Metrics, Post, Record
from vigil.store.engine import Workspace
from vigil.watch.voices import attribute

LABELS = ("farewell", "plea", "attack", "casualties", "evacuation", "aid", "advice", "shortages")
PRIORITIES = ("critical", "high", "medium", "low", None)
START = datetime(2026, 3, 2, 5, 40, tzinfo=UTC)
AS_OF = "2026-03-06T12:00:00Z"
# name -> (posts, triaged): "quiet" has no triage at all, so its quotes are its most read posts and its last
VOICES = {"amal": (70, True), "basil": (40, True), "carla": (25, True), "quiet": (30, False), "dana": (3, True)}


def _post(rng: random.Random, handle: str, i: int, triaged: bool) -> Post:
    at = START + timedelta(minutes=70 * (i // 3))  # three posts share each moment: ties in time
    enrichment: dict[str, object] = {}
    if triaged:
        enrichment = {
            "labels": rng.sample(LABELS, rng.randint(0, 2)),
            "priority": rng.choice(PRIORITIES),
            "places": rng.choice([[], ["port"], ["market", "port"], [{"name": "school"}], [{"x": 1}, "port"]]),
            "eyewitness": rng.choice([True, False, 0.7]),
        }
    repost = i % 7 == 3
    reach = rng.choice([None, 0, 10, 10, 50, 50, 900])  # ties in reach too
    return Post(
        platform="twitter",
        id=f"{handle}-{i}",
        kind="repost" if repost else "post",
        author=Author(id=f"id-{handle}", handle=handle, name=handle.capitalize()),
        created_at=at,
        text=f"{handle} post {i}\nline two",
        url=f"https://x.com/{handle}/status/{i}",
        repost_of=f"twitter:other-{i}" if repost else None,
        metrics=Metrics(likes=reach, shares=rng.choice([None, 1]), views=None),
        enrichment=enrichment,
    )


def _write(ws: Workspace, records: list[Record], source: str) -> None:
    for r in records:
        if isinstance(r, Post):
            r.raw = json.dumps([r.id, r.text]).encode()
    raw = json.dumps(source).encode()
    w = CaptureWriter(ws, source, "fixture", None, len(raw))
    w.write(records)
    w.finish()


def load_busy(ws: Workspace, seed: int = 7) -> None:
    """Write the busy workspace: posts, an edit, deletions, a post with no account, and speakers attributed."""
    rng = random.Random(seed)
    posts = [_post(rng, h, i, triaged) for h, (n, triaged) in VOICES.items() for i in range(n)]
    orphan = Post(platform="twitter", id="orphan", created_at=START + timedelta(hours=5), text="no account")
    orphan.enrichment = {"labels": ["attack"], "priority": "high", "places": ["port"]}
    _write(ws, [*posts, orphan], "day1.jsonl")
    edited = [p for p in posts if p.id in ("amal-4", "basil-10", "carla-0")]
    for p in edited:
        p.text += " (corrected)"
        p.edited_at = START + timedelta(days=2)
    gone = ("amal-8", "basil-12", "carla-20", "amal-60")
    _write(ws, [*edited, *(Deletion(uid=f"twitter:{u}", at=START + timedelta(days=2)) for u in gone)], "day3.jsonl")
    attribute(ws, "twitter:basil-5", "amal")  # amal speaks in a post by basil
    attribute(ws, "twitter:carla-7", "Dr Nadia", create=True)  # a speaker with no account of her own
    attribute(ws, "twitter:amal-9", "Dr Nadia")
