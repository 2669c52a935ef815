"""Leave-one-event-out: `vigil model train`'s learner with the built-in triage model's scores added (docs/models.md).

Usage: nice -n 10 .venv/bin/python bench/eval_stack.py [--data DIR] [--datasets type,source,humaid,kawarith]
       [--modes upper,honest] [--weights 0.1,0.5] [--no-plain] [--jobs 2] [--quick] [--out bench/out/eval_stack.md]
       ... --fusion [--unweighted] [--rules] [--weights 0.5 (shrink factors)]

For each held-out event k, a built-in model is trained (as `make models` trains it: one logistic head per label on
the shared corpus) without event k, and scores every post of the dataset. Two ways to use those scores:

- "upper": each post's scores come from the built-in model trained without the post's own event (out-of-event
  scores on the training rows too: what `build_builtin --scores` saves);
- "honest": for held-out event k, the training rows AND the held-out rows are scored by the one built-in model
  trained without event k. The training rows were in its training data (in-sample, as in use, where `vigil model
  train` runs on data the shipped model may have seen); the held-out rows were not.

A score column is the logit of the head's calibrated probability (the shipped model's Platt scaling, an affine map
per head) clipped to [-8, 8] and divided by 4, times a weight. Without --fusion the columns are appended to the
tf-idf features after weighting and the same SGD learner fits them; with --fusion a multinomial logistic
regression is fitted over our out-of-fold scores on the training events and the columns (see `fusion`).
The built-in models' raw scores and our folds' scores are cached under bench/out/cache/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from eval_models import CACHE, EYEWITNESS, SHARED, f1s, fmt, read_dataset  # noqa: E402

from vigil.models.features import Featurizer  # noqa: E402
from vigil.models.train import TrainParams, _fit_linear, featurize  # noqa: E402

CORPUS_EVENT = {"type": "", "source": "", "informativeness": "", "humaid": "en/", "kawarith": "ar/"}


def builtin_scores(data: Path, texts: list[str], events: list[str], prefix: str, jobs: int) -> np.ndarray:
    """(events, texts, heads) raw scores: row k from a built-in model trained without the k-th event (sorted)."""
    from joblib import Parallel, delayed

    from vigil.models.corpus import load_shared, target_matrix
    from vigil.models.triage_train import HeadParams, features

    names = sorted(set(events))
    corpus = load_shared(data)
    key = hashlib.sha256(json.dumps([corpus.files, prefix, names]).encode())
    for t in texts:
        key.update(t.encode() + b"\x00")
    path = CACHE / f"stack-{key.hexdigest()[:24]}.npy"
    if path.is_file():
        return np.load(path, allow_pickle=False)
    ys, ms = target_matrix(corpus)
    Y, M = np.array(ys, dtype=np.int8), np.array(ms, dtype=bool)
    X = features(corpus.texts)
    Xd = features(texts)
    ev = np.array(corpus.events)
    missing = [n for n in names if not (ev == prefix + n).any()]
    if missing:
        sys.exit(f"events not in the corpus: {missing}")
    t0 = time.perf_counter()
    parts = Parallel(n_jobs=jobs)(delayed(_builtin_fold)(X, Y, M, ev != prefix + n, Xd, HeadParams()) for n in names)
    print(f"{len(names)} built-in fits in {time.perf_counter() - t0:.0f} s", flush=True)
    S = np.stack(parts).astype(np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, S, allow_pickle=False)
    return S


def _builtin_fold(X, Y, M, keep, Xd, p) -> np.ndarray:
    from vigil.models.triage_train import fit_heads

    t0 = time.process_time()
    W, b = fit_heads(X[keep], Y[keep], M[keep], p)
    out = np.asarray(Xd @ W) + b
    print(f"  built-in fit: {time.process_time() - t0:.1f} CPU s", flush=True)
    return out


def score_columns(Z: np.ndarray, calib: np.ndarray, weight: float) -> np.ndarray:
    """Raw head scores to feature columns: calibrated logit, clipped, scaled to about [-2, 2], times weight."""
    return np.clip(Z * calib[0] + calib[1], -8, 8) / 4 * weight


def fit_predict(X, y_tr, tr, te, S_tr, S_te, params, rules=None):
    """Ours (tf-idf + cues, balanced SGD logistic) on X[tr] with extra columns; labels of X[te]."""
    fz = Featurizer(params.features)
    fz.fit_idf(X[tr])
    parts_tr, parts_te = [fz.weigh(X[tr])], [fz.weigh(X[te])]
    if S_tr is not None:
        parts_tr.append(sp.csr_matrix(S_tr))
        parts_te.append(sp.csr_matrix(S_te))
    if rules is not None:
        parts_tr.append(sp.csr_matrix(rules[tr]))
        parts_te.append(sp.csr_matrix(rules[te]))
    Xtr, Xte = sp.hstack(parts_tr, format="csr"), sp.hstack(parts_te, format="csr")
    classes = sorted(set(y_tr.tolist()))
    index = {c: i for i, c in enumerate(classes)}
    W, b = _fit_linear(Xtr, np.array([index[v] for v in y_tr]), params)
    d = np.asarray(Xte @ W) + b
    if d.shape[1] == 1:
        d = np.hstack([np.zeros_like(d), d])
    return np.array(classes)[d.argmax(axis=1)]


def our_scores(X, yi, labels, ev, tr, te, params):
    """Our out-of-fold scores on the training rows (3 folds by event) and the full fit's scores on the held-out rows
    (cached under bench/out/cache/, keyed by the fold's texts, labels and parameters)."""
    from vigil.models.train import _aligned, _folds, fit_matrix

    key = hashlib.sha256(json.dumps(params.to_json(), sort_keys=True).encode())
    key.update(X.data.tobytes() + X.indices.tobytes() + tr.tobytes() + te.tobytes() + yi.tobytes())
    path = CACHE / f"stack-ours-{key.hexdigest()[:24]}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=False) as z:
            return z["oof"], z["d_te"]
    classes = sorted(set(labels))
    oof = np.zeros((len(tr), len(classes)))
    splits, _ = _folds(yi, ev[tr].tolist(), 3, 0)
    for a, b in splits:
        f = fit_matrix(X[tr[a]], [labels[i] for i in a], params)
        oof[b] = _aligned(f, classes, f.decision_raw(X[tr[b]]))
    d_te = fit_matrix(X[tr], labels, params).decision_raw(X[te])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, oof=oof, d_te=d_te)
    return oof, d_te


def fusion(X, y, ev, k, name, S, calib, params, shrinks, rules=None, balanced=True):
    """Late fusion for held-out event k: a multinomial logistic regression (balanced or not) over our out-of-fold
    scores (3 folds by event over the training events, as `vigil model train` makes them for its calibration) and
    the built-in columns (and the rules' labels); returns {variant: held-out labels}. "honest, shrink s": the
    built-in columns of the held-out rows drawn toward the training rows' mean (their distance from it times s),
    since the meta-model learnt them in-sample, where they are surer."""
    from sklearn.linear_model import LogisticRegression

    te, tr = np.flatnonzero(ev == name), np.flatnonzero(ev != name)
    labels = y[tr].tolist()
    classes = sorted(set(labels))
    cl = np.array(classes)
    yi = np.array([classes.index(v) for v in labels])
    oof, d_te = our_scores(X, yi, labels, ev, tr, te, params)
    names = sorted(set(ev.tolist()))
    own = np.array([names.index(e) for e in ev])
    upper = score_columns(S[own, np.arange(len(ev))], calib, 1.0)
    honest = score_columns(S[k], calib, 1.0)

    centre = honest[tr].mean(axis=0)
    out = {"plain": cl[d_te.argmax(axis=1)]}
    for cw in ("balanced", None) if balanced else (None,):

        def meta(F_tr, F_te, cw=cw):
            m = LogisticRegression(C=1.0, class_weight=cw, max_iter=3000).fit(F_tr, yi)
            return cl[m.predict(F_te)]

        tag = "balanced" if cw else "unweighted"
        out[f"fusion-none {tag}"] = meta(oof, d_te)
        out[f"fusion-upper {tag}"] = meta(np.hstack([oof, upper[tr]]), np.hstack([d_te, upper[te]]))
        if rules is not None:
            out[f"fusion-rules {tag}"] = meta(np.hstack([oof, rules[tr]]), np.hstack([d_te, rules[te]]))
            out[f"fusion-rules+upper {tag}"] = meta(
                np.hstack([oof, rules[tr], upper[tr]]), np.hstack([d_te, rules[te], upper[te]])
            )
            out[f"fusion-rules+honest {tag}"] = meta(
                np.hstack([oof, rules[tr], honest[tr]]), np.hstack([d_te, rules[te], honest[te]])
            )
        for s in shrinks:
            out[f"fusion-honest {tag}, shrink {s}"] = meta(
                np.hstack([oof, honest[tr]]), np.hstack([d_te, centre + (honest[te] - centre) * s])
            )
    return out


def _fold(X, y, ev, k, name, S, calib, mode, weight, params, rules):
    te, tr = np.flatnonzero(ev == name), np.flatnonzero(ev != name)
    if mode == "none":
        S_tr = S_te = None
    elif mode == "upper":
        names = sorted(set(ev.tolist()))
        own = np.array([names.index(e) for e in ev])
        cols = score_columns(S[own, np.arange(len(ev))], calib, weight)
        S_tr, S_te = cols[tr], cols[te]
    else:  # honest: one built-in model trained without event k scores both
        cols = score_columns(S[k], calib, weight)
        S_tr, S_te = cols[tr], cols[te]
    return fit_predict(X, y[tr], tr, te, S_tr, S_te, params, rules)


def rule_matrix(texts: list[str]) -> np.ndarray:
    """The rules' labels (and eyewitness, informative) as 0/1 columns."""
    from vigil.triage.engine import triage_text
    from vigil.triage.labels import LABELS

    names = list(LABELS)
    out = np.zeros((len(texts), len(names) + 2), dtype=np.float32)
    for i, t in enumerate(texts):
        e = triage_text(t).enrichment()
        labels = set(e.get("labels", []))
        out[i, : len(names)] = [n in labels for n in names]
        out[i, -2] = bool(e.get("eyewitness"))
        out[i, -1] = bool(e.get("informative"))
    return out


def report(name, variant, y, ev, pred, held, keep, t0) -> str:
    """One Markdown row (printed with per-event weighted F1)."""
    yk, pk = y[keep], pred[keep].astype(str)
    macro, weighted = f1s(yk, pk)
    eye = fmt(f1s(yk, pk, EYEWITNESS)) if name == "source" else ""
    row = f"| {name} | {variant} | {macro:.3f} | {weighted:.3f} | {eye} |"
    per = " ".join(f"{n[:14]}={f1s(y[ev == n], pred[ev == n].astype(str))[1]:.3f}" for n in held)
    print(row, f"({time.perf_counter() - t0:.0f} s)", per, flush=True)
    return row


def main() -> None:
    from joblib import Parallel, delayed

    from vigil.models.triage_model import load

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--datasets", default="type")
    ap.add_argument("--weights", default="0,1")
    ap.add_argument("--modes", default="upper,honest")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--fusion", action="store_true", help="late fusion; --weights are the honest shrink factors")
    ap.add_argument("--unweighted", action="store_true", help="fusion: the unweighted meta-model only")
    ap.add_argument("--no-plain", action="store_true", help="leave out the run without built-in scores")
    ap.add_argument("--rules", action="store_true", help="also the rules' labels as 0/1 columns (× 0.5)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "eval_stack.md")
    args = ap.parse_args()
    params = TrainParams()
    calib = load().calibration
    md = ["| dataset | variant | macro F1 | weighted F1 | Eyewitness F1 |", "|---|---|---:|---:|---:|"]
    for name in [d for d in args.datasets.split(",") if d]:
        _, texts, y, ev = read_dataset(args.data, name)
        S = builtin_scores(args.data, texts, ev.tolist(), CORPUS_EVENT[name], args.jobs)
        X = featurize(texts, params.features)
        rules = rule_matrix(texts) * 0.5 if args.rules else None
        names = sorted(set(ev.tolist()))
        held = names[::4] if args.quick else names
        keep = np.isin(ev, held)
        if args.fusion:
            shrinks = [float(w) for w in args.weights.split(",")]
            p = replace(params, folds=0)
            t0 = time.perf_counter()
            res = Parallel(n_jobs=args.jobs)(
                delayed(fusion)(X, y, ev, names.index(n), n, S, calib, p, shrinks, rules, not args.unweighted)
                for n in held
            )
            for variant in res[0]:
                pred = np.empty(len(y), dtype=object)
                for n, r in zip(held, res, strict=True):
                    pred[ev == n] = r[variant]
                md.append(report(name, variant, y, ev, pred, held, keep, t0))
            continue
        runs = [] if args.no_plain else [("none", 0.0)]
        runs += [(m, float(w)) for m in args.modes.split(",") for w in args.weights.split(",") if float(w) > 0]
        for mode, weight in runs:
            t0 = time.perf_counter()
            p = replace(params, folds=0)
            preds = Parallel(n_jobs=args.jobs)(
                delayed(_fold)(X, y, ev, names.index(n), n, S, calib, mode, weight, p, rules) for n in held
            )
            pred = np.empty(len(y), dtype=object)
            for n, pr in zip(held, preds, strict=True):
                pred[ev == n] = pr
            md.append(report(name, f"{mode} {weight}", y, ev, pred, held, keep, t0))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
