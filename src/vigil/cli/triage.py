"""`vigil triage`: re-run triage over the stored posts (after editing lexicons or the gazetteer)."""

from __future__ import annotations

import time

import typer

from vigil.cli.common import WorkspaceOpt, console, open_ws


def triage(workspace: WorkspaceOpt = None) -> None:
    """Re-triage every stored post with the current lexicons, gazetteer and built-in model (labels, cues, scores)."""
    from collections import Counter

    from vigil.models.triage_enricher import TriageModelEnricher
    from vigil.store.enrichment import iter_stored_posts, write_enrichment
    from vigil.triage.enricher import TriageEnricher
    from vigil.triage.labels import PRIORITIES

    ws = open_ws(workspace)
    err = console(stderr=True)
    t0 = time.perf_counter()
    try:
        enricher = TriageEnricher()
        enricher.prepare(ws)
        model = TriageModelEnricher()  # the built-in model after the rules (a bad model file: rules alone)
        model.prepare(ws)
    except ValueError as exc:  # a bad lexicon or gazetteer row names its file and line
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        ws.close()
        raise typer.Exit(2) from exc
    ready = time.perf_counter() - t0
    n = 0
    by_priority: Counter[str] = Counter()
    t1 = time.perf_counter()
    for items in iter_stored_posts(ws):
        posts = [post for _, post in items]
        for post in posts:  # the rules' view is rebuilt from scratch: drop the model's keys of the last run
            post.enrichment.pop("scores", None)
            post.enrichment.pop("model_words", None)
            post.enrichment.pop("overruled", None)
        enricher.enrich(posts)
        model.enrich(posts)
        n += write_enrichment(ws, items)
        by_priority.update(str(post.enrichment.get("priority")) for _, post in items)
    took = time.perf_counter() - t1
    ws.close()
    rate = f"{n / took:,.0f} posts/s" if took > 0 and n else "-"
    figures = ", ".join(f"{k} {by_priority[k]:,}" for k in PRIORITIES if by_priority[k])
    console().print(
        f"triaged {n:,} posts in {took:.1f} s ({rate}; lexicons and gazetteer ready in {ready:.1f} s)"
        + (f": {figures}" if figures else ""),
        markup=False,
    )
