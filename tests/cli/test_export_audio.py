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
    args = argparse.Namespace(routine="squat-and-fold", out=out, rate=160, voice=None)
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


@pytest.mark.parametrize("name", ["guide.mp3", "guide.ogg", "guide.opus", "guide.flac", "guide"])
def test_only_wav_is_written_and_any_other_extension_is_refused(tmp_path, name):
    import argparse

    from loosen.commands import export_audio
    from loosen.commands.common import UserError

    clip = tmp_path / "clips" / "tone.wav"
    clip.parent.mkdir()
    with wave.open(str(clip), "wb") as tone:
        tone.setnchannels(1), tone.setsampwidth(2), tone.setframerate(22050)
        tone.writeframes(b"\x00\x10" * 2205)
    out = tmp_path / "out" / name
    out.parent.mkdir()
    args = argparse.Namespace(routine="squat-and-fold", out=out, rate=160, voice=None)
    with pytest.raises(UserError) as raised:
        export_audio.run(args, synthesizer=_WorkingSynth(clip))
    message = str(raised.value)
    assert "\n" not in message and message.startswith(f"{out}: ")
    assert (out.suffix or "without an extension") in message and ".wav" in message
    assert list(out.parent.iterdir()) == []  # nothing written, under any name

    wav = out.with_suffix(".wav")
    args.out = wav
    assert export_audio.run(args, synthesizer=_WorkingSynth(clip)) == 0
    with wave.open(str(wav), "rb") as guide:
        assert guide.getnframes() > 0


def test_the_cli_refuses_mp3_before_starting_a_voice(capsys, tmp_path):
    out = tmp_path / "x.mp3"
    assert cli.main(["export-audio", "squat-and-fold", str(out)]) == 1
    line = error_line(capsys)
    assert line == (
        f"loosen: {out}: .mp3 files are not supported; "
        "the audio guide is written as .wav (WAV audio)"
    )
    assert not out.exists()
