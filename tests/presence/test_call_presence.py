"""A call is a microphone being recorded: read from a real PulseAudio started by the test,
with real recording streams (parecord) on a stand-in microphone and on a monitor."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator

import pytest
from desktops import START_TIMEOUT_S, need, stop

from benchmarks.sound import private_sound_output
from loosen.core.presence import Busy
from loosen.ui.presence.calls import LEVEL_METER_STREAM_NAME
from loosen.ui.presence.processes import COMMAND_TIMEOUT_MS

MICROPHONE = "loosen-test-mic"
MONITOR = "null.monitor"  # what the null sink of private_sound_output plays, as a source


@pytest.fixture
def sound_server(quiet_desktop, monkeypatch) -> Iterator[str]:
    """A private PulseAudio (the speech tests' own) with a stand-in microphone."""
    need("pactl")
    with private_sound_output() as server:
        if server is None:
            if os.environ.get("CI"):
                pytest.fail("no PulseAudio: the test set-up installs pulseaudio for these tests")
            pytest.skip("PulseAudio does not start here")
        monkeypatch.setenv("PULSE_SERVER", server)
        subprocess.run(
            ["pactl", "load-module", "module-null-source", f"source_name={MICROPHONE}"],
            check=True,
            capture_output=True,
            timeout=START_TIMEOUT_S,
        )
        yield server


def source_outputs() -> int:
    listing = subprocess.run(
        ["pactl", "list", "short", "source-outputs"],
        check=True,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
    )
    return len(listing.stdout.splitlines())


@pytest.fixture
def record(qtbot, sound_server) -> Iterator[Callable[..., subprocess.Popen]]:
    """Starts a real recording stream (`parecord`) and returns it once the server has it."""
    parecord = need("parecord")
    started: list[subprocess.Popen] = []

    def start(device: str, *properties: str) -> subprocess.Popen:
        streams = source_outputs()
        process = subprocess.Popen(
            [parecord, f"--device={device}", *(f"--property={p}" for p in properties), "/dev/null"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)

        def recording():
            assert source_outputs() == streams + 1

        qtbot.waitUntil(recording, timeout=int(START_TIMEOUT_S * 1000))
        return process

    yield start
    for process in started:
        stop(process)


def look_busy(qtbot, reader) -> Busy | None:
    with qtbot.waitSignal(reader.updated, timeout=5000) as looked:
        reader.refresh()
    return looked.args[0].busy


def test_recording_the_microphone_is_a_call_and_stopping_ends_it(
    qtbot, sound_server, make_reader, record
):
    reader = make_reader()
    assert look_busy(qtbot, reader) is None
    call = record(MICROPHONE)
    assert look_busy(qtbot, reader) is Busy.CALL
    stop(call)
    assert look_busy(qtbot, reader) is None


def test_recording_what_is_played_is_not_a_call(qtbot, sound_server, make_reader, record):
    record(MONITOR)
    assert look_busy(qtbot, make_reader()) is None


# What pavucontrol (and GNOME's volume control) open to draw their level bars.
@pytest.mark.parametrize(
    "meter",
    [
        "application.id=org.PulseAudio.pavucontrol",
        "application.id=org.gnome.VolumeControl",
        f"media.name={LEVEL_METER_STREAM_NAME}",
    ],
)
def test_a_volume_meter_watching_the_microphone_is_not_a_call(
    qtbot, sound_server, make_reader, record, meter
):
    record(MICROPHONE, meter)
    assert look_busy(qtbot, make_reader()) is None


def test_no_sound_server_means_no_call_and_no_error(qtbot, make_reader):
    assert look_busy(qtbot, make_reader()) is None


@pytest.fixture
def hung_pactl(quiet_desktop, tmp_path, monkeypatch) -> None:
    """A `pactl` that never answers (a sound server stuck), first on PATH."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "pactl"
    script.write_text("#!/bin/sh\nexec sleep 60\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def test_a_hung_pactl_is_killed_and_the_look_ends_without_it(qtbot, hung_pactl, make_reader):
    reader = make_reader()
    with qtbot.waitSignal(reader.updated, timeout=2 * COMMAND_TIMEOUT_MS) as looked:
        reader.refresh()
        assert reader.read().busy is None  # refresh() returned at once
    assert looked.args[0].busy is None
    # The suite fails this test if the killed pactl is left running or unreaped.


def test_closing_the_reader_mid_look_stops_its_commands(qtbot, hung_pactl, make_reader):
    reader = make_reader()
    reader.refresh()
    reader.close()
    # The suite fails this test if the pactl started above is left running or unreaped.
