"""The model card: what a model was trained on (files and SHA-256), its labels, parameters and figures."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from vigil import __version__
from vigil.models.dataset import Dataset
from vigil.records import now_iso

MAX_EVALUATIONS = 20


def make_card(
    name: str,
    ds: Dataset,
    source: dict[str, Any],
    params: dict[str, Any],
    cross_validation: dict[str, Any] | None,
    seconds: float,
) -> dict[str, Any]:
    """A new model's card."""
    return {
        "name": name,
        "created_at": now_iso(),
        "vigil_version": __version__,
        "source": source,
        "data": [asdict(f) for f in ds.files],
        "texts": len(ds),
        "label_counts": ds.label_counts(),
        "parameters": params,
        "training_seconds": round(seconds, 2),
        "evaluation": {"cross_validation": cross_validation},
        "evaluations": [],
    }


def add_evaluation(card: dict[str, Any], ds: Dataset, figures: dict[str, Any]) -> dict[str, Any]:
    """The card with one more evaluation (on which files, when, what figures); the oldest are dropped past 20."""
    entry = {"at": now_iso(), "vigil_version": __version__, "data": [asdict(f) for f in ds.files], **figures}
    card = dict(card)
    card["evaluations"] = [*card.get("evaluations", []), entry][-MAX_EVALUATIONS:]
    return card
