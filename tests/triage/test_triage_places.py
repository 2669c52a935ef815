from __future__ import annotations

import copy
import time

import pytest
from tests.conftest import DATA

from vigil.triage.places import GazetteerError, PlaceMatcher, read_workspace_file

GAZ = DATA / "triage" / "gazetteer.tsv"


@pytest.fixture(scope="module")
def places() -> PlaceMatcher:
    return PlaceMatcher.build(GAZ)


def names(pm: PlaceMatcher, text: str) -> list[str]:
    return [p["name"] for p in pm.find(text)]


def test_cities_and_countries_in_english_and_arabic(places):
    assert names(places, "Shelling in Aleppo and Homs tonight") == ["Aleppo", "Homs"]
    assert names(places, "قصف على حلب وحمص") == ["Aleppo", "Homs"]
    assert names(places, "Refugees crossing from Syria into Turkey") == ["Syria", "Turkey"]
    assert names(places, "نزوح من سوريا إلى لبنان") == ["Syria", "Lebanon"]
    aleppo = places.find("Aleppo")[0]
    assert aleppo["country"] == "SY" and 36 < aleppo["lat"] < 37 and 37 < aleppo["lon"] < 38


def test_multi_word_and_prefixed_names(places):
    assert names(places, "Flights from New York resumed") == ["New York City"]
    assert names(places, "وصلنا بغزة أمس")[:1] == ["Gaza"]


def test_common_words_are_not_places(places):
    text = "Police said nice weather. Mobile phones down. Reading a book. Of course. Most people left. Bath time"
    assert names(places, text) == []
    assert names(places, "the police said it was nice") == []  # lower case is never a place
    assert names(places, "كان هناك خبر عن حصار") == []  # Arabic words that are also town names


def test_larger_city_wins_on_ambiguity(places):
    assert places.find("Protest in Paris")[0]["country"] == "FR"
    assert places.find("Rain in Alexandria")[0]["country"] == "EG"


def test_workspace_gazetteer_adds_neighbourhoods_with_aliases(places):
    found = places.find("Shelling near the Old Port of Harbour Town, and on Mill Street")
    assert [p["name"] for p in found] == ["Old Port", "Harbourtown", "Mill Street"]
    assert found[1]["text"] == "Harbour Town" and found[1]["lat"] == 10.5
    assert names(places, "قصف على الميناء القديم") == ["Old Port"]


def test_bad_workspace_row_names_file_and_line(tmp_path):
    bad = tmp_path / "gazetteer.tsv"
    bad.write_text("name\tcountry\tlat\tlon\taliases\nX\tXX\tnorth\t1\t\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"gazetteer.tsv:2"):
        read_workspace_file(bad)


def test_cached_gazetteer_loads_fast(places):
    t = time.perf_counter()
    PlaceMatcher.build(None)
    assert time.perf_counter() - t < 5


class _Everything(frozenset):
    """A set that holds every pair: with it the matcher tries every multi-word lookup (as before the check)."""

    def __contains__(self, item: object) -> bool:
        return True


def test_the_first_two_words_check_skips_no_name(places):
    """Reading multi-word names only after a known pair of first words finds what trying every lookup finds."""
    everything = copy.copy(places)
    everything.pairs = _Everything()
    keys = sorted(k for k in places.table if " " in k)
    texts = ["Old Port and North Gate, New York, Al Nour quarter, Saint Elias hospital", "Tel Aviv-Yafo", "حي الرمال"]
    for key in keys[:: len(keys) // 2000]:
        titled = " ".join(w.capitalize() for w in key.split(" "))
        texts += [f"near {titled}, then {key}", f"{titled.split(' ')[0]} Town and {titled}-{titled}"]
    for text in texts:
        assert places.find(text) == everything.find(text), text


def test_a_first_word_followed_by_no_continuation_is_read_alone(tmp_path):
    (tmp_path / "g.tsv").write_text("Old Port\tXX\t1\t2\t\nOld\tXX\t3\t4\t\n", encoding="utf-8")
    pm = PlaceMatcher.build(tmp_path / "g.tsv", packaged_data=False)
    assert [p["text"] for p in pm.find("Old Port and Old Town, then Old")] == ["Old Port", "Old"]
    assert [p["text"] for p in pm.find("Old Town, Old Port")] == ["Old", "Old Port"]
