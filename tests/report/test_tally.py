from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from tests.report.busy import AS_OF, load_busy

from vigil.records import iso_z
from vigil.report import phrases as ph
from vigil.report.digest import MAX_BINS, build_digest
from vigil.report.quotes import FALLBACK_QUOTES, MAX_QUOTES, STORY_LABELS, Quote, QuoteReader, period_posts, pick_quotes
from vigil.report.tally import Candidate, VoiceTally
from vigil.store import schema
from vigil.store.deletions import deleted_posts
from vigil.store.queries import normalize_time_bound
from vigil.watch.silence import parse_as_of, watch
from vigil.watch.voices import find_voice


def _stream(rng: random.Random, n: int) -> list[Candidate]:
    """A voice's posts: few distinct moments, priorities and reaches, so ties are everywhere; some reposts."""
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    out = []
    for i in range(n):
        priority = rng.choice(("critical", "high", "medium", "low", None, None))
        significant = priority in ("critical", "high", "medium") or rng.random() < 0.05
        c = Candidate(
            i, i, f"p{i}", t0 + timedelta(minutes=rng.randint(0, 8)), significant, rng.choice((0, 5, 5, 9)), priority
        )
        c.repost = rng.random() < 0.2
        out.append(c)
    out.sort(key=lambda c: (c.at, c.n))  # the period's order: time, then pk
    for i, c in enumerate(out):
        c.n = i
    return out


@pytest.mark.parametrize("seed", range(300))
def test_a_voice_tally_keeps_what_pick_quotes_chooses_from_every_post(seed):
    rng = random.Random(seed)
    posts = _stream(rng, rng.choice((0, 1, 3, 6, 7, 12, 13, 14, 40, 200)))
    if rng.random() < 0.4:  # no triage: only the fallback (most read, and the last) applies
        for c in posts:
            c.significant, c.priority = False, None
    v = VoiceTally()
    for c in posts:
        v.add("twitter", None if c.repost else c)
    assert [c.n for c in v.chosen()] == [c.n for c in pick_quotes(posts)]
    assert v.posts == len(posts) and len(v.urgent) <= MAX_QUOTES + 1 and len(v.loudest) <= FALLBACK_QUOTES


def _reference(ws, kw: dict) -> dict:
    """What the digest showed before it streamed: every post of the period as a Quote, grouped in memory."""
    moment = parse_as_of(kw.get("as_of") or kw.get("until"))
    lo, hi = normalize_time_bound(kw.get("since")), normalize_time_bound(kw.get("until"), end=True) or iso_z(moment)
    zone = ph.parse_tz(kw.get("tz"))
    statuses = watch(ws, moment)
    names = {s.voice: s.name for s in statuses}
    with ws.engine.connect() as conn:
        for vid, name in conn.execute(sa.select(schema.voices.c.id, schema.voices.c.name)):
            names.setdefault(vid, name or f"voice {vid}")
        wanted = {find_voice(conn, k) for k in kw["voices"]} if kw.get("voices") else None
        reader = QuoteReader(zone, deleted_posts(ws, iso_z(moment)), names)
        quotes = reader.quotes(conn, conn.execute(period_posts(lo, hi)).all())
    if wanted is not None:
        quotes = [q for q in quotes if q.voice_id in wanted or q.speaker_id in wanted]
    by_voice: dict[int, list[Quote]] = defaultdict(list)
    for q in quotes:
        if q.voice_id is not None:
            by_voice[q.voice_id].append(q)
        if q.speaker_id is not None:
            by_voice[q.speaker_id].append(q)
    groups: dict[tuple, list[Quote]] = {}
    for q in quotes:
        if not q.repost and q.story_label and q.at:
            key = (q.at.astimezone(zone).date(), q.story_label, q.places[0] if q.places else None)
            groups.setdefault(key, []).append(q)
    stories: dict[date, list[tuple]] = defaultdict(list)
    for (day, label, place), qs in groups.items():
        voices = list({(q.speaker_id or q.voice_id or q.uid): None for q in qs})
        named = [
            next(q.speaker_name or q.voice_name for q in qs if (q.speaker_id or q.voice_id or q.uid) == w)
            for w in voices
        ]
        stories[day].append((STORY_LABELS.index(label) > 2, qs[0].at, f"{day}:{label}:{place or ''}", qs[0].uid, named))
    own = [q for q in quotes if not q.repost]
    return {
        "names": names,
        "quotes": quotes,
        "by_voice": by_voice,
        "stories": {d: [s[2:] for s in sorted(ss, key=lambda s: s[:2])] for d, ss in stories.items()},
        "per_day": Counter(q.at.astimezone(zone).date() for q in quotes if q.at),
        "figures": {
            "posts": len(quotes),
            "voices": len({q.voice_id for q in quotes}),
            "pleas": sum("plea" in q.labels for q in own),
            "farewells": sum("farewell" in q.labels for q in own),
            "deleted": sum(q.deleted is not None for q in quotes),
        },
    }


def _bins(quotes: list[Quote], since: datetime, until: datetime) -> list[tuple[datetime, Counter[str]]]:
    span = max(1.0, (until - since).total_seconds() / 3600)
    size = next(h for h in (1, 2, 3, 6, 12, 24, 48, 168) if span / h <= MAX_BINS or h == 168)
    start = since.replace(minute=0, second=0, microsecond=0)
    start -= timedelta(hours=start.hour % size) if size <= 24 else timedelta(0)
    n = int((until - start).total_seconds() // (size * 3600)) + 1
    bins: list[tuple[datetime, Counter[str]]] = [(start + timedelta(hours=i * size), Counter()) for i in range(n)]
    for q in quotes:
        i = int((q.at - start).total_seconds() // (size * 3600)) if q.at and not q.repost else -1
        if 0 <= i < n:
            bins[i][1][q.story_label or "other"] += 1
    return bins


VARIANTS = [
    {"as_of": AS_OF},
    {"as_of": AS_OF, "tz": "+05:30"},
    {"since": "2026-03-02T09:10:00Z", "until": "2026-03-03T02:00:00Z", "tz": "Europe/Kyiv"},
    {"since": "2026-03-03", "as_of": AS_OF},
    {"as_of": AS_OF, "voices": ["amal", "Dr Nadia"]},
    {"as_of": AS_OF, "voices": ["quiet"]},
    {"as_of": AS_OF, "max_voices": 3},
    {"until": "2026-03-02T10:00:00Z"},  # everyone still active: the unflagged go to "also posting"
]


@pytest.mark.parametrize("kw", VARIANTS, ids=[str(i) for i in range(len(VARIANTS))])
def test_the_digest_of_a_busy_workspace_is_what_every_post_in_memory_gives(ws, kw):
    load_busy(ws)
    d = build_digest(ws, **kw)
    ref = _reference(ws, kw)
    assert d.figures == {**ref["figures"], "silent now": d.figures["silent now"]}
    assert d.figures["posts"] > 0
    assert {day.day: day.posts for day in d.days if day.posts} == dict(ref["per_day"])
    assert {day.day: [(s.key, s.first.uid, s.voices) for s in day.stories] for day in d.days if day.stories} == ref[
        "stories"
    ]
    assert d.hourly == _bins(ref["quotes"], d.since, d.until)
    shown = []
    for v in d.voices:
        pts = ref["by_voice"][v.status.voice]
        assert [q.uid for q in v.quotes] == [q.uid for q in pick_quotes(pts)], v.name
        assert v.quotes == pick_quotes(pts)  # the same Quotes, field by field
        assert v.posts == len(pts) and v.platforms == ["X/Twitter"]
        if v.status.status != "speaker":
            assert v.points == [q for q in pts if q.voice_id == v.status.voice]
        shown.append(v.name)
    assert sorted(shown + d.others) == sorted(ref["names"][vid] for vid in ref["by_voice"])


def test_the_busy_workspace_exercises_the_cap_the_fallback_and_the_marks(ws):
    load_busy(ws)
    d = build_digest(ws, as_of=AS_OF)
    voices = {v.name: v for v in d.voices}
    assert len(voices["Amal"].quotes) == MAX_QUOTES and voices["Amal"].posts == 71  # 70 own, 1 spoken in basil's
    quiet = voices["Quiet"]
    assert not any(q.significant for q in quiet.quotes) and len(quiet.quotes) == FALLBACK_QUOTES + 1
    assert quiet.quotes[-1].uid == "twitter:quiet-29"  # the last post, whatever its reach
    assert voices["Dr Nadia"].status.status == "speaker" and voices["Dr Nadia"].points == []
    quotes = [q for v in d.voices for q in v.quotes] + [s.first for day in d.days for s in day.stories]
    assert any(q.deleted for q in quotes) and any(q.earlier for q in quotes) and any(q.speaker_name for q in quotes)
    assert any("unknown" in s.voices for day in d.days for s in day.stories)  # the post with no account


def test_the_digest_reads_back_only_the_posts_it_shows(ws, monkeypatch):
    load_busy(ws)
    built: list[str] = []
    quote = QuoteReader.quote
    monkeypatch.setattr(QuoteReader, "quote", lambda self, r, versions: built.append(r.uid) or quote(self, r, versions))
    d = build_digest(ws, as_of=AS_OF, max_voices=2)
    quoted = {q.uid for v in d.voices for q in v.quotes} | {s.first.uid for day in d.days for s in day.stories}
    points = [q.uid for v in d.voices for q in v.points]
    assert sorted(built) == sorted([*quoted, *points])  # one Quote per post shown, not one per post of the period
    assert d.figures["posts"] == 169 and len(built) < 169
