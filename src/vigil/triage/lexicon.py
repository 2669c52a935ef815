"""Cue lexicons: TSV files (label, pattern, weight, notes) shipped per language, plus the workspace's own rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from vigil.text.normalise import STEM_MIN
from vigil.triage.arabic import is_arabic, key_of, word_regex
from vigil.triage.labels import LABELS, MARKERS

SHIPPED = Path(__file__).parent / "lexicons"
KEY_LEN = 4
KEY_LEN_AR = 3  # Arabic roots have three letters
# Words too common to anchor a cue on when the cue offers a rarer one.
_COMMON_WORDS = (
    "a an the i me my we us our you he she it they is are was were be been am 'm 're to of in on at for with by "
    "and or not no do does can will this that here there from out up so if as all have has more some "
    "nous vous avon est les des une que por para los las con del bir bu ve это мы нам не ми це "
    "lack shor ran run runn anyo anyb plea"
)
COMMON = frozenset(_COMMON_WORDS.split())
_WORDS = re.compile(r"\w+(?:'\w+)?")
_PLAIN = re.compile(r"\w+")
_TOKEN = re.compile(r"\(|\)\??|\||~|[^\s()|~]+")


class LexiconError(ValueError):
    """A lexicon row that cannot be read (file, line, why)."""


class Cue:
    """One lexicon row, compiled: which label it supports, how much, and how to find it."""

    __slots__ = ("label", "pattern", "weight", "lang", "keys", "before", "requires", "needs", "_source", "_rx")

    def __init__(
        self,
        label: str,
        pattern: str,
        weight: float,
        lang: str,
        source: str,
        keys: frozenset[str],
        before: int = 0,
        requires: tuple[frozenset[str], ...] = (),
        needs: Needs = (),
    ) -> None:
        self.label = label
        self.pattern = pattern
        self.weight = weight
        self.lang = lang
        self.keys = keys  # anchor keys, one of which a text must contain; empty: always tried
        self.before = before  # words at most before the anchor word
        self.requires = requires  # for each required word or group, keys one of which the text must hold
        self.needs = needs  # what any match needs in the text's words (`needs`): nothing else can match
        self._source = source
        self._rx: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        """For lower-cased text with Arabic folded; a match must also start at a word boundary."""
        if self._rx is None:
            self._rx = re.compile(self._source)
        return self._rx

    def __repr__(self) -> str:
        return f"Cue({self.label!r}, {self.pattern!r}, {self.weight})"


@dataclass
class Lexicon:
    """All cues and markers of all languages, with the disabled (label, pattern) pairs already removed."""

    cues: list[Cue] = field(default_factory=list)
    markers: dict[str, list[Cue]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


def _word(tok: str) -> tuple[str, str | None]:
    """A pattern word as regex, and its anchor key (None when too short a prefix to anchor)."""
    star = tok.endswith("*")
    word = tok.rstrip("*")
    if is_arabic(word):
        rx = word_regex(word, star)
        k = key_of(word)
        return rx, (k[:KEY_LEN_AR] if (not star or len(k) >= KEY_LEN_AR) else None)
    low = word.lower().replace("’", "'")
    rx = re.escape(low).replace("'", "['’]?")
    rx += r"\w*" if star else r"(?!\w)"
    if star and len(low) < KEY_LEN:
        return rx, None
    return rx, low[:KEY_LEN]


def compile_pattern(pattern: str) -> tuple[str, frozenset[str], int]:
    """Translate the lexicon syntax into a regex, its anchor keys, and how many words at most precede the anchor."""
    regex, options = _compile(pattern)
    if not options:
        return regex, frozenset(), 0
    keys, before = min(options, key=lambda o: _anchor_cost(o[0]))
    return regex, keys, before


def _compile(pattern: str) -> tuple[str, list[tuple[frozenset[str], int]]]:
    """The regex, and each required word or group as (its possible keys, words at most before it)."""
    out: list[str] = []
    options: list[tuple[frozenset[str], int]] = []
    stack: list[tuple[list[str | None], int, bool, list[int]]] = []
    need_sep = False
    pos = 0  # words at most before this point (top level)
    for tok in _TOKEN.findall(pattern):
        if tok == "(":
            stack.append(([], len(out), need_sep, [0]))
            out.append("")
            need_sep = False
            continue
        if tok in (")", ")?"):
            if not stack:
                raise LexiconError(f"unbalanced ')' in {pattern!r}")
            alts, at, had_sep, counts = stack.pop()
            width = max(counts)
            if stack:
                stack[-1][3][-1] += width
            if tok == ")":
                out[at] = (r"\W+" if had_sep else "") + "(?:"
                out.append(")")
                if not stack:
                    firsts = _firsts(alts)
                    if firsts:
                        options.append((frozenset(firsts), pos))
                need_sep = True
            elif had_sep:
                out[at] = r"(?:\W+(?:"
                out.append("))?")
                need_sep = True
            else:
                out[at] = "(?:(?:"
                out.append(r")\W+)?")
                need_sep = False
            if not stack:
                pos += width
            continue
        if tok == "|":
            out.append("|")
            need_sep = False
            if stack:
                stack[-1][0].append("|")
                stack[-1][3].append(0)
            continue
        if tok == "~":
            out.append(r"(?:\W+\w+){0,3}?")
            need_sep = True
            if stack:
                stack[-1][3][-1] += 3
            else:
                pos += 3
            continue
        rx, key = _word(tok)
        out.append((r"\W+" if need_sep else "") + rx)
        need_sep = True
        words = max(1, len(_WORDS.findall(tok.rstrip("*"))))
        if stack:
            stack[-1][0].append(key)
            stack[-1][3][-1] += words
        else:
            if key:
                options.append((frozenset({key}), pos))
            pos += words
    if stack:
        raise LexiconError(f"unbalanced '(' in {pattern!r}")
    return "".join(out), options


def _firsts(alts: list[str | None]) -> list[str] | None:
    """The anchor keys of a group's alternatives' first words, or None if one has none."""
    firsts: list[str | None] = []
    take = True
    for item in alts:
        if item == "|":
            take = True
        elif take:
            firsts.append(item)
            take = False
    if firsts and all(firsts):
        return [k for k in firsts if k]
    return None


# What a cue's words need in a text: per required word or group, its alternatives (each the sure keys of the
# words an alternative cannot match without); a text can hold a match only if each clause has an alternative
# whose keys are all among the text's `sure_keys`.
Needs = tuple[tuple[frozenset[str], ...], ...]


def sure_key(tok: str) -> str | None:
    """The key of a pattern word that every text word it matches starts with (`sure_keys`), or None if none is sure.

    A matched word starts where a run of word characters starts: at the token tried, or after a gap. A Latin
    word is that run (or its start, with `*`); an apostrophe in the word may be absent in the text. An Arabic
    word is the run after at most five prefix letters (و ف ب ل ك لل ال), with an ending (a ta marbuta as ت).
    """
    star = tok.endswith("*")
    word = tok.rstrip("*")
    if is_arabic(word):
        w = key_of(word)
        if not star and len(w) < STEM_MIN:
            return w if _PLAIN.fullmatch(w) else None  # no ending: the word ends its run
        if not star and w.endswith("ه"):
            w = w[:-1]  # عائله is also written عائلت+ending
        return w[:KEY_LEN_AR] if len(w) >= KEY_LEN_AR and _PLAIN.fullmatch(w) else None
    low = word.lower().replace("’", "'")
    first = low.split("'")[0]
    if not _PLAIN.fullmatch(first):
        return None
    if len(first) >= KEY_LEN:
        return first[:KEY_LEN]
    return first if first == low and not star else None  # a short word is its whole run


def sure_keys(run: str) -> list[str]:
    """The keys `sure_key` may give a pattern word matching from the start of this run of word characters."""
    if "\u0600" <= run[0] <= "\u06ff":
        return [run[i : i + KEY_LEN_AR] for i in range(min(6, len(run)))]  # after 0 to 5 prefix letters
    return [run[:KEY_LEN]]


_SETS: dict[frozenset[str], frozenset[str]] = {}  # each distinct alternative once, whatever cues share it


@cache  # (each load reads the same patterns: their needs are made once a process)
def needs(pattern: str) -> Needs:
    """The clauses a text must meet for the pattern to match in it, from its top-level words and groups."""
    clauses: list[tuple[frozenset[str], ...]] = []
    stack: list[list[list[str]]] = []  # the open groups: the sure keys of each alternative so far
    for tok in _TOKEN.findall(pattern):
        if tok == "(":
            stack.append([[]])
        elif tok in (")", ")?"):
            alts = stack.pop()  # an optional group, or one nested in another, requires nothing
            if not stack and tok == ")" and all(alts):  # (an alternative without a sure key makes no clause)
                clauses.append(tuple(_SETS.setdefault(frozenset(a), frozenset(a)) for a in alts))
        elif tok == "|":
            if not stack:
                return ()  # the whole pattern is an alternation (a workspace row may be written so)
            stack[-1].append([])
        elif tok != "~" and len(stack) <= 1 and (key := sure_key(tok)) is not None:
            if stack:
                stack[-1][-1].append(key)
            else:
                clauses.append((_SETS.setdefault(frozenset({key}), frozenset({key})),))
    return tuple(clauses)


def _anchor_cost(keys: frozenset[str]) -> tuple[int, int, int]:
    """Prefer anchors that are rare words: no function words, few alternatives, long keys."""
    common = sum(1 for k in keys if k in COMMON or len(k) < 3)
    return common, len(keys), -min(len(k) for k in keys)


def _read_rows(path: Path, lang: str) -> list[tuple[str, str, float, str, str]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0] == "label" and n == 1:
            continue
        if len(cols) < 2:
            raise LexiconError(f"{path}:{n}: expected label<TAB>pattern<TAB>weight<TAB>notes")
        label, pattern = cols[0].strip(), cols[1].strip()
        if label not in LABELS and label not in MARKERS:
            raise LexiconError(f"{path}:{n}: unknown label {label!r}")
        try:
            weight = float(cols[2]) if len(cols) > 2 and cols[2].strip() else 1.0
        except ValueError as exc:
            raise LexiconError(f"{path}:{n}: weight must be a number, got {cols[2]!r}") from exc
        rows.append((label, pattern, weight, lang, f"{path}:{n}"))
    return rows


def load(workspace_dir: Path | None = None) -> Lexicon:
    """The shipped lexicons plus `<workspace>/lexicons/*.tsv`; a workspace row of weight 0 disables a cue."""
    files = sorted(SHIPPED.glob("*.tsv"))
    if workspace_dir is not None and workspace_dir.is_dir():
        files += sorted(workspace_dir.glob("*.tsv"))
    rows: dict[tuple[str, str], tuple[str, str, float, str, str]] = {}
    users: set[tuple[str, str]] = set()  # rows of the workspace's files
    lex = Lexicon()
    for path in files:
        lex.sources.append(str(path))
        for row in _read_rows(path, path.stem):
            key = (row[0], row[1])
            if row[2] == 0:
                rows.pop(key, None)
            else:
                rows[key] = row
                if path.parent != SHIPPED:
                    users.add(key)
    for label, row_pattern, weight, lang, where in rows.values():
        for pattern in split_words(row_pattern):
            try:
                regex, keys, before = compile_pattern(pattern)
                requires = tuple(o[0] for o in _compile(pattern)[1] if o[0] != keys)
                cue = Cue(label, pattern, weight, lang, regex, keys, before, requires, needs(pattern))
                if (label, row_pattern) in users:  # a bad user pattern fails at load, with its file and line
                    _ = cue.regex  # (shipped ones compile when first needed: most never are; a test compiles them)
            except (re.error, LexiconError) as exc:
                raise LexiconError(f"{where}: bad pattern {row_pattern!r}: {exc}") from exc
            if label in MARKERS:
                lex.markers.setdefault(label, []).append(cue)
            else:
                lex.cues.append(cue)
    return lex


_GROUP = re.compile(r"^\(([^()~?]*)\)$")
_ONE = re.compile(r"^\w+\*?$")


def split_words(pattern: str) -> list[str]:
    """A group of words and phrases as two: single words are matched once per token, not by a regex per anchor."""
    m = _GROUP.match(pattern.strip())
    if m is None:
        return [pattern]
    alts = m.group(1).split("|")
    words = [a for a in alts if _ONE.match(a)]
    if not words or len(words) == len(alts):
        return [pattern]
    return ["(" + "|".join(words) + ")", "(" + "|".join(a for a in alts if not _ONE.match(a)) + ")"]
