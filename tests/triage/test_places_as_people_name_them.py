"""Places as people name them: prefixed Arabic, states, codes, hashtags, storms, features below a city, `places add`."""

from __future__ import annotations

import pytest

from vigil.triage.places import PlaceMatcher, read_workspace_file


@pytest.fixture(scope="module")
def places() -> PlaceMatcher:
    return PlaceMatcher.build(None)


def found(pm: PlaceMatcher, text: str) -> list[tuple[str, str]]:
    return [(str(p["name"]), str(p["text"])) for p in pm.find(text)]


def test_arabic_names_behind_their_prefixes(places):
    assert found(places, "وفي حلب قصف") == [("Aleppo", "حلب")]
    assert ("Kuwait", "وبالكويت") in found(places, "أمطار غزيرة وبالكويت اليوم")
    assert found(places, "مياه في البحر الميت") == [("Dead Sea", "البحر الميت")]


def test_ordinary_arabic_words_are_not_towns(places):
    assert found(places, "دخلوا إلى البيت ووجدوا الطفل بداخله") == []
    assert found(places, "السيول تجرف السيارات في الشوارع") == [] or all(
        n != "Seoul" for n, _ in found(places, "السيول تجرف السيارات في الشوارع")
    )
    assert all(n != "Seoul" for n, _ in found(places, "سيول في الأردن"))


def test_states_provinces_codes_and_hashtags(places):
    assert [n for n, _ in found(places, "Wildfires in California and Alberta")] == ["California", "Alberta"]
    assert [n for n, _ in found(places, "Flooding in Raleigh, NC tonight")] == ["Raleigh", "North Carolina"]
    assert [n for n, _ in found(places, "Stay safe #NorthCarolina #FortMcMurray")] == [
        "North Carolina",
        "Fort McMurray",
    ]
    assert found(places, "IN the news: OK, ME too") == []  # ambiguous codes are not places
    assert found(places, "MAGA rally") == []  # a short word in capitals is no town


def test_a_storm_name_is_no_place(places):
    assert found(places, "Hurricane Harvey hits Houston; Harvey is the worst") == [("Houston", "Houston")]
    assert all(n != "Florence" for n, _ in found(places, "#HurricaneFlorence: Florence makes landfall"))
    assert [n for n, _ in found(places, "Flights to Florence resumed")] == ["Florence"]


def test_features_below_a_city(places):
    got = found(places, "وصلنا بمستشفى الشفاء أمس وفي حلب")
    assert got[0] == ("مستشفى الشفاء", "مستشفى الشفاء") and ("Aleppo", "حلب") in got
    got = found(places, "Water on Main Street and at the Memorial Hospital near Interstate 45 in Houston")
    assert [t for _, t in got] == ["Main Street", "Memorial Hospital", "Interstate 45", "Houston"]
    assert {p["country"] for p in places.find("Main Street in Houston is closed")} == {"US"}
    assert found(places, "إغلاق نفق المنقف وجسر الوالة بسبب الأمطار")[:2] == [
        ("نفق المنقف", "نفق المنقف"),
        ("جسر الوالة", "جسر الوالة"),
    ]


def test_a_possessive_without_its_apostrophe(places):
    assert found(places, "Ecuadors president spoke") == [("Ecuador", "Ecuadors")]


def test_places_add_grows_the_workspace_gazetteer(cli, tmp_path):
    r = cli(
        "places", "add", "Rimal", "--country", "ps", "--lat", "31.52", "--lon", "34.45", "-a", "الرمال", "-a", "Remal"
    )
    assert r.exit_code == 0, r.output
    path = tmp_path / "ws" / "gazetteer.tsv"
    assert path.read_text(encoding="utf-8").splitlines() == [
        "name\tcountry\tlat\tlon\taliases",
        "Rimal\tPS\t31.52\t34.45\tالرمال|Remal",
    ]
    ((place, aliases),) = read_workspace_file(path)
    assert (place.name, place.country, place.lat, aliases) == ("Rimal", "PS", 31.52, ["الرمال", "Remal"])
    pm = PlaceMatcher.build(path)
    assert found(pm, "قصف على حي الرمال") == [("Rimal", "الرمال")]
    assert cli("places", "add", "Shifa", "-c", "PS").exit_code == 0  # coordinates may be left out
    assert len(read_workspace_file(path)) == 2


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["x|y"], "may not hold"),
        (["Rimal", "--country", "P"], "two-letter ISO code"),
        (["Rimal", "--lat", "31"], "both --lat"),
        (["Rimal", "--lat", "91", "--lon", "0"], "both --lat"),
        (["123"], "a name with letters"),
    ],
)
def test_places_add_refuses_bad_rows_in_one_line(cli, tmp_path, args, says):
    r = cli("places", "add", *args)
    assert r.exit_code == 2 and says in r.output and "Traceback" not in r.output
    assert not (tmp_path / "ws" / "gazetteer.tsv").exists()
