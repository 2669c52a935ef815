"""Places below a city, named as people name them: a feature word and its name (Main Street, مستشفى الشفاء)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from vigil.text.normalise import fold


def letter_tree(words: Sequence[Sequence[str]]) -> str:
    """A regex for exactly these words as a tree of their letters (an item of several characters is a regex)."""
    tree: dict[str, dict] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        alts = [(re.escape(ch) if len(ch) == 1 else ch) + branch(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        one = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
        if "" not in node:
            return one
        return f"(?:{one})?" if len(alts) == 1 else f"{one}?"

    return branch(tree)


# English: up to four capitalised words, then a feature word (or a numbered road: Interstate 45, Highway 59, I-10)
_EN_FEATURES = (
    "Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Drive|Highway|Hwy|Freeway|Bridge|Tunnel|Hospital|Clinic|"
    "Airport|Port|Harbour|Harbor|Dam|Levee|Park|Beach|Bay|Lake|River|Creek|Island|Islands|Mall|Market|School|"
    "University|College|Stadium|Center|Centre|County|Parish|Valley|Canyon|Mountain|Mountains|Forest|Camp|Square|"
    "Neighborhood|Neighbourhood|District|Village|Reservoir|Station|Base|Mosque|Church|Cathedral|Temple"
)
_EN_ROADS = ("Interstate", "Highway", "Hwy", "Route", "State Route", "I-", "US-", "U.S. ")
# both kinds start with a capital, read first: the engine then skips to the next capital instead of trying both
# alternatives at every position of the text (a road's first letter is checked behind it: (?<=I)nterstate). A word's
# letters are never given back (++: what follows is a space or a dash), and the feature words are a tree of letters
# (a word of letters before \b: the same match in any order)
_EN_FEATURE_TREE = letter_tree(_EN_FEATURES.split("|"))
_EN = re.compile(
    rf"[A-Z](?:[a-z'’]++(?:[ -](?:[A-Z][a-z'’]++|of|de|del|la|al|el)){{0,2}} {_EN_FEATURE_TREE}\b\.?"
    rf"|(?:{'|'.join(f'(?<={w[0]}){re.escape(w[1:])}' for w in _EN_ROADS)})\s?\d{{1,3}}\b)"
)
# The leading word of an English match that is no name ("The", "In", "Our"): the match starts after it
_EN_LEAD_WORDS = "The A An In On At Our My Your Their His Her This That From To Near Outside Inside Local Of For And By"
_EN_LEAD = frozenset(_EN_LEAD_WORDS.split())
_ROAD_NUMBERS = [("I", "-", r"\d"), ("U", "S", "-", r"\d")]  # I-10, US-59: a letter, a dash and a digit
_HINT_WORDS = [*_EN_FEATURES.split("|"), "Interstate", "Highway", "Hwy", "Route", *_ROAD_NUMBERS]
_EN_HINT = re.compile(rf"{letter_tree(_HINT_WORDS)}\b")  # whether the text holds one: any order of words will do
# Arabic: a feature word (with its prefixes) and one to three words of its name, up to punctuation
_AR_FEATURES = (
    "مستشفى|مستشفي|مشفى|شارع|حي|منطقة|منطقه|مدينة|مدينه|محافظة|محافظه|جسر|نفق|سد|دوار|ميدان|سوق|مطار|ميناء|جامعة|"
    "جامعه|مدرسة|مدرسه|مسجد|جامع|كنيسة|مقبرة|مقبره|طريق|الدائري|دائري|وادي|مخيم|ضاحية|قرية|قريه|بلدة|بلده|مجمع|برج|"
    "معهد|فندق|بحيرة|جزيرة"
)


# a feature word, whole (the scan starts at its letters: no regex that starts with a repeat, which is tried at every
# position), then the words of its name, read from its end. As the word must end where the letters end, a match at a
# position is the same whatever the order of the words: the engine follows a tree of their letters (15 branches at
# the first letter instead of 44 words tried in turn). Rejected (measured): the words reversed, found in the text
# reversed after a character that is no letter (29.2k instructions per non-ASCII text against 20.7k: every Latin
# letter of a link or tag is such a character)
_AR_FEATURE_AT = re.compile(f"{letter_tree(_AR_FEATURES.split('|'))}(?![\u0621-\u064a])")
_AR_NAME = re.compile(
    r"(?:[ _](?!(?:في|من|على|الى|إلى|عن|مع|و|ثم|بعد|قبل|منذ|حتى|التي|الذي|بسبب)(?![\u0621-\u064a]))"
    r"[\u0621-\u064a#]+){1,3}"
)
_CLITICS = "وفبلك"
# words after a feature word that end its name (a verb, a time word): at most this many name words are kept
_AR_STOP_WORDS = "اليوم امس غدا الان صباحا مساءا ليلا بسبب جراء نتيجه اثر بعد قبل في من علي الي عن مع ثم منذ"
_AR_STOP = frozenset(_AR_STOP_WORDS.split()) | {"أمس", "الآن", "على", "إلى", "حتى", "نتيجة"}
_FEATURE = re.compile(f"(?:{_AR_FEATURES}|{fold(_AR_FEATURES)})(?![\u0621-\u064a])")


def find_landmarks(text: str) -> list[tuple[int, int]]:
    """Spans of named features in the text (streets, hospitals, bridges…), in order; none overlaps another."""
    out: list[tuple[int, int]] = []
    if not text.isascii():
        pos = 0
        while (h := _AR_FEATURE_AT.search(text, pos)) is not None:
            s, e = h.span()
            pos = e
            article = text[s - 2 : s] == "ال" if s >= 2 else False
            q = s - 2 if article else s
            lead = q
            while lead > 0 and q - lead < 2 and text[lead - 1] in _CLITICS:
                lead -= 1
            if lead > 0 and "\u0621" <= text[lead - 1] <= "\u064a":
                continue  # inside a longer word
            m = _AR_NAME.match(text, e)
            if m is None:
                continue
            end = e  # each word of the name follows one space or underscore
            for w in m.group()[1:].replace("_", " ").split(" "):
                f = w.lstrip("#")
                if f in _AR_STOP or (f[:1] == "و" and (f[1:] in _AR_STOP or f[1:3] == "ال" or _FEATURE.match(f[1:]))):
                    break  # a time word, or "and …": the name has ended
                if article and f[:2] != "ال":
                    break  # "الجامع الكبير" names a place, "المدرسة صارت" is a sentence: after the article, adjectives
                end += 1 + len(w)
            if end > e:
                out.append((q, end))
            pos = end  # the words after the name may begin the next one ("وجسر الوالة")
    # a feature word first (0.5 µs, the whole 2.1 µs); a text all in lower case has none, but `islower` reads
    # every character of a non-ASCII text through Unicode tables: there the search alone says it sooner
    if (not text.isascii() or not text.islower()) and _EN_HINT.search(text) is not None:
        for m in _EN.finditer(text):
            s, e = m.span()
            first = text[s : text.find(" ", s)] if " " in text[s:e] else ""
            if first in _EN_LEAD:
                s += len(first) + 1
                if " " not in text[s:e].strip():
                    continue  # "The Camp": a feature word alone names nothing
            if text[e - 1] == ".":
                e -= 1
            out.append((s, e))
    out.sort()
    kept: list[tuple[int, int]] = []
    for s, e in out:
        if not kept or s >= kept[-1][1]:
            kept.append((s, e))
    return kept
