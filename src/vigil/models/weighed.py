"""The words that weighed most for a head, for many texts of one featurised batch at once (numpy, no loop per word)."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from vigil.models.features import Words


class Picked(NamedTuple):
    """The words chosen, best first within each ask, and the asks the batch's words cannot answer."""

    ask: np.ndarray  # the ask each chosen word answers (asks in order)
    word: np.ndarray  # the word's place among the batch's words
    unread: np.ndarray  # asks whose text has a letter beyond the BMP: the features split words there, `\w` does not


@lru_cache(maxsize=1)
def _letter_table() -> np.ndarray:
    """Which BMP code points are letters (str.isalpha)."""
    return np.array([chr(i).isalpha() for i in range(65536)], dtype=bool)


def _has_letter(words: Words, at: np.ndarray) -> np.ndarray:
    """Whether each of the words at `at` has a letter (read only on their own characters, not the whole batch's)."""
    starts, ends = words.starts[at], words.ends[at]
    size = ends - starts
    first = np.cumsum(size) - size  # each word's first character among theirs
    chars = words.codes[np.repeat(starts - first, size) + np.arange(size.sum())]
    letter = np.zeros(len(chars), dtype=bool)
    bmp = chars < 65536
    letter[bmp] = _letter_table()[chars[bmp]]
    return np.add.reduceat(letter, first) > 0 if len(at) else np.zeros(0, dtype=bool)


def pick(words: Words, docs: np.ndarray, heads: np.ndarray, index: np.ndarray, weights: np.ndarray, top: int) -> Picked:
    """For each ask (text `docs[k]` of the batch, head `heads[k]`), what `TriageModel.words` gives one text.

    That is its distinct words with a letter whose own weight for the head is positive, the `top` largest first (of
    equal weights, the word written first). `index`: a column's row in `weights` (rows × heads).
    """
    lo = np.searchsorted(words.doc, docs, "left")
    count = np.searchsorted(words.doc, docs, "right") - lo
    ask = np.repeat(np.arange(len(docs)), count)
    at = np.arange(len(ask)) - np.repeat(np.cumsum(count) - count, count) + np.repeat(lo, count)
    # distinct words: the first of each (ask, word) in writing order
    hashes = words.hashes[at]
    order = np.lexsort((at, hashes, ask))
    by_ask, by_hash = ask[order], hashes[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (by_ask[1:] != by_ask[:-1]) | (by_hash[1:] != by_hash[:-1])
    distinct = np.zeros(len(at), dtype=bool)
    distinct[order[first]] = True
    w = weights[index[words.columns[at]], heads[ask]]
    keep = (w > 0) & distinct
    keep[keep] = _has_letter(words, at[keep])
    ask, at, w = ask[keep], at[keep], w[keep]
    order = np.lexsort((at, -w, ask))
    ask, at = ask[order], at[order]
    best = np.arange(len(ask)) - np.searchsorted(ask, ask, "left") < top
    # a letter beyond the BMP: `\w` reads it as part of a word, the features' table does not
    cp = words.codes
    astral = np.flatnonzero(cp >= 65536)
    odd = [i for i, c in zip(astral.tolist(), cp[astral].tolist(), strict=True) if chr(c).isalnum()]
    odd_docs = np.unique(np.searchsorted(np.flatnonzero(cp == 0), odd, "right") - 1) if odd else np.zeros(0, int)
    return Picked(ask[best], at[best], np.flatnonzero(np.isin(docs, odd_docs)))
