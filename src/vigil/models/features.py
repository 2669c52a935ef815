"""Text to sparse features, fast: word 1-2 grams and char n-grams hashed with numpy over a whole batch at once."""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

SEP = "\x00"
_URL = re.compile(r"https?://[^\s\x00]+|www\.[^\s\x00]+")
_MENTION = re.compile(r"@\w+")
# digits generalised to 0 and control spaces to spaces: two regexes (str.translate with a dict raises and catches a
# KeyError for every other character: 6 µs per text against 3)
_DIGIT = re.compile("[1-9]")
_CONTROL_SPACE = re.compile("[\t\r\n\f\v]")
_P = np.uint64(0x100000001B3)
_P_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_Q = np.uint64(0x9E3779B97F4A7C15)
MASK64 = _MASK64 = (1 << 64) - 1

# Cues that travel across crises better than a crisis's own words: who speaks, from where, about what they sense.
_SENSE = (
    "felt",
    "feel",
    "feeling",
    "saw",
    "see",
    "seeing",
    "hear",
    "heard",
    "hearing",
    "smell",
    "watched",
    "watching",
    "witnessed",
    "woke",
    "shaking",
)
CUES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "first_person": (("i", "i'm", "im", "i've", "i'd", "i'll", "me", "my", "mine", "myself"), ()),
    "first_plural": (("we", "we're", "our", "ours", "us"), ()),
    "perceive": ((), tuple((a, b) for a in ("i", "we", "just", "still", "was", "it") for b in _SENSE)),
    "here_now": (
        ("here", "outside", "tonight"),
        (
            ("right", "now"),
            ("my", "house"),
            ("our", "house"),
            ("my", "street"),
            ("near", "me"),
            ("in", "my"),
            ("my", "area"),
        ),
    ),
    "alarm": (("shaking", "shook", "tremor", "rumbling", "scary", "scared", "omg", "wow", "whoa", "terrifying"), ()),
    "url": (("urltoken",), ()),
    "mention": (("mentiontoken",), ()),
}
EXTRA_CUES = ("retweet", "question", "exclaim")
WEIGHTINGS = ("block", "tfidf")
MENTIONS = ("token", "keep")


@dataclass
class FeatureParams:
    """Everything that fixes how text becomes features (stored as JSON beside the model)."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    bits: int = 20
    word_weight: float = 1.0
    char_weight: float = 1.0
    cue_weight: float = 0.5
    cues: list[str] = field(default_factory=lambda: [*CUES, *EXTRA_CUES])
    # "block": each n-gram counts 1/sqrt(n-grams in the document), no fitting (the built-in models use it).
    # "tfidf": char and word n-grams in separate halves of the hashed space, 1 + log(count) × idf fitted on the
    # training texts, each half L2-normalised to its weight (as TfidfVectorizer(sublinear_tf=True) per n-gram kind).
    weighting: str = "block"
    # "token": an @mention becomes one token; "keep": the token, then the account's name (who is quoted or retweeted)
    mentions: str = "token"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        d = asdict(self)
        d["word_ngrams"], d["char_ngrams"] = list(self.word_ngrams), list(self.char_ngrams)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FeatureParams:
        """Rebuild from a stored dict, checking each value's type."""
        p = cls(
            word_ngrams=(int(d["word_ngrams"][0]), int(d["word_ngrams"][1])),
            char_ngrams=(int(d["char_ngrams"][0]), int(d["char_ngrams"][1])),
            bits=int(d["bits"]),
            word_weight=float(d["word_weight"]),
            char_weight=float(d["char_weight"]),
            cue_weight=float(d["cue_weight"]),
            cues=[str(c) for c in d["cues"]],
            weighting=str(d.get("weighting", "block")),
            mentions=str(d.get("mentions", "token")),
        )
        unknown = [c for c in p.cues if c not in CUES and c not in EXTRA_CUES]
        bad_ranges = not 10 <= p.bits <= 24 or not 1 <= p.char_ngrams[0] <= p.char_ngrams[1] <= 8
        if unknown or bad_ranges or p.weighting not in WEIGHTINGS or p.mentions not in MENTIONS:
            raise ValueError(f"unsupported feature parameters: {d}")
        return p

    @property
    def n_features(self) -> int:
        """Width of the feature matrix: hashed space plus one column per cue."""
        return (1 << self.bits) + len(self.cues)


def normalize(text: str, mentions: str = "token") -> str:
    """What the features see (never stored): entities decoded, URLs/mentions/digits generalised, lower case."""
    return _CONTROL_SPACE.sub(" ", _DIGIT.sub("0", _generalised(text, mentions)))


def _generalised(text: str, mentions: str) -> str:
    """`normalize` but for digits and control spaces (which lower case leaves alone, and `_codes` maps in numpy)."""
    t = html.unescape(text)
    t = _URL.sub(" urltoken ", t)
    return _MENTION.sub(" mentiontoken \\g<0> " if mentions == "keep" else " mentiontoken ", t).lower()


def _codes(text: str) -> np.ndarray:
    """The code points of a `_generalised` text with digits 1-9 as 0 and control spaces as spaces: `normalize`'s.

    Two masks over the array where the digits' regex took 1.0 ms per 1,000 texts and the control spaces' 0.3 ms.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    codes[(codes >= ord("1")) & (codes <= ord("9"))] = ord("0")
    codes[(codes >= ord("\t")) & (codes <= ord("\r"))] = ord(" ")  # \t \n \v \f \r
    return codes


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """Which BMP code points are word characters (letters, digits, underscore, apostrophe)."""
    return np.array([chr(i).isalnum() or chr(i) in "_'" for i in range(65536)], dtype=bool)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i (mod 2**64) for i < n, cut from a table made for the next power of two (batches vary)."""
    up, down = _power_table(max(1024, 1 << (n - 1).bit_length()))
    return up[:n], down[:n]


@lru_cache(maxsize=2)
def _power_table(n: int) -> tuple[np.ndarray, np.ndarray]:
    up = np.full(n, _P, dtype=np.uint64)
    up[0] = 1
    down = np.full(n, _P_INV, dtype=np.uint64)
    down[0] = 1
    return np.cumprod(up, dtype=np.uint64), np.cumprod(down, dtype=np.uint64)


def _mix(x: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 finaliser: spreads hashes evenly over 64 bits."""
    x = x ^ np.uint64((salt * 0xD6E8FEB86659FD93) & _MASK64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def word_hash(word: str) -> int:
    """The hash _transform gives a token (same polynomial, as a Python int)."""
    h = 0
    for ch in word:
        h = (h * int(_P) + ord(ch) + 1) & _MASK64
    return h


def _bigram_hash(a: str, b: str) -> int:
    return (word_hash(a) * int(_Q) + word_hash(b)) & _MASK64


def _weighted(rows: np.ndarray, n_docs: int, weight: float) -> np.ndarray:
    """Each entry's value: the document's n-grams together have L2 norm `weight` (repeats counted apart)."""
    per_doc = np.bincount(rows, minlength=n_docs).astype(np.float32)
    per_doc[per_doc == 0] = 1.0
    return (weight / np.sqrt(per_doc))[rows]


class CueKeys(NamedTuple):
    """The hashes of every cue's words (or word pairs), sorted, and the cue of each: one search finds them all."""

    keys: np.ndarray
    cue: np.ndarray
    low: np.ndarray  # which values of a hash's low 16 bits some key has: most hashes are ruled out by one lookup

    @classmethod
    def of(cls, sets: list[np.ndarray]) -> CueKeys | None:
        """From each cue's hashes; None when a hash belongs to two cues (each cue is then searched alone)."""
        keys = np.concatenate([*sets, np.zeros(0, dtype=np.uint64)])
        cue = np.repeat(np.arange(len(sets)), [len(x) for x in sets])
        order = np.argsort(keys, kind="stable")
        if len(np.unique(keys)) < len(keys):
            return None
        low = np.zeros(1 << 16, dtype=bool)
        low[(keys & np.uint64(0xFFFF)).astype(np.int64)] = True
        return cls(keys[order], cue[order], low)

    def hits(self, hashes: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The cue and the document of every hash that is a cue's."""
        if not len(self.keys):
            return np.zeros(0, dtype=np.int64), docs[:0]
        maybe = np.flatnonzero(self.low[(hashes & np.uint64(0xFFFF)).astype(np.int64)])
        at = np.minimum(np.searchsorted(self.keys, hashes[maybe]), len(self.keys) - 1)
        found = self.keys[at] == hashes[maybe]
        return self.cue[at[found]], docs[maybe[found]]


class Words(NamedTuple):
    """The words of a featurised batch, in order: where each is in the normalised texts, and its own column."""

    codes: np.ndarray  # the batch's normalised texts as code points, each after a SEP (positions below index it)
    starts: np.ndarray  # each word's first position in `joined`
    ends: np.ndarray  # and the one past its last
    doc: np.ndarray  # the text it is in (the text's place in the batch)
    hashes: np.ndarray  # its hash (word_hash of its characters)
    columns: np.ndarray  # the column of the word as a unigram

    @property
    def joined(self) -> str:
        """The batch's normalised texts, each after a SEP."""
        return self.codes.tobytes().decode("utf-32-le")


class Featurizer:
    """Hashes normalised texts into a fixed-width sparse matrix; stateless, so nothing to fit."""

    def __init__(self, params: FeatureParams | None = None, idf: np.ndarray | None = None) -> None:
        self.params = params or FeatureParams()
        self.idf = idf  # "tfidf" weighting: one factor per hashed column, 0 where no training text had it
        self._cue_sets: list[tuple[np.ndarray, np.ndarray]] = []
        for name in self.params.cues:
            words, pairs = CUES.get(name, ((), ()))
            self._cue_sets.append(
                (
                    np.array([word_hash(w) for w in words], dtype=np.uint64),
                    np.array([_bigram_hash(a, b) for a, b in pairs], dtype=np.uint64),
                )
            )
        self._cue_keys = (CueKeys.of([w for w, _ in self._cue_sets]), CueKeys.of([p for _, p in self._cue_sets]))

    def transform(self, texts: list[str], batch: int = 5000, canonical: bool = False) -> sp.csr_matrix:
        """Feature rows for texts, in order (canonical: repeated columns summed, as training wants)."""
        if self.params.weighting == "tfidf":
            return self.weigh(self.counts(texts, batch))
        return self._stack([self._transform(texts[i : i + batch]) for i in range(0, len(texts), batch)], canonical)

    def counts(self, texts: list[str], batch: int = 5000) -> sp.csr_matrix:
        """How often each hashed n-gram occurs in each text (cues 0 or 1): what "tfidf" weighting fits and weighs."""
        return self._stack([self._transform(texts[i : i + batch]) for i in range(0, len(texts), batch)], True)

    def raw(self, texts: list[str]) -> sp.csr_matrix:
        """What a model's idf and weights apply to: counts under "tfidf" weighting, else the features themselves."""
        return self.counts(texts) if self.params.weighting == "tfidf" else self.transform(texts, canonical=True)

    def fit_idf(self, counts: sp.csr_matrix) -> None:
        """Smoothed idf of each hashed column over the training texts' counts; 0 for columns none of them has."""
        hashed = 1 << self.params.bits
        df = np.bincount(counts.indices, minlength=counts.shape[1])[:hashed]
        idf = np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0
        self.idf = np.where(df > 0, idf, 0.0).astype(np.float32)

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Counts to "tfidf" features: (1 + log count) × idf, each kind of n-gram L2-normalised, cues as they are."""
        p = self.params
        hashed = 1 << p.bits
        cols, data = counts.indices, np.log(counts.data, dtype=np.float32)
        grams = cols < hashed
        data[grams] += 1.0
        data[~grams] = 1.0
        if self.idf is not None:
            data[grams] *= self.idf[cols[grams]]
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        kind = np.minimum(cols >> (p.bits - 1), 2)  # 0 char n-gram, 1 word n-gram, 2 cue
        key = rows * 3 + kind
        norm = np.sqrt(np.bincount(key, weights=data * data, minlength=3 * counts.shape[0])).astype(np.float32)
        norm[2::3] = 1.0  # cues keep their value
        norm[norm == 0] = 1.0
        data *= np.array([p.char_weight, p.word_weight, p.cue_weight], dtype=np.float32)[kind] / norm[key]
        # n-grams no training text had stay as explicit zeros: harmless to the product, cheaper than removing
        return sp.csr_matrix((data, cols.copy(), counts.indptr.copy()), shape=counts.shape)

    def _stack(self, parts: list[sp.csr_matrix], canonical: bool) -> sp.csr_matrix:
        if canonical:
            for part in parts:
                part.sum_duplicates()
        if not parts:
            return sp.csr_matrix((0, self.params.n_features), dtype=np.float32)
        return parts[0] if len(parts) == 1 else sp.csr_matrix(sp.vstack(parts, format="csr"))

    def _transform(self, texts: list[str]) -> sp.csr_matrix:
        data, cols, indptr = self.entries(texts)
        return sp.csr_matrix((data, cols, indptr), shape=(len(texts), self.params.n_features))

    def entries(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows of `_transform` as CSR arrays: values (float32), columns and each text's start (repeats kept)."""
        data, cols, indptr, _ = self.entries_and_words(texts)
        return data, cols, indptr

    def entries_and_words(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, Words]:
        """`entries`, and the batch's words as the features read them (for the words that weighed most)."""
        p = self.params
        n = len(texts)
        codes = _codes(_generalised(SEP + SEP.join(t.replace(SEP, " ") for t in texts) + SEP, p.mentions))
        cp = codes.astype(np.uint64)
        length = len(cp)
        is_sep = cp == 0
        doc = np.cumsum(is_sep) - 1  # the document of each position (a separator opens the next one)
        up, down = _powers(length + 1)
        s = np.zeros(length + 1, dtype=np.uint64)
        np.cumsum((cp + np.uint64(1)) * down[:length], dtype=np.uint64, out=s[1:])
        sepcum = np.concatenate(([0], np.cumsum(is_sep)))
        tfidf = p.weighting == "tfidf"
        shift = np.uint64(64 - p.bits + tfidf)  # "tfidf": char n-grams in the lower half, words in the upper
        word_offset = 1 << (p.bits - 1) if tfidf else 0
        rows_c, cols_c = [], []
        for k in range(p.char_ngrams[0], p.char_ngrams[1] + 1):
            m = max(length - k + 1, 0)  # n-grams start at 0..m-1: hashed over all of them as slices, kept in one text
            inside = sepcum[k : m + k] == sepcum[:m]
            rows_c.append(doc[:m][inside])
            cols_c.append(_mix(((s[k : m + k] - s[:m]) * up[k - 1 : m + k - 1])[inside], 100 + k) >> shift)
        wordish = np.zeros(length, dtype=bool)
        bmp = cp < 65536
        wordish[bmp] = _word_table()[cp[bmp].astype(np.int64)]
        prev = np.concatenate(([False], wordish[:-1]))
        nxt = np.concatenate((wordish[1:], [False]))
        starts = np.flatnonzero(wordish & ~prev)
        ends = np.flatnonzero(wordish & ~nxt) + 1
        th = (s[ends] - s[starts]) * up[ends - 1]
        tdoc = doc[starts]
        rows_w, cols_w = [], []
        unigrams = np.zeros(0, dtype=np.int64)
        grams: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for k in range(1, max(p.word_ngrams[1], 2) + 1):
            m = len(th) - k + 1
            if m <= 0:
                break
            h = th[:m].copy()
            same = np.ones(m, dtype=bool)
            for j in range(1, k):
                h = h * _Q + th[j : m + j]
                same &= tdoc[j : m + j] == tdoc[:m]
            grams[k] = (h[same], tdoc[:m][same])
            if k == 1:
                unigrams = (_mix(h, 201) >> shift).astype(np.int64) + word_offset
            if p.word_ngrams[0] <= k <= p.word_ngrams[1]:
                rows_w.append(grams[k][1])
                col = unigrams if k == 1 else (_mix(grams[k][0], 200 + k) >> shift).astype(np.int64) + word_offset
                cols_w.append(col)
        rows = [np.concatenate(rows_c)]
        cols = [np.concatenate(cols_c).astype(np.int64)]
        data = [np.ones(len(rows[0]), dtype=np.float32) if tfidf else _weighted(rows[0], n, p.char_weight)]
        if rows_w:
            rows.append(np.concatenate(rows_w))
            cols.append(np.concatenate(cols_w))
            data.append(np.ones(len(rows[-1]), dtype=np.float32) if tfidf else _weighted(rows[-1], n, p.word_weight))
        if p.cues and p.cue_weight:
            for j, r in enumerate(self._cue_rows(cp, doc, grams, tdoc, n)):
                rows.append(r)
                cols.append(np.full(len(r), (1 << p.bits) + j, dtype=np.int64))
                data.append(np.full(len(r), 1.0 if tfidf else p.cue_weight, dtype=np.float32))
        all_rows = np.concatenate(rows)
        order = np.argsort(all_rows, kind="stable")  # a few sorted runs: timsort merges them in linear time
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(all_rows, minlength=n), out=indptr[1:])
        words = Words(codes, starts, ends, tdoc, th, unigrams)
        return np.concatenate(data)[order].astype(np.float32), np.concatenate(cols)[order], indptr, words

    def _cue_rows(
        self,
        cp: np.ndarray,
        doc: np.ndarray,
        grams: dict[int, tuple[np.ndarray, np.ndarray]],
        tdoc: np.ndarray,
        n: int,
    ) -> list[np.ndarray]:
        """For each cue, the documents where it occurs."""
        out: list[np.ndarray] = []
        empty = np.zeros(0, dtype=np.int64)
        found = [  # (cue, document) of every cue word and pair, found in one search each (None: cue by cue)
            None if keys is None or k not in grams else keys.hits(*grams[k])
            for k, keys in zip((1, 2), self._cue_keys, strict=True)
        ]
        for j, (name, (words, pairs)) in enumerate(zip(self.params.cues, self._cue_sets, strict=True)):
            if name == "retweet":
                first = np.flatnonzero(np.concatenate(([True], tdoc[1:] != tdoc[:-1]))) if len(tdoc) else empty
                hits = tdoc[first][grams[1][0][first] == np.uint64(word_hash("rt"))] if 1 in grams else empty
            elif name in ("question", "exclaim"):
                hits = doc[cp == ord("?" if name == "question" else "!")]
            else:
                hits = empty
                for k, got, keys in ((1, found[0], words), (2, found[1], pairs)):
                    if not len(keys) or k not in grams:
                        continue
                    docs = got[1][got[0] == j] if got is not None else grams[k][1][np.isin(grams[k][0], keys)]
                    hits = np.concatenate((hits, docs))
            r = np.unique(hits).astype(np.int64)
            out.append(r[(r >= 0) & (r < n)])
        return out
