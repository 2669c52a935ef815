from __future__ import annotations

import pytest

from vigil.triage.engine import Triager


@pytest.fixture(scope="session")
def triager() -> Triager:
    """Shipped lexicons, no gazetteer (fast): for label tests."""
    return Triager.for_workspace(None, with_places=False)


@pytest.fixture(scope="session")
def labels_of(triager):
    def run(text: str, lang: str | None = "en", kind: str | None = None) -> list[str]:
        return triager.triage(text, lang=lang, kind=kind).labels

    return run
