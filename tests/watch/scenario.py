"""A week of a fictional siege (Kessa) written as real export files: 24 accounts in twarc2 JSONL, 6 Telegram channels.

Thirty voices, each with a role in the scenario and what the watch must say of it as of AS_OF:
- steady (10): post at 07, 10, 13, 16, 19, 22 UTC every day (nights of 9 hours): never silent;
- sparse (6): post at 08, 13, 18 (nights of 14 hours, longer than the 12-hour window): their nights are usual for them;
- outside (4): bios say they are abroad; each is quiet for two days: not at risk, no event;
- farewell (3), plea (3), first-hand attack (2): their last post says so, then silence (one plea voice comes back);
- unusual (2): a steady voice quiet for 30-36 hours mid-week, then back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2026, 5, 4, tzinfo=UTC)  # Monday
AS_OF = "2026-05-11T00:00:00Z"
STEADY_HOURS = (7, 10, 13, 16, 19, 22)
SPARSE_HOURS = (8, 13, 18)
FAREWELL = "This may be my last message. If I don't make it, goodbye and forgive me."
PLEA = "Please help us, we are trapped in the basement with children, send an ambulance to Olive Street."
ATTACK = "I saw the airstrike hit our street an hour ago, we heard the explosion and the houses shook."
ALIVE = "I'm alive. The network was down for a day."
DAILY = (
    "Morning in the shelter. Bread queue is long but calm today.",
    "Queue for water at the school again, third time this week.",
    "Children drawing on the walls of the classroom we sleep in.",
    "Charged the phones at the mosque generator, back online for a while.",
    "Evening tea with the neighbours on the stairs, the usual stories.",
    "Lights out soon, good night from our street.",
)
OUTSIDE_BIOS = (
    "Journalist based abroad, writing about Kessa.",
    "Writer in exile. Kessa is home.",
    "Kessa diaspora organiser.",
    "Analyst, abroad. Opinions mine.",
)


@dataclass
class Voice:
    """One voice of the scenario: its account, its posts (time, text) and what the watch must find."""

    key: str
    name: str
    platform: str  # twitter or telegram
    bio: str | None
    posts: list[tuple[datetime, str]] = field(default_factory=list)
    expect_silences: int = 0  # silence events as of AS_OF
    expect_returns: int = 0
    silent_now: bool = False
    last_label: str | None = None


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return START + timedelta(days=day, hours=hour, minutes=minute)


def _routine(hours: tuple[int, ...], minute: int, until: datetime | None = None) -> list[tuple[datetime, str]]:
    out = []
    for day in range(7):
        for i, h in enumerate(hours):
            t = _at(day, h, minute)
            if until is None or t <= until:
                out.append((t, DAILY[(day + i) % len(DAILY)]))
    return out


def voices() -> list[Voice]:
    """The thirty voices, in a fixed order."""
    out: list[Voice] = []
    for i in range(10):
        v = Voice(f"steady{i}", f"Steady Voice {i}", "telegram" if i >= 8 else "twitter", "Teacher in Kessa.")
        v.posts = _routine(STEADY_HOURS, i)
        out.append(v)
    for i in range(6):
        v = Voice(f"sparse{i}", f"Sparse Voice {i}", "telegram" if i >= 4 else "twitter", "Nurse, Kessa.")
        v.posts = _routine(SPARSE_HOURS, i)
        out.append(v)
    for i, bio in enumerate(OUTSIDE_BIOS):
        v = Voice(f"outside{i}", f"Outside Voice {i}", "twitter", bio)
        v.posts = [p for p in _routine(SPARSE_HOURS, i) if not _at(2, 0) <= p[0] < _at(4, 0)]  # two quiet days
        out.append(v)
    # the last post and when: farewell, plea, first-hand attack
    endings = [
        ("farewell0", "twitter", _at(2, 19), FAREWELL, "farewell"),  # silent 101 h at AS_OF
        ("farewell1", "twitter", _at(4, 13), FAREWELL, "farewell"),  # 59 h
        ("farewell2", "telegram", _at(5, 16), FAREWELL, "farewell"),  # 32 h
        ("plea0", "twitter", _at(1, 10), PLEA, "plea"),  # 134 h: longer than every farewell, ranked below them
        ("plea2", "telegram", _at(5, 10), PLEA, "plea"),  # 38 h
        ("attack0", "twitter", _at(4, 7), ATTACK, "attack"),  # 65 h
        ("attack1", "twitter", _at(6, 7), ATTACK, "attack"),  # 17 h
    ]
    for key, platform, when, text, label in endings:
        v = Voice(key, key.capitalize(), platform, "Living in Kessa.")
        v.posts = [*_routine(STEADY_HOURS, 30, when - timedelta(hours=1)), (when, text)]
        v.expect_silences, v.silent_now, v.last_label = 1, True, label
        out.append(v)
    back = Voice("plea1", "Plea1", "twitter", "Living in Kessa.")  # a plea, 30 hours of silence, then back
    plea_at, alive_at = _at(3, 19), _at(5, 1)
    back.posts = [
        *[p for p in _routine(STEADY_HOURS, 30) if p[0] < plea_at or p[0] > alive_at],
        (plea_at, PLEA),
        (alive_at, ALIVE),
    ]
    back.posts.sort()
    back.expect_silences = back.expect_returns = 1
    out.append(back)
    for i, (gone, again) in enumerate([(_at(2, 22), _at(4, 10)), (_at(3, 13), _at(4, 19))]):
        v = Voice(f"unusual{i}", f"Unusual Voice {i}", "twitter", "Engineer in Kessa.")
        v.posts = [p for p in _routine(STEADY_HOURS, 45) if not gone < p[0] < again]
        v.expect_silences = v.expect_returns = 1
        out.append(v)
    return out


def _z(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_twarc2(path: Path, vs: list[Voice]) -> None:
    """The X voices' posts as twarc2 search pages of up to 100 tweets, newest first, with includes.users."""
    users = {v.key: 4_000_000 + i for i, v in enumerate(vs)}
    tweets = []
    for v in vs:
        if v.platform != "twitter":
            continue
        for n, (t, text) in enumerate(v.posts):
            tid = str(1_900_000_000_000_000_000 + users[v.key] * 1000 + n)
            tweets.append((t, v, {"id": tid, "text": text, "author_id": str(users[v.key]), "created_at": _z(t)}))
    tweets.sort(key=lambda x: x[0], reverse=True)
    with path.open("w", encoding="utf-8") as fh:
        for start in range(0, len(tweets), 100):
            page = tweets[start : start + 100]
            authors = {v.key: v for _, v, _ in page}
            body = {
                "data": [t for _, _, t in page],
                "includes": {
                    "users": [
                        {"id": str(users[k]), "username": k, "name": v.name, "description": v.bio or ""}
                        for k, v in authors.items()
                    ]
                },
                "meta": {"result_count": len(page)},
                "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.14.0"},
            }
            fh.write(json.dumps(body, ensure_ascii=False) + "\n")


def write_telegram(folder: Path, v: Voice, channel_id: int) -> None:
    """One channel's Telegram Desktop export (result.json), dates in the exporting computer's local time (UTC+3)."""
    folder.mkdir(parents=True, exist_ok=True)
    messages = []
    for n, (t, text) in enumerate(v.posts, 1):
        local = (t + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S")
        messages.append(
            {
                "id": n,
                "type": "message",
                "date": local,
                "date_unixtime": str(int(t.timestamp())),
                "from": v.name,
                "from_id": f"channel{channel_id}",
                "text": text,
                "text_entities": [{"type": "plain", "text": text}],
            }
        )
    body = {"name": v.name, "type": "public_channel", "id": channel_id, "messages": messages}
    (folder / "result.json").write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")


def write_scenario(root: Path) -> tuple[list[Voice], list[Path]]:
    """Write the scenario's files under root; return the voices and the sources to ingest."""
    vs = voices()
    root.mkdir(parents=True, exist_ok=True)
    sources = [root / "kessa-search.jsonl"]
    write_twarc2(sources[0], vs)
    for i, v in enumerate(x for x in vs if x.platform == "telegram"):
        folder = root / f"telegram-{v.key}"
        write_telegram(folder, v, 2_100_000_000 + i)
        sources.append(folder)
    return vs, sources
