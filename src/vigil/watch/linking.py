"""Which voices may be one person (names, handles, bios naming each other) and who speaks in a post: at scale.

Voices are compared only within blocks that share a key — a name's words in any order (each part of a name
written twice, "Dr Hala Mansour | د. هلا منصور", on its own, titles left out), a handle, a handle a bio names — so
20,000 voices cost a dictionary pass, not 200 million comparisons. Speakers are found through the full-text
index: one query per few hundred names, not every post against every name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

import sqlalchemy as sa

from vigil.store import schema
from vigil.store.engine import Workspace
from vigil.watch.voices import VoiceInfo, list_voices

# Words that are a title or a tag, not a name ("Dr", "د.", "(official)").
TITLES = frozenset(
    (
        "dr",
        "doctor",
        "prof",
        "professor",
        "eng",
        "engineer",
        "mr",
        "mrs",
        "ms",
        "miss",
        "sir",
        "sheikh",
        "shaikh",
        "official",
        "officiel",
        "real",
        "the",
        "channel",
        "page",
        "account",
        "backup",
        "archive",
        "personal",
        "تلفزيون",
        "قناة",
        "د",
        "م",
        "أ",
        "ا",
        "الدكتور",
        "الدكتورة",
        "دكتور",
        "دكتورة",
        "المهندس",
        "المهندسة",
        "مهندس",
        "أستاذ",
        "الأستاذ",
        "الاستاذ",
        "أستاذة",
        "الشيخ",
        "رسمي",
        "الرسمي",
        "الرسمية",
        "صفحة",
        "حساب",
    )
)
PLATFORM_WORDS = {
    "telegram": ("telegram", "t.me/", "تلغرام", "تيليجرام", "تلجرام"),
    "twitter": ("twitter", " x.com", "on x", "x:", "تويتر"),
    "bluesky": ("bluesky", "bsky"),
    "mastodon": ("mastodon",),
    "youtube": ("youtube", "يوتيوب"),
}
# A name's consonants, so that "Hala Mansour" and "هلا منصور" meet: Arabic letters to the Latin consonant most
# transliterations use; long vowels, hamza, ain and ta marbuta dropped as Latin spellings drop or vary them.
_AR = str.maketrans(
    {
        **dict.fromkeys("اأإآءئؤىيوعة", ""),
        "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "z", "ر": "r", "ز": "z",
        "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ق": "k", "ك": "k",
        "ل": "l", "م": "m", "ن": "n", "ه": "h",
    }
)  # fmt: skip
_LATIN_PAIRS = (("sh", "s"), ("th", "t"), ("dh", "z"), ("kh", "k"), ("gh", "g"), ("ch", "s"), ("ph", "f"))
_LATIN = str.maketrans({**dict.fromkeys("aeiouyw'", ""), "q": "k", "c": "k", "g": "j", "p": "b", "v": "f", "x": "ks"})
_VOWEL_H = re.compile(r"(?<=[aeiou])h\b")
_DOUBLE = re.compile(r"(.)\1+")
MIN_SKELETON = 5  # consonants: shorter skeletons meet by chance
MAX_BLOCK = 60  # a word shared by more voices than this says too little to compare them all by it
_PARTS = re.compile(r"\s*(?:[|/•·()\[\]{}«»,;]|\s[-–—]\s)\s*")
_WORD = re.compile(r"\w+")
_BIO_HANDLE = re.compile(
    r"(?:@|t\.me/|telegram\.me/|(?:twitter|x)\.com/|bsky\.app/profile/|instagram\.com/)([\w.]{3,})", re.IGNORECASE
)


def fold(word: str) -> str:
    """A word case-folded, accents and Arabic diacritics removed."""
    folded = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def name_parts(name: str | None) -> list[tuple[str, ...]]:
    """Each part of a display name as its words, titles and bare numbers left out: the whole name, then each part.

    'Dr Hala Mansour | د. هلا منصور' -> [('hala', 'mansour', 'هلا', 'منصور'), ('hala', 'mansour'), ('هلا', 'منصور')].
    """
    if not name:
        return []
    out: list[tuple[str, ...]] = []
    for part in [name, *_PARTS.split(name)]:
        words = tuple(w for w in (fold(x) for x in _WORD.findall(part)) if w not in TITLES)
        if words and words not in out:
            out.append(words)
    return out


def skeleton(words: tuple[str, ...]) -> str:
    """A name's consonants in one script's terms: ('hala', 'mansour') and ('هلا', 'منصور') -> 'hlmnsr'."""
    # the article written or not: "Al-Khatib" / "Khatib", "الزهراء" / "Zahra"
    text = " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words if w not in ("al", "el"))
    if any("\u0600" <= c <= "\u06ff" for c in text):
        out = text.translate(_AR)
    else:
        out = _VOWEL_H.sub("", text)  # Fatimah / فاطمة
        for pair, one in _LATIN_PAIRS:
            out = out.replace(pair, one.upper())  # kept from the single-letter table below
        out = out.translate(_LATIN).lower()
    return _DOUBLE.sub(r"\1", "".join(c for c in out if c.isalpha() and c.isascii()))


def _script(words: tuple[str, ...]) -> str:
    return "ar" if any("\u0600" <= c <= "\u06ff" for w in words for c in w) else "latin"


def squash(text: str | None) -> str:
    """Letters and digits only, folded: 'Hala_Mansour', '@hala.mansour' -> 'halamansour'."""
    return "".join(c for c in fold(text or "") if c.isalnum())


class Candidate(NamedTuple):
    """What linking needs of a voice, computed once (a pair is then compared with set operations alone)."""

    info: VoiceInfo
    parts: list[tuple[str, ...]]
    handles: frozenset[str]  # squashed handles (and channel names)
    bio: str  # every account's bio, case-folded
    named: frozenset[str]  # squashed handles its bio names
    platforms: frozenset[str]
    names: frozenset[str]  # each part's words, sorted and joined: the same name in any order or separator
    flat: frozenset[str]  # handles and each part's words run together: a name written as a handle
    skeletons: frozenset[tuple[str, str]]  # (script, consonants) of each two-word part: a name in another script


def candidate(info: VoiceInfo, bio: str) -> Candidate:
    """A voice ready to compare: its name's parts, handles and what its bio (case-folded) names."""
    parts = name_parts(info.name)
    handles = frozenset(h for h in (squash(x.partition(":")[2]) for x in info.handles) if len(h) >= 3)
    named = frozenset(h for h in (squash(m) for m in _BIO_HANDLE.findall(bio)) if len(h) >= 3)
    names = frozenset(" ".join(sorted(w)) for w in parts if len(w) >= 2 or len(w[0]) >= 5)
    flat = handles | {"".join(w) for w in parts}
    skeletons = frozenset((_script(w), sk) for w in parts if len(w) >= 2 and len(sk := skeleton(w)) >= MIN_SKELETON)
    return Candidate(info, parts, handles, bio, named, frozenset(info.platforms), names, flat, skeletons)


@dataclass
class Suggestion:
    """Two voices that may be one person, and why."""

    a: VoiceInfo
    b: VoiceInfo
    score: float
    reason: str


def _bios(ws: Workspace) -> dict[int, str]:
    a = schema.accounts.c
    out: dict[int, str] = {}
    with ws.engine.connect() as conn:
        for vid, bio in conn.execute(sa.select(a.voice_id, a.bio).where(a.bio.is_not(None), a.bio != "")):
            out[vid] = (out.get(vid, "") + " " + bio).casefold()
    return out


def candidates(ws: Workspace) -> list[Candidate]:
    """Every voice with accounts, with its name parts, handles and what its bio names."""
    voices = list_voices(ws, counts=False)  # first: it gives every account its voice
    bios = _bios(ws)
    return [candidate(v, bios.get(v.id, "")) for v in voices if v.accounts]


def _keys(c: Candidate) -> Iterable[str]:
    for name in c.names:
        yield "n:" + name  # the same words, any order or separator
    for flat in c.flat:
        yield "h:" + flat  # a handle, or a name written as one
    for _, sk in c.skeletons:
        yield "s:" + sk  # the same consonants, in any script
    for words in c.parts:
        for w in words:
            if len(w) >= 3 and not w.isdigit():
                yield "w:" + w


def _platforms_differ(x: Candidate, y: Candidate) -> bool:
    return x.platforms.isdisjoint(y.platforms)


def candidate_pairs(cands: list[Candidate]) -> set[tuple[int, int]]:
    """Index pairs that share a block (a name's words, a handle) or where one's bio names the other's handle."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        for k in set(_keys(c)):
            blocks[k].append(i)
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if len(members) < 2 or (key.startswith("w:") and len(members) > MAX_BLOCK):
            continue
        by_platform: dict[frozenset[str], list[int]] = defaultdict(list)
        for i in members:
            by_platform[cands[i].platforms].append(i)
        if len(by_platform) < 2:  # one platform only: nobody here to link across platforms
            continue
        groups = list(by_platform.items())
        for n, (pa, xs) in enumerate(groups):
            for pb, ys in groups[n + 1 :]:
                if pa.isdisjoint(pb):
                    pairs.update((i, j) if i < j else (j, i) for i in xs for j in ys)
    for i, c in enumerate(cands):
        for h in c.named:
            for j in blocks.get("h:" + h, ()):
                if j != i and _platforms_differ(c, cands[j]):
                    pairs.add((i, j) if i < j else (j, i))
    return pairs


def _says_platform(bio: str, platforms: list[str]) -> str | None:
    return next((p for p in platforms if any(w in bio for w in PLATFORM_WORDS.get(p, (p,)))), None)


def pair_reason(x: Candidate, y: Candidate) -> tuple[float, str] | None:
    """How likely two voices are one person, and why; None when nothing says so."""
    for a, b in ((x, y), (y, x)):
        hit = a.named & b.handles
        if hit:
            return 0.95, f"{a.info.name}'s bio names {sorted(hit)[0]}"
    if not x.names.isdisjoint(y.names):
        shown = next(p for p in (x.info.name, y.info.name) if len(p) == min(len(x.info.name), len(y.info.name)))
        for a, b in ((x, y), (y, x)):
            if platform := _says_platform(a.bio, b.info.platforms):
                return 0.95, f"same name {shown!r}; {a.info.name}'s bio names {platform}"
        return 0.9, f"same name {shown!r}"
    if x.handles & y.handles:
        return 0.85, f"same handle {sorted(x.handles & y.handles)[0]!r}"
    if not x.flat.isdisjoint(y.flat):
        return 0.85, f"a name written as the other's handle ({sorted(x.flat & y.flat)[0]!r})"
    for sx, kx in x.skeletons:
        for sy, ky in y.skeletons:
            if kx == ky and sx != sy:
                return 0.8, f"the same name in another script ({kx!r})"
    best = max(
        (SequenceMatcher(None, s, t).ratio() for s in x.flat for t in y.flat if len(s) >= 4 and len(t) >= 4),
        default=0.0,
    )
    if best >= 0.8:
        return round(best * 0.9, 2), f"similar names or handles ({best:.0%})"
    return None


def suggest(ws: Workspace, min_score: float = 0.7) -> list[Suggestion]:
    """Pairs of voices on different platforms that may be one person, most likely first."""
    cands = candidates(ws)
    out: list[Suggestion] = []
    for i, j in candidate_pairs(cands):
        found = pair_reason(cands[i], cands[j])
        if found and found[0] >= min_score:
            out.append(Suggestion(cands[i].info, cands[j].info, found[0], found[1]))
    return sorted(out, key=lambda s: (-s.score, s.a.name.casefold(), s.b.name.casefold()))


SPEAKER_BATCH = 200  # names per full-text query
_MATCHING = (
    "SELECT p.uid, p.created_at, p.title, p.text, a.voice_id FROM posts p "
    "LEFT JOIN accounts a ON a.uid = p.account_uid WHERE p.speaker_voice IS NULL AND p.repost_of IS NULL "
    "AND p.pk IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)"
)
_TITLED = (
    "SELECT p.uid, p.created_at, p.title, p.text, a.voice_id FROM posts p "
    "LEFT JOIN accounts a ON a.uid = p.account_uid WHERE p.speaker_voice IS NULL AND p.repost_of IS NULL "
    "AND p.title IS NOT NULL"
)


def _phrase(words: list[str]) -> str:
    return '"' + " ".join(w.replace('"', "") for w in words) + '"'


def suggest_speakers(ws: Workspace) -> list[tuple[str, VoiceInfo]]:
    """Posts whose title or text names another known voice (full name of two words or more): (post uid, voice)."""
    voices = [x for x in list_voices(ws, counts=False) if len(_WORD.findall(x.name)) >= 2]
    if not voices:
        return []
    patterns = {x.id: re.compile(r"\b" + re.escape(x.name) + r"\b", re.IGNORECASE) for x in voices}
    by_id = {x.id: x for x in voices}
    found: dict[str, tuple[str | None, int]] = {}  # uid -> (created_at, voice id), the first name found
    with ws.engine.connect() as conn:
        for start in range(0, len(voices), SPEAKER_BATCH):
            batch = voices[start : start + SPEAKER_BATCH]
            query = " OR ".join(_phrase(_WORD.findall(x.name)) for x in batch)
            _match(conn.exec_driver_sql(_MATCHING, (query,)), batch, patterns, found)
        _match(conn.exec_driver_sql(_TITLED), voices, patterns, found)
    order = sorted(found.items(), key=lambda kv: (kv[1][0] or "", kv[0]))
    return [(uid, by_id[vid]) for uid, (_, vid) in order]


def _match(
    rows: Iterable[tuple[str, str | None, str | None, str, int | None]],
    voices: list[VoiceInfo],
    patterns: dict[int, re.Pattern[str]],
    found: dict[str, tuple[str | None, int]],
) -> None:
    for uid, at, title, text, own in rows:
        if uid in found:
            continue
        hay = f"{title or ''}\n{text or ''}"
        for x in voices:
            if x.id != own and patterns[x.id].search(hay):
                found[uid] = (at, x.id)
                break
