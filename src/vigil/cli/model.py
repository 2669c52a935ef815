"""`vigil model train|eval|list|rm` and `vigil classify`: thin commands over vigil.models."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from vigil.cli.common import WorkspaceOpt, as_reader, console, open_ws

app = typer.Typer(help="Train, evaluate, list and remove the workspace's classifiers.", no_args_is_help=True)

DataOpt = Annotated[list[Path] | None, typer.Option("--data", "-d", help="CSV/TSV/JSONL file or folder (repeatable).")]
TextCol = Annotated[str | None, typer.Option("--text-column", help="Column holding the text.")]
LabelCol = Annotated[str | None, typer.Option("--label-column", help="Column holding the label.")]
IgnoreOpt = Annotated[list[str] | None, typer.Option("--ignore-label", help="Drop rows with this label (repeatable).")]
DATA_SUFFIXES = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson")


class OutFormat(StrEnum):
    """Output formats."""

    table = "table"
    json = "json"


def _fail(message: str, code: int = 2) -> typer.Exit:
    console(stderr=True).print(f"error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def data_files(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the data files under it."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DATA_SUFFIXES)
        else:
            out.append(p)
    return out


@app.command()
def train(
    name: Annotated[str, typer.Argument(help="Model name (letters, digits, . _ -).")],
    files: Annotated[list[Path] | None, typer.Argument(help="More data files (so --data a.csv b.csv works).")] = None,
    data: DataOpt = None,
    text_column: TextCol = None,
    label_column: LabelCol = None,
    ignore_label: IgnoreOpt = None,
    group_column: Annotated[
        str | None,
        typer.Option(
            "--group-column", help="Column naming each row's event/group (default: the file), for cross-validation."
        ),
    ] = None,
    from_labels: Annotated[bool, typer.Option("--from-labels", help="Train on the workspace's human labels.")] = False,
    task: Annotated[str | None, typer.Option("--task", help="With --from-labels: the task (default NAME).")] = None,
    alpha: Annotated[
        float, typer.Option("--alpha", help="Regularisation: smaller fits the training data closer.")
    ] = 1e-5,
    epochs: Annotated[int, typer.Option("--epochs", help="Passes over the data.")] = 15,
    class_weight: Annotated[
        str,
        typer.Option(
            "--class-weight",
            help="balanced (rare labels count as much as common ones), sqrt (halfway) or none.",
        ),
    ] = "balanced",
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds for calibration and figures.")] = 3,
    word_share: Annotated[
        float,
        typer.Option(
            "--word-share",
            help="Weight of the word-vector head learnt from the training texts (0: n-grams alone; below 1).",
        ),
    ] = 0.3,
    workspace: WorkspaceOpt = None,
) -> None:
    """Train a model from labelled CSV/JSONL files (or the human labels) and store it in the workspace."""
    from vigil.models import storage
    from vigil.models.card import make_card
    from vigil.models.dataset import Dataset, DatasetError, load
    from vigil.models.train import TrainError, TrainParams
    from vigil.models.train import train as run_train

    try:
        storage.check_name(name)
    except storage.ModelError as exc:
        raise _fail(str(exc)) from exc
    ws = open_ws(workspace, create=True)  # a model trained from files is kept in the workspace it names
    paths = data_files([*(data or []), *(files or [])])
    source: dict[str, Any]
    if from_labels:
        ds = _labels_dataset(ws, task or name, ignore_label or [])
        source = {"human_labels": task or name}
    else:
        if not paths or not text_column or not label_column:
            raise _fail("give --data FILE… with --text-column and --label-column, or --from-labels")
        try:
            ds = load(paths, text_column, label_column, ignore_label, group_column)
        except DatasetError as exc:
            raise _fail(str(exc)) from exc
        source = {
            "text_column": text_column,
            "label_column": label_column,
            "ignored_labels": ignore_label or [],
            "group_column": group_column,
        }
    err = console(stderr=True)
    if not isinstance(ds, Dataset) or len(ds) == 0:
        raise _fail("no labelled texts to train on")
    if class_weight not in ("none", "sqrt", "balanced"):
        raise _fail(f"--class-weight {class_weight!r}: use none, sqrt or balanced")
    if not 0 <= word_share < 1:
        raise _fail(f"--word-share {word_share}: use a number from 0 up to (not including) 1")
    params = TrainParams(
        alpha=alpha,
        epochs=epochs,
        folds=folds,
        class_weight=None if class_weight == "none" else class_weight,
        word_share=word_share,
    )
    err.print(f"training {name} on {len(ds):,} texts, {len(ds.label_counts())} labels…", markup=False)
    t0 = time.perf_counter()
    try:
        result = run_train(ds.texts, ds.labels, params, ds.groups if len(set(ds.groups)) > 1 else None)
    except TrainError as exc:
        raise _fail(str(exc)) from exc
    seconds = time.perf_counter() - t0
    card = make_card(name, ds, source, params.to_json(), result.cross_validation, seconds)
    head = result.classifier.words
    card["word_vectors_learnt"] = {"words": len(head.vectors.words), "dim": head.vectors.dim} if head else None
    where = storage.save(ws.path, name, result.classifier, card)
    out = console()
    out.print(f"model {name}: {len(ds):,} texts, labels {ds.label_counts()}, trained in {seconds:.1f} s", markup=False)
    if head:
        out.print(f"word vectors: {len(head.vectors.words):,} words, share {head.share}", markup=False)
    elif params.word_share > 0:
        out.print(
            f"word vectors: fewer than {params.word_dim} words seen {params.word_min} times; n-grams alone",
            markup=False,
        )
    cv = result.cross_validation
    if cv:
        out.print(
            f"cross-validation ({cv['folds']} folds, {cv['split']}): macro F1 {cv['macro_f1']:.3f}, "
            f"weighted F1 {cv['weighted_f1']:.3f}, calibration error {cv.get('calibration_error', 0):.3f}",
            markup=False,
        )
    out.print(f"saved to {where}", markup=False)
    ws.close()


def _labels_dataset(ws: Any, task: str, ignored: list[str]) -> Any:
    from vigil.models import labels as human
    from vigil.models.dataset import Dataset
    from vigil.models.enrichment import texts_of_uids

    chosen = {u: lab for u, lab in human.latest(ws, task).items() if lab not in set(ignored)}
    texts = texts_of_uids(ws, sorted(chosen))
    ds = Dataset()
    for uid in sorted(chosen):
        if texts.get(uid, "").strip():
            ds.texts.append(texts[uid])
            ds.labels.append(chosen[uid])
            ds.groups.append("")
    return ds


@app.command("eval")
def evaluate(
    name: Annotated[str, typer.Argument(help="Model name.")],
    files: Annotated[list[Path] | None, typer.Argument(help="More data files.")] = None,
    data: DataOpt = None,
    text_column: TextCol = None,
    label_column: LabelCol = None,
    ignore_label: IgnoreOpt = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Also report per value of this column ('file': per file).")
    ] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """Per-class precision/recall/F1, macro and weighted F1 and the confusion matrix on labelled files."""
    as_reader(workspace)
    from vigil.models import storage
    from vigil.models.card import add_evaluation
    from vigil.models.dataset import DatasetError, load
    from vigil.models.evaluate import by_group, metrics

    ws = open_ws(workspace, write=False)
    try:
        clf = storage.load(ws.path, name)
        card = storage.read_card(ws.path, name)
    except storage.ModelError as exc:
        raise _fail(str(exc)) from exc
    src = card.get("source", {})
    text_column = text_column or src.get("text_column")
    label_column = label_column or src.get("label_column")
    ignored = ignore_label if ignore_label is not None else src.get("ignored_labels", [])
    paths = data_files([*(data or []), *(files or [])])
    if not paths or not text_column or not label_column:
        raise _fail("give --data FILE… (and --text-column/--label-column if the model card does not name them)")
    try:
        ds = load(paths, text_column, label_column, ignored, by)
    except DatasetError as exc:
        raise _fail(str(exc)) from exc
    t0 = time.perf_counter()
    pred, scores = clf.predict(ds.texts)
    seconds = time.perf_counter() - t0
    figures = metrics(ds.labels, pred, scores, clf.classes)
    if by:
        figures["by"] = {"column": by, "groups": by_group(ds.labels, pred, ds.groups, clf.classes)}
    storage.write_card(ws.path, name, add_evaluation(card, ds, figures))
    if fmt is OutFormat.json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_figures(name, figures, len(ds) / seconds if seconds else 0.0)
    ws.close()


def _print_figures(name: str, fig: dict[str, Any], rate: float) -> None:
    from rich.table import Table

    out = console()
    t = Table(title=f"{name}: {fig['n']:,} texts", title_justify="left")
    for col in ("label", "precision", "recall", "F1", "support"):
        t.add_column(col, justify="left" if col == "label" else "right")
    for lab, v in fig["per_class"].items():
        t.add_row(lab, f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}", f"{v['support']:,}")
    out.print(t)
    out.print(
        f"macro F1 {fig['macro_f1']:.3f}  weighted F1 {fig['weighted_f1']:.3f}  accuracy {fig['accuracy']:.3f}  "
        f"calibration error {fig.get('calibration_error', 0):.3f}  ({rate:,.0f} texts/s)",
        markup=False,
    )
    cm = Table(title="confusion (rows: true, columns: predicted)", title_justify="left")
    labs = fig["confusion"]["labels"]
    cm.add_column("")
    for lab in labs:
        cm.add_column(lab[:12], justify="right")
    for lab, row in zip(labs, fig["confusion"]["matrix"], strict=True):
        cm.add_row(lab, *[str(x) for x in row])
    out.print(cm)
    if "by" in fig:
        g = Table(title=f"by {fig['by']['column']}", title_justify="left")
        for col in ("group", "n", "macro F1", "weighted F1", "accuracy"):
            g.add_column(col, justify="left" if col == "group" else "right")
        for key, v in fig["by"]["groups"].items():
            g.add_row(
                key or "-", f"{v['n']:,}", f"{v['macro_f1']:.3f}", f"{v['weighted_f1']:.3f}", f"{v['accuracy']:.3f}"
            )
        out.print(g)


@app.command("list")
def list_models(
    fmt: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """The workspace's models: labels, training size, cross-validated F1, when made."""
    as_reader(workspace)
    from rich.table import Table

    from vigil.models import storage

    ws = open_ws(workspace, write=False)
    rows: list[dict[str, Any]] = []
    for name in storage.names(ws.path):
        try:
            card = storage.read_card(ws.path, name)
        except storage.ModelError as exc:
            card = {"error": str(exc)}
        cv = (card.get("evaluation") or {}).get("cross_validation") or {}
        rows.append(
            {
                "name": name,
                "labels": list(card.get("label_counts", {})),
                "texts": card.get("texts"),
                "macro_f1": cv.get("macro_f1"),
                "weighted_f1": cv.get("weighted_f1"),
                "created_at": card.get("created_at"),
                "error": card.get("error"),
            }
        )
    if fmt is OutFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    out = console()
    if not rows:
        out.print(f"no models in {storage.models_root(ws.path)}", markup=False)
        return
    t = Table(title=f"Models in {storage.models_root(ws.path)}", title_justify="left")
    for col in ("name", "labels", "texts", "CV macro F1", "created"):
        t.add_column(col)
    for r in rows:
        f1 = f"{r['macro_f1']:.3f}" if r["macro_f1"] is not None else "-"
        t.add_row(
            r["name"], ", ".join(r["labels"]) or (r["error"] or "-"), f"{r['texts'] or 0:,}", f1, r["created_at"] or "-"
        )
    out.print(t)


@app.command("rm")
def remove(
    name: Annotated[str, typer.Argument(help="Model name.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Delete a model and its results on stored posts."""
    from vigil.models import storage
    from vigil.models.enrichment import forget_model

    ws = open_ws(workspace)
    try:
        storage.remove(ws.path, name)
    except storage.ModelError as exc:
        raise _fail(str(exc)) from exc
    n = forget_model(ws, name)
    console().print(f"removed model {name} (its results cleared from {n:,} posts)", markup=False)
    ws.close()


def classify(
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="Only this model (repeatable).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Apply the trained models to every stored post (the export's `models` field)."""
    from rich.progress import Progress, TextColumn, TimeElapsedColumn

    from vigil.models import storage
    from vigil.models.apply import classify_stored, load_all

    ws = open_ws(workspace)
    try:
        models = load_all(ws.path, model or None)
    except storage.ModelError as exc:
        raise _fail(str(exc)) from exc
    if not models:
        raise _fail(f"no models in {storage.models_root(ws.path)}; train one with `vigil model train`", 1)
    t0 = time.perf_counter()
    with Progress(
        TextColumn("classify"),
        TextColumn("{task.completed:,.0f} posts"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("classify", total=None)
        seen, changed = classify_stored(ws, models, lambda n: progress.update(task, advance=n))
    seconds = time.perf_counter() - t0
    console().print(
        f"applied {', '.join(models)} to {seen:,} posts ({changed:,} changed) in {seconds:.1f} s", markup=False
    )
    ws.close()
