"""Triage throughput on typical tweets: prints posts/s per core (lang given by the platform, and detected)."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from vigil.triage.engine import Triager  # noqa: E402
from vigil.triage.places import PlaceMatcher  # noqa: E402

TEMPLATES = [
    ("en", "Shelling again near the Old Port, we are in the basement with the kids. Please send help #Harbourtown"),
    ("en", "RT @newsdesk: BREAKING: 7 killed and 20 injured after air strikes on Aleppo, local sources say https://t.co/x1"),
    ("en", "Lovely sunset over the bay tonight, can't wait for the weekend with friends and family"),
    ("en", "Water distribution point at the north school is open from 9am, bring containers. Stay safe everyone"),
    ("en", "Our thoughts and prayers are with everyone in the city tonight. Stay strong."),
    ("en", "No one was injured when the old bridge closed this morning, traffic diverted via the ring road"),
    ("en", "The match was postponed again, I am so annoyed with the league, what a joke honestly"),
    ("en", "This may be my last message. If you don't hear from me, tell my mother I love her"),
    ("ar", "نداء عاجل: نحن محاصرون في الحي الشرقي، ٣ جرحى ونحتاج سيارات إسعاف"),
    ("ar", "قصف عنيف على المدينة منذ الصباح وانقطاع الكهرباء والماء"),
    ("ar", "صباح الخير يا أصدقاء، يوم جميل ومشمس اليوم"),
    ("ar", "اللهم احفظ أهلنا في حلب وكل المدن المحاصرة"),
    ("es", "Bombardeo en el barrio, hay muertos y heridos, necesitamos ayuda"),
    ("uk", "Обстріл Харкова триває, є загиблі та поранені"),
]


def corpus(n: int) -> list[tuple[str, str]]:
    rnd = random.Random(3)
    out = []
    for i in range(n):
        lang, text = TEMPLATES[rnd.randrange(len(TEMPLATES))]
        out.append((lang, f"{text} {i}"))
    return out


CRISISLEX = Path(__file__).resolve().parents[2] / "shared" / "data" / "crisislex-t26"


def crisislex_texts() -> list[str]:
    """Real crisis tweets (CrisisLex T26) when ../shared/data holds them; read in place, never copied."""
    import csv

    out: list[str] = []
    for path in sorted(CRISISLEX.glob("*/*-tweets_labeled.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            rows = csv.reader(fh)
            next(rows, None)
            out += [r[1] for r in rows if len(r) > 1]
    return out


def calibration() -> float:
    """Microseconds for sum(range(1000)): about 10 on an idle modern core; higher means a busy machine."""
    import timeit

    return min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    t = time.perf_counter()
    places = PlaceMatcher.build(None)
    t_places = time.perf_counter() - t
    triager = Triager.for_workspace(None, with_places=False)
    triager.places = places
    posts = corpus(n)
    for lang, text in posts[:200]:
        triager.triage(text, lang=lang)
    t = time.perf_counter()
    for lang, text in posts:
        triager.triage(text, lang=lang, kind="post")
    given = n / (time.perf_counter() - t)
    m = min(n, 4000)
    t = time.perf_counter()
    for _, text in posts[:m]:
        triager.triage(text, lang=None, kind="post")
    detected = m / (time.perf_counter() - t)
    real = crisislex_texts()
    real_rate = None
    if real:
        t = time.perf_counter()
        for text in real:
            triager.triage(text, lang="en", kind="post")
        real_rate = len(real) / (time.perf_counter() - t)
    print(f"machine: sum(range(1000)) takes {calibration():.1f} µs (≈10 on an idle core)")
    print(f"gazetteer ready in {t_places:.2f} s (cached build)")
    if real_rate:
        print(f"triage, CrisisLex T26 tweets:        {real_rate:,.0f} posts/s on one core ({len(real):,} posts)")
    else:
        print("triage, CrisisLex T26 tweets: skipped (../shared/data/crisislex-t26 absent)")
    print(f"triage, platform gave the language: {given:,.0f} posts/s on one core ({n:,} posts)")
    print(f"triage, language detected offline:  {detected:,.0f} posts/s on one core ({m:,} posts)")


if __name__ == "__main__":
    main()
