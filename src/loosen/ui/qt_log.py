"""Qt's messages on the terminal, less the sound back-ends' chatter (that goes to a log).

Installed before QtMultimedia is imported: it speaks as it loads.
"""

from __future__ import annotations

import sys
from typing import IO

from PySide6.QtCore import QMessageLogContext, QtMsgType, qFormatLogMessage, qInstallMessageHandler

from loosen import paths

# Qt's sound back-ends say which sound servers they looked for and did not find. That
# is no news to the user (sound still plays, through another back-end or the fallback
# player), so it goes to the log file; their critical errors still reach the terminal.
AUDIO_NOISE_CATEGORIES = ("qt.multimedia",)
AUDIO_NOISE_PREFIXES = (
    "PulseAudioService:",  # Qt's PulseAudio back-end, uncategorised
    # The bundle leaves out the FFmpeg plugin (video, decoding): QSoundEffect, all that
    # Loosen plays with, works without it, and Qt says so, uncategorised too.
    "No QtMultimedia backends found",
)


def is_audio_noise(kind: QtMsgType, category: str, message: str) -> bool:
    if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        return False
    return category.startswith(AUDIO_NOISE_CATEGORIES) or message.startswith(AUDIO_NOISE_PREFIXES)


def install_message_filter() -> None:
    """Qt's messages go to the terminal as before, except its audio noise (to the log)."""
    log: list[IO[str]] = []  # opened at the first such line, anew each start

    def to_log(line: str) -> None:
        if not log:
            try:
                paths.qt_log_file().parent.mkdir(parents=True, exist_ok=True)
                log.append(paths.qt_log_file().open("w", encoding="utf-8"))
            except OSError:
                return  # nowhere to keep it: dropped, as it is not an error
        log[0].write(line + "\n")
        log[0].flush()

    def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        line = qFormatLogMessage(kind, context, message)
        if is_audio_noise(kind, context.category or "", message):
            to_log(line)
        else:
            print(line, file=sys.stderr, flush=True)

    qInstallMessageHandler(handle)
