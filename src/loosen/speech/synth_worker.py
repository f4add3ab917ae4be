"""The speech worker: the one process that holds a pyttsx3 engine and renders WAV clips.

`ClipSynthesizer` (synth.py) starts `serve()` in a child process and talks to it over a
pipe, one message at a time. Everything here runs in that child; nothing here is
called from the app's own process.

How it renders, given pyttsx3's traps (measured with pyttsx3 2.99 + espeak-ng 1.51):

- Only `save_to_file`, never `say()`: on Linux `say()` writes a temporary WAV and
  runs `aplay` on it (blocking, impossible to interrupt, and silently "successful"
  with no sound device), and a `say()` after a `save_to_file()` keeps writing into
  that file, because the espeak driver never forgets the file name.
- One utterance per `runAndWait()`: two queued before one run speak only the last.
- Done means the `finished-utterance` callback arrived (it comes on espeak's own
  thread) and the file checks out as a WAV with frames: the first `runAndWait()`
  after `init()` returns before the file is written.
- Voice and rate are set when they change and never read back: `getProperty('rate')`
  returns a stale value on the espeak driver.
- After setting one, wait for espeak-ng to apply it: it does so asynchronously, and an
  utterance started meanwhile is cancelled by runAndWait's own stop() (along with
  the queued setting). Found here, not in the issue: 1 in 4 clips after a rate change.
- No `startLoop(False)` / `iterate()`: broken on the espeak driver (TypeError).
- One thread, one engine: this process's main thread is the only caller.

The file is rendered under a temporary name, checked, then renamed, so a clip in
the cache is always whole. If the engine raises, the worker reports it and exits (its
state is unknown); the parent starts a fresh one. If it hangs, the parent kills it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
import wave
from collections.abc import Callable
from importlib import metadata
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol


class Engine(Protocol):
    """The part of a pyttsx3 engine the worker uses (fakes in tests implement the same).

    The camelCase names are pyttsx3's.
    """

    def connect(self, topic: str, cb: Callable[..., Any]) -> object: ...
    def setProperty(self, name: str, value: object) -> None: ...
    def getProperty(self, name: str) -> Any: ...
    def save_to_file(self, text: str, filename: str) -> None: ...
    def runAndWait(self) -> None: ...


EngineFactory = Callable[[], Engine]


RENDER_ATTEMPTS = 3  # a cancelled utterance (see ClipRenderer._wait_until_idle) is retried
IDLE_WAIT_S = 2.0  # how long to let espeak-ng drain its command queue before a clip


class ClipError(Exception):
    """This clip could not be made; the engine itself is still usable."""


def pyttsx3_engine() -> Engine:
    """The real engine: the platform's default pyttsx3 driver (espeak-ng on Linux)."""
    import pyttsx3  # here, not at the top: only the worker process loads the engine

    return pyttsx3.init()


def describe_engine(engine: Engine) -> str:
    """e.g. "espeak-ng 1.51 via pyttsx3 2.99": part of every clip's cache key."""
    name = getattr(engine, "driver_name", None) or type(engine).__qualname__
    described = str(getattr(engine, "loosen_version", "") or name)
    if name == "espeak":
        with contextlib.suppress(Exception):
            from pyttsx3.drivers import _espeak

            described = f"espeak-ng {_espeak.Info().decode()}"
    if type(engine).__module__.startswith("pyttsx3"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            described += f" via pyttsx3 {metadata.version('pyttsx3')}"
    return described


def check_wav(path: Path) -> int:
    """The number of frames in a playable WAV file; ClipError if it is not one."""
    try:
        with wave.open(str(path), "rb") as clip:
            frames = clip.getnframes()
            ok = clip.getnchannels() > 0 and clip.getframerate() > 0
    except (OSError, EOFError, wave.Error) as exc:
        raise ClipError(f"the engine wrote no usable WAV file ({exc})") from None
    if not ok or frames == 0:
        raise ClipError("the engine wrote an empty clip")
    return frames


class ClipRenderer:
    """Renders one clip at a time with `engine`, keeping voice and rate as we set them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._voice: str | None = None
        self._rate: int | None = None
        # The callbacks arrive on the engine's own thread; an Event hands them over.
        self._finished = threading.Event()
        self._completed = False
        self._is_playing: Callable[[], bool] | None = None
        if getattr(engine, "driver_name", None) == "espeak":
            with contextlib.suppress(Exception):
                from pyttsx3.drivers import _espeak

                self._is_playing = _espeak.IsPlaying
        self._errors: list[str] = []
        engine.connect("finished-utterance", self._on_finished)
        engine.connect("error", self._on_error)

    def _wait_until_idle(self) -> None:
        """Let espeak-ng finish what it has queued before the next utterance.

        espeak-ng applies a property (rate, voice) later, through its own command
        queue. If an utterance starts meanwhile, runAndWait's internal stop() sees the
        engine busy and cancels the new utterance, and the cancel discards the queued
        property too: the clip is lost, or rendered at the old rate. Measured: 1 in 4
        renders after a rate change. Polling the queue takes well under a millisecond.
        """
        if self._is_playing is None:
            return
        deadline = time.monotonic() + IDLE_WAIT_S
        while self._is_playing() and time.monotonic() < deadline:
            time.sleep(0.0005)

    def _on_finished(self, name: object = None, completed: bool = True, **_: object) -> None:
        self._completed = bool(completed)
        self._finished.set()

    def _on_error(self, name: object = None, exception: object = None, **_: object) -> None:
        self._errors.append(f"{type(exception).__name__}: {exception}")
        self._finished.set()

    def render(self, text: str, voice: str | None, rate: int, temporary: Path, final: Path) -> int:
        """Write `text` to `final` (via `temporary`); returns its frame count.

        ClipError: the clip is bad but the engine is fine. Any other exception: the
        engine is in an unknown state and the worker should be replaced.
        """
        for _attempt in range(RENDER_ATTEMPTS):
            if voice is not None and voice != self._voice:
                self.engine.setProperty("voice", voice)
                self._voice = voice
            if rate != self._rate:
                self.engine.setProperty("rate", rate)
                self._rate = rate  # remembered, never read back
            self._wait_until_idle()
            self._errors.clear()
            self._finished.clear()
            self._completed = False
            self.engine.save_to_file(text, str(temporary))
            self.engine.runAndWait()
            # runAndWait may return before the file is written: wait for the callback.
            # If it never comes, the parent's timeout ends this process.
            self._finished.wait()
            if self._errors or self._completed:
                break
            # Cancelled, not failed (see _wait_until_idle). The cancel may also have
            # dropped a property still queued in the engine: set them again.
            self._voice = self._rate = None
        if self._errors or not self._completed:
            temporary.unlink(missing_ok=True)
            raise RuntimeError("; ".join(self._errors) or "the engine kept cancelling the clip")
        try:
            frames = check_wav(temporary)
        except ClipError:
            temporary.unlink(missing_ok=True)
            raise
        temporary.replace(final)
        return frames


def _voices(engine: Engine) -> list[tuple[str, str, tuple[str, ...]]]:
    voices = []
    with contextlib.suppress(Exception):  # a voice list is a nicety, not a requirement
        for voice in engine.getProperty("voices") or ():
            languages = tuple(
                lang.decode(errors="replace") if isinstance(lang, bytes) else str(lang)
                for lang in (getattr(voice, "languages", None) or ())
            )
            voices.append((str(voice.id), str(getattr(voice, "name", voice.id)), languages))
    return voices


def _default_voice(engine: Engine) -> str:
    with contextlib.suppress(Exception):
        return str(engine.getProperty("voice") or "")
    return ""


def _quiet_stdout() -> None:
    """The espeak driver prints "Audio saved to …" for every clip: send it nowhere.

    Pointing file descriptor 1 at the null device silences Python's prints and the C
    library's alike (and print() does nothing where sys.stdout is None).
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if sys.stdout is not None:
            sys.stdout.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)


def serve(conn: Connection, engine_factory: EngineFactory) -> None:
    """The worker's main loop (the target of the child process)."""
    # Ctrl-C in a terminal reaches the whole process group, this worker too: its end is
    # the app's to decide (a "quit" message, or a kill), never a KeyboardInterrupt here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _serve(conn, engine_factory)
    except (BrokenPipeError, ConnectionResetError):
        return  # the app went away (killed, say) while we answered: nothing to tell


def _serve(conn: Connection, engine_factory: EngineFactory) -> None:
    _quiet_stdout()
    try:
        engine = engine_factory()
        renderer = ClipRenderer(engine)
    except BaseException as exc:  # whatever stops the engine, the parent must hear of it
        conn.send({"op": "failed", "kind": type(exc).__name__, "error": str(exc)})
        return
    conn.send(
        {
            "op": "ready",
            "engine": describe_engine(engine),
            "voices": _voices(engine),
            "default_voice": _default_voice(engine),
        }
    )
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if message.get("op") != "render":
            return  # "quit", or anything we do not understand
        job = message["id"]
        try:
            frames = renderer.render(
                message["text"],
                message["voice"],
                message["rate"],
                Path(message["temporary"]),
                Path(message["path"]),
            )
        except ClipError as exc:
            conn.send({"op": "error", "id": job, "error": str(exc), "fatal": False})
            continue
        except Exception as exc:
            conn.send(
                {"op": "error", "id": job, "error": f"{type(exc).__name__}: {exc}", "fatal": True}
            )
            return
        conn.send({"op": "done", "id": job, "frames": frames})
