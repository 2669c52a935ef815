"""One bounded memo for every cache of the hot path: a dict that forgets its older half when full."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """Results remembered by key, at most `limit` entries (or, with `weigh`, keys weighing `limit` together).

    The one forgetting rule: when a new entry would pass the limit, the older half (in insertion order) goes.
    Repeats (reposts, a template's words, one second's posts) mostly come soon after the first, so the newer
    half is what is worth keeping, and forgetting costs O(1) per entry kept. Lookups are a plain dict's.
    """

    __slots__ = ("limit", "weigh", "weight")

    def __init__(self, limit: int, weigh: Callable[[K], int] | None = None) -> None:
        super().__init__()
        self.limit = limit
        self.weigh = weigh
        self.weight = 0  # the keys' weight together (with `weigh`)

    def keep(self, key: K, value: V) -> V:
        """Remember value for key (first forgetting the older half when full); return value."""
        if self.weigh is None:
            if len(self) >= self.limit:
                self.make_room(1)
        elif key not in self:
            w = self.weigh(key)
            self.make_room(w)
            self.weight += w
        self[key] = value
        return value

    def make_room(self, n: int) -> bool:
        """Forget older halves until n more entries (or n more weight) fit; whether anything was forgotten."""
        forgot = False
        while self and (self.weight if self.weigh is not None else len(self)) + n > self.limit:
            self.forget_older_half()
            forgot = True
        return forgot

    def forget_older_half(self) -> None:
        """Forget the entries put in first, half of them (rounded up)."""
        old = list(islice(self, (len(self) + 1) // 2))
        if self.weigh is not None:
            self.weight -= sum(map(self.weigh, old))
        for key in old:
            del self[key]

    def clear(self) -> None:
        """Forget everything."""
        super().clear()
        self.weight = 0
