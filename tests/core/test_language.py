"""The user's language comes from the environment as gettext reads it, else English."""

from __future__ import annotations

from loosen.core.language import FALLBACK_LANGUAGE, user_language


def test_the_first_variable_that_names_a_language_wins():
    assert user_language({"LANGUAGE": "de_AT:en", "LANG": "fr_FR.UTF-8"}) == "de-at"
    assert user_language({"LC_ALL": "", "LC_MESSAGES": "pt_BR.UTF-8@x", "LANG": "fr"}) == "pt-br"
    assert user_language({"LANG": "en_US.UTF-8"}) == "en-us"


def test_no_language_or_the_c_locale_means_english():
    assert user_language({}) == FALLBACK_LANGUAGE == "en"
    assert user_language({"LC_ALL": "C", "LANG": "POSIX"}) == FALLBACK_LANGUAGE
