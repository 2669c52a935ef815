"""Triage one text: labels with their cues, priority, eyewitness, informative, places, quantities, language."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

import msgspec

from vigil.text.memo import Memo
from vigil.triage import language, lexicon, negation
from vigil.triage.labels import FIRST_PERSON, LABELS, NEGATABLE, SITUATION
from vigil.triage.matcher import THRESHOLD, Hit, Matcher
from vigil.triage.negation import Marks
from vigil.triage.places import PlaceMatcher
from vigil.triage.priority import is_informative, priority_of
from vigil.triage.quantities import find_quantities

MEMO_SIZE = 25_000  # texts remembered
MEMO_TEXT = 2_000  # longer texts (transcripts) are not remembered


class Analysis(msgspec.Struct, frozen=True, gc=False):
    """What the rules make of a text, remembered per text (reposts and copies of it are read once).

    Not tracked by the collector (as the matcher's plan entries): it refers only to containers it never shares a
    cycle with, and 25,000 of them stay in memory.
    """

    labels: list[str]
    cues: dict[str, list[str]]
    scores: dict[str, float]  # rounded
    first_hand: bool  # unless a repost
    marker: str | None  # the eyewitness phrase
    quantities: list[dict[str, object]]
    places: list[dict[str, object]]
    priorities: tuple[str, str]  # when first-hand, when not
    informative: bool
    enrichments: tuple[dict[str, object], dict[str, object]]  # without lang: when first-hand, when not
    weak: dict[str, list[str]]  # labels with a positive score below the threshold, and their cue phrases


ROUNDED_MEMO = 10_000  # scores remembered rounded
# a score -> round(score, 2); scores are float sums from 0.0, never -0.0 or ints
_ROUNDED: Memo[float, float] = Memo(ROUNDED_MEMO)
V = TypeVar("V")
SHORT_POST = 500  # in a post this short, a first-person word anywhere makes a situation cue first-hand


class TriageResult(msgspec.Struct):
    """What triage says about one text."""

    labels: list[str]
    priority: str
    eyewitness: bool
    informative: bool
    cues: dict[str, list[str]]
    places: list[dict[str, object]]
    quantities: list[dict[str, object]]
    lang: str | None = None
    scores: dict[str, float] = msgspec.field(default_factory=dict)
    weak: dict[str, list[str]] = msgspec.field(default_factory=dict)  # signs too weak for a label: not exported

    def enrichment(self) -> dict[str, object]:
        """The keys a post's enrichment carries (lang only when detected)."""
        out: dict[str, object] = {
            "labels": self.labels,
            "priority": self.priority,
            "eyewitness": self.eyewitness,
            "informative": self.informative,
            "cues": self.cues,
            "places": self.places,
            "quantities": self.quantities,
        }
        if self.lang is not None:
            out["lang"] = self.lang
        return out


def _keep(memo: Memo[str, V], text: str, value: V) -> V:
    """Remember value for text unless the text is long; return value."""
    return memo.keep(text, value) if len(text) <= MEMO_TEXT else value


def _kept(hits: list[Hit]) -> list[Hit]:
    """Hits that count: not a quoted name, not negated, not inside a longer hit of the same label (unless weightier)."""
    out: list[Hit] = []
    reach: dict[str, int] = {}
    last: dict[str, int] = {}  # label -> index in out of the hit that reaches furthest
    starts = [h.start for h in hits]
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if h.span.meta:
            continue
        if h.span.negated and h.cue.label in NEGATABLE:
            # a negation governs the next cue only: "no injuries in the shelling" still reports shelling
            ne = h.span.negation_end
            if ne < 0 or not any(ne <= s < h.start for s in starts):
                continue
        if h.end <= reach.get(h.cue.label, -1):
            # a weightier cue inside a weak one ("please come get us" in "please come get") counts for it; a
            # context cue (negative weight) around a cue cancels it ("warehouse explosion")
            i = last[h.cue.label]
            if 0 < out[i].cue.weight < h.cue.weight:
                out[i] = h
            continue
        reach[h.cue.label] = h.end
        last[h.cue.label] = len(out)
        out.append(h)
    return out


class Triager:
    """Lexicons, markers and gazetteer compiled once; `triage()` is then cheap per text."""

    def __init__(self, lex: lexicon.Lexicon, places: PlaceMatcher | None = None) -> None:
        self.matcher = Matcher(lex)
        self.places = places
        self._memo: Memo[str, Analysis] = Memo(MEMO_SIZE)  # text -> analysis: reposts and copies are read once
        self._langs: Memo[str, str] = Memo(MEMO_SIZE)

    @staticmethod
    def _first_person_anywhere(text: str, marks: Marks) -> bool:
        """I, we, my, our… outside quotation marks anywhere in a short post."""
        if len(text) > SHORT_POST:
            return False
        for s, e in marks.get(FIRST_PERSON, ()):
            if not negation.is_quoted(text, negation.sentence(text, s, e)[0], s):
                return True
        return False

    @classmethod
    def for_workspace(cls, root: Path | None, with_places: bool = True) -> Triager:
        """Shipped plus `<root>/lexicons/` cues, packaged plus `<root>/gazetteer.tsv` places (cached until edited)."""
        lex_dir = root / "lexicons" if root else None
        gaz = root / "gazetteer.tsv" if root else None
        return _cached(_stamp(lex_dir, "*.tsv"), _stamp(gaz), lex_dir, gaz, with_places)

    def triage(self, text: str, lang: str | None = None, kind: str | None = None, detect: bool = True) -> TriageResult:
        """Triage a text; lang is detected only when not given (and detect is true)."""
        got = self._memo.get(text)
        if got is None:
            got = self._remember(text)
        eyewitness = got.first_hand and kind != "repost"
        cues = {**got.cues, "eyewitness": [got.marker]} if eyewitness and got.marker else got.cues
        detected = self._detect(text) if lang is None and detect else None
        return TriageResult(
            labels=got.labels,
            priority=got.priorities[0] if eyewitness else got.priorities[1],
            eyewitness=eyewitness,
            informative=got.informative,
            cues=cues,
            places=got.places,
            quantities=got.quantities,
            lang=detected or None,
            scores=got.scores,
            weak=got.weak,
        )

    def enrich(self, enrichment: dict[str, object], text: str, lang: str | None, kind: str | None) -> None:
        """Update a post's enrichment as with `triage(text, lang, kind).enrichment()`, without building the result."""
        got = self._memo.get(text)
        if got is None:
            got = self._remember(text)
        enrichment.update(got.enrichments[1] if kind == "repost" else got.enrichments[0])
        if lang is None:
            detected = self._detect(text)
            if detected:
                enrichment["lang"] = detected

    def weak_signs(self, text: str) -> dict[str, list[str]]:
        """Labels the rules saw a sign of, too weak to give them (a score above 0, below the threshold), with cues."""
        got = self._memo.get(text)
        return (got if got is not None else self._remember(text)).weak

    def _remember(self, text: str) -> Analysis:
        """A text's analysis, remembered unless the text is long."""
        return _keep(self._memo, text, self._analyse(text))

    def _detect(self, text: str) -> str:
        """The text's language ("" when too few letters), remembered unless the text is long."""
        detected = self._langs.get(text)
        return _keep(self._langs, text, language.detect(text) or "") if detected is None else detected

    def _analyse(self, text: str) -> Analysis:
        """Everything that depends on the text alone (reposts of one text share it)."""
        found = self.matcher.find(text)
        kept = _kept(found.hits) if found.hits else []
        scores: dict[str, float] = {}
        for h in kept:
            scores[h.cue.label] = scores.get(h.cue.label, 0.0) + h.cue.weight
        labels = [lab for lab in LABELS if scores.get(lab, 0.0) >= THRESHOLD] if scores else []
        cues = {lab: _phrases(text, kept, lab) for lab in labels}
        weak = {lab: _phrases(text, kept, lab) for lab, v in scores.items() if 0.0 < v < THRESHOLD} if scores else {}
        first_hand, marker = False, None
        situation = [h for h in kept if h.cue.label in SITUATION and h.cue.label in cues]
        if situation:
            marker = self.matcher.eyewitness_marker(text, found.marks)
            own = [h for h in situation if not h.span.reported and not h.span.quoted]
            first = any(h.span.first_person or h.cue.label == "farewell" for h in own) or (
                bool(own) and self._first_person_anywhere(text, found.marks)
            )
            first_hand = bool(marker) or (first and not self.matcher.relay_marker(text, found.marks))
        quantities = find_quantities(text, found.words)
        if_first, not_first, informative = _by_labels(tuple(labels))
        informative = informative or is_informative(labels, quantities)
        places = self.places.find(text) if self.places else []
        secondhand: dict[str, object] = {
            "labels": labels,
            "priority": not_first,
            "eyewitness": False,
            "informative": informative,
            "cues": cues,
            "places": places,
            "quantities": quantities,
        }
        firsthand = secondhand
        if first_hand:  # unless a repost: eyewitness, its phrase among the cues, the priority when first-hand
            firsthand = {**secondhand, "priority": if_first, "eyewitness": True}
            if marker:
                firsthand["cues"] = {**cues, "eyewitness": [marker]}
        return Analysis(
            labels,
            cues,
            _rounded(scores) if scores else {},
            first_hand,
            marker,
            quantities,
            places,
            (if_first if first_hand else not_first, not_first),
            informative,
            (firsthand, secondhand),
            weak,
        )


def _phrases(text: str, kept: list[Hit], label: str) -> list[str]:
    """A label's cue phrases in the text: overlapping cues read as one phrase ("PLEASE send" + "send help")."""
    spans: list[list[int]] = []
    for h in kept:
        if h.cue.label != label or h.cue.weight <= 0:  # a context cue (negative weight) only lowers the score
            continue
        if spans and h.start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], h.end)
        else:
            spans.append([h.start, h.end])
    phrases: list[str] = []
    for a, b in spans:
        if text[a:b] not in phrases:
            phrases.append(text[a:b])
    return phrases


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    """Scores rounded to 2 places: round() is slow (2.8k instructions), and sums of a few weights take few values."""
    out: dict[str, float] = {}
    for label, v in scores.items():
        r = _ROUNDED.get(v)
        out[label] = _ROUNDED.keep(v, round(v, 2)) if r is None else r
    return out


@cache  # one entry per set of labels found (at most 2 ** 12, a few dozen in practice)
def _by_labels(labels: tuple[str, ...]) -> tuple[str, str, bool]:
    """Priority when first-hand and when not, and informative by the labels alone (sets made once per set)."""
    return priority_of(list(labels), True), priority_of(list(labels), False), is_informative(list(labels), [])


def _stamp(path: Path | None, glob: str | None = None) -> tuple[tuple[str, int, int], ...]:
    """What identifies the user's files: names, sizes and modification times."""
    if path is None:
        return ()
    files = sorted(path.glob(glob)) if glob and path.is_dir() else ([path] if path.is_file() else [])
    return tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files)


@lru_cache(maxsize=8)
def _cached(lex_stamp: object, gaz_stamp: object, lex_dir: Path | None, gaz: Path | None, places: bool) -> Triager:
    lex = lexicon.load(lex_dir)
    return Triager(lex, PlaceMatcher.build(gaz) if places else None)


@lru_cache(maxsize=1)
def default_triager() -> Triager:
    """The shipped lexicons and packaged gazetteer, built once per process."""
    return Triager.for_workspace(None)


def triage_text(text: str, lang: str | None = None, kind: str | None = None) -> TriageResult:
    """Triage one text with the shipped lexicons and gazetteer (for models and scripts)."""
    return default_triager().triage(text, lang=lang, kind=kind)


def post_text(text: str, title: str | None = None, transcript: str | None = None) -> str:
    """What triage reads of a post: title, text and transcript together."""
    if not title and not transcript:  # most posts: the text alone
        return text or ""
    return "\n".join(t for t in (title, text, transcript) if t)
