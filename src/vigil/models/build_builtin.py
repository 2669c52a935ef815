"""Rebuild the shipped triage model from the shared data (`make models`): python -m vigil.models.build_builtin."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ATTRIBUTION = [
    "R. Suwaileh, T. Elsayed, M. Imran. IDRISI-RE: A generalizable dataset with benchmarks for location mention "
    "recognition on disaster tweets. Information Processing & Management, 2023.",
    "R. Suwaileh, T. Elsayed, M. Imran. IDRISI-D: Arabic and English Datasets and Benchmarks for Location Mention "
    "Disambiguation over Disaster Microblogs. ArabicNLP 2023.",
    "Class labels from HumAID (F. Alam, U. Qazi, M. Imran, F. Ofli, ICWSM 2021) and Kawarith (A. Alharbi, M. Lee, "
    "WANLP 2021).",
    "A. Olteanu, S. Vieweg, C. Castillo. What to Expect When the Unexpected Happens: Social Media Communications "
    "Across Crises. CSCW 2015 (CrisisLexT26).",
]
LICENCE = "IDRISI: Creative Commons Attribution 4.0 International; CrisisLexT26: see its LICENSE file"


def shared_data() -> Path:
    """The shared data folder: $VIGIL_SHARED_DATA, else `shared/data` beside the repository or one of its parents."""
    if env := os.environ.get("VIGIL_SHARED_DATA"):
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return here.parents[4] / "shared" / "data"


def speech_acts() -> Path:
    """The project's speech-act set (tests/data/speech_acts in the repository)."""
    return Path(__file__).resolve().parents[3] / "tests" / "data" / "speech_acts"


def model_predictions(
    P: Any, groups: list[str], thresholds: dict[str, dict[str, float]], kinds: list[str]
) -> list[Any]:
    """What the model alone says of each post, from its calibrated scores."""
    from vigil.models.combine import model_labels
    from vigil.models.mapping import HEADS
    from vigil.models.triage_eval import Prediction

    out = []
    for row, g, kind in zip(P.tolist(), groups, kinds, strict=True):
        p = dict(zip(HEADS, row, strict=True))
        th = thresholds[g]
        labels = frozenset(model_labels(p, th, set()))
        out.append(
            Prediction(
                labels,
                p["informative"] >= th["informative"],
                kind != "repost" and p["eyewitness"] >= th["eyewitness"],
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Train on every shared event, measure out of event, write the weights, parameters and card."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from vigil import __version__
    from vigil.models.combine_policy import choose, rule_views
    from vigil.models.corpus import load_shared
    from vigil.models.farewell_train import build as build_farewell
    from vigil.models.mapping import TABLE
    from vigil.models.triage_eval import combined, figures
    from vigil.models.triage_model import builtin_dir, save
    from vigil.models.triage_train import HeadParams, build
    from vigil.triage.engine import triage_text

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=shared_data())
    ap.add_argument("--out", type=Path, default=builtin_dir())
    ap.add_argument("--speech-acts", type=Path, default=speech_acts(), help="the speech-act splits (farewell head)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--scores", type=Path, help="an .npy of out-of-event raw scores to reuse (or to write, if absent)")
    args = ap.parse_args(argv)
    if not (args.data / "crisislex-t26").is_dir() or not (args.data / "idrisi").is_dir():
        print(f"error: {args.data}: needs crisislex-t26/ and idrisi/ (the shared data)", file=sys.stderr)
        return 2
    if not (args.speech_acts / "val.jsonl").is_file():
        print(f"error: {args.speech_acts}: needs the speech-act splits (dev, dev2, dev3, dev4, val)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    corpus = load_shared(args.data)
    params = HeadParams()
    import numpy as np

    reuse = np.load(args.scores, allow_pickle=False) if args.scores and args.scores.is_file() else None
    model, info = build(corpus, params, args.jobs, reuse)
    if args.scores and reuse is None:
        np.save(args.scores, info["raw"], allow_pickle=False)
    preds = model_predictions(info["oof"], info["groups"], model.thresholds, ["post"] * len(corpus))
    figs = figures(corpus.datasets, info["Y"], info["M"], preds)
    # how rules and model combine: chosen on the same out-of-event scores, against today's lexicons
    enr = [triage_text(t).enrichment() for t in corpus.texts]
    model.policies = choose(
        rule_views(enr), info["oof"], info["Y"], info["M"], info["groups"], corpus.datasets, model.thresholds
    )
    model.farewell, farewell = build_farewell(corpus, args.speech_acts, params)
    applied = combined(enr, info["oof"], info["groups"], model.thresholds, [model.policies] * len(corpus))
    figs_applied = figures(corpus.datasets, info["Y"], info["M"], applied)
    card = {
        "name": "vigil triage model",
        "vigil_version": __version__,
        "built_seconds": round(time.perf_counter() - t0, 1),
        "data": corpus.files,
        "texts": len(corpus),
        "events": len(set(corpus.events)),
        "mapping": [r._asdict() for r in TABLE],
        "learner": {
            "kind": "one logistic head per label (SGD, log loss), Platt-calibrated on out-of-event scores",
            **vars(params),
        },
        "features": model.params.to_json(),
        "thresholds": model.thresholds,
        "combine": {g: p.to_json() for g, p in model.policies.items()},
        "leave_one_event_out": {"model alone": figs, "rules + model (as applied)": figs_applied},
        "farewell head": farewell,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
    }
    save(args.out, model, {"vigil_version": __version__}, card)
    for ds, fig in figs.items():
        print(f"{ds}: macro F1 {fig['macro_f1']:.3f}, informative posts labelled {fig['informative_labelled']:.3f}")
        print(f"{ds}, rules + model as applied: macro F1 {figs_applied[ds]['macro_f1']:.3f}")
    fw = farewell["figures"]
    print(f"farewell head: thresholds {fw['thresholds']}, val {fw['val (thresholds chosen on it)']}")
    shared = fw["shared crises out of event"]
    print(f"farewell head: dev3 {fw['dev3 out of fold']}, shared crises {shared['completed']} of {shared['posts']}")
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
