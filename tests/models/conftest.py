"""Fixtures of the built-in model's tests: a fresh model enricher state, a copy of the shipped files, enrichment."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vigil.models import triage_enricher
from vigil.models.triage_files import builtin_dir
from vigil.records import Post
from vigil.triage.enricher import TriageEnricher


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Each test sees its own VIGIL_TRIAGE_MODEL and warns anew."""
    triage_enricher._load_from.cache_clear()
    monkeypatch.setattr(triage_enricher, "_said", [])
    yield monkeypatch
    triage_enricher._load_from.cache_clear()


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A folder holding a copy of the shipped model's files, to damage."""
    d = tmp_path / "model"
    shutil.copytree(builtin_dir(), d, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return d


@pytest.fixture
def enriched() -> Callable[..., list[dict]]:
    """Triage texts as ingest does (the rules, then the built-in model's enricher): each post's enrichment."""

    def run(texts: list[str], lang: str | None = "en", kind: str = "post") -> list[dict]:
        posts = [Post(platform="x", id=str(i), text=t, lang=lang, kind=kind) for i, t in enumerate(texts)]
        triage = TriageEnricher()
        triage.prepare(None)
        triage.enrich(posts)
        model = triage_enricher.TriageModelEnricher()
        model.prepare(None)
        model.enrich(posts)
        return [p.enrichment for p in posts]

    return run
