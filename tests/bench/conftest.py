"""Fixtures shared by the tests of bench/."""

from __future__ import annotations

import numpy as np
import pytest
from bench_script import load


@pytest.fixture(scope="session")
def type_slice():
    """Three real CrisisLexT26 events, 300 information-type posts each: texts, labels, events, the event names."""
    em = load("eval_models")
    crisislex = em.SHARED / "crisislex-t26"
    if not crisislex.is_dir():
        pytest.skip(f"shared data absent: {crisislex}")
    _, texts, labels, ev = em.read_dataset(em.SHARED, "type")
    names = sorted(set(ev.tolist()))[:3]
    rows = np.concatenate([np.flatnonzero(ev == n)[:300] for n in names])
    return [texts[i] for i in rows], labels[rows], ev[rows], names
