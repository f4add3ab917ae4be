"""Short, distinct tones made for Loosen, written as WAV files the player can load.

Used with the voice and instead of it: a rising two-note chime when an exercise
starts, a short tick for each of the last seconds, and a soft low tone for a rest.
Generated (not shipped) so they are ours, tiny, and always in the player's format.
"""

from __future__ import annotations

import math
import struct
import wave
from enum import StrEnum
from pathlib import Path

RATE = 22050


class Beep(StrEnum):
    START = "start"
    TICK = "tick"
    REST = "rest"


# (frequency Hz, seconds) notes; a gentle fade keeps them from clicking.
_NOTES = {
    Beep.START: ((660.0, 0.12), (880.0, 0.18)),
    Beep.TICK: ((1046.5, 0.07),),
    Beep.REST: ((440.0, 0.40),),
}
_AMPLITUDE = 0.35


def _samples(notes: tuple[tuple[float, float], ...]) -> bytes:
    frames = bytearray()
    for frequency, seconds in notes:
        count = int(seconds * RATE)
        fade = max(1, int(0.01 * RATE))
        for n in range(count):
            envelope = min(1.0, n / fade, (count - n) / fade)
            value = _AMPLITUDE * envelope * math.sin(2 * math.pi * frequency * n / RATE)
            frames += struct.pack("<h", int(value * 32767))
    return bytes(frames)


def beep_file(beep: Beep, folder: Path) -> Path:
    """The WAV for `beep` in `folder`, written on first use."""
    path = folder / f"beep-{beep.value}.wav"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        with wave.open(str(temp), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(_samples(_NOTES[beep]))
        temp.replace(path)
    return path
