"""The audio guide: clips at their plan offsets, silence between, as long as the plan.

Clips here are made up (tones, or constant levels whose sums are easy to check), so
these tests need no speech engine; tests/speech/test_export_speech.py does the same
with real espeak-ng clips.
"""

from __future__ import annotations

import itertools
import math
import wave
from array import array
from pathlib import Path

import pytest

from loosen.core.audio import (
    END_MARGIN_S,
    GUIDE_RATE_HZ,
    GuideError,
    read_clip,
    resample,
    write_guide,
)
from loosen.core.cues import Cue, CueKind
from loosen.core.phases import Phase, PhaseKind, Plan
from loosen.core.plan import build_plan

from helpers import routine, run_routine, step

RATE = GUIDE_RATE_HZ


def write_wav(
    path: Path, samples: list[int], *, rate: int = RATE, channels: int = 1, width: int = 2
) -> Path:
    if width == 2:
        data = array("h", (s for s in samples for _ in range(channels))).tobytes()
    else:
        data = bytes((s >> 8) + 128 for s in samples for _ in range(channels))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(data)
    return path


def tone(seconds: float, rate: int = RATE, amplitude: int = 8000) -> list[int]:
    return [
        round(amplitude * math.sin(2 * math.pi * 440 * i / rate))
        for i in range(round(seconds * rate))
    ]


def level(seconds: float, value: int) -> list[int]:
    return [value] * round(seconds * RATE)


def read_guide(path: Path) -> array:
    with wave.open(str(path), "rb") as guide:
        assert (guide.getnchannels(), guide.getsampwidth(), guide.getframerate()) == (1, 2, RATE)
        return array("h", guide.readframes(guide.getnframes()))


def window(samples: array, start_s: float, length_s: float) -> array:
    return samples[round(start_s * RATE) : round((start_s + length_s) * RATE)]


def rms(samples: array) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


class ToneClips:
    """clip_for: one tone file per distinct text, counting how often each is asked for."""

    def __init__(self, folder: Path, seconds: float = 0.6) -> None:
        self.folder, self.seconds = folder, seconds
        self.asked: dict[str, int] = {}

    def __call__(self, text: str) -> Path:
        self.asked[text] = self.asked.get(text, 0) + 1
        return write_wav(self.folder / f"{len(self.asked)}.wav", tone(self.seconds))


def one_phase_plan(total_s: float, *cues: tuple[float, str]) -> Plan:
    phase = Phase(PhaseKind.WORK, 0.0, total_s, "Hold")
    return Plan(
        "made-up",
        (phase,),
        total_s,
        tuple(Cue(at, 0, at, text, CueKind.START) for at, text in cues),
    )


@pytest.fixture
def cooldown_plan() -> Plan:
    return build_plan(
        routine(
            step("Lunge", duration_s=40.0, sides=True),
            step("Bridge", duration_s=30.0, rest_s=15.0),
            step("Fold", duration_s=20.0),
        )
    )


def test_the_guide_lasts_the_plan_with_sound_at_each_work_start_and_silence_between(
    tmp_path, cooldown_plan
):
    clips = ToneClips(tmp_path)
    info = write_guide(cooldown_plan, clips, tmp_path / "guide.wav")
    samples = read_guide(info.path)
    assert abs(len(samples) / RATE - cooldown_plan.total_s) <= 0.5
    assert info.duration_s == len(samples) / RATE
    # 16-bit PCM, with a header and the title's tag chunk around it.
    assert 2 * len(samples) < info.size_bytes < 2 * len(samples) + 4096
    works = [p for p in cooldown_plan.phases if p.kind is PhaseKind.WORK]
    assert len(works) == 4
    for phase in works:
        assert rms(window(samples, phase.start_s, 0.3)) > 2000, phase
    # Between cues (each clip lasts 0.6 s), the guide is exactly silent.
    starts = sorted(c.at_s for c in cooldown_plan.cues)
    gaps = [(a + 0.6, b) for a, b in itertools.pairwise(starts) if b - a > 2.0]
    assert gaps
    for start, end in gaps:
        assert max(map(abs, window(samples, start + 0.1, end - start - 0.2))) == 0


def test_each_distinct_clip_is_asked_for_once(tmp_path, cooldown_plan):
    clips = ToneClips(tmp_path)
    info = write_guide(cooldown_plan, clips, tmp_path / "guide.wav")
    assert set(clips.asked.values()) == {1}
    assert info.clips == len({c.text for c in cooldown_plan.cues}) == len(clips.asked)
    assert info.cues == len(cooldown_plan.cues) > info.clips  # "three", "two"… recur


def test_a_clip_starts_on_its_exact_sample(tmp_path):
    plan = one_phase_plan(5.0, (1.234, "A"))
    clip = write_wav(tmp_path / "a.wav", level(0.5, 1000))
    samples = read_guide(write_guide(plan, lambda _t: clip, tmp_path / "g.wav").path)
    first = next(i for i, s in enumerate(samples) if s)
    assert first == round(1.234 * RATE)
    assert len(samples) == 5 * RATE


def test_overlapping_clips_are_mixed_so_each_starts_on_time(tmp_path):
    plan = one_phase_plan(5.0, (1.0, "A"), (1.5, "B"))
    clips = {
        "A": write_wav(tmp_path / "a.wav", level(1.0, 1000)),
        "B": write_wav(tmp_path / "b.wav", level(1.0, 2000)),
    }
    info = write_guide(plan, clips.__getitem__, tmp_path / "g.wav")
    samples = read_guide(info.path)

    def at(s):
        return samples[round(s * RATE)]

    assert (at(0.5), at(1.2), at(1.7), at(2.2), at(2.7)) == (0, 1000, 3000, 2000, 0)
    assert info.overlaps == 1


def test_mixing_saturates_instead_of_wrapping_around(tmp_path):
    plan = one_phase_plan(3.0, (0.5, "A"), (0.6, "B"))
    loud = write_wav(tmp_path / "loud.wav", level(1.0, 30000))
    samples = read_guide(write_guide(plan, lambda _t: loud, tmp_path / "g.wav").path)
    assert samples[round(0.8 * RATE)] == 32767


def test_a_final_cue_at_the_total_is_pulled_in_and_heard_whole(tmp_path):
    plan = build_plan(routine(step("Hold", duration_s=20.0, countdown=0), get_ready_s=0))
    assert plan.cues[-1].text == "Session complete" and plan.cues[-1].at_s == 20.0
    clip = write_wav(tmp_path / "c.wav", level(1.0, 1000))
    info = write_guide(plan, lambda _t: clip, tmp_path / "g.wav")
    samples = read_guide(info.path)
    assert len(samples) == round((20.0 + END_MARGIN_S) * RATE)  # within the ±0.5 s
    assert info.moved == 1
    tail = samples[-RATE:]
    assert list(tail) == [1000] * RATE  # the whole clip, ending with the file


def test_a_final_clip_never_moves_over_the_one_before(tmp_path):
    plan = one_phase_plan(10.0, (8.5, "before"), (10.0, "last"))
    clip = write_wav(tmp_path / "c.wav", level(1.2, 1000))
    info = write_guide(plan, lambda _t: clip, tmp_path / "g.wav")
    samples = read_guide(info.path)
    assert len(samples) == round((10.0 + END_MARGIN_S) * RATE)
    assert max(samples) == 1000 and info.overlaps == 0  # never mixed with the one before
    assert info.moved == 1
    # It starts where the clip before ends (9.7 s); what is left over is cut at the end.
    assert samples[round(8.5 * RATE) :] == array("h", [1000] * (len(samples) - round(8.5 * RATE)))


def test_trailing_silence_of_a_clip_is_trimmed(tmp_path):
    clip = write_wav(tmp_path / "c.wav", level(0.5, 1000) + [0] * RATE)
    assert len(read_clip(clip)) == RATE // 2


def test_clips_in_other_formats_are_converted(tmp_path):
    at_16k = write_wav(tmp_path / "16k.wav", tone(1.0, rate=16000), rate=16000)
    assert abs(len(read_clip(at_16k)) - RATE) <= 1
    stereo_8bit = write_wav(tmp_path / "8bit.wav", level(0.5, 4096), channels=2, width=1)
    converted = read_clip(stereo_8bit)
    assert len(converted) == RATE // 2 and set(converted) == {4096}


def test_resampling_interpolates_between_samples():
    assert list(resample(array("h", [0, 100, 200]), 11025, 22050)) == [0, 50, 100, 150, 200, 200]
    assert list(resample(array("h", [0, 100, 200, 300]), 22050, 11025)) == [0, 200]


def test_an_unreadable_clip_is_a_clear_error(tmp_path, cooldown_plan):
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"not a wav")
    with pytest.raises(GuideError, match=r"broken\.wav: not a readable WAV clip"):
        write_guide(cooldown_plan, lambda _t: broken, tmp_path / "g.wav")
    assert list(tmp_path.iterdir()) == [broken]  # nothing half-written left behind


@pytest.mark.parametrize(
    ("make_out", "reason"),
    [
        (lambda d: (d / "a-file").with_suffix(".txt") / "guide.wav", "Not a directory"),
        (lambda d: d / "missing" / "guide.wav", "No such file or directory"),
        (lambda d: d, "it is a folder"),
    ],
    ids=["parent is a file", "parent missing", "a folder"],
)
def test_an_unwritable_path_fails_before_any_clip_is_made(
    tmp_path, cooldown_plan, make_out, reason
):
    (tmp_path / "a-file.txt").write_text("")
    out = make_out(tmp_path)
    clips = ToneClips(tmp_path)
    with pytest.raises(GuideError) as caught:
        write_guide(cooldown_plan, clips, out)
    assert str(caught.value) == f"{out}: cannot write: {reason}"
    assert clips.asked == {}


def test_a_failing_clip_leaves_no_file(tmp_path, cooldown_plan):
    def failing(text: str) -> Path:
        raise RuntimeError(f"no clip for {text}")

    with pytest.raises(RuntimeError, match="no clip for"):
        write_guide(cooldown_plan, failing, tmp_path / "g.wav")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_guide_is_replaced_whole(tmp_path, cooldown_plan):
    out = tmp_path / "g.wav"
    out.write_bytes(b"old" * 1000)
    write_guide(cooldown_plan, ToneClips(tmp_path), out)
    assert len(read_guide(out)) >= cooldown_plan.total_s * RATE
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_progress_rises_to_one(tmp_path, cooldown_plan):
    seen: list[float] = []
    write_guide(cooldown_plan, ToneClips(tmp_path), tmp_path / "g.wav", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 10


def test_an_hour_long_run_renders_reusing_its_clips(tmp_path):
    plan = build_plan(run_routine(total_s=3600.0))
    clips = ToneClips(tmp_path, seconds=1.0)
    info = write_guide(plan, clips, tmp_path / "run.wav")
    assert abs(info.duration_s - 3600.0) <= 0.5
    assert 0 < info.size_bytes - 2 * round(info.duration_s * RATE) < 4096
    assert set(clips.asked.values()) == {1} and info.cues > info.clips
    with wave.open(str(info.path), "rb") as guide:
        guide.setpos(round(plan.cues[0].at_s * RATE))
        assert rms(array("h", guide.readframes(RATE // 4))) > 2000
