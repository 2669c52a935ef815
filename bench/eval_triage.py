"""Score triage labels against labelled sets: precision/recall per label (the project's set, then CrisisLex T26).

Usage: python bench/eval_triage.py [--errors] [--events N]
CrisisLex T26 is read in place from ../shared/data/crisislex-t26 (never copied); skipped with a message when absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vigil.triage.engine import Triager  # noqa: E402
from vigil.triage.labels import LABELS  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "triage" / "labelled.jsonl"
CRISISLEX = ROOT.parent / "shared" / "data" / "crisislex-t26"

# CrisisLex information type -> the Vigil labels that stand for it (any one of them counts as predicting it).
CRISISLEX_TYPES: dict[str, tuple[str, ...]] = {
    "Affected individuals": ("casualties", "missing"),
    "Infrastructure and utilities": ("infrastructure",),
    "Donations and volunteering": ("aid",),
    "Caution and advice": ("advice",),
    "Sympathy and support": ("sympathy",),
}


@dataclass
class Score:
    """Counts for one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, gold: bool, pred: bool, text: str = "") -> None:
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
            self.errors.append(f"FP: {text}")
        elif gold:
            self.fn += 1
            self.errors.append(f"FN: {text}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def table(title: str, scores: dict[str, Score], show_errors: bool = False) -> str:
    lines = [title, f"{'label':<30} {'gold':>6} {'pred':>6} {'precision':>9} {'recall':>7} {'f1':>6}"]
    total = Score()
    for name, s in scores.items():
        lines.append(f"{name:<30} {s.tp + s.fn:>6} {s.tp + s.fp:>6} {s.precision:>9.2f} {s.recall:>7.2f} {s.f1:>6.2f}")
        if name not in ("eyewitness", "informative"):
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
    lines.append(
        f"{'micro (labels)':<30} {total.tp + total.fn:>6} {total.tp + total.fp:>6} "
        f"{total.precision:>9.2f} {total.recall:>7.2f} {total.f1:>6.2f}"
    )
    if show_errors:
        for name, s in scores.items():
            for e in s.errors[:15]:
                lines.append(f"  [{name}] {e}")
    return "\n".join(lines)


def eval_project(triager: Triager, path: Path = LABELLED) -> dict[str, Score]:
    """The project's own labelled examples: every label, eyewitness and informative."""
    scores = {lab: Score() for lab in LABELS}
    scores["eyewitness"] = Score()
    scores["informative"] = Score()
    for line in path.read_text(encoding="utf-8").splitlines():
        ex = json.loads(line)
        r = triager.triage(ex["text"], lang=ex["lang"])
        for lab in LABELS:
            scores[lab].add(lab in ex["labels"], lab in r.labels, f"{ex['id']} {ex['text']} -> {r.labels}")
        scores["eyewitness"].add(ex["eyewitness"], r.eyewitness, f"{ex['id']} {ex['text']}")
        scores["informative"].add(ex["informative"], r.informative, f"{ex['id']} {ex['text']}")
    return scores


def crisislex_rows(root: Path = CRISISLEX, events: int | None = None) -> Iterable[dict[str, str]]:
    """Labelled tweets of each event folder, read in place."""
    files = sorted(root.glob("*/*-tweets_labeled.csv"))[:events]
    for path in files:
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            for row in reader:
                if len(row) == len(header):
                    yield dict(zip(header, (c.strip() for c in row), strict=True))


def eval_crisislex(triager: Triager, root: Path = CRISISLEX, events: int | None = None) -> tuple[dict[str, Score], int]:
    """CrisisLex T26 through the documented mapping of information types, source and informativeness."""
    scores = {f"{t} -> {'|'.join(labs)}": Score() for t, labs in CRISISLEX_TYPES.items()}
    scores["eyewitness"] = Score()
    scores["informative"] = Score()
    n = 0
    for row in crisislex_rows(root, events):
        text = row["Tweet Text"]
        r = triager.triage(text, lang="en", detect=False)
        n += 1
        for t, labs in CRISISLEX_TYPES.items():
            scores[f"{t} -> {'|'.join(labs)}"].add(
                row["Information Type"] == t, any(lab in r.labels for lab in labs), f"{text} -> {r.labels}"
            )
        if row["Information Source"] not in ("Not labeled", ""):
            scores["eyewitness"].add(row["Information Source"] == "Eyewitness", r.eyewitness, text)
        scores["informative"].add(row["Informativeness"] == "Related and informative", r.informative, text)
    return scores, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="print up to 15 misses per label")
    ap.add_argument("--events", type=int, default=None, help="only the first N CrisisLex event folders")
    args = ap.parse_args()
    triager = Triager.for_workspace(None)
    print(table(f"Vigil labelled set ({LABELLED.relative_to(ROOT)})", eval_project(triager), args.errors))
    print()
    if not CRISISLEX.is_dir():
        print(f"CrisisLex T26: skipped ({CRISISLEX} is absent)")
        return
    t = time.perf_counter()
    scores, n = eval_crisislex(triager, events=args.events)
    took = time.perf_counter() - t
    print(table(f"CrisisLex T26 ({n:,} labelled tweets, {took:.1f} s)", scores, args.errors))


if __name__ == "__main__":
    main()
