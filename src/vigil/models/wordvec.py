"""Word vectors learnt from the training texts themselves (PPMI + SVD), and a text's vector: their idf-weighted mean.

A linear model over n-grams knows only the n-grams its training events used; a new crisis says the same things
with other words. Vectors factorised from which words occur near which (positive pointwise mutual information,
truncated SVD: Levy & Goldberg 2014) put words used alike near each other, so a text's mean vector carries over
to words the labels never met beside a label. Nothing is downloaded: the vectors come from the texts given.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_URL = re.compile(r"https?://\S+|www\.\S+")
_TOKEN = re.compile(r"[#@]?\w+")
LONGEST = 40  # longer runs of letters are not words (and would widen the stored word list to their length)


def tokens(text: str) -> list[str]:
    """A text's words, lower-cased; links, @mentions (a name, not what is said) and runs over LONGEST left out."""
    return [w for w in _TOKEN.findall(_URL.sub(" ", text.lower())) if w[0] != "@" and len(w) <= LONGEST]


@dataclass
class WordVectors:
    """Words, their vectors (unit length, float16-exact) and idf; embed gives a text's vector."""

    words: list[str]
    vectors: np.ndarray  # (len(words), dim) float32
    idf: np.ndarray  # (len(words),) float32

    def __post_init__(self) -> None:
        self.index = {w: i for i, w in enumerate(self.words)}

    @property
    def dim(self) -> int:
        """How many numbers a vector has."""
        return int(self.vectors.shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Each text's idf-weighted mean word vector, unit length (zeros for a text with no known word)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        index = self.index
        for row, text in enumerate(texts):
            ids = [i for i in (index.get(w) for w in tokens(text)) if i is not None]
            if ids:
                v = self.idf[ids] @ self.vectors[ids]
                norm = float(np.linalg.norm(v))
                if norm > 0:
                    out[row] = v / norm
        return out


def _cooccurrence(docs: list[list[int]], size: int, window: int) -> sp.csr_matrix:
    """Words × words: each pair within `window` of each other in a text, counted 1/distance."""
    flat = np.fromiter((i for d in docs for i in d), dtype=np.int64)
    doc = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    rows, cols, vals = [], [], []
    for k in range(1, window + 1):
        same = doc[k:] == doc[:-k]
        a, b = flat[:-k][same], flat[k:][same]
        rows += [a, b]
        cols += [b, a]
        vals += [np.full(2 * len(a), 1.0 / k)]
    if not rows:
        return sp.csr_matrix((size, size))
    data = np.concatenate(vals)
    return sp.csr_matrix((data, (np.concatenate(rows), np.concatenate(cols))), shape=(size, size))


def build(texts: list[str], dim: int = 300, window: int = 10, min_count: int = 3, seed: int = 0) -> WordVectors | None:
    """Vectors of the words seen at least min_count times in texts; None when too few words for dim."""
    from sklearn.utils.extmath import randomized_svd

    docs_words = [tokens(t) for t in texts]
    counts = Counter(w for d in docs_words for w in d)
    words = sorted((w for w, n in counts.items() if n >= min_count), key=lambda w: (-counts[w], w))
    if len(words) <= dim:
        return None
    index = {w: i for i, w in enumerate(words)}
    docs = [[index[w] for w in d if w in index] for d in docs_words]
    m = _cooccurrence(docs, len(words), window).tocoo()
    total = m.data.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    col_sum = np.asarray(m.sum(axis=0)).ravel() ** 0.75  # context counts smoothed (Levy et al. 2015)
    col_sum = col_sum / col_sum.sum() * total
    pmi = np.log(m.data * total / (row_sum[m.row] * col_sum[m.col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    u, s, _ = randomized_svd(ppmi, dim, random_state=seed)
    vectors = u * np.sqrt(s)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    df = Counter(w for d in docs_words for w in set(d) if w in index)
    idf = np.log(len(texts) / np.array([df[w] for w in words], dtype=np.float64))
    # stored as float16: rounded here so the model in memory is the model on disk
    return WordVectors(words, vectors.astype(np.float16).astype(np.float32), idf.astype(np.float16).astype(np.float32))
