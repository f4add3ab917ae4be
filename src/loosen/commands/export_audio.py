"""`loosen export-audio ROUTINE OUT.wav`: the whole session as one spoken WAV file.

Each distinct cue is rendered once by the speech worker (clips already in the cache
are reused), then the guide is laid out by `core.audio.export_guide` (the app's
"Export audio guide…" runs the same): every cue at its offset, silence between, as
long as the plan. The plan's cues are fitted at the same speaking rate as the voice,
so their estimated lengths match what is heard.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from loosen.commands.common import EXIT_OK, UserError, find_routine, library
from loosen.core.audio import GuideError, check_writable, export_guide
from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE, MAX_RATE_WPM, MIN_RATE_WPM
from loosen.core.duration import format_clock
from loosen.core.plan import build_plan

if TYPE_CHECKING:
    from loosen.speech.synth import ClipSynthesizer


def register(subparsers: argparse._SubParsersAction, name: str) -> None:
    parser = subparsers.add_parser(
        name,
        help="write a routine as one spoken audio file",
        description="Write the whole session as one WAV file (mono, 16-bit, 22050 Hz): every "
        "spoken cue at its moment, silence in between, as long as the plan. Copy it to a "
        "phone to run with the break cues. A run routine without a total covers 60 minutes.",
    )
    parser.add_argument("routine", metavar="ROUTINE", help="a routine id from `loosen list`")
    parser.add_argument("out", metavar="OUT.wav", type=Path, help="the file to write")
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


def run(args: argparse.Namespace, synthesizer: ClipSynthesizer | None = None) -> int:
    """Export the guide; `synthesizer` lets tests and benchmarks bring their own."""
    routine = find_routine(library(), args.routine)
    if not MIN_RATE_WPM <= args.rate <= MAX_RATE_WPM:
        raise UserError(
            f"--rate {args.rate}: use {MIN_RATE_WPM} to {MAX_RATE_WPM} words per minute"
        )
    out = Path(args.out)
    try:
        check_writable(out)  # before starting the engine: fail fast
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
        plan = build_plan(routine, words_per_minute=args.rate)
        info = export_guide(plan, synth, out, clip_wait_s=LONGEST_CLIP_WAIT_S)
    except GuideError as exc:
        raise UserError(str(exc)) from None
    finally:
        if own:
            synth.close()
    print(
        f"wrote {out}: {format_clock(info.duration_s)}, {info.cues} cues, {_size(info.size_bytes)}"
    )
    return EXIT_OK
