"""`loosen` keeps the terminal quiet: no chatter from Qt's sound back-ends, real errors kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QtMsgType

from app_processes import AppProcesses, run_loosen, wait_until_listening
from loosen.ui.qt_log import is_audio_noise

# What Qt's sound back-ends print where PipeWire or PulseAudio is absent.
NOISE = ("pipewire", "PulseAudioService", "pa_context_connect", "qt.multimedia")


@pytest.mark.slow
def test_starting_loosen_prints_no_sound_backend_noise():
    processes = AppProcesses()
    try:
        app = processes()
        wait_until_listening(app)  # by then its speaker has looked for a sound output
        second = run_loosen("run", "squat-and-fold")
        assert second.returncode == 0, second.stderr
        app.terminate()
        _, err = app.communicate(timeout=30)
    finally:
        processes.kill_all()
    for output in (err, second.stderr):
        assert not [line for line in output.splitlines() if any(n in line for n in NOISE)]


@pytest.mark.parametrize(
    ("kind", "category", "message", "noise"),
    [
        (
            QtMsgType.QtWarningMsg,
            "qt.multimedia.symbolsresolver",
            "Couldn't load pipewire-0.3 library",
            True,
        ),
        (QtMsgType.QtInfoMsg, "qt.multimedia.ffmpeg", "Using Qt multimedia with FFmpeg", True),
        (QtMsgType.QtWarningMsg, "default", "PulseAudioService: pa_context_connect() failed", True),
        (
            QtMsgType.QtWarningMsg,
            "default",
            "No QtMultimedia backends found. Only QMediaDevices, QAudioDevice, QSoundEffect, "
            "QAudioSink, and QAudioSource are available.",
            True,
        ),
        (QtMsgType.QtCriticalMsg, "qt.multimedia.ffmpeg", "Could not open the audio device", False),
        (QtMsgType.QtWarningMsg, "default", "QSqlDatabase: driver not loaded", False),
        (QtMsgType.QtWarningMsg, "qt.qpa.xcb", "could not connect to display", False),
    ],
)
def test_only_the_sound_back_ends_chatter_is_kept_off_the_terminal(kind, category, message, noise):
    assert is_audio_noise(kind, category, message) is noise
