"""Score triage labels against labelled sets: precision/recall per label (the project's set, then CrisisLex T26).

Usage: python bench/eval_triage.py [--errors] [--events N]
CrisisLex T26 and IDRISI are read in place from the shared data folder (never copied): $VIGIL_SHARED_DATA, else
../shared/data beside the repository (or beside its worktrees' folder); each is skipped with a message when absent.
IDRISI gives the rules' figures per class of its own schemes (HumAID in English, Kawarith in Arabic) and per event.
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

from vigil.models.build_builtin import shared_data  # noqa: E402
from vigil.triage.engine import Triager  # noqa: E402
from vigil.triage.labels import LABELS  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "triage" / "labelled.jsonl"


CRISISLEX = shared_data() / "crisislex-t26"
IDRISI = shared_data() / "idrisi"
# IDRISI classes -> the Vigil labels that stand for them (any one of them counts as predicting the class).
IDRISI_CLASSES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "requests_or_urgent_needs": ("plea", "shortages"),
        "injured_or_dead_people": ("casualties",),
        "missing_or_found_people": ("missing",),
        "displaced_people_and_evacuations": ("evacuation",),
        "infrastructure_and_utility_damage": ("infrastructure",),
        "caution_and_advice": ("advice",),
        "rescue_volunteering_or_donation_effort": ("aid",),
    },
    "ar": {
        "affected_individuals_and_help": ("casualties", "missing", "evacuation", "plea", "aid", "shortages"),
        "caution_advice_and_crisis_updates": ("advice",),
        "infrastructure_and_utilities_damage": ("infrastructure",),
    },
}

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


def _f1(s: Score) -> float:
    """F1, 0 when nothing was predicted (precision undefined)."""
    f = s.f1
    return f if f == f else 0.0


def idrisi_rows(lang: str, root: Path | None = None) -> Iterable[dict[str, object]]:
    """IDRISI tweets of one language, event by event, read in place."""
    for path in sorted(((root or IDRISI) / lang).glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def eval_idrisi(
    triager: Triager, lang: str, root: Path | None = None
) -> tuple[dict[str, Score], dict[str, float], int]:
    """Per class (its Vigil labels), the macro F1 per event, and how many informative tweets get any label."""
    classes = IDRISI_CLASSES[lang]
    scores = {f"{c} -> {'|'.join(labs)}": Score() for c, labs in classes.items()}
    events: dict[str, dict[str, Score]] = {}
    labelled = 0
    for row in idrisi_rows(lang, root):
        text, gold = str(row["text"]), set(row["labels"])  # type: ignore[call-overload]
        r = triager.triage(text, lang=lang, detect=False)
        labelled += bool(r.labels)
        ev = events.setdefault(str(row["event"]), {c: Score() for c in classes})
        for c, labs in classes.items():
            pred = any(lab in r.labels for lab in labs)
            scores[f"{c} -> {'|'.join(labs)}"].add(c in gold, pred, f"{text} -> {r.labels}")
            ev[c].add(c in gold, pred)
    macro = {e: sum(_f1(s) for s in sc.values() if s.tp + s.fn) / sum(1 for s in sc.values() if s.tp + s.fn)
             for e, sc in events.items()}  # fmt: skip
    return scores, macro, labelled


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="print up to 15 misses per label")
    ap.add_argument("--events", type=int, default=None, help="only the first N CrisisLex event folders")
    args = ap.parse_args()
    triager = Triager.for_workspace(None)
    print(table(f"Vigil labelled set ({LABELLED.relative_to(ROOT)})", eval_project(triager), args.errors))
    print()
    if not IDRISI.is_dir():
        print(f"IDRISI: skipped ({IDRISI} is absent)")
    for lang in ("en", "ar") if IDRISI.is_dir() else ():
        scores_i, macro, labelled = eval_idrisi(triager, lang)
        total = sum(1 for _ in idrisi_rows(lang))
        print(table(f"IDRISI {lang} ({total:,} informative tweets; classes as labels)", scores_i, args.errors))
        f1s = [s.f1 for s in scores_i.values() if s.tp + s.fn]
        print(f"macro F1 over classes: {sum(f1s) / len(f1s):.3f}; informative tweets given a label: "
              f"{labelled / total:.3f}")  # fmt: skip
        print("macro F1 per event: " + ", ".join(f"{e} {v:.2f}" for e, v in sorted(macro.items())))
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
