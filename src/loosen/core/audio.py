"""Render a plan to one WAV file: every cue's clip at its offset, silence in between.

This is the audio guide a runner carries on a phone (`loosen export-audio`). It is pure
Python: clips come in as WAV files (rendered by the speech layer), the guide goes out
as mono 16-bit PCM at 22 050 Hz, the rate espeak-ng renders at, so clips from it are
copied as they are.

Choices, and why:

- A cue's clip starts at sample `round(cue.at_s * GUIDE_RATE_HZ)`, exactly when the
  plan says. Clips are read once per distinct text, however often the cue recurs.
- A clip's trailing silence is trimmed (espeak-ng ends every clip with ~0.35 s of it):
  it carries nothing and would only make neighbouring cues collide.
- When a clip is still speaking at the next cue's moment (the planner fits cues by an
  estimate of speaking time, and a real voice may be slower), the two are mixed:
  every cue still starts on time and nothing is cut mid-file. `GuideInfo.overlaps`
  counts these so the estimate can be tuned.
- The file lasts the plan's total. A clip that would run past it may extend the file
  by up to END_MARGIN_S (inside the ±0.5 s the guide promises); a clip that would run
  further, such as "Session complete", which sits exactly at the total, is pulled
  earlier into the silence before it (never over the previous clip), so the runner
  hears it whole. Only if there is no room is its end cut, at the end of the file.
- Clips in another format are converted: stereo is averaged to mono, 8/24/32-bit
  samples are scaled to 16-bit, and another sample rate is resampled by linear
  interpolation (plenty for speech, and no dependency).
- Silence is written in large zero blocks, so a 60-minute guide costs little more
  than writing its bytes. The guide is written to a new file beside `out`, on the disk
  (fsync), then renamed over it: a failure or a full disk never leaves half a file
  behind, and an earlier guide stays whole until the new one is complete.
- Only a regular file is replaced (keeping its permissions), or a new name made.
  Anything else at `out` is refused before any work, and checked again just before
  the rename, without following it or opening it: a symbolic link (replacing it
  would lose the link, following it writes where the name does not say), a device
  (`/dev/null` must never become a file), a named pipe (opening it would block), a
  folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
import uuid
import wave
from array import array
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from loosen.core.phases import Plan

GUIDE_RATE_HZ = 22050
SAMPLE_BYTES = 2  # 16-bit PCM
END_MARGIN_S = 0.45  # how far a final clip may run past the plan's total
SILENT_LEVEL = 64  # |sample| at or below this counts as silence when trimming (≈ -54 dBFS)
CLIPS_SHARE = 0.3  # of the progress bar: gathering clips; the rest is writing
CLIP_WAIT_S = 120.0  # default longest wait for one clip (the synthesizer's own timeouts are less)
_POLL_S = 0.1  # how often a wait for a clip looks whether it was cancelled
_ZEROS = bytes(1 << 20)  # one block of silence, reused for every gap
_MAX_DATA_BYTES = 0xFFFF_FFFF - 64  # a WAV file's sizes are 32-bit
# The formats a guide is written in, by file extension (the first is the default). Only
# WAV until a compressed format is really encoded: one format is never written under
# another's name.
GUIDE_FORMATS: dict[str, str] = {".wav": "WAV audio"}


class GuideError(Exception):
    """The guide cannot be written; the message is one line for the user."""


class GuideCancelled(Exception):
    """The export was cancelled; nothing was left behind."""


class ClipSource(Protocol):
    """What renders cue text to WAV clips (the speech layer's ClipSynthesizer)."""

    def prerender(self, texts: Sequence[str]) -> list[Future[Path]]: ...


@dataclass(frozen=True)
class GuideInfo:
    path: Path
    duration_s: float
    cues: int  # cues laid in the guide
    clips: int  # distinct clips read
    size_bytes: int
    overlaps: int  # cues that began while an earlier clip was still speaking (mixed)
    moved: int  # final cues pulled earlier so that they end with the file
    sample_rate_hz: int = GUIDE_RATE_HZ


def read_clip(path: Path, rate_hz: int = GUIDE_RATE_HZ) -> array[int]:
    """A clip as mono 16-bit samples at `rate_hz`, trailing silence trimmed."""
    try:
        with wave.open(str(path), "rb") as clip:
            channels = clip.getnchannels()
            width = clip.getsampwidth()
            source_rate = clip.getframerate()
            data = clip.readframes(clip.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise GuideError(f"{path}: not a readable WAV clip ({exc})") from None
    samples = _to_int16(data, width, path)
    if channels > 1:
        frames = range(0, len(samples) - channels + 1, channels)
        samples = array("h", (sum(samples[i : i + channels]) // channels for i in frames))
    if source_rate != rate_hz:
        samples = resample(samples, source_rate, rate_hz)
    return trim_trailing_silence(samples)


def _to_int16(data: bytes, width: int, path: Path) -> array[int]:
    if width == 2:
        samples = array("h")
        samples.frombytes(data[: len(data) - len(data) % 2])
        if sys.byteorder == "big":
            samples.byteswap()  # WAV data is little-endian
        return samples
    if width == 1:  # 8-bit WAV is unsigned
        return array("h", ((b - 128) << 8 for b in data))
    if width in (3, 4):  # keep the top 16 bits of each little-endian sample
        return array(
            "h",
            (
                int.from_bytes(data[i + width - 2 : i + width], "little", signed=True)
                for i in range(0, len(data) - width + 1, width)
            ),
        )
    raise GuideError(f"{path}: {width * 8}-bit samples are not supported")


def resample(samples: array[int], from_hz: int, to_hz: int) -> array[int]:
    """Linear interpolation between neighbouring samples: simple, and fine for speech."""
    if from_hz == to_hz or not samples:
        return array("h", samples)
    count = max(1, round(len(samples) * to_hz / from_hz))
    step = from_hz / to_hz
    last = len(samples) - 1
    out = array("h", bytes(2 * count))
    for i in range(count):
        position = i * step
        left = min(int(position), last)
        right = min(left + 1, last)
        fraction = position - left
        out[i] = round(samples[left] + (samples[right] - samples[left]) * fraction)
    return out


def trim_trailing_silence(samples: array[int]) -> array[int]:
    end = len(samples)
    while end > 0 and abs(samples[end - 1]) <= SILENT_LEVEL:
        end -= 1
    return samples[:end]


def _mix_into(target: array[int], offset: int, clip: array[int]) -> None:
    """Add `clip` into `target` from `offset`, saturating at the 16-bit limits."""
    if offset + len(clip) > len(target):
        target.extend(bytes(2 * (offset + len(clip) - len(target))))  # zero-extend
    for i, value in enumerate(clip):
        mixed = target[offset + i] + value
        target[offset + i] = 32767 if mixed > 32767 else -32768 if mixed < -32768 else mixed


@dataclass
class _Placement:
    start: int  # in samples from the start of the guide
    clip: array[int]

    @property
    def end(self) -> int:
        return self.start + len(self.clip)


def _fit_the_end(placements: list[_Placement], limit: int) -> int:
    """Pull clips that would run past `limit` earlier, never over the clip before; count them."""
    moved = 0
    previous_end = 0
    for placement in placements:
        if placement.end > limit:
            earlier = max(limit - len(placement.clip), previous_end, 0)
            if earlier < placement.start:
                placement.start = earlier
                moved += 1
        previous_end = max(previous_end, placement.end)
    return moved


class _GuideWriter:
    """Streams samples into a WAV file, counting what it wrote for progress."""

    def __init__(
        self, target: wave.Wave_write, total: int, progress: Callable[[float], None] | None
    ) -> None:
        self.target = target
        self.total = max(total, 1)
        self.written = 0
        self.progress = progress
        self._reported = 0.0

    def silence(self, count: int) -> None:
        remaining = count * SAMPLE_BYTES
        block = memoryview(_ZEROS)
        while remaining > 0:
            size = min(remaining, len(_ZEROS))
            self.target.writeframesraw(block[:size])
            remaining -= size
        self._advance(count)

    def samples(self, samples: array[int]) -> None:
        if not samples:
            return
        if sys.byteorder == "big":
            samples = array("h", samples)
            samples.byteswap()
        self.target.writeframesraw(samples.tobytes())
        self._advance(len(samples))

    def _advance(self, count: int) -> None:
        self.written += count
        fraction = CLIPS_SHARE + (1 - CLIPS_SHARE) * min(1.0, self.written / self.total)
        if self.progress is not None and fraction - self._reported >= 0.01:
            self._reported = fraction
            self.progress(fraction)


def _temporary_beside(out: Path) -> Path:
    """A name of our own beside `out` (opened with "x": never a file someone put there)."""
    return out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")


def _cannot_write(out: Path, exc: OSError) -> GuideError:
    reason = exc.strerror or str(exc)
    return GuideError(f"{out}: cannot write: {reason}")


# What may be at `out` instead of a file (its lstat type), and what the user is told.
_NOT_A_FILE = {
    stat.S_IFLNK: "it is a symbolic link; name the file it points to, or a new file",
    stat.S_IFCHR: "it is a device, not a file",
    stat.S_IFBLK: "it is a device, not a file",
    stat.S_IFIFO: "it is a named pipe (FIFO), not a file",
    stat.S_IFSOCK: "it is a socket, not a file",
}


def check_target(out: Path) -> None:
    """A one-line GuideError unless `out` is a regular file (to be replaced whole) or a
    name not taken yet. `out` itself is never followed nor opened."""
    try:
        mode = out.lstat().st_mode
    except FileNotFoundError:
        return  # a new file: whether its folder takes one is found by writing beside it
    except OSError as exc:  # e.g. a file where a folder of the path should be
        raise _cannot_write(out, exc) from None
    if stat.S_ISDIR(mode):
        raise GuideError(f"{out}: cannot write: it is a folder")
    if not stat.S_ISREG(mode):
        what = _NOT_A_FILE.get(stat.S_IFMT(mode), "it is not a regular file")
        raise GuideError(f"{out}: not replaced: {what}")


def check_format(out: Path) -> None:
    """A one-line GuideError unless `out`'s extension is a format the guide is written in."""
    if out.suffix.lower() in GUIDE_FORMATS:
        return
    what = f"{out.suffix} files are" if out.suffix else "a name without an extension is"
    supported = ", ".join(f"{ext} ({name})" for ext, name in GUIDE_FORMATS.items())
    raise GuideError(f"{out}: {what} not supported; the audio guide is written as {supported}")


def check_writable(out: Path) -> None:
    """Fail now, with a one-line GuideError, if `out` cannot be written (before slow work):
    not a file (check_target), a format not supported, a folder that is missing or
    takes no new file."""
    check_target(out)
    check_format(out)
    probe = _temporary_beside(out)
    try:
        with probe.open("xb"):
            pass
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    probe.unlink(missing_ok=True)


def write_guide(
    plan: Plan,
    clip_for: Callable[[str], Path],
    out: Path,
    *,
    progress: Callable[[float], None] | None = None,
) -> GuideInfo:
    """Write `plan` as one WAV file at `out`: each cue's clip (`clip_for(text)`) at its offset.

    `clip_for` is called once per distinct cue text, in the order the cues are heard, so
    it may wait for a clip still being rendered; its exceptions propagate and nothing is
    written. A path that cannot be written raises GuideError before any clip is asked
    for. `progress` gets rising fractions from 0 to 1.
    """
    out = Path(out)
    rate = GUIDE_RATE_HZ
    total = round(plan.total_s * rate)
    limit = total + round(END_MARGIN_S * rate)
    if limit * SAMPLE_BYTES > _MAX_DATA_BYTES:
        raise GuideError(
            f"{out}: a {plan.total_s / 3600:.1f}-hour guide is too long for a WAV file"
        )
    check_writable(out)
    # Clips first, then the file: a failing clip is never mistaken for a write error,
    # and `clip_for` may wait on rendering without holding a half-written file open.
    texts = {cue.text for cue in plan.cues}
    clips: dict[str, array[int]] = {}
    placements: list[_Placement] = []
    for cue in sorted(plan.cues, key=lambda c: c.at_s):
        if cue.text not in clips:
            clips[cue.text] = read_clip(Path(clip_for(cue.text)), rate)
            if progress is not None:
                progress(CLIPS_SHARE * len(clips) / len(texts))
        start = min(max(0, round(cue.at_s * rate)), total)
        placements.append(_Placement(start, clips[cue.text]))
    moved = _fit_the_end(placements, limit)
    placements.sort(key=lambda p: p.start)
    length = min(limit, max([total, *(p.end for p in placements)]))

    temporary = _temporary_beside(out)
    try:
        with temporary.open("xb") as raw:
            with wave.open(raw, "wb") as target:
                target.setnchannels(1)
                target.setsampwidth(SAMPLE_BYTES)
                target.setframerate(rate)
                overlaps = _lay_out(placements, length, _GuideWriter(target, length, progress))
            os.fsync(raw.fileno())  # on the disk before it takes the earlier guide's place
        check_target(out)  # again: the export took a while, and what is at `out` may have changed
        with contextlib.suppress(FileNotFoundError):
            temporary.chmod(stat.S_IMODE(out.lstat().st_mode))  # a replaced guide keeps its mode
        temporary.replace(out)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _cannot_write(out, exc) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(1.0)
    return GuideInfo(
        path=out,
        duration_s=length / rate,
        cues=len(placements),
        clips=len(clips),
        size_bytes=out.stat().st_size,
        overlaps=overlaps,
        moved=moved,
    )


def _lay_out(placements: list[_Placement], length: int, writer: _GuideWriter) -> int:
    """Write `length` samples: the clips at their starts (mixed where they overlap), silence
    elsewhere. Returns how many clips began while another was still sounding."""
    cursor = 0  # samples written so far
    pending = array("h")  # audio from `cursor` on that is not written yet
    overlaps = 0
    for placement in placements:
        start = placement.start
        if start >= cursor + len(pending):
            writer.samples(pending)
            writer.silence(start - cursor - len(pending))
            cursor, pending = start, array("h", placement.clip)
        else:
            overlaps += 1
            _mix_into(pending, start - cursor, placement.clip)
    pending = pending[: max(0, length - cursor)]
    writer.samples(pending)
    writer.silence(length - cursor - len(pending))
    return overlaps


def export_guide(
    plan: Plan,
    clips: ClipSource,
    out: Path,
    *,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    clip_wait_s: float = CLIP_WAIT_S,
) -> GuideInfo:
    """The audio guide of `plan` at `out`, with clips from `clips`: what both
    `loosen export-audio` and the app's "Export audio guide…" run.

    Every distinct cue is queued for rendering at once (first heard, first made), then
    the guide is written as they arrive. `progress` gets rising fractions: up to
    CLIPS_SHARE while clips come in, then the writing. `cancelled` is asked between
    clips and while waiting for one; when it says yes, GuideCancelled is raised and no
    file (not even a partial one) is left. A clip that fails or never comes is a
    GuideError with the speech layer's one-line reason.
    """
    out = Path(out)
    check_writable(out)  # before any rendering: fail fast

    def check() -> None:
        if cancelled is not None and cancelled():
            raise GuideCancelled("the export was cancelled")

    texts = list(dict.fromkeys(cue.text for cue in sorted(plan.cues, key=lambda c: c.at_s)))
    futures = dict(zip(texts, clips.prerender(texts), strict=True))

    def clip_for(text: str) -> Path:
        future = futures[text]
        deadline = time.monotonic() + clip_wait_s
        while True:
            check()
            try:
                return future.result(timeout=min(_POLL_S, max(0.0, deadline - time.monotonic())))
            except FutureTimeout:
                if time.monotonic() >= deadline:
                    raise GuideError(f'the speech engine gave no clip for "{text}"') from None
            except RuntimeError as exc:  # the speech layer's errors say what to do
                raise GuideError(str(exc)) from None

    def report(fraction: float) -> None:
        if fraction < 1.0:  # at 1.0 the file is in place: too late to take it back
            check()  # stops the writing part way too: the partial file is removed
        if progress is not None:
            progress(fraction)

    check()
    return write_guide(plan, clip_for, out, progress=report)
