"""Places below a city, named as people name them: a feature word and its name (Main Street, مستشفى الشفاء)."""

from __future__ import annotations

import re

from vigil.text.normalise import fold

# English: up to four capitalised words, then a feature word (or a numbered road: Interstate 45, Highway 59, I-10)
_EN_FEATURES = (
    "Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Drive|Highway|Hwy|Freeway|Bridge|Tunnel|Hospital|Clinic|"
    "Airport|Port|Harbour|Harbor|Dam|Levee|Park|Beach|Bay|Lake|River|Creek|Island|Islands|Mall|Market|School|"
    "University|College|Stadium|Center|Centre|County|Parish|Valley|Canyon|Mountain|Mountains|Forest|Camp|Square|"
    "Neighborhood|Neighbourhood|District|Village|Reservoir|Station|Base|Mosque|Church|Cathedral|Temple"
)
_EN = re.compile(
    rf"[A-Z][a-z'’]+(?:[ -](?:[A-Z][a-z'’]+|of|de|del|la|al|el)){{0,2}} (?:{_EN_FEATURES})\b\.?"
    r"|(?:Interstate|Highway|Hwy|Route|State Route|I-|US-|U\.S\. )\s?\d{1,3}\b"
)
# The leading word of an English match that is no name ("The", "In", "Our"): the match starts after it
_EN_LEAD_WORDS = "The A An In On At Our My Your Their His Her This That From To Near Outside Inside Local Of For And By"
_EN_LEAD = frozenset(_EN_LEAD_WORDS.split())
_ARABIC = re.compile("[\u0621-\u064a]")
# Arabic: a feature word (with its prefixes) and one to three words of its name, up to punctuation
_AR_FEATURES = (
    "مستشفى|مستشفي|مشفى|شارع|حي|منطقة|منطقه|مدينة|مدينه|محافظة|محافظه|جسر|نفق|سد|دوار|ميدان|سوق|مطار|ميناء|جامعة|"
    "جامعه|مدرسة|مدرسه|مسجد|جامع|كنيسة|مقبرة|مقبره|طريق|الدائري|دائري|وادي|مخيم|ضاحية|قرية|قريه|بلدة|بلده|مجمع|برج|"
    "معهد|فندق|بحيرة|جزيرة"
)
_AR = re.compile(
    rf"(?<![\u0621-\u064a])[وفبلك]{{0,2}}(ال)?({_AR_FEATURES})"
    r"((?:[ _](?!(?:في|من|على|الى|إلى|عن|مع|و|ثم|بعد|قبل|منذ|حتى|التي|الذي|بسبب)\b)[\u0621-\u064a#]+){1,3})"
)
_AR_HINTS = ("مستشف", "مشفى", "شارع", "حي ", "منطق", "مدين", "محافظ", "جسر", "نفق", "سد ", "دوار", "ميدان", "سوق",
             "مطار", "ميناء", "جامع", "مدرس", "مسجد", "كنيس", "مقبر", "طريق", "دائري", "وادي", "مخيم", "ضاحي",
             "قري", "بلد", "مجمع", "برج", "معهد", "فندق", "بحير", "جزير")  # fmt: skip
# words after a feature word that end its name (a verb, a time word): at most this many name words are kept
_AR_STOP_WORDS = "اليوم امس غدا الان صباحا مساءا ليلا بسبب جراء نتيجه اثر بعد قبل في من علي الي عن مع ثم منذ"
_AR_STOP = frozenset(_AR_STOP_WORDS.split())
_FEATURE = re.compile(f"(?:{fold(_AR_FEATURES)})(?![\u0621-\u064a])")


def find_landmarks(text: str) -> list[tuple[int, int]]:
    """Spans of named features in the text (streets, hospitals, bridges…), in order; none overlaps another."""
    out: list[tuple[int, int]] = []
    if not text.isascii() and _ARABIC.search(text) is not None and any(h in text for h in _AR_HINTS):
        pos = 0
        while (m := _AR.search(text, pos)) is not None:
            pos = m.end()
            words = m.group(3).replace("_", " ").split()
            keep = []
            for w in words:
                f = fold(w.lstrip("#"))
                if f in _AR_STOP or (f[:1] == "و" and (f[1:] in _AR_STOP or f[1:3] == "ال" or _FEATURE.match(f[1:]))):
                    break  # a time word, or "and …": the name has ended
                if m.group(1) and not f.startswith("ال"):
                    break  # "الجامع الكبير" names a place, "المدرسة صارت" is a sentence: after the article, adjectives
                keep.append(w)
            if not keep:
                continue
            end = m.start(3)
            for w in keep:
                end = text.index(w, end) + len(w)
            out.append((m.start(1) if m.group(1) else m.start(2), end))
            pos = end  # the words after the name may begin the next one ("وجسر الوالة")
    if not text.islower():
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
