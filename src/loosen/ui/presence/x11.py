"""Idle time and the full-screen window on an X11 desktop, read through Xlib with ctypes.

Idle time comes from the MIT-SCREEN-SAVER extension (libXss), the active window from
the window manager's `_NET_ACTIVE_WINDOW` and its `_NET_WM_STATE`. The display is
opened once and kept; each reading is one quick round trip to the local X server.
No Python package is needed: libX11 and libXss are on every X11 desktop.

Not used in a Wayland session: there the X server (XWayland) sees only the input that
goes to X programs, so a user typing in a Wayland window would look idle.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Iterator
from contextlib import contextmanager

LIBRARIES = {"X11": "libX11.so.6", "Xss": "libXss.so.1"}
SUCCESS = 0
XA_ATOM = 4
XA_WINDOW = 33
MAX_STATES = 64  # a window has a handful of _NET_WM_STATE atoms


class _ScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),  # milliseconds since the last input
        ("event_mask", ctypes.c_ulong),
    )


# int (*)(Display *, XErrorEvent *): answers an X error instead of Xlib's default, which exits.
_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def wayland_session() -> bool:
    return bool(os.environ.get("WAYLAND_DISPLAY")) or os.environ.get("XDG_SESSION_TYPE") == (
        "wayland"
    )


def _load(name: str) -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(LIBRARIES[name])
    except OSError:
        found = ctypes.util.find_library(name)
        return ctypes.CDLL(found) if found else None


def _declare(xlib: ctypes.CDLL, xss: ctypes.CDLL) -> None:
    display, window, atom = ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong
    xlib.XOpenDisplay.restype = display
    xlib.XOpenDisplay.argtypes = (ctypes.c_char_p,)
    xlib.XCloseDisplay.argtypes = (display,)
    xlib.XDefaultRootWindow.restype = window
    xlib.XDefaultRootWindow.argtypes = (display,)
    xlib.XInternAtom.restype = atom
    xlib.XInternAtom.argtypes = (display, ctypes.c_char_p, ctypes.c_int)
    xlib.XFree.argtypes = (ctypes.c_void_p,)
    xlib.XSync.argtypes = (display, ctypes.c_int)
    xlib.XSetErrorHandler.restype = ctypes.c_void_p
    xlib.XSetErrorHandler.argtypes = (ctypes.c_void_p,)
    xlib.XGetWindowProperty.restype = ctypes.c_int
    xlib.XGetWindowProperty.argtypes = (
        display,
        window,
        atom,
        ctypes.c_long,  # offset
        ctypes.c_long,  # length, in 32-bit units
        ctypes.c_int,  # delete
        atom,  # requested type
        ctypes.POINTER(atom),  # actual type
        ctypes.POINTER(ctypes.c_int),  # actual format
        ctypes.POINTER(ctypes.c_ulong),  # number of items
        ctypes.POINTER(ctypes.c_ulong),  # bytes after
        ctypes.POINTER(ctypes.c_void_p),  # the data, freed with XFree
    )
    xss.XScreenSaverQueryExtension.restype = ctypes.c_int
    xss.XScreenSaverQueryExtension.argtypes = (
        display,
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_int),
    )
    xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_ScreenSaverInfo)
    xss.XScreenSaverQueryInfo.restype = ctypes.c_int
    xss.XScreenSaverQueryInfo.argtypes = (display, window, ctypes.POINTER(_ScreenSaverInfo))


class X11Desktop:
    """One connection to the X server, kept open; `close()` when done."""

    def __init__(self, xlib: ctypes.CDLL, xss: ctypes.CDLL, display: int) -> None:
        self._xlib = xlib
        self._xss = xss
        self._display: int | None = display
        self._root = xlib.XDefaultRootWindow(display)
        self._errors = 0
        self._handler = _ERROR_HANDLER(self._count_error)  # kept: Xlib holds only a pointer
        self._atoms = {
            name: xlib.XInternAtom(display, name.encode(), 0)
            for name in ("_NET_ACTIVE_WINDOW", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN")
        }

    @classmethod
    def open(cls, display_name: str | None = None) -> X11Desktop | None:
        """The X display (DISPLAY by default), or None when this is not an X11 desktop
        with the screen-saver extension, or a Wayland session."""
        name = display_name or os.environ.get("DISPLAY")
        if not name or wayland_session():
            return None
        xlib, xss = _load("X11"), _load("Xss")
        if xlib is None or xss is None:
            return None
        _declare(xlib, xss)
        display = xlib.XOpenDisplay(name.encode())
        if not display:
            return None
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(
            display, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            xlib.XCloseDisplay(display)
            return None
        return cls(xlib, xss, display)

    def close(self) -> None:
        display, self._display = self._display, None
        if display is not None:
            self._xlib.XCloseDisplay(display)

    def idle_s(self) -> float | None:
        """Seconds since the last key press or mouse move, as the X server counts them."""
        if self._display is None:
            return None
        info = self._xss.XScreenSaverAllocInfo()
        if not info:
            return None
        try:
            with self._trapping_errors():
                ok = self._xss.XScreenSaverQueryInfo(self._display, self._root, info)
            if not ok or self._errors:
                return None
            return int(info.contents.idle) / 1000.0
        finally:
            self._xlib.XFree(info)

    def fullscreen_active(self) -> bool | None:
        """Whether the active window is full screen; None where no window manager says
        which window is active (a bare X server, or a manager without EWMH)."""
        if self._display is None:
            return None
        active = self._property(self._root, "_NET_ACTIVE_WINDOW", XA_WINDOW, 1)
        if active is None:
            return None
        if not active or not active[0]:
            return False  # nothing active: the desktop itself has the focus
        states = self._property(active[0], "_NET_WM_STATE", XA_ATOM, MAX_STATES)
        return bool(states) and self._atoms["_NET_WM_STATE_FULLSCREEN"] in states

    def _property(self, window: int, name: str, kind: int, length: int) -> list[int] | None:
        """A 32-bit list property of `window`, None when it is not set (or the window has
        just gone: an X error, trapped)."""
        actual_type, actual_format = ctypes.c_ulong(), ctypes.c_int()
        count, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        with self._trapping_errors():
            status = self._xlib.XGetWindowProperty(
                self._display,
                window,
                self._atoms[name],
                0,
                length,
                0,
                kind,
                ctypes.byref(actual_type),
                ctypes.byref(actual_format),
                ctypes.byref(count),
                ctypes.byref(after),
                ctypes.byref(data),
            )
        try:
            if status != SUCCESS or self._errors or actual_type.value != kind:
                return None
            # Format 32 comes as C longs, whatever their size on this machine.
            values = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))
            return [values[i] for i in range(count.value)]
        finally:
            if data:
                self._xlib.XFree(data)

    @contextmanager
    def _trapping_errors(self) -> Iterator[None]:
        """Count X errors instead of letting Xlib's default handler end the app; put the
        previous handler back after (Qt's own X code may rely on it)."""
        self._errors = 0
        previous = self._xlib.XSetErrorHandler(ctypes.cast(self._handler, ctypes.c_void_p))
        try:
            yield
            self._xlib.XSync(self._display, 0)
        finally:
            self._xlib.XSetErrorHandler(previous)

    def _count_error(self, _display: int | None, _event: int | None) -> int:
        self._errors += 1
        return 0
