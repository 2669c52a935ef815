"""The built-in triage model at run time: hashed features, one logistic head per label, plain numpy on saved weights."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vigil.models.features import MASK64, FeatureParams, Featurizer, normalize, word_hash
from vigil.models.files import load_arrays, read_json_object
from vigil.models.mapping import HEADS
from vigil.text.memo import Memo

FORMAT = 1  # bump when the files' layout or the features' meaning change: older files are then refused
STEM = "triage"  # triage.npz (weights), triage.json (parameters, thresholds), triage.card.json (the model card)
_ARRAYS = {"rows": np.integer, "values": np.floating, "intercept": np.floating, "calibration": np.floating}
_WORD = re.compile(r"[\w']+")
LANG_GROUPS = ("en", "ar", "other")
MAX_WORDS = 200_000  # words whose column is remembered


def unigram_column(word: str, bits: int) -> int:
    """The hashed column Featurizer gives a word as a unigram (its splitmix64 finaliser, in Python integers)."""
    x = word_hash(word) ^ ((201 * 0xD6E8FEB86659FD93) & MASK64)
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return (x ^ (x >> 31)) >> (64 - bits)


class ModelFileError(Exception):
    """A built-in model file is missing, truncated, unsafe or from another version (the message names it)."""


def builtin_dir() -> Path:
    """Where the shipped weights live (package data)."""
    return Path(__file__).resolve().parent / "builtin"


def lang_group(lang: str | None) -> str:
    """The threshold set for a language: en, ar, or other."""
    return lang if lang in ("en", "ar") else "other"


@dataclass
class TriageModel:
    """Weights (features × heads), intercepts, Platt calibration (a, b per head) and thresholds per language group."""

    params: FeatureParams
    heads: tuple[str, ...]
    weights: np.ndarray
    intercept: np.ndarray
    calibration: np.ndarray  # (2, heads): p = sigmoid(a * z + b)
    thresholds: dict[str, dict[str, float]]
    card: dict[str, Any]

    def __post_init__(self) -> None:
        self.featurizer = Featurizer(self.params)
        self._columns: Memo[str, int] = Memo(MAX_WORDS)  # word -> its unigram's column, remembered

    def decisions(self, texts: list[str]) -> np.ndarray:
        """Raw scores, one column per head."""
        X = self.featurizer.transform(texts)
        return np.asarray(X @ self.weights) + self.intercept

    def proba(self, texts: list[str]) -> np.ndarray:
        """Calibrated probability of each head for each text."""
        if not texts:
            return np.zeros((0, len(self.heads)), dtype=np.float32)
        z = self.decisions(texts) * self.calibration[0] + self.calibration[1]
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float32)

    def words(self, text: str, head: str, top: int = 3) -> list[str]:
        """The text's words whose own weight (as a word, not its char n-grams) counted most for a head."""
        j = self.heads.index(head)
        norm = normalize(text)
        toks = list(dict.fromkeys(m.group() for m in _WORD.finditer(norm) if any(ch.isalpha() for ch in m.group())))
        if not toks:
            return []
        cols, w = self._columns, self.weights
        scored: list[tuple[float, str]] = []
        for tok in toks:
            c = cols.get(tok)
            if c is None:
                c = cols.keep(tok, unigram_column(tok, self.params.bits))
            scored.append((float(w[c, j]), tok))
        scored.sort(key=lambda x: -x[0])
        originals = {m.group().lower(): m.group() for m in _WORD.finditer(text)}
        return [originals.get(t, t) for s, t in scored[:top] if s > 0]


def load(folder: Path | None = None) -> TriageModel:
    """Load and check the built-in model (or one saved in `folder` the same way)."""
    d = folder or builtin_dir()
    meta_path = d / f"{STEM}.json"
    meta = read_json_object(meta_path, ModelFileError)
    if meta.get("format") != FORMAT:
        raise ModelFileError(
            f"{meta_path}: model format {meta.get('format')!r} (made by Vigil {meta.get('vigil_version', '?')}); "
            f"this Vigil reads format {FORMAT}: rebuild it with `make models`"
        )
    try:
        params = FeatureParams.from_json(meta["features"])
        heads = tuple(str(h) for h in meta["heads"])
        thresholds = {g: {h: float(v) for h, v in meta["thresholds"][g].items()} for g in LANG_GROUPS}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(f"{meta_path}: bad parameters ({exc})") from exc
    if set(heads) != set(HEADS) or any(set(t) - set(heads) for t in thresholds.values()):
        raise ModelFileError(f"{meta_path}: heads {list(heads)} are not this Vigil's {list(HEADS)}")
    arrays = load_arrays(d / f"{STEM}.npz", _ARRAYS, ModelFileError)
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
        raise ModelFileError(f"{d / (STEM + '.npz')}: weights do not match the model's parameters")
    weights = np.zeros((params.n_features, n), dtype=np.float32)
    weights[rows.astype(np.int64)] = values.astype(np.float32)
    card: dict[str, Any] = {}
    return TriageModel(params, heads, weights, intercept.astype(np.float32), calib.astype(np.float32), thresholds, card)


def save(folder: Path, model: TriageModel, meta_extra: dict[str, Any], card: dict[str, Any]) -> None:
    """Write the weights (float16, only rows in use), the parameters and the card."""
    folder.mkdir(parents=True, exist_ok=True)
    used = np.flatnonzero(np.any(model.weights != 0, axis=1))
    with (folder / f"{STEM}.npz").open("wb") as fh:
        np.savez_compressed(
            fh,
            rows=used.astype(np.int32),
            values=model.weights[used].astype(np.float16),
            intercept=model.intercept.astype(np.float32),
            calibration=model.calibration.astype(np.float32),
        )
    meta = {
        "format": FORMAT,
        "kind": "hashed-linear, one logistic head per label",
        "heads": list(model.heads),
        "features": model.params.to_json(),
        "thresholds": model.thresholds,
        **meta_extra,
    }
    for name, obj in ((f"{STEM}.json", meta), (f"{STEM}.card.json", card)):
        (folder / name).write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
