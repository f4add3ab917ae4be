"""Voices in the order a person looks for them: their own language first, then by name."""

from __future__ import annotations

from loosen.speech.voices import Voice, order_voices

ESPEAK_LIKE = [
    Voice("gmw/af", "Afrikaans", ("af",)),
    Voice("roa/es", "Spanish (Spain)", ("es",)),
    Voice("gmw/en-029", "English (Caribbean)", ("en-029",)),
    Voice("gmw/de", "German", ("de",)),
    Voice("gmw/en", "English (Great Britain)", ("en-gb",)),
    Voice("gmw/en-us", "English (America)", ("en-us",)),
    Voice("sit/cmn", "Chinese (Mandarin)", ("cmn",)),
]


def names(voices: list[Voice]) -> list[str]:
    return [v.name for v in voices]


def test_the_users_own_region_then_their_language_then_the_rest_by_name():
    assert names(order_voices(ESPEAK_LIKE, "en-gb")) == [
        "English (Great Britain)",
        "English (America)",
        "English (Caribbean)",
        "Afrikaans",
        "Chinese (Mandarin)",
        "German",
        "Spanish (Spain)",
    ]
    assert names(order_voices(ESPEAK_LIKE, "de-at"))[:2] == ["German", "Afrikaans"]


def test_a_language_no_voice_speaks_leaves_them_by_name():
    assert names(order_voices(ESPEAK_LIKE, "fi")) == sorted(names(ESPEAK_LIKE))
