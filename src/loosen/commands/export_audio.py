"""`loosen export-audio ROUTINE [ROUTINE...] OUT`: a whole outing as one spoken audio file.

The routines are laid end to end (`core.outing`), each distinct cue is rendered once
by the speech worker (clips already in the cache are reused), then the guide is laid
out and encoded by `core.audio.export_guide` (the app's "Export audio guide…" runs
the same): every cue at its offset, silence between, as long as the plans together,
in the format of OUT's extension (or `--format`), with tags and chapters. The plans'
cues are fitted at the same speaking rate as the voice, so their estimated lengths
match what is heard. On a terminal, one line on stderr shows how far it has got.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from loosen.commands.common import EXIT_OK, UserError, find_routine, library
from loosen.core.audio import (
    GUIDE_FORMATS,
    GuideError,
    check_length,
    check_writable,
    export_guide,
    supported_formats,
)
from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE, MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.duration import format_clock
from loosen.core.outing import plan_outing

if TYPE_CHECKING:
    from loosen.speech.synth import ClipSynthesizer


def register(subparsers: argparse._SubParsersAction, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="write routines as one spoken audio file",
        description="Write the whole session as one audio file: every spoken cue at its "
        "moment, silence in between, as long as the plan. Several routines (a warm-up, "
        "a run, a cooldown) are laid end to end in one guide, as long as their plans "
        "together, with a chapter at each routine, step and break. The format follows "
        f"OUT's extension: {supported_formats()}, mono speech. Copy it to a phone to "
        "run with the break cues. A run routine without a total covers 60 minutes.",
    )
    parser.add_argument(
        "routines",
        metavar="ROUTINE",
        nargs="+",
        help="a routine id from `loosen list`; several are played one after another",
    )
    parser.add_argument("out", metavar="OUT", type=Path, help="the file to write")
    parser.add_argument(
        "--format",
        choices=list(GUIDE_FORMATS),
        help="the format to write, whatever OUT's extension (default: by the extension)",
    )
    parser.add_argument(
        "--rate",
        metavar="WPM",
        type=int,
        default=DEFAULT_WORDS_PER_MINUTE,
        help=f"speaking rate in words per minute, {MIN_RATE_WPM}-{MAX_RATE_WPM} "
        f"(default {DEFAULT_WORDS_PER_MINUTE})",
    )
    parser.add_argument("--voice", metavar="ID", help="a voice id of the speech engine")
    parser.set_defaults(handler=run)


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1_000_000:.1f} MB"


def progress_line(out: Path, fraction: float) -> str:
    """What the terminal shows while the guide is written (one line, redrawn in place)."""
    return f"\rwriting {out.name}: {min(100, int(fraction * 100)):3d} %"


def terminal_progress(out: Path, stream: TextIO) -> Callable[[float], None] | None:
    """A progress reporter writing to `stream` when it is a terminal, else None."""
    if not stream.isatty():
        return None
    shown = [""]

    def report(fraction: float) -> None:
        line = progress_line(out, fraction)
        if line != shown[0]:
            shown[0] = line
            stream.write(line)
            stream.flush()

    return report


def run(args: argparse.Namespace, synthesizer: ClipSynthesizer | None = None) -> int:
    """Export the guide; `synthesizer` lets tests and benchmarks bring their own."""
    lib = library()
    routines = [find_routine(lib, name) for name in args.routines]
    if not MIN_RATE_WPM <= args.rate <= MAX_RATE_WPM:
        raise UserError(
            f"--rate {args.rate}: use {MIN_RATE_WPM} to {MAX_RATE_WPM} words per minute"
        )
    out = Path(args.out)
    format_name = args.format
    try:
        check_writable(out, format_name)  # before starting the engine: fail fast
        outing = plan_outing(routines, words_per_minute=args.rate)
        check_length(outing.plan, out, format_name)
    except GuideError as exc:
        raise UserError(str(exc)) from None

    own = synthesizer is None
    # Here, not at the top: every other `loosen` command would pay for loading it.
    from loosen.speech.synth import LONGEST_CLIP_WAIT_S, START_TIMEOUT_S, ClipSynthesizer

    synth = synthesizer if synthesizer is not None else ClipSynthesizer()
    try:
        status = synth.wait_ready(START_TIMEOUT_S + 1)
        if not status.available:
            reason = status.reason or "No voice: the speech engine did not start"
            raise UserError(reason.replace(" and restart Loosen", ""))
        if args.voice is not None:
            try:
                synth.set_voice(args.voice)
            except ValueError as exc:
                raise UserError(f"--voice: {exc}; `espeak-ng --voices` lists them") from None
        synth.set_rate(args.rate)
        progress = terminal_progress(out, sys.stderr)
        try:
            info = export_guide(
                outing,
                synth,
                out,
                clip_wait_s=LONGEST_CLIP_WAIT_S,
                format_name=format_name,
                progress=progress,
            )
        finally:
            if progress is not None:
                sys.stderr.write("\n")  # the error or the summary starts a line of its own
    except GuideError as exc:
        raise UserError(str(exc)) from None
    finally:
        if own:
            synth.close()
    print(
        f"wrote {out}: {format_clock(info.duration_s)}, {info.cues} cues, {_size(info.size_bytes)}"
    )
    return EXIT_OK
