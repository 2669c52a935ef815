"""Leave-one-event-out: the model `vigil model train` makes vs a TF-IDF + logistic-regression baseline, same folds.

Usage: nice -n 10 .venv/bin/python bench/eval_models.py [--data DIR (default: shared/data found upward)]
       [--datasets type,source,...] [--quick] [--jobs 2] [--set learner=sgd,class_weight=sqrt] [--no-base]
       [--out bench/out/eval_models.md] [--no-speed]
Datasets: CrisisLexT26's three label columns (source, type, informativeness) and IDRISI's HumAID (English) and
Kawarith (Arabic, posts with one label) events. Prints per-event and pooled macro/weighted F1 of both models (and
Eyewitness F1 for information source), writes the same tables as Markdown, then measures training time and apply
speed (posts/s). --quick runs a fixed quarter of the folds; the baseline's predictions are cached per fold under
bench/out/cache/ (keyed by the fold's data), so tuning ours re-fits only ours. --datasets '' measures speed only.
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
from typing import Any

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # BLAS threads only spin on a shared 2-core machine

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vigil.models.dataset import load  # noqa: E402
from vigil.models.train import TrainParams, featurize, train, train_matrix  # noqa: E402

CRISISLEX = {"source": "Information Source", "type": "Information Type", "informativeness": "Informativeness"}
DATASETS = ("type", "source", "informativeness", "humaid", "kawarith")
EYEWITNESS = "Eyewitness"
BASELINE = (
    "FeatureUnion(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), "
    "TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), sublinear_tf=True)) + "
    "LogisticRegression(C=4)"
)
CACHE = ROOT / "bench" / "out" / "cache"
SHARED = next((p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT.parent / "shared")


def read_dataset(root: Path, name: str) -> tuple[str, list[str], np.ndarray, np.ndarray]:
    """A dataset's title, texts, labels and events."""
    if name in CRISISLEX:
        files = sorted((root / "crisislex-t26").glob("*/*-tweets_labeled.csv"))
        ds = load(files, "Tweet Text", CRISISLEX[name], ["Not labeled"])
        events = [g.removesuffix("-tweets_labeled") for g in ds.groups]
        return f"CrisisLexT26 {CRISISLEX[name]}", ds.texts, np.array(ds.labels), np.array(events)
    lang = {"humaid": "en", "kawarith": "ar"}[name]
    texts, labels, events = [], [], []
    for path in sorted((root / "idrisi" / lang).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                if len(d["labels"]) == 1:  # a few Kawarith posts carry two or three classes: left out
                    texts.append(d["text"])
                    labels.append(d["labels"][0])
                    events.append(d["event"])
    title = "IDRISI HumAID (English)" if name == "humaid" else "IDRISI Kawarith (Arabic, single-label posts)"
    return title, texts, np.array(labels), np.array(events)


def baseline_fold(texts: list[str], labels: np.ndarray, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
    """The issue's baseline fitted on the training rows, predicting the held-out rows (cached on disk)."""
    key = hashlib.sha256(BASELINE.encode())
    for i in (*tr, -1, *te):
        key.update((texts[i] + "\x00" + labels[i] if i >= 0 else "\x01").encode())
    path = CACHE / f"{key.hexdigest()[:24]}.json"
    if path.is_file():
        return np.array(json.loads(path.read_text(encoding="utf-8")))
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    model = make_pipeline(
        FeatureUnion(
            [
                ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
            ]
        ),
        LogisticRegression(C=4),  # max_iter: the default (100); see docs/models.md
    )
    model.fit([texts[i] for i in tr], labels[tr])
    pred = model.predict([texts[i] for i in te])
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(pred.tolist()), encoding="utf-8")
    return np.asarray(pred)


def _fold(texts, labels, events, X, ev, params, with_base):
    te, tr = np.flatnonzero(events == ev), np.flatnonzero(events != ev)
    t0 = time.process_time()  # what `vigil model train` makes: fit, calibration folds over the training events, shift
    fit = params if params.prior_shift else replace(params, folds=0)  # folds without a shift change no label
    result = train_matrix(X[tr], labels[tr].tolist(), fit, events[tr].tolist(), [texts[i] for i in tr])
    clf = result.classifier
    ours = np.array(clf.classes)[clf.decision_raw(X[te], [texts[i] for i in te]).argmax(axis=1)]
    cpu = time.process_time() - t0
    base = baseline_fold(texts, labels, tr, te) if with_base else np.full(len(te), "")
    return ours, base, cpu, (result.cross_validation or {}).get("prior_shift", 0.0)


def loeo(texts, labels, events, names, params, jobs, with_base) -> tuple[dict[str, np.ndarray], float, list[float]]:
    """Predictions of both models for the held-out events in names, ours' CPU seconds over all fits, its shifts."""
    from joblib import Parallel, delayed

    X = featurize(texts, params.features)
    folds = Parallel(n_jobs=jobs)(delayed(_fold)(texts, labels, events, X, ev, params, with_base) for ev in names)
    keep = np.isin(events, names)
    ours = np.empty(len(labels), dtype=object)
    base = np.empty(len(labels), dtype=object)
    for ev, (p_ours, p_base, _, _) in zip(names, folds, strict=True):
        m = events == ev
        ours[m], base[m] = p_ours, p_base
    preds = {"ours": ours[keep].astype(str), "base": base[keep].astype(str)}
    return preds, sum(f[2] for f in folds), [f[3] for f in folds]


def f1s(y: np.ndarray, p: np.ndarray, label: str | None = None) -> Any:
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


def table(y: np.ndarray, events: np.ndarray, preds: dict[str, np.ndarray], eye: bool) -> tuple[list[str], dict]:
    """Per-event rows and the pooled row, as Markdown; and the pooled figures."""
    head = "| event | n | ours macro F1 | base macro F1 | ours weighted F1 | base weighted F1 |"
    sep = "|---|---:|---:|---:|---:|---:|"
    if eye:
        head += " Eyewitness n | ours Eyewitness F1 | base Eyewitness F1 |"
        sep += "---:|---:|---:|"
    lines = [head, sep]
    for ev in sorted(set(events.tolist())):
        m = events == ev
        om, ow = f1s(y[m], preds["ours"][m])
        bm, bw = f1s(y[m], preds["base"][m])
        row = f"| {ev} | {m.sum():,} | {fmt(om)} | {fmt(bm)} | {fmt(ow)} | {fmt(bw)} |"
        if eye:
            row += (
                f" {(y[m] == EYEWITNESS).sum()} | {fmt(f1s(y[m], preds['ours'][m], EYEWITNESS))} |"
                f" {fmt(f1s(y[m], preds['base'][m], EYEWITNESS))} |"
            )
        lines.append(row)
    om, ow = f1s(y, preds["ours"])
    bm, bw = f1s(y, preds["base"])
    pooled = {"n": len(y), "ours_macro": om, "base_macro": bm, "ours_weighted": ow, "base_weighted": bw}
    row = f"| **pooled** | {len(y):,} | **{fmt(om)}** | {fmt(bm)} | **{fmt(ow)}** | {fmt(bw)} |"
    if eye:
        pooled["ours_eye"] = f1s(y, preds["ours"], EYEWITNESS)
        pooled["base_eye"] = f1s(y, preds["base"], EYEWITNESS)
        row += f" {(y == EYEWITNESS).sum():,} | **{fmt(pooled['ours_eye'])}** | {fmt(pooled['base_eye'])} |"
    lines.append(row)
    return lines, pooled


def speed(root: Path, params: TrainParams) -> list[str]:
    files = sorted((root / "crisislex-t26").glob("*/*-tweets_labeled.csv"))
    ds = load(files, "Tweet Text", CRISISLEX["type"], ["Not labeled"])
    t0 = time.perf_counter()
    result = train(ds.texts, ds.labels, params, ds.groups)
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


def parse_set(text: str, params: TrainParams) -> TrainParams:
    """--set key=value,...: TrainParams fields (features.NAME for feature parameters; a range as 1-3)."""
    for item in [x for x in text.split(",") if x]:
        key, _, raw = item.partition("=")
        value: Any = None if raw == "none" else raw
        target = params.features if key.startswith("features.") else params
        field = key.removeprefix("features.")
        current = getattr(target, field)
        if isinstance(current, tuple):  # an n-gram range: 1-3
            value = tuple(int(x) for x in raw.split("-"))
        elif isinstance(current, bool):
            value = raw.lower() in ("1", "true", "yes")
        elif value is not None and isinstance(current, (int, float)):
            value = type(current)(float(value)) if isinstance(current, int) else float(value)
        if key.startswith("features."):
            params = replace(params, features=replace(params.features, **{field: value}))
        else:
            params = replace(params, **{field: value})
    return params


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--datasets", default=",".join(DATASETS))
    ap.add_argument("--quick", action="store_true", help="every fourth held-out event only")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--set", default="", help="override the learner's defaults: key=value,...")
    ap.add_argument("--no-base", action="store_true", help="ours only (baseline columns left empty)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "eval_models.md")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    params = parse_set(args.set, TrainParams())
    md = [
        "Leave-one-event-out per dataset. ours = `vigil model train` "
        f"({json.dumps(params.to_json(), separators=(',', ':'))}); base = {BASELINE}.",
        "",
    ]
    started = time.perf_counter()
    summary = [
        "| dataset | held-out n | ours macro F1 | base macro F1 | ours weighted F1 | base weighted F1 | "
        "ours Eyewitness F1 | base Eyewitness F1 | ours CPU s/fit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in [d for d in args.datasets.split(",") if d]:
        title, texts, y, ev = read_dataset(args.data, name)
        if not texts:
            sys.exit(f"no data for {name} under {args.data}")
        names = sorted(set(ev.tolist()))
        if args.quick:
            names = names[::4]
        t0 = time.perf_counter()
        preds, cpu, shifts = loeo(texts, y, ev, names, params, args.jobs, not args.no_base)
        keep = np.isin(ev, names)
        lines, pooled = table(y[keep], ev[keep], preds, name == "source")
        title = (
            f"### {title} ({keep.sum():,} held-out posts, {len(names)} of {len(set(ev.tolist()))} events, "
            f"{len(set(y.tolist()))} labels; {time.perf_counter() - t0:.0f} s)"
        )
        shifted = "prior shift tau chosen per held-out event: " + ", ".join(f"{t:+.2f}" for t in shifts)
        print(title, *lines, "", shifted, "", sep="\n", flush=True)
        md += [title, "", *lines, "", shifted, ""]
        eye = [fmt(pooled.get("ours_eye", float("nan"))), fmt(pooled.get("base_eye", float("nan")))]
        summary.append(
            f"| {name} | {pooled['n']:,} | {fmt(pooled['ours_macro'])} | {fmt(pooled['base_macro'])} | "
            f"{fmt(pooled['ours_weighted'])} | {fmt(pooled['base_weighted'])} | {eye[0]} | {eye[1]} | "
            f"{cpu / len(names):.1f} |"
        )
    print(*summary, sep="\n")
    md += ["### Summary (pooled over held-out events)", "", *summary, ""]
    md.append(f"LOEO wall time: {time.perf_counter() - started:.0f} s with {args.jobs} jobs.")
    if not args.no_speed:
        lines = speed(args.data, params)
        print(*lines, sep="\n")
        md += ["", "Speed (CrisisLexT26 information type, all 20 events):", "", *lines]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
