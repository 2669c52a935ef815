"""Where a voice is: inside the crisis, outside it, or unknown — set by hand or inferred from bio, place and posts."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

INSIDE, OUTSIDE = "inside", "outside"
LOCATIONS = (INSIDE, OUTSIDE)
FIRSTHAND_INSIDE = 2  # first-hand reports that place a voice inside when nothing else says where it is

# Bio words that say the voice is away from the crisis (checked first: "from Sarvan, living far from it" is outside).
OUTSIDE_CUES = (
    "abroad",
    "in exile",
    "exiled",
    "diaspora",
    "from afar",
    "far from home",
    "outside the country",
    "في المهجر",
    "في المنفى",
    "boosting voices",
    "مغترب",
    "أعيش بعيد",
    "بعيدا عن",
    "بعيداً عن",
    "خارج البلاد",
    "خارج الوطن",
)
# Words of a voice's own posts that speak to the crisis from afar (sympathy, solidarity, relaying).
OUTSIDE_POST_CUES = (
    "thinking of everyone",
    "thinking of you",
    "praying for",
    "stand with",
    "solidarity with",
    "our hearts are with",
    "قلوبنا معكم",
    "الله يحميكم",
    "نتضامن مع",
)
INSIDE_CUES = ("on the ground", "still in", "from inside", "reporting from", "من داخل", "في الداخل", "من قلب")


class Location(NamedTuple):
    """inside, outside or None (unknown), and why."""

    value: str | None
    reason: str


UNKNOWN = Location(None, "nothing says where")


def _cue(text: str, cues: tuple[str, ...]) -> str | None:
    return next((c for c in cues if c in text), None)


def gazetteer_names(root: Path | None) -> list[str]:
    """The workspace gazetteer's names and aliases (the crisis's places), longest first, case-folded."""
    path = root / "gazetteer.tsv" if root else None
    if path is None or not path.is_file():
        return []
    from vigil.triage.places import GazetteerError, read_workspace_file

    try:
        rows = read_workspace_file(path)
    except (GazetteerError, OSError, UnicodeDecodeError):
        return []
    names = {n.casefold() for place, aliases in rows for n in [place.name, *aliases] if len(n) >= 3}
    return sorted(names, key=len, reverse=True)


def _names_place(text: str, places: list[str]) -> str | None:
    for name in places:
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
                return name
            at = text.find(name, at + 1)
    return None


def infer_location(
    bio: str | None, place: str | None, places: list[str], firsthand: int = 0, words: str = ""
) -> Location:
    """Outside when bio or own posts (words) say so; inside when bio or place say so or it reports first-hand."""
    text = (bio or "").casefold()
    if cue := _cue(text, OUTSIDE_CUES):
        return Location(OUTSIDE, f"bio says {cue!r}")
    if firsthand < FIRSTHAND_INSIDE and (cue := _cue(words.casefold(), OUTSIDE_POST_CUES)):
        return Location(OUTSIDE, f"a post says {cue!r}")
    if cue := _cue(text, INSIDE_CUES):
        return Location(INSIDE, f"bio says {cue!r}")
    named = _names_place(text, places) or (_names_place(place.casefold(), places) if place else None)
    if named:
        return Location(INSIDE, f"bio names {named!r}, a place of the workspace gazetteer")
    if firsthand >= FIRSTHAND_INSIDE:
        return Location(INSIDE, f"{firsthand} first-hand reports")
    return UNKNOWN
