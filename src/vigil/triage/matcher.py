"""Find cues fast: an index from word keys to cues and markers, then only the candidates' regexes on the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, compress, count, filterfalse
from operator import add, attrgetter

import msgspec

from vigil.text.memo import Memo
from vigil.triage import negation
from vigil.triage.arabic import ARABIC, DIACRITICS, blank_non_words, fold_with_offsets, token_keys
from vigil.triage.labels import EYEWITNESS, RELAY
from vigil.triage.lexicon import KEY_LEN, KEY_LEN_AR, Cue, Lexicon, Needs, sure_keys
from vigil.triage.negation import Marks, Span

_WORD = re.compile(r"\w+(?:'\w+)?")
_SPLIT = re.compile(r"(\w+(?:'\w+)?)")  # a text split at its words: gap, word, gap, word, ..., gap
# the bytes of a text's UTF-8 that are ASCII but not \w as spaces (the other non-ASCII characters blanked before)
_GAPS = bytes(c if c >= 128 or chr(c).isalnum() or c == 95 else 32 for c in range(256))
_PLAIN_WORDS = re.compile(r"^\(?([^\s()|*~?]+(?:\|[^\s()|*~?]+)*)\)?$")
_START = attrgetter("start")
THRESHOLD = 1.0  # a label needs cues weighing this much together
_ONE_WORD = re.compile(r"^\(?\w+\*?(?:\|\w+\*?)*\)?$")  # word chars only: a match stays inside one token
WORD_MEMO = 5_000  # tokens remembered per one-word cue
WORD_MARK = "\x00"  # the key of a token that is a plain-word marker is this plus the token
SURE = "\x01"  # a token's sure key (`lexicon.sure_keys`) that is not also one of its anchor keys is this plus it
TOKEN_MEMO = 100_000  # distinct tokens whose keys are remembered
PLAN_MEMO = 10_000  # plans remembered per sequence of token keys (and what each set of keys selects): 20k held
# 24 MiB more a worker once the speech-act rows made plans longer, for no measured CPU


class Entry(msgspec.Struct, frozen=True, gc=False):
    """A cue or marker as the matcher uses it (made once per cue, when a text first needs it)."""

    cue: Cue
    regex: re.Pattern[str]
    before: int  # words the match may start ahead of its anchor word
    requires: tuple[frozenset[str], ...]  # the keys of each other word the cue needs in the text
    memo: Memo[str, int] | None  # a one-word cue: the length it matches of each token seen (0: none); else None


class Anchored(msgspec.Struct, frozen=True, gc=False):
    """A cue or marker a set of keys selects, with its anchor keys in the set."""

    entry: Entry
    keys: tuple[str, ...]


class Chosen(msgspec.Struct, frozen=True, gc=False):
    """What a set of keys selects (remembered per set: texts of one template differ in where their keys are)."""

    cues: list[Anchored]
    markers: list[Anchored]
    words: list[str]  # the plain-word marker keys in the set


class Try(msgspec.Struct, frozen=True, gc=False):
    """A cue or marker to try on a text, at these token indices (in order, each once)."""

    entry: Entry
    at: list[int]


class WordMarks(msgspec.Struct, frozen=True, gc=False):
    """A plain-word marker found in a text: the word, its token indices, its labels."""

    word: str
    at: list[int]
    labels: list[str]


class Plan(msgspec.Struct, frozen=True, gc=False):
    """What to try on a text, given its tokens' keys (remembered per sequence of keys)."""

    cues: list[Try]
    markers: list[Try]
    words: list[WordMarks]


@dataclass(slots=True)
class Hit:
    """One cue found in a text: its label, the literal phrase, where, and what surrounds it."""

    cue: Cue
    text: str
    start: int
    end: int
    span: Span


@dataclass(slots=True)
class Found:
    """Cue hits and marker spans of one text."""

    hits: list[Hit]
    marks: Marks
    words: list[str]  # the lower-cased words of the text (Arabic folded)


def _back(s: int, e: int, offsets: list[int] | None, text: str) -> tuple[int, int]:
    """A span of the folded text as a span of the original (diacritics after the last letter included)."""
    if offsets is None:
        return s, e
    a, b = offsets[s], offsets[e - 1] + 1
    while b < len(text) and text[b] in DIACRITICS:
        b += 1
    return a, b


def gap_pieces(subject: str) -> list[str]:
    r"""An apostrophe-free text split at single gap characters: its \w+ words, with "" between two gaps."""
    # \w on ASCII is [A-Za-z0-9_]: the other bytes as spaces, a split gives the regex's words without a regex scan
    # (54k -> 37k instructions per text); an Arabic text, its few non-word characters blanked first (34.5k -> 22.5k)
    gapped = subject if subject.isascii() else blank_non_words(subject)
    return gapped.encode().translate(_GAPS).decode().split(" ")


def _piece_starts(pieces: list[str]) -> list[int]:
    """Where each word of a split at single spaces starts: after the pieces before it and a space each (in C)."""
    return list(compress(map(add, accumulate(map(len, pieces), initial=0), count()), pieces))


def _all_there(requires: tuple[frozenset[str], ...], present: frozenset[str]) -> bool:
    """Whether the text holds a key of each required word (a loop: no generator per cue)."""
    for r in requires:  # noqa: SIM110
        if r.isdisjoint(present):
            return False
    return True


def _needs_met(needs: Needs, sure: frozenset[str]) -> bool:
    """Whether each clause of a cue's needs has an alternative whose keys are all sure keys of the text."""
    for clause in needs:
        for alt in clause:
            if alt <= sure:
                break
        else:
            return False
    return True


def _at(ent: Entry, keys: tuple[str, ...], where: dict[str, list[int]]) -> list[int]:
    """The token indices to try a cue at, in order and each once: `before` words ahead of each anchor word."""
    # a key's tokens are listed in order, each once; only several keys' tokens need sorting
    at = where[keys[0]] if len(keys) == 1 else sorted({i for k in keys for i in where[k]})
    before = ent.before
    if before:
        return sorted({j for i in at for j in range(i - before if i > before else 0, i + 1)})
    return at


def _entry(cue: Cue) -> Entry:
    one = cue.before == 0 and _ONE_WORD.match(cue.pattern.strip()) is not None
    return Entry(cue, cue.regex, cue.before, cue.requires, Memo(WORD_MEMO) if one else None)


class Matcher:
    """All cues and markers of a lexicon, indexed by anchor key (markers apart: they are read only when needed)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lexicon = lex
        # key -> the cues (markers) it anchors, each with its place in the lexicon (a selection keeps that order)
        self.index: dict[str, list[tuple[int, Cue]]] = {}
        self.marker_index: dict[str, list[tuple[int, Cue]]] = {}
        self.always: list[Cue] = [c for c in lex.cues if not c.keys]
        for rank, cue in enumerate(lex.cues):
            for k in cue.keys:
                self.index.setdefault(k, []).append((rank, cue))
        self.word_marks: dict[str, list[str]] = {}  # markers that are plain words: found by word, no regex
        for rank, cue in enumerate(marker for markers in lex.markers.values() for marker in markers):
            m = _PLAIN_WORDS.match(cue.pattern)
            if m and not ARABIC.search(cue.pattern):
                for w in m.group(1).lower().replace("’", "'").split("|"):
                    self.word_marks.setdefault(w, []).append(cue.label)
                continue
            for k in cue.keys:
                self.marker_index.setdefault(k, []).append((rank, cue))
        self.keyset = frozenset(self.index)
        self.marker_keyset = frozenset(self.marker_index)
        # every key a cue or marker asks for: anchors, and the other words a cue requires
        self.wanted = self.keyset | self.marker_keyset | {k for c in lex.cues for r in c.requires for k in r}
        self.word_mark_keys = frozenset(WORD_MARK + w for w in self.word_marks)
        # the sure keys some cue or marker needs: a text without them is not tried with it (`lexicon.needs`)
        markers = [m for ms in lex.markers.values() for m in ms]
        self.needed = frozenset(k for c in lex.cues + markers for clause in c.needs for alt in clause for k in alt)
        self._tokens: Memo[str, tuple[str, ...]] = Memo(TOKEN_MEMO)  # token -> its wanted keys
        self._plans: Memo[tuple[tuple[str, ...], ...], Plan] = Memo(PLAN_MEMO)  # the keys of a text's tokens -> plan
        self._chosen: Memo[frozenset[str], Chosen] = Memo(PLAN_MEMO)  # the set of those keys -> what it selects
        self._entries: dict[int, Entry] = {}  # id of a cue -> its entry, made (and its regex compiled) when chosen

    @staticmethod
    def _run(ent: Entry, subject: str, starts: list[int], at: list[int], toks: list[str]) -> list[tuple[int, int]]:
        """Try a cue's regex at the given word starts (a match ends before the next start tried)."""
        rx, memo = ent.regex, ent.memo
        out: list[tuple[int, int]] = []
        reach = -1
        if memo is not None:  # a one-word cue: what it matches at a token depends on the token alone
            for i in at:
                t = toks[i]
                n = memo.get(t)
                if n is None:
                    m = rx.match(t)
                    n = memo.keep(t, m.end() if m is not None else 0)
                p = starts[i]
                if n and p >= reach:
                    out.append((p, p + n))
                    reach = p + n
            return out
        for p in map(starts.__getitem__, at):
            if p < reach:
                continue
            m = rx.match(subject, p)
            if m is not None:
                e = m.end()
                if e > p:
                    out.append((p, e))
                    reach = e
        return out

    def _token_keys(self, tok: str) -> tuple[str, ...]:
        """The keys of a token that some cue or marker asks for."""
        if "\u0600" <= tok[0] <= "\u06ff":
            got = tuple(k for k in token_keys(tok, KEY_LEN_AR) if k in self.wanted)
        else:
            key = tok[:KEY_LEN]
            got = (key,) if key in self.wanted else ()
        if tok in self.word_marks:
            got += (WORD_MARK + tok,)
        needed = self.needed
        for run in tok.split("'") if "'" in tok else (tok,):
            for k in sure_keys(run):
                if k in needed and k not in got and SURE + k not in got:
                    got += (SURE + k,)
        return got

    def _plan(self, toks: list[str]) -> Plan:
        """The cues and markers to try on a text and where, from its tokens' keys (remembered per key sequence)."""
        memo = self._tokens
        try:
            keys = tuple(map(memo.__getitem__, toks))  # each token's keys, looked up in C
        except KeyError:
            # (not set.difference(memo): for a dict subclass it walks the whole memo, ~2 ms when full)
            new = set(filterfalse(memo.__contains__, toks))
            if memo.make_room(len(new)):  # some of this text's tokens may have gone with the older half
                new = set(filterfalse(memo.__contains__, toks))
            memo.update((t, self._token_keys(t)) for t in new)
            keys = tuple(map(memo.__getitem__, toks))
        # a plan reads only the tokens that have keys: without the trailing ones that have none (links, numbers,
        # tags) the texts of one template share more plans (17,843 -> 10,665 in a worker's half of the bench)
        n = len(keys)
        while n and not keys[n - 1]:
            n -= 1
        keys = keys[:n]
        plan = self._plans.get(keys)
        return self._plans.keep(keys, self._make_plan(keys)) if plan is None else plan

    def _make_plan(self, keys: tuple[tuple[str, ...], ...]) -> Plan:
        """For each wanted key, the tokens holding it; then the selected cues and markers at those tokens."""
        where: dict[str, list[int]] = {}
        for i in [i for i, ks in enumerate(keys) if ks]:
            for k in keys[i]:
                idx = where.get(k)
                if idx is None:
                    where[k] = [i]
                else:
                    idx.append(i)
        present = frozenset(where)
        chosen = self._chosen.get(present)
        if chosen is None:
            chosen = self._chosen.keep(present, self._choose(present))
        return Plan(
            [Try(a.entry, _at(a.entry, a.keys, where)) for a in chosen.cues],
            [Try(a.entry, _at(a.entry, a.keys, where)) for a in chosen.markers],
            [WordMarks(k[1:], where[k], self.word_marks[k[1:]]) for k in chosen.words],
        )

    def _choose(self, present: frozenset[str]) -> Chosen:
        """Cues whose anchor and other words are all there, markers whose anchor is; each with its keys there.

        A cue or marker whose needs (`lexicon.needs`) the text's sure keys do not meet could match nowhere in it:
        it is left out (the speech-act rows anchor on common words: 427.1k -> 350.7k instructions per post).
        """
        cands: dict[int, tuple[Cue, list[str]]] = {}  # by place in the lexicon
        # the text's sure keys: marked ones, and its anchor keys (a sure key that is also one is kept unmarked)
        sure = present.union([k[1:] for k in present if k[0] == SURE])
        for k in self.keyset.intersection(present):
            for rank, cue in self.index[k]:
                got = cands.get(rank)
                if got is not None:
                    got[1].append(k)
                elif (not cue.requires or _all_there(cue.requires, present)) and _needs_met(cue.needs, sure):
                    cands[rank] = (cue, [k])
        found: dict[int, tuple[Cue, list[str]]] = {}
        for k in self.marker_keyset.intersection(present):
            for rank, cue in self.marker_index[k]:
                got = found.get(rank)
                if got is not None:
                    got[1].append(k)
                elif _needs_met(cue.needs, sure):
                    found[rank] = (cue, [k])
        words = list(self.word_mark_keys.intersection(present))
        entry = self._entry_of
        # in lexicon order, whatever the order of the set: cues matching the same words come out the same in every run
        return Chosen(
            [Anchored(entry(c), tuple(ks)) for _, (c, ks) in sorted(cands.items())],
            [Anchored(entry(c), tuple(ks)) for _, (c, ks) in sorted(found.items())],
            sorted(words),
        )

    def _entry_of(self, cue: Cue) -> Entry:
        """A cue's entry, made once, when a text first needs the cue."""
        ent = self._entries.get(id(cue))
        if ent is None:
            ent = self._entries[id(cue)] = _entry(cue)
        return ent

    def find(self, text: str) -> Found:
        """Every cue occurrence in the text with its context, and the marker spans."""
        low = text.lower().replace("’", "'")
        if len(low) != len(text):  # a few characters change length when lower-cased: keep offsets exact
            low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text).replace("’", "'")
        offsets: list[int] | None = None
        subject = low
        if not low.isascii() and ARABIC.search(low) is not None:
            # Arabic cues match folded text: no diacritics, one alef, one ya, one ha
            subject, offsets = fold_with_offsets(low)
        # one scan for the tokens; the lengths of the gaps give where they start
        parts: list[str] | None = None
        pieces: list[str] = []
        if "'" not in subject:  # the words' starts are found only when a cue is tried
            pieces = gap_pieces(subject)
            toks = list(filter(None, pieces))
        else:
            parts = _SPLIT.split(subject)
            toks = parts[1::2]
        plan = self._plan(toks)
        cands = plan.cues
        if not cands and not self.always:
            return Found([], {}, toks)
        starts = _piece_starts(pieces) if parts is None else list(accumulate(map(len, parts)))[0:-1:2]
        raw: list[tuple[Cue, int, int]] = []
        weights: dict[str, float] = {}
        run = self._run
        context: list[Try] = []
        for tried in cands:
            ent = tried.entry
            cue = ent.cue
            if cue.weight < 0:  # a context cue matters only beside a cue of its label: tried after them
                context.append(tried)
                continue
            for s, e in run(ent, subject, starts, tried.at, toks):
                raw.append((cue, s, e))
                weights[cue.label] = weights.get(cue.label, 0.0) + cue.weight
        for tried in context:
            cue = tried.entry.cue
            if weights.get(cue.label, 0.0) > 0:
                for s, e in run(tried.entry, subject, starts, tried.at, toks):
                    raw.append((cue, s, e))
                    weights[cue.label] += cue.weight
        for cue in self.always:
            for m in cue.regex.finditer(subject):
                s, e = m.span()
                if e > s and not (s and (subject[s - 1].isalnum() or subject[s - 1] == "_")):
                    raw.append((cue, s, e))
                    weights[cue.label] = weights.get(cue.label, 0.0) + cue.weight
        marks: Marks = {}
        if not raw or max(weights.values()) < THRESHOLD:  # markers only qualify cues that can make a label
            return Found([], marks, toks)
        # spans of the folded text are the text's own when folding dropped nothing (most texts): no _back per span
        for tried in plan.markers:
            got = run(tried.entry, subject, starts, tried.at, toks)
            if got:
                if offsets is not None:
                    got = [_back(s, e, offsets, text) for s, e in got]
                marks.setdefault(tried.entry.cue.label, []).extend(got)
        for w in plan.words:
            t, labels = w.word, w.labels
            for i in w.at:
                span = _back(starts[i], starts[i] + len(t), offsets, text)
                for lab in labels:
                    marks.setdefault(lab, []).append(span)
        spans = [(s, e) for _, s, e in raw] if offsets is None else [_back(s, e, offsets, text) for _, s, e in raw]
        hits = [
            Hit(c, text[s:e], s, e, read)
            for (c, _, _), (s, e), read in zip(raw, spans, negation.read_all(text, spans, marks), strict=True)
        ]
        hits.sort(key=_START)
        return Found(hits, marks, toks)

    @staticmethod
    def eyewitness_marker(text: str, marks: Marks) -> str | None:
        """A phrase saying the author is there ("outside my window"), unless it sits in quotation marks."""
        for s, e in sorted(marks.get(EYEWITNESS, ())):
            sent_start, _ = negation.sentence(text, s, e)
            if not negation.is_quoted(text, sent_start, s):
                return text[s:e]
        return None

    @staticmethod
    def relay_marker(text: str, marks: Marks) -> str | None:
        """A phrase saying the author relays others' news ("according to", "BREAKING")."""
        spans = marks.get(RELAY)
        if not spans:
            return None
        s, e = min(spans)
        return text[s:e]
