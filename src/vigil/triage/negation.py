"""Negation, quotation and reported speech around a cue: "no one was injured", "'save us' was the slogan"."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from vigil.triage.labels import FIRST_PERSON, META, NEGATION, NEGATION_AFTER, REPORTED

_ENDERS = ".!?;\n؟؛"
_SENTENCE_END = re.compile(f"[{_ENDERS}]")
_CLAUSE_END = re.compile(r"[.,!?;:\n؟؛،]")
_DIGIT = re.compile(r"[0-9٠-٩]")
_WORD = re.compile(r"\w")
_SINGLE_QUOTE = re.compile("['‘’]")
_QUOTES = "\"“«'‘’"  # without one of these, nothing in the text is quoted
_QUOTE = re.compile(f"[{_QUOTES}]")
NEG_WINDOW = 40
AFTER_WINDOW = 30
SENTENCE_BACK = 300

Marks = dict[str, list[tuple[int, int]]]  # marker kind -> spans found in the text


@dataclass(slots=True)
class Span:
    """What the words around a cue say: negated, quoted, reported, only a name (meta), first person."""

    negated: bool = False
    negation_end: int = -1  # where the negation before the cue ends (-1: none, or it came after the cue)
    quoted: bool = False
    reported: bool = False
    meta: bool = False
    first_person: bool = False


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of the text ends (offsets just past . ! ? ; newline): _SENTENCE_END's match ends."""
    ends: list[int] = []
    for ch in _ENDERS:  # str.find per character: a tweet holds a few of them, found faster than by a regex scan
        if ch in text:
            i = text.find(ch) + 1
            while i:
                ends.append(i)
                i = text.find(ch, i) + 1
    ends.sort()
    return ends


def sentence(text: str, start: int, end: int, ends: list[int] | None = None) -> tuple[int, int]:
    """Bounds of the sentence holding text[start:end] (ends: from sentence_ends, when known)."""
    if ends is not None:
        i = bisect_right(ends, start)
        j = bisect_right(ends, end)
        return (ends[i - 1] if i else 0), (ends[j] - 1 if j < len(ends) else len(text))
    s = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - SENTENCE_BACK), start):
        s = m.end()
    m2 = _SENTENCE_END.search(text, end)
    return s, (m2.start() if m2 else len(text))


def is_quoted(text: str, sent_start: int, start: int) -> bool:
    """Whether the cue sits inside quotation marks opened earlier in its sentence."""
    before = text[sent_start:start]
    if before.count('"') % 2 == 1:
        return True
    if before.count("“") > before.count("”") or before.count("«") > before.count("»"):
        return True
    depth = 0
    for q in _SINGLE_QUOTE.finditer(text, sent_start, start):
        i = q.start()
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if not prev.isalnum() and nxt.isalnum():
            depth += 1
        elif prev.isalnum() and not nxt.isalnum() and depth:
            depth -= 1
    return depth > 0


def _any_in(spans: list[tuple[int, int]], lo: int, hi: int) -> bool:
    for s, e in spans:  # noqa: SIM110 (a loop: no generator per call)
        if lo <= s and e <= hi:
            return True
    return False


def negation_end(text: str, start: int, end: int, marks: Marks) -> int | None:
    """Where the cue's negation ends: before it in its clause (no number between), len(text) after it, or None."""
    lo = max(0, start - NEG_WINDOW)
    for m in _CLAUSE_END.finditer(text, lo, start):
        lo = m.end()
    found = -1
    for s, e in marks.get(NEGATION, ()):
        if lo <= s and e <= start and e > found:
            found = e
    if found >= 0 and not _DIGIT.search(text, found, start):
        return found
    for s, _ in marks.get(NEGATION_AFTER, ()):
        if end <= s <= end + AFTER_WINDOW and not _WORD.search(text, end, s):
            return len(text)
    return None


def _owned_negations(spans: list[tuple[int, int]], marks: Marks) -> list[tuple[int, int, int]]:
    """Negations a cue holds ("don't forget us", "cannot reach"), with where that cue ends: they are its own words."""
    out = []
    for s, e in marks.get(NEGATION, ()):
        ends = [b for a, b in spans if a <= s and e <= b]
        if ends:
            out.append((s, e, min(ends)))
    return out


def _without(marks: Marks, owned: list[tuple[int, int, int]], start: int) -> Marks:
    """The marks a cue starting at `start` reads: without the negations of the cues that end before it."""
    drop = {(s, e) for s, e, end in owned if end <= start}
    if not drop:
        return marks
    return {**marks, NEGATION: [m for m in marks[NEGATION] if m not in drop]}


def read_all(text: str, spans: list[tuple[int, int]], marks: Marks) -> list[Span]:
    """Everything the words around each cue span say about it (what the text alone decides is read once)."""
    ends = sentence_ends(text)
    negations = bool(marks.get(NEGATION) or marks.get(NEGATION_AFTER))
    quotes = ('"' in text or "'" in text) if text.isascii() else _QUOTE.search(text) is not None
    meta, reported, first = marks.get(META, []), marks.get(REPORTED, []), marks.get(FIRST_PERSON, [])
    owned = _owned_negations(spans, marks) if marks.get(NEGATION) else []
    out = []
    last, size = len(ends), len(text)
    for start, end in spans:
        i, j = bisect_right(ends, start), bisect_right(ends, end)  # the sentence, as sentence() finds it
        s, e = (ends[i - 1] if i else 0), (ends[j] - 1 if j < last else size)
        neg = negation_end(text, start, end, _without(marks, owned, start) if owned else marks) if negations else None
        span = Span(  # positional: negated, negation_end, quoted
            neg is not None,
            -1 if neg is None or neg >= end else neg,
            quotes and is_quoted(text, s, start),
        )
        if span.quoted:
            span.meta = bool(meta) and _any_in(meta, s, e)
            span.reported = bool(reported) and _any_in(reported, s, e)
        else:
            span.reported = bool(reported) and _any_in(reported, s, start)
            span.first_person = bool(first) and _any_in(first, s, e)
        out.append(span)
    return out
