"""Play cue clips and beeps at their moment with QtMultimedia, on the UI thread's loop.

Clips are rendered ahead of time by the synthesizer (off this thread) and loaded into
QSoundEffect objects as they arrive, so saying a cue is only `play()`: on time, and
stopped at once on skip. A clip that is not ready when its cue is due is not said
late; the cue still shows on screen. Beeps stand in for the voice when there is none.

Where QtMultimedia finds no sound output, the same clips and beeps go to the
platform's command-line player (fallback.py); where that fails too, cues are shown on
screen only, and the user is told once.

Nothing of this loads until a sound is first needed (a session opens, a reminder is
near, a voice is previewed): QtMultimedia and its back-ends, the beeps and the speech
engine cost a window that only shows the library neither time nor memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QUrl, Signal

from loosen.core.settings_schema import VOLUME
from loosen.speech.beeps import Beep, beep_file
from loosen.speech.fallback import ProcessPlayback, platform_player

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

    from loosen.speech.synth import SynthStatus

NO_AUDIO_DEVICE = "No sound output was found: cues are shown on screen only."
# A clip that arrives this soon after its cue's moment (the first cue of a session on a
# cold cache, say) is still said; later than that it would be late, and is dropped.
LATE_GRACE_S = 0.3


def _beep_files(folder: Path) -> dict[Beep, Path]:
    try:
        return {beep: beep_file(beep, folder) for beep in Beep}
    except OSError:
        return {}  # an unwritable cache folder costs the beeps, never the session


class ClipSource(Protocol):
    """What the player needs of a synthesizer."""

    def request(self, text: str) -> Future[Path]: ...

    def prerender(self, texts: Sequence[str]) -> None: ...


class ClipSpeaker(QObject):
    """A Speaker that plays pre-rendered clips; beeps only when there is no voice."""

    notice_changed = Signal(str)  # a new one-line notice for the user
    clip_started = Signal(str, float)  # cue text, ms from speak() to playback starting
    # From the synthesizer's thread: (text, path or "" when it failed, generation).
    _clip_done = Signal(str, str, int)
    _status_changed = Signal(object)  # SynthStatus, from the synthesizer's thread
    _preview_done = Signal(str, int)  # from the synthesizer's thread: (path or "", number)

    def __init__(
        self,
        clips: ClipSource | None,
        beeps_dir: Path,
        *,
        voice_notice: str | None = None,
        volume: float = VOLUME.default,
        muted: bool = False,
        beeps: bool = True,
        audio_available: bool | None = None,
        fallback_command: list[str] | None = None,
        start_engine: Callable[[], object] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`audio_available` and `fallback_command` are found out when a sound is first
        needed, if not given (tests give them to take the fallback path on a machine
        that has sound); an empty `fallback_command` means none. `start_engine`, when
        given, is called once, the first time a phrase is wanted with no engine yet:
        it starts one and `attach`es it."""
        super().__init__(parent)
        self.clips = clips
        self.volume = volume
        self.muted = muted
        self.beeps_enabled = beeps
        self.voice_enabled = True
        self._voice_notice = voice_notice if clips is None else None
        self._effects: dict[str, QSoundEffect] = {}  # cue text -> its loaded clip
        self._clip_paths: dict[str, Path] = {}  # cue text -> its file, for the fallback
        self._beeps_dir = beeps_dir
        self._beep_paths: dict[Beep, Path] = {}  # written when sound is first needed
        self._fallback_command = fallback_command
        self._start_engine = start_engine
        self._sound_ready = False  # the output looked for, the beeps loaded
        self.fallback: ProcessPlayback | None = None
        self._audio_available: bool | None = None  # None: not looked for yet
        if audio_available is not None:
            self._use_output(audio_available)
        self._beeps: dict[Beep, QSoundEffect] = {}
        self._requested: set[str] = set()
        self._wanted: list[str] = []  # asked to prepare before the engine was attached
        self._waiting: tuple[str, float] | None = None  # a cue due before its clip was ready
        self.latencies_ms: list[float] = []  # from speak() to playback starting
        self._asked_at: dict[QSoundEffect, tuple[str, float]] = {}
        self._generation = 0  # clips asked for before the last reset_clips() are stale
        self._clip_done.connect(self._clip_arrived)
        self._preview_done.connect(self._preview_arrived)
        self._previews = 0  # only the last preview asked for is played
        self._preview_effect: QSoundEffect | None = None
        self._status_changed.connect(self._apply_status)

    @property
    def audio_available(self) -> bool:
        """Has QtMultimedia a sound output? Looked for (and its back-end loaded) on the
        first question."""
        if self._audio_available is None:
            from PySide6.QtMultimedia import QMediaDevices

            self._use_output(bool(QMediaDevices.audioOutputs()))
            if not self.can_play:
                self.notice_changed.emit(NO_AUDIO_DEVICE)
        assert self._audio_available is not None
        return self._audio_available

    def _use_output(self, audio_available: bool) -> None:
        self._audio_available = audio_available
        if not audio_available:
            command = (
                platform_player() if self._fallback_command is None else self._fallback_command
            )
            if command:
                self.fallback = ProcessPlayback(command, self)
                self.fallback.failed.connect(self._fallback_failed)

    def _get_sound_ready(self) -> None:
        """What the first sound needs: an output, the beeps, the engine (when a voice is
        wanted). Called on every need; does its work once."""
        if not self._sound_ready:
            self._sound_ready = True
            self._beep_paths = _beep_files(self._beeps_dir)
            if self.audio_available:
                for beep, path in self._beep_paths.items():
                    self._beeps[beep] = self._effect(path)
        if self.voice_enabled and self.clips is None and self._start_engine is not None:
            start, self._start_engine = self._start_engine, None
            start()  # attaches the engine, or says there is none

    def want_voice(self) -> None:
        """Start now what speaking needs (the engine's voices are asked for)."""
        self._get_sound_ready()

    @property
    def notice(self) -> str | None:
        if self._audio_available is not None and not self.can_play:
            return NO_AUDIO_DEVICE
        return self._voice_notice

    @property
    def can_play(self) -> bool:
        """Is there any way to make a sound?"""
        return self.audio_available or (self.fallback is not None and not self.fallback.broken)

    @property
    def has_voice(self) -> bool:
        return self.clips is not None and self.can_play and self.voice_enabled

    def synth_status(self, status: SynthStatus) -> None:
        """Hear of the synthesizer's status; safe to call from any thread."""
        self._status_changed.emit(status)

    def _apply_status(self, status: SynthStatus) -> None:
        if status.message and self.clips is not None:
            self.no_voice(status.message)

    def no_voice(self, reason: str) -> None:
        """The engine is gone for good (or never came): beeps and on-screen cues, and
        `reason` for the user."""
        self.stop()
        self.clips = None
        self._wanted = []
        self._voice_notice = reason
        self.notice_changed.emit(self.notice or "")

    def _fallback_failed(self, why: str) -> None:
        self.notice_changed.emit(f"{NO_AUDIO_DEVICE} ({why})")

    def _effect(self, path: Path) -> QSoundEffect:
        from PySide6.QtMultimedia import QSoundEffect

        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        effect.setVolume(self.volume)
        effect.setMuted(self.muted)
        effect.playingChanged.connect(lambda e=effect: self._started(e))
        return effect

    def _started(self, effect: QSoundEffect) -> None:
        asked = self._asked_at.pop(effect, None)
        if asked is not None and effect.isPlaying():
            text, at = asked
            latency_ms = (time.perf_counter() - at) * 1000
            self.latencies_ms.append(latency_ms)
            self.clip_started.emit(text, latency_ms)

    # -- the Speaker protocol --------------------------------------------------------

    def attach(self, clips: ClipSource) -> None:
        """Take a synthesizer started after this speaker (the app starts its engine only
        once the window is up); phrases asked for meanwhile are prepared now."""
        self.clips = clips
        self._voice_notice = None
        wanted, self._wanted = self._wanted, []
        self.prepare(wanted)

    def prepare(self, texts: Sequence[str]) -> None:
        self._get_sound_ready()
        if self.clips is None and self._voice_notice is None:
            self._wanted += texts  # an engine is on its way (see attach)
            return
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

        def done(
            finished: Future[Path],
            text: str = text,
            generation: int = self._generation,
        ) -> None:
            path = str(finished.result()) if finished.exception() is None else ""
            self._clip_done.emit(text, path, generation)

        future.add_done_callback(done)

    def _clip_arrived(self, text: str, path: str, generation: int) -> None:
        if generation != self._generation:
            return  # rendered with a voice or rate since changed
        if not path:
            self._requested.discard(text)  # failed (an engine restart, say): ask again later
            return
        self._load_clip(text, path)

    def reset_clips(self) -> None:
        """Forget every clip: the voice or the rate changed, and cues already heard must
        sound in the new one too."""
        self.stop()
        self._generation += 1
        for effect in self._effects.values():
            effect.deleteLater()
        self._effects.clear()
        self._asked_at.clear()
        self._clip_paths.clear()
        self._requested.clear()

    def _load_clip(self, text: str, path: str) -> None:
        self._clip_paths[text] = Path(path)
        if self.audio_available and text not in self._effects:
            effect = self._effects[text] = self._effect(Path(path))
            effect.statusChanged.connect(lambda text=text: self._clip_became_ready(text))
        self._clip_became_ready(text)

    def _ready(self, text: str) -> bool:
        if self.fallback is not None:
            return text in self._clip_paths
        effect = self._effects.get(text)
        return effect is not None and effect.status() == effect.Status.Ready

    def _clip_became_ready(self, text: str) -> None:
        """Say a cue whose clip arrives just after its moment, if still just after."""
        waiting = self._waiting
        if waiting is None or waiting[0] != text or not self._ready(text):
            return
        self._waiting = None
        if time.perf_counter() - waiting[1] <= LATE_GRACE_S and self.has_voice:
            self._play(text, asked_at=waiting[1])

    def speak(self, text: str) -> None:
        self._get_sound_ready()
        if not self.has_voice:
            return
        if self._ready(text):
            self._play(text, asked_at=time.perf_counter())
            return
        self.stop()  # what was being said belongs to an earlier cue
        # Waiting before asking: a clip source may answer at once, on this thread.
        self._waiting = (text, time.perf_counter())  # said if it comes in time, else never
        if text not in self._requested:
            self._request(text)

    def _play(self, text: str, *, asked_at: float) -> None:
        self.stop()
        if self.fallback is not None:
            if not self.muted:
                self.fallback.play(self._clip_paths[text])
            return
        effect = self._effects[text]
        self._asked_at[effect] = (text, asked_at)
        effect.play()

    def preview(self, text: str, voice: str | None, rate_wpm: int) -> bool:
        """Say `text` in this voice and rate once it is rendered (the settings' Preview),
        cutting off whatever is being said; never waits for it. Played even when muted:
        the user asked to hear it. False when there is no voice or no sound to use."""
        self._get_sound_ready()
        request_sample = getattr(self.clips, "request_sample", None)
        if request_sample is None or not self.can_play:
            return False
        self.stop()
        self._previews += 1
        number = self._previews

        def done(finished: Future[Path]) -> None:
            path = str(finished.result()) if finished.exception() is None else ""
            self._preview_done.emit(path, number)

        request_sample(text, voice, rate_wpm).add_done_callback(done)
        return True

    def _preview_arrived(self, path: str, number: int) -> None:
        if number != self._previews or not path:
            return  # a later preview was asked for, or this one failed
        self.stop()
        if self.fallback is not None:
            self.fallback.play(Path(path))
            return
        if self._preview_effect is not None:
            self._preview_effect.stop()
            self._preview_effect.deleteLater()
        from PySide6.QtMultimedia import QSoundEffect

        effect = self._preview_effect = QSoundEffect(self)
        effect.setVolume(self.volume)

        played = []

        def play_when_loaded() -> None:
            ready = effect.status() == effect.Status.Ready
            if ready and not played and number == self._previews:
                played.append(True)
                effect.play()

        effect.statusChanged.connect(play_when_loaded)
        effect.setSource(QUrl.fromLocalFile(path))
        play_when_loaded()

    def beep(self, beep: Beep) -> None:
        if not self.beeps_enabled or self.muted:
            return
        self._get_sound_ready()
        if self.has_voice:
            return
        effect = self._beeps.get(beep)
        if effect is not None:
            effect.play()
        elif self.fallback is not None and (path := self._beep_paths.get(beep)) is not None:
            self.fallback.play(path)

    def stop(self) -> None:
        self._waiting = None
        if self.fallback is not None:
            self.fallback.stop()
        for effect in (*self._effects.values(), self._preview_effect):
            if effect is not None and effect.isPlaying():
                effect.stop()

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if muted and self.fallback is not None:
            self.fallback.stop()  # a command-line player has no volume of its own
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
        elif self._sound_ready:
            self._get_sound_ready()  # sound was needed with the voice off: start it now
