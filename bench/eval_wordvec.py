"""Word vectors held out by event: which texts they are learnt from, and how they join the n-grams.

Usage: nice -n 10 .venv/bin/python bench/eval_wordvec.py [--dataset type] [--vectors-from train|shared|all]
       [--shares 0.3,0.4,0.5] [--dim 300] [--window 10] [--join fuse|append|mlp] [--jobs 2]
For each held-out event: n-grams as `vigil model train` fits them, and a layer over the texts' mean word vectors
(models/wordvec.py), joined as `--join` says; prints pooled macro / weighted F1 of the n-grams alone, of the word
layer alone and of each share. --vectors-from: `train` the training texts only (what `vigil model train` can do),
`shared` every text of the shared data but the held-out event's, `all` every text, the held-out event's too (an
upper bound). `append` puts the vectors (times each share) beside the n-gram features in one linear model; `mlp`
replaces the logistic word layer by a network with one hidden layer of 128. docs/models.md "Word vectors".
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import warnings
from dataclasses import replace
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from eval_models import SHARED, f1s, read_dataset  # noqa: E402

from vigil.models.classifier import log_softmax  # noqa: E402
from vigil.models.train import TrainParams, _fit_linear, _fit_words, featurize, fit_matrix  # noqa: E402
from vigil.models.wordvec import WordVectors, build  # noqa: E402


def shared_texts(root: Path) -> list[tuple[str, str]]:
    """(event, text) of every post of the shared data: CrisisLexT26's labelled files (all rows) and IDRISI's."""
    out: list[tuple[str, str]] = []
    for path in sorted((root / "crisislex-t26").glob("*/*-tweets_labeled.csv")):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            rows = csv.DictReader(fh)
            column = next(c for c in rows.fieldnames or [] if c.strip() == "Tweet Text")
            out += [(path.parent.name, row[column]) for row in rows]
    for path in sorted((root / "idrisi").glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append((d["event"], d["text"]))
    return out


def vectors_for(held: str, texts: list[str], tr: np.ndarray, corpus: list[tuple[str, str]], how: str, p: TrainParams):
    """The word vectors of one fold, learnt from the texts `how` names."""
    if how == "train":
        source = [texts[i] for i in tr]
    elif how == "shared":
        source = [t for event, t in corpus if event != held]
    else:
        source = [t for _, t in corpus]
    return build(source, p.word_dim, p.word_window, p.word_min, p.seed)


def fold(held, texts, labels, ev, X, corpus, args, p) -> tuple[str, dict[str, np.ndarray]]:
    """Labels of one held-out event: n-grams alone, the word layer alone, and each share."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    te, tr = np.flatnonzero(ev == held), np.flatnonzero(ev != held)
    ngrams = fit_matrix(X[tr], labels[tr].tolist(), replace(p, word_share=0.0))  # what vigil model train fits
    classes = np.array(ngrams.classes)
    y = np.searchsorted(classes, labels[tr])
    lin = ngrams.decision_raw(X[te])
    vec: WordVectors | None = vectors_for(held, texts, tr, corpus, args.vectors_from, p)
    if vec is None:
        raise SystemExit(f"{held}: too few words for {p.word_dim} numbers")
    out = {"n-grams": classes[lin.argmax(axis=1)]}
    if args.join == "append":
        Xw, E = ngrams.featurizer.weigh(X), vec.embed(texts)
        for share in args.shares:
            Z = sp.hstack([Xw, sp.csr_matrix(E * share)]).tocsr()
            w, b = _fit_linear(Z[tr], y, p)
            out[f"append {share}"] = classes[np.asarray(Z[te] @ w + b).argmax(axis=1)]
        return held, out
    if args.join == "mlp":
        E = vec.embed(texts)
        net = MLPClassifier((128,), alpha=1e-3, max_iter=60, early_stopping=True, random_state=p.seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # 60 passes bound the time, as in the figures
            net.fit(E[tr], y)
        words = np.log(net.predict_proba(E[te]) + 1e-9)
    else:
        head = _fit_words([texts[i] for i in tr], y, p, vec)  # the word layer vigil model train fits
        assert head is not None
        words = log_softmax(head.decision([texts[i] for i in te]))
    out["words"] = classes[words.argmax(axis=1)]
    for share in args.shares:
        out[f"fused {share}"] = classes[((1 - share) * log_softmax(lin) + share * words).argmax(axis=1)]
    return held, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--dataset", default="type")
    ap.add_argument("--vectors-from", choices=("train", "shared", "all"), default="train")
    ap.add_argument("--shares", default="0.3,0.4,0.5")
    ap.add_argument("--dim", type=int, default=300)
    ap.add_argument("--window", type=int, default=10)
    ap.add_argument("--join", choices=("fuse", "append", "mlp"), default="fuse")
    ap.add_argument("--events", type=int, default=0, help="only the first N events (a quick look)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    args.shares = [float(s) for s in args.shares.split(",") if s]
    from joblib import Parallel, delayed

    _, texts, labels, ev = read_dataset(args.data, args.dataset)
    texts = list(texts)
    p = replace(TrainParams(), word_dim=args.dim, word_window=args.window)
    X = featurize(texts, p.features)
    corpus = shared_texts(args.data) if args.vectors_from != "train" else []
    names = sorted(set(ev.tolist()))[: args.events or None]
    folds = Parallel(n_jobs=args.jobs)(delayed(fold)(n, texts, labels, ev, X, corpus, args, p) for n in names)
    keep = np.isin(ev, names)
    truth = labels[keep]
    for key in folds[0][1]:
        pred = np.empty(len(labels), dtype=object)
        for held, out in folds:
            pred[ev == held] = out[key]
        macro, weighted = f1s(truth, pred[keep].astype(str))
        print(
            f"{args.dataset} vectors-from={args.vectors_from} dim={args.dim} window={args.window} {key}: "
            f"macro {macro:.3f} weighted {weighted:.3f}"
        )


if __name__ == "__main__":
    main()
