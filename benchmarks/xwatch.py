"""When a program's first window is on the screen, seen from the X server (Xlib by ctypes).

The same yardstick for every program, whatever its toolkit: the moment the X server
maps its first top-level window, and the moment something is first drawn in it (the
DAMAGE extension reports that). Nothing is asked of the program itself.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import select
import time
from collections.abc import Callable
from dataclasses import dataclass

# From X.h and Xdamage.h.
_SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
_CREATE_NOTIFY = 16
_MAP_NOTIFY = 19
_DAMAGE_NOTIFY = 0  # added to the extension's event base
_DAMAGE_REPORT_NON_EMPTY = 3
_IS_VIEWABLE = 2
# A window this small is a program's helper (an input or clipboard window), not one
# meant to be seen.
_SMALLEST_SIDE = 40


class _WindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong),
        ("class", ctypes.c_int),
        ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


@ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
def _ignore_errors(_display: int, _error: int) -> int:
    return 0  # a window gone before it was looked at: Xlib's default handler would exit


@dataclass(frozen=True)
class FirstWindow:
    mapped_s: float  # from the launch
    drawn_s: float | None  # None when nothing was drawn in it before the deadline


class XWatch:
    """Watches one X display for new top-level windows; `started()` marks the launch."""

    def __init__(self, display: str) -> None:
        x11 = ctypes.util.find_library("X11")
        damage = ctypes.util.find_library("Xdamage")
        if x11 is None or damage is None:
            raise RuntimeError("libX11 and libXdamage are needed to watch the screen")
        self._x = ctypes.CDLL(x11)
        self._damage = ctypes.CDLL(damage)
        self._x.XOpenDisplay.restype = ctypes.c_void_p
        self._x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x.XDefaultRootWindow.restype = ctypes.c_ulong
        self._x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self._x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        self._x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self._x.XPending.argtypes = [ctypes.c_void_p]
        self._x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self._x.XConnectionNumber.argtypes = [ctypes.c_void_p]
        self._x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._x.XGetWindowAttributes.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.POINTER(_WindowAttributes),
        ]
        self._x.XSetErrorHandler.argtypes = [_ERROR_HANDLER]
        self._damage.XDamageQueryExtension.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_int),
        ]
        self._damage.XDamageCreate.restype = ctypes.c_ulong
        self._damage.XDamageCreate.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int]
        self._x.XSetErrorHandler(_ignore_errors)
        self._display = self._x.XOpenDisplay(display.encode())
        if not self._display:
            raise RuntimeError(f"cannot open X display {display}")
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not self._damage.XDamageQueryExtension(
            self._display, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            raise RuntimeError("the X server has no DAMAGE extension")
        self._damage_event = event_base.value + _DAMAGE_NOTIFY
        self._root = self._x.XDefaultRootWindow(self._display)
        self._x.XSelectInput(self._display, self._root, _SUBSTRUCTURE_NOTIFY_MASK)
        self._x.XSync(self._display, 0)
        self._event = (ctypes.c_long * 24)()  # an XEvent is 24 longs
        self._started_at = time.perf_counter()

    def started(self) -> None:
        """The program is launched now: earlier events belong to others."""
        self._drain()
        self._started_at = time.perf_counter()

    def first_window(
        self,
        timeout_s: float,
        drawn_within_s: float = 5.0,
        gone: Callable[[], bool] = lambda: False,
    ) -> FirstWindow:
        """Seconds from the launch to its first top-level window mapped, and drawn in;
        TimeoutError when none comes by `timeout_s` or the program is `gone` first."""
        deadline = time.perf_counter() + timeout_s
        watched: set[int] = set()
        mapped: dict[int, float] = {}
        first_mapped: float | None = None
        while True:
            now = time.perf_counter()
            if first_mapped is not None and now > first_mapped + drawn_within_s:
                return FirstWindow(first_mapped - self._started_at, None)
            if now > deadline or gone():
                raise TimeoutError("no window was shown")
            for kind, window in self._events(until=min(deadline, now + 0.05)):
                at = time.perf_counter()
                if kind == _CREATE_NOTIFY and window not in watched:
                    watched.add(window)
                    self._damage.XDamageCreate(self._display, window, _DAMAGE_REPORT_NON_EMPTY)
                elif kind == _MAP_NOTIFY and self._meant_to_be_seen(window):
                    mapped[window] = at
                    if first_mapped is None:
                        first_mapped = at
                elif kind == self._damage_event and window in mapped:
                    return FirstWindow(mapped[window] - self._started_at, at - self._started_at)

    def _meant_to_be_seen(self, window: int) -> bool:
        attributes = _WindowAttributes()
        if not self._x.XGetWindowAttributes(self._display, window, ctypes.byref(attributes)):
            return False
        return (
            not attributes.override_redirect
            and attributes.map_state == _IS_VIEWABLE
            and min(attributes.width, attributes.height) >= _SMALLEST_SIDE
        )

    def _events(self, until: float) -> list[tuple[int, int]]:
        """(type, window) of the events that came by `until`."""
        fd = self._x.XConnectionNumber(self._display)
        got: list[tuple[int, int]] = []
        while not got:
            if not self._x.XPending(self._display):
                left = until - time.perf_counter()
                if left <= 0:
                    return got
                select.select([fd], [], [], left)
            while self._x.XPending(self._display):
                self._x.XNextEvent(self._display, self._event)
                kind = self._event[0] & 0xFFFFFFFF
                # CreateNotify and MapNotify: the new window after (type, serial,
                # send_event, display, parent/event); DamageNotify: the drawable there.
                got.append((kind, self._event[5] if kind != self._damage_event else self._event[4]))
        return got

    def _drain(self) -> None:
        self._x.XSync(self._display, 0)
        while self._x.XPending(self._display):
            self._x.XNextEvent(self._display, self._event)

    def close(self) -> None:
        self._x.XCloseDisplay(self._display)
