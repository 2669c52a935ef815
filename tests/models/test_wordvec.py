import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from vigil.models import storage
from vigil.models.apply import results_for
from vigil.models.classifier import log_softmax
from vigil.models.dataset import load
from vigil.models.train import TrainParams, train
from vigil.models.wordvec import build, tokens

DATA = Path(__file__).parent.parent / "data" / "models"
SMALL = TrainParams(folds=0, word_dim=16)
TEXTS = ["I can hear sirens outside my house", "praying for Harbourtown", "Road to the port closed by the flood"]


def _corpus() -> list[str]:
    """Texts where flood and storm keep the same company, and bread and milk another."""
    out = []
    for place in ("north", "south", "east", "west", "harbour", "river", "hill", "old town"):
        for hazard in ("flood", "storm"):
            out.append(f"the {hazard} closed the road in the {place} district tonight")
            out.append(f"water from the {hazard} reached houses near the {place} bridge")
        for food in ("bread", "milk"):
            out.append(f"we bought {food} and rice at the {place} market this morning")
            out.append(f"no {food} left in the shops of the {place} quarter")
    return out


@pytest.fixture(scope="module")
def sources():
    return load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"])


@pytest.fixture(scope="module")
def clf(sources):
    return train(sources.texts, sources.labels, SMALL).classifier


def test_tokens_drop_links_and_mentions_and_keep_any_script():
    assert tokens("RT @aid_org: Flood at #Derna https://t.co/x see www.example.org now") == [
        "rt",
        "flood",
        "at",
        "#derna",
        "see",
        "now",
    ]
    assert tokens("قصف على حي الشجاعية") == ["قصف", "على", "حي", "الشجاعية"]
    assert tokens("🙏🙏 \x00 ") == []
    assert tokens("a" * 41 + " flood " + "b" * 40) == ["flood", "b" * 40]  # a run of letters is not a word


def test_words_in_the_same_company_are_near():
    vec = build(_corpus(), dim=8, window=4, min_count=2)
    assert vec is not None
    v = dict(zip(vec.words, vec.vectors, strict=True))
    assert float(v["flood"] @ v["storm"]) > float(v["flood"] @ v["bread"]) + 0.2
    assert float(v["bread"] @ v["milk"]) > float(v["bread"] @ v["storm"]) + 0.2
    assert np.allclose(np.linalg.norm(vec.vectors, axis=1), 1.0, atol=1e-3)
    assert np.array_equal(vec.vectors, vec.vectors.astype(np.float16).astype(np.float32))  # as stored
    again = build(_corpus(), dim=8, window=4, min_count=2)
    assert again is not None and again.words == vec.words and np.array_equal(again.vectors, vec.vectors)


def test_too_few_words_make_no_vectors():
    assert build(["one two three", "one two three"], dim=8) is None
    assert build([], dim=8) is None


def test_embed_is_unit_length_or_zero_for_any_text():
    vec = build(_corpus(), dim=8, window=4, min_count=2)
    assert vec is not None
    hostile = ["", "🙏🙏", "<script>alert(1)</script>", "flood " * 10_000, "\x00flood\x00", "طوفان flood ‏storm‎"]
    out = vec.embed(hostile)
    assert out.shape == (len(hostile), 8) and out.dtype == np.float32
    norms = np.linalg.norm(out, axis=1)
    assert norms[0] == norms[1] == norms[2] == 0
    assert np.allclose(norms[3:], 1.0, atol=1e-5)


def test_a_model_with_word_vectors_fuses_both_scores(clf, sources):
    assert clf.words is not None and clf.words.share == SMALL.word_share
    raw = clf.featurizer.raw(TEXTS)
    lin = clf.decision(clf.featurizer.weigh(raw))
    w = clf.words.share
    expected = (1 - w) * log_softmax(lin) + w * log_softmax(clf.words.decision(TEXTS))
    assert np.allclose(clf.decision_raw(raw, TEXTS), expected, atol=1e-6)
    assert not np.allclose(clf.proba_from_decision(lin), clf.predict_proba(TEXTS), atol=1e-3)
    with pytest.raises(ValueError, match="give the texts"):
        clf.decision_raw(raw)
    plain = train(sources.texts, sources.labels, replace(SMALL, word_share=0.0)).classifier
    assert plain.words is None
    alone = plain.decision(plain.featurizer.transform(TEXTS))
    assert np.allclose(plain.decision_raw(plain.featurizer.raw(TEXTS)), alone)


def test_word_vectors_round_trip_and_apply_as_predict(tmp_path, clf):
    storage.save(tmp_path, "src", clf, {})
    meta = json.loads((tmp_path / "models" / "src" / storage.MODEL).read_text())
    assert meta["format"] == storage.WORDS_FORMAT and meta["word_share"] == clf.words.share
    back = storage.load(tmp_path, "src")
    assert back.words is not None and back.words.vectors.words == clf.words.vectors.words
    assert np.array_equal(back.predict_proba(TEXTS), clf.predict_proba(TEXTS))
    applied = results_for({"src": back}, TEXTS)
    labels, scores = back.predict(TEXTS)
    assert [r["src"]["label"] for r in applied] == labels
    assert [r["src"]["score"] for r in applied] == [round(float(s), 4) for s in scores]


def _rewrite(path: Path, **changes: np.ndarray) -> None:
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    np.savez_compressed(path, **(arrays | changes))


@pytest.mark.parametrize(
    "change",
    [
        lambda a: {"word_vectors": a["word_vectors"][:, :-1]},
        lambda a: {"word_list": np.array([a["word_list"][0]] * len(a["word_list"]))},
        lambda a: {"word_idf": np.full_like(a["word_idf"], np.nan)},
        lambda a: {"word_weights": a["word_weights"].T.copy()},
        lambda a: {"word_list": np.arange(len(a["word_list"]))},
    ],
    ids=["vector-size", "repeated-words", "nan-idf", "weights-shape", "numbers-for-words"],
)
def test_damaged_word_arrays_are_refused_in_one_line(tmp_path, clf, change):
    storage.save(tmp_path, "src", clf, {})
    path = tmp_path / "models" / "src" / storage.WEIGHTS
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    _rewrite(path, **change(arrays))
    with pytest.raises(storage.ModelError) as err:
        storage.load(tmp_path, "src")
    assert str(path) in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("share", [0, 1, 1.5, "0.3", None])
def test_a_bad_word_share_is_refused(tmp_path, clf, share):
    storage.save(tmp_path, "src", clf, {})
    path = tmp_path / "models" / "src" / storage.MODEL
    meta = json.loads(path.read_text())
    path.write_text(json.dumps(meta | {"word_share": share}))
    with pytest.raises(storage.ModelError, match="word vectors do not match"):
        storage.load(tmp_path, "src")
