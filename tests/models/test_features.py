import numpy as np
import pytest

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
    assert normalize(text, "keep") == "water & mud at 00 main st  mentiontoken @lina   urltoken "


def test_kept_mentions_name_the_account_and_still_count_as_a_mention():
    texts = ["RT @FEMA: shelters open", "RT @Lina: shelters open"]
    token = Featurizer(FeatureParams(weighting="tfidf")).counts(texts).toarray()
    keep_p = FeatureParams(weighting="tfidf", mentions="keep")
    keep = Featurizer(keep_p).counts(texts).toarray()
    assert (token[0] == token[1]).all()  # one token for every account: who is retweeted is lost
    assert (keep[0] != keep[1]).any()
    mention = (1 << keep_p.bits) + keep_p.cues.index("mention")
    assert keep[:, mention].tolist() == [1.0, 1.0]
    assert FeatureParams.from_json(keep_p.to_json()) == keep_p
    assert FeatureParams.from_json({k: v for k, v in keep_p.to_json().items() if k != "mentions"}).mentions == "token"
    with pytest.raises(ValueError):
        FeatureParams.from_json(keep_p.to_json() | {"mentions": "drop"})


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


def test_tfidf_weighting_normalises_each_kind_and_ignores_unseen_ngrams():
    p = FeatureParams(weighting="tfidf")
    fz = Featurizer(p)
    train = ["water rising on main street", "water water everywhere", "bridge closed, water rising"]
    counts = fz.counts(train)
    assert counts.data.max() >= 3  # "water" three times in the second text (and its char n-grams)
    fz.fit_idf(counts)
    X = fz.transform(train + ["ξζψ ωφ"]).tocsr()
    half = 1 << (p.bits - 1)
    for i in range(3):
        row = X[i]
        chars = row.data[row.indices < half]
        words = row.data[(row.indices >= half) & (row.indices < 1 << p.bits)]
        assert abs(np.linalg.norm(chars) - p.char_weight) < 1e-5
        assert abs(np.linalg.norm(words) - p.word_weight) < 1e-5
    assert X[3, : 1 << p.bits].count_nonzero() == 0  # no n-gram of it was seen in training: nothing but cues
    water = fz.idf[counts[1].indices[counts[1].indices < 1 << p.bits]].min()
    assert 0 < water < fz.idf.max()  # a common n-gram weighs less than a rare one


def test_tfidf_rows_do_not_depend_on_the_batch():
    texts = ["I can see smoke http://x.example/a", "", "RT @a: we felt it!", "Ωμέγα σεισμός 😱", "x\x00y"]
    fz = Featurizer(FeatureParams(weighting="tfidf"))
    fz.fit_idf(fz.counts(texts))
    whole = fz.transform(texts, batch=2)
    for i, t in enumerate(texts):
        assert abs(whole[i] - fz.transform([t])).sum() < 1e-5


def test_old_params_without_weighting_read_as_block():
    d = FeatureParams().to_json()
    del d["weighting"]
    assert FeatureParams.from_json(d).weighting == "block"
    try:
        FeatureParams.from_json(d | {"weighting": "bm25"})
    except ValueError:
        pass
    else:
        raise AssertionError("unknown weighting accepted")


def test_cue_words_found_in_one_search_equal_cue_by_cue_and_digits_as_normalize():
    texts = [
        "I just felt it here, right now! We saw 12 fires in my street",
        "RT @x: we heard shaking, scary. Our house http://a.example/1 near me",
        "10\t11\n12\r\x0b\x0c 999 ١٢٣ omg",
        "",
        "nothing to see",
    ]
    fz = Featurizer(FeatureParams())
    assert all(keys is not None for keys in fz._cue_keys)
    searched = fz.entries(texts)
    fz._cue_keys = (None, None)  # as when one hash belongs to two cues: each cue searched alone
    alone = fz.entries(texts)
    for a, b in zip(searched, alone, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert searched[1].max() >= 1 << FeatureParams().bits  # cue columns are among them
    words = fz.entries_and_words(texts)[3]
    assert words.joined == "\x00" + "\x00".join(normalize(t) for t in texts) + "\x00"
