"""Language of a post when the platform gives none: script shortcuts first, then py3langid (its model ships with it)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_ARABIC = re.compile(r"[\u0621-\u064A]")
_PERSIAN_URDU = re.compile(r"[پچژگکیۀٹڈڑںھہے]")
_CYRILLIC = re.compile(r"[а-яА-ЯёЁіїєґІЇЄҐ]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN = re.compile(r"[ыэъёЫЭЪЁ]")
_NOISE = re.compile(r"https?://\S+|@\w+|#|\d+")
MAX_CHARS = 400  # enough to tell a language; keeps long transcripts cheap
# Fewer letters than this and the statistical guess is noise ("asdf" came out Swedish): no language. A script
# that names its language (Arabic, Persian, a Cyrillic text with Ukrainian- or Russian-only letters) still does.
MIN_GUESS_LETTERS = 20
# Languages considered (py3langid knows more, but pidgins and rare classes steal short English posts).
LANGS = (  # noqa: SIM905
    "af am ar az be bg bn bs ca cs cy da de el en es et eu fa fi fr ga gl he hi hr hu hy id is it ja ka kk km ko "
    "ku ky lt lv mk ml mn ms my ne nl no pa pl ps pt ro ru si sk sl so sq sr sv sw ta te th tl tr uk ur uz vi zh"
).split()


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    identifier.set_languages([lang for lang in LANGS if lang in identifier.nb_classes])
    return identifier


def detect(text: str) -> str | None:
    """An ISO 639-1 code, or None when the text has too few letters to tell."""
    sample = _NOISE.sub(" ", text[:MAX_CHARS])
    letters = sum(ch.isalpha() for ch in sample)
    if letters < 3:
        return None
    arabic = len(_ARABIC.findall(sample))
    if arabic * 2 > letters:
        return "fa" if _PERSIAN_URDU.search(sample) else "ar"
    cyr = len(_CYRILLIC.findall(sample))
    if cyr * 2 > letters:
        if _UKRAINIAN.search(sample) and not _RUSSIAN.search(sample):
            return "uk"
        if _RUSSIAN.search(sample) and not _UKRAINIAN.search(sample):
            return "ru"
    if letters < MIN_GUESS_LETTERS:
        return None
    lang, _ = _identifier().classify(sample)
    return str(lang)
