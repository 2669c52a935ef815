"""One streamed pass over a period's posts: counts by day, hour and story, and each voice's few posts worth quoting."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import sqlalchemy as sa

from vigil.report import phrases as ph
from vigil.report.quotes import (
    FALLBACK_QUOTES,
    MAX_QUOTES,
    RANK,
    SIGNIFICANT_PRIORITIES,
    first_place,
    pick_quotes,
    story_label,
)
from vigil.store.deletions import Deleted
from vigil.store.reading import no_gc

# The columns of quotes.period_posts that counting needs; the enrichment only when it may hold places. Accounts
# are looked up in a dict (a join costs ~4 CPU-s per million posts).
_SCAN = """
SELECT p.pk, p.uid, p.platform, p.created_at, p.labels, p.priority,
       CASE WHEN instr(p.enrichment, '"places"') OR instr(p.enrichment, '"eyewitness"') THEN p.enrichment END,
       p.likes, p.shares, p.views, p.repost_of IS NOT NULL,
       CASE WHEN p.versions > 1 THEN (SELECT count(*) FROM post_versions v WHERE v.uid = p.uid) ELSE 1 END,
       p.speaker_voice, p.account_uid, p.author_handle
FROM posts p
WHERE p.created_at IS NOT NULL AND p.created_at <= ? AND p.time_quality != 'suspect'{since}
ORDER BY p.created_at, p.pk
"""


@dataclass(slots=True)
class Candidate:
    """An own post a voice may be quoted by: just what pick_quotes looks at, and where it came in the period."""

    n: int
    pk: int
    uid: str
    at: datetime
    significant: bool
    reach_total: int
    priority: str | None
    repost: bool = False


@dataclass(slots=True)
class VoiceTally:
    """A voice's posts of the period: how many, on which platforms, and the candidates pick_quotes would choose from.

    Kept: the MAX_QUOTES + 1 significant posts pick_quotes ranks first (one more than it keeps, so it still sees that
    there were too many), and until a significant post turns up, the FALLBACK_QUOTES most read and the last one.
    """

    posts: int = 0
    platforms: set[str] = field(default_factory=set)
    urgent: list[tuple[int, float, int, Candidate]] = field(default_factory=list)
    loudest: list[tuple[int, int, Candidate]] = field(default_factory=list)
    last: Candidate | None = None

    def add(self, platform: str, c: Candidate | None) -> None:
        """Count a post; c is None for a repost (never quoted)."""
        self.posts += 1
        self.platforms.add(platform)
        if c is None:
            return
        if c.significant:
            entry = (-RANK.get(c.priority or "", 3), c.at.timestamp(), -c.n, c)
            if len(self.urgent) <= MAX_QUOTES:
                heapq.heappush(self.urgent, entry)
            else:
                heapq.heappushpop(self.urgent, entry)
            self.loudest, self.last = [], None
        elif not self.urgent:
            if len(self.loudest) < FALLBACK_QUOTES:
                heapq.heappush(self.loudest, (c.reach_total, -c.n, c))
            else:
                heapq.heappushpop(self.loudest, (c.reach_total, -c.n, c))
            self.last = c

    def chosen(self) -> list[Candidate]:
        """What pick_quotes chooses from all the voice's posts, found among the candidates kept."""
        kept = {id(c): c for c in [e[-1] for e in self.urgent] + [e[-1] for e in self.loudest] + [self.last] if c}
        return pick_quotes(sorted(kept.values(), key=lambda c: c.n))

    @property
    def platform_names(self) -> list[str]:
        """The platforms as readers know them, sorted."""
        return sorted({ph.platform_name(p) for p in self.platforms})


@dataclass(slots=True)
class StoryTally:
    """A story while counting: its first report and the independent voices reporting it (name by voice)."""

    label: str
    place: str | None
    first_pk: int
    first_at: datetime
    voices: dict[int | str, str] = field(default_factory=dict)


@dataclass
class Tally:
    """Everything the digest counts over the period's posts, none of the posts themselves."""

    posts: int = 0
    voice_ids: set[int | None] = field(default_factory=set)
    pleas: int = 0
    farewells: int = 0
    deleted: int = 0
    first: datetime | None = None
    last: datetime | None = None
    per_day: Counter[date] = field(default_factory=Counter)
    origin: datetime | None = None  # the hour the period starts in: hours are counted from it
    hours: Counter[tuple[int, str]] = field(default_factory=Counter)  # (hours after origin, story label) -> own posts
    stories: dict[tuple[date, str, str | None], StoryTally] = field(default_factory=dict)
    voices: dict[int, VoiceTally] = field(default_factory=dict)

    def bins(self, start: datetime, size: int, n: int) -> list[tuple[datetime, Counter[str]]]:
        """Own posts by story label in n bins of size hours from start (counted from origin, which start precedes)."""
        out: list[tuple[datetime, Counter[str]]] = [(start + timedelta(hours=i * size), Counter()) for i in range(n)]
        if self.origin is None:
            return out
        shift = int((self.origin - start).total_seconds() // 3600)
        for (hour, label), count in sorted(self.hours.items()):
            i = (hour + shift) // size
            if 0 <= i < n:
                out[i][1][label] += count
        return out


@dataclass
class _Labels:
    labels: list[str]
    story: str | None
    plea: bool
    farewell: bool


def _labels(text: str | None, seen: dict[str | None, _Labels]) -> _Labels:
    labels = (text or "").split()
    got = seen[text] = _Labels(labels, story_label(labels), "plea" in labels, "farewell" in labels)
    return got


_NO_ACCOUNT = (None, None)


def _hour(t: datetime) -> datetime:
    return t.replace(minute=0, second=0, microsecond=0)


def _rows(conn: sa.Connection, since: str | None, until: str) -> Iterator[tuple[Any, ...]]:
    raw = conn.connection.driver_connection
    assert raw is not None
    cur = raw.cursor()
    cur.arraysize = 1000
    args = (until, since) if since else (until,)
    cur.execute(_SCAN.format(since=" AND p.created_at >= ?" if since else ""), args)
    while batch := cur.fetchmany():
        yield from batch
    cur.close()


def tally(
    conn: sa.Connection,
    since: str | None,
    until: str,
    tz: tzinfo,
    deleted: dict[str, Deleted],
    names: dict[int, str],
    wanted: set[int] | None = None,
) -> Tally:
    """Count the posts of [since, until] (only those by or spoken by wanted voices, when given)."""
    start = ph.when(since)
    t = Tally(origin=_hour(start) if start else None)
    accounts = {
        uid: (vid, name) for uid, vid, name in conn.execute(sa.text("SELECT uid, voice_id, name FROM accounts"))
    }
    with no_gc():  # a million rows pass, and what is kept holds no cycles: collections would only walk it again
        _count(t, _rows(conn, since, until), tz, deleted, names, accounts, wanted)
    return t


def _count(
    t: Tally,
    rows: Iterator[tuple[Any, ...]],
    tz: tzinfo,
    deleted: dict[str, Deleted],
    names: dict[int, str],
    accounts: dict[str, tuple[int | None, str | None]],
    wanted: set[int] | None,
) -> None:
    seen: dict[str | None, _Labels] = {}
    per_day, hours, stories, voices, voice_ids = t.per_day, t.hours, t.stories, t.voices, t.voice_ids
    n = gone_n = pleas = farewells = 0
    created_was, at, day, hour = "", datetime.min, date.min, 0
    for row in rows:
        pk, uid, platform, created, labels, priority, enrichment, likes, shares, views = row[:10]
        repost, versions, speaker, account, handle = row[10:]  # versions: how many kept when edited
        vid, account_name = accounts.get(account, _NO_ACCOUNT)
        speaker_id = speaker if speaker and speaker != vid else None
        if wanted is not None and vid not in wanted and speaker_id not in wanted:
            continue
        n += 1
        if created != created_was:  # posts often share a second
            created_was, when = created, ph.when(created)
            assert when is not None
            at, day = when, when.astimezone(tz).date()
            if t.origin is None:
                t.origin = _hour(at)
            hour = int((at - t.origin).total_seconds() // 3600)
        if t.first is None:
            t.first = at
        per_day[day] += 1
        voice_ids.add(vid)
        lab = seen.get(labels) or _labels(labels, seen)
        gone = uid in deleted
        gone_n += gone
        c: Candidate | None = None
        if not repost:
            pleas += lab.plea
            farewells += lab.farewell
            hours[(hour, lab.story or "other")] += 1
            if lab.story:
                key = (day, lab.story, first_place(enrichment))
                story = stories.get(key)
                if story is None:
                    story = stories[key] = StoryTally(lab.story, key[2], pk, at)
                who = speaker_id or vid or uid
                if who not in story.voices:
                    name = names.get(speaker_id) if speaker_id else None
                    fallback = account_name or handle or "unknown"
                    story.voices[who] = name or (names.get(vid, fallback) if vid is not None else fallback)
            significant = bool(lab.story or priority in SIGNIFICANT_PRIORITIES or gone or versions > 1 or speaker_id)
            c = Candidate(n, pk, uid, at, significant, (likes or 0) + (shares or 0) + (views or 0), priority)
        for v in (vid, speaker_id):
            if v is not None:
                tallied = voices.get(v)
                if tallied is None:
                    tallied = voices[v] = VoiceTally()
                tallied.add(platform, c)
    t.last = at if n else None
    t.posts, t.deleted, t.pleas, t.farewells = n, gone_n, pleas, farewells
