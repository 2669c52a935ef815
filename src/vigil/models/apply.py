"""Apply trained models: to posts at ingest (an enricher) and to stored posts (`vigil classify`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vigil.models import storage
from vigil.models.classifier import Classifier
from vigil.models.enrichment import iter_stored, merge_models, text_of

log = logging.getLogger(__name__)


def load_all(ws_path: Path, only: list[str] | None = None) -> dict[str, Classifier]:
    """The workspace's models by name (a broken or unsafe one is logged and left out)."""
    out: dict[str, Classifier] = {}
    for name in only or storage.names(ws_path):
        try:
            out[name] = storage.load(ws_path, name)
        except storage.ModelError as exc:
            if only:
                raise
            log.warning("model %s not applied: %s", name, exc)
    return out


def results_for(models: dict[str, Classifier], texts: list[str]) -> list[dict[str, dict[str, Any]]]:
    """For each text, {NAME: {label, score}} of every model; models with equal features share one matrix."""
    out: list[dict[str, dict[str, Any]]] = [{} for _ in texts]
    keep = [i for i, t in enumerate(texts) if t.strip()]
    if not keep or not models:
        return out
    by_features: dict[str, list[tuple[str, Classifier]]] = {}
    for name, clf in models.items():
        by_features.setdefault(json.dumps(clf.params.to_json(), sort_keys=True), []).append((name, clf))
    kept_texts = [texts[i] for i in keep]
    for group in by_features.values():
        raw = group[0][1].featurizer.raw(kept_texts)  # counts under "tfidf": each model weighs them with its own idf
        for name, clf in group:
            proba = clf.proba_from_decision(clf.decision_raw(raw, kept_texts))
            best = proba.argmax(axis=1)
            for row, i in enumerate(keep):
                b = int(best[row])
                out[i][name] = {"label": clf.classes[b], "score": round(float(proba[row, b]), 4)}
    return out


def classify_stored(
    ws: Any, models: dict[str, Classifier], on_batch: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Apply models to every stored post, merging into its enrichment; return (posts read, posts changed)."""
    seen = changed = 0
    for batch in iter_stored(ws):
        res = results_for(models, [text_of(post) for _, post in batch])
        changed += merge_models(ws, {pk: r for (pk, _), r in zip(batch, res, strict=True) if r})
        seen += len(batch)
        if on_batch:
            on_batch(len(batch))
    return seen, changed
