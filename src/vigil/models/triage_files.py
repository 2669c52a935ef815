"""The built-in model's files, and a check of them light enough for the parent of ingest workers (no numpy)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from vigil.models.farewell import FAREWELL
from vigil.models.files import read_json_object
from vigil.models.mapping import HEADS

FORMAT = 2  # bump when the files' layout or the features' meaning change: older files are then refused
STEM = "triage"  # triage.npz (weights), triage.json (parameters, thresholds), triage.card.json (the model card)
# farewell.npz and farewell.json (FAREWELL): the head that completes the rules' weak farewell signs
ARRAYS = ("rows", "values", "intercept", "calibration")  # the arrays of triage.npz


class ModelFileError(Exception):
    """A built-in model file is missing, truncated, unsafe or from another version (the message names it)."""


def builtin_dir() -> Path:
    """Where the shipped weights live (package data)."""
    return Path(__file__).resolve().parent / "builtin"


def check_format(meta: dict[str, Any], meta_path: Path) -> None:
    """Refuse parameters written for another format of the files."""
    if meta.get("format") != FORMAT:
        raise ModelFileError(
            f"{meta_path}: model format {meta.get('format')!r} (made by Vigil {meta.get('vigil_version', '?')}); "
            f"this Vigil reads format {FORMAT}: rebuild it with `make models`"
        )


def check(folder: Path | None = None) -> None:
    """The files are there, of this format and heads, and the weights' archives whole with their arrays.

    What `triage_model.load` checks besides (shapes, values) needs the arrays themselves: a worker that finds such
    a fault says so itself. The parent of ingest workers checks only this, so it never imports numpy for them.
    """
    d = folder or builtin_dir()
    for stem, heads in ((STEM, HEADS), (FAREWELL, (FAREWELL,))):
        _check_files(d, stem, heads)


def _check_files(d: Path, stem: str, expected: tuple[str, ...]) -> None:
    """One saved set of heads: `<stem>.json` of this format and heads, `<stem>.npz` a whole archive of ARRAYS."""
    meta_path = d / f"{stem}.json"
    meta = read_json_object(meta_path, ModelFileError)
    check_format(meta, meta_path)
    heads = meta.get("heads")
    if not isinstance(heads, list) or {str(h) for h in heads} != set(expected):
        raise ModelFileError(f"{meta_path}: heads {heads!r} are not this Vigil's {list(expected)}")
    npz = d / f"{stem}.npz"
    try:
        with zipfile.ZipFile(npz) as archive:  # its directory is at its end: a truncated file has none
            found = sorted(archive.namelist())
    except FileNotFoundError as exc:
        raise ModelFileError(f"{npz}: missing") from exc
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise ModelFileError(f"{npz}: unreadable, refused ({type(exc).__name__}: {exc})") from exc
    if found != sorted(f"{a}.npy" for a in ARRAYS):
        raise ModelFileError(f"{npz}: expected arrays {sorted(ARRAYS)}, found {found}")
