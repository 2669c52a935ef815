"""Quantities with their literal span: people counts, distances, areas, durations (Arabic digits and words too)."""

from __future__ import annotations

import re
from operator import itemgetter

from vigil.triage.arabic import DIGITS, fold

_D = "0-9٠-٩۰-۹"
_NUM = rf"[{_D}]{{1,3}}(?:[,.٬][{_D}]{{3}})+(?![{_D}])|[{_D}]+(?:[.,٫][{_D}]+)?"
WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
    "a dozen": 12,
    "dozen": 12,
    "واحد": 1,
    "اثنان": 2,
    "اثنين": 2,
    "ثلاث": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسه": 5,
    "ست": 6,
    "سته": 6,
    "سبع": 7,
    "سبعه": 7,
    "ثمان": 8,
    "ثماني": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعه": 9,
    "عشر": 10,
    "عشره": 10,
    "عشرين": 20,
    "ثلاثين": 30,
    "اربعين": 40,
    "خمسين": 50,
    "مئه": 100,
    "مائه": 100,
}
_AR_WORDS = (
    "واحد|اثنان|اثنين|ثلاث[ةه]?|[أا]ربع[ةه]?|خمس[ةه]?|ست[ةه]?|سبع[ةه]?|ثمان(?:ي[ةه]?)?|تسع[ةه]?|عشر[ةه]?|عشرين|"
    "ثلاثين|[أا]ربعين|خمسين|م[ئا]ئ?[ةه]"
)
_EN_WORDS = "|".join(sorted((w for w in WORD_NUMBERS if w.isascii()), key=len, reverse=True))
_MULT = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "ألف": 1e3,
    "الف": 1e3,
    "آلاف": 1e3,
    "الاف": 1e3,
    "مليون": 1e6,
    "mil": 1e3,
    "mille": 1e3,
    "bin": 1e3,
    "тис": 1e3,
    "тыс": 1e3,
}

# (regex of unit words, unit, kind); the first that follows the number wins.
_UNITS: list[tuple[str, str, str]] = [
    (r"square (?:kilomet(?:er|re)s?|km)|sq\.? ?km|km2|km²|كيلومترات? مربع[ةه]?|كم مربع", "km2", "area"),
    (r"square (?:miles?|mi)|sq\.? ?mi", "mi2", "area"),
    (r"hectares?|ha|هكتار(?:ات)?", "ha", "area"),
    (r"acres?", "acre", "area"),
    (r"dunams?|dunums?|دونم(?:ات)?", "dunam", "area"),
    (r"kilomet(?:er|re)s?|kms?|كيلومترات?|كيلو|كم|км|kilómetros?|kilometre?s?", "km", "distance"),
    (r"met(?:er|re)s?|m|متر|[أا]متار|metros?|mètres?|м", "m", "distance"),
    (r"miles?|mi", "mi", "distance"),
    (r"seconds?|secs?|ثوان[يٍ]?", "second", "duration"),
    (r"minutes?|mins?|دقيق[ةه]|دقائق", "minute", "duration"),
    (r"hours?|hrs?|ساع[ةه]|ساعات|horas?|heures?|saat|годин|часов|часа", "hour", "duration"),
    (r"days?|يوما?|[أا]يام|días?|jours?|gün|днів|дней|дня", "day", "duration"),
    (r"weeks?|[أا]سبوعا?|[أا]سابيع|semanas?|semaines?|hafta|тижнів|недель", "week", "duration"),
    (r"months?|شهرا?|[أا]شهر|شهور|meses?|mois|ay|місяців|месяцев", "month", "duration"),
    (r"years?|سن[ةه]|سنوات|عاما?|[أا]عوام", "year", "duration"),
    (
        r"killed|dead|deaths|died|martyrs|bodies|fatalities|شهيدا?|شهداء|قتيل|قتلى|ضحي[ةه]|ضحايا|جث[ةه]|جثث|muertos|"
        r"fallecidos|morts|tués|ölü|загиблих|загинули|погибших|погибли|убитых",
        "person",
        "killed",
    ),
    (
        r"injured|wounded|hurt|casualties|جريحا?|جرحى|مصابا?|مصابين|[إا]صاب[ةه]|[إا]صابات|heridos|blessés|yaralı|"
        r"поранених|поранені|раненых|ранены",
        "person",
        "injured",
    ),
    (r"missing|trapped|مفقودا?|مفقودين|desaparecidos|disparus|kayıp|зниклих|пропавших", "person", "missing"),
    (r"families|عائلات|[أا]سر", "family", "people"),
    (
        r"people|persons|civilians|children|kids|women|men|residents|patients|refugees|displaced|students|babies|"
        r"journalists|medics|doctors|شخصا?|[أا]شخاص|مدنيا?|مدنيين|طفلا?|[أا]طفال|نساء|نازحا?|نازحين|مواطنا?|مواطنين|"
        r"personas|civiles|niños|personnes|civils|enfants|kişi|sivil|çocuk|людей|осіб|дітей|человек|детей|мирных",
        "person",
        "people",
    ),
    (r"family|عائل[ةه]|[أا]سر[ةه]", "family", "people"),
]
_REFINE = re.compile(
    r"^\s+(?:were |have been |had been |are |got |now )?(?:(killed|dead|died|martyred)|(injured|wounded|hurt)|"
    r"(missing|trapped))\b|^\s+(?:(شهداء|قتلى|قتلوا|استشهدوا)|(جرحى|مصابين|أصيبوا|اصيبوا)|(مفقودين))",
    re.IGNORECASE,
)


def _alternatives(rx: str) -> list[str]:
    """The top-level alternatives of a regex (split at each `|` outside groups and classes)."""
    out, cur, depth, i = [], "", 0, 0
    while i < len(rx):
        step = rx.index("]", i) + 1 - i if rx[i] == "[" else 2 if rx[i] == "\\" else 1
        part = rx[i : i + step]
        depth += {"(": 1, ")": -1}.get(part, 0)
        if part == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += part
        i += step
    return [*out, cur]


def first_letters(rx: str) -> str:
    """The letters a match of the regex can start with (each alternative must start with a letter or a class)."""
    out = ""
    for alt in _alternatives(rx):
        first = alt[: alt.index("]") + 1] if alt[:1] == "[" else alt[:1]
        letters = first.strip("[]")
        if not letters.isalpha() or alt[len(first) : len(first) + 1] in ("?", "*", "{"):
            raise ValueError(f"an alternative of {rx!r} does not start with a letter or a class: {alt!r}")
        out += letters
    return "".join(sorted(set(out)))


# Each unit's group opens with a lookahead for its first letters: the regex engine then skips a unit whose words
# cannot start here in one step instead of trying each word (a case-insensitive literal is never skipped early).
_UNIT_RX = "|".join(f"(?P<u{i}>(?=[{first_letters(rx)}])(?:{rx}))" for i, (rx, _, _) in enumerate(_UNITS))
_MULT_RX = r"(?:\s?(?P<mult>thousand|million|k|m|ألف|الف|آلاف|الاف|مليون|mil|mille|bin|тис\.?|тыс\.?)(?!\w))?"
# Numbers are found first (cheap); the unit is then matched right where the number ends.
_NUMBER = re.compile(rf"(?<![\w/.=&?@#-])(?:{_NUM})|(?<!\w)(?:{_EN_WORDS}|{_AR_WORDS})(?!\w)", re.IGNORECASE)
# _NUM not after a word, a link or a sign, its first digit first: the regex engine skips ahead to a digit
_DIGITS_ONLY = re.compile(
    rf"[{_D}](?<![\w/.=&?@#-].)(?:[{_D}]{{0,2}}(?:[,.٬][{_D}]{{3}})+(?![{_D}])|[{_D}]*(?:[.,٫][{_D}]+)?)"
)
_AFTER = re.compile(
    rf"{_MULT_RX}"
    rf"(?:\s+(?:more|other|further|new|innocent|unarmed|young|آخرين|جدد|[a-z]+(?=\s+(?:people|civilians)))){{0,1}}"
    rf"\s*(?:-\s*)?(?:{_UNIT_RX})(?!\w)",
    re.IGNORECASE,
)
# the unit of each unit group in _AFTER: a match's unit is the group it closed last (m.lastindex), looked up
# instead of trying each group's start (with parse_number's fast path: 334.0k -> 327.7k instructions per post)
_UNIT_OF: dict[int | None, int] = {_AFTER.groupindex[f"u{i}"]: i for i in range(len(_UNITS))}
_HAS_DIGIT = re.compile(rf"[{_D}]")
_WORDS_SET = frozenset(WORD_NUMBERS) | frozenset("ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة أربع مئة مائة".split())  # noqa: SIM905
_WORD_TOKEN = re.compile(r"\w+")
# The first three letters of every unit word (folded Arabic too), to skip the many posts that have none.
_UNIT_NAMES = (
    "square sq km kms kilometer kilometre kilomet kilo hectare ha acre dunam dunum meter metre m mi mile second sec "
    "minute min hour hr day week month year killed dead death died martyr bodies fatalities injured wounded hurt "
    "casualties missing trapped families family people persons civilians children kids women men residents patients "
    "refugees displaced students babies journalists medics doctors muertos fallecidos morts tués heridos blessés "
    "desaparecidos disparus personas civiles niños personnes civils enfants kilómetros metros mètres horas heures "
    "días jours semanas semaines meses mois ölü yaralı kayıp kişi sivil çocuk saat gün hafta ay загиблих загинули "
    "погибших погибли убитых поранених поранені раненых ранены зниклих пропавших людей осіб дітей человек детей "
    "мирных годин часов часа днів дней дня тижнів недель місяців месяцев км м "
    "كيلومتر كم هكتار دونم متر امتار ثواني دقيقة دقائق ساعة ساعات يوم يوما ايام اسبوع اسابيع شهر اشهر شهور سنة "
    "سنوات عام اعوام شهيد شهداء قتيل قتلى ضحية ضحايا جثة جثث جريح جرحى مصاب مصابين اصابة اصابات مفقود مفقودين "
    "عائلات اسر اسرة عائلة شخص اشخاص مدني مدنيين طفل اطفال نساء نازح نازحين مواطن مواطنين"
)
_UNIT_WORDS = frozenset(w[:3] for w in _UNIT_NAMES.split())
_PREFIX3 = itemgetter(slice(0, 3))  # w[:3], without a Python frame per word
_GLUED_UNIT = re.compile(r"\d(?:km|m|mi|k|ha|km2|km²|hrs?|mins?)\b", re.IGNORECASE)
_GROUPED = re.compile(r"\d{1,3}(?:[,.]\d{3})+")  # 50,000 or 1.500.000
_SEPARATOR = re.compile(r"[,.]")
_FOR = re.compile(r"(?:\bfor|لمد[ةه])\s+$", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """'50,000' -> 50000, '1.5' -> 1.5, '٣' -> 3, 'seven' -> 7; None when not a number."""
    if text.isdigit() and text.isascii():  # most numbers: what the steps below would give, without them
        return float(text)
    t = text.translate(DIGITS).replace("٬", ",").replace("٫", ".").strip()
    word = WORD_NUMBERS.get(fold(t.lower()))
    if word is not None:
        return float(word)
    if _GROUPED.fullmatch(t):
        return float(_SEPARATOR.sub("", t))
    try:
        return float(t.replace(",", "."))
    except ValueError:
        return None


def find_quantities(text: str, words: list[str] | None = None) -> list[dict[str, object]]:
    """Every quantity in the text: {text, value, unit, kind}, text the literal span (words: its lower-cased words)."""
    if words is None:
        words = _WORD_TOKEN.findall(fold(text.lower()))
    spelled = not _WORDS_SET.isdisjoint(words)
    if not spelled and _HAS_DIGIT.search(text) is None:
        return []  # no number at all (many posts): no quantity
    if _UNIT_WORDS.isdisjoint(map(_PREFIX3, words)) and not _GLUED_UNIT.search(text):
        return []  # no unit word at all: no quantity (most posts), whatever numbers they hold
    numbers = _NUMBER if spelled else _DIGITS_ONLY
    out: list[dict[str, object]] = []
    for n in numbers.finditer(text):
        m = _AFTER.match(text, n.end())
        if m is None:
            continue
        value = parse_number(n.group())
        if value is None:
            continue
        mult = m.group("mult")
        if mult:
            value *= _MULT.get(mult.lower().rstrip("."), 1)
        _, unit, kind = _UNITS[_UNIT_OF[m.lastindex]]
        if unit in ("m", "mi") and mult:
            continue
        start, end = n.start(), m.end()
        if kind == "duration":
            pre = _FOR.search(text, max(0, start - 8), start)
            if pre:
                start = pre.start()
        if kind == "people":
            r = _REFINE.match(text[end : end + 40])
            if r:
                groups = r.groups()
                kind = ("killed", "injured", "missing")[next(i for i, g in enumerate(groups) if g) % 3]
                end += r.end()
        out.append(
            {"text": text[start:end], "value": int(value) if value == int(value) else value, "unit": unit, "kind": kind}
        )
    return out
