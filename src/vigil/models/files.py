"""Reading model files safely: JSON objects and npz weight arrays, never unpickled, each failure one line."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


def read_json_object(path: Path, error: type[Exception]) -> dict[str, Any]:
    """A JSON object from path, or `error` naming the file and what is wrong."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise error(f"{path}: missing") from exc
    except (OSError, ValueError) as exc:
        raise error(f"{path}: cannot read ({exc})") from exc
    if not isinstance(obj, dict):
        raise error(f"{path}: not a JSON object")
    return obj


def load_arrays(path: Path, kinds: Mapping[str, Any], error: type[Exception]) -> dict[str, np.ndarray]:
    """Exactly the arrays named in kinds, each of its kind (np.integer, np.floating…); pickled files refused."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as npz:
            found = getattr(npz, "files", None)  # a bare .npy (one array) has no names
            if found is None or set(found) != set(kinds):
                raise error(f"{path}: expected arrays {sorted(kinds)}, found {sorted(found or [])}")
            arrays = {k: npz[k] for k in kinds}
    except error:
        raise
    except FileNotFoundError as exc:
        raise error(f"{path}: missing") from exc
    except Exception as exc:  # noqa: BLE001 - a damaged zip raises many kinds (BadZipFile, EOFError, ValueError…)
        raise error(f"{path}: unreadable, refused ({type(exc).__name__}: {exc})") from exc
    for key, kind in kinds.items():
        if not np.issubdtype(arrays[key].dtype, kind):
            raise error(f"{path}: array {key} has type {arrays[key].dtype}")
    return arrays
