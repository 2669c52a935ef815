from __future__ import annotations

import pytest

from vigil.triage.language import detect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We are trapped in the basement, please send help", "en"),
        ("نحن محاصرون في القبو، أرسلوا المساعدة", "ar"),
        ("Нам потрібна допомога, ми в підвалі", "uk"),
        ("Нам нужна помощь, мы в подвале", "ru"),
        ("Necesitamos ayuda urgente en el barrio", "es"),
        ("Nous avons besoin d'aide dans le quartier", "fr"),
    ],
)
def test_detect(text, lang):
    assert detect(text) == lang


def test_too_little_text():
    assert detect("!! 123 https://t.co/x") is None


def test_triage_detects_only_when_the_platform_gave_none(triager):
    assert triager.triage("Necesitamos ayuda urgente en el barrio", lang=None).lang == "es"
    assert triager.triage("Necesitamos ayuda urgente en el barrio", lang="es").lang is None


def test_a_tiny_text_gets_no_guessed_language():
    from vigil.triage.language import detect

    assert detect("asdf") is None  # was "sv"
    assert detect("ok thanks") is None
    assert detect("الماء مقطوع") == "ar"  # a script that names its language still does
    assert detect("Water cut since dawn in the north district") == "en"
