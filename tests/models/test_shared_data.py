import json

import pytest
from tests.conftest import SHARED

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

EVENTS = ("2012_Colorado_wildfires", "2013_Queensland_floods", "2012_Italy_earthquakes")


@pytest.fixture
def files():
    paths = [SHARED / e / f"{e}-tweets_labeled.csv" for e in EVENTS]
    if not all(p.is_file() for p in paths):
        pytest.skip(f"needs CrisisLexT26 at {SHARED} (not in the repository)")
    return paths


def test_train_and_eval_on_crisislex_through_the_cli(cli, tmp_path, files):
    res = cli(
        "model",
        "train",
        "source",
        "--data",
        str(files[0]),
        str(files[1]),
        "--text-column",
        "Tweet Text",
        "--label-column",
        "Information Source",
        "--ignore-label",
        "Not labeled",
    )
    assert res.exit_code == 0, res.output
    assert "cross-validation (3 folds, stratified)" in res.output
    card = json.loads((tmp_path / "ws" / "models" / "source" / "card.json").read_text())
    assert len(card["data"]) == 2 and all(len(d["sha256"]) == 64 for d in card["data"])
    assert "Eyewitness" in card["label_counts"]
    res = cli("model", "eval", "source", "--data", str(files[2]), "--by", "file", "--format", "json")
    assert res.exit_code == 0, res.output
    fig = json.loads(res.output)
    assert fig["n"] > 900
    assert fig["macro_f1"] > 0.15 and fig["weighted_f1"] > 0.3  # two events to learn from: a smoke test
    assert fig["per_class"]["Eyewitness"]["support"] > 0
