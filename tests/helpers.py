"""Small builders shared by the tests: routines made in code, and a speaker that records."""

from __future__ import annotations

import threading
import wave
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path

from loosen.core.audio import GUIDE_RATE_HZ
from loosen.core.duration import Window
from loosen.core.routine import Interval, Kind, Routine, Step
from loosen.speech.beeps import Beep
from loosen.speech.synth import SpeechUnavailable, SynthState, SynthStatus


def step(name: str = "Hold", **fields) -> Step:
    if "duration_s" not in fields and "reps" not in fields:
        fields["duration_s"] = 45.0
    return Step(name=name, **fields)


def routine(
    *steps: Step, get_ready_s: float = 5.0, kind: Kind = Kind.COOLDOWN, routine_id: str = "test"
) -> Routine:
    return Routine(
        id=routine_id, name="Test routine", kind=kind, steps=steps, get_ready_s=get_ready_s
    )


def squat_and_fold() -> Routine:
    return Routine(
        id="squat-and-fold",
        name="Squat and fold",
        kind=Kind.BREAK,
        get_ready_s=3.0,
        steps=(
            step("Deep squat", duration_s=20.0, rest_s=0.0),
            step("Forward fold", duration_s=20.0, rest_s=0.0),
        ),
    )


def run_routine(total_s: float | None = 3600.0, every: tuple[float, float] = (900.0, 1200.0)):
    return Routine(
        id="sprints",
        name="Sprint hour",
        kind=Kind.RUN,
        interval=Interval(
            activity="Sprints",
            every=Window(*every),
            break_routine=squat_and_fold(),
            total_s=total_s,
        ),
    )


class RecordingSpeaker:
    """A Speaker that remembers what it was asked to do."""

    def __init__(self, notice: str | None = None) -> None:
        self.prepared: list[str] = []
        self.spoken: list[str] = []
        self.beeps: list[Beep] = []
        self.stops = 0
        self.muted = False
        self.volume = 1.0
        self.beeps_enabled = True
        self.voice_enabled = True
        self._notice = notice

    def prepare(self, texts: Sequence[str]) -> None:
        self.prepared.extend(texts)

    def speak(self, text: str) -> None:
        self.spoken.append(text)

    def beep(self, beep: Beep) -> None:
        self.beeps.append(beep)

    def stop(self) -> None:
        self.stops += 1

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def set_volume(self, volume: float) -> None:
        self.volume = volume

    def set_beeps(self, enabled: bool) -> None:
        self.beeps_enabled = enabled

    def set_voice_enabled(self, enabled: bool) -> None:
        self.voice_enabled = enabled

    @property
    def notice(self) -> str | None:
        return self._notice


HEADER = """\
format = 1
name = "Bridges, all of them"
kind = "strength"
"""
BRIDGES = """\
[[steps]]
name = "Glute bridge"
reps = 500
tempo = "0.5s"
sets = 50
sides = true
"""
ISSUE_14_ROUTINE = HEADER + BRIDGES  # issue 14's nine lines


def write_clip(path: Path, seconds: float) -> Path:
    """A short mono clip at the guide's rate, standing in for a rendered cue."""
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(GUIDE_RATE_HZ)
        clip.writeframes(b"\x00\x10" * round(seconds * GUIDE_RATE_HZ))
    return path


class FakeSynth:
    """Clips on demand, from a thread of its own; `hold` keeps them from arriving."""

    def __init__(
        self,
        folder: Path,
        *,
        status: SynthState = SynthState.AVAILABLE,
        reason: str = "",
        hold: bool = False,
    ) -> None:
        self.clip = write_clip(folder / "clip.wav", 0.3)
        self.status = SynthStatus(status, reason)
        self.rate_wpm = 160
        self.release = threading.Event()
        if not hold:
            self.release.set()
        self.asked_from: list[str] = []  # the threads clips were asked for from
        self.futures: list[Future[Path]] = []

    def wait_ready(self, timeout_s: float | None = None) -> SynthStatus:
        return self.status

    def close(self) -> None:
        self.closed = True

    closed = False

    def prerender(self, texts):
        self.asked_from.append(threading.current_thread().name)
        futures = [Future() for _ in texts]
        self.futures.extend(futures)
        if self.status.state is SynthState.UNAVAILABLE:
            for future in futures:
                future.set_exception(SpeechUnavailable(self.status.reason))
            return futures

        def serve() -> None:
            self.release.wait(30)
            for future in futures:
                future.set_result(self.clip)

        threading.Thread(target=serve, daemon=True).start()
        return futures
