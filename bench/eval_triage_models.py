"""Leave-one-event-out on the shared data: rules alone, built-in model alone, both, and a TF-IDF baseline.

"Both" three ways: rule OR model (the previous combination), as applied (the combination `make models` chooses,
chosen on every event), and that combination chosen without each event (the honest estimate of the choice).

Usage: .venv/bin/python bench/eval_triage_models.py [--data ../shared/data] [--jobs 2] [--out bench/out/eval_triage.md]
       [--no-baseline]
Every figure is on events the model never saw: the model of each fold is trained on the other 36 events with the
shipped model's settings, its scores calibrated and its thresholds chosen out of event (as `make models` does).
The baseline is scikit-learn's TF-IDF (word 1-2 + char_wb 2-5, sublinear tf) + LogisticRegression(C=4), trained per
dataset on the same folds: HumAID's 7 classes, Kawarith's 3 (one vs rest), CrisisLexT26's type, informativeness, source.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vigil.models.build_builtin import model_predictions, shared_data  # noqa: E402
from vigil.models.combine import Policy  # noqa: E402
from vigil.models.combine_policy import choose, rule_views  # noqa: E402
from vigil.models.corpus import load_shared, target_matrix  # noqa: E402
from vigil.models.mapping import AFFECTED_GROUP, TABLE  # noqa: E402
from vigil.models.triage_eval import Prediction, combined, figures, table  # noqa: E402
from vigil.models.triage_train import (  # noqa: E402
    HeadParams,
    calibrate,
    choose_thresholds,
    features,
    fit_calibration,
    languages,
    out_of_event,
)


def rules(texts: list[str]) -> list[dict]:
    from vigil.triage.engine import triage_text

    return [triage_text(t).enrichment() for t in texts]


def nested(c, views, P, Y, M, groups, th) -> list[dict[str, Policy]]:
    """Each post's policy chosen without its event (the honest estimate of the chosen combination)."""
    ev = np.array(c.events)
    out: list[dict[str, Policy]] = [{}] * len(c)
    for name in sorted(set(c.events)):
        chosen = choose(views, P, Y, M, groups, c.datasets, th, rows=ev != name)
        for i in np.flatnonzero(ev == name):
            out[i] = chosen
    return out


def _baseline_fold(texts, y, tr, te, multilabel):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion

    vec = FeatureUnion(
        [
            ("w", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ]
    )
    Xtr = vec.fit_transform([texts[i] for i in tr])
    Xte = vec.transform([texts[i] for i in te])
    lr = LogisticRegression(C=4, max_iter=1000)
    clf = OneVsRestClassifier(lr) if multilabel else lr
    clf.fit(Xtr, y[tr])
    return clf.predict(Xte)


def baseline(c, jobs: int) -> list[Prediction]:
    """Each post's labels from the TF-IDF baseline of its own dataset, mapped through the same table."""
    from joblib import Parallel, delayed

    rows = {(r.dataset, r.field, r.value): r for r in TABLE}
    labels: list[set[str]] = [set() for _ in c.texts]
    inform = [False] * len(c.texts)
    eye = [False] * len(c.texts)
    ev = np.array(c.events)
    ds = np.array(c.datasets)
    tasks = [("humaid", "labels", False), ("kawarith", "labels", True)] + [
        ("crisislex", f, False) for f in ("Information Type", "Informativeness", "Information Source")
    ]
    for dataset, field, multilabel in tasks:
        idx = np.array([i for i in np.flatnonzero(ds == dataset) if field in c.gold[i]])
        if multilabel:
            from sklearn.preprocessing import MultiLabelBinarizer

            mlb = MultiLabelBinarizer()
            y = mlb.fit_transform([c.gold[i][field] for i in idx])
        else:
            y = np.array([c.gold[i][field][0] for i in idx])
        names = sorted(set(ev[idx].tolist()))
        parts = Parallel(n_jobs=jobs)(
            delayed(_baseline_fold)(
                [c.texts[i] for i in idx],
                y,
                np.flatnonzero(ev[idx] != n),
                np.flatnonzero(ev[idx] == n),
                multilabel,
            )
            for n in names
        )
        for n, pred in zip(names, parts, strict=True):
            for k, v in zip(idx[ev[idx] == n], pred, strict=True):
                values = [mlb.classes_[j] for j in np.flatnonzero(v)] if multilabel else [str(v)]
                for value in values:
                    r = rows[(dataset, field, value)]
                    for h in r.positive:
                        if h == "informative":
                            inform[k] = True
                        elif h == "eyewitness":
                            eye[k] = True
                        elif h == "affected":
                            if not set(r.positive) & set(AFFECTED_GROUP):
                                labels[k].add("casualties")  # any label of the group says "affected"
                        else:
                            labels[k].add(h)
    for k, d in enumerate(c.datasets):
        if d != "crisislex":
            inform[k] = bool(labels[k] - {"sympathy"})
    return [Prediction(frozenset(labels[k]), inform[k], eye[k]) for k in range(len(c.texts))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=shared_data())
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "eval_triage.md")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--scores", type=Path, help="out-of-event raw scores saved by `build_builtin --scores` to reuse")
    args = ap.parse_args()
    c = load_shared(args.data)
    ys, ms = target_matrix(c)
    Y, M = np.array(ys, dtype=np.int8), np.array(ms, dtype=bool)
    t0 = time.perf_counter()
    enr = rules(c.texts)
    t_rules = time.perf_counter() - t0
    groups = languages(c)
    if args.scores:
        Z = np.load(args.scores, allow_pickle=False)
    else:
        Z = out_of_event(features(c.texts), Y, M, c.events, HeadParams(), args.jobs)
    P = calibrate(Z, fit_calibration(Z, Y, M))
    th = choose_thresholds(c, P, Y, M, groups)
    results = {
        "rules": figures(
            c.datasets,
            Y,
            M,
            [Prediction(frozenset(e["labels"]), bool(e["informative"]), bool(e["eyewitness"])) for e in enr],
        ),
        "model": figures(c.datasets, Y, M, model_predictions(P, groups, th, ["post"] * len(c))),
        "rules OR model": figures(c.datasets, Y, M, combined(enr, P, groups, th)),
    }
    views = rule_views(enr)
    shipped = choose(views, P, Y, M, groups, c.datasets, th)
    results["rules + model (as applied)"] = figures(c.datasets, Y, M, combined(enr, P, groups, th, [shipped] * len(c)))
    results["as applied, chosen out of event"] = figures(
        c.datasets, Y, M, combined(enr, P, groups, th, nested(c, views, P, Y, M, groups, th))
    )
    if not args.no_baseline:
        results["TF-IDF baseline"] = figures(c.datasets, Y, M, baseline(c, args.jobs))
    lines = table(results)
    lines.append("")
    lines.append(f"rules over {len(c):,} texts: {t_rules:.1f} s; thresholds: {json.dumps(th)}")
    lines.append(f"combination chosen on every event: {json.dumps({g: p.to_json() for g, p in shipped.items()})}")
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
