"""The farewell head: it completes a farewell the rules saw only a weak sign of, and nothing else."""

from __future__ import annotations

import json

import numpy as np
import pytest

from vigil.models import triage_enricher
from vigil.models.farewell_train import MIN_P, choose_threshold
from vigil.models.triage_model import FORMAT, ModelFileError, load
from vigil.triage.engine import default_triager

# the rules see half a farewell in each ("written to my son", "بوسولي ولادي"), and give none (sentences not trained on)
LAST_WORDS = [
    (
        "The tanks are at the end of our street and the walls are shaking. I've written to my son. "
        "Give it to him one day.",
        "en",
    ),
    ("القصف ما وقف من المغرب والدبابات عند آخر الشارع. بوسولي ولادي.", "ar"),
]
# the same kinds of weak sign in everyday posts
EVERYDAY = [
    ("I came back online to say goodbye to the old flat, the movers came today.", "en"),
    ("Evacuated from the north with the volunteers this morning. In the city now. Thank you everyone.", "en"),
    ("بوسولي إمي، بكرا راجع من الشغل.", "ar"),
]
STRONG = ("If I don't make it, forgive me, everyone. This may be my last message.", "en")


@pytest.mark.parametrize(("text", "lang"), LAST_WORDS)
def test_a_weak_sign_is_completed_and_says_why(fresh, text, lang, enriched):
    rules = default_triager().triage(text)
    assert "farewell" not in rules.labels and rules.weak["farewell"], rules
    e = enriched([text], lang)[0]
    assert "farewell" in e["labels"]
    assert e["cues"]["farewell"] == rules.weak["farewell"]  # the phrase the rules saw
    assert e["scores"]["farewell"] >= load().farewell.thresholds[lang]["farewell"]
    assert e["model_words"]["farewell"] and all(w in text for w in e["model_words"]["farewell"])
    assert e["priority"] == ("critical" if e["eyewitness"] else "high")  # eyewitness stays the rules'


@pytest.mark.parametrize(("text", "lang"), EVERYDAY)
def test_an_everyday_post_with_the_same_words_is_no_farewell(fresh, text, lang, enriched):
    assert default_triager().triage(text).weak.get("farewell")
    e = enriched([text], lang)[0]
    assert "farewell" not in e["labels"] and "farewell" not in e.get("model_words", {})
    assert "farewell" not in e["cues"] and "farewell" not in e["scores"]


def test_a_rule_farewell_is_left_as_the_rules_gave_it(fresh, enriched):
    text, lang = STRONG
    rules = default_triager().triage(text, lang=lang)
    assert "farewell" in rules.labels
    e = enriched([text], lang)[0]
    assert e["cues"]["farewell"] == rules.cues["farewell"]
    assert "farewell" not in e.get("model_words", {}) and "farewell" not in e["scores"]


def test_with_the_model_off_the_rules_alone_speak(fresh, enriched):
    fresh.setenv(triage_enricher.ENV, "off")
    for text, lang in LAST_WORDS:
        e = enriched([text], lang)[0]
        assert "farewell" not in e["labels"] and "scores" not in e


def test_a_weak_sign_is_not_exported_by_the_rules():
    text = LAST_WORDS[0][0]
    result = default_triager().triage(text, lang="en", kind="post")
    assert result.weak and "weak" not in result.enrichment() and "farewell" not in result.cues
    e: dict[str, object] = {}
    default_triager().enrich(e, text, "en", "post")
    assert e == result.enrichment()


def test_an_other_language_is_never_completed():
    head = load().farewell
    assert head is not None and head.thresholds["other"]["farewell"] >= 1.0


def test_a_missing_or_older_farewell_head_is_refused_by_name(model_copy):
    d = model_copy
    meta = json.loads((d / "farewell.json").read_text())
    meta["format"] = 1
    (d / "farewell.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match=rf"farewell\.json: model format 1 .*this Vigil reads format {FORMAT}"):
        load(d)
    (d / "farewell.npz").unlink()
    meta["format"] = FORMAT
    (d / "farewell.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match=r"farewell\.npz: missing"):
        load(d)


def test_the_threshold_keeps_precision_and_never_falls_below_min_p():
    p = np.array([0.99, 0.9, 0.8, 0.7, 0.45, 0.3, 0.02, 0.01])
    y = np.array([1, 1, 1, 0, 1, 1, 0, 0])
    # 0.45 and 0.3 would keep precision >= 0.85 on their own, but the head must find a farewell likelier than not
    assert choose_threshold(p, y) == pytest.approx(0.75)
    assert choose_threshold(p, np.array([0, 0, 1, 1, 1, 1, 1, 1])) == 1.0  # never right enough above MIN_P
    assert choose_threshold(np.array([0.6, 0.55]), np.array([1, 1])) == MIN_P


@pytest.mark.parametrize("in_worker", [False, True])
def test_ingest_stores_a_completed_farewell(tmp_path, monkeypatch, fresh, in_worker):
    import sqlite3

    from vigil.ingest import pipeline
    from vigil.store.engine import open_workspace

    if in_worker:  # the enricher is sent to a worker process, which finds the rules' weak signs there
        monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setenv("VIGIL_INGEST_WORKERS", "1")
    else:
        monkeypatch.setenv("VIGIL_INGEST_WORKER", "0")
    texts = [LAST_WORDS[0][0], EVERYDAY[0][0]]
    src = tmp_path / "posts.jsonl"
    src.write_text(
        json.dumps(
            {
                "data": [
                    {"id": str(i), "text": t, "lang": "en", "author_id": "9", "created_at": "2024-01-01T00:00:00.000Z"}
                    for i, t in enumerate(texts)
                ],
                "includes": {"users": [{"id": "9", "username": "a", "name": "A"}]},
            }
        )
        + "\n"
    )
    ws = open_workspace(tmp_path / "ws")
    assert pipeline.ingest(ws, [src])[0].counts.new == 2
    con = sqlite3.connect(ws.db_path)
    rows = dict(con.execute("SELECT text, enrichment FROM posts").fetchall())
    con.close()
    last, everyday = (json.loads(rows[t]) for t in texts)
    assert "farewell" in last["labels"] and last["cues"]["farewell"] == ["written to my son"]
    assert "farewell" in last["model_words"] and last["scores"]["farewell"] >= 0.6
    assert "farewell" not in everyday["labels"] and "farewell" not in everyday["scores"]
