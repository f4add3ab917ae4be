"""The one owner of the speech engine: turns cue text into cached WAV clips, never blocking.

`ClipSynthesizer` keeps a pyttsx3 engine in a child process (synth_worker.py) and feeds
it one clip at a time from a dispatcher thread. Callers get a `Future[Path]` at once:
`request()` for a clip needed now (it jumps the queue), `prerender()` for a session's
cues in order (first cues first). A clip is cached on disk under
`paths.cache_dir()/clips/`, named by a hash of (text, voice, rate, engine version), and
in memory, so the same request is answered at once; a request for a clip already on its
way gets that clip's future.

Why a process, not a thread. pyttsx3 hangs (a runAndWait that never returns is a
common report), its espeak driver cannot be re-initialised within a process, and two
threads on one engine crash or hang. A hung thread can never be stopped; a process
can be killed and replaced, and a crash in espeak's C code takes down only the worker.
It costs little. Measured on this stack (Python 3.11, pyttsx3 2.99, espeak-ng 1.51,
2 cores): a spawned worker is ready ~130 ms after start, ~70–110 ms of which is
pyttsx3's import, init and voice list, which a thread would spend too; a cue renders in
~11 ms (the espeak driver's loop sleeps 10 ms) plus a pipe round trip well under 1 ms;
a cached clip is answered in ~0.03 ms. The "spawn" start method is used everywhere: it
never forks a process that has Qt threads running, it behaves the same on Linux, macOS
and Windows, and on macOS it gives the engine the main thread of its own process, as
NSSpeechSynthesizer wants. (A frozen app must call `multiprocessing.freeze_support()`
first thing in main.)

Failure handling: a clip that takes longer than `clip_timeout_s` fails with
ClipTimedOut and the worker is killed; the next clip starts a fresh one. After
`max_restarts` consecutive failures, or when the engine cannot start at all (no
espeak-ng: pyttsx3's init raises RuntimeError), the status turns UNAVAILABLE with a
one-line reason for the UI and every future fails fast with SpeechUnavailable. Callers
never wait on the engine: the worst case is a future that fails.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from enum import StrEnum
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loosen import paths
from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE, MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.loader import did_you_mean
from loosen.sha256 import sha256_hex
from loosen.speech.synth_worker import EngineFactory, pyttsx3_engine, serve
from loosen.speech.voices import Voice

if TYPE_CHECKING:
    from loosen.core.settings import Settings

CLIP_TIMEOUT_S = 10.0  # longer than any cue takes to render (they take milliseconds)
START_TIMEOUT_S = 15.0  # a worker not ready by then is considered hung
MAX_RESTARTS = 3  # consecutive failures tolerated before speech is given up
# How long one clip may take at most: every clip is rendered or fails within this, as
# each hang ends in a timeout and a restart, and after MAX_RESTARTS in a row every
# clip fails at once. What a caller waiting on a clip's future may wait.
LONGEST_CLIP_WAIT_S = (MAX_RESTARTS + 1) * (CLIP_TIMEOUT_S + START_TIMEOUT_S)
CACHE_FORMAT = 1  # bump to invalidate every cached clip
STALE_PART_S = 3600.0  # leftovers of a killed worker older than this are removed

_HUNG, _GONE = "-hung", "-gone"  # replies made up by the parent when the worker gives none

Key = tuple[str, str | None, int]  # (text, voice id or None for the default, rate)


class _Current:
    """The voice in use now (None already means the engine's default voice)."""


_CURRENT = _Current()


class SynthState(StrEnum):
    STARTING = "starting"
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"
    CLOSED = "closed"


@dataclass(frozen=True)
class SynthStatus:
    state: SynthState
    reason: str = ""  # one plain line the UI can show when there is no voice
    engine: str = ""  # what renders the clips, e.g. "espeak-ng 1.51 via pyttsx3 2.99"
    detail: str = ""  # the underlying error, for a log

    @property
    def available(self) -> bool:
        return self.state is SynthState.AVAILABLE

    @property
    def message(self) -> str:
        """What to tell the user: the reason when there is no voice, else nothing."""
        return self.reason if self.state is SynthState.UNAVAILABLE else ""


class SpeechError(RuntimeError):
    """A clip could not be had; the message is one line for the user."""


class SpeechUnavailable(SpeechError):
    """There is no working speech engine (its message is the status reason)."""


class SpeechClosed(SpeechError):
    """The synthesizer was closed before the clip was made."""


class ClipFailed(SpeechError):
    """This clip could not be rendered; others may still work."""


class ClipTimedOut(ClipFailed):
    """The engine did not finish the clip in time; it was killed and will be restarted."""


def no_voice_reason(kind: str, error: str) -> str:
    """The line the user sees when no engine starts, with how to get a voice."""
    if sys.platform.startswith("linux") and kind in ("RuntimeError", "OSError"):
        return "No voice: install espeak-ng (sudo apt install espeak-ng) and restart Loosen"
    if kind in ("ModuleNotFoundError", "ImportError"):
        return "No voice: the pyttsx3 package is missing; reinstall Loosen to get it back"
    return f"No voice: the speech engine did not start ({kind}: {error})"


def _settle(
    future: Future[Path], *, path: Path | None = None, error: BaseException | None = None
) -> None:
    """Resolve a future, unless its caller cancelled it meanwhile."""
    with contextlib.suppress(InvalidStateError):
        if path is not None:
            future.set_result(path)
        else:
            future.set_exception(error or ClipFailed("the clip could not be made"))


def _failed(error: BaseException) -> Future[Path]:
    future: Future[Path] = Future()
    future.set_exception(error)
    return future


def _done(path: Path) -> Future[Path]:
    future: Future[Path] = Future()
    future.set_result(path)
    return future


@dataclass(eq=False)
class _Job:
    key: Key
    future: Future[Path] = field(default_factory=Future)
    started: bool = False


class ClipSynthesizer:
    """Renders cue text to WAV clips in a worker process; thread-safe; never blocks callers."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        *,
        engine_factory: EngineFactory = pyttsx3_engine,
        rate_wpm: float = DEFAULT_WORDS_PER_MINUTE,
        voice: str | None = None,
        clip_timeout_s: float = CLIP_TIMEOUT_S,
        start_timeout_s: float = START_TIMEOUT_S,
        max_restarts: int = MAX_RESTARTS,
        on_status: Callable[[SynthStatus], None] | None = None,
    ) -> None:
        """Starts the worker in the background; `on_status` is called (from the
        dispatcher thread) whenever the status changes."""
        self.cache_dir = Path(cache_dir) if cache_dir is not None else paths.cache_dir() / "clips"
        self._engine_factory = engine_factory
        self._rate = _checked_rate(rate_wpm)
        self._voice = voice
        self._clip_timeout_s = clip_timeout_s
        self._start_timeout_s = start_timeout_s
        self._max_restarts = max_restarts
        self._status_listeners = [on_status] if on_status is not None else []

        self._lock = threading.Condition()
        self._urgent: deque[_Job] = deque()  # request(): needed now
        self._background: deque[_Job] = deque()  # prerender(): in the order given
        self._inflight: dict[Key, _Job] = {}
        self._index: dict[Key, Path] = {}
        self._status = SynthStatus(SynthState.STARTING)
        self._voices: list[Voice] = []
        self._default_voice = ""
        self._closing = False
        self._process: Any = None  # a multiprocessing Process (spawn context)
        self._conn: Connection | None = None
        self._failures = 0  # consecutive
        self.renders = 0  # clips actually rendered by the engine (not served from a cache)
        self.last_start_s: float | None = None  # how long the last worker took to be ready

        self._thread = threading.Thread(target=self._run, name="loosen-speech", daemon=True)
        self._thread.start()

    # -- the caller's side (any thread) -----------------------------------------

    @property
    def status(self) -> SynthStatus:
        with self._lock:
            return self._status

    @property
    def rate_wpm(self) -> int:
        with self._lock:
            return self._rate

    @property
    def voice(self) -> str | None:
        with self._lock:
            return self._voice

    def add_status_listener(self, listener: Callable[[SynthStatus], None]) -> None:
        """Call `listener` with the status now, unless still starting, and on every change
        (from the dispatcher thread)."""
        with self._lock:
            self._status_listeners.append(listener)
            status = self._status
        if status.state is not SynthState.STARTING:
            listener(status)

    def wait_ready(self, timeout_s: float | None = None) -> SynthStatus:
        """Block until the engine started or failed (for the CLI and tests, not the UI)."""
        with self._lock:
            self._lock.wait_for(lambda: self._status.state is not SynthState.STARTING, timeout_s)
            return self._status

    def voices(self) -> list[Voice]:
        """The engine's voices; empty until it has started."""
        with self._lock:
            return list(self._voices)

    def set_voice(self, voice_id: str | None) -> None:
        """Use this voice for clips requested from now on (None: the engine's default)."""
        with self._lock:
            known = [v.id for v in self._voices]
            if voice_id is not None and known and voice_id not in known:
                hint = did_you_mean(voice_id, known)
                raise ValueError(f'no voice "{voice_id}"{hint}')
            self._voice = voice_id

    def set_rate(self, wpm: float) -> None:
        """Speak clips requested from now on at `wpm` words per minute."""
        rate = _checked_rate(wpm)
        with self._lock:
            self._rate = rate

    def request(self, text: str) -> Future[Path]:
        """The clip for `text` with the current voice and rate, ahead of any prerendering."""
        return self._submit(text, urgent=True)

    def request_sample(self, text: str, voice: str | None, rate_wpm: float) -> Future[Path]:
        """The clip for `text` in this voice and rate, whatever the current ones: a
        preview of a choice not yet made. Cached like any clip."""
        return self._submit(text, urgent=True, voice=voice, rate=_checked_rate(rate_wpm))

    def prerender(self, texts: Sequence[str]) -> list[Future[Path]]:
        """Queue clips behind any requests, in the order given; one future per text."""
        return [self._submit(text, urgent=False) for text in texts]

    def _submit(
        self,
        text: str,
        *,
        urgent: bool,
        voice: str | _Current | None = _CURRENT,
        rate: int | None = None,
    ) -> Future[Path]:
        if not text.strip():
            return _failed(ClipFailed("there is nothing to say in an empty cue"))
        with self._lock:
            key = (
                text,
                self._voice if isinstance(voice, _Current) else voice,
                self._rate if rate is None else rate,
            )
            if self._closing:
                return _failed(SpeechClosed("speech was shut down"))
            if self._status.state in (SynthState.UNAVAILABLE, SynthState.CLOSED):
                return _failed(self._unavailable_error())
            if key in self._index:
                return _done(self._index[key])
            job = self._inflight.get(key)
            if job is None or job.future.cancelled():
                job = _Job(key)
                self._inflight[key] = job
                (self._urgent if urgent else self._background).append(job)
            elif urgent and not job.started:
                self._urgent.append(job)  # promoted; the dispatcher skips it in the other queue
            self._lock.notify_all()
            return job.future

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop the worker; clips not yet made fail with SpeechClosed. Idempotent."""
        with self._lock:
            self._closing = True
            process = self._process
            self._lock.notify_all()
        if process is not None:
            # Whatever the worker is doing, it is no longer wanted; killing it also
            # wakes the dispatcher if it is waiting for a reply.
            with contextlib.suppress(Exception):
                process.kill()
        if threading.current_thread() is not self._thread:  # e.g. from a done-callback
            self._thread.join(timeout_s)

    def __enter__(self) -> ClipSynthesizer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the dispatcher thread ---------------------------------------------------

    def _run(self) -> None:
        try:
            if self._prepare_cache():
                self._start_worker()
            while (job := self._next_job()) is not None:
                self._serve(job)
        except Exception as exc:  # a bug here must not leave callers waiting forever
            self._give_up(f"No voice: the speech layer failed ({type(exc).__name__}: {exc})")
            raise
        finally:
            self._stop_worker()
            with self._lock:
                jobs = self._take_all_jobs()
            for job in jobs:
                _settle(job.future, error=SpeechClosed("speech was shut down"))
            self._set_status(SynthState.CLOSED, reason="speech was shut down")

    def _next_job(self) -> _Job | None:
        with self._lock:
            while not self._closing:
                for queue in (self._urgent, self._background):
                    while queue:
                        job = queue.popleft()
                        if job.started:
                            continue  # already served from the other queue
                        job.started = True
                        if job.future.set_running_or_notify_cancel():
                            return job
                        if self._inflight.get(job.key) is job:
                            del self._inflight[job.key]  # cancelled by its caller
                self._lock.wait()
            return None

    def _serve(self, job: _Job) -> None:
        text, voice, rate = job.key
        if self.status.state is SynthState.UNAVAILABLE:
            self._finish(job, error=self._unavailable_error())
            return
        known = {v.id for v in self.voices()}
        if voice is not None and known and voice not in known:
            voice = None  # a setting from another machine, say: the default beats silence
        # A clip rendered earlier (possibly by another run) needs no worker at all.
        if self.status.engine and (path := self._clip_path(job.key)).is_file():
            self._finish(job, path=path)
            return
        if self._conn is None and not self._start_worker():
            self._finish(job, error=self._unavailable_error())
            return
        path = self._clip_path(job.key)
        if path.is_file():
            self._finish(job, path=path)
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)  # in case it was cleaned meanwhile
        except OSError as exc:
            self._finish(job, error=ClipFailed(f"cannot write speech clips: {exc.strerror}"))
            return
        temporary = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.part")
        reply = self._ask(
            {
                "op": "render",
                "id": id(job),
                "text": text,
                "voice": voice,
                "rate": rate,
                "path": str(path),
                "temporary": str(temporary),
            },
            self._clip_timeout_s,
        )
        if reply.get("op") == "done":
            self._failures = 0
            self.renders += 1
            self._finish(job, path=path)
            return
        temporary.unlink(missing_ok=True)
        if self._closing:
            self._finish(job, error=SpeechClosed("speech was shut down"))
            return
        if reply["op"] in (_HUNG, _GONE):
            self._kill_worker()
            if reply["op"] == _HUNG:
                error: ClipFailed = ClipTimedOut(
                    f'the speech engine took longer than {self._clip_timeout_s:g} s on "{text}"; '
                    "it was restarted"
                )
            else:
                error = ClipFailed(f'the speech engine stopped unexpectedly on "{text}"')
            self._finish(job, error=error)
            self._count_failure(str(error))
            return
        error = ClipFailed(f'could not speak "{text}": {reply.get("error")}')
        if reply.get("fatal"):
            self._kill_worker()  # it exits by itself; make sure, and start afresh next time
            self._finish(job, error=error)
            self._count_failure(str(error))
        else:
            self._finish(job, error=error)

    def _ask(self, message: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        """Send one message and wait for the reply, or {"op": _HUNG} / {"op": _GONE}."""
        conn = self._conn
        if conn is None:
            return {"op": _GONE}
        try:
            conn.send(message)
            return self._reply(conn, timeout_s)
        except (EOFError, OSError):
            return {"op": _GONE}

    def _finish(
        self, job: _Job, *, path: Path | None = None, error: BaseException | None = None
    ) -> None:
        with self._lock:
            if self._inflight.get(job.key) is job:
                del self._inflight[job.key]
            if path is not None:
                self._index[job.key] = path
        # Outside the lock: done-callbacks run here and may call back into us.
        _settle(job.future, path=path, error=error)

    # -- the worker process ------------------------------------------------------

    def _start_worker(self) -> bool:
        """Start a worker and wait until it is ready; False when speech is unavailable."""
        while not self._closing:
            context = multiprocessing.get_context("spawn")
            conn, child_conn = context.Pipe(duplex=True)
            process = context.Process(
                target=serve,
                args=(child_conn, self._engine_factory),
                name="loosen-speech-worker",
                daemon=True,
            )
            started = time.perf_counter()
            try:
                process.start()
            except Exception as exc:  # e.g. the factory cannot be pickled, or no processes
                conn.close()
                child_conn.close()
                self._give_up(no_voice_reason(type(exc).__name__, str(exc)), detail=repr(exc))
                return False
            child_conn.close()  # ours; keeping it open would hide the worker's death
            with self._lock:
                self._process, self._conn = process, conn
            if self._closing:
                break
            reply = self._reply(conn, self._start_timeout_s)
            if reply["op"] == "ready":
                self.last_start_s = time.perf_counter() - started
                # (the failure count is reset by a rendered clip, not by a start)
                with self._lock:
                    self._voices = [Voice(i, n, tuple(langs)) for i, n, langs in reply["voices"]]
                    self._default_voice = reply.get("default_voice") or ""
                    if self._voices and self._voice not in {None, *(v.id for v in self._voices)}:
                        self._voice = None  # unknown here: speak with the default voice
                self._set_status(SynthState.AVAILABLE, engine=reply["engine"])
                return True
            self._kill_worker()
            if self._closing:
                break
            if reply["op"] == "failed":
                # The engine itself refused to start (no espeak-ng, say): retrying won't help.
                kind, error = reply.get("kind", "Error"), reply.get("error", "")
                self._give_up(no_voice_reason(kind, error), detail=f"{kind}: {error}")
                return False
            why = (
                f"the speech engine did not start within {self._start_timeout_s:g} s"
                if reply["op"] == _HUNG
                else "the speech engine stopped while starting"
            )
            if not self._count_failure(why):
                return False
        return False

    @staticmethod
    def _reply(conn: Connection, timeout_s: float) -> dict[str, Any]:
        try:
            if not conn.poll(timeout_s):
                return {"op": _HUNG}
            return conn.recv()
        except (EOFError, OSError):
            return {"op": _GONE}  # the worker died (or was killed by close())

    def _kill_worker(self) -> None:
        with self._lock:
            process, conn = self._process, self._conn
            self._process = self._conn = None
        if process is not None:
            with contextlib.suppress(Exception):
                process.kill()
                process.join(2.0)
                process.close()
        if conn is not None:
            conn.close()

    def _stop_worker(self) -> None:
        """Ask the worker to quit, and make sure it has."""
        with self._lock:
            process, conn = self._process, self._conn
        if conn is not None and process is not None:
            with contextlib.suppress(Exception):
                conn.send({"op": "quit"})
                process.join(1.0)
        self._kill_worker()

    def _count_failure(self, why: str) -> bool:
        """Note a hang or crash; False (and speech given up) when there were too many."""
        self._failures += 1
        if self._failures > self._max_restarts:
            self._give_up(
                "No voice: the speech engine keeps failing; restart Loosen to try again",
                detail=why,
            )
            return False
        return True

    def _give_up(self, reason: str, detail: str = "") -> None:
        self._set_status(SynthState.UNAVAILABLE, reason=reason, detail=detail)
        with self._lock:
            jobs = self._take_all_jobs()
        for job in jobs:
            _settle(job.future, error=SpeechUnavailable(reason))

    def _take_all_jobs(self) -> list[_Job]:
        """Every job not yet finished, queued or in flight (call with the lock held)."""
        jobs = {id(j): j for j in (*self._urgent, *self._background, *self._inflight.values())}
        self._urgent.clear()
        self._background.clear()
        self._inflight.clear()
        return [j for j in jobs.values() if not j.future.done()]

    # -- status and cache --------------------------------------------------------

    def _set_status(
        self, state: SynthState, *, reason: str = "", engine: str = "", detail: str = ""
    ) -> None:
        with self._lock:
            if self._status.state is SynthState.CLOSED:
                return
            if state is SynthState.CLOSED and self._status.state is SynthState.UNAVAILABLE:
                reason, detail = self._status.reason, self._status.detail
            status = SynthStatus(state, reason, engine or self._status.engine, detail)
            changed = status != self._status
            self._status = status
            self._lock.notify_all()
            listeners = list(self._status_listeners)
        if changed:
            for listener in listeners:
                listener(status)

    def _unavailable_error(self) -> SpeechError:
        status = self._status
        if status.state is SynthState.CLOSED:
            return SpeechClosed("speech was shut down")
        return SpeechUnavailable(status.reason or "No voice: the speech engine is not available")

    def _clip_path(self, key: Key) -> Path:
        text, voice, rate = key
        with self._lock:
            identity = [CACHE_FORMAT, self._status.engine, voice or self._default_voice, rate, text]
        digest = sha256_hex(json.dumps(identity, ensure_ascii=False).encode())
        return self.cache_dir / f"{digest[:32]}.wav"

    def _prepare_cache(self) -> bool:
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._give_up(
                f"No voice: cannot write speech clips to {self.cache_dir} ({exc.strerror})",
                detail=repr(exc),
            )
            return False
        now = time.time()
        with contextlib.suppress(OSError):
            for part in self.cache_dir.glob(".*.part"):
                with contextlib.suppress(OSError):
                    if now - part.stat().st_mtime > STALE_PART_S:
                        part.unlink()
        return True


def _checked_rate(wpm: float) -> int:
    rate = round(wpm)
    if not MIN_RATE_WPM <= rate <= MAX_RATE_WPM:
        raise ValueError(
            f"a speaking rate of {wpm:g} words per minute is out of range; "
            f"use {MIN_RATE_WPM} to {MAX_RATE_WPM}"
        )
    return rate


def start_synthesizer(
    cache_dir: Path | None = None,
    settings: Settings | None = None,
    *,
    on_status: Callable[[SynthStatus], None] | None = None,
) -> ClipSynthesizer:
    """The app's synthesizer, with the user's voice and rate. Returns at once: the status
    is STARTING until the worker is ready (~0.1–0.2 s); `on_status` hears the outcome."""
    voice = settings.voice if settings is not None else None
    rate = settings.rate_wpm if settings is not None else DEFAULT_WORDS_PER_MINUTE
    return ClipSynthesizer(cache_dir, voice=voice, rate_wpm=rate, on_status=on_status)
