import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "models"
TRAIN = (
    "--data",
    str(DATA / "sources.csv"),
    "--text-column",
    "Tweet Text",
    "--label-column",
    "Information Source",
    "--ignore-label",
    "Not labeled",
)


def _export(cli) -> dict[str, dict]:
    res = cli("export")
    assert res.exit_code == 0, res.output
    return {r["uid"]: r for r in map(json.loads, res.output.splitlines())}


@pytest.fixture
def trained(cli):
    res = cli("model", "train", "src", *TRAIN)
    assert res.exit_code == 0, res.output
    return res


def test_train_list_eval_rm(cli, tmp_path, trained):
    assert "48 texts" in trained.output and "cross-validation" in trained.output
    card = json.loads((tmp_path / "ws" / "models" / "src" / "card.json").read_text())
    assert card["label_counts"] == {"Eyewitness": 24, "Media": 12, "Outsiders": 12}
    assert card["data"][0]["sha256"] and card["data"][0]["rows"] == 48 and card["data"][0]["skipped"] == 3
    assert card["vigil_version"] and card["created_at"].endswith("Z")
    assert card["evaluation"]["cross_validation"]["macro_f1"] > 0.8
    assert card["word_vectors_learnt"] is None and "n-grams alone" in trained.output  # 48 texts: too few words

    listed = json.loads(cli("model", "list", "--format", "json").output)
    assert [m["name"] for m in listed] == ["src"] and listed[0]["texts"] == 48

    res = cli(
        "model",
        "eval",
        "src",
        "--data",
        str(DATA / "sources.jsonl"),
        "--text-column",
        "text",
        "--label-column",
        "source",
        "--by",
        "event",
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    fig = json.loads(res.output)
    assert fig["n"] == 48 and fig["macro_f1"] > 0.9
    assert set(fig["per_class"]) == {"Eyewitness", "Media", "Outsiders"}
    assert sum(map(sum, fig["confusion"]["matrix"])) == 48
    assert set(fig["by"]["groups"]) == {"harbourtown-flood", "northvale-quake", "ridgeway-fire"}
    card = json.loads((tmp_path / "ws" / "models" / "src" / "card.json").read_text())
    assert len(card["evaluations"]) == 1 and card["evaluations"][0]["macro_f1"] == fig["macro_f1"]

    table = cli("model", "eval", "src", "--data", str(DATA / "sources.csv"), "--by", "Event")
    assert table.exit_code == 0, table.output
    assert "macro F1" in table.output and "ridgeway-fire" in table.output and "confusion" in table.output

    res = cli("model", "rm", "src")
    assert res.exit_code == 0
    assert json.loads(cli("model", "list", "--format", "json").output) == []
    assert cli("model", "rm", "src").exit_code == 2


def test_apply_at_ingest_fills_models_in_export(cli, trained):
    res = cli("ingest", str(DATA / "posts.csv"))
    assert res.exit_code == 0, res.output
    recs = _export(cli)
    assert recs["csv:m-001"]["models"]["src"]["label"] == "Eyewitness"
    assert recs["csv:m-002"]["models"]["src"]["label"] == "Media"
    assert recs["csv:m-003"]["models"]["src"]["label"] == "Outsiders"
    assert all(0 < r["models"]["src"]["score"] <= 1 for r in recs.values())
    assert recs["csv:m-007"]["text"].startswith("<b>not bold</b> [red]not markup[/red]")


def test_classify_merges_and_rm_clears(cli, trained):
    assert cli("ingest", str(DATA / "posts.csv")).exit_code == 0
    before = _export(cli)
    assert cli("model", "train", "src2", *TRAIN, "--folds", "0").exit_code == 0
    res = cli("classify", "--model", "src2")
    assert res.exit_code == 0, res.output
    assert "9 posts" in res.output
    after = _export(cli)
    for uid, rec in after.items():
        assert set(rec["models"]) == {"src", "src2"}
        assert rec["models"]["src"] == before[uid]["models"]["src"]
        assert rec["labels"] == before[uid]["labels"] and rec["priority"] == before[uid]["priority"]
    assert cli("model", "rm", "src").exit_code == 0
    assert all(set(r["models"]) == {"src2"} for r in _export(cli).values())
    assert cli("classify", "--model", "nope").exit_code == 2


def test_train_errors_are_one_line(cli):
    res = cli("model", "train", "../evil", *TRAIN)
    assert res.exit_code == 2 and "invalid model name" in res.output
    res = cli("model", "train", "x", *TRAIN, "--word-share", "1")
    assert res.exit_code == 2 and "--word-share 1.0" in res.output and len(res.output.strip().splitlines()) == 1
    res = cli(
        "model",
        "train",
        "x",
        "--data",
        str(DATA / "sources.csv"),
        "--text-column",
        "nope",
        "--label-column",
        "Information Source",
    )
    assert res.exit_code == 2 and "no column 'nope'" in res.output
    res = cli("model", "train", "x")
    assert res.exit_code == 2
    assert cli("classify").exit_code == 1


def test_train_from_jsonl_with_spaced_header(cli):
    res = cli(
        "model",
        "train",
        "j",
        "--data",
        str(DATA / "sources.jsonl"),
        "--text-column",
        "text",
        "--label-column",
        "source",
        "--ignore-label",
        "Not labeled",
        "--group-column",
        "event",
    )
    assert res.exit_code == 0, res.output
    assert "by group" in res.output
