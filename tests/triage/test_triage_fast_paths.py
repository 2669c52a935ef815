"""The fast paths of triage (per-token memos, one-pass readers, folding by replace) give what the slow ones gave."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from vigil.text.memo import Memo
from vigil.triage import arabic, engine, lexicon, matcher, negation, places, stories
from vigil.triage.engine import Triager
from vigil.triage.matcher import Matcher
from vigil.triage.places import PlaceMatcher
from vigil.triage.stories import story_of_text

TEXTS = [
    "Please send help, we are trapped in the basement on Bridge Road with 44 children. No water since yesterday.",
    "No one was injured in the shelling, 'save us' was the slogan they chanted near the Old Port",
    "RT @desk: BREAKING: 7 killed and 20 injured after air strikes on Aleppo, according to local sources",
    "نداء عاجل: نحن محاصرون في الحي الشرقي، ٣ جرحى ونحتاج سيارات إسعاف",
    "قَصْفٌ عنيفٌ على المدينةِ منذ الصباح وانقطاعُ الكهرباء، لم تسجل إصابات",
    "Обстріл Харкова триває, є загиблі та поранені",
    "If you don't hear from me, tell my mother I love her. This may be my last message from Gaza City",
    "help help help please please",
]


def _fold_reference(text: str) -> str:
    strip = str.maketrans("", "", arabic.DIACRITICS)
    table = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
    return text.translate(strip).translate(table)


def test_fold_by_replace_equals_translate() -> None:
    rnd = random.Random(7)
    alphabet = "ab Éß" + arabic.DIACRITICS + "أإآٱةىؤئاهيو" + "٣ "
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 20)))
        assert arabic.fold(text) == _fold_reference(text)
        folded, offsets = arabic.fold_with_offsets(text)
        assert folded == _fold_reference(text)
        if offsets is not None:
            assert "".join(text[i] for i in offsets) == text.translate(str.maketrans("", "", arabic.DIACRITICS))


def test_memos_warm_or_cold_give_the_same_result(triager: Triager) -> None:
    cold = Triager(triager.matcher.lexicon, triager.places)
    first = [cold.triage(t, "en", "post") for t in TEXTS]
    cold._memo.clear()
    again = [cold.triage(t, "en", "post") for t in TEXTS]  # token, cue and place memos now warm
    fresh = Triager(triager.matcher.lexicon, triager.places)
    assert first == again == [fresh.triage(t, "en", "post") for t in reversed(TEXTS)][::-1]


def test_a_full_token_memo_forgets_its_older_half(triager: Triager, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [Triager(triager.matcher.lexicon, triager.places).triage(t, "en", "post") for t in TEXTS]
    monkeypatch.setattr(matcher, "TOKEN_MEMO", 5)
    small = Triager(triager.matcher.lexicon, triager.places)
    assert [small.triage(t, "en", "post") for t in TEXTS] == expected
    assert len(small.matcher._tokens) < 40


def _read_one(text: str, start: int, end: int, marks: negation.Marks) -> negation.Span:
    """The reading of one cue on its own, as triage did it before read_all (the reference)."""
    s, e = negation.sentence(text, start, end)
    neg = negation.negation_end(text, start, end, marks)
    span = negation.Span(
        negated=neg is not None,
        negation_end=-1 if neg is None or neg >= end else neg,
        quoted=negation.is_quoted(text, s, start),
    )
    if span.quoted:
        span.meta = any(s <= a and b <= e for a, b in marks.get(negation.META, []))
        span.reported = any(s <= a and b <= e for a, b in marks.get(negation.REPORTED, []))
    else:
        span.reported = any(s <= a and b <= start for a, b in marks.get(negation.REPORTED, []))
        span.first_person = any(s <= a and b <= e for a, b in marks.get(negation.FIRST_PERSON, []))
    return span


def test_read_all_equals_reading_each_cue_alone(triager: Triager) -> None:
    matcher: Matcher = triager.matcher
    for text in TEXTS:
        found = matcher.find(text)
        assert found.hits
        for hit in found.hits:
            assert hit.span == _read_one(text, hit.start, hit.end, found.marks)


def test_place_memo_does_not_change_places() -> None:
    places = PlaceMatcher.build(None)
    text = "Shelling in Aleppo and Homs; Aleppo again. وفي حلب"
    first = places.find(text)
    assert places.find(text) == first
    assert PlaceMatcher.build(None).find(text) == first


def test_story_of_a_copy_is_the_story_of_its_text() -> None:
    assert story_of_text(TEXTS[0]) == story_of_text(TEXTS[0] + " ")


def test_a_plan_from_a_remembered_key_set_equals_a_fresh_one(triager: Triager) -> None:
    """Texts with the same words in another order share what their key set selects, not where they try it."""
    texts = [
        "We are trapped, please help, no water since yesterday, outside my window the shelling goes on",
        "Outside my window the shelling goes on. No water since yesterday; please help, we are trapped",
        "please help please help: we are trapped, no water, no water since yesterday",
    ]
    shared = Matcher(triager.matcher.lexicon)
    for text in texts:
        assert shared.find(text) == Matcher(triager.matcher.lexicon).find(text), text
    assert len(shared._chosen) < len(texts)


def test_a_full_memo_forgets_its_older_half(triager: Triager, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [Triager(triager.matcher.lexicon, triager.places).triage(t, "en", "post") for t in TEXTS]
    monkeypatch.setattr(engine, "MEMO_SIZE", 4)
    small = Triager(triager.matcher.lexicon, triager.places)
    assert [small.triage(t, "en", "post") for t in TEXTS + TEXTS] == expected + expected
    assert len(small._memo) <= 4
    assert TEXTS[-1] in small._memo and TEXTS[0] not in small._memo


def test_sentence_ends_by_find_equal_the_regex() -> None:
    rnd = random.Random(3)
    for _ in range(20_000):
        text = "".join(rnd.choice("ab .!?;\n؟؛،,x") for _ in range(rnd.randrange(0, 30)))
        assert negation.sentence_ends(text) == [m.end() for m in negation._SENTENCE_END.finditer(text)], text


def test_the_prefix_guard_changes_no_arabic_match() -> None:
    rnd = random.Random(11)
    words = ["بيتنا", "في", "الجسر", "لا", "ماء", "كهرباء", "بلا", "وينكم", "فرن", "ال"]
    for word in words:
        for star in (False, True):
            guarded = re.compile(arabic.word_regex(word, star))
            plain = re.compile(guarded.pattern.split(")", 1)[1])  # without the leading lookahead
            assert guarded.pattern.startswith("(?=") and plain.pattern.startswith(arabic.PREFIX)
            for _ in range(400):
                text = "".join(rnd.choice("وفبلكال") for _ in range(rnd.randrange(0, 4)))
                text += rnd.choice([word, word[1:], word[:-1], arabic.fold(word)]) + rnd.choice(["", "ه", " ", "ا"])
                for at in range(len(text)):
                    a, b = guarded.match(text, at), plain.match(text, at)
                    assert (a and a.span()) == (b and b.span()), (word, text, at)


# non-ASCII that \\w reads either way: Arabic letters, diacritics, tatweel, comma, digits, emoji, ß, NBSP, a surrogate
TRICKY = list("ابتةأإآىئؤ\u064b\u0651\u0640\u0670،؟؛٣۴éßİΣς\u00a0\u2003«»…—🙏\U0001f600ⅣⒶ²\ud800_@#")


def test_fingerprint_words_equal_the_regex() -> None:
    rnd = random.Random(5)
    alphabet = [chr(c) for c in range(128)] + ["ab", "Zq9", "http://x.y/z ", "www.a.b ", "@user_1 ", "RT @a: "]
    alphabet += TRICKY + ["غزة ", "@نور_1 ", "#ممر_آمن "]
    for _ in range(6000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 60)))
        t = stories._RT_PREFIX.sub("", text) if "@" in text else text
        t = stories._LINKS.sub(" ", arabic.fold(t).casefold())
        want = " ".join(stories._LETTERS.findall(t))
        assert stories.fingerprint(text) == (want[: stories.PREFIX_CHARS] if len(want) >= stories.MIN_CHARS else None)


def test_texts_differing_in_trailing_keyless_tokens_share_a_plan(triager: Triager) -> None:
    """A plan never reads the tokens after the last one with a key: a link or a number there makes no new plan."""
    base = "We are trapped, please help, no water since yesterday"
    texts = [base, base + " https://t.co/abc123", base + " 45 12", base + " #x9 https://t.co/zz"]
    shared = Matcher(triager.matcher.lexicon)
    for text in texts:
        assert shared.find(text) == Matcher(triager.matcher.lexicon).find(text), text
    assert len(shared._plans) == 1


def test_words_and_starts_equal_the_regex_split() -> None:
    rnd = random.Random(9)
    alphabet = [chr(c) for c in range(128) if chr(c) != "'"] + ["ab", "_x9", "help ", "https://t.co/a1 "]
    for _ in range(6000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 40)))
        if rnd.random() < 0.5:
            text += "".join(rnd.choice(TRICKY) for _ in range(rnd.randrange(0, 20)))
            text = "".join(rnd.sample(text, len(text)))
        parts = re.split(r"(\w+)", text)  # the regex's words of a text without an apostrophe
        pieces = matcher.gap_pieces(text)  # what Matcher.find splits (a lone surrogate blanked too)
        assert list(filter(None, pieces)) == parts[1::2]
        assert matcher._piece_starts(pieces) == [sum(map(len, parts[:i])) for i in range(1, len(parts), 2)]


@pytest.mark.parametrize("kind", ["post", "repost", "quote", None])
@pytest.mark.parametrize("lang", ["en", None])
def test_enrich_gives_the_results_enrichment(triager: Triager, kind: str | None, lang: str | None) -> None:
    fresh = Triager(triager.matcher.lexicon, triager.places)
    own = "I can hear explosions outside my window, we are trapped"
    for text in [*TEXTS, *TEXTS, own, own, "", "ok"]:
        got: dict[str, object] = {"story": "s1"}
        fresh.enrich(got, text, lang, kind)
        want = {"story": "s1", **triager.triage(text, lang, kind).enrichment()}
        assert got == want and list(got) == list(want), text
    assert "eyewitness" in fresh.triage(own, "en", "post").cues  # the case where enrich adds a cue


def test_cues_before_their_anchor_are_found_after_any_leading_words(triager: Triager) -> None:
    shared = Matcher(triager.matcher.lexicon)
    tails = [
        "this may be my last message, if you don't hear from me we are about to die",
        "ceci est peut-être mon dernier message",
        "no food or water for days",
        "نفاد الغذاء والدواء في المدينة",
        "it is my last video",
    ]
    for tail in tails:
        for lead in range(9):  # fewer and more leading words than a cue reaches back (6), plans shared or not
            text = " ".join(["1234"] * lead + [tail])
            got = shared.find(text)
            want = Matcher(triager.matcher.lexicon).find(text)
            assert got == want, text
            assert got.hits and got.hits[0].start >= 5 * lead, text


def test_the_ascii_candidate_regex_equals_the_general_one() -> None:
    rnd = random.Random(5)
    for _ in range(20_000):
        text = "".join(rnd.choice("Aab Zz09_-.'#@\n") for _ in range(rnd.randrange(0, 16)))
        assert places._CANDIDATE_ASCII.findall(text) == places._CANDIDATE.findall(text), text


def test_rounded_scores_equal_round(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_ROUNDED", Memo(3))
    rnd = random.Random(9)
    for _ in range(2000):
        weights = (0.3, 0.5, 0.7, 1.0, 1.25)
        scores = {f"l{i}": sum(rnd.choice(weights) for _ in range(rnd.randrange(1, 5))) for i in range(3)}
        got = engine._rounded(scores)
        assert got == {k: round(v, 2) for k, v in scores.items()} and list(got) == list(scores)
    assert len(engine._ROUNDED) <= 3


def test_a_sure_key_is_among_the_sure_keys_of_every_word_its_pattern_word_matches() -> None:
    """`lexicon.sure_key` of each shipped pattern word, on words written with prefixes, endings and apostrophes."""
    rnd = random.Random(13)
    words = {t for c in lexicon.load().cues for t in lexicon._TOKEN.findall(c.pattern) if t not in "()|~)?"}
    endings = ["", "", "ها", "هم", "نا", "ات", "ين", "ا", "ه", "s", "ed", "'s", "n't", "'"]
    checked = 0
    for tok in sorted(words):
        rx = re.compile(lexicon._word(tok)[0])
        key = lexicon.sure_key(tok)
        low = arabic.fold(tok.rstrip("*").lower())
        forms = [low, low.replace("'", ""), low[:-1] + "ت", low[2:], low[:-1]]
        for _ in range(12):
            lead = "".join(rnd.choice("وفبلكال") for _ in range(rnd.randrange(0, 4))) if arabic.is_arabic(tok) else ""
            text = lead + rnd.choice(forms) + rnd.choice(endings) + rnd.choice(["", " x", "!"])
            if rx.match(text) and key is not None:
                run = re.match(r"\w+", text)
                assert run and key in lexicon.sure_keys(run.group()), (tok, text, key)
                checked += 1
    assert checked > 5_000


def test_cues_whose_needs_a_text_lacks_are_not_tried_and_would_find_nothing(
    triager: Triager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sure-key check only drops cues that cannot match: every text finds what it finds with all cues tried."""
    texts = list(TEXTS)
    for path in sorted((Path(__file__).parents[1] / "data" / "speech_acts").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    checked = Matcher(triager.matcher.lexicon)
    got = [checked.find(t) for t in texts]
    tried = sum(len(p.cues) + len(p.markers) for p in checked._plans.values())
    monkeypatch.setattr(matcher, "_needs_met", lambda needs, sure: True)
    every = Matcher(triager.matcher.lexicon)
    assert got == [every.find(t) for t in texts]
    assert sum(len(p.cues) + len(p.markers) for p in every._plans.values()) > 1.3 * tried  # (a check that did work)


def test_new_tokens_are_found_without_walking_the_token_memo(triager: Triager) -> None:
    """A text with unseen tokens looks each of them up: it does not read the whole memo (set.difference did)."""

    class Walked(Memo[str, tuple[str, ...]]):
        walks = 0

        def __iter__(self):  # type: ignore[no-untyped-def]
            Walked.walks += 1
            return super().__iter__()

    shared = Matcher(triager.matcher.lexicon)
    shared._tokens = Walked(matcher.TOKEN_MEMO)
    shared._tokens.update((f"w{i}", ()) for i in range(10_000))
    for text in TEXTS:
        assert shared.find(text) == Matcher(triager.matcher.lexicon).find(text)
    assert Walked.walks == 0
