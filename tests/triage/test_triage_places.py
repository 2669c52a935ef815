from __future__ import annotations

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
