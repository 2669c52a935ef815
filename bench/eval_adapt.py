"""Leave-one-event-out with the held-out event's unlabelled texts: transductive idf, self-training, EM label prior.

Usage: nice -n 10 .venv/bin/python bench/eval_adapt.py [--datasets type] [--quick] [--jobs 2]
       [--mode self|em|mask] [--rounds 2] [--top 0.3] [--weight 0.5] [--mask cap|tags]
--mode self: idf fitted on the training and the held-out texts, then `--rounds` of self-training (the surest
`--top` share of the held-out posts of each predicted label added at `--weight`, refit); prints every round.
--mode em: `vigil model train`'s calibrated model, its held-out scores re-weighed by the held-out event's label
prior estimated by EM on them (Saerens, Latinne and Decaestecker 2002), from a uniform or the training prior, at
full or half strength. --mode mask: the texts rewritten before the features (`--mask cap`: capitalised words inside
a sentence to one token; `tags`: hashtags to one token), then the defaults. The labels of the held-out event are
read only to score. Pooled macro / weighted F1 as bench/eval_models.py counts them.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import warnings
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from eval_models import SHARED, f1s, read_dataset  # noqa: E402

from vigil.models.features import Featurizer  # noqa: E402
from vigil.models.train import TrainParams, _class_weights, featurize, train_matrix  # noqa: E402

_CAPITALISED = re.compile(r"(?<=[\w,] )[A-Z][\w']+")
_HASHTAG = re.compile(r"#\w+")


def masked(texts: list[str], how: str) -> list[str]:
    """Texts with capitalised words inside a sentence ("cap") or hashtags ("tags") as one token."""
    if how == "cap":
        return [_CAPITALISED.sub("Capword", t) for t in texts]
    if how == "tags":
        return [_HASHTAG.sub("hashtagtoken", t) for t in texts]
    return texts


def _sgd(X: sp.csr_matrix, y: np.ndarray, weight: np.ndarray, p: TrainParams):
    from sklearn.linear_model import SGDClassifier

    model = SGDClassifier(
        loss="log_loss",
        alpha=p.alpha,
        max_iter=p.epochs,
        tol=None,
        class_weight=_class_weights(y, p.class_weight),
        random_state=p.seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter bounds the time, as in vigil.models.train
        model.fit(X, y, sample_weight=weight)
    return model


def pseudo_rows(proba: np.ndarray, labels: np.ndarray, top: float) -> np.ndarray:
    """The surest `top` share (at least one) of the rows of each predicted label."""
    sure = proba.max(axis=1)
    rows: list[int] = []
    for c in np.unique(labels):
        ii = np.flatnonzero(labels == c)
        rows.extend(ii[np.argsort(-sure[ii], kind="stable")[: max(1, round(top * len(ii)))]].tolist())
    return np.array(sorted(rows), dtype=np.int64)


def self_training(X, y, tr, te, p: TrainParams, rounds: int, top: float, weight: float) -> list[np.ndarray]:
    """Held-out predictions with the transductive idf alone, then after each round of self-training."""
    fz = Featurizer(p.features)
    fz.fit_idf(X[np.concatenate([tr, te])])
    Xtr, Xte = fz.weigh(X[tr]), fz.weigh(X[te])
    model = _sgd(Xtr, y[tr], np.ones(len(tr)), p)
    preds = []
    for r in range(rounds + 1):
        d = model.decision_function(Xte)
        preds.append(model.classes_[d.argmax(axis=1)])
        if r == rounds:
            break
        z = np.exp(d - d.max(axis=1, keepdims=True))
        proba = z / z.sum(axis=1, keepdims=True)
        rows = pseudo_rows(proba, preds[-1], top)
        Xa = sp.csr_matrix(sp.vstack([Xtr, Xte[rows]]))
        wa = np.concatenate([np.ones(len(tr)), np.full(len(rows), weight)])
        model = _sgd(Xa, np.concatenate([y[tr], preds[-1][rows]]), wa, p)
    return preds


def em_prior(proba: np.ndarray, start: np.ndarray, iters: int = 200) -> np.ndarray:
    """The label prior of unlabelled rows by EM, for probabilities made under the prior `start`."""
    pi = start.copy()
    for _ in range(iters):
        q = proba * (pi / start)
        new = (q / q.sum(axis=1, keepdims=True)).mean(axis=0)
        if np.abs(new - pi).max() < 1e-7:
            return new
        pi = new
    return pi


EM_VARIANTS = ("uniform", "uniform^0.5", "train", "train^0.5", "uniform-T1")


def em_fold(X, y, ev, tr, te, p: TrainParams) -> list[np.ndarray]:
    """`vigil model train`'s predictions on the held-out rows, then each EM_VARIANTS re-weighing of them."""
    clf = train_matrix(X[tr], y[tr].tolist(), p, ev[tr].tolist()).classifier
    d = clf.decision_raw(X[te])
    classes = np.array(clf.classes)
    prior = np.array([np.mean(y[tr] == c) for c in classes])
    out = [classes[d.argmax(axis=1)]]
    for name in EM_VARIANTS:
        t = 1.0 if name.endswith("T1") else clf.temperature
        proba = clf.proba_from_decision(d * clf.temperature / t)
        start = prior if name.startswith("train") else np.full(len(classes), 1 / len(classes))
        strength = 0.5 if "^0.5" in name else 1.0
        adjusted = np.log(proba) + strength * (np.log(em_prior(proba, start)) - np.log(start))
        out.append(classes[adjusted.argmax(axis=1)])
    return out


def fold(X, y, ev, e: str, p: TrainParams, args: argparse.Namespace) -> tuple[np.ndarray, list[np.ndarray]]:
    """The held-out rows of event e and the predictions of each variant of the mode on them."""
    te, tr = np.flatnonzero(ev == e), np.flatnonzero(ev != e)
    if args.mode == "self":
        return te, self_training(X, y, tr, te, p, args.rounds, args.top, args.weight)
    if args.mode == "em":
        return te, em_fold(X, y, ev, tr, te, p)
    clf = train_matrix(X[tr], y[tr].tolist(), p, ev[tr].tolist()).classifier
    return te, [np.array(clf.classes)[clf.decision_raw(X[te]).argmax(axis=1)]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--datasets", default="type")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--mode", choices=("self", "em", "mask"), default="self")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--top", type=float, default=0.3)
    ap.add_argument("--weight", type=float, default=0.5)
    ap.add_argument("--mask", choices=("cap", "tags"), default="cap")
    args = ap.parse_args()
    from joblib import Parallel, delayed

    p = TrainParams()
    for name in [d for d in args.datasets.split(",") if d]:
        _, texts, y, ev = read_dataset(args.data, name)
        if args.mode == "mask":
            texts = masked(texts, args.mask)
        X = featurize(texts, p.features)
        names = sorted(set(ev.tolist()))[:: 4 if args.quick else 1]
        t0 = time.perf_counter()

        folds = Parallel(n_jobs=args.jobs)(delayed(fold)(X, y, ev, e, p, args) for e in names)
        keep = np.isin(ev, names)
        variants = {
            "self": [f"transductive idf, {r} rounds" for r in range(args.rounds + 1)],
            "em": ["no re-weighing", *(f"EM prior, {v}" for v in EM_VARIANTS)],
            "mask": [f"texts masked: {args.mask}"],
        }[args.mode]
        for i, label in enumerate(variants):
            out = np.empty(len(y), dtype=object)
            for te, preds in folds:
                out[te] = preds[i]
            macro, weighted = f1s(y[keep], out[keep].astype(str))
            eye = f", Eyewitness {f1s(y[keep], out[keep].astype(str), 'Eyewitness'):.3f}" if name == "source" else ""
            print(f"{name} ({len(names)} events) {label}: macro {macro:.3f} / weighted {weighted:.3f}{eye}")
        print(f"{name}: {time.perf_counter() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
