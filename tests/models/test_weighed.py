"""The words that weighed most, read for a whole batch from its features, equal those found one text at a time."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from vigil.models.triage_model import TriageModel, load
from vigil.models.weighed import pick

DATA = Path(__file__).resolve().parents[1] / "data" / "speech_acts" / "dev.jsonl"
ODD = [
    "Flood in the city. flood FLOOD Flood! Bridge down, BRIDGE closed",
    "RT @CityFEMA: Roads CLOSED near 5th St &amp; Main — stay indoors https://t.co/AbC123 #Flood",
    "𝐁𝐑𝐄𝐀𝐊𝐈𝐍𝐆 bridge collapsed, roads closed, 𝐞𝐯𝐚𝐜𝐮𝐚𝐭𝐞 now",  # letters beyond the BMP
    "انقطاع الكهرباء والماء في حي الشجاعية، الطريق مغلق Road CLOSED",
    "don't go out, the_road is closed; we're SAFE, we're safe",
    "!!! ??? 123 456",
    "",
    "nul\x00inside the text: Help us, we need water",
    "🙏🙏 pray for Gaza 🙏 PRAY",
    "ΟΔΟΣ κλειστή, ΣΕΙΣΜΟΣ — İstanbul'da DEPREM, yollar kapalı",
    "word " * 3000,
]


def _texts() -> list[str]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines] + ODD


def _asks(model: TriageModel, texts: list[str]) -> list[tuple[str, str]]:
    return [(t, h) for t in texts for h in model.heads]


def test_batch_words_equal_one_text_at_a_time_for_every_head() -> None:
    model = load()
    texts = _texts()
    model.proba(texts)  # the batch the words are read from
    asks = _asks(model, texts)
    got = model.top_words(asks)
    assert got == [model.words(t, h) for t, h in asks]
    assert sum(1 for w in got if w) > len(asks) // 4  # most texts have words that weighed for some head
    assert any(w != [x.lower() for x in w] for w in got)  # words as the text writes them, capitals kept


def test_texts_outside_the_last_batch_and_beyond_the_bmp_are_read_one_at_a_time() -> None:
    model = load()
    texts = _texts()
    model.proba(texts[:50])
    asks = _asks(model, texts[40:])  # ten of the last batch, the others not in it
    assert model.top_words(asks) == [model.words(t, h) for t, h in asks]
    model.proba(ODD)
    words = model._scored.words[0]
    heads = np.zeros(len(ODD), dtype=np.int64)
    picked = pick(words, np.arange(len(ODD)), heads, model.index, model.weights, 3)
    assert picked.unread.tolist() == [2]  # the text with mathematical letters


def test_repeated_words_count_once_and_at_most_top_are_given() -> None:
    model = load()
    text = "water water water food medicine shelter tents blankets donate volunteers"
    model.proba([text])
    for head in model.heads:
        got = model.top_words([(text, head)], top=2)[0]
        assert len(got) <= 2 and len(set(got)) == len(got)
        assert got == model.words(text, head, top=2)


def test_the_joined_farewell_column_scores_as_the_head_alone_bit_for_bit() -> None:
    model = load()
    joined = model.joined()
    texts = _texts()
    assert model.farewell is not None and joined.heads == (*model.heads, "farewell")
    both = joined.proba(texts)
    assert np.array_equal(both[:, :-1], model.proba(texts))
    assert np.array_equal(both[:, -1], model.farewell.proba(texts)[:, 0])
    assert all(t["farewell"] == model.farewell.thresholds[g]["farewell"] for g, t in joined.thresholds.items())
