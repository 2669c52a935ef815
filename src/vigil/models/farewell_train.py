"""Train the farewell head: it completes a farewell the rules saw only a weak sign of (never anything else).

Positives and negatives: the project's speech-act development splits (`dev` to `dev4`); more negatives: every
post of the shared crises. Calibrated on out-of-fold scores (a shared crisis is one group, a development split a run
of lines, as they were written in batches); its threshold per language chosen on `val` among the posts with a weak
sign; measured on `dev3`'s everyday posts and the shared crises' posts out of fold.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from vigil.models.corpus import Corpus, sha256_of
from vigil.models.farewell import FAREWELL
from vigil.models.triage_model import LANG_GROUPS, TriageModel, lang_group
from vigil.models.triage_train import FEATURES, HeadParams, calibrate, features, fit_calibration, fit_heads, languages

DEV_SPLITS = ("dev", "dev2", "dev3", "dev4")
RUN = 40  # lines of a development split that stay in one fold
FOLDS = 10
PRECISION = 0.85  # on `val`, the completions must be right at least this often (the speech-act target)
# and the head must find a farewell likelier than not: `val` holds few weak signs that are not farewells (a real
# stream, thousands), and the lowest threshold `val` allows (0.02 in Arabic) flagged 3 of dev3's everyday posts
MIN_P = 0.5


class SpeechActs(NamedTuple):
    """Rows of one or more speech-act splits: text, language, whether a farewell, id, and fold group."""

    texts: list[str]
    langs: list[str]
    farewell: list[bool]
    ids: list[str]
    groups: list[str]


def read_splits(folder: Path, names: tuple[str, ...]) -> SpeechActs:
    """The rows of the named splits, in file order."""
    out = SpeechActs([], [], [], [], [])
    for name in names:
        lines = (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(x for x in lines if x.strip()):
            d = json.loads(line)
            out.texts.append(str(d["text"]))
            out.langs.append(str(d["lang"]))
            out.farewell.append(FAREWELL in d["labels"])
            out.ids.append(str(d["id"]))
            out.groups.append(f"{name}:{i // RUN}")
    return out


def weak_farewell(texts: list[str]) -> np.ndarray:
    """Whether the rules saw a weak farewell sign in each text and gave no farewell (where the head may speak)."""
    from vigil.triage.engine import default_triager

    t = default_triager()
    return np.array([FAREWELL in t.weak_signs(x) for x in texts], dtype=bool)


def out_of_fold(X: Any, y: np.ndarray, groups: list[str], p: HeadParams) -> np.ndarray:
    """Each row's raw score from a head trained without its group's fold."""
    from sklearn.model_selection import GroupKFold

    Z = np.zeros(len(y), dtype=np.float32)
    M = np.ones((len(y), 1), dtype=bool)
    for train, test in GroupKFold(n_splits=FOLDS).split(X, y, groups):
        W, b = fit_heads(X[train], y[train, None], M[train], p)
        Z[test] = np.asarray(X[test] @ W).ravel() + b[0]
    return Z


def choose_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The lowest threshold (at least MIN_P) whose completions are right at least PRECISION of the time.

    Cut halfway between two scores (never below MIN_P); none that qualifies: 1.0, the head never speaks.
    """
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    prec = np.cumsum(ys) / np.arange(1, len(ys) + 1)
    last = np.r_[ps[1:] != ps[:-1], True]  # only cut between distinct scores
    ok = np.flatnonzero((prec >= PRECISION) & last & (ps >= MIN_P))
    if not len(ok):
        return 1.0
    i = int(ok[-1])
    nxt = float(ps[i + 1]) if i + 1 < len(ps) else 0.0
    return float(round(max(MIN_P, (float(ps[i]) + nxt) / 2), 4))


def _counts(flag: np.ndarray, y: np.ndarray) -> dict[str, int]:
    return {"found": int((flag & y).sum()), "false": int((flag & ~y).sum())}


def build(shared: Corpus, folder: Path, p: HeadParams | None = None) -> tuple[TriageModel, dict[str, Any]]:
    """The head fitted on the development splits and the shared crises, its thresholds from `val`, and its figures."""
    p = p or HeadParams()
    dev = read_splits(folder, DEV_SPLITS)
    val = read_splits(folder, ("val",))
    texts = dev.texts + shared.texts
    y = np.array(dev.farewell + [False] * len(shared), dtype=np.int8)
    groups = dev.groups + [f"shared:{e}" for e in shared.events]
    X = features(texts)
    Z = out_of_fold(X, y, groups, p)
    calib = fit_calibration(Z[:, None], y[:, None], np.ones((len(y), 1), dtype=bool))
    oof = calibrate(Z[:, None], calib).ravel()
    W, b = fit_heads(X, y[:, None], np.ones((len(y), 1), dtype=bool), p)
    head = TriageModel(FEATURES, (FAREWELL,), W, b, calib, {}, {})
    # thresholds per language, on `val`'s posts with a weak sign
    pv = head.proba(val.texts).ravel()
    yv, wv, lv = np.array(val.farewell), weak_farewell(val.texts), np.array(val.langs)
    head.thresholds = {g: {} for g in LANG_GROUPS}
    for g in ("en", "ar"):
        m = wv & (lv == g)
        head.thresholds[g][FAREWELL] = choose_threshold(pv[m], yv[m])
    head.thresholds["other"][FAREWELL] = 1.0  # never: the head read English and Arabic only
    th = np.array([head.thresholds[g][FAREWELL] for g in ("en", "ar")])

    def flagged(scores: np.ndarray, langs: list[str], weak: np.ndarray) -> np.ndarray:
        at = np.array([head.thresholds[lang_group(x)][FAREWELL] for x in langs])
        return weak & (scores >= at)

    n_dev = len(dev.texts)
    shared_langs = languages(shared)
    weak_shared = weak_farewell(shared.texts)
    on_shared = flagged(oof[n_dev:], shared_langs, weak_shared)
    d3 = np.array([g.startswith("dev3:") for g in dev.groups])
    d3_langs = [x for x, k in zip(dev.langs, d3, strict=True) if k]
    on_dev3 = flagged(oof[:n_dev][d3], d3_langs, weak_farewell([x for x, k in zip(dev.texts, d3, strict=True) if k]))
    y3 = np.array(dev.farewell)[d3]
    figures = {
        "val (thresholds chosen on it)": {
            g: _counts(flagged(pv, val.langs, wv) & (lv == g), yv) | {"weak": int((wv & (lv == g)).sum())}
            for g in ("en", "ar")
        },
        "dev3 out of fold": _counts(on_dev3, y3) | {"everyday posts": int((~y3).sum())},
        "shared crises out of event": {
            "posts": len(shared),
            "weak sign": int(weak_shared.sum()),
            "completed": int(on_shared.sum()),
            "texts": [shared.texts[i] for i in np.flatnonzero(on_shared)],
        },
        "thresholds": {"en": float(th[0]), "ar": float(th[1])},
    }
    info = {
        "data": [
            {"path": f"tests/data/speech_acts/{n}.jsonl", "sha256": sha256_of(folder / f"{n}.jsonl")}
            for n in (*DEV_SPLITS, "val")
        ],
        "rows": {"speech acts": n_dev, "farewells": int(sum(dev.farewell)), "shared crises": len(shared)},
        "learner": {"kind": "one logistic head (SGD, log loss), Platt-calibrated out of fold", **vars(p)},
        "figures": figures,
    }
    return head, info
