"""The built-in triage model at run time: hashed features, one logistic head per label, plain numpy on saved weights."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from vigil.models.combine import OR, Policy
from vigil.models.farewell import FAREWELL
from vigil.models.features import MASK64, FeatureParams, Featurizer, Words, normalize, word_hash
from vigil.models.files import load_arrays, read_json_object
from vigil.models.mapping import HEADS
from vigil.models.triage_files import ARRAYS, FORMAT, STEM, ModelFileError, builtin_dir, check_format
from vigil.text.memo import Memo

# farewell.npz and farewell.json (FAREWELL): the head that completes the rules' weak farewell signs
_ARRAYS = dict(zip(ARRAYS, (np.integer, np.floating, np.floating, np.floating), strict=True))  # each array's kind
_WORD = re.compile(r"[\w']+")
LANG_GROUPS = ("en", "ar", "other")
MAX_WORDS = 200_000  # words whose column is remembered
MAX_TEXTS = 1_000  # texts whose words and their weights are remembered (for the words that weighed most)
BATCH = 1_000  # texts featurised at once


def unigram_column(word: str, bits: int) -> int:
    """The hashed column Featurizer gives a word as a unigram (its splitmix64 finaliser, in Python integers)."""
    x = word_hash(word) ^ ((201 * 0xD6E8FEB86659FD93) & MASK64)
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return (x ^ (x >> 31)) >> (64 - bits)


def lang_group(lang: str | None) -> str:
    """The threshold set for a language: en, ar, or other."""
    return lang if lang in ("en", "ar") else "other"


class LastScored(NamedTuple):
    """The words of the texts a model scored last, by text: what `top_words` reads them from."""

    words: list[Words]  # each featurised batch's
    at: dict[str, tuple[int, int]]  # text -> (its batch, its place in it)


class TextWords(NamedTuple):
    """A text's words as the model reads them, their weights for each head, and each as the text writes it."""

    words: list[str]
    weights: np.ndarray  # (words, heads)
    originals: dict[str, str]


@dataclass
class TriageModel:
    """Weights of the feature columns in use (× heads), intercepts, Platt calibration and thresholds per language."""

    params: FeatureParams
    heads: tuple[str, ...]
    weights: np.ndarray  # (features, heads) as training makes it; after init, the rows of `rows` and a row of zeros
    intercept: np.ndarray
    calibration: np.ndarray  # (2, heads): p = sigmoid(a * z + b)
    thresholds: dict[str, dict[str, float]]
    card: dict[str, Any]
    policies: dict[str, Policy] = field(default_factory=dict)  # how rules and model combine, per language group
    rows: np.ndarray | None = None  # the feature columns in use, when `weights` holds only theirs (as loaded)
    farewell: TriageModel | None = None  # its own head (same features): completes a weak farewell sign of the rules

    def policy(self, group: str) -> Policy:
        """The combination of a language group (rule OR model when the file chose none)."""
        return self.policies.get(group, OR)

    def __post_init__(self) -> None:
        self.featurizer = Featurizer(self.params)
        self._columns: Memo[str, int] = Memo(MAX_WORDS)  # word -> its unigram's column, remembered
        self._words: Memo[str, TextWords] = Memo(MAX_TEXTS)
        self._scored = LastScored([], {})
        if self.rows is None:  # dense (features × heads): keep the rows of the columns in use
            self.rows = np.flatnonzero(np.any(self.weights != 0, axis=1))
            self.weights = self.weights[self.rows]
        n = len(self.rows)
        if len(self.weights) == n:  # a row of zeros for the columns not in use
            self.weights = np.vstack((self.weights, np.zeros((1, len(self.heads)), dtype=self.weights.dtype)))
        # a column's row in weights: 4 bytes a column, where dense weights took 44 (46 MB, laid out at every start)
        self.index = np.full(self.params.n_features, n, dtype=np.int32)
        self.index[self.rows] = np.arange(n, dtype=np.int32)

    def joined(self) -> TriageModel:
        """The model with its farewell head as one more head, so that one product scores both.

        The features are the same, and so are the sums: each head's column adds the same products in the same order.
        """
        head = self.farewell
        if head is None or self.rows is None or head.rows is None:
            return self
        rows = np.sort(np.concatenate((self.rows, head.rows)), kind="stable")  # two sorted runs: merged in linear time
        rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]  # (np.union1d hashes them: 0.12 s against 5 ms)
        at = np.zeros(self.params.n_features, dtype=np.int32)  # a column's row in the joined weights
        at[rows] = np.arange(len(rows), dtype=np.int32)
        weights = np.zeros((len(rows) + 1, len(self.heads) + 1), dtype=np.float32)
        weights[at[self.rows], :-1] = self.weights[:-1]
        weights[at[head.rows], -1] = head.weights[:-1, 0]
        return TriageModel(
            self.params,
            (*self.heads, *head.heads),
            weights,
            np.concatenate((self.intercept, head.intercept)),
            np.concatenate((self.calibration, head.calibration), axis=1),
            {g: {**t, **head.thresholds[g]} for g, t in self.thresholds.items()},
            self.card,
            self.policies,
            rows,
        )

    def decisions(self, texts: list[str]) -> np.ndarray:
        """Raw scores, one column per head (the texts' words are kept until the next call, for `top_words`)."""
        scored = LastScored([], {})
        out = [self._decisions(texts[i : i + BATCH], scored) for i in range(0, len(texts), BATCH)]
        self._scored = scored  # replaced whole: a reader holds one call's words, never a mix of two
        return np.concatenate(out) if out else np.zeros((0, len(self.heads)), dtype=np.float32)

    def _decisions(self, texts: list[str], scored: LastScored) -> np.ndarray:
        """X @ W + b for a batch, X's columns read as rows of the weights in use (scipy adds in order: same sums)."""
        data, cols, indptr, words = self.featurizer.entries_and_words(texts)
        scored.at.update((t, (len(scored.words), i)) for i, t in enumerate(texts))
        scored.words.append(words)
        X = sp.csr_matrix((data, self.index[cols], indptr), shape=(len(texts), len(self.weights)))
        return np.asarray(X @ self.weights) + self.intercept

    def proba(self, texts: list[str]) -> np.ndarray:
        """Calibrated probability of each head for each text."""
        if not texts:
            return np.zeros((0, len(self.heads)), dtype=np.float32)
        z = self.decisions(texts) * self.calibration[0] + self.calibration[1]
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float32)

    def words(self, text: str, head: str, top: int = 3) -> list[str]:
        """The text's words whose own weight (as a word, not its char n-grams) counted most for a head."""
        got = self._words.get(text)
        if got is None:
            got = self._words.keep(text, self._text_words(text))
        if not got.words:
            return []
        j = self.heads.index(head)
        scored = [x for x in zip(got.weights[:, j].tolist(), got.words, strict=True) if x[0] > 0]
        scored.sort(key=lambda x: -x[0])  # stable: of equal weights, the word written first
        return [got.originals.get(t, t) for _, t in scored[:top]]

    def top_words(self, asks: list[tuple[str, str]], top: int = 3) -> list[list[str]]:
        """`words(text, head)` for each ask; texts of the last `decisions` call are read from its batches at once."""
        from vigil.models.weighed import pick

        out: list[list[str]] = [[] for _ in asks]
        by_batch: dict[int, list[int]] = {}
        scored = self._scored
        last = scored.at
        for k, (text, _) in enumerate(asks):
            at = last.get(text)
            by_batch.setdefault(-1 if at is None else at[0], []).append(k)
        for k in by_batch.pop(-1, ()):
            out[k] = self.words(asks[k][0], asks[k][1], top)
        for b, ks in by_batch.items():
            words = scored.words[b]
            docs = np.array([last[asks[k][0]][1] for k in ks], dtype=np.int64)
            heads = np.array([self.heads.index(asks[k][1]) for k in ks], dtype=np.int64)
            picked = pick(words, docs, heads, self.index, self.weights, top)
            starts, ends = words.starts[picked.word].tolist(), words.ends[picked.word].tolist()
            joined = words.joined if starts else ""
            originals: dict[str, dict[str, str]] = {}
            for j, a, z in zip(picked.ask.tolist(), starts, ends, strict=True):
                text, t = asks[ks[j]][0], joined[a:z]
                written = originals.get(text)
                if written is None:
                    written = originals[text] = {} if text == text.lower() else _originals(text)
                out[ks[j]].append(written.get(t, t))
            for j in picked.unread.tolist():
                out[ks[j]] = self.words(asks[ks[j]][0], asks[ks[j]][1], top)
        return out

    def _text_words(self, text: str) -> TextWords:
        """A text's distinct words with letters, each one's unigram weights, and the original of each."""
        norm = normalize(text)
        toks = [t for t in dict.fromkeys(_WORD.findall(norm)) if t.isalpha() or any(c.isalpha() for c in t)]
        cols = self._columns
        at: list[int] = []
        for tok in toks:
            c = cols.get(tok)
            at.append(cols.keep(tok, unigram_column(tok, self.params.bits)) if c is None else c)
        return TextWords(toks, self.weights.take(self.index.take(at), axis=0), _originals(text) if toks else {})


def _originals(text: str) -> dict[str, str]:
    """Each word of a text in lower case -> as the text writes it (its last writing)."""
    return {w.lower(): w for w in _WORD.findall(text)}


def load(folder: Path | None = None) -> TriageModel:
    """Load and check the built-in model and its farewell head (or ones saved in `folder` the same way)."""
    d = folder or builtin_dir()
    model = _read(d, STEM, HEADS)
    model.farewell = _read(d, FAREWELL, (FAREWELL,))
    if model.farewell.params != model.params:
        raise ModelFileError(f"{d / (FAREWELL + '.json')}: features differ from {STEM}.json's")
    return model


def _read(d: Path, stem: str, expected: tuple[str, ...]) -> TriageModel:
    """One saved set of heads: `<stem>.json` and `<stem>.npz`, checked."""
    meta_path = d / f"{stem}.json"
    meta = read_json_object(meta_path, ModelFileError)
    check_format(meta, meta_path)
    try:
        params = FeatureParams.from_json(meta["features"])
        heads = tuple(str(h) for h in meta["heads"])
        thresholds = {g: {h: float(v) for h, v in meta["thresholds"][g].items()} for g in LANG_GROUPS}
        policies = {g: Policy.from_json(v) for g, v in (meta.get("combine") or {}).items() if g in LANG_GROUPS}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(f"{meta_path}: bad parameters ({exc})") from exc
    if set(heads) != set(expected) or any(set(t) - set(heads) for t in thresholds.values()):
        raise ModelFileError(f"{meta_path}: heads {list(heads)} are not this Vigil's {list(expected)}")
    arrays = load_arrays(d / f"{stem}.npz", _ARRAYS, ModelFileError)
    rows, values, intercept, calib = arrays["rows"], arrays["values"], arrays["intercept"], arrays["calibration"]
    n = len(heads)
    if (
        values.ndim != 2
        or values.shape != (len(rows), n)
        or intercept.shape != (n,)
        or calib.shape != (2, n)
        or (len(rows) and (rows.min() < 0 or rows.max() >= params.n_features))
        or not np.all(np.isfinite(values))
    ):
        raise ModelFileError(f"{d / (stem + '.npz')}: weights do not match the model's parameters")
    weights = np.zeros((len(rows) + 1, n), dtype=np.float32)  # the last row, zeros, for the columns not in use
    weights[:-1] = values
    card: dict[str, Any] = {}
    return TriageModel(
        params,
        heads,
        weights,
        intercept.astype(np.float32),
        calib.astype(np.float32),
        thresholds,
        card,
        policies,
        rows,
    )


def save(folder: Path, model: TriageModel, meta_extra: dict[str, Any], card: dict[str, Any], stem: str = STEM) -> None:
    """Write the weights (float16, only rows in use), the parameters and the card (with the farewell head's files).

    The weights are stored uncompressed: 11.7 MB with the farewell head instead of 8.5, and read in 0.039 s instead of
    0.093 by every ingest worker (inflating them was more than half of loading the model).
    """
    folder.mkdir(parents=True, exist_ok=True)
    assert model.rows is not None
    weights = model.weights[: len(model.rows)]
    used = np.any(weights != 0, axis=1)
    with (folder / f"{stem}.npz").open("wb") as fh:
        np.savez(
            fh,
            rows=model.rows[used].astype(np.int32),
            values=weights[used].astype(np.float16),
            intercept=model.intercept.astype(np.float32),
            calibration=model.calibration.astype(np.float32),
        )
    meta = {
        "format": FORMAT,
        "kind": "hashed-linear, one logistic head per label" if stem == STEM else "hashed-linear, one logistic head",
        "heads": list(model.heads),
        "features": model.params.to_json(),
        "thresholds": model.thresholds,
        "combine": {g: p.to_json() for g, p in model.policies.items()},
        **meta_extra,
    }
    files = [(f"{stem}.json", meta)] + ([(f"{STEM}.card.json", card)] if stem == STEM else [])
    for name, obj in files:
        (folder / name).write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if stem == STEM and model.farewell is not None:
        save(folder, model.farewell, meta_extra, {}, FAREWELL)
