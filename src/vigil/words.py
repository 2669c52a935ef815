"""Numbers in words people read: '1 hour', '2 farewells', '4,623 posts/s'."""

from __future__ import annotations

_IRREGULAR = {"reply": "replies", "story": "stories", "day": "days", "person": "people", "is": "are", "was": "were"}


def plural(word: str, n: float) -> str:
    """The word for n of it: 'hour' for 1, 'hours' otherwise ('reply' -> 'replies')."""
    if n == 1:
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def count(n: int, word: str) -> str:
    """'1 hour', '3 hours', '12,000 posts'."""
    return f"{n:,} {plural(word, n)}"


def rate(n: float, seconds: float, unit: str = "posts") -> str:
    """'4,623 posts/s' ('-' when there is nothing to divide)."""
    if seconds <= 0 or not n:
        return "-"
    per = round(n / seconds)
    return f"{per:,} {unit[:-1] if per == 1 and unit.endswith('s') else unit}/s"
