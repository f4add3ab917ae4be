"""`loosen export-audio ROUTINE OUT.wav`: one WAV as long as the plan, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from functools import partial
from pathlib import Path

import pytest

from loosen import cli
from loosen.speech.synth import ClipSynthesizer

MINE = (
    'format = 1\nname = "Mine"\n[defaults]\nget_ready = "5s"\n'
    '[[steps]]\nname = "Lunge"\nduration = "20s"\nsides = true\nrest = "10s"\n'
    '[[steps]]\nname = "Bridge"\nduration = "15s"\n'
)


def engine_missing():
    """An engine factory for the worker process: what pyttsx3 does without espeak-ng."""
    raise RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!")


def error_line(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    return lines[0]


@pytest.mark.slow
def test_export_writes_the_whole_plan_as_one_wav(capsys, user_routines, tmp_path):
    (user_routines / "mine.toml").write_text(MINE)
    assert cli.main(["plan", "mine", "--json"]) == 0
    total = json.loads(capsys.readouterr().out)["total"]
    out = tmp_path / "mine.wav"
    assert cli.main(["export-audio", "mine", str(out), "--rate", "150"]) == 0
    printed = capsys.readouterr().out.strip()
    with wave.open(str(out), "rb") as guide:
        params = guide.getparams()
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 22050)
    assert abs(params.nframes / 22050 - total) <= 0.5
    size_mb = out.stat().st_size / 1_000_000
    assert printed.startswith(f"wrote {out}: 1:") and printed.endswith(f" cues, {size_mb:.1f} MB")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_an_unknown_routine_is_one_line_with_a_suggestion(capsys, tmp_path):
    assert cli.main(["export-audio", "squat-and-fld", str(tmp_path / "x.wav")]) == 1
    line = error_line(capsys)
    assert line.startswith('loosen: no routine "squat-and-fld"') and "squat-and-fold" in line


@pytest.mark.parametrize(
    ("where", "reason"),
    [("a-file/x.wav", "Not a directory"), ("missing/x.wav", "No such file or directory")],
)
def test_an_unwritable_path_is_one_line(capsys, tmp_path, where, reason):
    # Tests run as root, where permissions do not stop a write: use impossible paths.
    (tmp_path / "a-file").write_text("")
    out = tmp_path / where
    assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 1
    assert error_line(capsys) == f"loosen: {out}: cannot write: {reason}"


def test_no_speech_engine_says_how_to_get_one(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(
        "loosen.speech.synth.ClipSynthesizer",
        partial(ClipSynthesizer, engine_factory=engine_missing),
    )
    out = tmp_path / "x.wav"
    assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 1
    line = error_line(capsys)
    assert line.startswith("loosen: No voice: ")
    if sys.platform.startswith("linux"):
        assert line == "loosen: No voice: install espeak-ng (sudo apt install espeak-ng)"
    assert not out.exists()


def test_a_rate_out_of_range_is_refused(capsys, tmp_path):
    assert cli.main(["export-audio", "squat-and-fold", str(tmp_path / "x.wav"), "--rate", "9"]) == 1
    assert error_line(capsys) == "loosen: --rate 9: use 80 to 450 words per minute"


@pytest.mark.slow
def test_an_unknown_voice_is_refused_with_a_suggestion(capsys, tmp_path):
    out = tmp_path / "x.wav"
    assert cli.main(["export-audio", "squat-and-fold", str(out), "--voice", "gmw/en-uss"]) == 1
    line = error_line(capsys)
    assert line.startswith('loosen: --voice: no voice "gmw/en-uss"') and "gmw/en-us" in line
    assert not out.exists()


def test_the_command_loads_no_qt():
    code = (
        "import sys\n"
        "from loosen.commands import export_audio\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print('QT:' + ','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    assert result.stdout.strip() == "QT:"


class _FailingSynth:
    """A started engine whose clips fail, as after repeated hangs."""

    rate_wpm = 160

    def wait_ready(self, timeout_s=None):
        from loosen.speech.synth import SynthState, SynthStatus

        return SynthStatus(SynthState.AVAILABLE)

    def set_rate(self, wpm):
        self.rate_wpm = wpm

    def prerender(self, texts):
        from concurrent.futures import Future

        from loosen.speech.synth import ClipFailed

        futures = [Future() for _ in texts]
        for future in futures:
            future.set_exception(ClipFailed("the speech engine keeps failing"))
        return futures

    def close(self):
        pass


def test_a_clip_that_fails_is_one_line_and_leaves_no_file(tmp_path):
    import argparse

    from loosen.commands import export_audio
    from loosen.commands.common import UserError

    out = tmp_path / "x.wav"
    args = argparse.Namespace(
        routines=["squat-and-fold"], out=out, rate=160, voice=None, format=None
    )
    with pytest.raises(UserError) as raised:
        export_audio.run(args, synthesizer=_FailingSynth())
    assert str(raised.value) == "the speech engine keeps failing"
    assert list(tmp_path.iterdir()) == []


class _WorkingSynth(_FailingSynth):
    """A started engine whose every clip is a short tone, rendered at once."""

    def __init__(self, clip: Path) -> None:
        self.clip = clip

    def prerender(self, texts):
        from concurrent.futures import Future

        futures = [Future() for _ in texts]
        for future in futures:
            future.set_result(self.clip)
        return futures


def tone_clip(folder: Path) -> Path:
    """A short 440 Hz tone at the guide's rate (a lossy codec keeps a tone)."""
    import math

    clip = folder / "tone.wav"
    samples = b"".join(
        round(8000 * math.sin(2 * math.pi * 440 * i / 22050)).to_bytes(2, "little", signed=True)
        for i in range(4410)
    )
    with wave.open(str(clip), "wb") as tone:
        tone.setnchannels(1), tone.setsampwidth(2), tone.setframerate(22050)
        tone.writeframes(samples)
    return clip


@pytest.fixture
def working_voice(monkeypatch, tmp_path):
    """The CLI's voice, replaced by one that gives a tone for every cue at once."""
    folder = tmp_path / "clips"
    folder.mkdir()
    clip = tone_clip(folder)
    monkeypatch.setattr("loosen.speech.synth.ClipSynthesizer", lambda *a, **k: _WorkingSynth(clip))


def plan_total(capsys, *routine_ids: str) -> float:
    totals = []
    for routine_id in routine_ids:
        assert cli.main(["plan", routine_id, "--json"]) == 0
        totals.append(json.loads(capsys.readouterr().out)["total"])
    return sum(totals)


@pytest.mark.parametrize("extension", [".mp3", ".ogg", ".opus", ".flac", ".wav"])
def test_the_format_follows_the_extension(capsys, working_voice, tmp_path, extension):
    import soundfile

    total = plan_total(capsys, "squat-and-fold")
    out = tmp_path / f"guide{extension}"
    assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: 1:")
    info = soundfile.info(str(out))
    assert info.channels == 1 and abs(info.duration - total) <= 0.5
    expected = {".mp3": "MP3", ".ogg": "OGG", ".opus": "OGG", ".flac": "FLAC", ".wav": "WAV"}
    assert info.format == expected[extension]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clips", out.name]


def test_format_overrides_the_extension(capsys, working_voice, tmp_path):
    import mutagen.mp3

    out = tmp_path / "guide.audio"
    assert cli.main(["export-audio", "squat-and-fold", str(out), "--format", "mp3"]) == 0
    assert mutagen.mp3.MP3(out).info.length > 60


@pytest.mark.parametrize("name", ["guide.m4a", "guide.aac", "guide"])
def test_any_other_extension_is_refused_in_one_line_and_nothing_is_written(
    capsys, working_voice, tmp_path, name
):
    out = tmp_path / "out" / name
    out.parent.mkdir()
    assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 1
    line = error_line(capsys)
    assert line.startswith(f"loosen: {out}: ") and (out.suffix or "without an extension") in line
    assert line.endswith("the audio guide is written as .mp3, .ogg, .opus, .flac or .wav")
    assert list(out.parent.iterdir()) == []  # nothing written, under any name


def test_several_routines_make_one_guide_as_long_as_their_plans_with_chapters(
    capsys, working_voice, tmp_path
):
    from mutagen.id3 import ID3

    routines = ["dynamic-warm-up", "squat-and-fold", "post-run-cooldown"]
    total = plan_total(capsys, *routines)
    out = tmp_path / "outing.mp3"
    assert cli.main(["export-audio", *routines, str(out)]) == 0
    capsys.readouterr()
    import soundfile

    assert abs(soundfile.info(str(out)).duration - total) <= 0.5
    tags = ID3(out)
    assert str(tags["TIT2"]) == "Dynamic warm-up + Squat and fold + Post-run cooldown"
    assert str(tags["TPE1"]) == "Loosen"
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    titles = [str(c.sub_frames["TIT2"]) for c in chapters]
    starts = {
        t.split(":")[0]: c.start_time / 1000
        for t, c in zip(titles, chapters, strict=True)
        if ":" in t
    }
    warm_up = plan_total(capsys, "dynamic-warm-up")
    assert starts == {
        "Dynamic warm-up": 0.0,
        "Squat and fold": warm_up,
        "Post-run cooldown": warm_up + plan_total(capsys, "squat-and-fold"),
    }
    assert len(titles) > 10  # a chapter per step as well


def test_help_says_several_routines_make_one_guide(capsys):
    with pytest.raises(SystemExit):
        cli.main(["export-audio", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "ROUTINE [ROUTINE ...] OUT" in text
    assert "laid end to end in one guide" in text and ".mp3, .ogg, .opus, .flac or .wav" in text


def test_a_wav_past_4_gb_is_refused_before_a_voice_starts(
    capsys, monkeypatch, user_routines, tmp_path
):
    long_run = (
        'format = 1\nname = "Day"\nkind = "run"\n[interval]\nactivity = "Walk"\n'
        'total = "14h"\nevery = "20m"\nbreak = "squat-and-fold"\n'
    )
    (user_routines / "day.toml").write_text(long_run)
    monkeypatch.setattr("loosen.speech.synth.ClipSynthesizer", engine_missing)
    out = tmp_path / "day.wav"
    assert cli.main(["export-audio", "day", "day", str(out)]) == 1  # 28 hours
    line = error_line(capsys)
    assert line.startswith(f"loosen: {out}: a 28.0-hour guide passes the 4 GB")
    assert ".mp3" in line and list(tmp_path.iterdir()) == []


def test_progress_is_one_line_redrawn_in_place():
    from loosen.commands.export_audio import progress_line

    lines = [progress_line(Path("/x/run.mp3"), f) for f in (0.0, 0.423, 1.0)]
    assert lines == [
        "\rwriting run.mp3:   0 %",
        "\rwriting run.mp3:  42 %",
        "\rwriting run.mp3: 100 %",
    ]
    assert all("\n" not in line for line in lines)


def test_progress_shows_on_a_terminal_and_not_in_a_pipe(capsys, working_voice, tmp_path):
    import io
    import os
    import select

    from loosen.commands.export_audio import terminal_progress

    assert terminal_progress(Path("g.mp3"), io.StringIO()) is None  # a pipe or file
    main, other = os.openpty()
    with os.fdopen(other, "w") as terminal, os.fdopen(main, "rb", buffering=0) as screen:
        report = terminal_progress(Path("g.mp3"), terminal)
        assert report is not None
        for fraction in (0.1, 0.1, 0.5, 1.0):
            report(fraction)
        expected = "\rwriting g.mp3:  10 %\rwriting g.mp3:  50 %\rwriting g.mp3: 100 %"
        # The kernel hands a terminal's output over in pieces, in its own time: read
        # until it has all come (or a second passes quiet, and the line is short).
        shown = b""
        while len(shown) < len(expected) and select.select([screen], [], [], 1.0)[0]:
            shown += screen.read(200)
    assert shown.decode() == expected


def test_the_export_leaves_no_progress_in_a_pipe(capsys, working_voice, tmp_path):
    out = tmp_path / "g.ogg"
    assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.startswith(f"wrote {out}")
