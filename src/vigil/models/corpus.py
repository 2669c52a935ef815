"""The shared training data (CrisisLexT26, IDRISI's HumAID and Kawarith events) read into one table of posts."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from vigil.models.mapping import HEADS, targets

CRISISLEX_FIELDS = ("Information Source", "Information Type", "Informativeness")


@dataclass
class Corpus:
    """Texts with their language, event, dataset, gold classes and each head's target (absent = unknown)."""

    texts: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    gold: list[dict[str, list[str]]] = field(default_factory=list)
    targets: list[dict[str, int]] = field(default_factory=list)
    files: list[dict[str, object]] = field(default_factory=list)

    def add(self, text: str, lang: str, event: str, dataset: str, gold: dict[str, list[str]]) -> None:
        """One post."""
        self.texts.append(text)
        self.langs.append(lang)
        self.events.append(event)
        self.datasets.append(dataset)
        self.gold.append(gold)
        self.targets.append(targets(dataset, gold))

    def __len__(self) -> int:
        return len(self.texts)


def sha256_of(path: Path) -> str:
    """A file's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _note(c: Corpus, root: Path, path: Path) -> None:
    c.files.append({"path": str(path.relative_to(root)), "bytes": path.stat().st_size, "sha256": sha256_of(path)})


def read_crisislex(c: Corpus, root: Path, data: Path) -> None:
    """CrisisLexT26's labelled CSVs (one folder per event); "Not labeled" fields say nothing."""
    for path in sorted(data.glob("*/*-tweets_labeled.csv")):
        _note(c, root, path)
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader)]
            col = {h: i for i, h in enumerate(header)}
            for row in reader:
                if len(row) < len(header):
                    continue
                gold = {f: [row[col[f]].strip()] for f in CRISISLEX_FIELDS if row[col[f]].strip() != "Not labeled"}
                c.add(row[col["Tweet Text"]], "", path.parent.name, "crisislex", gold)


def read_idrisi(c: Corpus, root: Path, data: Path) -> None:
    """IDRISI's JSON Lines: `en/` with HumAID classes, `ar/` with Kawarith classes."""
    for lang, dataset in (("en", "humaid"), ("ar", "kawarith")):
        for path in sorted((data / lang).glob("*.jsonl")):
            _note(c, root, path)
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    d = json.loads(line)
                    c.add(d["text"], lang, f"{lang}/{d['event']}", dataset, {"labels": list(d["labels"])})


def load_shared(root: Path) -> Corpus:
    """Every post of `root/crisislex-t26` and `root/idrisi`, in a fixed order (files sorted by name)."""
    c = Corpus()
    read_crisislex(c, root, root / "crisislex-t26")
    read_idrisi(c, root, root / "idrisi")
    return c


def target_matrix(c: Corpus) -> tuple[list[list[int]], list[list[bool]]]:
    """Targets and masks as rows over HEADS (a mask is false where the post says nothing about a head)."""
    ys = [[t.get(h, 0) for h in HEADS] for t in c.targets]
    ms = [[h in t for h in HEADS] for t in c.targets]
    return ys, ms
