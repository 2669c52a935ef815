"""Where a workspace keeps its trained models (light to import: no numpy)."""

from __future__ import annotations

from pathlib import Path

MODELS_DIR = "models"


def models_root(ws_path: Path) -> Path:
    """The folder that holds a workspace's trained models."""
    return ws_path / MODELS_DIR
