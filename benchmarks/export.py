"""Speech figures for the benchmark script: worker start-up, render time per cue, export speed.

Measured, not asserted: `speech_figures()` returns them, `python -m benchmarks.export`
prints them. Everything is written to a temporary folder (a cold clip cache), so the
user's own cache is neither used nor touched.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from loosen import paths
from loosen.core.audio import write_guide
from loosen.core.cues import DEFAULT_WORDS_PER_MINUTE
from loosen.core.library import load_library
from loosen.core.plan import build_plan
from loosen.speech.synth import ClipSynthesizer

GUIDE_ROUTINE = "sprint-session"  # the 60-minute run with breaks
WAIT_S = 60.0


def speech_figures(routine_id: str = GUIDE_ROUTINE) -> dict[str, float | int | str]:
    """Time the real engine: start, per-cue render (cold cache), and the guide's export."""
    routine = load_library(paths.builtin_routines_dir(), None, paths.pictures_dir()).find(
        routine_id
    )
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


def report() -> str:
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
