"""Models on disk, without pickle: weights in .npz (loaded with allow_pickle=False), the rest as JSON, plus a card."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from vigil.models.classifier import Classifier, WordHead
from vigil.models.features import FeatureParams
from vigil.models.files import load_arrays, read_json_object
from vigil.models.paths import models_root
from vigil.models.wordvec import WordVectors

WEIGHTS, MODEL, CARD = "weights.npz", "model.json", "card.json"
FORMAT = 2  # 2: "tfidf" features with an idf array; 1 (still read): "block" features, no idf
WORDS_FORMAT = 3  # 3: format 2 with a word head (its vectors, idf and layer in the same npz)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_ARRAYS = {"rows": np.integer, "values": np.floating, "intercept": np.floating}
_ARRAYS_IDF = {**_ARRAYS, "idf": np.floating}
_ARRAYS_WORDS = {
    **_ARRAYS_IDF,
    "word_list": np.str_,
    "word_vectors": np.floating,
    "word_idf": np.floating,
    "word_weights": np.floating,
    "word_intercept": np.floating,
}


class ModelError(Exception):
    """A model name is invalid, or a stored model is missing, broken or unsafe."""


def check_name(name: str) -> str:
    """A model name: letters, digits, '.', '_', '-', starting with a letter or digit, no '..' (no path tricks)."""
    if not _NAME.match(name) or ".." in name:
        raise ModelError(f"invalid model name {name!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return name


def model_dir(ws_path: Path, name: str) -> Path:
    """The folder of one model."""
    return models_root(ws_path) / check_name(name)


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def save(ws_path: Path, name: str, clf: Classifier, card: dict[str, Any]) -> Path:
    """Write a model (replacing one of the same name) atomically: weights, parameters, card."""
    target = model_dir(ws_path, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target.parent))
    try:
        used = np.flatnonzero(np.any(clf.weights != 0, axis=1))
        arrays: dict[str, np.ndarray] = {
            "rows": used.astype(np.int64),
            "values": clf.weights[used].astype(np.float32),
            "intercept": clf.intercept.astype(np.float32),
        }
        if clf.idf is not None:
            arrays["idf"] = clf.idf.astype(np.float32)
        if clf.words is not None:
            arrays.update(_word_arrays(clf.words))
        np.savez_compressed(tmp / WEIGHTS, **arrays)  # type: ignore[arg-type]
        _write_json(
            tmp / MODEL,
            {
                "format": (WORDS_FORMAT if clf.words is not None else FORMAT) if clf.idf is not None else 1,
                "kind": "hashed-linear",
                **({"word_share": clf.words.share} if clf.words is not None else {}),
                "classes": clf.classes,
                "temperature": clf.temperature,
                "outputs": int(clf.weights.shape[1]),
                "features": clf.params.to_json(),
            },
        )
        _write_json(tmp / CARD, card)
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return target


def load(ws_path: Path, name: str) -> Classifier:
    """Load a model, checking every array and parameter against what a model should be."""
    d = model_dir(ws_path, name)
    if not d.is_dir():
        raise ModelError(f"no model {name!r} in {models_root(ws_path)}")
    meta = read_json_object(d / MODEL, ModelError)
    fmt = meta.get("format")
    if fmt not in (1, FORMAT, WORDS_FORMAT) or meta.get("kind") != "hashed-linear":
        raise ModelError(
            f"{d / MODEL}: unknown model format {fmt!r}/{meta.get('kind')!r} (this Vigil reads formats 1 to "
            f"{WORDS_FORMAT}); train the model again with `vigil model train`"
        )
    try:
        params = FeatureParams.from_json(meta["features"])
        classes = [str(c) for c in meta["classes"]]
        outputs = int(meta["outputs"])
        temperature = float(meta["temperature"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{d / MODEL}: bad parameters ({exc})") from exc
    if (params.weighting == "tfidf") != (fmt != 1):
        raise ModelError(f"{d / MODEL}: format {fmt} does not go with {params.weighting!r} feature weighting")
    by_format: dict[int, dict[str, Any]] = {1: _ARRAYS, FORMAT: _ARRAYS_IDF, WORDS_FORMAT: _ARRAYS_WORDS}
    kinds = by_format[fmt]
    arrays = load_arrays(d / WEIGHTS, kinds, ModelError)
    rows, values, intercept = arrays["rows"], arrays["values"], arrays["intercept"]
    idf = arrays.get("idf")
    if idf is not None and (idf.shape != (1 << params.bits,) or not np.isfinite(idf).all() or idf.min() < 0):
        raise ModelError(f"{d / WEIGHTS}: idf does not match the model's parameters")
    expected_outputs = 1 if len(classes) == 2 else len(classes)
    if (
        len(classes) < 2
        or outputs != expected_outputs
        or values.ndim != 2
        or values.shape != (len(rows), outputs)
        or intercept.shape != (outputs,)
        or (len(rows) and (rows.min() < 0 or rows.max() >= params.n_features))
        or not temperature > 0
    ):
        raise ModelError(f"{d}: weights do not match the model's parameters")
    weights = np.zeros((params.n_features, outputs), dtype=np.float32)
    weights[rows] = values
    idf32 = None if idf is None else idf.astype(np.float32)
    words = _word_head(d, arrays, meta.get("word_share"), outputs) if fmt == WORDS_FORMAT else None
    return Classifier(params, classes, weights, intercept.astype(np.float32), temperature, idf32, words)


def _word_arrays(head: WordHead) -> dict[str, np.ndarray]:
    """A word head as npz arrays (vectors and idf in float16: build() rounds them so, the model is the same)."""
    return {
        "word_list": np.array(head.vectors.words, dtype=np.str_),
        "word_vectors": head.vectors.vectors.astype(np.float16),
        "word_idf": head.vectors.idf.astype(np.float16),
        "word_weights": head.weights.astype(np.float32),
        "word_intercept": head.intercept.astype(np.float32),
    }


def _word_head(d: Path, arrays: dict[str, np.ndarray], share: Any, outputs: int) -> WordHead:
    """The word head of a format-3 model, every array checked against the others."""
    words, vectors, idf = arrays["word_list"], arrays["word_vectors"], arrays["word_idf"]
    weights, intercept = arrays["word_weights"], arrays["word_intercept"]
    listed = [str(w) for w in words.tolist()] if words.ndim == 1 else []
    if (
        not isinstance(share, float)
        or not 0 < share < 1
        or not listed
        or len(set(listed)) != len(listed)
        or vectors.ndim != 2
        or vectors.shape[0] != len(listed)
        or idf.shape != (len(listed),)
        or weights.shape != (vectors.shape[1], outputs)
        or intercept.shape != (outputs,)
        or not all(np.isfinite(a).all() for a in (vectors, idf, weights, intercept))
    ):
        raise ModelError(f"{d / WEIGHTS}: word vectors do not match the model's parameters")
    table = WordVectors(listed, vectors.astype(np.float32), idf.astype(np.float32))
    return WordHead(table, weights.astype(np.float32), intercept.astype(np.float32), share)


def read_card(ws_path: Path, name: str) -> dict[str, Any]:
    """A model's card."""
    return read_json_object(model_dir(ws_path, name) / CARD, ModelError)


def write_card(ws_path: Path, name: str, card: dict[str, Any]) -> None:
    """Replace a model's card (after a new evaluation)."""
    _write_json(model_dir(ws_path, name) / CARD, card)


def names(ws_path: Path) -> list[str]:
    """The models stored in a workspace, sorted."""
    root = models_root(ws_path)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and _NAME.match(p.name) and (p / MODEL).is_file())


def remove(ws_path: Path, name: str) -> None:
    """Delete a model's folder."""
    d = model_dir(ws_path, name)
    if not d.is_dir():
        raise ModelError(f"no model {name!r} in {models_root(ws_path)}")
    shutil.rmtree(d)
