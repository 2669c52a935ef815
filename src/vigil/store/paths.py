"""Where a workspace is: cheap to import (no SQLAlchemy), so a command finds it before its heavy imports."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_WORKSPACE = "vigil-data"
DB_NAME = "vigil.db"


def resolve_path(path: str | Path | None) -> Path:
    """--workspace, else $VIGIL_WORKSPACE, else ./vigil-data."""
    chosen = path or os.environ.get("VIGIL_WORKSPACE") or DEFAULT_WORKSPACE
    return Path(chosen).expanduser()
