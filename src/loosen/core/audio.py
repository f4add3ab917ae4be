"""Render a plan to one audio file: every cue's clip at its offset, silence in between.

This is the audio guide a runner carries on a phone (`loosen export-audio`). Clips come
in as WAV files (rendered by the speech layer); the guide is mono speech at 22 050 Hz,
the rate espeak-ng renders at, so clips from it are copied as they are, and it goes out
as MP3, Ogg Vorbis, Opus, FLAC or WAV, by the name's extension (GUIDE_FORMATS).

The encoding is libsndfile's, through `soundfile` (its wheels carry libsndfile 1.2 with
LAME, Vorbis, Opus and FLAC built in): no ffmpeg at run time, and one library for every
format. Tags and chapters are written by `core.guide_tags` (mutagen) into the finished
file before it takes its place.

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
- The guide is streamed: clips are laid and silence written in blocks straight into
  the encoder, so memory holds the distinct clips and one block, whatever the length
  (a 10-hour guide stays well under 100 MB; `benchmarks/export.py` measures it).
- Opus takes only 8, 12, 16, 24 or 48 kHz: its guide is made at 24 kHz (clips are
  resampled as they are read), enough for speech, half the work of 48 kHz.
- A WAV file's sizes are 32-bit: a guide that would pass 4 GB as WAV is refused before
  any work, saying which formats hold it.
- Silence is written in large zero blocks, so a 60-minute guide costs little more
  than encoding its bytes. The guide is written to a new file beside `out`, on the disk
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
from typing import TYPE_CHECKING, Protocol

from loosen.core.guide_tags import TAGS_ID3, TAGS_RIFF_ID3, TAGS_VORBIS, write_tags
from loosen.core.outing import Chapter, Outing
from loosen.core.phases import Plan

if TYPE_CHECKING:
    from soundfile import SoundFile

GUIDE_RATE_HZ = 22050
SAMPLE_BYTES = 2  # 16-bit PCM
END_MARGIN_S = 0.45  # how far a final clip may run past the plan's total
SILENT_LEVEL = 64  # |sample| at or below this counts as silence when trimming (≈ -54 dBFS)
CLIPS_SHARE = 0.3  # of the progress bar: gathering clips; the rest is writing
CLIP_WAIT_S = 120.0  # default longest wait for one clip (the synthesizer's own timeouts are less)
_POLL_S = 0.1  # how often a wait for a clip looks whether it was cancelled
BLOCK_SAMPLES = 1 << 16  # how much silence goes to the encoder at a time
_ZEROS = bytes(BLOCK_SAMPLES * SAMPLE_BYTES)  # one block of silence, reused for every gap
_WAV_LIMIT_BYTES = 0xFFFF_FFFF  # a WAV file's sizes are 32-bit
_WAV_TAGS_ROOM = 64 * 1024  # header, and the tags and chapters appended to it
OPUS_RATE_HZ = 24000  # the Opus rate nearest the guide's own (8/12/16/24/48 kHz only)


@dataclass(frozen=True)
class GuideFormat:
    """One way a guide is written, with the encoder settings that keep speech small."""

    name: str  # what `--format` takes
    extension: str
    label: str  # for the save dialog's filter
    container: str  # libsndfile's major format
    subtype: str
    rate_hz: int = GUIDE_RATE_HZ
    tags: str = TAGS_VORBIS  # how its tags and chapters are written (core.guide_tags)
    # libsndfile's knobs (≥ 1.1): for MP3, constant 56 kbit/s at 22 050 Hz (0.7 maps to
    # it): 25 MB an hour, and a constant rate lets a phone seek to a chapter exactly.
    compression_level: float | None = None
    bitrate_mode: str | None = None


# The formats a guide is written in (the first is the default); one format is never
# written under another's name.
GUIDE_FORMATS: dict[str, GuideFormat] = {
    f.name: f
    for f in (
        GuideFormat(
            "mp3",
            ".mp3",
            "MP3 audio",
            "MP3",
            "MPEG_LAYER_III",
            tags=TAGS_ID3,
            compression_level=0.7,
            bitrate_mode="CONSTANT",
        ),
        GuideFormat("ogg", ".ogg", "Ogg Vorbis audio", "OGG", "VORBIS"),
        GuideFormat("opus", ".opus", "Opus audio", "OGG", "OPUS", rate_hz=OPUS_RATE_HZ),
        GuideFormat("flac", ".flac", "FLAC audio", "FLAC", "PCM_16"),
        GuideFormat("wav", ".wav", "WAV audio", "WAV", "PCM_16", tags=TAGS_RIFF_ID3),
    )
}


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
    """Streams 16-bit samples into the encoder, block by block, counting them for progress."""

    def __init__(
        self, target: SoundFile, total: int, progress: Callable[[float], None] | None
    ) -> None:
        self.target = target
        self.total = max(total, 1)
        self.written = 0
        self.progress = progress
        self._reported = 0.0

    def silence(self, count: int) -> None:
        block = memoryview(_ZEROS)
        remaining = count
        while remaining > 0:
            size = min(remaining, BLOCK_SAMPLES)
            self.target.buffer_write(block[: size * SAMPLE_BYTES], dtype="int16")
            remaining -= size
            self._advance(size)

    def samples(self, samples: array[int]) -> None:
        for start in range(0, len(samples), BLOCK_SAMPLES):
            block = samples[start : start + BLOCK_SAMPLES]
            self.target.buffer_write(block.tobytes(), dtype="int16")  # native order, as told
            self._advance(len(block))

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


def supported_formats() -> str:
    """The extensions a guide is written as, for a one-line message."""
    extensions = [f.extension for f in GUIDE_FORMATS.values()]
    return ", ".join(extensions[:-1]) + " or " + extensions[-1]


def guide_format(out: Path, format_name: str | None = None) -> GuideFormat:
    """The format `out` is written in: `format_name` when given, else its extension's.
    A one-line GuideError for any other extension (or none)."""
    if format_name is not None:
        if format_name.lower() in GUIDE_FORMATS:
            return GUIDE_FORMATS[format_name.lower()]
        raise GuideError(
            f"--format {format_name}: not a format of the audio guide; "
            f"use {', '.join(GUIDE_FORMATS)}"
        )
    for candidate in GUIDE_FORMATS.values():
        if out.suffix.lower() == candidate.extension:
            return candidate
    what = f"{out.suffix} files are" if out.suffix else "a name without an extension is"
    raise GuideError(
        f"{out}: {what} not supported; the audio guide is written as {supported_formats()}"
    )


def check_format(out: Path, format_name: str | None = None) -> None:
    """A one-line GuideError unless `out` is written in a format of the guide."""
    guide_format(out, format_name)


def check_length(plan: Plan, out: Path, format_name: str | None = None) -> None:
    """A one-line GuideError when the guide cannot be held in its format (WAV past 4 GB)."""
    chosen = guide_format(out, format_name)
    if chosen.container != "WAV":
        return
    samples = round((plan.total_s + END_MARGIN_S) * chosen.rate_hz)
    if samples * SAMPLE_BYTES + _WAV_TAGS_ROOM > _WAV_LIMIT_BYTES:
        others = ", ".join(f.extension for f in GUIDE_FORMATS.values() if f is not chosen)
        raise GuideError(
            f"{out}: a {plan.total_s / 3600:.1f}-hour guide passes the 4 GB a WAV file "
            f"can hold; write it as {others} instead"
        )


def check_writable(out: Path, format_name: str | None = None) -> None:
    """Fail now, with a one-line GuideError, if `out` cannot be written (before slow work):
    not a file (check_target), a format not supported, a folder that is missing or
    takes no new file."""
    check_target(out)
    check_format(out, format_name)
    probe = _temporary_beside(out)
    try:
        with probe.open("xb"):
            pass
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    probe.unlink(missing_ok=True)


def _encode(
    temporary: Path,
    chosen: GuideFormat,
    placements: list[_Placement],
    length: int,
    progress: Callable[[float], None] | None,
) -> int:
    """Encode the laid-out guide into `temporary` (a new file); the overlaps counted."""
    # Here, not at the top: soundfile loads numpy and libsndfile, which only an export needs.
    import soundfile

    with temporary.open("xb") as raw:
        try:
            with soundfile.SoundFile(
                raw.fileno(),
                "w",
                samplerate=chosen.rate_hz,
                channels=1,
                format=chosen.container,
                subtype=chosen.subtype,
                closefd=False,
                compression_level=chosen.compression_level,
                bitrate_mode=chosen.bitrate_mode,
            ) as target:
                return _lay_out(placements, length, _GuideWriter(target, length, progress))
        except soundfile.SoundFileRuntimeError as exc:
            # libsndfile says only "System error"; the errno its failed write left says
            # which (a full disk, most often), as the user is told for any other write.
            code = soundfile._ffi.errno
            raise (OSError(code, os.strerror(code)) if code else OSError(str(exc))) from None


def write_guide(
    plan: Plan,
    clip_for: Callable[[str], Path],
    out: Path,
    *,
    progress: Callable[[float], None] | None = None,
    format_name: str | None = None,
    title: str | None = None,
    chapters: Sequence[Chapter] = (),
) -> GuideInfo:
    """Write `plan` as one audio file at `out`: each cue's clip (`clip_for(text)`) at its
    offset, in `format_name` or the format of `out`'s extension, tagged with `title`
    (the plan's routine id when None) and `chapters`.

    `clip_for` is called once per distinct cue text, in the order the cues are heard, so
    it may wait for a clip still being rendered; its exceptions propagate and nothing is
    written. A path that cannot be written raises GuideError before any clip is asked
    for. `progress` gets rising fractions from 0 to 1.
    """
    out = Path(out)
    check_writable(out, format_name)
    check_length(plan, out, format_name)
    chosen = guide_format(out, format_name)
    rate = chosen.rate_hz
    total = round(plan.total_s * rate)
    limit = total + round(END_MARGIN_S * rate)
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
        overlaps = _encode(temporary, chosen, placements, length, progress)
        write_tags(
            temporary,
            chosen.tags,
            title=title if title is not None else plan.routine_id,
            chapters=chapters,
            duration_s=length / rate,
        )
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())  # on the disk before it takes the earlier guide's place
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
        sample_rate_hz=rate,
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
    guide: Plan | Outing,
    clips: ClipSource,
    out: Path,
    *,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    clip_wait_s: float = CLIP_WAIT_S,
    format_name: str | None = None,
) -> GuideInfo:
    """The audio guide of `guide` (one routine's plan, or a whole outing with its title
    and chapters) at `out`, with clips from `clips`: what both `loosen export-audio`
    and the app's "Export audio guide…" run.

    Every distinct cue is queued for rendering at once (first heard, first made), then
    the guide is written as they arrive. `progress` gets rising fractions: up to
    CLIPS_SHARE while clips come in, then the writing. `cancelled` is asked between
    clips and while waiting for one; when it says yes, GuideCancelled is raised and no
    file (not even a partial one) is left. A clip that fails or never comes is a
    GuideError with the speech layer's one-line reason.
    """
    out = Path(out)
    plan = guide.plan if isinstance(guide, Outing) else guide
    check_writable(out, format_name)  # before any rendering: fail fast
    check_length(plan, out, format_name)

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
    return write_guide(
        plan,
        clip_for,
        out,
        progress=report,
        format_name=format_name,
        title=guide.title if isinstance(guide, Outing) else None,
        chapters=guide.chapters if isinstance(guide, Outing) else (),
    )
