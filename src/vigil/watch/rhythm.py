"""Each voice's own rhythm: how long a gap between its posts is usual, so that "silent" means unusual."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from math import ceil

QUANTILE = 0.9  # a gap longer than 9 in 10 of the voice's earlier gaps is unusual
MIN_GAPS = 4  # fewer gaps than this: the window alone decides
MAX_USUAL = timedelta(hours=72)  # however sparse a voice, three days without a post is a silence
URGENT = frozenset({"farewell", "plea"})  # after these, the window alone decides: no rhythm excuses the silence


def quantile_gap(gaps: Sequence[timedelta]) -> timedelta:
    """The QUANTILE of sorted gaps (nearest rank), never the single longest."""
    n = len(gaps)
    return gaps[max(0, min(ceil(QUANTILE * n) - 1, n - 2))]


def usual_limit(times: Sequence[datetime], floor: timedelta) -> timedelta:
    """How long a gap between the voice's posts (in time order, up to the moment judged) may last: its rhythm.

    The window (floor) until the voice has MIN_GAPS gaps, then the larger of the window and the QUANTILE of its gaps
    (never the longest one), at most MAX_USUAL. Judged from every gap known at the moment, so a voice's first
    nights are judged by the same rhythm as its last.
    """
    if len(times) <= MIN_GAPS:
        return floor
    gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False))
    return max(floor, min(quantile_gap(gaps), MAX_USUAL))


def limit_after(labels: Sequence[str], repost: bool, usual: timedelta, floor: timedelta) -> timedelta:
    """The limit after a post: the window alone after the voice's own farewell or plea, else its usual gap."""
    if not repost and URGENT.intersection(labels):
        return floor
    return usual
