"""Triage of a fixed list of posts, for counting CPU instructions per post under valgrind (steady state).

The list: the posts of `examples/` and of a seeded generated twarc2 file (3,000 tweets). A first pass warms the
caches (compiled cues, plans, gazetteer); the memo of analysed texts is then emptied and the list triaged again,
inside `functools.reduce`, so callgrind can count that pass alone (divide by the posts printed):

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=functools_reduce \
        python bench/triage_instructions.py

With `--model`, the built-in model's enricher runs after the rules (its memo emptied likewise).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BATCH = 1_000  # posts per enrich call, as a worker's last batches


def posts(generated: int) -> list:
    """The examples' posts and the generated file's, in file order."""
    from vigil.ingest.pipeline import detect
    from vigil.records import Post
    from vigil.sources.base import ImportOptions

    spec = importlib.util.spec_from_file_location("gen_twarc2", ROOT / "bench" / "gen_twarc2.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    out: list[Post] = []
    with tempfile.TemporaryDirectory() as tmp:
        for src in [ROOT / "examples", gen.write(Path(tmp) / "gen.jsonl", generated, seed=7)]:
            files = sorted(p for p in src.rglob("*") if p.is_file()) if src.is_dir() else [src]
            for path in files:
                unit = detect(path, ImportOptions())
                if unit.importer is not None:
                    out += [r for r in unit.importer.iter_records(path, ImportOptions()) if isinstance(r, Post)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=1, help="counted passes after the warm-up")
    ap.add_argument("--generated", type=int, default=3_000)
    ap.add_argument("--model", action="store_true", help="the built-in model's enricher too")
    args = ap.parse_args()
    from vigil.triage.enricher import TriageEnricher

    items = posts(args.generated)
    enrichers: list = [TriageEnricher()]
    if args.model:
        from vigil.models.triage_enricher import TriageModelEnricher

        enrichers.append(TriageModelEnricher())

    def triage_all(done: int, _: object) -> int:
        for e in enrichers:  # every memo of texts emptied (the caches of words, plans and cues stay warm)
            for memo in ("_memo", "_langs", "_said_words"):
                getattr(getattr(e, "triager", None) or e, memo, {}).clear()
            getattr(getattr(e, "model", None), "_words", {}).clear()
        for i in range(0, len(items), BATCH):
            batch = items[i : i + BATCH]
            for p in batch:
                p.enrichment.clear()
            for e in enrichers:
                e.enrich(batch)
        return done + len(items)

    triage_all(0, None)  # the warm-up
    done = functools.reduce(triage_all, range(args.passes), 0)  # what callgrind counts
    print(f"{len(items):,} posts; {done:,} triaged in the counted passes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
