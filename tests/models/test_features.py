import numpy as np

from vigil.models.features import FeatureParams, Featurizer, normalize


def test_rows_do_not_depend_on_the_batch():
    texts = ["I can see smoke http://x.example/a", "", "RT @a: we felt it!", "Ωμέγα σεισμός 😱", "x\x00y"]
    fz = Featurizer()
    whole = fz.transform(texts)
    for i, t in enumerate(texts):
        one = fz.transform([t])
        assert abs(whole[i] - one).sum() < 1e-6
    assert whole.shape == (5, FeatureParams().n_features)
    assert whole[1].nnz == 0


def test_hashing_is_stable_across_instances():
    a = Featurizer().transform(["we just felt the shaking here"])
    b = Featurizer(FeatureParams()).transform(["we just felt the shaking here"])
    assert (a != b).nnz == 0
    assert a.nnz > 50


def test_cues_fire():
    p = FeatureParams()
    fz = Featurizer(p)
    X = fz.transform(
        [
            "I just felt it here, right now!",
            "Officials report damage http://n.example/1",
            "RT @x: thoughts with everyone?",
        ]
    ).toarray()
    base = 1 << p.bits
    cue = {name: X[:, base + j] > 0 for j, name in enumerate(p.cues)}
    assert cue["first_person"].tolist() == [True, False, False]
    assert cue["perceive"].tolist() == [True, False, False]
    assert cue["here_now"].tolist() == [True, False, False]
    assert cue["url"].tolist() == [False, True, False]
    assert cue["retweet"].tolist() == [False, False, True]
    assert cue["question"].tolist() == [False, False, True]
    assert cue["exclaim"].tolist() == [True, False, False]


def test_normalize_generalises_without_touching_the_stored_text():
    text = "Water &amp; mud at 12 Main St @lina http://a.example/x"
    assert normalize(text) == "water & mud at 00 main st  mentiontoken   urltoken "
    assert text == "Water &amp; mud at 12 Main St @lina http://a.example/x"


def test_params_round_trip_and_reject_unknowns():
    p = FeatureParams()
    assert FeatureParams.from_json(p.to_json()) == p
    bad = p.to_json() | {"cues": ["exec"]}
    try:
        FeatureParams.from_json(bad)
    except ValueError:
        pass
    else:
        raise AssertionError("unknown cue accepted")
    assert np.isfinite(Featurizer(p).transform(["a"]).data).all()
