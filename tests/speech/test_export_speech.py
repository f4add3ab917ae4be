"""The audio guide with real espeak-ng clips: the length of the plan, speech at every
work phase's start, silence between cues, and an hour-long run made from few clips."""

from __future__ import annotations

import itertools
import math
import wave
from array import array
from pathlib import Path

import pytest

from loosen.core.audio import GUIDE_RATE_HZ, read_clip, write_guide
from loosen.core.phases import PhaseKind, Plan
from loosen.core.plan import build_plan
from loosen.speech.synth import ClipSynthesizer

from helpers import routine, run_routine, step

pytestmark = pytest.mark.slow
RATE = GUIDE_RATE_HZ
WAIT_S = 10.0


def rms(samples: array) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


def export(synth: ClipSynthesizer, plan: Plan, out: Path):
    texts = list(dict.fromkeys(c.text for c in plan.cues))
    futures = dict(zip(texts, synth.prerender(texts), strict=True))
    info = write_guide(plan, lambda text: futures[text].result(WAIT_S), out)
    lengths = {text: len(read_clip(f.result())) / RATE for text, f in futures.items()}
    return info, lengths


def read_guide(path: Path) -> array:
    with wave.open(str(path), "rb") as guide:
        return array("h", guide.readframes(guide.getnframes()))


def test_a_routine_exports_as_speech_at_its_moments(make_synth, tmp_path):
    plan = build_plan(
        routine(
            step("Hip flexor lunge", duration_s=30.0, sides=True, say="Tuck your pelvis."),
            step("Glute bridge", duration_s=20.0, rest_s=15.0),
            step("Forward fold", duration_s=20.0),
        ),
        words_per_minute=160,
    )
    info, lengths = export(make_synth(rate_wpm=160), plan, tmp_path / "guide.wav")
    samples = read_guide(info.path)
    assert abs(len(samples) / RATE - plan.total_s) <= 0.5
    for phase in (p for p in plan.phases if p.kind is PhaseKind.WORK):
        start = round(phase.start_s * RATE)
        assert rms(samples[start : start + round(0.3 * RATE)]) > 1000, phase
    # Where nothing is due for a while, the guide is silent.
    quiet = [
        (a.at_s + lengths[a.text], b.at_s)
        for a, b in itertools.pairwise(sorted(plan.cues, key=lambda c: c.at_s))
        if b.at_s - (a.at_s + lengths[a.text]) > 1.0
    ]
    assert len(quiet) >= 3
    for start, end in quiet:
        middle = samples[round((start + 0.2) * RATE) : round((end - 0.2) * RATE)]
        assert rms(middle) < 30, (start, end)
    assert info.clips == len(lengths)


def test_an_hour_long_run_is_made_from_a_few_clips(make_synth, tmp_path):
    plan = build_plan(run_routine(total_s=3600.0))
    synth = make_synth()
    info, lengths = export(synth, plan, tmp_path / "run.wav")
    assert abs(info.duration_s - 3600.0) <= 0.5
    assert synth.renders == len(lengths) == info.clips < info.cues


def test_an_outing_exports_as_an_mp3_with_speech_at_every_work_start_and_its_chapters(
    make_synth, tmp_path
):
    """Real espeak-ng speech, encoded as MP3 and read back by soundfile and mutagen."""
    import mutagen.mp3
    import soundfile

    from loosen.core.audio import export_guide
    from loosen.core.outing import plan_outing

    warm_up = routine(step("Leg swings", duration_s=20.0, say="Hold the wall."))
    cooldown = routine(step("Forward fold", duration_s=20.0), step("Bridge", duration_s=15.0))
    outing = plan_outing([warm_up, cooldown], words_per_minute=160)
    info = export_guide(outing, make_synth(rate_wpm=160), tmp_path / "outing.mp3")
    samples, rate = soundfile.read(info.path, dtype="int16")
    assert abs(len(samples) / rate - outing.plan.total_s) <= 0.5
    works = [p for p in outing.plan.phases if p.kind is PhaseKind.WORK]
    assert len(works) == 3
    for phase in works:
        start = round(phase.start_s * rate)
        assert rms(array("h", samples[start : start + round(0.3 * rate)].tobytes())) > 1000, phase
    tags = mutagen.mp3.MP3(info.path).tags
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.start_time / 1000 for c in chapters] == [round(c.start_s, 3) for c in outing.chapters]
    assert str(chapters[1].sub_frames["TIT2"]) == "Test routine: Forward fold"
