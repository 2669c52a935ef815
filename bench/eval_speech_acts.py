"""Farewells and pleas as speech acts: precision and recall of triage on the project's own set, per language.

Usage: python bench/eval_speech_acts.py [--split dev|dev2|dev3|dev4|val|test|all] [--errors] [--rules-only]
    [--model DIR]
The set (tests/data/speech_acts/) was written for the project: farewells, pleas and hard negatives in English and
Arabic. Its `dev` half and the later `dev2`, `dev3` and `dev4` are the ones the lexicons are tuned on; `val` is for
choosing operating points; report the `test` half. Triage is what ingest does: the triage enricher, then the built-in
model's enricher (`--rules-only`: the rules alone; `--model DIR`: another model folder, as VIGIL_TRIAGE_MODEL).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vigil.models.triage_enricher import ENV, TriageModelEnricher  # noqa: E402
from vigil.records import Post  # noqa: E402
from vigil.triage.enricher import TriageEnricher  # noqa: E402

DATA = ROOT / "tests" / "data" / "speech_acts"
ACTS = ("farewell", "plea")
SPLITS = ("dev", "dev2", "dev3", "dev4", "val", "test")


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


def labels(texts: list[str], langs: list[str], with_model: bool = True) -> list[set[str]]:
    """Each text's labels as ingest gives them: the triage enricher, then the built-in model's (unless not wanted)."""
    posts = [
        Post(platform="x", id=str(i), text=t, lang=lang, kind="post")
        for i, (t, lang) in enumerate(zip(texts, langs, strict=True))
    ]
    enrichers: list[TriageEnricher | TriageModelEnricher] = [TriageEnricher()]
    if with_model:
        model = TriageModelEnricher()
        model.prepare(None)
        if model.model is None:
            raise SystemExit(f"error: the built-in model cannot be used ({model.broken})")
        enrichers.append(model)
    for e in enrichers:
        e.enrich(posts)
    return [{str(x) for x in p.enrichment.get("labels") or ()} for p in posts]  # type: ignore[attr-defined]


def evaluate(examples: list[dict[str, object]], with_model: bool = True) -> dict[tuple[str, str], Counts]:
    """(act, lang) -> counts; (act, "all") over both languages."""
    out: dict[tuple[str, str], Counts] = {}
    said = labels([str(ex["text"]) for ex in examples], [str(ex["lang"]) for ex in examples], with_model)
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
    if args.model:
        os.environ[ENV] = str(args.model)
    counts = evaluate(examples, with_model=not args.rules_only)
    what = "rules alone" if args.rules_only else "rules + built-in model"
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
