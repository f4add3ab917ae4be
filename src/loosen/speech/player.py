"""Play cue clips and beeps at their moment with QtMultimedia, on the UI thread's loop.

Clips are rendered ahead of time by the synthesizer (off this thread) and loaded into
QSoundEffect objects as they arrive, so saying a cue is only `play()`: on time, and
stopped at once on skip. A clip that is not ready when its cue is due is not said
late; the cue still shows on screen. Beeps stand in for the voice when there is none.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

from loosen.speech.beeps import Beep, beep_file

NO_AUDIO_DEVICE = "No sound output was found: cues are shown on screen only."


class ClipSource(Protocol):
    """What the player needs of a synthesizer."""

    def request(self, text: str) -> Future[Path]: ...

    def prerender(self, texts: Sequence[str]) -> None: ...


class ClipSpeaker(QObject):
    """A Speaker that plays pre-rendered clips; beeps only when there is no voice."""

    _clip_ready = Signal(str, str)  # text, path: emitted from the synthesizer's thread

    def __init__(
        self,
        clips: ClipSource | None,
        beeps_dir: Path,
        *,
        voice_notice: str | None = None,
        volume: float = 0.8,
        muted: bool = False,
        beeps: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clips = clips
        self.volume = volume
        self.muted = muted
        self.beeps_enabled = beeps
        self.voice_enabled = True
        self.audio_available = bool(QMediaDevices.audioOutputs())
        self._voice_notice = voice_notice if clips is None else None
        self._effects: dict[str, QSoundEffect] = {}  # cue text -> its loaded clip
        self._beeps: dict[Beep, QSoundEffect] = {}
        self._requested: set[str] = set()
        self.latencies_ms: list[float] = []  # from speak() to playback starting
        self._asked_at: dict[QSoundEffect, float] = {}
        self._clip_ready.connect(self._load_clip)
        if self.audio_available:
            for beep in Beep:
                self._beeps[beep] = self._effect(beep_file(beep, beeps_dir))

    @property
    def notice(self) -> str | None:
        if not self.audio_available:
            return NO_AUDIO_DEVICE
        return self._voice_notice

    @property
    def has_voice(self) -> bool:
        return self.clips is not None and self.audio_available and self.voice_enabled

    def _effect(self, path: Path) -> QSoundEffect:
        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        effect.setVolume(self.volume)
        effect.setMuted(self.muted)
        effect.playingChanged.connect(lambda e=effect: self._started(e))
        return effect

    def _started(self, effect: QSoundEffect) -> None:
        asked = self._asked_at.pop(effect, None)
        if asked is not None and effect.isPlaying():
            self.latencies_ms.append((time.perf_counter() - asked) * 1000)

    # -- the Speaker protocol --------------------------------------------------------

    def prepare(self, texts: Sequence[str]) -> None:
        if not self.has_voice or self.clips is None:
            return
        unique = [t for t in dict.fromkeys(texts) if t not in self._requested]
        self.clips.prerender(unique)
        for text in unique:
            self._request(text)

    def _request(self, text: str) -> None:
        assert self.clips is not None
        self._requested.add(text)
        future = self.clips.request(text)

        def done(finished: Future[Path], text: str = text) -> None:
            if finished.exception() is None:
                self._clip_ready.emit(text, str(finished.result()))

        future.add_done_callback(done)

    def _load_clip(self, text: str, path: str) -> None:
        if text not in self._effects:
            self._effects[text] = self._effect(Path(path))

    def speak(self, text: str) -> None:
        if not self.has_voice:
            return
        effect = self._effects.get(text)
        if effect is None or effect.status() != QSoundEffect.Status.Ready:
            if text not in self._requested:
                self._request(text)  # ready for next time; never said late
            return
        self.stop()
        self._asked_at[effect] = time.perf_counter()
        effect.play()

    def beep(self, beep: Beep) -> None:
        if not self.beeps_enabled or self.has_voice or self.muted:
            return
        effect = self._beeps.get(beep)
        if effect is not None:
            effect.play()

    def stop(self) -> None:
        for effect in self._effects.values():
            if effect.isPlaying():
                effect.stop()

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        for effect in (*self._effects.values(), *self._beeps.values()):
            effect.setMuted(muted)

    def set_volume(self, volume: float) -> None:
        self.volume = volume
        for effect in (*self._effects.values(), *self._beeps.values()):
            effect.setVolume(volume)

    def set_beeps(self, enabled: bool) -> None:
        self.beeps_enabled = enabled

    def set_voice_enabled(self, enabled: bool) -> None:
        self.voice_enabled = enabled
        if not enabled:
            self.stop()
