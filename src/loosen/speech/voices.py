"""The speech engine's voices, and the order a person looks for them in: their language first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from loosen.core.language import primary_language


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...] = ()


def speaks(voice: Voice, language: str) -> bool:
    """Does `voice` speak `language` ("en-us" is spoken by any English voice)?"""
    wanted = primary_language(language)
    return any(primary_language(tag) == wanted for tag in voice.languages)


def order_voices(voices: Iterable[Voice], language: str) -> list[Voice]:
    """Voices for `language` first (its own region, e.g. "en-us", before the other
    regions), then every other voice; by name within each group."""
    wanted = language.lower()

    def rank(voice: Voice) -> tuple[int, str]:
        if wanted in (tag.lower() for tag in voice.languages):
            group = 0
        elif speaks(voice, language):
            group = 1
        else:
            group = 2
        return group, voice.name.strip().casefold()

    return sorted(voices, key=rank)
