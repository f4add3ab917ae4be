"""Which language the user reads: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG, else English."""

from __future__ import annotations

import os
from collections.abc import Mapping

FALLBACK_LANGUAGE = "en"
_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # in the order gettext reads them
_NO_LANGUAGE = {"c", "posix"}  # locales that name no language


def user_language(environ: Mapping[str, str] | None = None) -> str:
    """A lower-case language tag such as "en-gb" or "de": "de_AT.UTF-8" gives "de-at"."""
    environ = os.environ if environ is None else environ
    for variable in _VARIABLES:
        for part in environ.get(variable, "").split(":"):  # LANGUAGE may list several
            tag = part.split(".")[0].split("@")[0].replace("_", "-").strip().lower()
            if tag and tag not in _NO_LANGUAGE:
                return tag
    return FALLBACK_LANGUAGE


def primary_language(tag: str) -> str:
    """ "en-gb" -> "en"."""
    return tag.lower().split("-")[0]
