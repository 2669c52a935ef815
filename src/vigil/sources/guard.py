"""Damage every importer meets the same way: invalid UTF-8 in a text, out-of-range figures and times, and bugs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from vigil.records import Post, Problem, Record

REPLACEMENT = "\ufffd".encode()
MAX_REPAIRS = 64  # invalid byte runs mended in one value; more and the value is binary junk, not a damaged text
INT64 = 1 << 63
METRICS = ("likes", "shares", "replies", "quotes", "views")
# Times a store can write and a reader compare: later or earlier ones are kept as `suspect` at the bound.
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
DAMAGED = "text_damaged"  # the enrichment key that flags a post whose text had invalid UTF-8 mended


class Mended(NamedTuple):
    """A value whose invalid UTF-8 was replaced by U+FFFD: the mended bytes, the original, and where they differ."""

    where: str
    data: bytes
    original: bytes
    edits: tuple[tuple[int, int, int], ...]  # (original start, original end, mended start) of each replacement

    def to_original(self, pos: int) -> int:
        """The offset in the original bytes of an offset in the mended ones."""
        shift = 0
        for start, end, at in self.edits:
            if pos <= at:
                break
            if pos < at + len(REPLACEMENT):
                return start if pos == at else end
            shift = end - (at + len(REPLACEMENT))
        return pos + shift

    def restore(self, records: Iterable[Record]) -> Iterator[Record]:
        """The records read from the mended bytes, each post's payload the original bytes and flagged if damaged."""
        for rec in records:
            if isinstance(rec, Post) and rec.raw:
                at = self.data.find(rec.raw)
                if at >= 0:
                    start, end = self.to_original(at), self.to_original(at + len(rec.raw))
                    raw = self.original[start:end]
                    if raw != rec.raw:
                        rec.raw = raw
                        rec.enrichment[DAMAGED] = True
            yield rec


def mend_utf8(data: bytes) -> tuple[bytes, tuple[tuple[int, int, int], ...]] | None:
    """Data with each invalid UTF-8 run replaced by U+FFFD, and the edits; None when it is not text at all."""
    out: list[bytes] = []
    edits: list[tuple[int, int, int]] = []
    pos = written = 0
    size = len(data)
    while pos < size:
        try:
            data[pos:].decode("utf-8")
        except UnicodeDecodeError as exc:
            start, end = pos + exc.start, pos + exc.end
            out.append(data[pos:start])
            written += start - pos
            edits.append((start, end, written))
            out.append(REPLACEMENT)
            written += len(REPLACEMENT)
            pos = end
            if len(edits) > MAX_REPAIRS:
                return None
            continue
        out.append(data[pos:])
        break
    return b"".join(out), tuple(edits)


def mended(path: Path, where: str, data: bytes) -> tuple[Problem, Mended | None]:
    """The Problem of a value with invalid UTF-8, and the value mended (None when too much of it is not text)."""
    fixed = mend_utf8(data)
    if fixed is None:
        msg = "not UTF-8 text (binary bytes or another encoding); skipped"
        return Problem(source=str(path), where=where, message=msg), None
    first = fixed[1][0][0]
    msg = (
        f"invalid UTF-8 (byte 0x{data[first]:02x} at byte {first + 1}): the text is kept with U+FFFD in its place, "
        "the payload verbatim, and the post flagged text_damaged"
    )
    return Problem(source=str(path), where=where, message=msg), Mended(where, fixed[0], data, fixed[1])


def checked(post: Post, source: str) -> Problem | None:
    """Clear figures that no store column holds (2^63 or more, negative, not whole) and pin absurd times."""
    m = post.metrics
    bad: list[str] = []
    for name in METRICS:
        v = getattr(m, name)
        if v is not None and (type(v) is not int or not -INT64 <= v < INT64):
            bad.append(f"{name} {v!r} is not a count a store holds (a whole number under 2^63); stored empty")
            setattr(m, name, None)
    for attr in ("created_at", "edited_at", "deleted_at"):
        dt = getattr(post, attr)
        if dt is not None and not EARLIEST <= dt <= LATEST:
            bound = LATEST if dt > LATEST else EARLIEST
            bad.append(f"{attr} {dt.isoformat()} is out of range; stored as {bound.year}, marked suspect")
            setattr(post, attr, bound)
            if attr == "created_at":
                post.time_quality = "suspect"
    if not bad:
        return None
    return Problem(source=source, where=f"post {post.uid}", message="; ".join(bad))


class Internal(Problem, kw_only=True):
    """An importer's own failure (a bug), not bad input: the ingest goes on with the next source and exits 2."""

    def __str__(self) -> str:
        """One line: the message names the importer, the file and the place."""
        return self.message.replace("\r", "\\r").replace("\n", "\\n")


def guarded(importer: Any, path: Path, options: Any) -> Iterator[Record]:
    """An importer's records with out-of-range values cleared, and a bug in it turned into one Internal problem."""
    source = str(path)
    n = 0
    last = "start"
    try:
        for rec in importer.iter_records(path, options):
            n += 1
            if type(rec) is Post:
                # A fast test of the common case (about 350 ns; a loop over the five counts took 840): whole counts
                # whose sum is in range (so each is, unless a negative hides a big one: a count store holds too), no
                # edit or deletion time, and a creation time in range. Anything else is checked field by field.
                m = rec.metrics
                dt = rec.created_at
                try:
                    total = (m.likes or 0) + (m.shares or 0) + (m.replies or 0) + (m.quotes or 0) + (m.views or 0)
                except TypeError:  # (a text where a count should be)
                    total = None
                if (
                    type(total) is int
                    and -1 < total < INT64
                    and (dt is None or EARLIEST <= dt <= LATEST)
                    and rec.edited_at is None
                    and rec.deleted_at is None
                ):
                    yield rec
                    continue
                bad = checked(rec, source)
                if bad is not None:
                    yield bad
            elif isinstance(rec, Problem):
                last = rec.where
            yield rec
    except Exception as exc:  # noqa: BLE001 - a bug in an importer must not end the run or lose the other sources
        where = f"record {n + 1} (after {last})" if last != "start" else f"record {n + 1}"
        name = getattr(importer, "name", type(importer).__name__)
        msg = f"internal error in {name} at {source}:{where}: {type(exc).__name__}: {exc}"
        yield Internal(source=source, where=where, message=msg)
