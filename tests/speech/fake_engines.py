"""Stand-ins for a pyttsx3 engine, run inside the speech worker process by the tests.

They are picklable (module-level, configured with functools.partial) because the
worker is a spawned process. A FakeEngine behaves like the espeak driver where it
matters: callbacks come from another thread, and it can hang, raise, crash, or call
back late. It is also strict: any use that would fall into one of pyttsx3's traps
(say() in the render worker, two utterances queued before one run, reading the rate
back, startLoop(False)/iterate) raises, so a test that renders through it proves the
worker never does those things. ReadyClips stands in for the whole synthesizer.
"""

from __future__ import annotations

import math
import os
import threading
import time
import wave
from array import array
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from loosen.speech.beeps import Beep, beep_file

RATE_HZ = 22050
VOICES = (("fake/en", "Fake English", ("en",)), ("fake/fr", "Fake French", ("fr",)))


def write_tone(
    path: str,
    seconds: float,
    *,
    rate_hz: int = RATE_HZ,
    amplitude: int = 8000,
    channels: int = 1,
    width: int = 2,
) -> None:
    """A 440 Hz tone: loud enough to count as sound, easy to recognise."""
    count = max(1, round(seconds * rate_hz))
    samples = [round(amplitude * math.sin(2 * math.pi * 440 * i / rate_hz)) for i in range(count)]
    if width == 2:
        data = array("h", (s for s in samples for _ in range(channels))).tobytes()
    else:  # 8-bit WAV is unsigned
        data = bytes((s >> 8) + 128 for s in samples for _ in range(channels))
    with wave.open(path, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate_hz)
        out.writeframes(data)


class TrapError(RuntimeError):
    """The worker did something that falls into one of pyttsx3's traps."""


class FakeEngine:
    loosen_version = "fake engine 1"

    def __init__(
        self,
        *,
        hang_on: tuple[str, ...] = (),
        raise_on: tuple[str, ...] = (),
        crash_on: tuple[str, ...] = (),
        late_callback_s: float = 0.0,
        render_s: float = 0.0,
        init_error: str | None = None,
        hang_init: bool = False,
    ) -> None:
        if init_error is not None:
            raise RuntimeError(init_error)
        if hang_init:
            threading.Event().wait()  # never returns: the parent must kill us
        self.hang_on, self.raise_on, self.crash_on = hang_on, raise_on, crash_on
        self.late_callback_s = late_callback_s
        self.render_s = render_s
        self.callbacks: dict[str, list[Callable[..., Any]]] = {}
        self.properties: dict[str, object] = {"rate": 200, "voice": VOICES[0][0]}
        self.queued: tuple[str, str] | None = None

    # -- pyttsx3's interface ---------------------------------------------------

    def connect(self, topic: str, cb: Callable[..., Any]) -> dict[str, object]:
        self.callbacks.setdefault(topic, []).append(cb)
        return {"topic": topic, "cb": cb}

    def setProperty(self, name: str, value: object) -> None:
        if name == "voice" and value not in {v[0] for v in VOICES}:
            self._notify("error", exception=ValueError(f"no voice {value}"))
            return
        self.properties[name] = value

    def getProperty(self, name: str) -> Any:
        if name == "rate":
            raise TrapError("getProperty('rate') reads back a wrong value on espeak")
        if name == "voices":
            return [SimpleNamespace(id=i, name=n, languages=list(langs)) for i, n, langs in VOICES]
        return self.properties[name]

    def say(self, text: str) -> None:
        raise TrapError("say() in the render worker writes into the last save_to_file file")

    def startLoop(self, use_driver_loop: bool = True) -> None:
        raise TrapError("startLoop(False) + iterate() is broken on the espeak driver")

    def iterate(self) -> None:
        raise TrapError("startLoop(False) + iterate() is broken on the espeak driver")

    def save_to_file(self, text: str, filename: str) -> None:
        if self.queued is not None:
            raise TrapError("two utterances before one runAndWait(): only the last is spoken")
        self.queued = (text, filename)

    def runAndWait(self) -> None:
        if self.queued is None:
            return
        text, filename = self.queued
        self.queued = None
        if text in self.crash_on:
            os._exit(3)  # the engine's C code died
        if text in self.raise_on:
            raise RuntimeError(f"the fake engine failed on {text!r}")
        if text in self.hang_on:
            threading.Event().wait()  # never returns
        seconds = 0.25 + len(text.split()) * 60.0 / float(self.properties["rate"])  # type: ignore[arg-type]

        def finish() -> None:
            # Like espeak: the file is written and the callback made on another thread.
            time.sleep(self.late_callback_s)
            write_tone(filename, seconds)
            self._notify("finished-utterance", completed=True)

        if self.render_s:
            time.sleep(self.render_s)  # a slow engine, to make queue order observable
        thread = threading.Thread(target=finish, daemon=True)
        thread.start()
        if not self.late_callback_s:
            thread.join()
        # With late_callback_s, return now: the first-runAndWait trap of the real driver.

    def _notify(self, topic: str, **kwargs: object) -> None:
        for cb in self.callbacks.get(topic, []):
            cb(name=None, **kwargs)


def pyttsx3_without_espeak() -> Any:
    """The real pyttsx3, on a machine where the espeak-ng library cannot be loaded."""
    import ctypes

    def refuse(name: str) -> None:
        raise OSError(f"{name}: cannot open shared object file: No such file or directory")

    ctypes.cdll.LoadLibrary = refuse  # type: ignore[method-assign]
    import pyttsx3

    return pyttsx3.init()


class ReadyClips:
    """A clip source whose clips are already rendered (tones stand in for speech)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.asked: list[str] = []

    def prerender(self, texts: Sequence[str]) -> None:
        self.asked.extend(texts)

    def request(self, text: str) -> Future[Path]:
        future: Future[Path] = Future()
        if text == "never ready":
            return future  # a clip still rendering
        future.set_result(beep_file(Beep.REST, self.folder))
        return future
