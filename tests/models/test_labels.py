import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.ingest.pipeline import ingest
from vigil.models import labels as human
from vigil.models import queue, storage
from vigil.models.dataset import load
from vigil.models.train import TrainParams, train
from vigil.store.engine import open_workspace

DATA = Path(__file__).parent.parent / "data" / "models"


def _model(ws):
    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"])
    clf = train(ds.texts, ds.labels, TrainParams(folds=0)).classifier
    storage.save(ws.path, "src", clf, {"name": "src", "source": {}})
    return clf


def test_queue_least_certain_first_and_excludes_labelled(ws):
    clf = _model(ws)
    ingest(ws, [DATA / "posts.csv"])
    human.add(ws, "csv:m-009", "src", "Outsiders", set_by="tester")
    items = queue.build(ws, "src", clf)
    assert "csv:m-009" not in [it.uid for it in items]
    assert len(items) == 8
    margins = [it.margin for it in items]
    assert margins == sorted(margins)
    proba = clf.predict_proba([it.text for it in items])
    top2 = sorted(proba[0])[-2:]
    assert abs(items[0].margin - (top2[1] - top2[0])) < 1e-6
    assert items[0].guess in clf.classes
    plain = queue.build(ws, "src", None)
    assert [it.uid for it in plain] == sorted(it.uid for it in plain)  # no model: stored order


def test_key_map_skips_reserved_keys():
    keys = queue.key_map([f"l{i}" for i in range(12)])
    assert list(keys)[:10] == list("1234567890") and list(keys)[10:] == ["a", "b"]
    assert not {"u", "s", "q"} & set(queue.key_map([f"l{i}" for i in range(30)]))


def test_session_label_skip_undo(ws):
    ingest(ws, [DATA / "posts.csv"])
    items = queue.build(ws, "t", None)
    s = queue.Session(ws, "t", items, queue.key_map(["yes", "no"]))
    assert s.press("1") and s.press("s") and s.press("2")
    assert human.latest(ws, "t") == {items[0].uid: "yes", items[2].uid: "no"}
    assert s.press("u")  # undoes "no" on item 2
    assert s.current is items[2] and human.latest(ws, "t") == {items[0].uid: "yes"}
    assert s.press("u") and s.current is items[1]  # undoes the skip
    assert s.press("x") and s.current is items[1]  # unknown key: nothing happens
    assert not s.press("q")
    assert s.labelled == 1


def test_interactive_label_through_the_cli(tmp_path, monkeypatch):
    wsdir = tmp_path / "ws"
    ws = open_workspace(wsdir)
    _model(ws)
    ingest(ws, [DATA / "posts.csv"])
    ws.close()
    monkeypatch.setenv("VIGIL_USER", "desk-editor")
    runner = CliRunner()
    res = runner.invoke(
        app, ["label", "--model", "src"], input="12u3sq", env={"VIGIL_WORKSPACE": str(wsdir), "COLUMNS": "120"}
    )
    assert res.exit_code == 0, res.output
    assert "labelled 2 post(s)" in res.output
    assert "[1] Eyewitness" in res.output and "[u] undo" in res.output
    ws = open_workspace(wsdir)
    stored = human.all_labels(ws, "src")
    assert [x.label for x in stored] == ["Eyewitness", "Outsiders"]
    assert {x.set_by for x in stored} == {"desk-editor"}
    assert all(x.set_at.endswith("Z") for x in stored)
    ws.close()


def test_hostile_text_is_shown_not_interpreted(tmp_path):
    wsdir = tmp_path / "ws"
    ws = open_workspace(wsdir)
    ingest(ws, [DATA / "posts.csv"])
    ws.close()
    res = CliRunner().invoke(
        app,
        ["label", "--task", "t", "--labels", "a,b", "-n", "9"],
        input="sssssss1q",
        env={"VIGIL_WORKSPACE": str(wsdir), "COLUMNS": "200"},
    )
    assert res.exit_code == 0, res.output
    assert "[red]not markup[/red]" in res.output


def test_export_import_round_trip(ws, tmp_path):
    ingest(ws, [DATA / "posts.csv"])
    human.add(ws, "csv:m-001", "src", "Eyewitness", set_by="amal", set_at="2026-04-03T10:00:00Z")
    human.add(ws, "csv:m-002", "src", "Media", set_by="amal", set_at="2026-04-03T10:01:00Z")
    human.add(ws, "csv:m-003", "other", 'x,"y"', set_by="ben", set_at="2026-04-03T10:02:00Z")
    buf = io.StringIO()
    assert human.export_csv(ws, buf) == 3
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert rows[0]["text"].startswith("I can see the water")
    path = tmp_path / "labels.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    other = open_workspace(tmp_path / "other")
    assert human.import_csv(other, path) == (3, 0)
    assert human.import_csv(other, path) == (0, 3)
    strip = [(x.uid, x.task, x.label, x.set_by, x.set_at) for x in human.all_labels(ws)]
    assert [(x.uid, x.task, x.label, x.set_by, x.set_at) for x in human.all_labels(other)] == strip
    other.close()


def test_label_export_import_cli_and_train_from_labels(cli, tmp_path, monkeypatch):
    assert cli("ingest", str(DATA / "posts.csv")).exit_code == 0
    path = tmp_path / "in.csv"
    rows = [
        ("csv:m-001", "eye"),
        ("csv:m-004", "eye"),
        ("csv:m-007", "eye"),
        ("csv:m-002", "other"),
        ("csv:m-003", "other"),
        ("csv:m-005", "other"),
        ("csv:m-006", "other"),
        ("csv:m-008", "other"),
    ]
    path.write_text("uid,label\n" + "".join(f"{u},{lab}\n" for u, lab in rows), encoding="utf-8")
    monkeypatch.setenv("VIGIL_USER", "importer")
    res = cli("label", "import", str(path), "--task", "eye")
    assert res.exit_code == 0 and "imported 8 labels" in res.output
    out = tmp_path / "out.csv"
    assert cli("label", "export", "-o", str(out), "--task", "eye").exit_code == 0
    got = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(got) == 8 and {r["set_by"] for r in got} == {"importer"}
    res = cli("model", "train", "eye", "--from-labels", "--folds", "0")
    assert res.exit_code == 0, res.output
    assert "8 texts" in res.output
    assert cli("label", "import", str(DATA / "sources.csv")).exit_code == 2
