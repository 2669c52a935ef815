"""Lexicon files: the syntax, workspace rows that add cues or disable shipped ones, and errors that say where."""

from __future__ import annotations

import re

import pytest

from vigil.triage import lexicon
from vigil.triage.engine import Triager
from vigil.triage.lexicon import LexiconError, compile_pattern, load


def matches(pattern: str, text: str) -> str | None:
    rx, _, _ = compile_pattern(pattern)
    m = re.compile(rx).search(text.lower())
    return m.group() if m else None


def test_pattern_syntax():
    assert matches("send (help|water)", "please send   water") == "send   water"
    assert matches("evacuat*", "evacuation now") == "evacuation"
    assert matches("(we|i) (urgently )?need help", "we need help") == "we need help"
    assert matches("(we|i) (urgently )?need help", "i urgently need help") == "i urgently need help"
    assert matches("destroyed ~ hospital", "destroyed the old city hospital") == "destroyed the old city hospital"
    assert matches("don't go", "don’t go there".replace("’", "'")) == "don't go"
    assert matches("help", "helpful") is None


def test_anchor_prefers_a_rare_word():
    _, keys, before = compile_pattern("(we|i) (urgently )?need (water|food)")
    assert keys == frozenset({"need"}) and before == 2


def test_workspace_rows_add_cues_and_weight_zero_disables(tmp_path):
    lex = tmp_path / "lexicons"
    lex.mkdir()
    (lex / "en.tsv").write_text(
        "label\tpattern\tweight\tnotes\n"
        "plea\tcome get us\t1\tlocal phrase\n"
        "attack\t(shelling|shelled|shells|bombardment|bombarded|bombing|bombed|bombs|barrel bombs)\t0\toff\n",
        encoding="utf-8",
    )
    t = Triager.for_workspace(tmp_path, with_places=False)
    assert "plea" in t.triage("please come get us", lang="en").labels
    assert "attack" not in t.triage("heavy shelling tonight", lang="en").labels
    assert "attack" in Triager.for_workspace(None, with_places=False).triage("heavy shelling", lang="en").labels


def test_bad_rows_name_the_file_and_line(tmp_path):
    (tmp_path / "en.tsv").write_text("plea\tsave us\t1\nsadness\tsad\t1\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"en.tsv:2: unknown label 'sadness'"):
        load(tmp_path)
    (tmp_path / "en.tsv").write_text("plea\t(save us\t1\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"en.tsv:1"):
        load(tmp_path)
    (tmp_path / "en.tsv").write_text("plea\tsave us\tmuch\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"en.tsv:1: weight must be a number"):
        load(tmp_path)


def test_shipped_lexicons_load_and_every_cue_is_anchored():
    lex = load()
    assert len(lex.cues) > 250
    assert all(c.keys for c in lex.cues)
    for cue in lex.cues + [m for ms in lex.markers.values() for m in ms]:
        assert cue.regex.pattern  # shipped regexes compile when first needed: each must compile


def test_a_bad_user_regex_fails_at_load(tmp_path, monkeypatch):
    (tmp_path / "en.tsv").write_text("plea\tsave us\t1\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "compile_pattern", lambda pattern: ("(unbalanced", frozenset({"save"}), 0))
    with pytest.raises(LexiconError, match=re.escape(f"{tmp_path / 'en.tsv'}:1: bad pattern")):
        load(tmp_path)  # the user's row, compiled at load; the shipped rows (same stub) are not compiled yet


def test_needs_are_the_sure_keys_of_each_required_word_or_group():
    assert lexicon.needs("(in need of|urgent need for) (food|water)") == (
        (frozenset({"in", "need", "of"}), frozenset({"urge", "need", "for"})),
        (frozenset({"food"}), frozenset({"wate"})),
    )
    # optional and nested groups, `~`, and words with no sure key (short stems, apostrophes) require nothing
    assert lexicon.needs("(i'll|i will) (be )?(with god|see you (soon|later))") == (
        (frozenset({"with", "god"}), frozenset({"see", "you"})),
    )
    assert lexicon.needs("destroyed ~ hospital") == ((frozenset({"dest"}),), (frozenset({"hosp"}),))
    assert lexicon.needs("(لا تخافي علي|عائلة)") == ((frozenset({"لا", "تخا", "علي"}), frozenset({"عاي"})),)
    assert lexicon.needs("help|rescue") == ()  # a top-level alternation


def test_a_workspace_row_that_is_a_bare_alternation_still_loads(tmp_path):
    (tmp_path / "en.tsv").write_text("plea\tcome get us|pick us up\t1\n", encoding="utf-8")
    assert any(c.pattern == "come get us|pick us up" and c.needs == () for c in load(tmp_path).cues)
