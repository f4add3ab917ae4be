"""Speech and guide figures for the benchmark script: worker start-up, render time per
cue, export speed; and per format, the peak memory of a 10-hour export and the size of
an hour, with the whole outing (warm-up, sprint hour, cooldown) as one MP3.

Measured, not asserted: `speech_figures()` and `format_figures()` return them,
`python -m benchmarks.export` prints them. Everything is written to a temporary folder
(a cold clip cache), so the user's own cache is neither used nor touched. Each format's
export runs in a process of its own, so its peak resident memory is its own.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import child_environment
from loosen import paths
from loosen.core.audio import GUIDE_FORMATS, write_guide
from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE
from loosen.core.library import load_library
from loosen.core.outing import plan_outing
from loosen.core.plan import build_plan
from loosen.speech.synth import ClipSynthesizer

GUIDE_ROUTINE = "sprint-session"  # the 60-minute run with breaks
WAIT_S = 60.0


def speech_figures(routine_id: str = GUIDE_ROUTINE) -> dict[str, float | int | str]:
    """Time the real engine: start, per-cue render (cold cache), and the guide's export."""
    routine = _library().find(routine_id)
    plan = build_plan(routine, words_per_minute=DEFAULT_WORDS_PER_MINUTE)
    texts = list(dict.fromkeys(c.text for c in sorted(plan.cues, key=lambda c: c.at_s)))
    with tempfile.TemporaryDirectory(prefix="loosen-bench-") as folder:
        started = time.perf_counter()
        synth = ClipSynthesizer(Path(folder) / "clips")
        try:
            status = synth.wait_ready(WAIT_S)
            ready_s = time.perf_counter() - started
            if not status.available:
                return {"engine": "none", "reason": status.reason}
            # One at a time, so each figure is one clip's whole round trip.
            render_ms = []
            for text in texts:
                asked = time.perf_counter()
                synth.request(text).result(WAIT_S)
                render_ms.append((time.perf_counter() - asked) * 1000)
            asked = time.perf_counter()
            synth.request(texts[0]).result(WAIT_S)
            cached_ms = (time.perf_counter() - asked) * 1000

            # The export as `loosen export-audio` does it, with a cold cache for its voice.
            synth.set_rate(DEFAULT_WORDS_PER_MINUTE + 1)
            out = Path(folder) / "guide.wav"
            exported = time.perf_counter()
            futures = dict(zip(texts, synth.prerender(texts), strict=True))
            info = write_guide(plan, lambda text: futures[text].result(WAIT_S), out)
            export_s = time.perf_counter() - exported
        finally:
            synth.close()
    return {
        "engine": status.engine,
        "worker_ready_s": round(ready_s, 3),
        "worker_start_s": round(synth.last_start_s or 0.0, 3),
        "cues_distinct": len(texts),
        "render_ms_median": round(statistics.median(render_ms), 1),
        "render_ms_max": round(max(render_ms), 1),
        "cached_request_ms": round(cached_ms, 3),
        "export_routine": routine_id,
        "export_length_s": round(info.duration_s, 2),
        "export_cues": info.cues,
        "export_s": round(export_s, 2),
        "export_realtime_factor": round(info.duration_s / export_s),
        "export_size_mb": round(info.size_bytes / 1_000_000, 1),
        "export_overlapping_cues": info.overlaps,
    }


TARGET_EXPORT_S = 10.0  # "a 60-minute guide renders in seconds, not minutes"
LONG_GUIDE_HOURS = 10  # the sprint hour, ten times over
OUTING = ("dynamic-warm-up", "sprint-session", "post-run-cooldown")
MEMORY_TARGET_MB = 100.0  # a 10-hour guide, resident, whatever the format
HOUR_TARGET_MB = {"mp3": 30.0, "opus": 12.0}  # an hour of guide, for a phone


def _library():
    return load_library(paths.builtin_routines_dir(), None, paths.pictures_dir())


def _export_in_this_process(routine_ids: list[str], out: Path, clips_dir: Path) -> dict:
    """One export, as `loosen export-audio` does it; the figures of this process."""
    library = _library()
    outing = plan_outing([library.find(i) for i in routine_ids], DEFAULT_WORDS_PER_MINUTE)
    synth = ClipSynthesizer(clips_dir)  # clips already rendered: read from the cache
    try:
        synth.wait_ready(WAIT_S)
        synth.set_rate(DEFAULT_WORDS_PER_MINUTE)
        texts = list(dict.fromkeys(c.text for c in outing.plan.cues))
        futures = dict(zip(texts, synth.prerender(texts), strict=True))
        started = time.perf_counter()
        info = write_guide(
            outing.plan,
            lambda text: futures[text].result(WAIT_S),
            out,
            title=outing.title,
            chapters=outing.chapters,
        )
        seconds = time.perf_counter() - started
    finally:
        synth.close()
    return {
        "length_s": info.duration_s,
        "size_bytes": info.size_bytes,
        "export_s": seconds,
        "chapters": len(outing.chapters),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
    }


def _export_in_a_child(routine_ids: list[str], out: Path, clips_dir: Path) -> dict:
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from benchmarks.export import _export_in_this_process\n"
        "print(json.dumps(_export_in_this_process(json.loads(sys.argv[1]), "
        "Path(sys.argv[2]), Path(sys.argv[3]))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(routine_ids), str(out), str(clips_dir)],
        capture_output=True,
        text=True,
        check=True,
        env=child_environment(),
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def format_figures(hours: int = LONG_GUIDE_HOURS) -> dict[str, dict]:
    """Per format: a `hours`-hour guide's peak memory and size; and the outing as MP3."""
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="loosen-bench-") as folder:
        clips = Path(folder) / "clips"
        long_guide = ["sprint-session"] * hours
        # Render the clips once (the voice is not what is measured here).
        _export_in_a_child(["sprint-session"], Path(folder) / "warm.wav", clips)
        for name, guide_format in GUIDE_FORMATS.items():
            out = Path(folder) / f"long{guide_format.extension}"
            figures[name] = _export_in_a_child(long_guide, out, clips)
            out.unlink()
        figures["outing-mp3"] = _export_in_a_child(list(OUTING), Path(folder) / "o.mp3", clips)
    return figures


def format_report() -> str:
    figures = format_figures()
    lines = [
        f"Audio guide formats ({LONG_GUIDE_HOURS}-hour guide, each in a process of its own; "
        f"targets: ≤ {MEMORY_TARGET_MB:g} MB resident, an hour of MP3 ≤ "
        f"{HOUR_TARGET_MB['mp3']:g} MB, of Opus ≤ {HOUR_TARGET_MB['opus']:g} MB):"
    ]
    for name in GUIDE_FORMATS:
        f = figures[name]
        hour_mb = f["size_bytes"] / 1e6 * 3600 / f["length_s"]
        target = HOUR_TARGET_MB.get(name)
        verdict = "" if target is None else (" (meets)" if hour_mb <= target else " (MISSES)")
        lines.append(
            f"  {name:<5} peak RSS {f['peak_rss_mb']:6.1f} MB"
            f"{' (meets)' if f['peak_rss_mb'] <= MEMORY_TARGET_MB else ' (MISSES)'}, "
            f"an hour {hour_mb:7.1f} MB{verdict}, encoded in {f['export_s']:6.1f} s"
        )
    outing = figures["outing-mp3"]
    lines.append(
        f"  warm-up + sprint hour + cooldown as one MP3: {outing['length_s'] / 60:.0f} min, "
        f"{outing['size_bytes'] / 1e6:.1f} MB, {outing['chapters']} chapters"
    )
    return "\n".join(lines)


def report() -> str:
    return speech_report() + "\n" + format_report()


def speech_report() -> str:
    figures = speech_figures()
    if figures.get("engine") == "none":
        return f"Speech: no engine here ({figures['reason']}); nothing measured"
    export_s = float(figures["export_s"])
    verdict = "meets" if export_s <= TARGET_EXPORT_S else "MISSES"
    return "\n".join(
        [
            f"Speech ({figures['engine']}):",
            f"  worker ready after start         {float(figures['worker_ready_s']) * 1000:7.0f} ms",
            f"  one cue rendered (cold cache)    median {figures['render_ms_median']} ms, "
            f"max {figures['render_ms_max']} ms over {figures['cues_distinct']} cues",
            f"  a cached cue                     {figures['cached_request_ms']} ms",
            f"  audio guide of {figures['export_routine']} ({figures['export_length_s']:.0f} s, "
            f"{figures['export_cues']} cues, {figures['export_size_mb']} MB): "
            f"{export_s:.2f} s, {figures['export_realtime_factor']}× faster than real time",
            f"  target ≤ {TARGET_EXPORT_S:g} s for the hour (anchor: speaking it live takes "
            f"{figures['export_length_s']:.0f} s): {verdict} it",
        ]
    )


if __name__ == "__main__":
    print(report())
