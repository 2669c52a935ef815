"""Posts as the digest quotes them: the Quote, reading chosen posts back, and which of a voice's posts to quote."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cached_property
from typing import Any, Protocol, TypeGuard, TypeVar

import msgspec
import sqlalchemy as sa

from vigil.report import phrases as ph
from vigil.store import schema
from vigil.store.deletions import Deleted
from vigil.store.engine import Workspace

# Labels that make a post news, most telling first; the first one a post has names its story.
STORY_LABELS = (
    "farewell",
    "plea",
    "attack",
    "casualties",
    "missing",
    "evacuation",
    "rights",
    "infrastructure",
    "shortages",
    "aid",
)
SIGNIFICANT_PRIORITIES = frozenset({"critical", "high", "medium"})
RANK = {"critical": 0, "high": 1, "medium": 2}  # which significant posts to keep when a voice has too many
MAX_QUOTES = 12
FALLBACK_QUOTES = 5
CHUNK = 500  # ids per IN (...) query
_dec = msgspec.json.Decoder()


@dataclass
class Quote:
    """One post as the digest quotes it: verbatim words, who, where, when (local and UTC), reach, marks."""

    uid: str
    platform: str
    kind: str
    voice_id: int | None
    voice_name: str
    handle: str | None
    at: datetime | None
    tz: tzinfo
    text: str
    transcript: str | None
    title: str | None
    url: str | None
    labels: list[str]
    priority: str | None
    eyewitness: bool
    likes: int | None
    shares: int | None
    views: int | None
    places: list[str]
    repost: bool
    time_quality: str
    deleted: Deleted | None = None
    deleted_note: str | None = None
    earlier: list[str] = field(default_factory=list)
    speaker_id: int | None = None
    speaker_name: str | None = None

    @cached_property
    def reach(self) -> list[str]:
        """'liked 21,000 times', 'shared 9,000 times', '100,000 views'."""
        return ph.reach(self.likes, self.shares, self.views)

    @property
    def reach_total(self) -> int:
        """Likes, shares and views together (to rank posts when nothing is flagged)."""
        return (self.likes or 0) + (self.shares or 0) + (self.views or 0)

    @property
    def local(self) -> str:
        """'Wed 4 Mar 08:55' in the digest's zone (the day only when the source gives no time)."""
        if self.at is None:
            return "time unknown"
        if self.time_quality == "day":
            t = self.at.astimezone(self.tz)
            return f"{t:%a} {t.day} {t:%b}"
        return ph.clock(self.at, self.tz)

    @property
    def utc(self) -> str:
        """'06:55 UTC', or 'day only'."""
        if self.at is None or self.time_quality == "day":
            return "day only"
        return f"{self.at:%H:%M} UTC"

    @property
    def platform_name(self) -> str:
        """The platform as readers know it (X/Twitter, Telegram, Bluesky)."""
        return ph.platform_name(self.platform)

    @property
    def words(self) -> str:
        """What to quote: the transcript of a video or live post when there is one, else the text."""
        return self.transcript if self.kind in ("video", "live") and self.transcript else self.text

    @property
    def from_transcript(self) -> bool:
        """True when the quote is a transcript."""
        return self.words is self.transcript

    @cached_property
    def story_label(self) -> str | None:
        """The label that names this post's story."""
        return story_label(self.labels)

    @property
    def significant(self) -> bool:
        """Worth quoting: a story label, a raised priority, deleted, edited or spoken by someone else."""
        return bool(
            self.story_label
            or self.priority in SIGNIFICANT_PRIORITIES
            or self.deleted
            or self.earlier
            or self.speaker_id
        )


def story_label(labels: Iterable[str]) -> str | None:
    """The first of STORY_LABELS among a post's labels."""
    have = set(labels)
    return next((lab for lab in STORY_LABELS if lab in have), None)


def places(enrichment: dict[str, Any]) -> list[str]:
    """Place names of a decoded enrichment, each once, in order."""
    out = []
    for p in enrichment.get("places") or []:
        name = p.get("name") if isinstance(p, dict) else p
        if isinstance(name, str) and name not in out:
            out.append(name)
    return out


class _Places(msgspec.Struct):
    places: Any = None


_places_dec = msgspec.json.Decoder(_Places)


def _worth_decoding(enrichment: str | None) -> TypeGuard[str]:
    return enrichment is not None and ('"places"' in enrichment or '"eyewitness"' in enrichment)


def first_place(enrichment: str | None) -> str | None:
    """The first place the enrichment names (as a Quote's places[0]), decoding nothing else of it."""
    if not _worth_decoding(enrichment):
        return None
    return next(iter(places({"places": _places_dec.decode(enrichment).places})), None)


def _eyewitness(enrichment: dict[str, Any]) -> bool:
    v = enrichment.get("eyewitness")
    return v is True or v == "yes" or (isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0.5)


def _safe_url(url: str | None) -> str | None:
    return url if url and url.startswith(("https://", "http://")) else None


def decode(enrichment: str | None) -> dict[str, Any]:
    """The enrichment as a dict when it holds places or eyewitness (all a Quote shows of it), else {}."""
    return _dec.decode(enrichment) if _worth_decoding(enrichment) else {}


def quote_columns(outer: bool = True) -> sa.Select[Any]:
    """Every column a Quote needs (and the pk), posts joined to their accounts (only posts with one unless outer)."""
    p, a = schema.posts.c, schema.accounts.c
    return sa.select(
        p.pk,
        p.uid,
        p.platform,
        p.kind,
        p.author_handle,
        p.created_at,
        p.time_quality,
        p.text,
        p.transcript,
        p.title,
        p.url,
        p.labels,
        p.priority,
        p.enrichment,
        p.likes,
        p.shares,
        p.views,
        p.repost_of,
        p.versions,
        p.speaker_voice,
        a.voice_id,
        a.name.label("account_name"),
    ).select_from(schema.posts.join(schema.accounts, p.account_uid == a.uid, isouter=outer))


def period_posts(since: str | None, until: str, outer: bool = True) -> sa.Select[Any]:
    """The posts of [since, until] with a trusted time, oldest first (the digest's period)."""
    p = schema.posts.c
    stmt = (
        quote_columns(outer)
        .where(p.created_at.is_not(None), p.created_at <= until, p.time_quality != "suspect")
        .order_by(p.created_at, p.pk)
    )
    return stmt.where(p.created_at >= since) if since else stmt


def deleted_note(d: Deleted, tz: tzinfo) -> str:
    """'deleted Wed 4 Mar 08:55', or how a later complete export showed it gone."""
    dt = ph.when(d.at)
    assert dt is not None
    if d.how == "absent":
        return f"deleted (gone from a later complete export covering up to {ph.clock(dt, tz)})"
    return f"deleted {ph.clock(dt, tz)}"


@dataclass
class QuoteReader:
    """Turns rows of period_posts into Quotes: names, zone, deletions and earlier versions applied."""

    tz: tzinfo
    deleted: dict[str, Deleted]
    names: dict[int, str]

    def quotes(self, conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Quote]:
        """The rows as Quotes, in the same order."""
        edited = [r.uid for r in rows if r.versions > 1]
        earlier: dict[str, list[str]] = defaultdict(list)
        pv = schema.post_versions.c
        for i in range(0, len(edited), CHUNK):
            for uid, text in conn.execute(
                sa.select(pv.uid, pv.text).where(pv.uid.in_(edited[i : i + CHUNK])).order_by(pv.uid, pv.n)
            ):
                earlier[uid].append(text)
        return [self.quote(r, earlier.get(r.uid, [])) for r in rows]

    def quote(self, r: sa.Row[Any], versions: list[str]) -> Quote:
        """One row as a Quote, given the texts of all its versions (oldest first)."""
        e = decode(r.enrichment)
        at = ph.when(r.created_at)
        assert at is not None
        q = Quote(
            uid=r.uid,
            platform=r.platform,
            kind=r.kind,
            voice_id=r.voice_id,
            voice_name=self.names.get(r.voice_id, r.account_name or r.author_handle or "unknown"),
            handle=r.author_handle,
            at=at,
            tz=self.tz,
            text=r.text,
            transcript=r.transcript,
            title=r.title,
            url=_safe_url(r.url),
            labels=(r.labels or "").split(),
            priority=r.priority,
            eyewitness=_eyewitness(e),
            likes=r.likes,
            shares=r.shares,
            views=r.views,
            places=places(e) if e else [],
            repost=r.repost_of is not None,
            time_quality=r.time_quality,
            earlier=versions[:-1] if len(versions) > 1 else [],
        )
        d = self.deleted.get(r.uid)
        if d:
            q.deleted, q.deleted_note = d, deleted_note(d, self.tz)
        if r.speaker_voice and r.speaker_voice != r.voice_id:
            q.speaker_id, q.speaker_name = r.speaker_voice, self.names.get(r.speaker_voice)
        return q

    def by_pk(self, ws: Workspace, pks: Iterable[int]) -> dict[int, Quote]:
        """The posts with these pks as Quotes."""
        wanted = sorted(set(pks))
        out: dict[int, Quote] = {}
        with ws.engine.connect() as conn:
            for i in range(0, len(wanted), CHUNK):
                batch = conn.execute(quote_columns().where(schema.posts.c.pk.in_(wanted[i : i + CHUNK]))).all()
                out.update(zip((r.pk for r in batch), self.quotes(conn, batch), strict=True))
        return out

    def posted_by(
        self, ws: Workspace, since: str | None, until: str, voices: Iterable[int], wanted: set[int] | None
    ) -> dict[int, list[Quote]]:
        """Each voice's own posts of the period (not those it only speaks in), oldest first: its chart's points."""
        ids = sorted(set(voices))
        out: dict[int, list[Quote]] = defaultdict(list)
        with ws.engine.connect() as conn:
            for i in range(0, len(ids), CHUNK):
                # an inner join: SQLite then starts from these voices' accounts, not from every post of the period
                stmt = period_posts(since, until, outer=False).where(schema.accounts.c.voice_id.in_(ids[i : i + CHUNK]))
                for q in self.quotes(conn, conn.execute(stmt).all()):
                    if wanted is None or q.voice_id in wanted or q.speaker_id in wanted:
                        out[q.voice_id or 0].append(q)
        return out


class _Pickable(Protocol):
    """What choosing a voice's quotes looks at (a Quote, or a lighter stand-in for one)."""

    @property
    def uid(self) -> str: ...
    @property
    def repost(self) -> bool: ...
    @property
    def significant(self) -> bool: ...
    @property
    def reach_total(self) -> int: ...
    @property
    def priority(self) -> str | None: ...
    @property
    def at(self) -> datetime | None: ...


P = TypeVar("P", bound=_Pickable)


def pick_quotes(points: Sequence[P]) -> list[P]:
    """A voice's quotes: its significant own posts (the most urgent, latest MAX_QUOTES), else its most read and last."""
    own = [q for q in points if not q.repost]
    chosen = [q for q in own if q.significant]
    if not chosen:  # no triage (or nothing flagged): the most read posts and the last one
        chosen = sorted(own, key=lambda q: -q.reach_total)
        chosen = chosen[:FALLBACK_QUOTES] + own[-1:]
    if len(chosen) > MAX_QUOTES:
        chosen = sorted(chosen, key=lambda q: (RANK.get(q.priority or "", 3), -(q.at or datetime.min).timestamp()))
        chosen = chosen[:MAX_QUOTES]
    return sorted({q.uid: q for q in chosen}.values(), key=lambda q: q.at or datetime.min)
