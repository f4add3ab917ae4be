"""Whether a call is on: a microphone being recorded, as PulseAudio or PipeWire tell it.

One `pactl -f json list` (PulseAudio 16 or later, or PipeWire's pulse server) in a
process. A recording stream (a source output) counts unless it only watches levels
or records what is played: streams on a monitor source, pavucontrol's and GNOME's
level meters ("Peak detect"), virtual nodes and corked (paused) streams are left out,
as GNOME Shell's and KDE Plasma's microphone indicators leave them out.
"""

from __future__ import annotations

import json
from typing import Any

from loosen.ui.presence.processes import CommandQuestion

# Volume controls that record only to draw a level meter.
LEVEL_METER_APPLICATIONS = frozenset({"org.PulseAudio.pavucontrol", "org.gnome.VolumeControl"})
LEVEL_METER_STREAM_NAME = "Peak detect"
MONITOR_SUFFIX = ".monitor"


def _is_monitor(source: dict[str, Any]) -> bool:
    properties = source.get("properties") or {}
    return (
        properties.get("device.class") == "monitor"
        or bool(source.get("monitor_source"))  # PulseAudio 16 names the monitored sink here
        or str(source.get("name", "")).endswith(MONITOR_SUFFIX)
    )


def _is_a_call(stream: dict[str, Any]) -> bool:
    properties = stream.get("properties") or {}
    return not (
        stream.get("corked")
        or properties.get("application.id") in LEVEL_METER_APPLICATIONS
        or properties.get("media.name") == LEVEL_METER_STREAM_NAME
        or properties.get("node.virtual") == "true"
    )


def microphone_recorded(output: str) -> bool:
    """True when `pactl -f json list` shows a stream recording a real input."""
    listing = json.loads(output)
    if not isinstance(listing, dict):
        raise ValueError("expected an object of sections")
    monitors = {source["index"] for source in listing["sources"] if _is_monitor(source)}
    return any(
        stream["source"] not in monitors and _is_a_call(stream)
        for stream in listing["source_outputs"]
    )


MICROPHONE_IN_USE = CommandQuestion(
    what="calls (pactl source outputs)",
    program="pactl",
    arguments=("-f", "json", "list"),
    reads=microphone_recorded,
)
