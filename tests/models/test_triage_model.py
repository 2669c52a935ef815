"""The shipped triage model: loads without pickle, joins the rules at ingest, explains itself, survives bad files."""

from __future__ import annotations

import json

import pytest

from vigil.models import triage_enricher
from vigil.models.combine import combine, model_labels
from vigil.models.mapping import HEADS, targets
from vigil.models.triage_model import FORMAT, ModelFileError, builtin_dir, load


def test_shipped_model_loads_with_every_head_and_threshold():
    m = load()
    assert m.heads == HEADS and set(m.thresholds) == {"en", "ar", "other"}
    assert m.weights.shape[1] == len(HEADS)
    meta = json.loads((builtin_dir() / "triage.json").read_text())
    assert meta["format"] == FORMAT
    card = json.loads((builtin_dir() / "triage.card.json").read_text())
    assert card["attribution"] and all(len(f["sha256"]) == 64 for f in card["data"])
    assert sum(f.stat().st_size for f in builtin_dir().iterdir()) <= 20 * 1024 * 1024


def test_model_adds_labels_the_lexicon_misses_and_says_why(fresh, enriched):
    e = enriched(["Bridge washed out on Route 9, road closed until further notice, power lines down"])[0]
    assert "infrastructure" in e["labels"]
    assert e["scores"]["infrastructure"] >= 0.5
    if "infrastructure" in e.get("model_words", {}):  # given by the model, not the rules: its words are named
        words = "Bridge washed out on Route road closed until further notice power lines down"
        assert set(e["model_words"]["infrastructure"]) <= set(words.split(" "))
    else:
        assert e["cues"]["infrastructure"]


def test_sympathy_alone_is_not_informative(fresh, enriched):
    e = enriched(["Our thoughts and prayers are with everyone in Queensland tonight"])[0]
    assert e["scores"].get("sympathy", 0) > 0.5
    assert "casualties" not in e["labels"]


def test_arabic_posts_get_arabic_thresholds(fresh, enriched):
    e = enriched(["انقطاع التيار الكهربائي وغرق الشوارع في الكويت بسبب الأمطار"], lang="ar")[0]
    assert "infrastructure" in e["labels"] and "scores" in e


@pytest.mark.parametrize(
    "text",
    ["🙏🙏🔥🔥", "", "   ", "x" * 50_000, ("help " * 10_000), "قصف على حلب now! שלום мир 🙏 " * 300, "\u202e\u202d"],
)
def test_any_text_is_triaged_or_skipped(fresh, text, enriched):
    e = enriched([text])[0]
    assert isinstance(e["labels"], list)
    if not any(ch.isalpha() for ch in text):
        assert "scores" not in e  # nothing to read: the rules alone


def test_eyewitness_stays_the_rules_and_informative_follows_its_own_head():
    p = dict.fromkeys(HEADS, 0.0) | {"eyewitness": 0.99, "informative": 0.9, "aid": 0.9}
    th = dict.fromkeys(HEADS, 0.5)
    e: dict = {"labels": [], "eyewitness": False, "informative": False, "priority": "low"}
    combine(e, p, th, "post", lambda head: ["w"])
    assert e["eyewitness"] is False and e["informative"] is True and e["scores"]["eyewitness"] == 0.99
    assert e["labels"] == ["aid"] and e["model_words"] == {"aid": ["w"]}
    e = {"labels": ["sympathy"], "eyewitness": False, "informative": False, "priority": "low"}
    combine(e, dict.fromkeys(HEADS, 0.0), th, "post", lambda head: [])
    assert e["informative"] is False and e["labels"] == ["sympathy"] and e["scores"] == {}


def test_affected_picks_the_likeliest_label_of_its_group():
    p = dict.fromkeys(HEADS, 0.1) | {"affected": 0.9, "evacuation": 0.3}
    th = dict.fromkeys(HEADS, 0.5)
    assert model_labels(p, th, set()) == {"evacuation": "affected"}
    assert model_labels(p, th, {"casualties"}) == {}  # the rules already said which kind


def test_mapping_is_total_and_leaves_coarse_classes_unknown():
    t = targets("kawarith", {"labels": ["affected_individuals_and_help"]})
    assert t["affected"] == 1 and "casualties" not in t and t["advice"] == 0
    t = targets("humaid", {"labels": ["injured_or_dead_people"]})
    assert t["casualties"] == 1 and t["missing"] == 0 and t["informative"] == 1 and t["sympathy"] == 0
    with pytest.raises(KeyError):
        targets("humaid", {"labels": ["no_such_class"]})


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Still alive. We moved to my aunt's place near the port. Thank you all for asking about us.", "en"),
        ("ما زلنا أحياء، انتقلنا لبيت خالتي قرب الميناء. شكراً لكل من سأل علينا.", "ar"),
        ("They say the crossing opens tomorrow morning. Nobody knows for sure.", "en"),
        ("يقولون إن المعبر سيفتح صباح الغد، لا أحد يعرف إن كان هذا صحيحاً.", "ar"),
        ("Power came back for two hours tonight, I charged everything I could.", "en"),
        ("رجعت الكهربا ساعتين الليلة، شحنت كل شي قدرت عليه.", "ar"),
        ("Sorry for the silence, no network for four days. We are ok.", "en"),
    ],
)
def test_posts_from_inside_that_take_no_leave_are_no_farewell(fresh, text, lang, enriched):
    e = enriched([text], lang=lang)[0]
    assert "farewell" not in e["labels"] and "plea" not in e["labels"], e


def test_truncated_missing_or_foreign_files_are_refused_by_name(model_copy):
    d = model_copy
    raw = (d / "triage.npz").read_bytes()
    (d / "triage.npz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ModelFileError, match=r"triage\.npz: unreadable"):
        load(d)
    (d / "triage.npz").unlink()
    with pytest.raises(ModelFileError, match=r"triage\.npz: missing"):
        load(d)
    meta = json.loads((d / "triage.json").read_text())
    meta["format"] = FORMAT + 1
    (d / "triage.json").write_text(json.dumps(meta))
    newer = rf"triage\.json: model format {FORMAT + 1} .*rebuild it with `make models`"
    with pytest.raises(ModelFileError, match=newer):
        load(d)


def test_pickled_weights_are_refused(model_copy):
    import numpy as np

    d = model_copy
    with (d / "triage.npz").open("wb") as fh:
        np.savez(
            fh,
            rows=np.array([object()], dtype=object),
            values=np.zeros(1),
            intercept=np.zeros(1),
            calibration=np.zeros(1),
        )
    with pytest.raises(ModelFileError, match="unreadable"):
        load(d)


def test_a_broken_model_leaves_the_rules_and_warns_once(fresh, capsys, model_copy, enriched):
    d = model_copy
    (d / "triage.npz").write_bytes(b"PK\x03\x04 not really")
    fresh.setenv(triage_enricher.ENV, str(d))
    texts = ["3 people killed and 12 injured in the blast", "Please help us, we are trapped"]
    a = enriched(texts)
    b = enriched(texts)
    err = capsys.readouterr().err
    assert err.count("built-in triage model not used") == 1 and "triage.npz" in err
    assert "casualties" in a[0]["labels"] and "scores" not in a[0] and a == b


def test_ingest_with_a_broken_model_goes_on(cli, tmp_path, fresh, model_copy):
    d = model_copy
    (d / "triage.json").unlink()
    fresh.setenv(triage_enricher.ENV, str(d))
    src = tmp_path / "posts.jsonl"
    src.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "id": "1",
                        "text": "Flood waters cut the main road, 2 dead",
                        "author_id": "9",
                        "created_at": "2024-01-01T00:00:00.000Z",
                    }
                ],
                "includes": {"users": [{"id": "9", "username": "a", "name": "A"}]},
            }
        )
        + "\n"
    )
    res = cli("ingest", str(src))
    assert res.exit_code == 0, res.output
    assert res.stderr.count("built-in triage model not used") == 1 and "triage.json: missing" in res.stderr


def test_decisions_equal_scipys_product_with_the_dense_weights_bit_for_bit():
    import numpy as np
    import scipy.sparse as sp

    m = load()
    texts = [
        "Bridge washed out on Route 9, road closed",
        "نداء عاجل: نحن محاصرون في الحي الشرقي",
        "ok",
        "",
        "#",
        "x" * 40,
    ]
    texts += [f"{i} killed, {i * 3} injured after the blast near the port, @desk https://t.co/{i}" for i in range(50)]
    dense = np.zeros((m.params.n_features, len(m.heads)), dtype=np.float32)
    assert m.rows is not None
    dense[m.rows] = m.weights[: len(m.rows)]
    want = np.asarray(m.featurizer.transform(texts) @ dense) + m.intercept
    got = m.decisions(texts)
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()
    assert isinstance(m.featurizer.transform(texts[:2]), sp.csr_matrix)


def test_exported_scores_equal_round_to_two_places_even_at_ties():
    import numpy as np

    from vigil.models.combine import SCORE_FLOOR, exported_scores

    rng = np.random.default_rng(3)
    p = rng.random((20_000, len(HEADS))).astype(np.float32)
    ties = (np.arange(100) / 100 + 0.005).astype(np.float32)  # x.xx5 and its float32 neighbours
    p[:100, 0], p[100:200, 1], p[200:300, 2] = ties, np.nextafter(ties, 1), np.nextafter(ties, 0)
    order = tuple(reversed(HEADS))  # the model's columns in another order than the export's
    want = [{h: round(row[i], 2) for i, h in enumerate(HEADS) if row[i] >= SCORE_FLOOR} for row in p.tolist()]
    got = exported_scores(p[:, ::-1], order)
    assert got == want and [list(g) for g in got] == [list(w) for w in want]
