"""The one normaliser: folding, light stems, search text that keeps one word for each word, cue endings."""

from __future__ import annotations

import random
import re
import sqlite3

import pytest

from vigil.text import normalise
from vigil.text.normalise import fold, search_text, stem
from vigil.triage.engine import triage_text


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("إجلاء", "اجلاء"),
        ("القصف", "قصف"),
        ("والقصف", "قصف"),
        ("بالمستشفى", "مستشف"),
        ("قتيلاً", "قتيل"),
        ("فقدوا", "فقد"),
        ("فقد", "فقد"),  # ف is part of the word: never below three letters
        ("للمدنيين", "مدني"),
        ("مدرسة", "مدرس"),
        ("ـــقصف", "قصف"),
        ("حلب", "حلب"),
        ("وحلب", "وحلب"),  # a single و is kept before a three-letter word
    ],
)
def test_stems(word, expected):
    assert stem(word) == expected


def test_fold_letter_forms_marks_and_tatweel():
    assert fold("أَإِآٱةىؤئـ") == "اااايهيوي"[:4] + "هيوي"


def _tokens(text: str) -> list[str]:
    con = sqlite3.connect(":memory:")
    con.execute(
        "CREATE VIRTUAL TABLE t USING fts5(x, tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")"
    )
    con.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    con.execute("INSERT INTO t VALUES (?)", (text,))
    return [r[0] for r in con.execute("SELECT term FROM v ORDER BY offset")]


def test_search_text_keeps_one_word_for_each_word_of_the_tokenizer():
    # snippets mark the original words by position: the normalised text must have as many, in the same order
    alphabet = list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةىؤئ") + list(normalise.DIACRITICS) + list("٠١٢٣ab é،؟.-۞\u200c😀")
    rnd = random.Random(7)
    for _ in range(500):
        text = "".join(rnd.choice(alphabet + [" "] * 6) for _ in range(rnd.randint(1, 60)))
        assert len(_tokens(search_text(text) or "")) == len(_tokens(text)), text


def test_search_text_leaves_other_scripts_as_they_are():
    for text in ("plain ascii", "évacuation à Lyon", "Обстріл Харкова", None):
        assert search_text(text) == text


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("سقط قتيلاً في الحي", "casualties"),  # the cue قتيل with tanween
        ("فقدوا الاتصال بعائلاتهم", "missing"),  # فقد with the plural ending
        ("أعلنت وفاته صباح اليوم", "casualties"),  # وفاة with a pronoun: ta marbuta as ت
    ],
)
def test_cues_find_words_with_their_endings(text, label):
    assert label in triage_text(text).labels


def test_short_words_take_no_endings():
    # لن (negation) must not read لنا (for us)
    assert re.fullmatch(normalise.suffix_regex("لن"), "لنا") is None
