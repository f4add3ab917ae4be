"""The Speaker protocol: all the rest of the app knows of speech."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from loosen.speech.beeps import Beep


class Speaker(Protocol):
    """Says cues at their moment; never blocks the caller."""

    def prepare(self, texts: Sequence[str]) -> None:
        """Get these phrases ready ahead of time, the first ones first."""

    def speak(self, text: str) -> None:
        """Say `text` now, cutting off whatever is being said."""

    def beep(self, beep: Beep) -> None:
        """Play a short tone."""

    def stop(self) -> None:
        """Fall silent at once (skip, pause, stop)."""

    def set_muted(self, muted: bool) -> None: ...

    def set_volume(self, volume: float) -> None: ...

    def set_beeps(self, enabled: bool) -> None: ...

    def set_voice_enabled(self, enabled: bool) -> None:
        """Off: beeps and on-screen text only, as when there is no engine."""

    @property
    def notice(self) -> str | None:
        """A one-line message for the user when voice is not available, else None."""
