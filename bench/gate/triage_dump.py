"""Triage every text of the shared data, the examples and a generated file; write each result and its hash.

The gate behind triage speed work: run it before and after a change that must not change output, and compare
the printed SHA-256 (or diff the two dumps).

    python bench/gate/triage_dump.py --out /tmp/before.jsonl
    python bench/gate/triage_dump.py --model --out /tmp/before-model.jsonl   # rules and the built-in model
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def texts(generated: int) -> Iterator[tuple[str, str | None]]:
    """(text, language or None) from CrisisLex T26, IDRISI, examples' posts and a seeded generated file."""
    from vigil.models.build_builtin import shared_data

    shared = shared_data()
    for path in sorted((shared / "crisislex-t26").glob("*/*-tweets_labeled.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            rows = csv.reader(fh)
            next(rows, None)
            yield from ((r[1], None) for r in rows if len(r) > 1)
    for path in sorted((shared / "idrisi").glob("*/*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            yield from ((json.loads(line)["text"], path.parent.name) for line in fh if line.strip())
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_twarc2", ROOT / "bench" / "gen_twarc2.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    import tempfile

    from vigil.ingest.pipeline import detect
    from vigil.records import Post
    from vigil.sources.base import ImportOptions

    with tempfile.TemporaryDirectory() as tmp:
        for src in [ROOT / "examples", gen.write(Path(tmp) / "gen.jsonl", generated, seed=7)]:
            files = sorted(p for p in src.rglob("*") if p.is_file()) if src.is_dir() else [src]
            for path in files:
                unit = detect(path, ImportOptions())
                if unit.importer is None:
                    continue
                for rec in unit.importer.iter_records(path, ImportOptions()):
                    if isinstance(rec, Post):
                        yield rec.text, rec.lang


def model_lines(items: Iterator[tuple[str, str | None]]) -> Iterator[str]:
    """Each text's enrichment by the rules and then the built-in model, in batches as at ingest."""
    from itertools import islice

    from vigil.models.triage_enricher import TriageModelEnricher
    from vigil.records import Post
    from vigil.triage.enricher import TriageEnricher

    rules, model = TriageEnricher(), TriageModelEnricher()
    for i in range(1 << 62):
        batch = list(islice(items, 1_000))
        if not batch:
            return
        posts = [Post(platform="t", id=f"{i}-{j}", text=text, lang=lang) for j, (text, lang) in enumerate(batch)]
        rules.enrich(posts)
        model.enrich(posts)
        for post in posts:
            post.enrichment.pop("story")  # (a hash of the post's id when the text has too few words)
            yield json.dumps(post.enrichment, sort_keys=True, ensure_ascii=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--generated", type=int, default=20_000, help="tweets in the generated file")
    ap.add_argument("--model", action="store_true", help="the built-in model after the rules, as at ingest")
    args = ap.parse_args()
    from vigil.triage.engine import Triager

    triager = Triager.for_workspace(None)
    digest = hashlib.sha256()
    n = 0
    lines = (
        model_lines(texts(args.generated))
        if args.model
        else (
            json.dumps(triager.triage(text, lang=lang).enrichment(), sort_keys=True, ensure_ascii=False)
            for text, lang in texts(args.generated)
        )
    )
    with args.out.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(line + "\n")
            digest.update(line.encode() + b"\n")
            n += 1
    print(f"{n:,} texts  sha256 {digest.hexdigest()}  ({args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
