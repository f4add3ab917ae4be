"""The guide in every format, read back by readers that are not Loosen's writer.

soundfile reads the samples back (its decoders, not the encoder's state), mutagen the
tags and chapters, ffprobe the chapters too where it is installed. Clips are tones (a
lossy codec keeps a tone, not a constant level), so no speech engine is needed;
tests/speech/test_export_speech.py exports real espeak-ng speech as MP3.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import mutagen
import pytest
import soundfile
from mutagen.id3 import ID3
from mutagen.wave import WAVE
from test_audio import ToneClips, one_phase_plan

from loosen.core.audio import GUIDE_FORMATS, GuideError, export_guide, write_guide
from loosen.core.guide_tags import ALBUM, ARTIST, chapter_clock
from loosen.core.outing import Outing, plan_outing
from loosen.core.phases import PhaseKind

from helpers import routine, run_routine, step

FORMATS = list(GUIDE_FORMATS)


@pytest.fixture
def outing() -> Outing:
    warm_up = replace(
        routine(
            step("Leg swings", duration_s=20.0, sides=True),
            step("Squats", duration_s=15.0, sets=2, rest_s=5.0),
        ),
        name="Warm-up",
    )
    cooldown = replace(routine(step("Fold", duration_s=20.0)), name="Cooldown")
    return plan_outing([warm_up, cooldown])


def export(outing: Outing, tmp_path: Path, name: str, **kwargs):
    clips = ToneClips(tmp_path / "clips", seconds=0.5)
    clips.folder.mkdir(exist_ok=True)
    return write_guide(
        outing.plan,
        clips,
        tmp_path / name,
        title=outing.title,
        chapters=outing.chapters,
        **kwargs,
    )


def rms(samples, start_s: float, length_s: float, rate: int) -> float:
    window = samples[round(start_s * rate) : round((start_s + length_s) * rate)]
    return math.sqrt(sum(float(s) ** 2 for s in window) / len(window)) if len(window) else 0.0


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_reads_back_as_long_as_the_plan_with_sound_at_every_work_start(
    tmp_path, outing, name
):
    chosen = GUIDE_FORMATS[name]
    info = export(outing, tmp_path, f"guide{chosen.extension}")
    samples, rate = soundfile.read(info.path, dtype="int16")
    assert samples.ndim == 1 and rate == chosen.rate_hz
    assert abs(len(samples) / rate - outing.plan.total_s) <= 0.5
    works = [p for p in outing.plan.phases if p.kind is PhaseKind.WORK]
    assert len(works) == 5
    for phase in works:
        assert rms(samples, phase.start_s + 0.05, 0.3, rate) > 1000, phase
    # The middle of a long hold is silence (a lossy codec leaves at most a whisper).
    hold = works[-1]
    assert rms(samples, hold.start_s + 3.0, 3.0, rate) < 30
    with soundfile.SoundFile(info.path) as read:
        assert read.format == chosen.container


def vorbis_chapters(tags) -> list[tuple[str, str]]:
    keys = {key.upper() for key, _value in tags}  # a list of (key, value) pairs
    numbers = sorted(k[7:10] for k in keys if k.startswith("CHAPTER") and len(k) == 10)
    return [(tags[f"CHAPTER{n}"][0], tags[f"CHAPTER{n}NAME"][0]) for n in numbers]


def id3_chapters(tags: ID3) -> list[tuple[float, float, str]]:
    (toc,) = tags.getall("CTOC")
    chapters = [tags[f"CHAP:{element}"] for element in toc.child_element_ids]
    return [(c.start_time / 1000, c.end_time / 1000, str(c.sub_frames["TIT2"])) for c in chapters]


@pytest.mark.parametrize("name", FORMATS)
def test_tags_and_chapters_are_read_back_by_mutagen(tmp_path, outing, name):
    chosen = GUIDE_FORMATS[name]
    info = export(outing, tmp_path, f"guide{chosen.extension}")
    assert outing.title == "Warm-up + Cooldown"
    expected = [(round(c.start_s, 3), c.title) for c in outing.chapters]
    assert expected[0] == (0.0, "Warm-up: Leg swings")
    assert ("Cooldown: Fold" in [title for _, title in expected]) and len(expected) == 3
    if name in ("mp3", "wav"):
        tags = (ID3(info.path) if name == "mp3" else WAVE(info.path).tags) or {}
        assert str(tags["TIT2"]) == outing.title
        assert str(tags["TPE1"]) == ARTIST and str(tags["TALB"]) == ALBUM
        read = id3_chapters(tags)
        assert [(start, title) for start, _, title in read] == expected
        assert read[-1][1] == pytest.approx(
            info.duration_s, abs=0.001
        )  # the last one ends the file
    else:
        tags = mutagen.File(info.path).tags
        assert tags["TITLE"] == [outing.title] and tags["ARTIST"] == [ARTIST]
        assert vorbis_chapters(tags) == [(chapter_clock(s), t) for s, t in expected]


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs ffprobe")
@pytest.mark.parametrize("name", ["mp3", "ogg", "opus", "flac"])
def test_ffprobe_sees_the_chapters_and_the_length(tmp_path, outing, name):
    info = export(outing, tmp_path, f"guide{GUIDE_FORMATS[name].extension}")
    probed = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-of", "json", "-show_chapters", "-show_format", info.path],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    assert abs(float(probed["format"]["duration"]) - outing.plan.total_s) <= 0.5
    starts = [round(float(c["start_time"]), 1) for c in probed["chapters"]]
    assert starts == [round(c.start_s, 1) for c in outing.chapters]


def test_chapter_times_are_written_as_players_read_them():
    assert chapter_clock(0.0) == "00:00:00.000"
    assert chapter_clock(3723.4567) == "01:02:03.457"


@pytest.mark.parametrize(("name", "most_mb"), [("mp3", 30.0), ("opus", 12.0)])
def test_an_hour_of_guide_fits_the_size_the_phone_needs(tmp_path, name, most_mb):
    """An hour's size, from 10 minutes of a run guide (the benchmark writes whole hours)."""
    plan = plan_outing([run_routine(total_s=600.0)]).plan
    clips = ToneClips(tmp_path, seconds=1.5)
    info = write_guide(plan, clips, tmp_path / f"run{GUIDE_FORMATS[name].extension}")
    assert info.size_bytes * 3600 / info.duration_s / 1e6 <= most_mb


def test_format_overrides_the_extension(tmp_path, outing):
    info = export(outing, tmp_path, "guide.audio", format_name="mp3")
    assert soundfile.info(info.path).format == "MP3"


@pytest.mark.parametrize("name", ["guide.m4a", "guide.wave", "guide", "guide.MP3.txt"])
def test_any_other_extension_is_one_line_and_nothing_is_written(tmp_path, outing, name):
    out = tmp_path / "out" / name
    out.parent.mkdir()
    clips = ToneClips(tmp_path)
    with pytest.raises(GuideError) as raised:
        write_guide(outing.plan, clips, out)
    message = str(raised.value)
    assert "\n" not in message and message.startswith(f"{out}: ")
    assert (out.suffix or "without an extension") in message
    assert all(f.extension in message for f in GUIDE_FORMATS.values())
    assert clips.asked == {} and list(out.parent.iterdir()) == []


def test_an_unknown_format_name_is_refused(tmp_path, outing):
    with pytest.raises(GuideError, match=r"--format aac: .* mp3, ogg, opus, flac, wav"):
        write_guide(outing.plan, ToneClips(tmp_path), tmp_path / "g.mp3", format_name="aac")


class _NoClips:
    def prerender(self, texts):
        raise AssertionError("no clip may be asked for")


def test_a_wav_past_4_gb_is_refused_before_any_work_naming_other_formats(tmp_path):
    plan = one_phase_plan(28 * 3600.0, (1.0, "A"))  # 28 h at 22 050 Hz: 4.4 GB
    out = tmp_path / "day.wav"
    with pytest.raises(GuideError) as raised:
        export_guide(plan, _NoClips(), out)
    message = str(raised.value)
    assert message.startswith(f"{out}: a 28.0-hour guide passes the 4 GB a WAV file can hold")
    assert ".mp3" in message and ".flac" in message and "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_the_same_length_as_mp3_is_not_refused(tmp_path):
    plan = one_phase_plan(28 * 3600.0, (1.0, "A"))
    from loosen.core.audio import check_length

    check_length(plan, tmp_path / "day.mp3")  # compressed: no 4 GB limit
