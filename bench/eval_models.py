"""Leave-one-event-out on CrisisLexT26: Vigil's trainable model vs a plain TF-IDF + logistic-regression baseline.

Usage: .venv/bin/python bench/eval_models.py [--data ../shared/data/crisislex-t26] [--tasks source,type,informativeness]
       [--jobs 2] [--out bench/out/eval_models.md] [--no-speed]      (--tasks '' measures the speed only)
Prints per-event and overall macro/weighted F1 for both models (and Eyewitness F1 for information source),
writes the same tables as Markdown, then measures training time and apply speed (posts/s).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # BLAS threads only spin on a shared 2-core machine

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vigil.models.dataset import load, match_column, read_rows  # noqa: E402
from vigil.models.features import Featurizer  # noqa: E402
from vigil.models.train import TrainParams, fit_matrix, train  # noqa: E402

TASKS = {"source": "Information Source", "type": "Information Type", "informativeness": "Informativeness"}
IGNORED = ["Not labeled"]
EYEWITNESS = "Eyewitness"


def event_files(root: Path) -> list[Path]:
    return sorted(root.glob("*/*-tweets_labeled.csv"))


def event_of(path: Path) -> str:
    return path.parent.name


def loeo(texts: list[str], labels: np.ndarray, events: np.ndarray, X, jobs: int) -> dict[str, np.ndarray]:
    from joblib import Parallel, delayed

    names = sorted(set(events.tolist()))
    folds = Parallel(n_jobs=jobs)(delayed(_fold)(texts, labels, events, X, ev) for ev in names)
    ours = np.empty(len(labels), dtype=object)
    base = np.empty(len(labels), dtype=object)
    for ev, (p_ours, p_base) in zip(names, folds, strict=True):
        m = events == ev
        ours[m], base[m] = p_ours, p_base
    return {"ours": ours.astype(str), "base": base.astype(str)}


def _fold(texts, labels, events, X, ev):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    te = events == ev
    tr = ~te
    clf = fit_matrix(X[tr], labels[tr].tolist(), TrainParams(folds=0))
    ours = np.array(clf.classes)[clf.decision(X[te]).argmax(axis=1)]
    idx_tr, idx_te = np.flatnonzero(tr), np.flatnonzero(te)
    vec = TfidfVectorizer()
    base = LogisticRegression(max_iter=1000).fit(vec.fit_transform([texts[i] for i in idx_tr]), labels[tr])
    return ours, base.predict(vec.transform([texts[i] for i in idx_te]))


def f1s(y, p, label=None):
    from sklearn.metrics import f1_score

    present = sorted(set(y.tolist()))
    if label is not None:
        return f1_score(y, p, labels=[label], average="macro", zero_division=0) if label in present else float("nan")
    return (
        f1_score(y, p, labels=present, average="macro", zero_division=0),
        f1_score(y, p, labels=present, average="weighted", zero_division=0),
    )


def fmt(x: float) -> str:
    return "–" if x != x else f"{x:.3f}"


def table(task: str, y: np.ndarray, events: np.ndarray, preds: dict[str, np.ndarray]) -> list[str]:
    eye = task == "source"
    head = "| event | n | ours macro F1 | base macro F1 | ours weighted F1 | base weighted F1 |"
    sep = "|---|---:|---:|---:|---:|---:|"
    if eye:
        head += " Eyewitness n | ours Eyewitness F1 | base Eyewitness F1 |"
        sep += "---:|---:|---:|"
    lines = [head, sep]
    per_event = {"ours": [], "base": []}
    for ev in sorted(set(events.tolist())):
        m = events == ev
        om, ow = f1s(y[m], preds["ours"][m])
        bm, bw = f1s(y[m], preds["base"][m])
        per_event["ours"].append(om)
        per_event["base"].append(bm)
        row = f"| {ev} | {m.sum():,} | {fmt(om)} | {fmt(bm)} | {fmt(ow)} | {fmt(bw)} |"
        if eye:
            row += (
                f" {(y[m] == EYEWITNESS).sum()} | {fmt(f1s(y[m], preds['ours'][m], EYEWITNESS))} |"
                f" {fmt(f1s(y[m], preds['base'][m], EYEWITNESS))} |"
            )
        lines.append(row)
    om, ow = f1s(y, preds["ours"])
    bm, bw = f1s(y, preds["base"])
    row = f"| **all events (pooled)** | {len(y):,} | **{fmt(om)}** | {fmt(bm)} | **{fmt(ow)}** | {fmt(bw)} |"
    if eye:
        row += (
            f" {(y == EYEWITNESS).sum():,} | **{fmt(f1s(y, preds['ours'], EYEWITNESS))}** |"
            f" {fmt(f1s(y, preds['base'], EYEWITNESS))} |"
        )
    lines.append(row)
    row = (
        f"| mean over events | | {fmt(float(np.mean(per_event['ours'])))} | "
        f"{fmt(float(np.mean(per_event['base'])))} | | |"
    )
    if eye:
        row += " | | |"
    lines.append(row)
    return lines


def speed(files: list[Path]) -> list[str]:
    ds = load(files, "Tweet Text", TASKS["source"], IGNORED)
    t0 = time.perf_counter()
    result = train(ds.texts, ds.labels, TrainParams(), ds.groups)
    t_train = time.perf_counter() - t0
    clf = result.classifier
    texts = ds.texts * max(1, 50_000 // len(ds.texts))
    clf.predict(texts[:1000])
    t0 = time.perf_counter()
    clf.predict(texts)
    rate = len(texts) / (time.perf_counter() - t0)
    cv = result.cross_validation or {}
    return [
        f"- training on {len(ds):,} texts (fit + 3 grouped folds for calibration): {t_train:.1f} s",
        f"- apply: {rate:,.0f} posts/s ({len(texts):,} texts, one process)",
        f"- calibration error (ECE, out-of-fold, 10 bins): {cv.get('calibration_error', float('nan')):.3f}",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "crisislex-t26")
    ap.add_argument("--tasks", default="source,type,informativeness")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "eval_models.md")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    files = event_files(args.data)
    if not files:
        sys.exit(f"no *-tweets_labeled.csv under {args.data}")
    md = [
        f"Leave-one-event-out on CrisisLexT26 ({len(files)} events; rows labelled 'Not labeled' left out). "
        "ours = hashed word 1-2 + char 2-5 grams + cues → class-balanced linear model; "
        "base = TfidfVectorizer() + LogisticRegression(max_iter=1000).",
        "",
    ]
    started = time.perf_counter()
    for task in [t for t in args.tasks.split(",") if t]:  # --tasks '' measures speed only
        column = TASKS[task]
        texts, labels, events = [], [], []
        for f in files:
            header, _ = read_rows(f)
            match_column(header, column)
            ds = load([f], "Tweet Text", column, IGNORED)
            texts += ds.texts
            labels += ds.labels
            events += [event_of(f)] * len(ds)
        y, ev = np.array(labels), np.array(events)
        t0 = time.perf_counter()
        X = Featurizer(TrainParams().features).transform(texts, canonical=True)
        preds = loeo(texts, y, ev, X, args.jobs)
        lines = table(task, y, ev, preds)
        title = f"### {column} ({len(y):,} tweets, {len(set(labels))} labels; {time.perf_counter() - t0:.0f} s)"
        print(title, *lines, "", sep="\n", flush=True)
        md += [title, "", *lines, ""]
    md.append(f"LOEO wall time: {time.perf_counter() - started:.0f} s with {args.jobs} jobs.")
    if not args.no_speed:
        lines = speed(files)
        print(*lines, sep="\n")
        md += ["", "Speed (information source, all 20 events):", "", *lines]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
