"""Idle time on Windows (GetLastInputInfo) and macOS (CGEventSourceSecondsSinceLastEventType).

Both are instant calls into the system through ctypes, each behind a `sys.platform`
check. They cannot be exercised on the Linux machines the tests run on; they follow
the platforms' documented signatures.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

IdleReader = Callable[[], float | None]

# macOS: the combined session state, and "any input event" (kCGAnyInputEventType).
_CG_COMBINED_SESSION_STATE = 0
_CG_ANY_INPUT_EVENT = 0xFFFFFFFF
_CORE_GRAPHICS = "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"
_TICKS_WRAP = 1 << 32  # GetTickCount is a 32-bit millisecond count: it wraps every 49.7 days


class _LastInputInfo(ctypes.Structure):
    _fields_ = (("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint))


def _windows_idle_reader() -> IdleReader | None:
    try:
        user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined]
        kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None
    user32.GetLastInputInfo.restype = ctypes.c_int
    user32.GetLastInputInfo.argtypes = (ctypes.POINTER(_LastInputInfo),)
    kernel32.GetTickCount.restype = ctypes.c_uint
    kernel32.GetTickCount.argtypes = ()

    def idle_s() -> float | None:
        info = _LastInputInfo(ctypes.sizeof(_LastInputInfo), 0)
        if not user32.GetLastInputInfo(ctypes.byref(info)):
            return None
        return ((kernel32.GetTickCount() - info.dwTime) % _TICKS_WRAP) / 1000.0

    return idle_s


def _macos_idle_reader() -> IdleReader | None:
    try:
        graphics = ctypes.CDLL(_CORE_GRAPHICS)
    except OSError:
        return None
    since = graphics.CGEventSourceSecondsSinceLastEventType
    since.restype = ctypes.c_double
    since.argtypes = (ctypes.c_uint32, ctypes.c_uint32)

    def idle_s() -> float | None:
        seconds = float(since(_CG_COMBINED_SESSION_STATE, _CG_ANY_INPUT_EVENT))
        return seconds if seconds >= 0 else None

    return idle_s


def native_idle_reader(platform: str = sys.platform) -> IdleReader | None:
    """The idle-time reader of this operating system, None on others (Linux, BSD)."""
    if platform == "win32":
        return _windows_idle_reader()
    if platform == "darwin":
        return _macos_idle_reader()
    return None
