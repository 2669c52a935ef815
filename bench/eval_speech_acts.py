"""Farewells and pleas as speech acts: precision and recall of triage on the project's own set, per language.

Usage: python bench/eval_speech_acts.py [--split dev|dev2|dev3|val|test|all] [--errors] [--rules-only] [--model DIR]
The set (tests/data/speech_acts/) was written for the project: farewells, pleas and hard negatives in English and
Arabic. Its `dev` half and the later `dev2` are the ones the lexicons are tuned on and the built-in model's
farewell head is trained on; report the `test` half. Triage is the rules, then the built-in model as ingest applies
it (`--rules-only`: the rules alone; `--model DIR`: another model folder).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vigil.models.combine import combine  # noqa: E402
from vigil.models.triage_model import TriageModel, lang_group  # noqa: E402
from vigil.models.triage_model import load as load_model  # noqa: E402
from vigil.triage.engine import Triager  # noqa: E402

DATA = ROOT / "tests" / "data" / "speech_acts"
ACTS = ("farewell", "plea")
SPLITS = ("dev", "dev2", "dev3", "val", "test")


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


def labels(triager: Triager, model: TriageModel | None, texts: list[str], langs: list[str]) -> list[set[str]]:
    """Each text's labels: the rules', then the model's view merged as the ingest's model enricher merges it."""
    out = []
    proba = model.proba(texts).tolist() if model is not None else [None] * len(texts)
    for text, lang, row in zip(texts, langs, proba, strict=True):
        e = triager.triage(text, lang=lang, detect=False).enrichment()
        if model is not None and row is not None:
            g = lang_group(lang)
            p = dict(zip(model.heads, row, strict=True))
            combine(e, p, model.thresholds[g], "post", lambda h: [], model.policy(g))
        out.append({str(x) for x in e.get("labels") or ()})  # type: ignore[attr-defined]
    return out


def evaluate(
    triager: Triager, examples: list[dict[str, object]], model: TriageModel | None = None
) -> dict[tuple[str, str], Counts]:
    """(act, lang) -> counts; (act, "all") over both languages."""
    out: dict[tuple[str, str], Counts] = {}
    said = labels(triager, model, [str(ex["text"]) for ex in examples], [str(ex["lang"]) for ex in examples])
    for ex, got in zip(examples, said, strict=True):
        text, lang, gold = str(ex["text"]), str(ex["lang"]), set(ex["labels"])  # type: ignore[call-overload]
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
    ap.add_argument("--rules-only", action="store_true", help="the rules alone, without the built-in model")
    ap.add_argument("--model", type=Path, help="a model folder (triage.json + triage.npz) instead of the shipped one")
    args = ap.parse_args()
    examples = load(args.split)
    model = None if args.rules_only else load_model(args.model)
    counts = evaluate(Triager.for_workspace(None, with_places=False), examples, model)
    what = "rules alone" if model is None else "rules + built-in model"
    print(f"speech acts, {args.split} split ({len(examples)} examples), {what}")
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
