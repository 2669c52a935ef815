"""The trained-models enricher: light to import, it loads numpy and the models only when a workspace has some."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vigil.models.paths import models_root
from vigil.records import Post


class ModelEnricher:
    """Sets post.enrichment["models"] = {NAME: {label, score}} for every model trained in the workspace."""

    name = "models"
    order = 60

    def __init__(self) -> None:
        self.models: dict[str, Any] = {}

    def prepare(self, ws: Any) -> None:
        """Load the workspace's models once per run."""
        root = models_root(Path(ws.path)) if ws is not None else None
        if root is None or not root.is_dir() or not any(root.iterdir()):
            self.models = {}
            return
        from vigil.models.apply import load_all

        self.models = load_all(Path(ws.path))

    def enrich(self, posts: list[Post]) -> None:
        """Fill post.enrichment["models"] in place (results of models not loaded here are kept)."""
        if not self.models:
            return
        from vigil.models.apply import results_for
        from vigil.models.enrichment import text_of

        for post, res in zip(posts, results_for(self.models, [text_of(p) for p in posts]), strict=True):
            if res:
                merged = dict(post.enrichment.get("models") or {})  # type: ignore[call-overload]
                merged.update(res)
                post.enrichment["models"] = merged
