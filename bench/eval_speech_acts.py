"""Farewells and pleas as speech acts: precision and recall of triage on the project's own set, per language.

Usage: python bench/eval_speech_acts.py [--split dev|dev2|test|all] [--errors]
The set (tests/data/speech_acts/) was written for the project: farewells, pleas and hard negatives in English and
Arabic. Its `dev` half and the later `dev2` are the ones the lexicons are tuned on; report the `test` half.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vigil.triage.engine import Triager  # noqa: E402

DATA = ROOT / "tests" / "data" / "speech_acts"
ACTS = ("farewell", "plea")
SPLITS = ("dev", "dev2", "test")


@dataclass
class Counts:
    """True and false positives and misses of one act in one language."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


def load(split: str) -> list[dict[str, object]]:
    """The examples of one split (dev, dev2, test) or of all of them (all)."""
    names = SPLITS if split == "all" else (split,)
    return [json.loads(line) for n in names for line in (DATA / f"{n}.jsonl").read_text(encoding="utf-8").splitlines()]


def evaluate(triager: Triager, examples: list[dict[str, object]]) -> dict[tuple[str, str], Counts]:
    """(act, lang) -> counts; (act, "all") over both languages."""
    out: dict[tuple[str, str], Counts] = {}
    for ex in examples:
        text, lang, gold = str(ex["text"]), str(ex["lang"]), set(ex["labels"])  # type: ignore[call-overload]
        got = set(triager.triage(text, lang=lang, detect=False).labels)
        for act in ACTS:
            for key in ((act, lang), (act, "all")):
                c = out.setdefault(key, Counts())
                if act in gold and act in got:
                    c.tp += 1
                elif act in got:
                    c.fp += 1
                    c.errors.append(f"FP {ex['id']}: {text}")
                elif act in gold:
                    c.fn += 1
                    c.errors.append(f"FN {ex['id']}: {text}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", default="test", choices=(*SPLITS, "all"))
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    examples = load(args.split)
    counts = evaluate(Triager.for_workspace(None, with_places=False), examples)
    print(f"speech acts, {args.split} split ({len(examples)} examples)")
    print(f"{'act':<10} {'lang':<5} {'gold':>5} {'pred':>5} {'precision':>9} {'recall':>7}")
    for (act, lang), c in sorted(counts.items()):
        print(f"{act:<10} {lang:<5} {c.tp + c.fn:>5} {c.tp + c.fp:>5} {c.precision:>9.3f} {c.recall:>7.3f}")
    if args.errors:
        for (act, lang), c in sorted(counts.items()):
            if lang != "all":
                for e in c.errors:
                    print(f"  [{act} {lang}] {e}")


if __name__ == "__main__":
    main()
