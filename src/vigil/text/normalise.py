"""Text as people write it, one normaliser for triage, places and search: Arabic letter forms, marks, digits, clitics.

Folding (`fold`): diacritics and tatweel dropped; أ إ آ ٱ → ا, ة → ه, ى → ي, ؤ → و, ئ → ي. Digits (`DIGITS`):
Arabic-Indic and Persian to ASCII. Light stemming (`stem`): a folded word without its attached prefixes (و ف ب ل ك
with the article ال, or لل) and without one common suffix (tanween alef, plural and dual endings, pronouns), never
below three letters, the way the Light10 family of stemmers does it (suffix first, so فقدوا → فقد, not قد).
Triage and places match a lexicon word with the same prefixes and suffixes around it (`PREFIX`, `suffix_regex`);
search indexes `search_text(text)`, where each word is replaced by its stem and nothing else moves.
Latin accents are left to the search index's tokenizer (unicode61, remove_diacritics 2), which folds them.
"""

from __future__ import annotations

import re

from vigil.text.memo import Memo

DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640\u0670"
FOLD_PAIRS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ة", "ه"), ("ى", "ي"), ("ؤ", "و"), ("ئ", "ي"))
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Prefixes a word may carry: a conjunction, then a preposition, then the article (or لل: ل + ال).
PREFIX = "(?:[وف]?(?:[بلك]|لل)?(?:ال)?)?"
_ARTICLES = ("وبال", "وكال", "ولل", "فبال", "فال", "وال", "بال", "كال", "فلل", "لل", "ال")
_SINGLE = "وفبلك"  # a conjunction or preposition alone, stripped only when four letters or more are left
# Endings, longest first: pronouns, plural and dual endings, and the alef of tanween (قتيلاً → قتيلا → قتيل).
SUFFIXES = (
    "هما",
    "كما",
    "تها",
    "تهم",
    "تنا",
    "ها",
    "هم",
    "هن",
    "كم",
    "نا",
    "ون",
    "ين",
    "ات",
    "ان",
    "وا",
    "يه",
    "ه",
    "ا",
    "ي",
)
# in a cue's regex: the endings a word may carry after it (ت + pronoun after a word ending in ta marbuta: عائلته)
_SUFFIX_RX = "(?:" + "|".join(sorted(SUFFIXES, key=len, reverse=True)) + ")"
STEM_MIN = 3  # Arabic roots have three letters: no stem is shorter
# the Arabic letters and marks (the search tokenizer's word characters), without punctuation or signs
_AR_CLASS = r"[\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-\u06dc\u06df-\u06e8\u06ea-\u06ef\u06fa-\u06fc\u06ff]"
# the runs kept by a split (text, run, text, run, …, text); written XX*, not X+, so the engine skips to a first letter
_AR_SPLIT = re.compile(f"({_AR_CLASS}{_AR_CLASS}*)")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_OTHER_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")  # the digits DIGITS turns into ASCII
STEM_MEMO = 50_000  # words whose stem is remembered
_STEMS: Memo[str, str] = Memo(STEM_MEMO)
TEXT_MEMO = 20_000  # Arabic texts whose search text is remembered
TEXT_MEMO_LEN = 2_000  # longer texts (transcripts) are not remembered
_TEXTS: Memo[str, str] = Memo(TEXT_MEMO)


def fold_letters(text: str) -> str:
    """Alef, ta marbuta, ya and hamza seats folded (str.replace per pair: ten times faster than str.translate)."""
    for ch, to in FOLD_PAIRS:
        if ch in text:
            text = text.replace(ch, to)
    return text


def fold(text: str) -> str:
    """Text without diacritics or tatweel, with alef, ta marbuta, ya and hamza seats folded."""
    if text.isascii():
        return text
    for ch in DIACRITICS:
        if ch in text:
            text = text.replace(ch, "")
    return fold_letters(text)


def strip_prefixes(word: str, keep: int = STEM_MIN) -> str:
    """A folded word without its article and the clitics before it (وبالمستشفى → مستشفى), keeping `keep` letters."""
    for art in _ARTICLES:
        if word.startswith(art) and len(word) - len(art) >= keep:
            return word[len(art) :]
    if word[:1] in _SINGLE and len(word) - 1 >= keep + 1:
        rest = word[1:]
        if rest[:1] in "بلك" and word[0] in "وف" and len(rest) - 1 >= keep + 1:
            return rest[1:]
        return rest
    return word


def arabic_name_forms(word: str) -> tuple[str, ...]:
    """What a folded word may name behind attached prefixes: وبالكويت → (كويت, الكويت), بحلب → (حلب,)."""
    for art in _ARTICLES:
        if word.startswith(art) and len(word) - len(art) >= STEM_MIN:
            rest = word[len(art) :]
            return (rest, "ال" + rest)
    if word[:1] in _SINGLE and len(word) > STEM_MIN:
        if word[:1] in "وف" and word[1:2] in "بلك" and len(word) > STEM_MIN + 1:
            return (word[1:], word[2:])
        return (word[1:],)
    return ()


def strip_suffix(word: str) -> str:
    """A folded word without one common ending (قتيلا → قتيل, فقدوا → فقد), never below three letters."""
    for suf in SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= STEM_MIN:
            return word[: -len(suf)]
    return word


def stem(word: str) -> str:
    """The light stem of one Arabic word: folded, one ending and then the attached prefixes removed."""
    got = _STEMS.get(word)
    if got is None:
        w = fold(word)
        got = _STEMS.keep(word, strip_prefixes(strip_suffix(w)) if w else word)
    return got


def search_text(text: str | None) -> str | None:
    """What the search index reads of a text: Arabic words stemmed and digits in ASCII, one word for each word."""
    if text is None or text.isascii() or _ARABIC.search(text) is None:
        return text
    got = _TEXTS.get(text)
    if got is None:
        # a split and a join: no match object and no Python call per word, as `re.sub` with a function makes
        # str.translate looks up (and misses) every character in a dict: only for a text that holds such a digit
        digits = text.translate(DIGITS) if _OTHER_DIGIT.search(text) is not None else text
        parts = _AR_SPLIT.split(digits)
        get = _STEMS.get
        parts[1::2] = [get(w) or stem(w) for w in parts[1::2]]
        got = "".join(parts)
        if len(text) <= TEXT_MEMO_LEN:  # reposts and copies of a text are stemmed once
            _TEXTS.keep(text, got)
    return got


def suffix_regex(folded: str) -> str:
    """The regex of an Arabic lexicon word with the endings it may carry (words of three letters or more)."""
    w = re.escape(folded)
    if len(folded) < STEM_MIN:
        return w
    if folded.endswith("ه"):  # ta marbuta: عائله, عائلتي, عائلتهم
        return f"(?:{w}{_SUFFIX_RX}?|{re.escape(folded[:-1])}ت{_SUFFIX_RX})"
    return f"{w}{_SUFFIX_RX}?"
