"""Triage throughput on typical tweets: prints posts per CPU-second of one core (lang given, and detected).

CPU time (not wall time) is measured, so other work on a shared machine does not count against triage.
"""

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
    (
        "en",
        "RT @newsdesk: BREAKING: 7 killed and 20 injured after air strikes on Aleppo, local sources say https://t.co/x1",
    ),
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
    """CPU microseconds for sum(range(1000)): about 10 on an idle modern core; higher means a busy machine."""
    import timeit

    timer = timeit.Timer("sum(range(1000))", timer=time.process_time)
    return min(timer.repeat(number=2000, repeat=5)) / 2000 * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    t = time.process_time()
    places = PlaceMatcher.build(None)
    t_places = time.process_time() - t
    triager = Triager.for_workspace(None, with_places=False)
    triager.places = places
    posts = corpus(n)
    for lang, text in posts[:200]:
        triager.triage(text, lang=lang)
        triager.triage(text, lang=None)  # loads the language model before timing
    triager._memo.clear()
    t = time.process_time()
    for lang, text in posts:
        triager.triage(text, lang=lang, kind="post")
    given = n / (time.process_time() - t)
    m = min(n, 4000)
    triager._memo.clear()
    t = time.process_time()
    for _, text in posts[:m]:
        triager.triage(text, lang=None, kind="post")
    detected = m / (time.process_time() - t)
    real = crisislex_texts()
    real_rate = None
    if real:
        triager._memo.clear()
        t = time.process_time()
        for text in real:
            triager.triage(text, lang="en", kind="post")
        real_rate = len(real) / (time.process_time() - t)
    print(f"machine: sum(range(1000)) takes {calibration():.1f} CPU µs (≈10 on an idle modern core)")
    print(f"gazetteer ready in {t_places:.2f} s (cached build)")
    if real_rate:
        print(f"triage, CrisisLex T26 tweets:        {real_rate:,.0f} posts/s on one core ({len(real):,} posts)")
    else:
        print("triage, CrisisLex T26 tweets: skipped (../shared/data/crisislex-t26 absent)")
    print(f"triage, platform gave the language: {given:,.0f} posts/s on one core ({n:,} posts)")
    print(f"triage, language detected offline:  {detected:,.0f} posts/s on one core ({m:,} posts)")


if __name__ == "__main__":
    main()
