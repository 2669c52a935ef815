"""Places against the hand-marked location mentions of IDRISI: precision, recall and F1 per language and event.

Usage: python bench/eval_places.py [--lang en|ar] [--events dev|test|all] [--errors N] [--gazetteer FILE]
A gold mention is found when a place triage reports has matched text or a name that agrees with it: both read as
`places.norm` gives them (hashtag marks, underscores and a possessive 's set aside, Arabic words without the
article), one the same words as the other or a run of its words ("دولة الكويت" and "الكويت", "Butte County" and
"Butte"). Each distinct mention of a tweet counts once, as `places` reports each place once. A reported place that
agrees with no mention is a false positive.
Events are split in two: `dev` (the gazetteer and place rules were tuned looking at these) and `test` (never
looked at while tuning); report `test`. IDRISI is read in place from the shared data folder, never copied.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vigil.models.build_builtin import shared_data  # noqa: E402
from vigil.text.normalise import fold  # noqa: E402
from vigil.triage.places import PlaceMatcher, norm  # noqa: E402

# events looked at while tuning (dev) and held out (test); alphabetical halves within each language
DEV = {
    "en": {
        "california_wildfires_2018", "canada_wildfires_2016", "ecuador_earthquake_2016", "hurricane_florence_2018",
        "hurricane_harvey_2017", "hurricane_irma_2017",
    },
    "ar": {"jordan_floods_2018", "kuwait_floods_2018"},
}  # fmt: skip


IDRISI = shared_data() / "idrisi"


_POSSESSIVE = re.compile(r"['’]s\b")


def key(text: str) -> str:
    """The form a mention and a reported place are compared in (see the module's docstring)."""
    k = norm(_POSSESSIVE.sub("", text).replace("#", " ").replace("_", " "))
    words = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in fold(k).split()]
    return " ".join(words)


def agree(a: str, b: str) -> bool:
    """Whether one key is the other or a run of its words."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return f" {short} " in f" {long} "


def rows(lang: str, which: str) -> list[dict[str, object]]:
    """Tweets of the chosen events with their mentions."""
    out = []
    for path in sorted((IDRISI / lang).glob("*.jsonl")):
        dev = path.stem in DEV[lang]
        if (which == "dev" and not dev) or (which == "test" and dev):
            continue
        out += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def score(matcher: PlaceMatcher, tweets: list[dict[str, object]]) -> tuple[Counter[str], list[str]]:
    """tp, fp, fn per event (and "all"), with the errors."""
    counts: Counter[str] = Counter()
    errors: list[str] = []
    for tw in tweets:
        text, ev = str(tw["text"]), str(tw["event"])
        gold = {key(str(m["text"])) for m in tw["locations"]} - {""}  # type: ignore[attr-defined]
        found = matcher.find(text)
        hit: set[str] = set()
        fp = 0
        for p in found:
            mine = (key(str(p["text"])), key(str(p["name"])))
            agrees = {g for g in gold if agree(mine[0], g) or agree(mine[1], g)}
            if agrees:
                hit |= agrees
            else:
                fp += 1
                errors.append(f"FP {ev}: {p['text']!r} ({p['name']}, {p['country']}) in {text!r}")
        for g in gold - hit:
            errors.append(f"FN {ev}: {g!r} in {text!r}")
        for k in (ev, "all"):
            counts[k + ":tp"] += len(hit)
            counts[k + ":fp"] += fp
            counts[k + ":fn"] += len(gold - hit)
    return counts, errors


def prf(c: Counter[str], k: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of one key of the counts."""
    tp, fp, fn = c[k + ":tp"], c[k + ":fp"], c[k + ":fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lang", choices=("en", "ar"), action="append")
    ap.add_argument("--events", choices=("dev", "test", "all"), default="test")
    ap.add_argument("--errors", type=int, default=0, help="print this many errors per language")
    ap.add_argument("--gazetteer", type=Path, default=None, help="a workspace gazetteer.tsv to add")
    args = ap.parse_args()
    if not IDRISI.is_dir():
        print(f"IDRISI: skipped ({IDRISI} is absent)")
        return
    matcher = PlaceMatcher.build(args.gazetteer)
    for lang in args.lang or ["en", "ar"]:
        tweets = rows(lang, args.events)
        counts, errors = score(matcher, tweets)
        p, r, f = prf(counts, "all")
        print(f"{lang} {args.events} events ({len(tweets):,} tweets): precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
        for ev in sorted({k.rsplit(":", 1)[0] for k in counts} - {"all"}):
            p, r, f = prf(counts, ev)
            print(f"  {ev:<32} precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
        for e in errors[: args.errors]:
            print("   ", e)


if __name__ == "__main__":
    main()
