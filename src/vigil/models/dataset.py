"""Labelled texts from CSV or JSONL files, with header names matched with surrounding spaces stripped."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from vigil.sources.digest import file_sha256

csv.field_size_limit(1 << 24)


class DatasetError(Exception):
    """A data file cannot be used: unreadable, unknown format or missing column."""


@dataclass
class DataFile:
    """One file a dataset was read from, with its SHA-256 and how many rows it gave."""

    path: str
    sha256: str
    rows: int = 0
    skipped: int = 0


@dataclass
class Dataset:
    """Texts with their labels and, optionally, a group (event, file) for each."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    files: list[DataFile] = field(default_factory=list)

    def __len__(self) -> int:
        """How many labelled texts."""
        return len(self.texts)

    def label_counts(self) -> dict[str, int]:
        """How many texts carry each label, most frequent first."""
        return dict(Counter(self.labels).most_common())


def match_column(available: list[str], wanted: str) -> str:
    """The header that names the wanted column, spaces stripped, case ignored if no exact match."""
    target = wanted.strip()
    for name in available:
        if name.strip() == target:
            return name
    for name in available:
        if name.strip().casefold() == target.casefold():
            return name
    shown = ", ".join(repr(n.strip()) for n in available)
    raise DatasetError(f"no column {wanted!r} (columns: {shown})")


def _csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
        reader = csv.DictReader(fh, delimiter=delimiter)
        rows = [dict(r) for r in reader]
        return list(reader.fieldnames or []), rows


def _jsonl_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    rows: list[dict[str, str]] = []
    keys: dict[str, None] = {}
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}: line {n}: not JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise DatasetError(f"{path}: line {n}: not a JSON object")
            for k in obj:
                keys.setdefault(k, None)
            rows.append({k: v if isinstance(v, str) else ("" if v is None else str(v)) for k, v in obj.items()})
    return list(keys), rows


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV/TSV or JSON Lines file."""
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            return _jsonl_rows(path)
        return _csv_rows(path)
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text (byte {exc.start})") from exc


def load(
    paths: list[Path],
    text_column: str,
    label_column: str,
    ignore_labels: list[str] | None = None,
    group_column: str | None = None,
) -> Dataset:
    """Read labelled texts; rows with an empty text or label, or an ignored label, are skipped and counted."""
    ignored = {x.strip() for x in ignore_labels or []}
    ds = Dataset()
    for path in paths:
        header, rows = read_rows(path)
        tcol = match_column(header, text_column)
        lcol = match_column(header, label_column)
        gcol = match_column(header, group_column) if group_column and group_column != "file" else None
        info = DataFile(path=str(path), sha256=file_sha256(path))
        for row in rows:
            text = row.get(tcol) or ""
            label = (row.get(lcol) or "").strip()
            if not text.strip() or not label or label in ignored:
                info.skipped += 1
                continue
            ds.texts.append(text)
            ds.labels.append(label)
            ds.groups.append((row.get(gcol) or "").strip() if gcol else path.stem)
            info.rows += 1
        ds.files.append(info)
    return ds
