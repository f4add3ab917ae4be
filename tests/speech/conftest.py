"""Synthesizers for the speech tests, each closed (worker stopped) when its test ends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from loosen.speech.synth import ClipSynthesizer

# Short limits, so a test of a hung engine ends in about a second.
TEST_CLIP_TIMEOUT_S = 1.0
TEST_START_TIMEOUT_S = 5.0  # generous: a loaded CI machine starts Python slowly


@pytest.fixture
def make_synth(tmp_path: Path) -> Iterator[Callable[..., ClipSynthesizer]]:
    made: list[ClipSynthesizer] = []

    def make(**options: Any) -> ClipSynthesizer:
        options.setdefault("clip_timeout_s", TEST_CLIP_TIMEOUT_S)
        options.setdefault("start_timeout_s", TEST_START_TIMEOUT_S)
        synth = ClipSynthesizer(options.pop("cache_dir", tmp_path / "clips"), **options)
        made.append(synth)
        return synth

    yield make
    for synth in made:
        synth.close()
