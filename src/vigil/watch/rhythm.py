"""Each voice's own rhythm: how long a gap between its posts is usual, so that "silent" means unusual."""

from __future__ import annotations

from bisect import insort
from collections.abc import Sequence
from datetime import datetime, timedelta
from math import ceil

QUANTILE = 0.9  # a gap longer than 9 in 10 of the voice's earlier gaps is unusual
MIN_GAPS = 8  # fewer earlier gaps than this: the window alone decides
MAX_USUAL = timedelta(hours=72)  # however sparse a voice, three days without a post is a silence
URGENT = frozenset({"farewell", "plea"})  # after these, the window alone decides: no rhythm excuses the silence


def quantile_gap(gaps: Sequence[timedelta]) -> timedelta:
    """The QUANTILE of sorted gaps (nearest rank), never the single longest."""
    n = len(gaps)
    return gaps[max(0, min(ceil(QUANTILE * n) - 1, n - 2))]


def gap_limits(times: Sequence[datetime], floor: timedelta) -> list[timedelta]:
    """For each post, how long a gap after it may last before it is a silence, from the gaps before it.

    The limit is the window (floor) until the voice has MIN_GAPS earlier gaps, then the larger of the window and the
    QUANTILE of its earlier gaps, at most MAX_USUAL (never below the window). The last limit is the one for now.
    """
    out: list[timedelta] = []
    seen: list[timedelta] = []
    for i, t in enumerate(times):
        if i:
            insort(seen, t - times[i - 1])
        if len(seen) < MIN_GAPS:
            out.append(floor)
        else:
            out.append(max(floor, min(quantile_gap(seen), MAX_USUAL)))
    return out


def limit_after(labels: Sequence[str], repost: bool, usual: timedelta, floor: timedelta) -> timedelta:
    """The limit after a post: the window alone after the voice's own farewell or plea, else its usual gap."""
    if not repost and URGENT.intersection(labels):
        return floor
    return usual
