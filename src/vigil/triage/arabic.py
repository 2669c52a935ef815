"""Arabic script: letter variants, diacritics and attached prefixes (و ف ب ل ك ال) for keys and cue regexes."""

from __future__ import annotations

import re

ARABIC = re.compile(r"[\u0600-\u06FF]")
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640\u0670"
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_STRIP = str.maketrans("", "", DIACRITICS)
_VARIANTS = {
    "ا": "[اأإآٱ]",
    "ه": "[هة]",
    "ة": "[ةه]",
    "ي": "[يىئ]",
    "ى": "[ىي]",
    "أ": "[أاإآ]",
    "إ": "[إاأ]",
    "آ": "[آاأ]",
    "و": "[وؤ]",
    "ؤ": "[ؤو]",
    "ئ": "[ئي]",
}
_MARKS = f"[{DIACRITICS}]*"
HAS_MARKS = re.compile(f"[{DIACRITICS}]")
PREFIX = "(?:[وف]?(?:[بلك]|لل)?(?:ال)?)?"
_PROCLITIC = re.compile(r"^(?:[وف])?(?:[بلك])?(?:ال)?")
# Arabic-Indic and Persian digits to ASCII.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def is_arabic(text: str) -> bool:
    """Whether the text contains Arabic script."""
    return ARABIC.search(text) is not None


def fold(text: str) -> str:
    """Text without diacritics or tatweel, with alef, ta marbuta, ya and hamza seats folded."""
    return text.translate(_STRIP).translate(_FOLD)


def key_of(word: str) -> str:
    """The anchor form of a lexicon word: folded, without a leading article."""
    w = fold(word)
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    return w


def token_keys(token: str, size: int) -> set[str]:
    """Anchor keys a folded text token may stand for, prefixes stripped one by one (و، ب، ال…)."""
    keys = {token[:size]}
    m = _PROCLITIC.match(token)
    if m and m.end():
        rest = token
        for i in range(1, m.end() + 1):
            rest = token[i:]
            if len(rest) >= 2:
                keys.add(rest[:size])
    if token.startswith("لل") and len(token) > 4:
        keys.add(token[2:][:size])
    return keys


def word_regex(word: str, star: bool, plain: bool = False) -> str:
    """A regex for one Arabic word: optional prefixes, letter variants, diacritics (plain: for folded text)."""
    w = word.translate(_STRIP)
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    body = re.escape(fold(w)) if plain else "".join(_VARIANTS.get(ch, re.escape(ch)) + _MARKS for ch in w)
    return PREFIX + body + (r"\w*" if star else r"(?!\w)")
